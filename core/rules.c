/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rules.c — the rules R1–R13 of SPEC section 3, each a pure function of
 * the facts in struct rule_input: a code, a message naming what is wrong
 * (through the caller's translation), and whether it blocks.  A warning
 * never blocks the clerk's or the reviewer's steps; at approval only the
 * approver's written reason lets one pass (the store enforces that).
 */
#include "core/date.h"
#include "core/checklist.h"
#include "core/due.h"
#include "core/rules.h"
#include "core/base.h"
#include "core/calc.h"
#include "core/dossier-model.h"
#include "core/money.h"
#include "core/terms.h"

#include <stdio.h>
#include <string.h>

struct out {
	struct rule_result *r;
	int n, max;
	translate_fn tr;
	bool overflow;      /* a result did not fit, or a message was cut */
};

static void add(struct out *o, const char *code, bool blocking, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static int
result_vset(struct rule_result *r, const char *code, bool blocking, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static int
result_vset(struct rule_result *r, const char *code, bool blocking, const char *fmt, va_list ap)
{
	int c = snprintf(r->code, sizeof r->code, "%s", code);
	r->blocking = blocking;
	int w = vsnprintf(r->message, sizeof r->message, fmt, ap);
	if (c < 0 || (size_t)c >= sizeof r->code || w < 0 || (size_t)w >= sizeof r->message)
		return -1;
	return 0;
}

int
rule_result_set(struct rule_result *r, const char *code, bool blocking, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = result_vset(r, code, blocking, fmt, ap);
	va_end(ap);
	return rc;
}

static void
add(struct out *o, const char *code, bool blocking, const char *fmt, ...)
{
	va_list ap;
	if (o->n >= o->max) {
		o->overflow = true;
		return;
	}
	va_start(ap, fmt);
	if (result_vset(&o->r[o->n++], code, blocking, fmt, ap) != 0)
		o->overflow = true;
	va_end(ap);
}

/* The financial rules (R1–R6) decide eligibility: they are checked when the
 * case is reviewed and approved, at each periodic review, and on demand. */
static bool
financial_stage(const struct rule_input *in)
{
	return in->review || in->target == ST_REVIEWED || in->target == ST_APPROVED || in->target == ST__N;
}

static void
r1(const struct rule_input *in, struct out *o)
{
	char p[32], s[32];
	const struct calc_record *c = in->calc;
	if (c == NULL || in->d->support != SUPPORT_HOUSEHOLD || c->members == 0)
		return;
	if (c->per_capita >= c->standard) {
		money_format(c->per_capita, p);
		money_format(c->standard, s);
		add(o, "R1", true, o->tr(N_("R1: per-capita income %s yuan is not below the standard %s yuan")), p, s);
	}
}

static void
r2(const struct rule_input *in, struct out *o)
{
	const struct dossier *d = in->d;
	int members = in->calc ? in->calc->members : dossier_living(d, in->today);
	/* the standard of the month computed (SPEC 3), not today's */
	fen_t s = in->calc ? in->calc->standard : in->standard_of_month ? in->standard_of_month : in->standard;
	fen_t line = s * in->deposit_multiple * (members > 0 ? members : 1);
	char a[32], b[32];
	if (s <= 0 || d->assets.deposits <= line)
		return;
	money_format(d->assets.deposits, a);
	money_format(line, b);
	add(o, "R2", true, o->tr(N_("R2: deposits and securities %s yuan exceed the red line %s yuan (%d x standard x %d members)")),
	    a, b, in->deposit_multiple, members);
}

static void
r3_to_r6(const struct rule_input *in, struct out *o)
{
	const struct dossier *d = in->d;
	int cars = d->assets.vehicles - d->assets.production_vehicles;
	if (cars > 0)
		add(o, "R3", true, o->tr(N_("R3: the household has %d motor vehicle(s) not used for production")), cars);
	if (d->assets.houses > 1)
		add(o, "R4", false, o->tr(N_("R4: the household has %d houses")), d->assets.houses);
	for (int i = 0; i < d->n_members; i++)
		if ((d->members[i].flags & MF_STAFF) && d->members[i].death == 0)
			add(o, "R5", true, o->tr(N_("R5: member %s is government-funded staff")), d->members[i].name);
	if (d->assets.businesses > 0)
		add(o, "R6", false, o->tr(N_("R6: the household has %d registered business(es)")), d->assets.businesses);
}

/* R9 (SPEC 3): a dead member is "still in the guarantee" only where a
 * stored amount for a month after the death still counts them: the death
 * itself, recomputed from the next month, never blocks the review it
 * opens. */
static void
r9(const struct rule_input *in, struct out *o)
{
	const struct calc_record *c = in->stored;
	if (c == NULL)
		return;
	for (int i = 0; i < in->d->n_members; i++) {
		const struct member *m = &in->d->members[i];
		char dd[11], mm[8];
		if (m->death == 0 || c->month <= month_of(m->death))
			continue;
		for (int k = 0; k < c->n; k++) {
			if (strcmp(c->m[k].id, m->id) != 0 || !c->m[k].guaranteed)
				continue;
			date_format(m->death, dd);
			month_format(c->month, mm);
			add(o, "R9", true, o->tr(N_("R9: member %s died on %s and is still counted in the amount stored for %s")),
			    m->name, dd, mm);
		}
	}
}

int
rules_check(const struct rule_input *in, translate_fn tr, struct rule_result *out, int max)
{
	struct out o = {out, 0, max, tr, false};
	const struct dossier *d = in->d;
	bool decide = in->target == ST_REVIEWED || in->target == ST_APPROVED || in->target == ST__N;

	if (financial_stage(in)) {
		r1(in, &o);
		r2(in, &o);
		r3_to_r6(in, &o);
	}
	if (in->dup_id != NULL)
		add(&o, "R7", true, tr(N_("R7: the ID number %s is also in the active dossier %s")), in->dup_id,
		    in->dup_dossier ? in->dup_dossier : "");
	if (in->kin_unfiled > 0 && (decide || in->review))
		add(&o, "R8", true, tr(N_("R8: %d kin match(es) on this dossier are not filed (kin file, then confirmed by another user)")),
		    in->kin_unfiled);
	r9(in, &o);
	if (in->checklist_missing != NULL && in->checklist_missing[0] != '\0')
		add(&o, "R10", true, tr(N_("R10: the checklist is incomplete: %s")), in->checklist_missing);
	if (in->conflict != NULL)
		add(&o, "R11", true, "%s", in->conflict);
	if (d->status == ST_APPROVED && d->next_review != 0 && d->next_review < in->today) {
		char nr[11];
		date_format(d->next_review, nr);
		add(&o, "R12", false, tr(N_("R12: the periodic review was due on %s")), nr);
	}
	/* the review a death opens is a review like any (SPEC 3) */
	dbdate_t dr = d->status == ST_APPROVED && in->death_review_months > 0 ?
	    death_review_due(d, in->death_review_months) : 0;
	if (dr != 0 && dr < in->today) {
		char nr[11];
		date_format(dr, nr);
		add(&o, "R12", false, tr(N_("R12: the review after a member's death was due on %s")), nr);
	}
	/* R13 blocks approval; a periodic review keeps an approved case, and a
	 * household taken over from the roster (migrated) was never noticed
	 * in dibao at all */
	if (in->target == ST_APPROVED && !in->review) {
		char end[11];
		if (d->proc.notice_end == 0)
			add(&o, "R13", true, "%s", tr(N_("R13: the public notice has not been posted")));
		else if (in->today <= d->proc.notice_end) {
			date_format(d->proc.notice_end, end);
			add(&o, "R13", true, tr(N_("R13: the public notice runs until %s")), end);
		}
		if (in->objection_open)
			add(&o, "R13", true, "%s", tr(N_("R13: an objection raised during the notice is still open")));
	}
	return o.overflow ? -1 : o.n;
}
