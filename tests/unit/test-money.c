/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-money.c — amounts in fen: what a clerk may type and every reason
 * it is refused, formatting and its round trip, the rounding settings on
 * both sides of zero, and rate arithmetic at the edges of int64.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/money.h"
#include "core/base.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

static const char EMPTY[] = "amount: must not be empty";
static const char JUNK[] = "amount: only digits, a sign and a decimal point are allowed";
static const char GROUP[] = "amount: thousands separators must group three digits";
static const char DECS[] = "amount: at most two decimal places (fen)";
static const char BIG[] = "amount: too large";

static void
test_parse_ok(void **state)
{
	static const struct { const char *in; fen_t want; } t[] = {
		{"650", 65000}, {"650.5", 65050}, {"650.05", 65005}, {"650.50", 65050},
		{"-3.2", -320}, {"+3.2", 320}, {"0", 0}, {"0.00", 0}, {"-0", 0},
		{"0.01", 1}, {"-0.01", -1}, {".5", 50}, {"5.", 500}, {"007", 700},
		{"1,200", 120000}, {"1,200.50", 120050}, {"12,345,678.09", 1234567809},
		{"999", 99900}, {"1,000,000,000", MONEY_MAX}, {"1000000000.00", MONEY_MAX},
		{"-1000000000", -MONEY_MAX}, {"999999999.99", MONEY_MAX - 1},
		{"  650  ", 65000}, {"\t650\t", 65000}, {"650元", 65000}, {"650 元", 65000},
		{" 650.05元 ", 65005}, {"-3.20元", -320},
		{"６５０", 65000}, {"６５０．０５", 65005}, {"６５０.５元", 65050},
		{"－３．２", -320}, {"＋１", 100}, {"１，２００", 120000},
		{"\xe3\x80\x80" "650" "\xe3\x80\x80", 65000}, /* U+3000 around */
		{"650\xe3\x80\x80元", 65000},
	};

	for (size_t i = 0; i < N(t); i++) {
		fen_t f = -12345;
		const char *why = NULL;

		if (money_parse(t[i].in, &f, &why) != 0)
			fail_msg("\"%s\" refused: %s", t[i].in, why);
		assert_int_equal(f, t[i].want);
	}
}

static void
test_parse_refused(void **state)
{
	static const struct { const char *in; const char *why; } t[] = {
		{"", EMPTY}, {NULL, EMPTY}, {"   ", EMPTY}, {"元", EMPTY}, {" 元 ", EMPTY},
		{"\xe3\x80\x80", EMPTY},
		{"650.055", DECS}, {"0.001", DECS}, {"1.000", DECS}, {"６５０．０５５", DECS},
		{"abc", JUNK}, {"6a5", JUNK}, {"-", JUNK}, {"+", JUNK}, {".", JUNK},
		{"-.", JUNK}, {"1.2.3", JUNK}, {"--1", JUNK}, {"+-1", JUNK}, {"1-", JUNK},
		{"1 000", JUNK}, {"- 5", JUNK}, {"1e3", JUNK}, {"0x10", JUNK},
		{"650元元", JUNK}, {"元650", JUNK}, {"650块", JUNK}, {"六百", JUNK},
		{"1.5,0", JUNK}, {"1.-5", JUNK}, {"\xff", JUNK}, {"12\x01", JUNK},
		{"1,20", GROUP}, {"1,2000", GROUP}, {"1234,567", GROUP}, {",123", GROUP},
		{"1,,200", GROUP}, {"1,200,", GROUP}, {"1,", GROUP}, {"1,200,00", GROUP},
		{"-,100", GROUP}, {"12,34.5", GROUP},
		{"1000000000.01", BIG}, {"1000000001", BIG}, {"-1000000000.01", BIG},
		{"99999999999999999999999", BIG}, {"1,000,000,001", BIG},
		{"00000000000000000000000000000000000000000000000000000000000000000001", BIG},
	};

	for (size_t i = 0; i < N(t); i++) {
		fen_t f = -12345;
		const char *why = NULL;

		if (money_parse(t[i].in, &f, &why) != -1)
			fail_msg("\"%s\" accepted as %lld", t[i].in ? t[i].in : "(null)", (long long)f);
		assert_non_null(why);
		if (strcmp(why, t[i].why) != 0)
			fail_msg("\"%s\": \"%s\", wanted \"%s\"", t[i].in ? t[i].in : "(null)",
			    why, t[i].why);
		assert_int_equal(f, -12345);
	}
}

static void
test_format(void **state)
{
	static const struct { fen_t f; const char *s; } t[] = {
		{65005, "650.05"}, {-320, "-3.20"}, {0, "0.00"}, {1, "0.01"}, {-1, "-0.01"},
		{10, "0.10"}, {100, "1.00"}, {-100, "-1.00"}, {MONEY_MAX, "1000000000.00"},
		{-MONEY_MAX, "-1000000000.00"}, {120050, "1200.50"},
		{INT64_MAX, "92233720368547758.07"}, {INT64_MIN, "-92233720368547758.08"},
	};
	char buf[32];

	for (size_t i = 0; i < N(t); i++) {
		money_format(t[i].f, buf);
		assert_string_equal(buf, t[i].s);
	}
}

/* format then parse gives the amount back, across the whole range. */
static void
test_round_trip(void **state)
{
	char buf[32];
	const char *why;
	fen_t f, back;

	for (f = -100000; f <= 100000; f += 7) {
		money_format(f, buf);
		assert_int_equal(money_parse(buf, &back, &why), 0);
		assert_int_equal(back, f);
	}
	for (f = 1; f > 0 && f <= MONEY_MAX; f = f * 3 + 1) {
		money_format(f, buf);
		assert_int_equal(money_parse(buf, &back, &why), 0);
		assert_int_equal(back, f);
		money_format(-f, buf);
		assert_int_equal(money_parse(buf, &back, &why), 0);
		assert_int_equal(back, -f);
	}
}

static void
test_round(void **state)
{
	static const struct { fen_t f; enum rounding r; fen_t want; } t[] = {
		/* whole yuan, half away from zero */
		{65049, ROUND_YUAN_HALF_UP, 65000}, {65050, ROUND_YUAN_HALF_UP, 65100},
		{65051, ROUND_YUAN_HALF_UP, 65100}, {65000, ROUND_YUAN_HALF_UP, 65000},
		{65099, ROUND_YUAN_HALF_UP, 65100}, {65001, ROUND_YUAN_HALF_UP, 65000},
		{-65049, ROUND_YUAN_HALF_UP, -65000}, {-65050, ROUND_YUAN_HALF_UP, -65100},
		{-65051, ROUND_YUAN_HALF_UP, -65100}, {0, ROUND_YUAN_HALF_UP, 0},
		{49, ROUND_YUAN_HALF_UP, 0}, {50, ROUND_YUAN_HALF_UP, 100},
		{-50, ROUND_YUAN_HALF_UP, -100}, {-49, ROUND_YUAN_HALF_UP, 0},
		{MONEY_MAX, ROUND_YUAN_HALF_UP, MONEY_MAX},
		{MONEY_MAX - 50, ROUND_YUAN_HALF_UP, MONEY_MAX},
		/* to the jiao, half away from zero */
		{65004, ROUND_JIAO_HALF_UP, 65000}, {65005, ROUND_JIAO_HALF_UP, 65010},
		{65006, ROUND_JIAO_HALF_UP, 65010}, {65049, ROUND_JIAO_HALF_UP, 65050},
		{65095, ROUND_JIAO_HALF_UP, 65100}, {-65004, ROUND_JIAO_HALF_UP, -65000},
		{-65005, ROUND_JIAO_HALF_UP, -65010}, {-65006, ROUND_JIAO_HALF_UP, -65010},
		{5, ROUND_JIAO_HALF_UP, 10}, {4, ROUND_JIAO_HALF_UP, 0},
		/* no rounding */
		{65049, ROUND_FEN, 65049}, {-1, ROUND_FEN, -1}, {0, ROUND_FEN, 0},
		/* whole yuan, always away from zero */
		{65001, ROUND_YUAN_UP, 65100}, {65000, ROUND_YUAN_UP, 65000},
		{65099, ROUND_YUAN_UP, 65100}, {1, ROUND_YUAN_UP, 100}, {0, ROUND_YUAN_UP, 0},
		{-320, ROUND_YUAN_UP, -400}, {-300, ROUND_YUAN_UP, -300}, {-1, ROUND_YUAN_UP, -100},
		/* far out of range: left unrounded rather than overflowing */
		{INT64_MAX, ROUND_YUAN_UP, INT64_MAX}, {INT64_MIN, ROUND_YUAN_HALF_UP, INT64_MIN + 8}, {INT64_MIN, ROUND_YUAN_UP, INT64_MIN},
	};

	for (size_t i = 0; i < N(t); i++)
		if (money_round(t[i].f, t[i].r) != t[i].want)
			fail_msg("case %zu: %lld mode %d gave %lld, wanted %lld", i,
			    (long long)t[i].f, (int)t[i].r,
			    (long long)money_round(t[i].f, t[i].r), (long long)t[i].want);
}

/* Rounding is symmetric: round(-x) == -round(x) for every mode. */
static void
test_round_symmetric(void **state)
{
	static const enum rounding modes[] = {
		ROUND_YUAN_HALF_UP, ROUND_JIAO_HALF_UP, ROUND_FEN, ROUND_YUAN_UP,
	};

	for (size_t k = 0; k < N(modes); k++)
		for (fen_t f = 0; f <= 2000; f++) {
			fen_t r = money_round(f, modes[k]);

			assert_int_equal(money_round(-f, modes[k]), -r);
			/* and it lands on the unit, within the unit */
			if (modes[k] == ROUND_JIAO_HALF_UP)
				assert_int_equal(r % 10, 0);
			else if (modes[k] != ROUND_FEN)
				assert_int_equal(r % 100, 0);
			assert_true(r - f < 100 && f - r < 100);
		}
}

static void
test_mul_div(void **state)
{
	static const struct { fen_t a; int64_t num, den; fen_t want; } t[] = {
		{65000, 100, 1000, 6500},       /* 10 % */
		{65000, 150, 1000, 9750},       /* 15 % */
		{33333, 1, 2, 16667},           /* .5 up */
		{33332, 1, 2, 16666},
		{-33333, 1, 2, -16667},         /* .5 away from zero */
		{33333, -1, 2, -16667},
		{-33333, -1, 2, 16667},
		{100, 1, 3, 33}, {200, 1, 3, 67}, {-200, 1, 3, -67}, {-100, 1, 3, -33},
		{1, 1, 2, 1}, {1, 1, 3, 0}, {0, 123, 7, 0},
		{65049, 1, 1, 65049},
		{MONEY_MAX, 1000000, 1, MONEY_MAX * 1000000},
		{-MONEY_MAX, 1000000, 1, -MONEY_MAX * 1000000},
		{MONEY_MAX, 1000000, 1000000, MONEY_MAX},
		{MONEY_MAX, 999999, 1000000, 99999900000LL},
		{MONEY_MAX, 1, 3, 33333333333LL},
		{MONEY_MAX - 1, 2, 3, 66666666666LL},
		{INT64_MAX, 2, 1, INT64_MAX},   /* saturates */
		{INT64_MIN, 2, 1, INT64_MIN},
		{INT64_MAX, 3, 3, INT64_MAX},   /* exact through 128 bits */
		{100, 1, 0, 0}, {100, 1, -5, 0},
	};

	for (size_t i = 0; i < N(t); i++) {
		fen_t got = money_mul_div_half_up(t[i].a, t[i].num, t[i].den);

		if (got != t[i].want)
			fail_msg("case %zu: %lld * %lld / %lld gave %lld, wanted %lld", i,
			    (long long)t[i].a, (long long)t[i].num, (long long)t[i].den,
			    (long long)got, (long long)t[i].want);
	}
}

/* Division by 100 half up agrees with money_round to the yuan. */
static void
test_mul_div_vs_round(void **state)
{
	for (fen_t f = -5000; f <= 5000; f++)
		assert_int_equal(money_mul_div_half_up(f, 1, 100) * 100,
		    money_round(f, ROUND_YUAN_HALF_UP));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_round_symmetric),
		cmocka_unit_test(test_mul_div),
		cmocka_unit_test(test_mul_div_vs_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
