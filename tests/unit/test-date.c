/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-date.c — calendar dates and months: leap years, parsing and its
 * refusals, the day count against an independent day-by-day walk over
 * 1900..2200, month arithmetic with clamping, weekdays and ages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/date.h"
#include "core/base.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

static void
test_days_in_month(void **state)
{
	static const struct { int y, m, n; } t[] = {
		{1900, 2, 28}, {2000, 2, 29}, {2024, 2, 29}, {2023, 2, 28},
		{2100, 2, 28}, {2200, 2, 28}, {1904, 2, 29}, {2400, 2, 29},
		{2024, 1, 31}, {2024, 3, 31}, {2024, 4, 30}, {2024, 5, 31},
		{2024, 6, 30}, {2024, 7, 31}, {2024, 8, 31}, {2024, 9, 30},
		{2024, 10, 31}, {2024, 11, 30}, {2024, 12, 31},
		{2024, 0, 0}, {2024, 13, 0}, {2024, -1, 0},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(date_days_in_month(t[i].y, t[i].m), t[i].n);
}

static void
test_valid_make(void **state)
{
	static const struct { int y, m, d; dbdate_t want; } t[] = {
		{1900, 1, 1, 19000101}, {1899, 12, 31, 0}, {2200, 12, 31, 22001231},
		{2201, 1, 1, 0}, {2024, 2, 29, 20240229}, {2023, 2, 29, 0},
		{1900, 2, 29, 0}, {2000, 2, 29, 20000229}, {2024, 4, 31, 0},
		{2024, 4, 30, 20240430}, {2024, 0, 1, 0}, {2024, 13, 1, 0},
		{2024, 1, 0, 0}, {2024, 1, 32, 0}, {2024, 12, 31, 20241231},
		{0, 1, 1, 0}, {-5, 1, 1, 0},
	};

	for (size_t i = 0; i < N(t); i++) {
		assert_int_equal(date_make(t[i].y, t[i].m, t[i].d), t[i].want);
		assert_int_equal(date_valid(t[i].y, t[i].m, t[i].d), t[i].want != 0);
	}
	assert_int_equal(date_year(20240229), 2024);
	assert_int_equal(date_month(20240229), 2);
	assert_int_equal(date_day(20240229), 29);
}

static void
test_parse(void **state)
{
	static const char fmt[] = "date: must be written YYYY-MM-DD";
	static const char real[] = "date: not a real calendar date";
	static const char year[] = "date: the year must be between 1900 and 2200";
	static const char empty[] = "date: must not be empty";
	static const struct { const char *in; dbdate_t want; const char *why; } t[] = {
		{"2024-02-29", 20240229, NULL}, {"20240229", 20240229, NULL},
		{"2024/02/29", 20240229, NULL}, {"1900-01-01", 19000101, NULL},
		{"2200-12-31", 22001231, NULL}, {"2000-02-29", 20000229, NULL},
		{"19491001", 19491001, NULL},
		{"", 0, empty}, {NULL, 0, empty},
		{"2024-2-29", 0, fmt}, {"2024-02-9", 0, fmt}, {"24-02-29", 0, fmt},
		{" 2024-02-29", 0, fmt}, {"2024-02-29 ", 0, fmt}, {"2024-02/29", 0, fmt},
		{"2024/02-29", 0, fmt}, {"2024.02.29", 0, fmt}, {"2024-02-2x", 0, fmt},
		{"abcd-ef-gh", 0, fmt}, {"+024-01-01", 0, fmt}, {"2024-01-011", 0, fmt},
		{"2024010", 0, fmt}, {"202401011", 0, fmt}, {"2024 01 01", 0, fmt},
		{"2024-+1-01", 0, fmt}, {"２０２４-01-01", 0, fmt},
		{"2023-02-29", 0, real}, {"1900-02-29", 0, real}, {"2100-02-29", 0, real},
		{"2024-13-01", 0, real}, {"2024-00-10", 0, real}, {"2024-01-00", 0, real},
		{"2024-04-31", 0, real}, {"2024-01-32", 0, real}, {"20230229", 0, real},
		{"1899-12-31", 0, year}, {"2201-01-01", 0, year}, {"0000-01-01", 0, year},
		{"9999-12-31", 0, year}, {"18991231", 0, year},
	};

	for (size_t i = 0; i < N(t); i++) {
		dbdate_t d = 12345;
		const char *why = NULL;
		int rc = date_parse(t[i].in, &d, &why);

		if (t[i].why == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(d, t[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(why);
			assert_string_equal(why, t[i].why);
			assert_int_equal(d, 12345); /* untouched on refusal */
		}
	}
}

static void
test_format(void **state)
{
	static const struct { dbdate_t d; const char *s; } t[] = {
		{0, ""}, {20240229, "2024-02-29"}, {19000101, "1900-01-01"},
		{22001231, "2200-12-31"}, {19491001, "1949-10-01"},
	};
	char buf[11];

	for (size_t i = 0; i < N(t); i++) {
		date_format(t[i].d, buf);
		assert_string_equal(buf, t[i].s);
	}
}

static void
test_to_days(void **state)
{
	static const struct { dbdate_t d; int32_t days; int wd; } t[] = {
		{19700101, 0, 4}, {19691231, -1, 3}, {19000101, -25567, 1},
		{20000301, 11017, 3}, {20240229, 19782, 4}, {22001231, 84370, 3},
		{19491001, -7397, 6}, {20240101, 19723, 1}, {20001231, 11322, 7},
	};

	for (size_t i = 0; i < N(t); i++) {
		assert_int_equal(date_to_days(t[i].d), t[i].days);
		assert_int_equal(date_from_days(t[i].days), t[i].d);
		assert_int_equal(date_weekday(t[i].d), t[i].wd);
	}
	/* Outside 1900..2200 there is no date to give. */
	assert_int_equal(date_from_days(-25568), 0);
	assert_int_equal(date_from_days(84371), 0);
}

/* Every day from 1900-01-01 to 2200-12-31 against a plain y/m/d walk. */
static void
test_round_trip_every_day(void **state)
{
	int y = 1900, m = 1, d = 1;
	int32_t first = date_to_days(19000101), last = date_to_days(22001231);
	int wd = date_weekday(19000101);
	long count = 0;

	for (int32_t n = first; n <= last; n++, count++) {
		dbdate_t want = date_make(y, m, d);
		dbdate_t got = date_from_days(n);

		assert_int_not_equal(want, 0);
		assert_int_equal(got, want);
		assert_int_equal(date_to_days(want), n);
		assert_int_equal(date_weekday(want), wd);
		if (n < last) {
			assert_int_equal(date_add_days(want, 1), date_from_days(n + 1));
			assert_int_equal(date_age_on(want, want), 0);
		}
		wd = wd % 7 + 1;
		if (++d > date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(y, 2201);
	/* 301 years, 73 of them leap (1900, 2100 and 2200 are not). */
	assert_int_equal(count, 301L * 365 + 73);
}

static void
test_add_days(void **state)
{
	static const struct { dbdate_t d; int n; dbdate_t want; } t[] = {
		{20240228, 1, 20240229}, {20240229, 1, 20240301}, {20230228, 1, 20230301},
		{20241231, 1, 20250101}, {20250101, -1, 20241231}, {19700101, -1, 19691231},
		{19000101, -1, 0}, {22001231, 1, 0}, {20240101, 366, 20250101},
		{20240101, -365, 20230101}, {19000301, -1, 19000228}, {20000301, -1, 20000229},
		{20240515, 0, 20240515}, {0, 5, 0},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(date_add_days(t[i].d, t[i].n), t[i].want);
}

static void
test_add_months(void **state)
{
	static const struct { dbdate_t d; int n; dbdate_t want; } t[] = {
		{20240131, 1, 20240229}, {20230131, 1, 20230228}, {20240229, 12, 20250228},
		{20240229, 48, 20280229}, {20240331, -1, 20240229}, {20241231, 1, 20250131},
		{20240115, -13, 20221215}, {20240115, 0, 20240115}, {20240531, 1, 20240630},
		{20240430, 1, 20240530}, {20241130, 3, 20250228}, {19000131, 1, 19000228},
		{20000131, 1, 20000229}, {19000115, -1, 0}, {22001215, 1, 0},
		{22001215, -3611, 19000115}, {22001215, -3612, 0}, {0, 1, 0},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(date_add_months(t[i].d, t[i].n), t[i].want);
}

static void
test_age(void **state)
{
	static const struct { dbdate_t birth, on; int age; } t[] = {
		{19900515, 20240514, 33}, {19900515, 20240515, 34}, {19900515, 20240516, 34},
		{20000229, 20230228, 22}, {20000229, 20230301, 23}, {20000229, 20240228, 23},
		{20000229, 20240229, 24}, {20000229, 20010228, 0}, {20000229, 20010301, 1},
		{19641231, 20241230, 59}, {19641231, 20241231, 60}, {19650101, 20241231, 59},
		{20240101, 20240101, 0}, {20240102, 20240101, 0}, {0, 20240101, 0},
		{19000101, 22001231, 300},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(date_age_on(t[i].birth, t[i].on), t[i].age);
}

static void
test_month_age(void **state)
{
	static const struct { dbdate_t birth; dbmonth_t m; int age; } t[] = {
		{19640315, 202403, 60}, {19640315, 202402, 59}, {19640331, 202403, 60},
		{19640229, 202402, 60}, {19640229, 202401, 59}, {19640229, 202502, 60},
		{19640229, 202503, 61}, {19680229, 202802, 60}, {19650301, 202502, 59},
		{19650301, 202503, 60}, {19541201, 202412, 70}, {19541231, 202412, 70},
		{19550101, 202412, 69},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(month_age(t[i].birth, t[i].m), t[i].age);
}

static void
test_from_epoch(void **state)
{
	static const struct { int64_t t; long off; dbdate_t want; } t[] = {
		{0, 0, 19700101}, {-1, 0, 19691231}, {86399, 0, 19700101},
		{86400, 0, 19700102}, {-86400, 0, 19691231}, {-86401, 0, 19691230},
		{0, 28800, 19700101}, {57600, 28800, 19700102}, {57599, 28800, 19700101},
		{-1, 28800, 19700101}, {-28801, 28800, 19691231}, {1700000000, 0, 20231114},
		{1700000000, 28800, 20231115}, {-2208988800LL, 0, 19000101},
		{-2208988801LL, 0, 0}, {0, -3600, 19691231}, {INT64_C(1) << 50, 0, 0},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(date_from_epoch(t[i].t, t[i].off), t[i].want);
}

static void
test_month_parse(void **state)
{
	static const char fmt[] = "month: must be written YYYY-MM";
	static const struct { const char *in; dbmonth_t want; const char *why; } t[] = {
		{"2024-02", 202402, NULL}, {"202402", 202402, NULL}, {"2024/02", 202402, NULL},
		{"1900-01", 190001, NULL}, {"2200-12", 220012, NULL},
		{"", 0, "month: must not be empty"}, {NULL, 0, "month: must not be empty"},
		{"2024-2", 0, fmt}, {"2024-02-01", 0, fmt}, {"2024.02", 0, fmt},
		{"20242", 0, fmt}, {"2024-0a", 0, fmt}, {" 2024-02", 0, fmt},
		{"2024-13", 0, "month: the month must be 01 to 12"},
		{"2024-00", 0, "month: the month must be 01 to 12"},
		{"202413", 0, "month: the month must be 01 to 12"},
		{"1899-12", 0, "month: the year must be between 1900 and 2200"},
		{"2201-01", 0, "month: the year must be between 1900 and 2200"},
	};

	for (size_t i = 0; i < N(t); i++) {
		dbmonth_t m = 7;
		const char *why = NULL;
		int rc = month_parse(t[i].in, &m, &why);

		if (t[i].why == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(m, t[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, t[i].why);
			assert_int_equal(m, 7);
		}
	}
}

static void
test_month_misc(void **state)
{
	char buf[8];
	static const struct { dbmonth_t m; int n; dbmonth_t want; } t[] = {
		{202401, -1, 202312}, {202412, 1, 202501}, {202401, 25, 202602},
		{202401, -25, 202112}, {202406, 0, 202406}, {190001, -1, 0},
		{220012, 1, 0}, {0, 1, 0}, {220012, -3611, 190001},
	};

	for (size_t i = 0; i < N(t); i++)
		assert_int_equal(month_add(t[i].m, t[i].n), t[i].want);
	month_format(202402, buf);
	assert_string_equal(buf, "2024-02");
	month_format(190001, buf);
	assert_string_equal(buf, "1900-01");
	month_format(0, buf);
	assert_string_equal(buf, "");
	assert_int_equal(month_of(20240229), 202402);
	assert_int_equal(month_first_day(202402), 20240201);
	assert_int_equal(month_last_day(202402), 20240229);
	assert_int_equal(month_last_day(202302), 20230228);
	assert_int_equal(month_last_day(190002), 19000228);
	assert_int_equal(month_last_day(200002), 20000229);
	assert_int_equal(month_last_day(202412), 20241231);
	assert_int_equal(month_last_day(202404), 20240430);
	assert_int_equal(month_last_day(202413), 0);
	assert_int_equal(month_first_day(0), 0);
	/* Month arithmetic agrees with date arithmetic on first days. */
	for (int n = -600; n <= 600; n++)
		assert_int_equal(month_first_day(month_add(202406, n)),
		    date_add_months(20240601, n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_valid_make),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_to_days),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_month_age),
		cmocka_unit_test(test_from_epoch),
		cmocka_unit_test(test_month_parse),
		cmocka_unit_test(test_month_misc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
