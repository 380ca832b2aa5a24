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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "core/workflow.h"
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

/* ST_EVALUATED: the democratic evaluation's figures; each field named
 * with the real reason (issue 15): the front ends word the fields, not
 * their own flags */
static void
step_evaluated(struct dossier *d, const struct case_opts *o, dbdate_t today, json_t *detail, struct err *e)
{
	if (o->participants < 1) {
		err_add(e, E_REFUSED, _("democratic evaluation: participants: at least one"));
		return;
	}
	if (o->representatives < 0 || o->representatives > o->participants) {
		err_add(e, E_REFUSED, _("democratic evaluation: representatives: %d, but only %d participants (the representatives are among them)"),
		    o->representatives, o->participants);
		return;
	}
	if (o->representatives * 3 < o->participants * 2)
		err_add(e, E_REFUSED, _("democratic evaluation: residents' representatives must be at least two thirds of the participants (%d of %d)"),
		    o->representatives, o->participants);
	if (o->date > today)
		err_add(e, E_REFUSED, _("democratic evaluation: the date must not be in the future"));
	d->proc.evaluated = o->date ? o->date : today;
	d->proc.eval_participants = o->participants;
	d->proc.eval_representatives = o->representatives;
	json_object_set_new(detail, "participants", json_integer(o->participants));
	json_object_set_new(detail, "representatives", json_integer(o->representatives));
}

/* ST_NOTICED: the complaint phones must be set; the period's dates */
static int
step_noticed(struct store *st, store_txn *txn, struct dossier *d, const struct case_opts *o, dbdate_t today,
    struct err *e)
{
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
	return 0;
}

/* ST_APPROVED: separation of duties, by login and as persons */
static int
step_approved(struct store *st, store_txn *txn, const struct dossier *d, const struct user *actor, struct err *e)
{
	if (strcmp(d->proc.reviewed_by, actor->login) == 0) {
		err_add(e, E_REFUSED, _("separation of duties: %s reviewed this case and may not also approve it"), actor->login);
		return 0;
	}
	/* reviewer and approver are compared as persons (SPEC 3): by the
	 * resident ID on their accounts */
	struct user rv;
	if (actor->id[0] != '\0' && d->proc.reviewed_by[0] != '\0') {
		struct err ge;
		err_clear(&ge);
		if (user_get(st, txn, d->proc.reviewed_by, &rv, &ge) != 0) {
			if (ge.code != E_NOTFOUND) {
				*e = ge;
				return -1;
			}
		} else if (strcmp(rv.id, actor->id) == 0) {
			char masked[ID_LEN + 1];
			id_mask(actor->id, masked);
			err_add(e, E_REFUSED, _("separation of duties: %s and the reviewer %s are the same person (ID %s): one person may not review and approve one case"),
			    actor->login, rv.login, masked);
		}
	}
	return 0;
}

/* What each step needs besides the rules: refusals are added to e (0);
 * -1 only when the step cannot be judged (a storage error). */
static int
step_needs(struct store *st, store_txn *txn, struct dossier *d, const struct case_baton *b, dbdate_t today,
    struct err *e)
{
	const struct case_opts *o = b->o;

	switch (b->res->to) {
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
		step_evaluated(d, o, today, b->detail, e);
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
	case ST_NOTICED:
		return step_noticed(st, txn, d, o, today, e);
	case ST_APPROVED:
		return step_approved(st, txn, d, b->actor, e);
	default:
		break;
	}
	return 0;
}

/* The approval itself: category, next review, payment's first month and
 * the calculation adopted; the detail records the amount (and the
 * warnings approved over). */
static int
approve(struct store *st, store_txn *txn, struct dossier *d, const struct case_baton *b, bool overriding,
    dbdate_t today, struct err *e)
{
	const struct case_opts *o = b->o;
	const struct case_result *res = b->res;

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
	if (step_needs(st, txn, d, b, today, e) != 0)
		return -1;
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

	if (res->to == ST_APPROVED && approve(st, txn, d, b, overriding, today, e) != 0)
		return -1;
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
