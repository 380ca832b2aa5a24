/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * calc.c — the benefit calculation (按标补差, SPEC section 3): the
 * household's income against the standard S, per member, plus the
 * classified add-on (分类施保), rounded per the setting.
 *
 * Integers only: every amount is in fen and every rate in per-mille, so
 * the record printed on the approval form can be re-checked by hand to
 * the fen.  The caller chooses S (the standard for the dossier's area and
 * the month); this file never looks anything up.
 *
 * Choices the SPEC leaves open, fixed here:
 *  - The record's `expenses` always carries the sum of rigid expenses, so
 *    the form shows what was declared; only 支出型 subtracts it from H.
 *  - H is never negative (a business loss does not raise the benefit), so
 *    P = H / living members is a plain integer division: rounded down.
 *  - A member is counted in month m unless they died before m began: the
 *    SPEC's death "removes the member from the guarantee from the next
 *    month".
 *  - Age categories are bands: 82 is 80+ only, not also 70+ and 60+, so a
 *    tie between categories never labels an 82-year-old "60+".
 *  - Only a member who receives has a category; the others show none.
 *  - 单人保 refused (nobody eligible, or P above the threshold): the record
 *    is still filled (income, H, P, members, ages) but nobody receives and
 *    the total is 0, so a caller that ignores the refusal pays nothing.
 */
#include "core/date.h"
#include "core/calc.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"

#include <string.h>

const struct term addon_terms[ADDON__N] = {
	{"无", "none"},
	{"60周岁以上老年人", "age60"},
	{"70周岁以上老年人", "age70"},
	{"80周岁以上老年人", "age80"},
	{"重度残疾人", "severe-disability"},
	{"重病患者", "serious-illness"},
	{"未成年人", "minor"},
};

void
calc_params_default(struct calc_params *p, fen_t standard, dbmonth_t from)
{
	memset(p, 0, sizeof *p);
	p->standard = standard;
	p->standard_from = from;
	p->single_threshold_permille = 1500;
	p->rounding = ROUND_YUAN_HALF_UP;
	p->addon_permille[ADDON_AGE60] = 100;
	p->addon_permille[ADDON_AGE70] = 150;
	p->addon_permille[ADDON_AGE80] = 200;
	p->addon_permille[ADDON_SEVERE_DISABILITY] = 300;
	p->addon_permille[ADDON_SERIOUS_ILLNESS] = 200;
	p->addon_permille[ADDON_MINOR] = 100;
}

/* One category's amount: a fixed sum per person where the area pays one,
 * else the rate of S rounded half up to the fen. */
static fen_t
addon_amount(const struct calc_params *p, enum addon_cat c)
{
	if (p->addon_fixed[c] > 0)
		return p->addon_fixed[c];
	return money_mul_div_half_up(p->standard, p->addon_permille[c], 1000);
}

/*
 * The category giving the highest amount among those that apply; a tie
 * goes to the lower enum value, which is why the loop takes only a
 * strictly higher amount.  A category that applies but pays 0 (rate set
 * to 0) is still named, so the form shows why the person was considered.
 */
static enum addon_cat
addon_best(const struct calc_params *p, const struct member *mb, int age, fen_t *amount)
{
	bool applies[ADDON__N] = {false};
	enum addon_cat best = ADDON_NONE;
	fen_t best_amount = 0;

	if (age >= 80)
		applies[ADDON_AGE80] = true;
	else if (age >= 70)
		applies[ADDON_AGE70] = true;
	else if (age >= 60)
		applies[ADDON_AGE60] = true;
	applies[ADDON_SEVERE_DISABILITY] = member_severely_disabled(mb);
	applies[ADDON_SERIOUS_ILLNESS] = mb->health == HEALTH_SERIOUS;
	applies[ADDON_MINOR] = age < 18;

	for (int c = ADDON_NONE + 1; c < ADDON__N; c++) {
		fen_t a;

		if (!applies[c])
			continue;
		a = addon_amount(p, (enum addon_cat)c);
		if (best == ADDON_NONE || a > best_amount) {
			best = (enum addon_cat)c;
			best_amount = a;
		}
	}
	*amount = best_amount;
	return best;
}

static fen_t
max0(fen_t v)
{
	return v > 0 ? v : 0;
}

int
calc_dossier(const struct dossier *d, dbmonth_t m, const struct calc_params *p,
    struct calc_record *out, const char **why)
{
	/* A corrupt count must not walk off the arrays. */
	int nm = d->n_members < 0 ? 0 : d->n_members > MAX_MEMBERS ? MAX_MEMBERS : d->n_members;
	int ni = d->n_incomes < 0 ? 0 : d->n_incomes > MAX_INCOMES ? MAX_INCOMES : d->n_incomes;
	int ne = d->n_expenses < 0 ? 0 : d->n_expenses > MAX_EXPENSES ? MAX_EXPENSES : d->n_expenses;
	int receiver = -1;
	const char *refused = NULL;

	memset(out, 0, sizeof *out);
	if (month_last_day(m) == 0) {
		*why = N_("month: must be written YYYY-MM");
		return -1;
	}
	out->month = m;
	out->standard = p->standard;
	out->standard_from = p->standard_from;
	out->support = d->support;
	out->poverty = d->poverty;
	out->threshold_permille = p->single_threshold_permille;
	out->rounding = p->rounding;

	for (int i = 0; i < ni; i++) {
		/* income the rules exclude is recorded but not counted */
		if (income_excluded(d->incomes[i].kind))
			out->excluded += d->incomes[i].amount;
		else
			out->income += d->incomes[i].amount;
	}
	for (int i = 0; i < ne; i++)
		out->expenses += d->expenses[i].amount;
	out->household_income = max0(d->poverty == POVERTY_EXPENSE ?
	    out->income - out->expenses : out->income);

	out->n = nm;
	for (int i = 0; i < nm; i++) {
		const struct member *mb = &d->members[i];
		struct calc_member *cm = &out->m[i];

		memcpy(cm->id, mb->id, sizeof cm->id);
		cm->id[ID_LEN] = '\0';
		/* Died in month m: still counted for m, out from m+1. */
		cm->living = mb->death == 0 || month_of(mb->death) >= m;
		cm->age = month_age(mb->birth, m);
		cm->cat = ADDON_NONE;
		for (int j = 0; j < ni; j++)
			if (mb->id[0] != '\0' && strcmp(d->incomes[j].member_id, mb->id) == 0 &&
			    !income_excluded(d->incomes[j].kind))
				cm->own_income += d->incomes[j].amount;
		if (cm->living)
			out->members++;
	}
	if (out->members == 0)
		return 0;       /* the household exits with reason 死亡 elsewhere */
	out->per_capita = out->household_income / out->members;

	/* Who receives: 整户保 everyone in the guarantee; 单人保 one person. */
	for (int i = 0; i < nm; i++) {
		const struct member *mb = &d->members[i];
		struct calc_member *cm = &out->m[i];
		bool in_guarantee = cm->living && !(mb->flags & MF_NOT_GUARANTEED);

		if (d->support != SUPPORT_SINGLE) {
			cm->guaranteed = in_guarantee;
			continue;
		}
		if (receiver < 0 && in_guarantee &&
		    (member_severely_disabled(mb) || mb->health == HEALTH_SERIOUS))
			receiver = i;
	}
	if (d->support == SUPPORT_SINGLE) {
		if (receiver < 0)
			refused = N_("single-person guarantee: no living member in the guarantee is severely disabled or seriously ill");
		/* Exact in integers: P <= threshold/1000 x S without dividing. */
		else if (out->per_capita * 1000 > (fen_t)p->single_threshold_permille * p->standard)
			refused = N_("single-person guarantee: the household's per-capita income is above the threshold");
		else
			out->m[receiver].guaranteed = true;
	}

	for (int i = 0; i < nm; i++) {
		struct calc_member *cm = &out->m[i];

		if (!cm->guaranteed)
			continue;
		cm->base = d->support == SUPPORT_SINGLE ?
		    max0(p->standard - cm->own_income) : max0(p->standard - out->per_capita);
		cm->cat = addon_best(p, &d->members[i], cm->age, &cm->addon);
		out->guaranteed++;
		out->base += cm->base;
		out->addons += cm->addon;
	}
	out->unrounded = out->base + out->addons;
	out->total = money_round(out->unrounded, p->rounding);
	if (refused != NULL) {
		*why = refused;
		return -1;
	}
	return 0;
}
