/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-report.c — the pure parts of the reports (core/report.c): the
 * monthly period around the cutoff day (year boundary, February), when the
 * dashboard warns, overdue ledger items, who a public notice may name
 * (minors, HIV, confidential, the birthday itself), and the totals by
 * group counted from ID numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/report.h"
#include "core/base.h"
#include "core/dossier-model.h"

static void
test_period(void **state)
{
	dbdate_t from, to;

	report_period(202603, 25, &from, &to);
	assert_int_equal(from, 20260226);
	assert_int_equal(to, 20260325);
	report_period(202601, 25, &from, &to);           /* across the year */
	assert_int_equal(from, 20251226);
	assert_int_equal(to, 20260125);
	report_period(202603, 28, &from, &to);           /* February has 28 days in 2026 */
	assert_int_equal(from, 20260301);
	assert_int_equal(to, 20260328);
	report_period(202403, 28, &from, &to);           /* 2024-02-29 belongs to March */
	assert_int_equal(from, 20240229);
	report_period(202604, 1, &from, &to);
	assert_int_equal(from, 20260302);
	assert_int_equal(to, 20260401);
	/* consecutive periods tile the calendar */
	dbdate_t f2, t2;
	report_period(202604, 25, &f2, &t2);
	report_period(202603, 25, &from, &to);
	assert_int_equal(date_add_days(to, 1), f2);
}

static void
test_due(void **state)
{
	assert_false(report_due_warn(20260319, 25));
	assert_true(report_due_warn(20260320, 25));
	assert_true(report_due_warn(20260325, 25));
	assert_false(report_due_warn(20260326, 25));
	assert_int_equal(report_month_due(20260325, 25), 202603);
	assert_int_equal(report_month_due(20260326, 25), 202604);
	assert_int_equal(report_month_due(20261231, 25), 202701);
	assert_true(ledger_overdue(20260320, 0, 20260321));
	assert_false(ledger_overdue(20260320, 0, 20260320));
	assert_false(ledger_overdue(20260320, 20260322, 20260325));
	assert_false(ledger_overdue(0, 0, 20260325));
}

static void
test_notice_privacy(void **state)
{
	struct dossier *d = calloc(1, sizeof *d);

	assert_non_null(d);
	dossier_init(d);
	d->n_members = 1;
	d->head = 0;
	strcpy(d->members[0].name, "张三");
	d->members[0].birth = 19500101;
	assert_string_equal(notice_name(d, 20260316), "张三");
	d->members[0].flags = MF_HIV;
	assert_string_equal(notice_name(d, 20260316), "依规不予公示");
	d->members[0].flags = MF_CONFIDENTIAL;
	assert_string_equal(notice_name(d, 20260316), notice_withheld);
	d->members[0].flags = 0;
	d->members[0].birth = 20080317;                  /* 18 the day after */
	assert_string_equal(notice_name(d, 20260316), notice_withheld);
	assert_string_equal(notice_name(d, 20260317), "张三");
	d->members[0].birth = 0;                         /* unknown: never named */
	assert_string_equal(notice_name(d, 20260316), notice_withheld);
	d->head = 5;                                     /* a broken head index */
	assert_string_equal(notice_name(d, 20260316), notice_withheld);
	free(d);
}

static void
test_totals(void **state)
{
	struct report_group g[2];
	struct report_totals *t, all;
	int n = 0;

	memset(&all, 0, sizeof all);
	t = report_group(g, &n, 2, "青石村");
	assert_non_null(t);
	t->households++;
	t->amount += 129300;
	report_count_person(t, "330102195001010014", false, 20260325);   /* man, 76 */
	report_count_person(t, "330102195203150023", true, 20260325);    /* woman, 74, disabled */
	report_count_person(t, "330102201203150021", false, 20260325);   /* girl, 14 */
	assert_ptr_equal(report_group(g, &n, 2, "青石村"), t);
	assert_non_null(report_group(g, &n, 2, "东岭社区"));
	assert_null(report_group(g, &n, 2, "第三村"));                   /* full */
	assert_int_equal(n, 2);
	assert_int_equal(t->persons, 3);
	assert_int_equal(t->women, 2);
	assert_int_equal(t->elderly, 2);
	assert_int_equal(t->minors, 1);
	assert_int_equal(t->disabled, 1);
	report_totals_add(&all, t);
	report_totals_add(&all, &g[1].t);
	assert_int_equal(all.households, 1);
	assert_int_equal(all.amount, 129300);
	/* the 60th birthday on the period's end counts */
	memset(&all, 0, sizeof all);
	report_count_person(&all, "33010219660325001X", false, 20260325);
	assert_int_equal(all.elderly, 1);
	assert_int_equal((unsigned char)csv_bom[0], 0xEF);
	assert_int_equal(strlen(csv_bom), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_notice_privacy),
		cmocka_unit_test(test_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
