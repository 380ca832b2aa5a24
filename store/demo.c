/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo.c — loading the synthetic township of core/demo.c: villages,
 * standards and users for trying it out, then N households in batches of
 * a few hundred per transaction (a spinning disk commits ~60 synced
 * transactions a second; one per household would take half an hour).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/demo.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/workflow.h"
#include "store/calc.h"
#include "store/bulk-index.h"
#include "store/demo.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"
#include "store/env-int.h"

#define DEMO_BATCH 200
/* the generator's home county (core/demo.c regions[0]) */
#define DEMO_HOME_REGION "330106"
/* households per township in one county with distinct ID numbers: the
 * generator's numbers are unique over 243,332 indexes, 48 × 5,000 */
#define DEMO_INDEX_SPAN 5000
#define DEMO_TOWNSHIPS 48

struct batch {
	const struct user *actor;
	/* the load's order (demo_order): the k-th household written is
	 * order[k], generated from the generator's state before it, at[] */
	const uint32_t *order;
	const uint64_t *at;
	int from, to;
	dbdate_t today;
	fen_t std_urban, std_rural;
	struct dossier *d;
	const char *users[4];   /* clerk, clerk, reviewer, approver of the demo */
	struct calc_record *calc;
	/* this township's own: its region code (the first six digits of its
	 * code), the offset of its household indexes (ID numbers then differ
	 * between the demo townships of one county), and each demo village's
	 * groups as stored (a village added before the demo keeps its own) */
	char region[7];
	int index_base;
	char groups[16][TEXT_MEDIUM];
	/* the calculation settings of the months met so far, per area: read
	 * once, not once per household (they do not change during the load) */
	struct demo_params {
		enum area area;
		dbmonth_t month;
		struct calc_params p;
	} params[64];
	int n_params;
};

/* The generator's ID numbers of the home county take this township's
 * region code (the rest of the number, unique per slot, is kept). */
static void
demo_region(struct dossier *d, const char *region)
{
	for (int i = 0; i < d->n_members; i++) {
		char *id = d->members[i].id;
		if (strlen(id) != 18 || strncmp(id, DEMO_HOME_REGION, 6) != 0)
			continue;
		memcpy(id, region, 6);
		id[17] = id_check_char(id);
	}
	/* the card's holder (issue 13) is a member's ID number, or an outsider
	 * of the same county: rewritten alike, or the head would no longer
	 * hold the card and nearly every household would be held (R14) */
	if (strlen(d->holder) == 18 && strncmp(d->holder, DEMO_HOME_REGION, 6) == 0) {
		memcpy(d->holder, region, 6);
		d->holder[17] = id_check_char(d->holder);
	}
}

/* The household's group as one of its village's stored groups (the
 * generator's k-th group, wrapped), its address following. */
static void
demo_group(struct dossier *d, const struct batch *b)
{
	int vi = -1, k = 0, n = 1;
	for (int i = 0; demo_villages[i][0] != NULL && i < 16; i++)
		if (strcmp(demo_villages[i][0], d->village) == 0)
			vi = i;
	if (vi < 0 || b->groups[vi][0] == '\0')
		return;
	/* the index of the generated group in the generator's list */
	const char *g = demo_villages[vi][1];
	for (int i = 0; *g; i++) {
		size_t len = strcspn(g, ",");
		if (len == strlen(d->group) && strncmp(g, d->group, len) == 0)
			k = i;
		g += len + (g[len] == ',');
	}
	const char *s = b->groups[vi];
	for (const char *c = s; *c; c++)
		n += *c == ',';
	for (k %= n; k > 0; k--)
		s += strcspn(s, ",") + 1;
	char old[TEXT_SHORT];
	snprintf(old, sizeof old, "%s", d->group);
	snprintf(d->group, sizeof d->group, "%.*s", (int)strcspn(s, ","), s);
	/* the address begins with village and group */
	size_t pre = strlen(d->village) + strlen(old);
	if (strncmp(d->address, d->village, strlen(d->village)) == 0 && strlen(d->address) >= pre) {
		char rest[TEXT_MEDIUM];
		snprintf(rest, sizeof rest, "%s", d->address + pre);
		snprintf(d->address, sizeof d->address, "%s%s%s", d->village, d->group, rest);
	}
}

/* The procedure's record of a demo household, consistent with its status
 * and dates: who accepted, surveyed, reviewed and approved it, the notice,
 * and the checklist documents each stage needed.  Derived, not random, so
 * the same seed gives the same township. */
static void
demo_procedure(struct dossier *d, const char *const users[4])
{
	struct procedure *p = &d->proc;
	dbdate_t a = d->applied, end = d->status_date;
	enum status reached = d->status;

	if (d->status == ST_REJECTED || d->status == ST_EXITED)
		reached = d->status == ST_EXITED ? ST_APPROVED : (enum status)(ST_APPLIED + (d->no[19] - '0') % 5);
	memset(p, 0, sizeof *p);
	d->n_items = 0;
	if (reached >= ST_ACCEPTED)
		p->accepted = date_add_days(a, 1) < end ? date_add_days(a, 1) : end;
	if (reached >= ST_SURVEYED) {
		snprintf(p->surveyors[0], sizeof p->surveyors[0], "%s", users[0]);
		snprintf(p->surveyors[1], sizeof p->surveyors[1], "%s", users[1]);
		p->surveyed = p->accepted;
	}
	if (reached >= ST_VERIFIED)
		p->verified = p->surveyed;
	if (reached >= ST_EVALUATED) {
		p->evaluated = p->verified;
		p->eval_participants = 9;
		p->eval_representatives = 7;
	}
	if (reached >= ST_REVIEWED) {
		snprintf(p->reviewed_by, sizeof p->reviewed_by, "%s", users[2]);
		p->reviewed = p->evaluated;
	}
	if (reached >= ST_NOTICED) {
		p->notice_start = p->reviewed;
		p->notice_end = notice_last_day(p->notice_start, 7);
	}
	if (reached >= ST_APPROVED) {
		snprintf(p->approved_by, sizeof p->approved_by, "%s", users[3]);
		p->approved = d->status == ST_APPROVED ? end : date_add_days(p->notice_end, 1);
	}
	if (d->status == ST_REJECTED || d->status == ST_EXITED) {
		snprintf(p->decided_by, sizeof p->decided_by, "%s", d->status == ST_REJECTED ? users[2] : users[0]);
		p->decided = end;
		snprintf(p->reason, sizeof p->reason, "%s", d->status == ST_REJECTED ?
		    "家庭人均收入高于当地保障标准" : exit_terms[d->exit_reason].zh);
	}
	/* the documents of every stage reached, received the day it was entered */
	for (int i = 0; i < n_checklist_defaults && d->n_items < MAX_ITEMS; i++) {
		const struct checklist_def *def = &checklist_defaults[i];
		if (def->when == WHEN_REVIEW || def->when == WHEN_EXIT || def->when == WHEN_KIN || def->stage > reached)
			continue;
		struct check_item *it = &d->items[d->n_items++];
		memset(it, 0, sizeof *it);
		snprintf(it->code, sizeof it->code, "%s", def->code);
		it->received = p->accepted ? p->accepted : a;
		snprintf(it->received_by, sizeof it->received_by, "%s", users[0]);
		it->is_signed = def->needs_sign;
		it->stamped = def->needs_stamp;
	}
}

/* An approved (or once approved) demo household's amount is what the
 * calculation gives for the month after its approval, stored as the real
 * procedure stores it; a household the calculation refuses keeps the
 * generator's amount, as a case migrated with its old figure would. */
static const struct calc_params *
demo_params(struct store *st, store_txn *txn, struct batch *b, enum area area, dbmonth_t m, struct err *e)
{
	int i;

	for (i = 0; i < b->n_params; i++)
		if (b->params[i].area == area && b->params[i].month == m)
			return &b->params[i].p;
	if (b->n_params == (int)(sizeof b->params / sizeof b->params[0]))
		b->n_params = 0;	/* more months than slots: start over */
	i = b->n_params;
	if (calc_params_load(st, txn, area, m, &b->params[i].p, e) != 0)
		return NULL;
	b->params[i].area = area;
	b->params[i].month = m;
	b->n_params++;
	return &b->params[i].p;
}

static int
demo_amount(struct store *st, store_txn *txn, struct batch *b, struct dossier *d, struct calc_record *c,
    struct err *e)
{
	const struct calc_params *p;
	const char *why;
	uint32_t seq;

	if (d->proc.approved == 0)
		return 0;
	dbmonth_t m = month_add(month_of(d->proc.approved), 1);
	/* what case_calc does, with the settings read once */
	if ((p = demo_params(st, txn, b, d->area, m, e)) == NULL)
		return -1;
	int r = calc_dossier(d, m, p, c, &why);
	if ((r != 0 || c->total == 0) && d->status == ST_APPROVED) {
		/* a household in the guarantee has the calculation its approval
		 * form and its payment need: the generator put its income or
		 * assets over the line, so it has none (as a household whose
		 * earner fell ill has) */
		d->n_incomes = 0;
		memset(&d->assets, 0, sizeof d->assets);
		r = calc_dossier(d, m, p, c, &why);
	}
	if (r != 0 || c->total == 0)
		return 0;
	if (calc_store(st, txn, d->no, c, &seq, e) != 0)
		return -1;
	d->proc.calc_seq = seq;
	d->total = c->total;
	d->effective = m;
	return 0;
}

static int
batch_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct batch *b = baton;

	/* a retried batch generates the same households: each from its state */
	for (int k = b->from; k < b->to; k++) {
		int i = (int)b->order[k];
		struct demo_rng rng = {b->at[i]};
		demo_household(&rng, b->index_base + i, b->today, b->std_urban, b->std_rural, b->d);
		demo_region(b->d, b->region);
		demo_group(b->d, b);
		b->d->no[0] = '\0';
		if (dossier_next_no(st, txn, date_year(b->d->applied ? b->d->applied : b->today), b->d->no, e) != 0)
			return -1;
		demo_procedure(b->d, b->users);
		if (demo_amount(st, txn, b, b->d, b->calc, e) != 0 ||
		    dossier_bulk_put(st, txn, b->actor, b->d, "demo.load", e) != 0)
			return -1;
	}
	return 0;
}

static int
ensure_setup(struct store *st, const struct user *actor, struct batch *b, fen_t *urban, fen_t *rural, struct err *e)
{
	dbdate_t today = b->today;
	char code[TEXT_SHORT];

	if (setting_get(st, NULL, "township.code", code, sizeof code, e) != 0)
		return -1;
	memcpy(b->region, strlen(code) >= 6 ? code : DEMO_HOME_REGION, 6);
	b->region[6] = '\0';
	/* township 001 of a county from index 0, 002 from 5,000, … */
	int tn = strlen(code) > 6 ? atoi(code + 6) : 1;
	b->index_base = ((tn > 0 ? tn - 1 : 0) % DEMO_TOWNSHIPS) * DEMO_INDEX_SPAN;
	for (int i = 0; demo_villages[i][0] != NULL; i++) {
		struct village v;
		if (village_resolve(st, NULL, demo_villages[i][0], &v, e) == 0) {
			if (i < 16)
				snprintf(b->groups[i], sizeof b->groups[i], "%s", v.groups);
			continue;
		}
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", demo_villages[i][0]);
		snprintf(v.groups, sizeof v.groups, "%s", demo_villages[i][1]);
		if (village_add(st, actor, &v, e) != 0)
			return -1;
	}
	/* the staff the demo's procedure records name; their accounts are
	 * locked until an admin gives them passwords (dibao user passwd) */
	static const struct { const char *login, *name; enum role role; } staff[] = {
		{"demo-clerk1", "演示经办人甲", ROLE_CLERK}, {"demo-clerk2", "演示经办人乙", ROLE_CLERK},
		{"demo-reviewer", "演示审核人", ROLE_REVIEWER}, {"demo-approver", "演示审批人", ROLE_APPROVER},
	};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
		struct user u;
		if (user_get(st, NULL, staff[i].login, &u, e) == 0)
			continue;
		memset(&u, 0, sizeof u);
		snprintf(u.login, sizeof u.login, "%s", staff[i].login);
		snprintf(u.name, sizeof u.name, "%s", staff[i].name);
		u.role = staff[i].role;
		if (user_add(st, actor, &u, NULL, e) != 0)
			return -1;
	}
	/* standards of the last four years, rising each January as they do, so
	 * every demo approval is computed with the standard of its month; a
	 * year that has a standard in force keeps it */
	for (int k = 3; k >= 0; k--) {
		dbmonth_t from = month_of(date_make(date_year(today) - k, 1, 1));
		fen_t have;
		if (standard_get(st, NULL, AREA_URBAN, from, &have, NULL, e) != 0 &&
		    standard_set(st, actor, AREA_URBAN, from, 80000 - k * 4000, e) != 0)
			return -1;
		if (standard_get(st, NULL, AREA_RURAL, from, &have, NULL, e) != 0 &&
		    standard_set(st, actor, AREA_RURAL, from, 65000 - k * 3000, e) != 0)
			return -1;
	}
	/* the notice's complaint phones: a demo township posts notices */
	static const char *const phones[2][2] = {{"phone.township", "0571-87000000"}, {"phone.county", "12345"}};
	for (int i = 0; i < 2; i++) {
		char have[TEXT_SHORT];
		if (setting_get(st, NULL, phones[i][0], have, sizeof have, e) != 0)
			return -1;
		if (have[0] == '\0' && setting_set(st, actor, phones[i][0], phones[i][1], e) != 0)
			return -1;
	}
	if (standard_get(st, NULL, AREA_URBAN, month_of(today), urban, NULL, e) != 0 ||
	    standard_get(st, NULL, AREA_RURAL, month_of(today), rural, NULL, e) != 0)
		return -1;
	err_clear(e);
	return 0;
}

/* The order of the load (issue 17): a dossier's number runs within the
 * year it was applied for (DB-2025-…), and the generator mixes the years.
 * Written in the generator's order, every year but the last grows in the
 * middle of dossiers.db, where Berkeley DB splits a full page in halves:
 * the file was 57% full (249 MB at 100,000 households), and every whole-
 * township read decrypted the empty half.  Written year by year, each
 * year's numbers are appended at the end, where a split leaves the left
 * page full.  The households, their numbers and their contents are the
 * generator's, as before: one pass notes each household's year and the
 * generator's state before it (8 bytes each), and the load generates each
 * again from its state.  order[] (n entries) is the households by year,
 * the generator's order within a year; at[] their states. */
static int
u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

static int
demo_order(uint64_t seed, int n, const struct batch *b, uint32_t **order, uint64_t **at)
{
	struct demo_rng rng;
	/* year and index of each household, sorted */
	uint64_t *yi = malloc((size_t)n * sizeof *yi);

	*order = malloc((size_t)n * sizeof **order);
	*at = malloc((size_t)n * sizeof **at);
	if (yi == NULL || *order == NULL || *at == NULL) {
		free(yi);
		free(*order);
		free(*at);
		*order = NULL;
		*at = NULL;
		return -1;
	}
	demo_seed(&rng, seed);
	for (int i = 0; i < n; i++) {
		(*at)[i] = rng.s;
		demo_household(&rng, b->index_base + i, b->today, b->std_urban, b->std_rural, b->d);
		int y = date_year(b->d->applied ? b->d->applied : b->today);
		yi[i] = (uint64_t)(uint32_t)y << 32 | (uint32_t)i;
	}
	qsort(yi, (size_t)n, sizeof *yi, u64_cmp);
	for (int k = 0; k < n; k++)
		(*order)[k] = (uint32_t)yi[k];
	free(yi);
	return 0;
}

int
demo_load(struct store *st, const struct user *actor, int households, uint64_t seed,
    void (*progress)(int done, int total, void *), void *pbaton, struct err *e)
{
	struct batch b = {.actor = actor};
	uint32_t *order = NULL;
	uint64_t *at = NULL;
	int ret = 0;

	if (store_require(actor, ACT_DEMO, e) != 0)
		return -1;
	if (households < 1 || households > 1000000)
		return err_set(e, E_REFUSED, _("households: 1 to 1000000"));
	b.today = store_today();
	if (ensure_setup(st, actor, &b, &b.std_urban, &b.std_rural, e) != 0)
		return -1;
	b.d = malloc(sizeof *b.d);
	b.calc = malloc(sizeof *b.calc);
	if (b.d == NULL || b.calc == NULL || demo_order(seed, households, &b, &order, &at) != 0) {
		free(b.calc);
		free(b.d);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	b.order = order;
	b.at = at;
	/* the procedure records name the demo's staff, who exist as users */
	b.users[0] = "demo-clerk1";
	b.users[1] = "demo-clerk2";
	b.users[2] = "demo-reviewer";
	b.users[3] = "demo-approver";
	/* the households' indexes built at the end, in key order
	 * (bulk-index.h): at 100,000 households they outgrow the cache.  A
	 * load of one transaction puts them with it, as before: all or
	 * nothing, and a process stuck in it can run again (restart.c) */
	if (households > DEMO_BATCH && store_bulk_begin(st, e) != 0)
		ret = -1;
	for (int i = 0; i < households && ret == 0; i += DEMO_BATCH) {
		b.from = i;
		b.to = i + DEMO_BATCH < households ? i + DEMO_BATCH : households;
		ret = store_txn_run(st, batch_body, &b, e);
		if (progress)
			progress(b.to, households, pbaton);
	}
	if (ret == 0)
		ret = store_bulk_end(st, e);
	else {
		/* what committed is indexed all the same; the batch's error is
		 * the one told */
		struct err e2 = {0};
		(void)store_bulk_end(st, &e2);
	}
	free(at);
	free(order);
	free(b.calc);
	free(b.d);
	return ret;
}
