/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * case-rules.c — the rules of the procedure (core/rules.c) as a dossier
 * meets them in the store: the facts gathered (calculation, duplicates,
 * kin filings, checklist, conflict of interest, objections) and every
 * result, for a step, a review or an exit (case.c asks before each step;
 * the front ends show them).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/card.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/rules.h"
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

static const char *
tr(const char *msgid)
{
	return _(msgid);
}

int
case_rules(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    enum status target, bool review, enum item_when event, struct case_result *res, struct err *e)
{
	return case_rules_month(st, txn, actor, d, target, review, event, 0, res, e);
}

int
case_rules_month(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    enum status target, bool review, enum item_when event, dbmonth_t month, struct case_result *res, struct err *e)
{
	struct rule_input in;
	struct checklist_def defs[MAX_ITEMS];
	struct checklist_facts facts;
	char missing[MAX_ITEMS * (ITEM_CODE_MAX + 3) + 1], conflict[1024], dup_no[DOSSIER_NO_LEN + 1];
	const char *why;
	int64_t multiple;
	int ndefs, unfiled = 0;
	bool kin = false;

	memset(&in, 0, sizeof in);
	in.d = d;
	in.target = target;
	in.review = review;
	in.today = store_today();
	/* the calculation for the month payment would start (or continue) */
	dbmonth_t m = target == ST__N && !review ? month_of(in.today) : month_add(month_of(in.today), 1);
	if (month != 0)
		m = month;
	int r = case_calc(st, txn, d, m, &res->calc, &why, e);
	if (r < 0)
		return -1;
	res->have_calc = true;
	res->calc_why = why;
	in.calc = &res->calc;
	in.standard = res->calc.standard;
	if (setting_get_int(st, txn, "deposit.multiple", &multiple, e) != 0)
		return -1;
	in.deposit_multiple = (int)multiple;
	int64_t drm;
	if (setting_get_int(st, txn, "death.review.months", &drm, e) != 0)
		return -1;
	in.death_review_months = (int)drm;
	for (int i = 0; i < d->n_members && in.dup_id == NULL; i++) {
		int found = dossier_by_id(st, txn, d->members[i].id, d->no, dup_no, e);
		if (found < 0)
			return -1;
		if (found) {
			in.dup_id = d->members[i].id;
			in.dup_dossier = dup_no;
		}
	}
	if (kin_unfiled(st, txn, d->no, &unfiled, e) != 0 || kin_has_match(st, txn, d->no, &kin, e) != 0)
		return -1;
	in.kin_unfiled = unfiled;
	if (checklist_template(st, txn, defs, MAX_ITEMS, &ndefs, e) != 0)
		return -1;
	checklist_facts_of(d, kin, &facts);
	dbdate_t since = event == WHEN_REVIEW ? (d->proc.last_review ? d->proc.last_review : d->proc.approved) : 0;
	if (target != ST__N || event != WHEN_ALWAYS)
		checklist_missing(d, defs, ndefs, &facts, target, event, since, missing, sizeof missing);
	else
		missing[0] = '\0';
	in.checklist_missing = missing;
	r = actor ? dossier_conflict_of(st, txn, actor, d, conflict, sizeof conflict, e) : 0;
	if (r < 0)
		return -1;
	in.conflict = r ? conflict : NULL;
	/* objections are clues linked to the dossier (clue.c) */
	bool objection = false;
	if (objection_open(st, txn, d->no, &objection, e) != 0)
		return -1;
	in.objection_open = objection;
	/* R9: the amount in force */
	struct calc_record *stored = NULL;
	if (d->proc.calc_seq != 0) {
		if ((stored = malloc(sizeof *stored)) == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		if (calc_get(st, txn, d->no, d->proc.calc_seq, stored, e) != 0) {
			free(stored);
			return -1;
		}
	}
	in.stored = stored;
	/* room kept: two R14 results and the 单人保's R1 below */
	const int room = (int)(sizeof res->r / sizeof res->r[0]);
	res->n = rules_check(&in, tr, res->r, room - 3);
	free(stored);
	if (res->n < 0) {
		res->n = 0;
		return err_set(e, E_STORAGE, "%s", _("the rules' reasons did not fit their record: nothing was decided (report this)"));
	}
	/* R14 (issue 13): the subsidy card, for approval (and shown on demand) */
	if (target == ST_APPROVED || (target == ST__N && !review)) {
		char shared[DOSSIER_NO_LEN + 1];
		int s = dossier_by_account(st, txn, d->account, d->no, shared, e);
		if (s < 0)
			return -1;
		int k = r14_check(d, s ? shared : NULL, in.today, tr, res->r + res->n, 2);
		if (k < 0)
			return err_set(e, E_STORAGE, "%s", _("the rules' reasons did not fit their record: nothing was decided (report this)"));
		res->n += k;
	}
	/* a 单人保 the calculation refuses is an R1 failure too (room kept) */
	if (why != NULL && (target == ST__N || target == ST_REVIEWED || target == ST_APPROVED || review)) {
		if (rule_result_set(&res->r[res->n++], "R1", true, "R1：%s", _(why)) != 0)
			return err_set(e, E_STORAGE, "%s", _("the rules' reasons did not fit their record: nothing was decided (report this)"));
	}
	return 0;
}

