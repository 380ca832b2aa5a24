/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-text.c — record text: well-formed UTF-8 at every boundary of the
 * encoding (overlongs, surrogates, past U+10FFFF, truncated sequences),
 * control characters, the byte limit, text_set refusing to truncate, and
 * the masking of bank accounts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/text.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

static const char BAD[] = "text: not valid UTF-8";
static const char CTRL[] = "text: control characters are not allowed";
static const char LONG[] = "text: too long";

static void
test_check(void **state)
{
	static const struct { const char *in; size_t max; const char *why; } t[] = {
		{"", 0, NULL}, {"a", 1, NULL}, {"张三", 6, NULL}, {"张三", 5, LONG},
		{"abc", 2, LONG}, {"abc", 3, NULL}, {"喆堃珺", 100, NULL},
		{"~ !", 3, NULL}, {"中文 English 123", 100, NULL},
		/* boundaries of each sequence length */
		{"\xc2\x80", 2, CTRL},               /* U+0080, a C1 control */
		{"\xc2\x9f", 2, CTRL},               /* U+009F */
		{"\xc2\xa0", 2, NULL},               /* U+00A0 */
		{"\xdf\xbf", 2, NULL},               /* U+07FF */
		{"\xe0\xa0\x80", 3, NULL},           /* U+0800 */
		{"\xed\x9f\xbf", 3, NULL},           /* U+D7FF */
		{"\xee\x80\x80", 3, NULL},           /* U+E000 */
		{"\xef\xbf\xbf", 3, NULL},           /* U+FFFF */
		{"\xf0\x90\x80\x80", 4, NULL},       /* U+10000 */
		{"\xf4\x8f\xbf\xbf", 4, NULL},       /* U+10FFFF */
		{"\xf0\xa0\x80\x80", 4, NULL},       /* U+20000, CJK ext. B */
		/* overlongs */
		{"\xc0\x80", 10, BAD}, {"\xc1\xbf", 10, BAD}, {"\xe0\x80\x80", 10, BAD},
		{"\xe0\x9f\xbf", 10, BAD}, {"\xf0\x80\x80\x80", 10, BAD},
		{"\xf0\x8f\xbf\xbf", 10, BAD}, {"\xc0\xaf", 10, BAD},
		/* surrogates */
		{"\xed\xa0\x80", 10, BAD}, {"\xed\xbf\xbf", 10, BAD}, {"\xed\xb0\x80", 10, BAD},
		/* beyond U+10FFFF and impossible bytes */
		{"\xf4\x90\x80\x80", 10, BAD}, {"\xf5\x80\x80\x80", 10, BAD},
		{"\xf8\x88\x80\x80\x80", 10, BAD}, {"\xfe", 10, BAD}, {"\xff", 10, BAD},
		/* stray and missing continuation bytes */
		{"\x80", 10, BAD}, {"a\xbf", 10, BAD}, {"\xc2", 10, BAD}, {"\xc2" "a", 10, BAD},
		{"\xe4\xb8", 10, BAD}, {"\xe4\xb8" "a", 10, BAD}, {"\xf0\x9f\x98", 10, BAD},
		{"\xf0\x9f" "a" "\x80", 10, BAD}, {"张\xe4", 10, BAD},
		{"\xc3\xa9\xc3", 10, BAD},
		/* controls */
		{"a\tb", 10, CTRL}, {"a\nb", 10, CTRL}, {"\r", 10, CTRL}, {"\x01", 10, CTRL},
		{"\x1f", 10, CTRL}, {"\x7f", 10, CTRL}, {"\x1b[31m", 10, CTRL},
		{" ", 1, NULL},
	};

	for (size_t i = 0; i < N(t); i++) {
		const char *why = NULL;
		int rc = text_check(t[i].in, t[i].max, &why);

		if (t[i].why == NULL) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, why);
		} else {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			if (strcmp(why, t[i].why) != 0)
				fail_msg("case %zu: \"%s\", wanted \"%s\"", i, why, t[i].why);
		}
	}
	{
		const char *why = NULL;

		assert_int_equal(text_check(NULL, 10, &why), -1);
		assert_non_null(why);
	}
}

/* Every code point encoded by hand is accepted exactly when it is a
 * scalar value that is not a control character. */
static void
test_every_code_point(void **state)
{
	char buf[5];
	const char *why;

	for (uint32_t cp = 1; cp <= 0x10ffff; cp++) {
		bool want = !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0xd800 && cp <= 0xdfff));
		size_t n;

		if (cp < 0x80) {
			buf[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			buf[0] = (char)(0xc0 | cp >> 6);
			buf[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			buf[0] = (char)(0xe0 | cp >> 12);
			buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			buf[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			buf[0] = (char)(0xf0 | cp >> 18);
			buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
			buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
			buf[3] = (char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		buf[n] = '\0';
		assert_int_equal(text_check(buf, n, &why) == 0, want);
		if (want)
			assert_int_equal(text_check(buf, n - 1, &why), -1);
	}
}

/* Every two-byte string: the decoder agrees with a plain rule. */
static void
test_every_byte_pair(void **state)
{
	unsigned char buf[3] = {0, 0, 0};
	const char *why;

	for (int a = 1; a < 256; a++)
		for (int b = 1; b < 256; b++) {
			bool want;

			buf[0] = (unsigned char)a;
			buf[1] = (unsigned char)b;
			if (a < 0x80 && b < 0x80)
				want = a >= 0x20 && a != 0x7f && b >= 0x20 && b != 0x7f;
			else if (a >= 0xc2 && a <= 0xdf && b >= 0x80 && b <= 0xbf)
				want = ((a & 0x1f) << 6 | (b & 0x3f)) >= 0xa0;
			else
				want = false;
			assert_int_equal(text_check((char *)buf, 2, &why) == 0, want);
		}
}

static void
test_set(void **state)
{
	char dst[7];
	const char *why = NULL;

	memset(dst, 'z', sizeof dst);
	assert_int_equal(text_set(dst, sizeof dst, "张三", &why), 0);
	assert_string_equal(dst, "张三");
	assert_int_equal(text_set(dst, sizeof dst, "", &why), 0);
	assert_string_equal(dst, "");
	assert_int_equal(text_set(dst, sizeof dst, "abcdef", &why), 0);
	assert_string_equal(dst, "abcdef");

	/* too long by one byte: refused, dst untouched */
	assert_int_equal(text_set(dst, sizeof dst, "abcdefg", &why), -1);
	assert_string_equal(why, LONG);
	assert_string_equal(dst, "abcdef");
	/* a third character would be cut in half: refused */
	assert_int_equal(text_set(dst, sizeof dst, "张三丰", &why), -1);
	assert_string_equal(why, LONG);
	assert_string_equal(dst, "abcdef");
	assert_int_equal(text_set(dst, sizeof dst, "a\nb", &why), -1);
	assert_string_equal(why, CTRL);
	assert_int_equal(text_set(dst, sizeof dst, "\xc0\x80", &why), -1);
	assert_string_equal(why, BAD);
	assert_int_equal(text_set(dst, 0, "", &why), -1);
	assert_string_equal(why, LONG);
	assert_int_equal(text_set(dst, 1, "", &why), 0);
	assert_int_equal(text_set(dst, 1, "a", &why), -1);
	assert_string_equal(dst, "");
}

static void
test_mask_account(void **state)
{
	static const struct { const char *in; size_t size; const char *out; } t[] = {
		{"6222021234567890123", 64, "***************0123"},
		{"6222 0212 3456 7890", 64, "***************7890"},
		{"12345", 64, "*2345"}, {"1234", 64, "1234"}, {"12", 64, "12"},
		{"", 64, ""}, {NULL, 64, ""},
		{"账号12345678", 64, "******5678"}, {"1234中国银行", 64, "****中国银行"},
		{"12\xff" "3456", 64, "***3456"}, {"123456\xff", 64, "***456?"},
		/* small buffers: stars go first, the tail stays readable */
		{"6222021234567890123", 8, "***0123"}, {"6222021234567890123", 5, "0123"},
		{"6222021234567890123", 4, ""}, {"6222021234567890123", 1, ""},
		{"1234中国银行", 13, "中国银行"}, {"1234中国银行", 12, ""},
	};
	char buf[64];

	for (size_t i = 0; i < N(t); i++) {
		memset(buf, 'z', sizeof buf);
		text_mask_account(t[i].in, buf, t[i].size);
		if (strcmp(buf, t[i].out) != 0)
			fail_msg("case %zu: \"%s\", wanted \"%s\"", i, buf, t[i].out);
	}
	/* size 0 writes nothing */
	memset(buf, 'z', sizeof buf);
	text_mask_account("123456", buf, 0);
	assert_int_equal(buf[0], 'z');
}

/* issue 20: the one decoder (core, print and import use it) keeps within
 * len: a sequence cut by len is malformed, one that fits is decoded */
static void
test_decode_bounded(void **state)
{
	(void)state;
	uint32_t cp = 0;

	assert_int_equal(utf8_decode("\xe4\xbd\xa0", 3, &cp), 3);   /* 你 */
	assert_int_equal(cp, 0x4f60);
	assert_int_equal(utf8_decode("\xe4\xbd\xa0", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xc3\xa9", 1, &cp), 0);
	assert_int_equal(utf8_decode("A", 0, &cp), 0);
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);      /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);  /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	/* a NUL ends a sequence whatever len says */
	assert_int_equal(utf8_decode("\xe4\xbd", SIZE_MAX, &cp), 0);
	assert_int_equal(utf8_decode("", SIZE_MAX, &cp), 1);
	assert_int_equal(cp, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_every_byte_pair),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_mask_account),
		cmocka_unit_test(test_decode_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
