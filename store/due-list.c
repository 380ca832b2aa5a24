/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * due-list.c — the dossiers with something near or past due (core/due.c),
 * found through the status index: only open cases are read through it, the
 * approved ones (most of a township) in one walk of the dossiers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/due.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/due.h"
#include "store/env.h"
#include "store/err.h"
#include "store/prints.h"
#include "store/settings.h"
#include "core/array.h"
#include "store/env-int.h"

int
due_params_load(struct store *st, store_txn *txn, struct due_params *p, char *holidays, size_t size, struct err *e)
{
	int64_t v;
	memset(p, 0, sizeof *p);
	if (setting_get_int(st, txn, "deadline.start.days", &v, e) != 0)
		return -1;
	p->start_days = (int)v;
	if (setting_get_int(st, txn, "deadline.decide.days", &v, e) != 0)
		return -1;
	p->decide_days = (int)v;
	if (setting_get_int(st, txn, "deadline.near.days", &v, e) != 0)
		return -1;
	p->near_days = (int)v;
	if (setting_get_int(st, txn, "death.review.months", &v, e) != 0)
		return -1;
	p->death_review_months = (int)v;
	if (setting_get_int(st, txn, "deadline.refusal.days", &v, e) != 0)
		return -1;
	p->refusal_days = (int)v;
	if (setting_get(st, txn, "holidays", holidays, size, e) != 0)
		return -1;
	p->holidays = holidays;
	p->review_ahead_days = 30;
	return 0;
}

struct due_walk {
	const struct due_params *p;
	dbdate_t today;
	due_fn fn;
	void *baton;
	int stop;
	int only;               /* a status the walk lets through; -1: any */
};

static int
one(const struct dossier *d, void *baton)
{
	struct due_walk *w = baton;
	struct due due[DUE__N * 2];
	if (w->only >= 0 && (int)d->status != w->only)
		return 0;
	int n = dossier_due(d, w->today, w->p, due, DUE__N * 2);
	if (n > 0 && w->fn(d, due, n, w->baton) != 0) {
		w->stop = 1;
		return 1;
	}
	return 0;
}

/* integrity (i12): rejected cases whose written refusal (form "refusal")
 * was never printed: the prints are read once */
struct refused {
	char (*v)[DOSSIER_NO_LEN + 1];
	size_t n, cap;
	bool oom;
};

static int
refusal_printed_fn(const struct prints_entry *p, void *baton)
{
	struct refused *r = baton;
	if (strcmp(p->form, "refusal") != 0 || p->dossier[0] == '\0')
		return 0;
	void *nv = array_grow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	if (nv == NULL) {
		r->oom = true;
		return 1;
	}
	r->v = nv;
	snprintf(r->v[r->n++], DOSSIER_NO_LEN + 1, "%s", p->dossier);
	return 0;
}

static int
cmp_no(const void *a, const void *b)
{
	return strcmp(a, b);
}

struct refusal_walk {
	struct due_walk *w;
	struct refused *printed;
};

static int
refusal_one(const struct dossier *d, void *baton)
{
	struct refusal_walk *rw = baton;
	struct due due;
	bool printed = rw->printed->n > 0 &&
	    bsearch(d->no, rw->printed->v, rw->printed->n, sizeof *rw->printed->v, cmp_no) != NULL;
	if (refusal_due(d, rw->w->today, rw->w->p, printed, &due) > 0 && rw->w->fn(d, &due, 1, rw->w->baton) != 0) {
		rw->w->stop = 1;
		return 1;
	}
	return 0;
}

static int
refusals_due(struct store *st, struct due_walk *w, struct err *e)
{
	struct refused printed = {0};
	struct refusal_walk rw = {w, &printed};
	struct dossier_filter f = {.status = ST_REJECTED};
	int ret = 0;

	if (prints_list(st, refusal_printed_fn, &printed, e) != 0)
		ret = -1;
	else if (printed.oom)
		ret = err_set(e, E_STORAGE, _("out of memory"));
	if (ret == 0) {
		if (printed.n > 1)
			qsort(printed.v, printed.n, sizeof *printed.v, cmp_no);
		ret = dossier_list(st, &f, refusal_one, &rw, e);
	}
	free(printed.v);
	return ret;
}

int
dossier_list_due(struct store *st, due_fn fn, void *baton, struct err *e)
{
	struct due_params p;
	char holidays[TEXT_LONG];
	struct due_walk w = {.p = &p, .today = store_today(), .fn = fn, .baton = baton};
	static const enum status open[] = {ST_ACCEPTED, ST_SURVEYED, ST_VERIFIED, ST_EVALUATED,
	    ST_REVIEWED, ST_NOTICED, ST_APPROVED};

	if (due_params_load(st, NULL, &p, holidays, sizeof holidays, e) != 0)
		return -1;
	for (size_t i = 0; i < sizeof open / sizeof open[0] && !w.stop; i++) {
		struct dossier_filter f = {.status = open[i]};
		/* the approved, most of the township: one walk of the dossiers in
		 * number order (the order the status index gives) rather than a
		 * lookup from the root for each entry of the index */
		w.only = open[i] == ST_APPROVED ? ST_APPROVED : -1;
		if (open[i] == ST_APPROVED)
			f.status = -1;
		if (dossier_list(st, &f, one, &w, e) != 0)
			return -1;
	}
	if (!w.stop && refusals_due(st, &w, e) != 0)
		return -1;
	return 0;
}
