/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-id.c — resident ID numbers: known valid numbers, numbers built
 * from 17 digits and id_check_char over every province and many dates,
 * the normalisation of what clerks paste (full-width, lowercase x,
 * spaces), every reason for refusal, masking and province names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/idno.h"
#include "core/base.h"

#define N(a) (sizeof (a) / sizeof (a)[0])
#define TODAY 20240601

static const char EMPTY[] = "ID number: must not be empty";
static const char LEN[] = "ID number: must be 18 characters";
static const char CHARS[] = "ID number: only digits and a final X are allowed";
static const char PROV[] = "ID number: the region code is not a valid province";
static const char AREA[] = "ID number: the region code does not name a real area";
static const char NOTREAL[] = "ID number: the birth date is not a real date";
static const char EARLY[] = "ID number: the birth date is before 1900";
static const char FUTURE[] = "ID number: the birth date is in the future";
static const char CHECK[] = "ID number: the check character does not match";

static const int province_codes[] = {
	11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
	41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
	71, 81, 82,
};

/* 17 digits plus their check character. */
static void
make_id(char id[ID_LEN + 1], const char *digits17)
{
	memcpy(id, digits17, 17);
	id[17] = id_check_char(digits17);
	id[18] = '\0';
}

static void
expect_ok(const char *in, dbdate_t today, const char *norm, dbdate_t birth, char sex)
{
	struct id_info info;
	const char *why = NULL;

	memset(&info, 0x55, sizeof info);
	if (id_check(in, today, &info, &why) != 0)
		fail_msg("\"%s\" refused: %s", in, why);
	assert_string_equal(info.id, norm);
	assert_int_equal(info.birth, birth);
	assert_int_equal(info.sex, sex);
	assert_memory_equal(info.region, norm, 6);
	assert_int_equal(info.region[6], '\0');
	/* out may be NULL when only the verdict matters */
	assert_int_equal(id_check(in, today, NULL, &why), 0);
}

static void
expect_refused(const char *in, dbdate_t today, const char *reason)
{
	struct id_info info;
	const char *why = NULL;

	memset(&info, 0x55, sizeof info);
	if (id_check(in, today, &info, &why) != -1)
		fail_msg("\"%s\" accepted", in ? in : "(null)");
	assert_non_null(why);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\": \"%s\", wanted \"%s\"", in ? in : "(null)", why, reason);
	/* a refusal leaves *out alone */
	assert_int_equal(((unsigned char *)&info)[0], 0x55);
}

static void
test_known_valid(void **state)
{
	expect_ok("11010519491231002X", TODAY, "11010519491231002X", 19491231, 'F');
	expect_ok("330102199003071230", TODAY, "330102199003071230", 19900307, 'M');
	expect_ok("110101200002290018", TODAY, "110101200002290018", 20000229, 'M');
	expect_ok("650102199912310010", TODAY, "650102199912310010", 19991231, 'M');
	expect_ok("810000198501010010", TODAY, "810000198501010010", 19850101, 'M');
	expect_ok("710000197001010016", TODAY, "710000197001010016", 19700101, 'M');
	expect_ok("130105190001010013", TODAY, "130105190001010013", 19000101, 'M');
	/* born today is not the future */
	expect_ok("320105202402290029", 20240229, "320105202402290029", 20240229, 'F');
	/* today 0: no upper bound on the birth date */
	expect_ok("320105202402290029", 0, "320105202402290029", 20240229, 'F');
}

/* The textbook number: its check character is right, but it was born in
 * 1880 and dibao's records start in 1900. */
static void
test_known_old(void **state)
{
	assert_int_equal(id_check_char("44052418800101001"), '4');
	assert_int_equal(id_check_char("11010519491231002"), 'X');
	expect_refused("440524188001010014", TODAY, EARLY);
}

static void
test_normalise(void **state)
{
	static const char *in[] = {
		"11010519491231002x",
		"11010519491231002Ｘ",
		"11010519491231002ｘ",
		"１１０１０５１９４９１２３１００２Ｘ",
		"１１０１０５19491231００２x",
		"  11010519491231002X  ",
		"\t11010519491231002X\r\n",
		"\xe3\x80\x80" "11010519491231002X" "\xe3\x80\x80",
		" \xe3\x80\x80 １１０１０５１９４９１２３１００２ｘ\xe3\x80\x80 ",
	};

	for (size_t i = 0; i < N(in); i++)
		expect_ok(in[i], TODAY, "11010519491231002X", 19491231, 'F');
}

static void
test_refused(void **state)
{
	static const struct { const char *in; dbdate_t today; const char *why; } t[] = {
		{"", TODAY, EMPTY}, {NULL, TODAY, EMPTY}, {"   ", TODAY, EMPTY},
		{"\xe3\x80\x80", TODAY, EMPTY},
		/* length, in characters after normalisation */
		{"11010519491231002", TODAY, LEN}, {"11010519491231002X1", TODAY, LEN},
		{"110105491231002", TODAY, LEN}, {"1", TODAY, LEN},
		{"110105 19491231002X", TODAY, LEN}, {"11010519491231002XX", TODAY, LEN},
		{"１１０１０５１９４９１２３１００２", TODAY, LEN},
		{"11010519491231002X11010519491231002X", TODAY, LEN},
		/* characters */
		{"1101051949123100XX", TODAY, CHARS}, {"11010519491231002Y", TODAY, CHARS},
		{"X10105194912310021", TODAY, CHARS}, {"11010519491231002中", TODAY, CHARS},
		{"1101051949-231002X", TODAY, CHARS}, {"11010519491231002-", TODAY, CHARS},
		{"11010519491231 02X", TODAY, CHARS}, {"11010519491231002\xff", TODAY, CHARS},
		{"A1010519491231002X", TODAY, CHARS}, {"11010519491231002\x01", TODAY, CHARS},
		/* region (check characters are right in all of these) */
		{"000000194912310020", TODAY, PROV}, {"190105194912310029", TODAY, PROV},
		{"990105194912310025", TODAY, PROV}, {"240105194912310020", TODAY, PROV},
		{"830000198501010018", TODAY, PROV}, {"100105194912310020", TODAY, PROV},
		{"330000199003071234", TODAY, AREA}, {"110000194912310021", TODAY, AREA},
		{"330012199003071234", TODAY, AREA},
		/* birth date */
		{"110105194902300021", TODAY, NOTREAL}, {"110105194913010021", TODAY, NOTREAL},
		{"110105194900000021", TODAY, NOTREAL}, {"110105190002290021", TODAY, NOTREAL},
		{"110105202302290021", TODAY, NOTREAL}, {"110105194904310021", TODAY, NOTREAL},
		{"110105189902290021", TODAY, NOTREAL},
		{"110105189912310021", TODAY, EARLY}, {"110105000101010021", TODAY, EARLY},
		{"110105202406020021", TODAY, FUTURE}, {"110105220101010021", TODAY, FUTURE},
		{"110105999912310021", TODAY, FUTURE}, {"320105202402290029", 20240228, FUTURE},
		/* check character */
		{"110105194912310021", TODAY, CHECK}, {"110105194912310020", TODAY, CHECK},
		{"11010519491231003X", TODAY, CHECK}, {"330102199003071231", TODAY, CHECK},
	};
	char id[ID_LEN + 1];

	for (size_t i = 0; i < N(t); i++) {
		const char *in = t[i].in;

		/* Fix up the check character of the ones that should pass it,
		 * so the refusal is for the stated reason alone. */
		if (in != NULL && strlen(in) == ID_LEN && t[i].why != CHECK &&
		    t[i].why != CHARS && strspn(in, "0123456789") >= 17) {
			make_id(id, in);
			in = id;
		}
		expect_refused(in, t[i].today, t[i].why);
	}
}

/* Every wrong check character is caught. */
static void
test_every_wrong_check_char(void **state)
{
	static const char chars[] = "0123456789X";
	char id[ID_LEN + 1];

	make_id(id, "33010219900307123");
	for (size_t k = 0; k < sizeof chars - 1; k++) {
		id[17] = chars[k];
		if (chars[k] == id_check_char(id))
			expect_ok(id, TODAY, id, 19900307, 'M');
		else
			expect_refused(id, TODAY, CHECK);
	}
}

/*
 * Numbers built for every province, a spread of birth dates from 1900 to
 * today and every sequence parity: all valid, sex from the 17th digit;
 * any single wrong digit of the sequence, or a swap of two different
 * neighbouring digits in it, is caught by the check character.
 */
static void
test_built(void **state)
{
	char d17[48], id[ID_LEN + 1], bad[ID_LEN + 1];
	uint32_t seed = 12345;
	int n = 0;

	for (size_t p = 0; p < N(province_codes); p++) {
		for (dbdate_t b = 19000101; b != 0 && b <= TODAY; b = date_add_days(b, 997)) {
			seed = seed * 1103515245u + 12345u;
			snprintf(d17, sizeof d17, "%02d%02u%02u%08d%03u", province_codes[p],
			    province_codes[p] >= 71 ? 0 : 1 + (seed >> 8) % 90,
			    province_codes[p] >= 71 ? 0 : (seed >> 16) % 100, (int)b,
			    (seed >> 4) % 1000);
			assert_int_equal(strlen(d17), 17);
			make_id(id, d17);
			expect_ok(id, TODAY, id, b, (id[16] - '0') % 2 ? 'M' : 'F');
			n++;
			for (int pos = 14; pos < 17; pos++) {
				for (char c = '0'; c <= '9'; c++) {
					if (c == id[pos])
						continue;
					memcpy(bad, id, sizeof bad);
					bad[pos] = c;
					expect_refused(bad, TODAY, CHECK);
				}
				if (pos < 16 && id[pos] != id[pos + 1]) {
					memcpy(bad, id, sizeof bad);
					bad[pos] = id[pos + 1];
					bad[pos + 1] = id[pos];
					expect_refused(bad, TODAY, CHECK);
				}
			}
		}
	}
	assert_true(n > 1000);
}

/* The check character against the definition, for many inputs. */
static void
test_check_char(void **state)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char d[17];
	uint32_t seed = 1;
	int seen[11] = {0};

	for (int k = 0; k < 20000; k++) {
		int sum = 0, v;

		for (int i = 0; i < 17; i++) {
			seed = seed * 1664525u + 1013904223u;
			d[i] = (char)('0' + (seed >> 24) % 10);
			sum += (d[i] - '0') * w[i];
		}
		/* (12 - sum mod 11) mod 11 is the value of the check digit */
		v = (12 - sum % 11) % 11;
		assert_int_equal(id_check_char(d), v == 10 ? 'X' : '0' + v);
		seen[v]++;
	}
	for (int v = 0; v < 11; v++)
		assert_true(seen[v] > 0);
}

static void
test_mask(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{"11010519491231002X", "110105********002X"},
		{"330102199003071230", "330102********1230"},
		{"12345678901234", "123456********1234"},
		{"1234567890123", "*************"},
		{"123", "***"}, {"", ""}, {NULL, ""},
		{"12345678901234567890", "123456********7890"},
	};
	char buf[ID_LEN + 1];

	for (size_t i = 0; i < N(t); i++) {
		memset(buf, 'z', sizeof buf);
		id_mask(t[i].in, buf);
		assert_string_equal(buf, t[i].out);
	}
}

static void
test_province(void **state)
{
	char r[12];
	int k = 0;

	assert_string_equal(id_province("33"), "浙江省");
	assert_string_equal(id_province("330102"), "浙江省");
	assert_string_equal(id_province("11"), "北京市");
	assert_string_equal(id_province("44"), "广东省");
	assert_string_equal(id_province("65"), "新疆维吾尔自治区");
	assert_string_equal(id_province("71"), "台湾省");
	assert_string_equal(id_province("81"), "香港特别行政区");
	assert_string_equal(id_province("82"), "澳门特别行政区");
	assert_null(id_province("00"));
	assert_null(id_province("83"));
	assert_null(id_province("1"));
	assert_null(id_province(""));
	assert_null(id_province(NULL));
	assert_null(id_province("x1"));
	/* exactly the listed codes have a name */
	for (int c = 0; c < 100; c++) {
		bool listed = false;

		snprintf(r, sizeof r, "%02d", c);
		for (size_t i = 0; i < N(province_codes); i++)
			listed |= province_codes[i] == c;
		if (listed) {
			assert_non_null(id_province(r));
			k++;
		} else
			assert_null(id_province(r));
	}
	assert_int_equal(k, 34);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_valid),
		cmocka_unit_test(test_known_old),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_every_wrong_check_char),
		cmocka_unit_test(test_built),
		cmocka_unit_test(test_check_char),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_province),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
