/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * checklist-incomplete.c — the open dossiers whose checklist lacks what
 * their next stage needs (issue 15 point 8): one walk for the dashboard's
 * count, `dibao checklist incomplete` and its CSV.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/workflow.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/env-int.h"

struct inc_walk {
	struct store *st;
	struct checklist_def defs[MAX_ITEMS];
	int n;
	incomplete_fn fn;
	void *baton;
	struct err *e;
	int failed;
};

static int
inc_one(const struct dossier *d, void *baton)
{
	struct inc_walk *w = baton;
	struct err e;
	bool kin = false;
	struct checklist_facts f;
	char missing[256];
	int next = workflow_next(d->status);
	if (next < 0)
		return 0;
	err_clear(&e);
	if (kin_has_match(w->st, NULL, d->no, &kin, &e) != 0)
		kin = false;
	checklist_facts_of(d, kin, &f);
	if (checklist_missing(d, w->defs, w->n, &f, (enum status)next, WHEN_ALWAYS, 0, missing, sizeof missing) <= 0)
		return 0;
	return w->fn(d, (enum status)next, missing, w->baton);
}

int
checklist_incomplete(struct store *st, const char *village, incomplete_fn fn, void *baton, struct err *e)
{
	struct inc_walk *w = calloc(1, sizeof *w);
	if (w == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	w->st = st;
	w->fn = fn;
	w->baton = baton;
	w->e = e;
	int r = checklist_template(st, NULL, w->defs, MAX_ITEMS, &w->n, e);
	for (int s = ST_APPLIED; r == 0 && s < ST_APPROVED; s++) {
		struct dossier_filter f;
		memset(&f, 0, sizeof f);
		f.status = s;
		f.village = village;
		r = dossier_list(st, &f, inc_one, w, e);
	}
	free(w);
	return r;
}
