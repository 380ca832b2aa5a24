/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-integrity.c — the core rules of issue 12 against cases worked out
 * by hand: the notice period counted from the day after posting, R9 only
 * where a stored amount after the death still counts the member, R2 with
 * the standard of the month computed (at the line and one fen over), and
 * no rule result dropped.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <limits.h>
#include <stdlib.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/dossier-model.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/rules.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/village.h"
#include "core/checklist.h"
#include "core/workflow.h"
#include "core/card.h"
#include "tests/unit/tmpstore.h"
#include "store/env-int.h"

static const char *
tr(const char *s)
{
	return s;
}

static int
count(const struct rule_result *r, int n, const char *code)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += strcmp(r[i].code, code) == 0;
	return k;
}

/* posted 2026-03-16 with 7 days: runs 03-17 .. 03-23; approval from 03-24 */
static void
test_notice_days(void **state)
{
	(void)state;
	assert_int_equal(notice_last_day(20260316, 7), 20260323);
	/* across a month's end: posted 02-25 (2026 is not leap): 02-26 .. 03-04 */
	assert_int_equal(notice_last_day(20260225, 7), 20260304);
	assert_int_equal(notice_last_day(20261231, 7), 20270107);
}

static void
two_members(struct dossier *d)
{
	dossier_init(d);
	snprintf(d->no, sizeof d->no, "330102001-2026-00001");
	d->area = AREA_RURAL;
	d->status = ST_APPROVED;
	d->n_members = 2;
	snprintf(d->members[0].name, sizeof d->members[0].name, "张三");
	snprintf(d->members[0].id, sizeof d->members[0].id, "330102195001010014");
	d->members[0].birth = 19500101;
	snprintf(d->members[1].name, sizeof d->members[1].name, "王芳");
	snprintf(d->members[1].id, sizeof d->members[1].id, "330102195203150023");
	d->members[1].birth = 19520315;
}

static void
stored_for(struct calc_record *c, dbmonth_t m, bool wife_counted)
{
	memset(c, 0, sizeof *c);
	c->month = m;
	c->standard = 65000;
	c->members = wife_counted ? 2 : 1;
	c->n = 2;
	snprintf(c->m[0].id, sizeof c->m[0].id, "330102195001010014");
	c->m[0].living = c->m[0].guaranteed = true;
	snprintf(c->m[1].id, sizeof c->m[1].id, "330102195203150023");
	c->m[1].living = c->m[1].guaranteed = wife_counted;
}

static void
test_r9(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record stored;
	struct rule_result r[RULES_MAX];
	struct rule_input in;

	two_members(&d);
	d.members[1].death = 20260505;
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.target = ST__N;
	in.today = 20260615;
	/* no stored amount: nothing counts her */
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R9"), 0);
	/* the death recomputed from 2026-06 without her: the review is free */
	stored_for(&stored, 202606, false);
	in.stored = &stored;
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R9"), 0);
	/* the month of the death itself may still count her */
	stored_for(&stored, 202605, true);
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R9"), 0);
	/* a stored amount for 2026-06 that still counts her: R9 */
	stored_for(&stored, 202606, true);
	int n = rules_check(&in, tr, r, RULES_MAX);
	assert_int_equal(count(r, n, "R9"), 1);
	for (int i = 0; i < n; i++)
		if (strcmp(r[i].code, "R9") == 0)
			assert_true(r[i].blocking);
}

/* R2: 1 member, multiple 50; the standard of the month computed (700.00 in
 * 2027), not today's (650.00): line 35000.00 */
static void
test_r2_month_standard(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record c;
	struct rule_result r[RULES_MAX];
	struct rule_input in;

	two_members(&d);
	d.n_members = 1;
	memset(&c, 0, sizeof c);
	c.month = 202701;
	c.standard = 70000;
	c.members = 1;
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.calc = &c;
	in.standard = 65000;       /* today's, which R2 must not use */
	in.deposit_multiple = 50;
	in.target = ST_REVIEWED;
	in.today = 20261215;
	d.assets.deposits = 3500000;   /* at the line */
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R2"), 0);
	d.assets.deposits = 3500001;   /* one fen over */
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R2"), 1);
	/* 2026's line 32500.00 */
	c.month = 202612;
	c.standard = 65000;
	d.assets.deposits = 3250000;
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R2"), 0);
	d.assets.deposits = 3250001;
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R2"), 1);
}

/* more results than room: refused (-1), never a shorter list */
static void
test_nothing_dropped(void **state)
{
	(void)state;
	static struct dossier d;
	struct rule_result r[RULES_MAX];
	struct rule_input in;

	two_members(&d);
	d.members[0].flags |= MF_STAFF;
	d.members[1].flags |= MF_STAFF;
	d.assets.vehicles = 1;
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.target = ST_REVIEWED;
	in.today = 20260315;
	/* R3 and two R5 */
	assert_int_equal(rules_check(&in, tr, r, RULES_MAX), 3);
	assert_int_equal(rules_check(&in, tr, r, 2), -1);
	/* the most a dossier can give fits: every member staff and dead while
	 * counted, every other rule */
	static struct calc_record stored;
	d.n_members = MAX_MEMBERS;
	memset(&stored, 0, sizeof stored);
	stored.month = 202604;
	stored.n = MAX_MEMBERS;
	for (int i = 0; i < MAX_MEMBERS; i++) {
		struct member *m = &d.members[i];
		snprintf(m->name, sizeof m->name, "成员%d", i);
		snprintf(m->id, sizeof m->id, "33010219500101%04d", i);
		m->flags = MF_STAFF;
		m->death = 20260101;
		snprintf(stored.m[i].id, sizeof stored.m[i].id, "%s", m->id);
		stored.m[i].guaranteed = true;
	}
	in.stored = &stored;
	in.dup_id = d.members[0].id;
	in.dup_dossier = "330102001-2026-00002";
	in.kin_unfiled = 1;
	in.checklist_missing = "SHB";
	in.conflict = "R11: x";
	d.assets.houses = 2;
	d.assets.businesses = 1;
	int n = rules_check(&in, tr, r, RULES_MAX - 1);
	/* R3 R4 R6 R7 R8 R10 R11 and R9 for each of the 32 (R5 is for the living) */
	assert_int_equal(n, 7 + MAX_MEMBERS);
	assert_int_equal(count(r, n, "R9"), MAX_MEMBERS);
	assert_int_equal(rules_check(&in, tr, r, n - 1), -1);
	/* and the living staff: R5 for each */
	for (int i = 0; i < MAX_MEMBERS; i++)
		d.members[i].death = 0;
	n = rules_check(&in, tr, r, RULES_MAX - 1);
	assert_int_equal(count(r, n, "R5"), MAX_MEMBERS);
}

/* Income the rules exclude is recorded, not counted (SPEC 3).  2026-04,
 * S = 650.00: wage 300.00 counted; 残疾人两项补贴 200.00 and 高龄津贴 0.01
 * excluded (200.01).  H = 300.00 over 2: P = 150.00, base 2 x 500.00;
 * both 70+ (76, 74): 2 x 97.50; 1195.00 -> 1195 */
static void
test_excluded_income(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record c;
	struct calc_params p;
	const char *why = NULL;

	two_members(&d);
	d.support = SUPPORT_HOUSEHOLD;
	d.poverty = POVERTY_INCOME;
	d.n_incomes = 3;
	d.incomes[0].kind = INC_WAGE;
	d.incomes[0].amount = 30000;
	d.incomes[1].kind = INC_EX_DISABILITY;
	d.incomes[1].amount = 20000;
	d.incomes[2].kind = INC_EX_ELDERLY;
	d.incomes[2].amount = 1;
	snprintf(d.incomes[2].member_id, sizeof d.incomes[2].member_id, "330102195001010014");
	calc_params_default(&p, 65000, 202601);
	assert_int_equal(calc_dossier(&d, 202604, &p, &c, &why), 0);
	assert_int_equal(c.income, 30000);
	assert_int_equal(c.excluded, 20001);
	assert_int_equal(c.household_income, 30000);
	assert_int_equal(c.per_capita, 15000);
	assert_int_equal(c.base, 100000);
	assert_int_equal(c.addons, 19500);
	assert_int_equal(c.total, 119500);
	/* the member's own income (单人保) leaves it out too */
	assert_int_equal(c.m[0].own_income, 0);
	assert_true(income_excluded(INC_EX_DIBAO));
	assert_false(income_excluded(INC_OTHER));
}

/* ---- SPEC 3 boundaries (j12): at the line and one fen over, by hand ---- */

/* R1 (整户保, P >= S blocks), P rounded down to the fen.  2026-04, S = 650.00,
 * two members aged 46 and 44 (no add-on), wage income:
 *   1299.98 / 2 = 649.99        -> no R1; base 2 x 0.01 = 0.02 (fen: 0.02)
 *   1299.99 / 2 = 649.995 -> 649.99 (down) -> no R1, the same 0.02
 *   1300.00 / 2 = 650.00 = S    -> R1, base 0
 *   1300.01 / 2 = 650.005 -> 650.00 -> R1 */
static void
test_r1_boundary(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record c;
	struct calc_params p;
	struct rule_result r[RULES_MAX];
	struct rule_input in;
	const char *why = NULL;
	const struct { fen_t income, P, base; int r1; } cases[] = {
		{129998, 64999, 2, 0}, {129999, 64999, 2, 0}, {130000, 65000, 0, 1}, {130001, 65000, 0, 1},
	};

	two_members(&d);
	d.members[0].birth = 19800606;
	d.members[1].birth = 19820707;
	d.support = SUPPORT_HOUSEHOLD;
	d.poverty = POVERTY_INCOME;
	d.n_incomes = 1;
	d.incomes[0].kind = INC_WAGE;
	calc_params_default(&p, 65000, 202601);
	p.rounding = ROUND_FEN;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d.incomes[0].amount = cases[i].income;
		assert_int_equal(calc_dossier(&d, 202604, &p, &c, &why), 0);
		assert_int_equal(c.per_capita, cases[i].P);
		assert_int_equal(c.base, cases[i].base);
		assert_int_equal(c.addons, 0);
		assert_int_equal(c.total, cases[i].base);
		memset(&in, 0, sizeof in);
		in.d = &d;
		in.calc = &c;
		in.target = ST_REVIEWED;
		in.today = 20260315;
		assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R1"), cases[i].r1);
	}
	/* 单人保 has no R1: the threshold decides (test-calc.c) */
	d.support = SUPPORT_SINGLE;
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R1"), 0);
}

/* An excluded income never tips R1: H = 1299.99 counted + 0.02 excluded
 * stays P = 649.99 (it would be 650.00 = S if counted). */
static void
test_r1_excluded(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record c;
	struct calc_params p;
	struct rule_result r[RULES_MAX];
	struct rule_input in;
	const char *why = NULL;

	two_members(&d);
	d.members[0].birth = 19800606;
	d.members[1].birth = 19820707;
	d.support = SUPPORT_HOUSEHOLD;
	d.n_incomes = 2;
	d.incomes[0].kind = INC_WAGE;
	d.incomes[0].amount = 129999;
	d.incomes[1].kind = INC_EX_FAMILY_PLANNING;
	d.incomes[1].amount = 2;
	calc_params_default(&p, 65000, 202601);
	assert_int_equal(calc_dossier(&d, 202604, &p, &c, &why), 0);
	assert_int_equal(c.household_income, 129999);
	assert_int_equal(c.excluded, 2);
	assert_int_equal(c.per_capita, 64999);
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.calc = &c;
	in.target = ST_REVIEWED;
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R1"), 0);
	/* counted, the same fen tips it */
	d.incomes[1].kind = INC_OTHER;
	assert_int_equal(calc_dossier(&d, 202604, &p, &c, &why), 0);
	assert_int_equal(c.per_capita, 65000);
	assert_int_equal(count(r, rules_check(&in, tr, r, RULES_MAX), "R1"), 1);
}

/* The add-on is rate x S rounded half up to the fen (SPEC 3 step 4); one
 * member, no income, 2026-04:
 *   S = 650.05, aged 65: 10% = 65.005 -> 65.01; 650.05 + 65.01 = 715.06 -> 715
 *   S = 650.03, aged 75: 15% = 97.5045 -> 97.50; 650.03 + 97.50 = 747.53 -> 748
 *   S = 650.00, aged 80 in the month (born 1946-04-30): 20% = 130.00 -> 780
 *   S = 650.00, born 1946-05-01: 79 in 2026-04, 15% = 97.50 -> 747.50 -> 748 */
static void
test_addon_fen(void **state)
{
	(void)state;
	static struct dossier d;
	static struct calc_record c;
	struct calc_params p;
	const char *why = NULL;
	const struct { fen_t S; dbdate_t birth; fen_t addon, unrounded, total; } cases[] = {
		{65005, 19610101, 6501, 71506, 71500},
		{65003, 19510101, 9750, 74753, 74800},
		{65000, 19460430, 13000, 78000, 78000},
		{65000, 19460501, 9750, 74750, 74800},
	};

	two_members(&d);
	d.n_members = 1;
	d.support = SUPPORT_HOUSEHOLD;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d.members[0].birth = cases[i].birth;
		calc_params_default(&p, cases[i].S, 202601);
		assert_int_equal(calc_dossier(&d, 202604, &p, &c, &why), 0);
		assert_int_equal(c.base, cases[i].S);
		assert_int_equal(c.addons, cases[i].addon);
		assert_int_equal(c.unrounded, cases[i].unrounded);
		assert_int_equal(c.total, cases[i].total);
	}
}

/* R3 (a vehicle not for production) and R4 (more than one house): the
 * count at the line and one over */
static void
test_r3_r4_boundary(void **state)
{
	(void)state;
	static struct dossier d;
	struct rule_result r[RULES_MAX];
	struct rule_input in;

	two_members(&d);
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.target = ST_REVIEWED;
	d.assets.vehicles = 1;
	d.assets.production_vehicles = 1;
	d.assets.houses = 1;
	int n = rules_check(&in, tr, r, RULES_MAX);
	assert_int_equal(count(r, n, "R3"), 0);
	assert_int_equal(count(r, n, "R4"), 0);
	d.assets.vehicles = 2;
	d.assets.houses = 2;
	n = rules_check(&in, tr, r, RULES_MAX);
	assert_int_equal(count(r, n, "R3"), 1);
	assert_int_equal(count(r, n, "R4"), 1);
	for (int i = 0; i < n; i++)
		if (strcmp(r[i].code, "R4") == 0)
			assert_false(r[i].blocking);
}

/* point 14: a message that does not fit its record is not cut: refused.
 * R11's reason as the store builds it, 2000 bytes: more than the message */
static void
test_message_not_cut(void **state)
{
	(void)state;
	static struct dossier d;
	struct rule_result r[RULES_MAX];
	struct rule_input in;
	static char conflict[2000 + 1];

	two_members(&d);
	memset(&in, 0, sizeof in);
	in.d = &d;
	in.target = ST_REVIEWED;
	memset(conflict, 'x', sizeof conflict - 1);
	memcpy(conflict, "R11: ", 5);
	in.conflict = conflict;
	assert_true(sizeof r[0].message < sizeof conflict);
	assert_int_equal(rules_check(&in, tr, r, RULES_MAX), -1);
	/* one that fits is whole */
	conflict[sizeof r[0].message - 1] = '\0';
	int n = rules_check(&in, tr, r, RULES_MAX);
	assert_int_equal(count(r, n, "R11"), 1);
	assert_int_equal(strlen(r[0].message), sizeof r[0].message - 1);
}

/* point 14 for R14 too: both reasons, or -1 when they do not fit */
static void
test_r14_not_dropped(void **state)
{
	(void)state;
	static struct dossier d;
	struct rule_result r[2];

	two_members(&d);
	snprintf(d.bank, sizeof d.bank, "农商银行");
	snprintf(d.account, sizeof d.account, "6228480012345678901");
	/* no holder recorded, and the account on another active dossier */
	assert_int_equal(r14_check(&d, "330102001-2026-00009", 20260315, tr, r, 2), 2);
	assert_string_equal(r[0].code, "R14");
	assert_true(r[1].blocking);
	assert_non_null(strstr(r[1].message, "330102001-2026-00009"));
	assert_int_equal(r14_check(&d, "330102001-2026-00009", 20260315, tr, r, 1), -1);
	assert_int_equal(r14_check(&d, NULL, 20260315, tr, r, 1), 1);
}

/* point 14: an audit entry whose detail failed to build refuses the write
 * (the transaction rolls back), never an entry without its detail */
static int
no_detail(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	(void)baton;
	return audit_appendj(st, txn, "admin", "test.nodetail", "x", NULL, e);
}

static void
test_audit_whole(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct village v = {.name = "青石村", .groups = "一组"};
	struct err e;
	uint64_t before, after;

	tmpstore_open(dir, "integrity", &st, &admin, NULL, NULL, 0, &v);
	assert_int_equal(audit_length(st, NULL, &before, &e), 0);
	err_clear(&e);
	assert_int_equal(store_txn_run(st, no_detail, NULL, &e), -1);
	assert_int_equal(e.code, E_STORAGE);
	assert_int_equal(audit_length(st, NULL, &after, &e), 0);
	assert_true(after == before);
	assert_int_equal(tmpstore_close(st, dir), 0);
}

/* issue 16: a commit that failed for a crashed process is taken as done
 * only when the transaction's own audit entry is in the chain (txn.c) */
static int
one_entry(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	(void)baton;
	return audit_append(st, txn, "admin", "test.entry", "x", "{}", e);
}

static void
test_audit_entry_is(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct village v = {.name = "青石村", .groups = "一组"};
	struct err e;
	unsigned char hash[32];
	uint64_t seq;
	bool found = true;

	tmpstore_open(dir, "entryis", &st, &admin, NULL, NULL, 0, &v);
	err_clear(&e);
	assert_int_equal(store_txn_run(st, one_entry, NULL, &e), 0);
	seq = st->txn_audit_seq;
	memcpy(hash, st->txn_audit_hash, sizeof hash);
	assert_true(seq > 0);
	assert_int_equal(audit_entry_is(st, seq, hash, &found, NULL, 0, &e), 0);
	assert_true(found);
	hash[0] ^= 1;       /* another transaction's entry at that place */
	assert_int_equal(audit_entry_is(st, seq, hash, &found, NULL, 0, &e), 0);
	assert_false(found);
	hash[0] ^= 1;       /* not there at all: never committed */
	found = true;
	assert_int_equal(audit_entry_is(st, seq + 1, hash, &found, NULL, 0, &e), 0);
	assert_false(found);
	assert_int_equal(tmpstore_close(st, dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_days),
		cmocka_unit_test(test_audit_entry_is),
		cmocka_unit_test(test_r9),
		cmocka_unit_test(test_r2_month_standard),
		cmocka_unit_test(test_nothing_dropped),
		cmocka_unit_test(test_excluded_income),
		cmocka_unit_test(test_r1_boundary),
		cmocka_unit_test(test_r1_excluded),
		cmocka_unit_test(test_addon_fen),
		cmocka_unit_test(test_r3_r4_boundary),
		cmocka_unit_test(test_message_not_cut),
		cmocka_unit_test(test_r14_not_dropped),
		cmocka_unit_test(test_audit_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
