/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * due.c — deadlines and due dates of SPEC section 3: survey and check
 * within 3 working days of acceptance, a decision within 20, the end of the
 * public notice, periodic reviews, the review due within 3 months of a
 * death, the end of a gradual exit.  What is near or past is listed
 * wherever a clerk looks.
 */
#include "core/date.h"
#include "core/workflow.h"
#include "core/due.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/terms.h"

const struct term due_terms[DUE__N] = {
	{"调查核对启动期限", "start"}, {"审批办结期限", "decide"}, {"公示期满", "notice"},
	{"定期复核", "review"}, {"死亡后复核", "death-review"}, {"渐退期满", "gradual-exit"},
	{"不予批准书面告知期限", "refusal"},
};

static void
put(struct due *out, int max, int *n, enum due_kind k, dbdate_t date, bool past)
{
	if (*n < max)
		out[(*n)++] = (struct due){k, date, past};
}

/* a working-day deadline: past after it, near within near_days of it */
static void
deadline(struct due *out, int max, int *n, enum due_kind k, dbdate_t from, int days,
    dbdate_t today, const struct due_params *p)
{
	dbdate_t dl = workdays_add(from, days, p->holidays);
	if (dl == 0)
		return;
	if (today > dl)
		put(out, max, n, k, dl, true);
	else if (workdays_add(today, p->near_days, p->holidays) >= dl)
		put(out, max, n, k, dl, false);
}

int
dossier_due(const struct dossier *d, dbdate_t today, const struct due_params *p, struct due *out, int max)
{
	int n = 0;
	const struct procedure *pr = &d->proc;

	if (d->status == ST_ACCEPTED && pr->accepted)
		deadline(out, max, &n, DUE_START, pr->accepted, p->start_days, today, p);
	if (d->status >= ST_ACCEPTED && d->status <= ST_NOTICED && pr->accepted)
		deadline(out, max, &n, DUE_DECIDE, pr->accepted, p->decide_days, today, p);
	if (d->status == ST_NOTICED && pr->notice_end && date_add_days(today, 2) >= pr->notice_end)
		put(out, max, &n, DUE_NOTICE, pr->notice_end, today > pr->notice_end);
	if (d->status != ST_APPROVED)
		return n;
	if (d->next_review && date_add_days(today, p->review_ahead_days) >= d->next_review)
		put(out, max, &n, DUE_REVIEW, d->next_review, today > d->next_review);
	dbdate_t due = death_review_due(d, p->death_review_months);
	if (due)
		put(out, max, &n, DUE_DEATH_REVIEW, due, today > due);
	/* flagged a month ahead (SPEC 3): the exit and its notice follow */
	if (pr->gradual_exit_end && date_add_months(today, 1) >= pr->gradual_exit_end)
		put(out, max, &n, DUE_GRADUAL, pr->gradual_exit_end, today > pr->gradual_exit_end);
	return n;
}

dbdate_t
death_review_due(const struct dossier *d, int death_review_months)
{
	const struct procedure *pr = &d->proc;
	dbdate_t since = pr->last_review > pr->approved ? pr->last_review : pr->approved;
	dbdate_t death = 0;
	for (int i = 0; i < d->n_members; i++)
		if (d->members[i].death > since && d->members[i].death > death)
			death = d->members[i].death;
	return death ? date_add_months(death, death_review_months) : 0;
}

int
refusal_due(const struct dossier *d, dbdate_t today, const struct due_params *p, bool printed, struct due *out)
{
	int n = 0;
	if (d->status != ST_REJECTED || printed || d->proc.decided == 0 || p->refusal_days <= 0)
		return 0;
	deadline(out, 1, &n, DUE_REFUSAL, d->proc.decided, p->refusal_days, today, p);
	return n;
}
