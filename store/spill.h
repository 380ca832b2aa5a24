/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/spill.h — an external sort of records of one size, its runs in a
 * scratch file (spill.c); memory bounded whatever the number of records.
 */
#ifndef DIBAO_STORE_SPILL_H
#define DIBAO_STORE_SPILL_H

#include <stddef.h>

#include "store/err.h"
#include "store/scratch.h"

struct spill_rd;
struct spill {
	struct scratch *sc;
	size_t size, per_run;      /* bytes a record; records a run */
	int (*cmp)(const void *, const void *);
	unsigned char *buf;        /* the run being gathered */
	size_t n;
	struct spill_rd *rd;       /* the runs, each with its reader */
	size_t nrd, caprd;
	size_t *heap;              /* the merge: runs by their current record */
	const unsigned char **top;
	size_t nheap;
};
/* x empty, sorting by cmp; sc the scratch file (open) its runs go to.  The
 * records a run are bounded (2 MB), or DIBAO_SPILL_RUN's number if lower
 * (tests drive many runs with it; the order is the same). */
void spill_init(struct spill *x, struct scratch *sc, size_t size, int (*cmp)(const void *, const void *));
int spill_add(struct spill *x, const void *rec, struct err *e);
/* No more records: the merge starts.  0, or -1 with e */
int spill_merge(struct spill *x, struct err *e);
/* The merge's least record (NULL at the end); spill_pop takes it: 0, or
 * -1 with e when the file fails */
const void *spill_peek(const struct spill *x);
int spill_pop(struct spill *x, struct err *e);
/* The merge's place kept, and gone back to (the records again from there) */
void spill_mark(struct spill *x);
int spill_rewind(struct spill *x, struct err *e);
void spill_free(struct spill *x);

#endif
