/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * audit-track.c — the audit chain covers state (issue 16, point 5): every
 * record a transaction writes or deletes is noted here by the put helpers
 * (audit_track), with the SHA-256 of the bytes stored, and the notes are
 * encoded as the "state" fields of the transaction's audit entry (audit.c,
 * which also seals them before the commit).  It sits below the chain.
 */
#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/array.h"
#include "core/heap.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/err.h"

/* Is this table's content covered?  Not meta (the chain's own head and
 * counters) nor the chain itself. */
bool
audit_tracked(int dbi)
{
	return dbi != DBI_META && dbi != DBI_AUDIT && dbi >= 0 && dbi < DBI__N && db_tables[dbi].primary < 0;
}

/* A note: the table, 1 if deleted, the key's length (4 bytes in host
 * order: notes never leave the process), the key, then the SHA-256 of the
 * value unless deleted. */
#define NOTE_HEAD 6

static size_t
note_klen(const unsigned char *p)
{
	uint32_t k;
	memcpy(&k, p + 2, 4);
	return k;
}

static size_t
note_len(const unsigned char *p)
{
	return NOTE_HEAD + note_klen(p) + (p[1] ? 0 : 32);
}

/* table, then key */
static int
note_cmp(const unsigned char *x, const unsigned char *y)
{
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	size_t xl = note_klen(x), yl = note_klen(y);
	int c = memcmp(x + NOTE_HEAD, y + NOTE_HEAD, xl < yl ? xl : yl);
	if (c != 0)
		return c;
	return xl < yl ? -1 : xl > yl;
}

/* table and key, then the order written (the notes' place in cur) */
static int
idx_cmp(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a, *y = *(const unsigned char *const *)b;
	int c = note_cmp(x, y);
	return c != 0 ? c : x < y ? -1 : x > y;
}

/* one sorted run of the temporary file, and its reader */
struct audit_run {
	off_t off, end;
};

struct reader {
	const unsigned char **idx; /* the notes still in memory */
	size_t n, i;
	const struct scratch *sp;  /* or a run of the file */
	off_t off, end;
	unsigned char *buf;
	size_t cap, len, pos;
	const unsigned char *head; /* the current note, NULL: done */
};

static void
writes_clear(struct audit_track *t)
{
	buf_free(&t->cur);
	free(t->idx);
	t->idx = NULL;
	t->icap = 0;
	scratch_close(&t->spill);
	free(t->runs);
	t->runs = NULL;
	t->nruns = t->rcap = 0;
	t->n = t->bound = t->maxnote = 0;
	t->io = 0;
}

void
audit_track_begin(struct store *st)
{
	if (st->track == NULL && (st->track = calloc(1, sizeof *st->track)) == NULL)
		return; /* noted as oom at the first write */
	writes_clear(st->track);
	st->track->oom = false;
	st->track->entry = 0;
}

void
audit_track_free(struct store *st)
{
	if (st->track == NULL)
		return;
	writes_clear(st->track);
	free(st->track);
	st->track = NULL;
}

/* cur's notes sorted in idx, the last write of each record kept: their
 * number */
static size_t
sort_cur(struct audit_track *t)
{
	size_t n = 0, m = 0;
	for (size_t off = 0; off < t->cur.len; off += note_len(t->cur.p + off))
		n++;
	const unsigned char **v = array_grow(t->idx, &t->icap, n, sizeof *v);
	if (v == NULL) {
		t->oom = true;
		return 0;
	}
	t->idx = v;
	n = 0;
	for (size_t off = 0; off < t->cur.len; off += note_len(t->cur.p + off))
		v[n++] = t->cur.p + off;
	if (n > 1)
		qsort(v, n, sizeof *v, idx_cmp);
	for (size_t i = 0; i < n; i++)
		if (i + 1 == n || note_cmp(v[i], v[i + 1]) != 0)
			v[m++] = v[i]; /* else written again later */
	return m;
}

/* cur's notes, sorted, as a run of the temporary file */
static void
spill_cur(struct audit_track *t)
{
	size_t n = sort_cur(t);
	struct audit_run *r = array_grow(t->runs, &t->rcap, t->nruns + 1, sizeof *r);
	if (t->oom || r == NULL) {
		t->oom = true;
		return;
	}
	t->runs = r;
	/* enciphered (scratch.c): a key of some tables is an ID number */
	if (t->spill.f == NULL && scratch_open(&t->spill) != 0) {
		t->io = errno ? errno : EIO;
		return;
	}
	r = &t->runs[t->nruns];
	r->off = t->nruns ? t->runs[t->nruns - 1].end : 0;
	r->end = r->off;
	for (size_t i = 0; i < n; i++) {
		size_t len = note_len(t->idx[i]);
		if (scratch_write(&t->spill, t->idx[i], len, NULL) != 0) {
			t->io = errno ? errno : EIO;
			return;
		}
		r->end += (off_t)len;
	}
	t->nruns++;
	t->cur.len = 0;
}

void
audit_track(struct store *st, int dbi, const void *key, size_t klen, const void *val, size_t vlen)
{
	struct audit_track *t = st->track;
	unsigned char head[NOTE_HEAD], hash[32];

	if (!audit_tracked(dbi))
		return;
	if (t == NULL) {
		if ((t = st->track = calloc(1, sizeof *st->track)) == NULL)
			return;
		t->oom = true; /* a write outside store_txn_run's begin: refused at the seal */
	}
	if (t->oom || t->io || klen > UINT32_MAX) {
		t->oom = t->oom || !t->io;
		return;
	}
	uint32_t k32 = (uint32_t)klen;
	head[0] = (unsigned char)dbi;
	head[1] = val == NULL;
	memcpy(head + 2, &k32, 4);
	size_t len = note_len(head);
	if (t->cur.len > 0 && t->cur.len + len > AUDIT_RUN_BYTES) {
		spill_cur(t);
		if (t->oom || t->io)
			return;
	}
	buf_put_bytes(&t->cur, head, NOTE_HEAD);
	buf_put_bytes(&t->cur, key, klen);
	if (val != NULL) {
		crypto_hash_sha256(hash, val, vlen);
		buf_put_bytes(&t->cur, hash, 32);
	}
	if (t->cur.oom) {
		t->oom = true;
		return;
	}
	if (t->n++ == 0)
		t->first_dbi = dbi;
	if (len > t->maxnote)
		t->maxnote = len;
	size_t inner = rec_field_size(ST_FILE, strlen(db_tables[dbi].file)) + rec_field_size(ST_KEY, klen) +
	    (val ? rec_field_size(ST_HASH, 32) : rec_field_size(ST_DELETED, 1));
	t->bound += rec_field_size(AT_STATE, inner);
}

/* The reader's next note (head NULL at the end of its run); -1 and errno
 * if the file fails or the run is cut */
static int
reader_next(struct reader *r)
{
	if (r->idx != NULL) {
		r->head = r->i < r->n ? r->idx[r->i++] : NULL;
		return 0;
	}
	if (r->head != NULL)
		r->pos += note_len(r->head);
	r->head = NULL;
	if (r->len - r->pos < NOTE_HEAD || r->len - r->pos < note_len(r->buf + r->pos)) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		while (r->len < r->cap && r->off < r->end) {
			size_t want = r->cap - r->len;
			if ((off_t)want > r->end - r->off)
				want = (size_t)(r->end - r->off);
			if (scratch_read(r->sp, r->off, r->buf + r->len, want) != 0)
				return -1;
			r->len += want;
			r->off += (off_t)want;
		}
	}
	if (r->len == r->pos)
		return 0;
	if (r->len - r->pos < NOTE_HEAD || r->len - r->pos < note_len(r->buf + r->pos)) {
		errno = EIO;
		return -1;
	}
	r->head = r->buf + r->pos;
	return 0;
}

/* The note as its state field */
static void
emit(struct buf *b, struct buf *s, const unsigned char *p)
{
	size_t klen = note_klen(p);
	s->len = 0;
	rec_str(s, ST_FILE, db_tables[p[0]].file);
	rec_blob(s, ST_KEY, p + NOTE_HEAD, klen);
	if (p[1])
		rec_int(s, ST_DELETED, 1);
	else
		rec_blob(s, ST_HASH, p + NOTE_HEAD + klen, 32);
	rec_nested(b, AT_STATE, s);
}

/* The readers by their notes in a binary heap (a merge of k runs costs
 * log k a note): key order, and of one record's notes the latest run's
 * first */
struct heap {
	struct reader *rd;
	size_t *h, m;
};

static bool
heap_less(const void *baton, size_t a, size_t b)
{
	const struct heap *q = baton;
	int c = note_cmp(q->rd[a].head, q->rd[b].head);
	return c != 0 ? c < 0 : a > b;
}

static void
heap_push(struct heap *q, size_t r)
{
	q->h[q->m] = r;
	heap_sift_up(q->h, q->m++, heap_less, q);
}

static size_t
heap_pop(struct heap *q)
{
	size_t r = q->h[0];
	q->h[0] = q->h[--q->m];
	heap_sift_down(q->h, q->m, 0, heap_less, q);
	return r;
}

/* The reader's next note back into the heap */
static int
heap_next(struct heap *q, size_t r)
{
	if (reader_next(&q->rd[r]) != 0)
		return -1;
	if (q->rd[r].head != NULL)
		heap_push(q, r);
	return 0;
}

/* The runs merged into b: of notes of one record, the latest run's */
static int
merge(struct reader *rd, size_t k, struct buf *b)
{
	struct heap q = {rd, malloc(k * sizeof *q.h), 0};
	struct buf s;
	int bad = 0;

	if (q.h == NULL) {
		errno = ENOMEM;
		return -1;
	}
	buf_init(&s);
	for (size_t i = 0; i < k && !bad; i++)
		bad = heap_next(&q, i);
	while (!bad && q.m > 0) {
		size_t w = heap_pop(&q);
		emit(b, &s, rd[w].head);
		/* the same record's earlier notes */
		while (!bad && q.m > 0 && note_cmp(rd[q.h[0]].head, rd[w].head) == 0)
			bad = heap_next(&q, heap_pop(&q));
		bad = bad ? bad : heap_next(&q, w);
	}
	if (s.oom)
		b->oom = true;
	buf_free(&s);
	free(q.h);
	return bad;
}

/* b grown once to hold n more bytes (not doubled: the entry's state fields
 * are the largest buffer of a big transaction) */
static bool
reserve_exact(struct buf *b, size_t n)
{
	if (b->oom || n > SIZE_MAX - b->len)
		return false;
	if (b->len + n <= b->cap)
		return true;
	unsigned char *p = realloc(b->p, b->len + n);
	if (p == NULL)
		return false;
	b->p = p;
	b->cap = b->len + n;
	return true;
}

static int
merge_runs(struct audit_track *t, struct buf *b)
{
	size_t n = sort_cur(t), k = t->nruns + 1, cap = t->maxnote > 8192 ? t->maxnote : 8192;
	struct reader *rd = t->oom ? NULL : calloc(k, sizeof *rd);
	int ret = -1;

	errno = ENOMEM;
	if (rd == NULL)
		goto out;
	for (size_t i = 0; i < t->nruns; i++) {
		rd[i].sp = &t->spill;
		rd[i].off = t->runs[i].off;
		rd[i].end = t->runs[i].end;
		rd[i].cap = cap;
		if ((rd[i].buf = malloc(cap)) == NULL)
			goto out;
	}
	/* the notes still in memory are the latest */
	rd[k - 1].idx = t->idx;
	rd[k - 1].n = n;
	ret = merge(rd, k, b);
out:;
	int saved = errno;
	for (size_t i = 0; rd != NULL && i < k; i++)
		free(rd[i].buf);
	free(rd);
	errno = saved;
	return ret;
}

int
audit_track_encode(struct audit_track *t, struct buf *b, struct err *e)
{
	int ret = 0;

	if (t->oom)
		ret = err_set(e, E_STORAGE, "%s", _("out of memory"));
	else if (t->io)
		ret = err_set(e, E_STORAGE, _("a temporary file for the audit entry: %s"), strerror(t->io));
	else if (!reserve_exact(b, t->bound + rec_field_size(AT_HASH, 32)))
		ret = err_set(e, E_STORAGE, "%s", _("out of memory"));
	else if (merge_runs(t, b) != 0)
		ret = errno == ENOMEM ? err_set(e, E_STORAGE, "%s", _("out of memory"))
		    : err_set(e, E_STORAGE, _("a temporary file for the audit entry: %s"), strerror(errno));
	else if (b->oom)
		ret = err_set(e, E_STORAGE, "%s", _("out of memory"));
	/* forgotten (and their memory given back) before the entry is stored */
	writes_clear(t);
	return ret;
}

int
audit_state_fields(struct store *st, struct buf *b, struct err *e)
{
	return st->track == NULL ? 0 : audit_track_encode(st->track, b, e);
}

void
audit_state_entry(struct store *st, uint64_t seq)
{
	if (st->track != NULL)
		st->track->entry = seq;
}

