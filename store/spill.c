/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * spill.c — an external sort (issue 17): records of one fixed size
 * gathered in a bounded buffer, each full buffer sorted (qsort) and written
 * as a run to a scratch file (scratch.c, enciphered), then the runs merged
 * once through a binary heap of their readers.  Memory is the buffer
 * (SPILL_RUN bytes) and a reader of SPILL_READ bytes a run, whatever the
 * number of records; time n log n.  The merge can be marked and rewound to
 * the mark (a write transaction that is retried reads its records again).
 * Used by the roster import's checks across rows (import/roster-row.c) and
 * the dossiers' indexes built after a load (bulk-index.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/spill.h"
#include "store/err.h"
#include "store/scratch.h"
#include "core/array.h"
#include "core/heap.h"

#define SPILL_RUN ((size_t)2 << 20)     /* bytes of records sorted in memory */
#define SPILL_READ ((size_t)16 << 10)   /* bytes a run's reader holds */

struct spill_rd {
	off_t cur, end;           /* the current record's offset, the run's end */
	off_t bstart;             /* the offset of buf[0] */
	size_t blen;              /* bytes valid in buf */
	unsigned char *buf;
	off_t mark;
};

static int
spill_ioerr(struct err *e)
{
	return err_set(e, E_STORAGE, _("a temporary file for sorting: %s"), strerror(errno ? errno : EIO));
}

void
spill_init(struct spill *x, struct scratch *sc, size_t size, int (*cmp)(const void *, const void *))
{
	memset(x, 0, sizeof *x);
	x->sc = sc;
	x->size = size;
	x->cmp = cmp;
	/* a test drives many runs with few records (tests/cli/roster-spill.sh,
	 * bulk-index.sh);
	 * the order of the records, and so the result, is the same */
	const char *t = getenv("DIBAO_SPILL_RUN");
	long n = t ? strtol(t, NULL, 10) : 0;
	x->per_run = n > 0 && (size_t)n < SPILL_RUN / size ? (size_t)n : SPILL_RUN / size;
}

/* the records gathered, sorted, as a run of the scratch file */
static int
spill_run(struct spill *x, struct err *e)
{
	if (x->n == 0)
		return 0;
	qsort(x->buf, x->n, x->size, x->cmp);
	struct spill_rd *r = array_grow(x->rd, &x->caprd, x->nrd + 1, sizeof *r);
	if (r == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	x->rd = r;
	r = &x->rd[x->nrd];
	memset(r, 0, sizeof *r);
	if (scratch_write(x->sc, x->buf, x->n * x->size, &r->cur) != 0)
		return spill_ioerr(e);
	r->end = r->cur + (off_t)(x->n * x->size);
	r->mark = r->cur;
	x->nrd++;
	x->n = 0;
	return 0;
}

int
spill_add(struct spill *x, const void *rec, struct err *e)
{
	if (x->n == x->per_run && spill_run(x, e) != 0)
		return -1;
	if (x->buf == NULL && (x->buf = malloc(x->per_run * x->size)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	memcpy(x->buf + x->n * x->size, rec, x->size);
	x->n++;
	return 0;
}

/* run i's current record, its buffer filled from the file when needed;
 * NULL at the run's end or (e set) when the file fails */
static const unsigned char *
rd_rec(struct spill *x, struct spill_rd *r, struct err *e)
{
	if (r->cur >= r->end)
		return NULL;
	if (r->cur < r->bstart || r->cur + (off_t)x->size > r->bstart + (off_t)r->blen) {
		size_t want = SPILL_READ / x->size * x->size;
		if ((off_t)want > r->end - r->cur)
			want = (size_t)(r->end - r->cur);
		if (r->buf == NULL && (r->buf = malloc(SPILL_READ)) == NULL) {
			err_set(e, E_STORAGE, "%s", _("out of memory"));
			return NULL;
		}
		if (scratch_read(x->sc, r->cur, r->buf, want) != 0) {
			spill_ioerr(e);
			return NULL;
		}
		r->bstart = r->cur;
		r->blen = want;
	}
	return r->buf + (r->cur - r->bstart);
}

static bool
heap_less(const void *baton, size_t a, size_t b)
{
	const struct spill *x = baton;
	return x->cmp(x->top[a], x->top[b]) < 0;
}

/* the heap built from every run's current record */
static int
heap_build(struct spill *x, struct err *e)
{
	x->nheap = 0;
	for (size_t i = 0; i < x->nrd; i++) {
		if ((x->top[i] = rd_rec(x, &x->rd[i], e)) != NULL)
			x->heap[x->nheap++] = i;
		else if (e->code != E_OK)
			return -1;
	}
	for (size_t i = x->nheap / 2; i-- > 0;)
		heap_sift_down(x->heap, x->nheap, i, heap_less, x);
	return 0;
}

int
spill_merge(struct spill *x, struct err *e)
{
	if (spill_run(x, e) != 0)
		return -1;
	free(x->buf);
	x->buf = NULL;
	if ((x->heap = calloc(x->nrd + 1, sizeof *x->heap)) == NULL ||
	    (x->top = calloc(x->nrd + 1, sizeof *x->top)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	return heap_build(x, e);
}

const void *
spill_peek(const struct spill *x)
{
	return x->nheap ? x->top[x->heap[0]] : NULL;
}

int
spill_pop(struct spill *x, struct err *e)
{
	if (x->nheap == 0)
		return 0;
	size_t i = x->heap[0];
	struct spill_rd *r = &x->rd[i];
	r->cur += (off_t)x->size;
	if ((x->top[i] = rd_rec(x, r, e)) == NULL) {
		if (e->code != E_OK)
			return -1;
		x->heap[0] = x->heap[--x->nheap];
	}
	heap_sift_down(x->heap, x->nheap, 0, heap_less, x);
	return 0;
}

void
spill_mark(struct spill *x)
{
	for (size_t i = 0; i < x->nrd; i++)
		x->rd[i].mark = x->rd[i].cur;
}

int
spill_rewind(struct spill *x, struct err *e)
{
	for (size_t i = 0; i < x->nrd; i++)
		x->rd[i].cur = x->rd[i].mark;
	return heap_build(x, e);
}

void
spill_free(struct spill *x)
{
	for (size_t i = 0; i < x->nrd; i++)
		free(x->rd[i].buf);
	free(x->rd);
	free(x->buf);
	free(x->heap);
	free(x->top);
	memset(x, 0, sizeof *x);
}
