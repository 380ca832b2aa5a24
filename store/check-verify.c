/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check-verify.c — `dibao check` runs Berkeley DB's DB->verify on every
 * file of its snapshot in a thread of its own, beside the walk that
 * compares the indexes (check.c), and the walking thread takes the files
 * still waiting once its walk is done (issue 17: at 100,000 encrypted
 * households verify was 3.7 s and the walk 2.5 s, one after the other,
 * most of it Berkeley DB's per-page AES and SHA-1, which a second core
 * halves).
 *
 * Both threads only read: the snapshot is this process's own (nobody
 * writes it), the environment is DB_THREAD, and each DB->verify has a
 * handle of its own.  Files are taken largest first so that the two
 * finish together.  Each file's result is kept and reported by the
 * caller's thread, in table order, after both are done: the messages come
 * out the same whatever the timing.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/check-int.h"
#include "store/env-int.h"

struct vfile {
	int dbi;
	off_t size;
	bool made;             /* its handle was made (db_create) */
	int ret;               /* db_create's, then DB->verify's */
	char msg[512];         /* what Berkeley DB said about it */
};

struct check_verify {
	struct store *st;
	struct vfile f[DBI__N];
	int next;              /* the next file to take (atomic) */
	pthread_t thread;
	bool started;
};

static void
verify_one(struct check_verify *v, struct vfile *f)
{
	DB *h;
	f->msg[0] = '\0';
	if ((f->ret = db_create(&h, v->st->env, 0)) != 0)
		return;
	f->made = true;
	/* Berkeley DB's messages about this file come to this thread's own
	 * buffer, not to the store's (the other thread may be writing it) */
	store_bdb_msg_here(f->msg, sizeof f->msg);
	/* DB->verify always destroys the handle */
	f->ret = h->verify(h, db_tables[f->dbi].file, NULL, NULL, 0);
	store_bdb_msg_here(NULL, 0);
}

static void
verify_rest(struct check_verify *v)
{
	int i;
	while ((i = __atomic_fetch_add(&v->next, 1, __ATOMIC_RELAXED)) < DBI__N)
		verify_one(v, &v->f[i]);
}

static void *
verify_thread(void *arg)
{
	verify_rest(arg);
	return NULL;
}

static void
report(problem_fn fn, void *baton, int *problems, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
report(problem_fn fn, void *baton, int *problems, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	store_problemv(fn, baton, problems, fmt, ap);
	va_end(ap);
}

static int
by_dbi(const void *a, const void *b)
{
	return ((const struct vfile *)a)->dbi - ((const struct vfile *)b)->dbi;
}

static int
by_size(const void *a, const void *b)
{
	const struct vfile *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->dbi - y->dbi;
}

struct check_verify *
check_verify_start(struct store *st, const char *dir)
{
	struct check_verify *v = calloc(1, sizeof *v);
	if (v == NULL)
		return NULL;
	v->st = st;
	for (int i = 0; i < DBI__N; i++) {
		char path[PATH_MAX];
		struct stat sb;
		v->f[i].dbi = i;
		/* a file that cannot be sized is still verified (and its
		 * trouble reported by DB->verify), last */
		if (snprintf(path, sizeof path, "%s/%s", dir, db_tables[i].file) < (int)sizeof path &&
		    stat(path, &sb) == 0)
			v->f[i].size = sb.st_size;
	}
	qsort(v->f, DBI__N, sizeof v->f[0], by_size);
	/* without a thread the caller verifies every file in check_verify_finish */
	v->started = pthread_create(&v->thread, NULL, verify_thread, v) == 0;
	return v;
}

int
check_verify_finish(struct check_verify *v, problem_fn fn, void *baton)
{
	int problems = 0;
	if (v == NULL)
		return 0;
	/* the caller's thread takes the files still waiting */
	verify_rest(v);
	if (v->started)
		(void)pthread_join(v->thread, NULL);
	/* reported in table order */
	qsort(v->f, DBI__N, sizeof v->f[0], by_dbi);
	for (int i = 0; i < DBI__N; i++) {
		const struct vfile *f = &v->f[i];
		const char *file = db_tables[f->dbi].file;
		if (f->ret == 0)
			continue;
		if (!f->made)
			report(fn, baton, &problems, _("%s: %s"), file, db_strerror(f->ret));
		else
			report(fn, baton, &problems, _("%s: damaged (%s%s%s)"), file, db_strerror(f->ret),
			    f->msg[0] ? ": " : "", f->msg);
	}
	free(v);
	return problems;
}
