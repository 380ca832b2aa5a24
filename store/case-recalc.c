/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * case-recalc.c — the monthly recalculation of every approved dossier
 * (SPEC 3): a new amount when a birthday or a new standard changes it,
 * audited "case.recalc" with the reason; and the end of a gradual exit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/array.h"
#include "core/base.h"
#include "core/calc.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/payment.h"
#include "store/calc.h"
#include "store/case-int.h"
#include "store/conflict.h"
#include "store/case.h"
#include "store/checklist.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/ledger.h"
#include "store/screen.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/env-int.h"

/* ---- the monthly recalculation ----------------------------------------- */

/* Why an amount changed between two calculations: a member's add-on
 * category changed with age (18, 60, 70, 80), or the standard, or else. */
static const char *
change_reason(const struct calc_record *old, const struct calc_record *now)
{
	if (old->n == 0)
		return "other";
	if (old->standard != now->standard)
		return "standard";
	if (old->members != now->members)
		return "death";
	for (int i = 0; i < now->n; i++) {
		const struct calc_member *m = &now->m[i];
		for (int k = 0; k < old->n; k++) {
			const struct calc_member *o = &old->m[k];
			if (strcmp(o->id, m->id) != 0 || !o->guaranteed || !m->guaranteed || o->cat == m->cat)
				continue;
			/* 18 ends the minor's add-on; 60, 70, 80 start or raise the elderly one */
			if (o->cat == ADDON_MINOR || m->cat == ADDON_AGE60 || m->cat == ADDON_AGE70 || m->cat == ADDON_AGE80)
				return "age";
		}
	}
	return "other";
}

struct recalc_baton {
	const struct user *actor;
	dbmonth_t month;
	struct calc_record *old, *now;
	recalc_fn fn;
	void *fbaton;
	bool changed;
	const char *reason;
	json_t *detail;
};

static int
recalc_fn_one(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct recalc_baton *b = baton;
	const char *why;
	uint32_t seq;

	b->changed = false;
	if (d->status != ST_APPROVED)
		return err_set(e, E_REFUSED, "-");
	/* gradual exit (SPEC 3): the kept amount stays untouched for the period */
	if (d->proc.gradual_exit_end != 0 && b->month <= month_of(d->proc.gradual_exit_end))
		return err_set(e, E_REFUSED, "-");
	if (case_calc(st, txn, d, b->month, b->now, &why, e) < 0)
		return -1;
	if (b->now->total == d->total)
		return err_set(e, E_REFUSED, "-"); /* nothing to write: abort quietly */
	if (d->proc.calc_seq == 0 || calc_get(st, txn, d->no, d->proc.calc_seq, b->old, e) != 0)
		memset(b->old, 0, sizeof *b->old);
	b->reason = change_reason(b->old, b->now);
	b->old->total = d->total;
	json_object_set_new(b->detail, "old_total", json_integer(d->total));
	json_object_set_new(b->detail, "total", json_integer(b->now->total));
	json_object_set_new(b->detail, "reason", json_string(b->reason));
	if (calc_store(st, txn, d->no, b->now, &seq, e) != 0)
		return -1;
	d->proc.calc_seq = seq;
	d->total = b->now->total;
	d->effective = b->month;
	json_object_set_new(b->detail, "calc_seq", json_integer(seq));
	b->changed = true;
	return 0;
}

/* The month after a gradual-exit period: the case exits with reason 收入超标
 * (an exit like `exit --reason income`, counted so by the monthly report;
 * the exit notice TBTZ follows). */
static int
gradual_end_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct recalc_baton *b = baton;
	(void)st;
	(void)txn;
	if (d->status != ST_APPROVED || d->proc.gradual_exit_end == 0 || b->month <= month_of(d->proc.gradual_exit_end))
		return err_set(e, E_REFUSED, "-");
	b->old->total = d->total;
	b->now->total = 0;
	json_object_set_new(b->detail, "reason", json_string(exit_terms[EXIT_INCOME].en));
	json_object_set_new(b->detail, "old_total", json_integer(d->total));
	json_object_set_new(b->detail, "gradual_exit", json_true());
	d->exit_reason = EXIT_INCOME;
	snprintf(d->proc.decided_by, sizeof d->proc.decided_by, "%s", b->actor->login);
	d->proc.decided = store_today();
	d->status = ST_EXITED;
	d->status_date = d->proc.decided;
	b->reason = "gradual-exit";
	return 0;
}

struct recalc_walk {
	struct store *st;
	struct recalc_baton *b;
	int changed;
	char (*nos)[DOSSIER_NO_LEN + 1];
	size_t n, cap;
	struct err *e;
};

static int
collect(const struct dossier *d, void *baton)
{
	struct recalc_walk *w = baton;
	void *p = array_grow(w->nos, &w->cap, w->n + 1, sizeof *w->nos);
	if (p == NULL)
		return 1;
	w->nos = p;
	strcpy(w->nos[w->n++], d->no);
	return 0;
}

const char *
recalc_reason_text(const char *reason)
{
	return strcmp(reason, "age") == 0 ? N_("a member's age category changed") :
	    strcmp(reason, "standard") == 0 ? N_("the standard changed") :
	    strcmp(reason, "death") == 0 ? N_("fewer living members") :
	    strcmp(reason, "gradual-exit") == 0 ? N_("the gradual-exit period ended: exit (income above the line)") : N_("other");
}

int
case_recalc(struct store *st, const struct user *actor, dbmonth_t month, recalc_fn fn, void *fbaton, int *changed, struct err *e)
{
	struct recalc_baton b = {actor, month, malloc(sizeof(struct calc_record)), malloc(sizeof(struct calc_record)),
	    fn, fbaton, false, NULL, NULL};
	struct recalc_walk w = {st, &b, 0, NULL, 0, 0, e};
	struct dossier_filter f = {.status = ST_APPROVED};
	int ret = 0;

	*changed = 0;
	if (b.old == NULL || b.now == NULL) {
		free(b.old);
		free(b.now);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	if (store_require(actor, ACT_CASE, e) != 0 || dossier_list(st, &f, collect, &w, e) != 0) {
		ret = -1;
		goto out;
	}
	/* one transaction per changed dossier: each change stands on its own */
	for (size_t i = 0; i < w.n; i++) {
		json_t *detail = json_object();
		char ms[8];
		month_format(month, ms);
		json_object_set_new(detail, "month", json_string(ms));
		b.detail = detail;
		json_t *gdetail = json_object();
		if (gdetail == NULL) {
			json_decref(detail);
			ret = err_set(e, E_STORAGE, _("out of memory"));
			goto out;
		}
		json_object_set_new(gdetail, "month", json_string(ms));
		b.detail = gdetail;
		int g = dossier_update_detail(st, actor, w.nos[i], gradual_end_fn, &b, "case.exit", gdetail, e);
		json_decref(gdetail);
		b.detail = detail;
		if (g == 0) {
			(*changed)++;
			if (fn)
				fn(w.nos[i], b.old->total, 0, b.reason, fbaton);
			json_decref(detail);
			continue;
		} else if (e->code != E_REFUSED) {
			json_decref(detail);
			ret = -1;
			goto out;
		}
		if (dossier_update_detail(st, actor, w.nos[i], recalc_fn_one, &b, "case.recalc", detail, e) == 0) {
			(*changed)++;
			if (fn)
				fn(w.nos[i], b.old->total, b.now->total, b.reason, fbaton);
		} else if (e->code != E_REFUSED) {
			json_decref(detail);
			ret = -1;
			goto out;
		}
		json_decref(detail);
	}
	err_clear(e);
out:
	free(w.nos);
	free(b.old);
	free(b.now);
	return ret;
}
