/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo-household.c — one household of the demo township (demo.h), made
 * step by step: where it lives, its members, the case's status, deaths,
 * the support type, finances, assets and card, information checks and
 * the approval.  The steps draw from one random stream in this fixed
 * order, so a (seed, index) always gives the same household.
 */
#include "core/date.h"
#include "core/money.h"
#include "core/demo-int.h"
#include "core/base.h"
#include "core/demo.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"

#include <stdio.h>
#include <string.h>

/* A household in the making: what the steps share. */
struct hh {
	struct demo_rng *r;          /* this household's own stream */
	const struct demo_rng *rs;   /* the township's (the card draws from it) */
	int index;
	dbdate_t today;
	struct dossier *d;
	bool urban;
	fen_t s;                     /* the standard of its area */
	fen_t p;                     /* its per-capita income (finances) */
	char surname[8];
	int head_age;
	/* the relatives so far */
	bool has_spouse;
	int parents;
	char parent_sex;
};

/* Village, group, address and phone. */
static void
hh_place(struct hh *hh, fen_t std_urban, fen_t std_rural)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	const char *g;
	int vi, ng;

	vi = weighted(r, demo_village_weight, N(demo_village_weight));
	hh->urban = strstr(demo_villages[vi][0], "社区") != NULL;
	d->area = hh->urban ? AREA_URBAN : AREA_RURAL;
	hh->s = hh->urban ? std_urban : std_rural;
	snprintf(d->village, sizeof d->village, "%s", demo_villages[vi][0]);
	/* a group of the village: the ng-th of its comma-separated list */
	g = demo_villages[vi][1];
	ng = 1;
	for (const char *c = g; *c != '\0'; c++)
		ng += *c == ',';
	for (int k = (int)demo_next(r, (uint32_t)ng); k > 0; k--)
		g += strcspn(g, ",") + 1;
	snprintf(d->group, sizeof d->group, "%.*s", (int)strcspn(g, ","), g);
	if (hh->urban)
		snprintf(d->address, sizeof d->address, "%s%s%d栋%d0%d室", d->village, d->group,
		    rnd(r, 1, 30), rnd(r, 1, 6), rnd(r, 1, 4));
	else
		snprintf(d->address, sizeof d->address, "%s%s%d号", d->village, d->group, rnd(r, 1, 80));
	snprintf(d->phone, sizeof d->phone, "1%d%d%04u%04u", rnd(r, 3, 9), rnd(r, 0, 9),
	    demo_next(r, 10000), demo_next(r, 10000));
}

/* The head: age band, surname, sex and birth. */
static void
hh_head(struct hh *hh)
{
	static const int head_age_w[] = {18, 30, 32, 20};
	static const int head_age_lo[] = {29, 45, 60, 75};
	static const int head_age_hi[] = {44, 59, 74, 86};
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	int band = weighted(r, head_age_w, N(head_age_w));
	struct member *m = &d->members[0];

	hh->head_age = rnd(r, head_age_lo[band], head_age_hi[band]);
	snprintf(hh->surname, sizeof hh->surname, "%s", PICK(r, demo_surnames));
	m->relation = REL_SELF;
	m->sex = chance(r, 62, 100) ? 'M' : 'F';
	/* ±4 years keeps every relative's age range 8 years wide */
	m->birth = demo_pick_birth(r, demo_slot_of(hh->index, 0), hh->head_age - 4, hh->head_age + 4, hh->today);
	hh->head_age = date_age_on(m->birth, hh->today);
	d->n_members = 1;
}

/* A relative of kind rel (spouse, child, parent, grandchild, sibling,
 * grandparent, other): relation, sex and the age range that fits. */
static void
relative(struct hh *hh, struct member *m, int rel, int *lo_out, int *hi_out)
{
	struct demo_rng *r = hh->r;
	const struct member *hd = &hh->d->members[0];
	int head_age = hh->head_age, lo, hi;

	switch (rel) {
	case 0:
		m->relation = REL_SPOUSE;
		m->sex = hd->sex == 'M' ? 'F' : 'M';
		lo = head_age - 8 < 20 ? 20 : head_age - 8;
		hi = head_age + 8;
		hh->has_spouse = true;
		break;
	case 1:
		m->sex = chance(r, 1, 2) ? 'M' : 'F';
		m->relation = m->sex == 'M' ? REL_SON : REL_DAUGHTER;
		lo = head_age - 40;
		hi = head_age - 20;
		break;
	case 2:
		m->relation = REL_PARENT;
		/* father and mother, never two of one */
		m->sex = hh->parents == 1 ? (hh->parent_sex == 'M' ? 'F' : 'M') :
		    chance(r, 60, 100) ? 'F' : 'M';
		hh->parent_sex = m->sex;
		lo = head_age + 20;
		hi = head_age + 40 > 100 ? 100 : head_age + 40;
		hh->parents++;
		break;
	case 3:
		m->relation = REL_GRANDCHILD;
		m->sex = chance(r, 1, 2) ? 'M' : 'F';
		lo = 0;
		hi = head_age - 42 > 17 ? 17 : head_age - 42;
		if (hi < 8)
			hi = 8;
		break;
	case 4:
		m->relation = REL_SIBLING;
		m->sex = chance(r, 1, 2) ? 'M' : 'F';
		lo = head_age - 10 < 18 ? 18 : head_age - 10;
		hi = head_age + 10;
		break;
	case 5:
		m->relation = REL_GRANDPARENT;
		m->sex = chance(r, 70, 100) ? 'F' : 'M';
		lo = head_age + 40;
		hi = head_age + 60 > 100 ? 100 : head_age + 60;
		break;
	default:
		m->relation = REL_OTHER;
		m->sex = chance(r, 1, 2) ? 'M' : 'F';
		lo = 18;
		hi = 80;
		break;
	}
	*lo_out = lo;
	*hi_out = hi;
}

/* The members after the head, up to size, whose ages fit. */
static void
hh_relatives(struct hh *hh, int size)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	int head_age = hh->head_age, index = hh->index;
	dbdate_t today = hh->today;

	while (d->n_members < size) {
		int pos = d->n_members;
		struct member *m = &d->members[pos];
		int lo, hi, rel;
		/* spouse, child, parent, grandchild, sibling, grandparent, other */
		int w[7] = {0, 0, 0, 0, 3, 0, 1};

		if (!hh->has_spouse && head_age < 85)
			w[0] = pos == 1 ? 70 : 30;
		if (head_age >= 27)
			w[1] = 50;
		if (head_age <= 62 && hh->parents < 2)
			w[2] = 15;
		if (head_age >= 50)
			w[3] = 25;
		if (head_age <= 40)
			w[5] = 2;
		rel = weighted(r, w, 7);
		relative(hh, m, rel, &lo, &hi);
		m->birth = demo_pick_birth(r, demo_slot_of(index, pos), lo, hi, today);
		d->n_members++;
	}
}

/* Names, ID numbers and conditions, once every age is known. */
static void
hh_names(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;

	for (int i = 0; i < d->n_members; i++) {
		struct member *m = &d->members[i];
		const char *sn = hh->surname;
		int age = date_age_on(m->birth, today);

		/* Wives keep their own surnames; so do the head's parents-in-law,
		 * siblings' spouses and the like. */
		if (m->relation == REL_SPOUSE || m->relation == REL_OTHER ||
		    (m->relation == REL_PARENT && m->sex == 'F') ||
		    (m->relation == REL_GRANDPARENT && m->sex == 'F'))
			sn = demo_other_surname(r, hh->surname);
		/* no two members of one household share a name: father and
		 * son both called 姜洋 would confuse every list */
		for (int tries = 0; tries < 8; tries++) {
			bool dup = false;

			demo_make_name(r, m->name, sizeof m->name, sn, m->sex);
			for (int j = 0; j < i; j++)
				dup |= strcmp(d->members[j].name, m->name) == 0;
			if (!dup)
				break;
		}
		/* Most were born in the county; spouses often married in. */
		demo_make_id(m, chance(r, m->relation == REL_SPOUSE ? 70 : 90, 100) ? demo_regions[0] : PICK(r, demo_regions),
		    demo_slot_of(hh->index, i));
		demo_make_condition(r, m, age, hh->urban);
	}
}

/* The case: status and its dates. */
static void
hh_status(struct hh *hh)
{
	/* APPLIED … NOTICED, APPROVED, REJECTED, EXITED; per mille */
	static const int status_w[ST__N] = {22, 22, 21, 21, 21, 21, 22, 700, 80, 70};
	static const int exit_w[EXIT__N] = {0, 35, 15, 15, 15, 10, 10};
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;
	int32_t span;

	d->status = (enum status)weighted(r, status_w, ST__N);
	switch (d->status) {
	case ST_APPROVED:
		d->applied = date_add_days(today, -rnd(r, 30, 3 * 365));
		d->status_date = date_add_days(d->applied, rnd(r, 10, 28));
		break;
	case ST_REJECTED:
		d->applied = date_add_days(today, -rnd(r, 5, 3 * 365));
		d->status_date = date_add_days(d->applied, rnd(r, 2, 25));
		break;
	case ST_EXITED:
		d->applied = date_add_days(today, -rnd(r, 200, 3 * 365));
		span = date_to_days(today) - date_to_days(d->applied);
		d->status_date = date_add_days(d->applied, rnd(r, 60, (int)span));
		d->exit_reason = (enum exit_reason)weighted(r, exit_w, EXIT__N);
		break;
	default:
		/* Cases in progress are recent: old ones would all be past
		 * their deadlines. */
		d->applied = date_add_days(today, -rnd(r, (int)d->status * 2, 20 + (int)d->status * 3));
		span = date_to_days(today) - date_to_days(d->applied);
		d->status_date = date_add_days(d->applied, d->status == ST_APPLIED ? 0 :
		    rnd(r, (int)span / 2, (int)span));
		break;
	}
	if (d->status_date > today)
		d->status_date = today;
}

/* Deaths: recorded, never deleted; the head stays alive except in a
 * household that exited because nobody is left. */
static void
hh_deaths(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;

	if (d->exit_reason == EXIT_DEATH) {
		for (int i = 0; i < d->n_members; i++)
			demo_make_death(r, &d->members[i], d->applied, d->status_date);
	} else {
		for (int i = 1; i < d->n_members; i++) {
			struct member *m = &d->members[i];
			int age = date_age_on(m->birth, today);

			if (age >= 18 && chance(r, age >= 60 ? 110 : 25, 1000)) {
				demo_make_death(r, m, date_add_days(today, -3 * 365), date_add_days(today, -1));
				/* Most are taken out of the guarantee; the rest are
				 * the R9 cases a review must catch. */
				if (chance(r, 80, 100))
					m->flags |= MF_NOT_GUARANTEED;
			}
		}
	}
}

/* Support type: 单人保 needs a severely disabled or seriously ill
 * member, the others are recorded but not guaranteed. */
static void
hh_support(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;

	if (d->n_members > 1 && chance(r, 5, 100)) {
		int who = rnd(r, 0, d->n_members - 1);
		struct member *m = &d->members[who];

		if (m->death == 0) {
			if (!member_severely_disabled(m) && m->health != HEALTH_SERIOUS) {
				m->health = HEALTH_SERIOUS;
				snprintf(m->illness, sizeof m->illness, "%s", PICK(r, demo_serious_illness));
				if (m->labour == LABOUR_FULL)
					m->labour = LABOUR_PARTIAL;
			}
			d->support = SUPPORT_SINGLE;
			for (int i = 0; i < d->n_members; i++)
				if (i != who)
					d->members[i].flags |= MF_NOT_GUARANTEED;
		}
	}
}

/* Finances: per-capita income around the line. */
static void
hh_finances(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;
	fen_t s = hh->s, h, pct;
	int n;

	n = dossier_living(d, today);
	if (n == 0)
		n = d->n_members;
	if (d->status == ST_REJECTED ? chance(r, 60, 100) :
	    d->exit_reason == EXIT_INCOME ? true : chance(r, 11, 100))
		pct = rnd(r, 100, 160);
	else if (chance(r, 20, 100))
		pct = rnd(r, 0, 29);
	else
		pct = rnd(r, 30, 99);
	hh->p = s * pct / 100;
	h = hh->p * n + rnd(r, 0, n - 1);   /* P = H / n rounds down to p */
	if (chance(r, 20, 100)) {
		/* 支出型: the gross income is higher, medical, school and care
		 * bills bring it down to h. */
		static const char *const notes[EXP__N] = {
			"住院自付费用", "学费及住宿费", "护理费", "其他刚性支出",
		};
		int k = rnd(r, 1, 3);
		fen_t sum = 0;

		d->poverty = POVERTY_EXPENSE;
		for (int i = 0; i < k; i++) {
			enum expense_kind ek = (enum expense_kind)(i == 0 ? EXP_MEDICAL : rnd(r, EXP_EDUCATION, EXP_OTHER));
			fen_t a = rnd(r, 200, 1500) * (fen_t)100;

			demo_add_expense(d, ek, a, notes[ek]);
			sum += a;
		}
		h += sum;
	}
	demo_make_incomes(r, d, h, today, hh->urban);
}

/* Assets, the bank account and the subsidy card, flags. */
static void
hh_assets(struct hh *hh)
{
	static const int house_w[] = {10, 80, 10};
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	fen_t s = hh->s;

	if (chance(r, 3, 100))
		d->assets.deposits = 50 * s * d->n_members + rnd(r, 1, 50000) * (fen_t)100;
	else if (chance(r, 40, 100))
		d->assets.deposits = 0;
	else
		d->assets.deposits = (fen_t)rnd(r, 1, 3 * (int)(s / 100) * d->n_members) * 100;
	if (chance(r, 2, 100))
		d->assets.vehicles = 1;
	if (chance(r, 5, 100)) {
		d->assets.vehicles += 1;
		d->assets.production_vehicles = 1;
	}
	d->assets.houses = weighted(r, house_w, N(house_w));
	if (chance(r, 2, 100))
		d->assets.businesses = 1;

	struct demo_rng before_card = *r;   /* issue 13: the card below */
	if (chance(r, 25, 100)) {
		int len = rnd(r, 16, 19);

		snprintf(d->bank, sizeof d->bank, "%s", PICK(r, demo_banks));
		d->account[0] = (char)('1' + demo_next(r, 9));
		for (int i = 1; i < len; i++)
			d->account[i] = (char)('0' + demo_next(r, 10));
		d->account[len] = '\0';
	}
	demo_card(hh->rs, &before_card, hh->index, d);

	if (chance(r, 5, 100))
		d->flags |= DF_REGISTERED_POOR;
	if (chance(r, 2, 100))
		d->flags |= DF_EXTREME_POVERTY;
}

/* Information checks, recorded once the case reached them. */
static void
hh_checks(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;

	if (d->status >= ST_VERIFIED && !(d->status == ST_REJECTED && chance(r, 1, 2))) {
		dbdate_t on = d->status == ST_VERIFIED ? d->status_date :
		    date_add_days(d->applied, rnd(r, 2, 6));

		if (on > today)
			on = today;
		for (int a = 0; a < AG__N && d->n_checks < MAX_CHECKS; a++) {
			struct info_check *c = &d->checks[d->n_checks++];

			c->agency = (enum check_agency)a;
			c->date = on;
			snprintf(c->recorded_by, sizeof c->recorded_by, "demo");
			if (a == AG_VEHICLE && d->assets.vehicles > 0)
				snprintf(c->result, sizeof c->result, "登记机动车%d辆", d->assets.vehicles);
			else if (a == AG_HOUSING && d->assets.houses > 1)
				snprintf(c->result, sizeof c->result, "登记房产%d套", d->assets.houses);
			else if (a == AG_BUSINESS && d->assets.businesses > 0)
				snprintf(c->result, sizeof c->result, "有登记个体工商户");
			else
				snprintf(c->result, sizeof c->result, "未见异常");
		}
	}
}

/* Approval: category, amount, payment month, next review. */
static void
hh_approval(struct hh *hh)
{
	struct demo_rng *r = hh->r;
	struct dossier *d = hh->d;
	dbdate_t today = hh->today;
	fen_t s = hh->s;

	if (d->status == ST_APPROVED || d->status == ST_EXITED) {
		bool any_able = false, all_frail = true;
		fen_t total = 0, pu = hh->p;
		int months;

		for (int i = 0; i < d->n_members; i++) {
			const struct member *m = &d->members[i];
			int age = date_age_on(m->birth, today);

			if (!demo_living_on(m, today) && d->exit_reason != EXIT_DEATH)
				continue;
			if (m->labour == LABOUR_FULL)
				any_able = true;
			if (!(m->labour == LABOUR_NONE && (age >= 60 || member_severely_disabled(m))))
				all_frail = false;
		}
		d->category = any_able ? 'C' : all_frail ? 'A' : 'B';

		/* An approved household now above the line was below it when
		 * approved: the amount reflects its income then. */
		if (pu >= s)
			pu = s * rnd(r, 50, 90) / 100;
		for (int i = 0; i < d->n_members; i++) {
			const struct member *m = &d->members[i];

			if ((m->flags & MF_NOT_GUARANTEED) ||
			    (m->death != 0 && m->death <= d->status_date && d->status == ST_APPROVED))
				continue;
			total += (d->support == SUPPORT_SINGLE ? s : s - pu) +
			    money_mul_div_half_up(s, demo_addon_pct(m, date_age_on(m->birth, today)), 100);
		}
		d->total = money_round(total, ROUND_YUAN_HALF_UP);

		months = d->category == 'A' ? 12 : d->category == 'B' ? 6 : 3;
		if (d->status == ST_APPROVED) {
			int k = 1;

			d->effective = month_add(month_of(d->status_date), 1);
			/* Reviews since approval were done on time, so the next
			 * one is the first due date still ahead; about 8% are
			 * one period behind (R12). */
			while (date_add_months(d->status_date, k * months) < today)
				k++;
			if (k > 1 && chance(r, 8, 100))
				k--;
			d->next_review = date_add_months(d->status_date, k * months);
		} else {
			dbdate_t approved = date_add_days(d->applied, rnd(r, 10, 28));

			d->effective = month_add(month_of(approved), 1);
		}
	}
}

void
demo_household(struct demo_rng *rs, int index, dbdate_t today, fen_t std_urban,
    fen_t std_rural, struct dossier *d)
{
	static const int size_w[] = {18, 24, 22, 16, 12, 8};
	struct demo_rng rr;
	struct hh hh = {.r = &rr, .rs = rs, .index = index, .today = today, .d = d};

	/* Household index depends on the seed and the index only, never on
	 * how many households came before: a loader can make any range, in
	 * any order or in parallel, and get the same township. */
	rr.s = mix64(rs->s ^ mix64((uint64_t)(uint32_t)index + 0x632be59bd9b4e019ULL));

	dossier_init(d);
	hh_place(&hh, std_urban, std_rural);
	/* members: the head first, then relatives whose ages fit */
	int size = 1 + weighted(&rr, size_w, N(size_w));
	hh_head(&hh);
	hh_relatives(&hh, size);
	hh_names(&hh);
	hh_status(&hh);
	hh_deaths(&hh);
	hh_support(&hh);
	hh_finances(&hh);
	hh_assets(&hh);
	hh_checks(&hh);
	hh_approval(&hh);
}
