/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * due-list.c — the dossiers with something near or past due (core/due.c),
 * found through the status index: only open cases and approved ones are
 * read, never rejected or exited ones.
 */
#include "config.h"

#include <string.h>

#include "store/store-int.h"

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
};

static int
one(const struct dossier *d, void *baton)
{
	struct due_walk *w = baton;
	struct due due[DUE__N * 2];
	int n = dossier_due(d, w->today, w->p, due, DUE__N * 2);
	if (n > 0 && w->fn(d, due, n, w->baton) != 0) {
		w->stop = 1;
		return 1;
	}
	return 0;
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
		if (dossier_list(st, &f, one, &w, e) != 0)
			return -1;
	}
	return 0;
}
