/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * case.c — the case procedure (SPEC section 3) on stored dossiers: advance
 * to the next stage, reject, periodic review, exit, a new head after a
 * death.  Each step checks the role, gathers the facts the rules need
 * (calculation, duplicates, kin filings, checklist, conflict of interest,
 * notice), refuses with every blocking reason, and otherwise records who
 * did what in the dossier and the audit chain — one transaction.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/core.h"
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

/* Put every blocking reason into e; with warnings_block, the warnings too
 * (approval without the approver's written reason).  Returns -1 if any. */
static int
refuse_if_blocked(const struct case_result *res, bool warnings_block, struct err *e)
{
	int blocked = 0, warned = 0;
	err_clear(e);
	for (int i = 0; i < res->n; i++) {
		if (res->r[i].blocking || warnings_block) {
			err_add(e, E_REFUSED, "%s", res->r[i].message);
			blocked++;
			warned += !res->r[i].blocking;
		}
	}
	if (warned)
		err_add(e, E_REFUSED, "%s", _("warnings can be passed only by the approver with a written reason for passing them"));
	return blocked ? -1 : 0;
}

static int
user_active(struct store *st, store_txn *txn, const char *login, struct err *e)
{
	struct user u;
	if (user_get(st, txn, login, &u, e) != 0) {
		if (e->code == E_NOTFOUND)
			err_set(e, E_REFUSED, _("surveyors: no user %s"), login);
		return -1;
	}
	if (u.disabled)
		return err_set(e, E_REFUSED, _("surveyors: user %s is disabled"), login);
	return 0;
}

static int
set_surveyors(struct store *st, store_txn *txn, struct dossier *d, const char *list, struct err *e)
{
	char a[USER_MAX_BYTES], b[USER_MAX_BYTES];
	const char *comma = list ? strchr(list, ',') : NULL;
	size_t n1;

	if (list == NULL || comma == NULL || strchr(comma + 1, ',') != NULL)
		return err_set(e, E_REFUSED, _("surveyors: the household survey is done by two different staff members"));
	n1 = (size_t)(comma - list);
	if (n1 == 0 || n1 >= sizeof a || strlen(comma + 1) == 0 || strlen(comma + 1) >= sizeof b)
		return err_set(e, E_REFUSED, _("surveyors: two user names separated by a comma"));
	memcpy(a, list, n1);
	a[n1] = '\0';
	strcpy(b, comma + 1);
	if (strcmp(a, b) == 0)
		return err_set(e, E_REFUSED, _("surveyors: two different staff are needed"));
	if (user_active(st, txn, a, e) != 0 || user_active(st, txn, b, e) != 0)
		return -1;
	strcpy(d->proc.surveyors[0], a);
	strcpy(d->proc.surveyors[1], b);
	return 0;
}

struct case_baton {
	const struct user *actor;
	const struct case_opts *o;
	struct case_result *res;
	json_t *detail;
};

/* Store the calculation and make it the dossier's approved amount. */
static int
adopt_calc(struct store *st, store_txn *txn, struct dossier *d, const struct calc_record *c, struct err *e)
{
	uint32_t seq;
	if (calc_store(st, txn, d->no, c, &seq, e) != 0)
		return -1;
	d->proc.calc_seq = seq;
	d->total = c->total;
	return 0;
}

static int
next_review_of(struct store *st, store_txn *txn, char category, dbdate_t from, dbdate_t *out, struct err *e)
{
	char key[32];
	int64_t months;
	snprintf(key, sizeof key, "review.months.%c", category);
	if (setting_get_int(st, txn, key, &months, e) != 0)
		return -1;
	*out = date_add_months(from, (int)months);
	return 0;
}

static int
advance_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct case_baton *b = baton;
	const struct case_opts *o = b->o;
	struct case_result *res = b->res;
	dbdate_t today = store_today();
	int next = workflow_next(d->status);
	const char *why;

	res->from = d->status;
	res->old_total = d->total;
	if (next < 0)
		return err_set(e, E_REFUSED, _("dossier %s is %s: there is no next stage"), d->no, status_terms[d->status].zh);
	res->to = (enum status)next;
	if (store_require(b->actor, workflow_action(res->to), e) != 0)
		return -1;
	if (o->note && text_check(o->note, TEXT_NOTE - 1, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
	if (case_rules(st, txn, b->actor, d, res->to, false, WHEN_ALWAYS, res, e) != 0)
		return -1;
	err_clear(e);

	/* what each step needs besides the rules */
	switch (res->to) {
	case ST_SURVEYED:
		if (set_surveyors(st, txn, d, o->surveyors, e) != 0) {
			if (e->code == E_STORAGE)
				return -1;
			break;
		}
		d->proc.surveyed = today;
		json_object_set_new(b->detail, "surveyors", json_pack("[s,s]", d->proc.surveyors[0], d->proc.surveyors[1]));
		break;
	case ST_EVALUATED:
		/* each field named with the real reason (issue 15): the front
		 * ends word the fields, not their own flags */
		if (o->participants < 1) {
			err_add(e, E_REFUSED, _("democratic evaluation: participants: at least one"));
			break;
		}
		if (o->representatives < 0 || o->representatives > o->participants) {
			err_add(e, E_REFUSED, _("democratic evaluation: representatives: %d, but only %d participants (the representatives are among them)"),
			    o->representatives, o->participants);
			break;
		}
		if (o->representatives * 3 < o->participants * 2)
			err_add(e, E_REFUSED, _("democratic evaluation: residents' representatives must be at least two thirds of the participants (%d of %d)"),
			    o->representatives, o->participants);
		if (o->date > today)
			err_add(e, E_REFUSED, _("democratic evaluation: the date must not be in the future"));
		d->proc.evaluated = o->date ? o->date : today;
		d->proc.eval_participants = o->participants;
		d->proc.eval_representatives = o->representatives;
		json_object_set_new(b->detail, "participants", json_integer(o->participants));
		json_object_set_new(b->detail, "representatives", json_integer(o->representatives));
		break;
	case ST_ACCEPTED:
		d->proc.accepted = today;
		break;
	case ST_VERIFIED:
		d->proc.verified = today;
		break;
	case ST_REVIEWED:
		snprintf(d->proc.reviewed_by, sizeof d->proc.reviewed_by, "%s", b->actor->login);
		d->proc.reviewed = today;
		break;
	case ST_NOTICED: {
		int64_t days;
		char pt[TEXT_SHORT], pc[TEXT_SHORT];
		if (notice_phones_required(st, txn, pt, pc, sizeof pt, e) != 0 ||
		    setting_get_int(st, txn, "notice.days", &days, e) != 0)
			return -1;
		/* integrity (SPEC 3): never in the future, never before the
		 * day the case was reviewed; the period runs from the day
		 * after posting: posted on D, days N, it runs D+1 .. D+N */
		dbdate_t start = o->date ? o->date : today;
		char ds[11], rs[11];
		date_format(start, ds);
		if (start > today)
			err_add(e, E_REFUSED, _("notice date: %s is in the future"), ds);
		if (d->proc.reviewed != 0 && start < d->proc.reviewed) {
			date_format(d->proc.reviewed, rs);
			err_add(e, E_REFUSED, _("notice date: %s is before the case was reviewed (%s): the earliest allowed date is %s"),
			    ds, rs, rs);
		}
		d->proc.notice_start = start;
		d->proc.notice_end = notice_last_day(start, (int)days);
		break;
	}
	case ST_APPROVED: {
		if (strcmp(d->proc.reviewed_by, b->actor->login) == 0) {
			err_add(e, E_REFUSED, _("separation of duties: %s reviewed this case and may not also approve it"), b->actor->login);
			break;
		}
		/* reviewer and approver are compared as persons (SPEC 3): by the
		 * resident ID on their accounts */
		struct user rv;
		if (b->actor->id[0] != '\0' && d->proc.reviewed_by[0] != '\0') {
			struct err ge;
			err_clear(&ge);
			if (user_get(st, txn, d->proc.reviewed_by, &rv, &ge) != 0) {
				if (ge.code != E_NOTFOUND) {
					*e = ge;
					return -1;
				}
			} else if (strcmp(rv.id, b->actor->id) == 0) {
				char masked[ID_LEN + 1];
				id_mask(b->actor->id, masked);
				err_add(e, E_REFUSED, _("separation of duties: %s and the reviewer %s are the same person (ID %s): one person may not review and approve one case"),
				    b->actor->login, rv.login, masked);
			}
		}
		break;
	}
	default:
		break;
	}
	bool overriding = res->to == ST_APPROVED && o->override && o->override[0];
	if (overriding && text_set(d->proc.override, sizeof d->proc.override, o->override, &why) != 0)
		return err_set(e, E_REFUSED, _("approval: the reason for approving over the warnings: %s"), _(why));
	if (e->code != E_OK) {
		/* the step's own reasons first, then every rule */
		struct err rules;
		if (refuse_if_blocked(res, res->to == ST_APPROVED && !overriding, &rules) != 0)
			err_add(e, E_REFUSED, "%s", rules.msg);
		return -1;
	}
	if (refuse_if_blocked(res, res->to == ST_APPROVED && !overriding, e) != 0)
		return -1;

	if (res->to == ST_APPROVED) {
		d->proc.approved = today;
		snprintf(d->proc.approved_by, sizeof d->proc.approved_by, "%s", b->actor->login);
		d->category = o->category ? o->category : workflow_category(d, today);
		if (next_review_of(st, txn, d->category, today, &d->next_review, e) != 0)
			return -1;
		d->effective = month_add(month_of(today), 1); /* payment starts the month after approval */
		if (adopt_calc(st, txn, d, &res->calc, e) != 0)
			return -1;
		json_object_set_new(b->detail, "total", json_integer(d->total));
		json_object_set_new(b->detail, "category", json_stringn(&d->category, 1));
		/* the monthly report counts additions from the chain */
		json_object_set_new(b->detail, "calc_seq", json_integer(d->proc.calc_seq));
		json_object_set_new(b->detail, "persons", json_integer(res->calc.guaranteed));
		if (overriding) {
			json_t *w = json_array();
			for (int i = 0; i < res->n; i++)
				if (!res->r[i].blocking)
					json_array_append_new(w, json_string(res->r[i].code));
			json_object_set_new(b->detail, "override", json_string(o->override));
			json_object_set_new(b->detail, "warnings", w);
		}
	}
	d->status = res->to;
	d->status_date = today;
	json_object_set_new(b->detail, "from", json_string(status_terms[res->from].en));
	json_object_set_new(b->detail, "to", json_string(status_terms[res->to].en));
	return 0;
}

static int
run(struct store *st, const struct user *actor, const char *no, dossier_edit_fn fn, const char *action,
    const struct case_opts *o, struct case_result *res, struct err *e)
{
	static const struct case_opts none;
	struct case_baton b = {actor, o ? o : &none, res, json_object()};
	int ret;

	memset(res, 0, sizeof *res);
	if (o && o->note)
		json_object_set_new(b.detail, "note", json_string(o->note));
	/* fn fills the detail; it is encoded inside the transaction body */
	ret = dossier_update_detail(st, actor, no, fn, &b, action, b.detail, e);
	json_decref(b.detail);
	return ret;
}

int
case_advance(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e)
{
	return run(st, actor, no, advance_fn, "case.advance", o, res, e);
}

/* The same step inside the caller's transaction: posting a village's
 * notice moves every dossier or none. */
int
case_advance_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    const struct case_opts *o, struct case_result *res, struct err *e)
{
	static const struct case_opts none;
	struct case_baton b = {actor, o ? o : &none, res, json_object()};
	int ret;

	memset(res, 0, sizeof *res);
	if (b.detail == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (o && o->note)
		json_object_set_new(b.detail, "note", json_string(o->note));
	ret = dossier_update_txn(st, txn, actor, no, advance_fn, &b, "case.advance", b.detail, e);
	json_decref(b.detail);
	return ret;
}

static int
reject_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct case_baton *b = baton;
	const char *why;
	int act = workflow_reject_action(d->status);

	b->res->from = d->status;
	b->res->to = ST_REJECTED;
	if (act < 0)
		return err_set(e, E_REFUSED, _("dossier %s is %s: only a case before approval can be rejected"),
		    d->no, status_terms[d->status].zh);
	if (store_require(b->actor, act, e) != 0)
		return -1;
	if (b->o->note == NULL || b->o->note[0] == '\0')
		return err_set(e, E_REFUSED, _("reason: a rejection needs a reason; the applicant is told it in writing"));
	if (text_set(d->proc.reason, sizeof d->proc.reason, b->o->note, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("reason"), _(why));
	char conflict[512];
	int r = dossier_conflict_of(st, txn, b->actor, d, conflict, sizeof conflict, e);
	if (r < 0)
		return -1;
	if (r)
		return err_set(e, E_REFUSED, "%s", conflict);
	snprintf(d->proc.decided_by, sizeof d->proc.decided_by, "%s", b->actor->login);
	d->proc.decided = store_today();
	d->status = ST_REJECTED;
	d->status_date = d->proc.decided;
	json_object_set_new(b->detail, "from", json_string(status_terms[b->res->from].en));
	json_object_set_new(b->detail, "reason", json_string(d->proc.reason));
	return 0;
}

int
case_reject(struct store *st, const struct user *actor, const char *no, const char *reason,
    struct case_result *res, struct err *e)
{
	struct case_opts o = {.note = reason};
	return run(st, actor, no, reject_fn, "case.reject", &o, res, e);
}

static int
review_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct case_baton *b = baton;
	const struct case_opts *o = b->o;
	struct case_result *res = b->res;
	dbdate_t today = store_today();

	res->from = res->to = d->status;
	res->old_total = d->total;
	if (d->status != ST_APPROVED)
		return err_set(e, E_REFUSED, _("dossier %s is %s: only an approved case is reviewed"), d->no, status_terms[d->status].zh);
	if (store_require(b->actor, ACT_CASE, e) != 0)
		return -1;
	if (case_rules(st, txn, b->actor, d, ST_APPROVED, true, WHEN_REVIEW, res, e) != 0)
		return -1;
	/* the income rose above the line through work: keep the amount for
	 * the gradual-exit period instead of refusing on R1 */
	if (o->gradual_exit) {
		/* SPEC 3: granted at a review whose recomputation shows P >= S; the
		 * period starts the month after the review; the case exits the
		 * month after it ends */
		int64_t months;
		char p[32], s[32], ge[11];
		if (setting_get_int(st, txn, "gradual.exit.months", &months, e) != 0)
			return -1;
		if (months == 0)
			return err_set(e, E_REFUSED, _("gradual exit: switched off in the settings (gradual.exit.months = 0)"));
		if (d->proc.gradual_exit_end != 0 && d->proc.gradual_exit_end >= today)
			return err_set(e, E_REFUSED, _("gradual exit: already granted, until %s"), date_format(d->proc.gradual_exit_end, ge));
		if (res->calc.members == 0 || res->calc.per_capita < res->calc.standard)
			return err_set(e, E_REFUSED, _("gradual exit: the household's income is not above the line (per-capita %s yuan, standard %s yuan)"),
			    money_format(res->calc.per_capita, p), money_format(res->calc.standard, s));
		for (int i = 0; i < res->n; i++)
			if (strcmp(res->r[i].code, "R1") == 0)
				res->r[i].blocking = false;
		dbmonth_t last = month_add(month_of(today), (int)months);
		d->proc.gradual_exit_end = date_add_days((dbdate_t)month_add(last, 1) * 100 + 1, -1);
		res->gradual_last = last;
		char lm[8];
		month_format(last, lm);
		json_object_set_new(b->detail, "gradual_exit_until", json_string(lm));
	}
	if (refuse_if_blocked(res, false, e) != 0) {
		err_add(e, E_REFUSED, "%s", _("(if the household no longer qualifies: exit the guarantee, or review with a gradual exit)"));
		return -1;
	}
	if (o->category)
		d->category = o->category;
	if (!o->gradual_exit && res->calc.total != d->total) {
		if (adopt_calc(st, txn, d, &res->calc, e) != 0)
			return -1;
		d->effective = month_add(month_of(today), 1);
	} else if (o->gradual_exit || d->proc.calc_seq == 0) {
		/* record what the review computed, keep the amount */
		uint32_t seq;
		if (calc_store(st, txn, d->no, &res->calc, &seq, e) != 0)
			return -1;
	}
	d->proc.last_review = today;
	if (next_review_of(st, txn, d->category ? d->category : 'B', today, &d->next_review, e) != 0)
		return -1;
	json_object_set_new(b->detail, "old_total", json_integer(res->old_total));
	json_object_set_new(b->detail, "total", json_integer(d->total));
	json_object_set_new(b->detail, "calc_seq", json_integer(d->proc.calc_seq));
	json_object_set_new(b->detail, "result", json_string(o->gradual_exit ? "gradual-exit" :
	    d->total != res->old_total ? "amount-changed" : "unchanged"));
	return 0;
}

int
case_review(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e)
{
	return run(st, actor, no, review_fn, "case.review", o, res, e);
}

static int
exit_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct case_baton *b = baton;
	const struct case_opts *o = b->o;
	struct case_result *res = b->res;
	const char *why;

	res->from = d->status;
	res->to = ST_EXITED;
	res->old_total = d->total;
	if (d->status != ST_APPROVED)
		return err_set(e, E_REFUSED, _("dossier %s is %s: only an approved case exits (reject an open one)"),
		    d->no, status_terms[d->status].zh);
	if (store_require(b->actor, ACT_CASE, e) != 0)
		return -1;
	if (o->exit_reason <= EXIT_NONE || o->exit_reason >= EXIT__N)
		return err_set(e, E_REFUSED, _("reason: one of income, death, moved, voluntary, violation, other"));
	if (o->exit_reason == EXIT_DEATH && dossier_living(d, store_today()) > 0)
		return err_set(e, E_REFUSED, _("reason: members of this household are alive; record each death (member death) instead"));
	if (case_rules(st, txn, b->actor, d, ST_EXITED, false, WHEN_EXIT, res, e) != 0)
		return -1;
	/* only the exit's own document and the operator's standing matter here */
	int keep = 0;
	for (int i = 0; i < res->n; i++)
		if (strcmp(res->r[i].code, "R10") == 0 || strcmp(res->r[i].code, "R11") == 0)
			res->r[keep++] = res->r[i];
	res->n = keep;
	if (refuse_if_blocked(res, false, e) != 0)
		return -1;
	if (o->note && text_set(d->proc.reason, sizeof d->proc.reason, o->note, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
	d->exit_reason = o->exit_reason;
	snprintf(d->proc.decided_by, sizeof d->proc.decided_by, "%s", b->actor->login);
	d->proc.decided = store_today();
	d->status = ST_EXITED;
	d->status_date = d->proc.decided;
	json_object_set_new(b->detail, "reason", json_string(exit_terms[o->exit_reason].en));
	json_object_set_new(b->detail, "old_total", json_integer(res->old_total));
	return 0;
}

int
case_exit(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e)
{
	return run(st, actor, no, exit_fn, "case.exit", o, res, e);
}

static int
head_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct case_baton *b = baton;
	const char *id = b->o->note;
	int k = -1;

	if (store_require(b->actor, ACT_CASE, e) != 0)
		return -1;
	for (int i = 0; i < d->n_members; i++)
		if (strcmp(d->members[i].id, id) == 0)
			k = i;
	if (k < 0)
		return err_set(e, E_NOTFOUND, _("member: %s is not a member of dossier %s"), id, d->no);
	if (d->members[k].death != 0)
		return err_set(e, E_REFUSED, _("head: %s has died; name a living member"), d->members[k].name);
	if (k == d->head)
		return err_set(e, E_REFUSED, _("head: %s is already the head"), d->members[k].name);
	json_object_set_new(b->detail, "old_head", json_string(d->members[d->head].id));
	json_object_set_new(b->detail, "new_head", json_string(id));
	/* the old head stays, in history, as a member related as "other" */
	d->members[d->head].relation = REL_OTHER;
	d->members[k].relation = REL_SELF;
	d->head = k;
	return 0;
}

int
member_set_head(struct store *st, const struct user *actor, const char *no, const char *id, struct err *e)
{
	struct case_opts o = {.note = id};
	struct case_result res;
	return run(st, actor, no, head_fn, "member.head", &o, &res, e);
}

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
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		void *p = realloc(w->nos, cap * sizeof *w->nos);
		if (p == NULL)
			return 1;
		w->nos = p;
		w->cap = cap;
	}
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
