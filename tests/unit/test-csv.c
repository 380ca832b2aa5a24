/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-csv.c — the CSV reader on what Excel and WPS really write: quotes,
 * embedded commas and newlines, a BOM, CRLF; the encoding detection with a
 * GB18030 text made here through iconv; a quote left open is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "import/import.h"

static void
parse(const char *text, struct sheet *s)
{
	struct err e;
	err_clear(&e);
	assert_int_equal(csv_parse(text, strlen(text), s, &e), 0);
}

static void
test_quotes(void **state)
{
	struct sheet s;
	parse("\xEF\xBB\xBF姓名,地址\r\n张三,\"青石村,二组\"\r\n李四,\"他说\"\"好\"\"\nok\"\r\n", &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(sheet_cell(&s.rows[0], 0), "姓名");      /* BOM skipped */
	assert_string_equal(sheet_cell(&s.rows[1], 1), "青石村,二组");
	assert_string_equal(sheet_cell(&s.rows[2], 1), "他说\"好\"\nok");
	assert_int_equal(s.rows[2].line, 3);                         /* a record is one row */
	sheet_free(&s);
}

static void
test_lf_and_empty(void **state)
{
	struct sheet s;
	parse("a,,c\nd,e,\n", &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(sheet_cell(&s.rows[0], 1), "");
	assert_string_equal(sheet_cell(&s.rows[0], 2), "c");
	assert_string_equal(sheet_cell(&s.rows[1], 1), "e");
	assert_string_equal(sheet_cell(&s.rows[1], 2), "");
	sheet_free(&s);
}

static void
test_open_quote(void **state)
{
	struct sheet s;
	struct err e;
	const char *t = "a,b\n\"never closed,x\ny\n";
	err_clear(&e);
	assert_int_equal(csv_parse(t, strlen(t), &s, &e), -1);
	assert_non_null(strstr(e.msg, "2"));
}

static void
test_gbk(void **state)
{
	const char *utf = "姓名,身份证号\r\n张三,330102195001010014\r\n";
	char gbk[256], *ip = (char *)utf, *op = gbk, *out;
	size_t il = strlen(utf), ol = sizeof gbk, outlen;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	enum text_enc enc;
	struct err e;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	assert_false(utf8_valid(gbk, (size_t)(op - gbk)));
	err_clear(&e);
	assert_int_equal(text_to_utf8(gbk, (size_t)(op - gbk), &out, &outlen, &enc, &e), 0);
	assert_int_equal(enc, ENC_GB18030);
	assert_string_equal(out, utf);
	free(out);
	assert_int_equal(text_to_utf8(utf, strlen(utf), &out, &outlen, &enc, &e), 0);
	assert_int_equal(enc, ENC_UTF8);
	free(out);
	/* neither: 0xFF is no GB18030 lead byte */
	assert_int_equal(text_to_utf8("ab\xFF\xFF", 4, &out, &outlen, &enc, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_lf_and_empty),
		cmocka_unit_test(test_open_quote),
		cmocka_unit_test(test_gbk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
