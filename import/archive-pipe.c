/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-pipe.c — the archive's writer thread (archive-pipe.h).  A queue
 * of operations (an entry's header, a piece of its bytes, the end), bounded
 * in bytes so memory does not depend on the archive; the thread takes them
 * in order and makes the libarchive calls the exporter made before.  After
 * a failure the thread keeps taking (and dropping) operations, so the
 * exporter never waits for ever; it sees the failure at its next call.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "import/archive-pipe.h"
#include "store/audit.h"

#define PIPE_MAX ((size_t)256 * 1024)    /* bytes queued at most */
/* The thread is woken once this many operations or a quarter of PIPE_MAX
 * wait (or the exporter waits), not for each: a small dossier's entries
 * are a few operations. */
#define WAKE_OPS 32

enum op_kind { OP_HEADER, OP_DATA, OP_END };

struct op {
	struct op *next;
	enum op_kind kind;
	bool store;
	bool listed;            /* OP_HEADER: hashed, a line in lines */
	uint64_t len;           /* OP_HEADER: the entry's size; OP_DATA: bytes here */
	char *path;             /* OP_HEADER */
	unsigned char data[];   /* OP_DATA */
};

struct apipe {
	struct archive *a;
	bool zip;
	int64_t mtime;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct op *head, *tail;
	size_t queued;          /* bytes in the queue */
	unsigned long pushed, done;     /* operations */
	unsigned unwoken;       /* operations queued since the thread was woken */
	FILE *lines;            /* the listed entries' lines */
	bool hashing;           /* the current entry is listed */
	crypto_hash_sha256_state hs;
	uint64_t cur_len, cur_got;  /* the listed entry's size, bytes hashed */
	bool failed;            /* the thread failed: later operations dropped */
	bool running;           /* the thread not yet joined */
	struct op *end;         /* OP_END, made at the start: the end never lacks memory */
	char path[1100];        /* the entry that failed */
	char msg[512];
};

static void
fail(struct apipe *p, const char *path, const char *msg)
{
	pthread_mutex_lock(&p->mu);
	if (!p->failed) {
		p->failed = true;
		snprintf(p->path, sizeof p->path, "%s", path ? path : "");
		snprintf(p->msg, sizeof p->msg, "%s", msg ? msg : strerror(EIO));
	}
	pthread_mutex_unlock(&p->mu);
}

/* The end of the current entry: its line, when it is listed. */
static void
entry_done(struct apipe *p, const char *cur)
{
	unsigned char h[32];
	char sha[65];

	if (!p->hashing)
		return;
	p->hashing = false;
	crypto_hash_sha256_final(&p->hs, h);
	hex32(h, sha);
	if (fprintf(p->lines, "%s %llu %s\n", sha, (unsigned long long)p->cur_len, cur) < 0)
		fail(p, cur, strerror(errno ? errno : EIO));
}

static void
write_data(struct apipe *p, const unsigned char *data, size_t len, const char *cur)
{
	for (size_t off = 0; off < len;) {
		la_ssize_t w = archive_write_data(p->a, data + off, len - off);
		if (w <= 0) {
			fail(p, cur, archive_error_string(p->a));
			return;
		}
		off += (size_t)w;
	}
	if (p->hashing) {
		crypto_hash_sha256_update(&p->hs, data, len);
		if ((p->cur_got += len) >= p->cur_len)
			entry_done(p, cur);
	}
}

static void
write_head(struct apipe *p, const char *path, uint64_t len, bool store, bool listed)
{
	struct archive_entry *ent = archive_entry_new();
	int r = ARCHIVE_OK;

	if (ent == NULL) {
		fail(p, path, strerror(ENOMEM));
		return;
	}
	archive_entry_set_pathname_utf8(ent, path);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0644);
	archive_entry_set_size(ent, (la_int64_t)len);
	archive_entry_set_mtime(ent, (time_t)p->mtime, 0);
	if (p->zip)
		r = store ? archive_write_zip_set_compression_store(p->a) :
		    archive_write_zip_set_compression_deflate(p->a);
	if (r != ARCHIVE_OK || archive_write_header(p->a, ent) != ARCHIVE_OK)
		fail(p, path, archive_error_string(p->a));
	archive_entry_free(ent);
	if ((p->hashing = listed && p->lines != NULL)) {
		crypto_hash_sha256_init(&p->hs);
		p->cur_len = len;
		p->cur_got = 0;
		if (len == 0)
			entry_done(p, path);
	}
}

/* the thread's work: one operation on the handle (cur: the current
 * entry's name, that of the header before) */
static void
run_op(struct apipe *p, const struct op *o, const char *cur)
{
	if (o->kind == OP_HEADER) {
		write_head(p, o->path, o->len, o->store, o->listed);
	} else {
		write_data(p, o->data, (size_t)o->len, cur);
	}
}

static void *
thread_main(void *arg)
{
	struct apipe *p = arg;
	char *last = NULL;      /* the current entry's name, kept for messages */

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->head == NULL)
			pthread_cond_wait(&p->more, &p->mu);
		struct op *o = p->head;
		p->head = o->next;
		if (p->head == NULL)
			p->tail = NULL;
		bool failed = p->failed;
		pthread_mutex_unlock(&p->mu);

		enum op_kind kind = o->kind;
		if (kind != OP_DATA && !failed)
			entry_done(p, last ? last : "");
		if (kind != OP_END && !failed)
			run_op(p, o, last ? last : "");
		pthread_mutex_lock(&p->mu);
		if (kind == OP_DATA)
			p->queued -= (size_t)o->len;
		p->done++;
		/* the exporter waits for room until half the queue is free, or
		 * for the queue to be done (apipe_drain): not woken for each */
		if (p->queued <= PIPE_MAX / 2 || p->done == p->pushed || kind == OP_END || p->failed)
			pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->mu);
		if (kind == OP_HEADER) {
			free(last);
			last = o->path;
		} else {
			free(o->path);
		}
		free(o);
		if (kind == OP_END)
			break;
	}
	free(last);
	return NULL;
}

struct apipe *
apipe_start(struct archive *a, bool zip, int64_t mtime, FILE *lines)
{
	struct apipe *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->lines = lines;
	p->a = a;
	p->zip = zip;
	p->mtime = mtime;
	if ((p->end = calloc(1, sizeof *p->end)) == NULL || pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p->end);
		free(p);
		return NULL;
	}
	p->end->kind = OP_END;
	if (pthread_cond_init(&p->more, NULL) != 0)
		goto no_more;
	if (pthread_cond_init(&p->room, NULL) != 0)
		goto no_room;
	if (pthread_create(&p->thread, NULL, thread_main, p) != 0)
		goto no_thread;
	p->running = true;
	return p;
no_thread:
	pthread_cond_destroy(&p->room);
no_room:
	pthread_cond_destroy(&p->more);
no_more:
	pthread_mutex_destroy(&p->mu);
	free(p->end);
	free(p);
	return NULL;
}

/* the thread told that operations wait (p->mu held) */
static void
wake(struct apipe *p)
{
	p->unwoken = 0;
	pthread_cond_signal(&p->more);
}

/* Queues o (waiting for room when it carries bytes); -1 if the thread
 * failed (o is dropped). */
static int
push(struct apipe *p, struct op *o)
{
	size_t weight = o->kind == OP_DATA ? (size_t)o->len : 0;

	pthread_mutex_lock(&p->mu);
	while (!p->failed && weight > 0 && p->queued > 0 && p->queued + weight > PIPE_MAX) {
		wake(p);
		pthread_cond_wait(&p->room, &p->mu);
	}
	if (p->failed && o->kind != OP_END) {
		pthread_mutex_unlock(&p->mu);
		free(o->path);
		free(o);
		return -1;
	}
	p->queued += weight;
	p->pushed++;
	o->next = NULL;
	if (p->tail != NULL)
		p->tail->next = o;
	else
		p->head = o;
	p->tail = o;
	if (o->kind == OP_END || ++p->unwoken >= WAKE_OPS || p->queued >= PIPE_MAX / 4)
		wake(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static int
push_oom(struct apipe *p, const char *path)
{
	fail(p, path, strerror(ENOMEM));
	return -1;
}

int
apipe_header(struct apipe *p, const char *path, uint64_t len, bool store, bool listed)
{
	struct op *o = calloc(1, sizeof *o);

	if (o == NULL || (o->path = strdup(path)) == NULL) {
		free(o);
		return push_oom(p, path);
	}
	o->kind = OP_HEADER;
	o->len = len;
	o->store = store;
	o->listed = listed;
	return push(p, o);
}

int
apipe_drain(struct apipe *p)
{
	pthread_mutex_lock(&p->mu);
	wake(p);
	while (!p->failed && p->done != p->pushed)
		pthread_cond_wait(&p->room, &p->mu);
	bool failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	return failed ? -1 : 0;
}

int
apipe_data(struct apipe *p, const void *data, size_t n)
{
	const unsigned char *b = data;

	while (n > 0) {
		size_t take = n < PIPE_MAX / 4 ? n : PIPE_MAX / 4;
		struct op *o = malloc(sizeof *o + take);
		if (o == NULL)
			return push_oom(p, NULL);
		memset(o, 0, sizeof *o);
		o->kind = OP_DATA;
		o->len = take;
		memcpy(o->data, b, take);
		if (push(p, o) != 0)
			return -1;
		b += take;
		n -= take;
	}
	return 0;
}

int
apipe_end(struct apipe *p)
{
	if (p->running) {
		struct op *o = p->end;
		p->end = NULL;      /* the thread frees it */
		push(p, o);
		pthread_join(p->thread, NULL);
		p->running = false;
	}
	return p->failed ? -1 : 0;
}

const char *
apipe_error(const struct apipe *p, const char **path)
{
	if (path != NULL)
		*path = p->path;
	return p->msg;
}

void
apipe_free(struct apipe *p)
{
	if (p == NULL)
		return;
	apipe_end(p);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p->end);
	free(p);
}
