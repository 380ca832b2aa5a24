/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-csv.c — the CSV reader on what Excel and WPS really write: quotes,
 * embedded commas and newlines, a BOM, CRLF; the encoding detection with a
 * GB18030 text made here through iconv; a quote left open is refused.
 */
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "import/encoding.h"
#include "import/sheet.h"

#include "store/err.h"

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

/* ---- issue 16 point 9: the streamed reader gives what csv_parse gives --- */

static void
same_sheet(const struct sheet *a, const struct sheet *b)
{
	assert_int_equal(a->n, b->n);
	for (int i = 0; i < a->n; i++) {
		assert_int_equal(a->rows[i].line, b->rows[i].line);
		assert_int_equal(a->rows[i].n, b->rows[i].n);
		for (int k = 0; k < a->rows[i].n; k++)
			assert_string_equal(sheet_cell(&a->rows[i], k), sheet_cell(&b->rows[i], k));
	}
}

/* text (UTF-8) of many rows: Chinese cells, quotes with commas, "" and
 * newlines, CRLF, LF and lone CR ends, blank rows; rows of odd lengths so
 * characters and CRLFs fall across the reader's 64 KB blocks */
static char *
big_text(size_t *len)
{
	size_t cap = 2 * 1024 * 1024, n = 0;
	char *t = malloc(cap);
	static const char *const ends[] = {"\r\n", "\n", "\r"};
	assert_non_null(t);
	n += (size_t)sprintf(t, "\xEF\xBB\xBF姓名,地址,备注\r\n");
	for (int i = 0; n < cap - 4096; i++) {
		if (i % 7 == 3) {
			n += (size_t)sprintf(t + n, ",,%s", ends[i % 3]);
			continue;
		}
		n += (size_t)sprintf(t + n, "张三%d,\"青石村,%.*s二组\",\"他说\"\"好\"\"\n第%d行\"%s", i,
		    3 * (i % 13), "一二三四五六七八九十甲乙丙", i, ends[(i / 7) % 3]);
	}
	*len = n;
	return t;
}

static void
read_stream(const char *data, size_t len, struct sheet *s, enum text_enc *enc)
{
	struct err e;
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	rewind(f);
	err_clear(&e);
	assert_int_equal(csv_read_file(f, s, enc, &e), 0);
	fclose(f);
}

static void
test_stream_utf8_gbk(void **state)
{
	struct sheet a, b, c;
	struct err e;
	enum text_enc enc;
	size_t len;
	char *t = big_text(&len);

	(void)state;
	err_clear(&e);
	assert_int_equal(csv_parse(t, len, &a, &e), 0);
	assert_true(a.n > 10000);
	read_stream(t, len, &b, &enc);
	assert_int_equal(enc, ENC_UTF8);
	same_sheet(&a, &b);
	/* the same text in GB18030 (the BOM dropped, as Excel writes GBK) */
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *g = malloc(2 * len), *ip = t + 3, *op = g;
	size_t il = len - 3, ol = 2 * len;
	assert_non_null(g);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	read_stream(g, (size_t)(op - g), &c, &enc);
	assert_int_equal(enc, ENC_GB18030);
	same_sheet(&a, &c);
	sheet_free(&a);
	sheet_free(&b);
	sheet_free(&c);
	free(g);
	free(t);
}

static void
test_stream_limits(void **state)
{
	struct sheet s;
	struct err e;
	enum text_enc enc;
	FILE *f;

	(void)state;
	/* a quote opened on line 3 and never closed, far from the end */
	f = tmpfile();
	assert_non_null(f);
	fputs("a,b\n1,2\n3,\"open\n", f);
	for (int i = 0; i < 1000; i++)
		fputs("x,y\n", f);
	rewind(f);
	err_clear(&e);
	assert_int_equal(csv_read_file(f, &s, &enc, &e), -1);
	assert_non_null(strstr(e.msg, "line 3"));
	fclose(f);
	/* a row of 100 KB (a quoted cell of many short lines) starting on
	 * line 2 is refused naming line 2, before the whole is read */
	f = tmpfile();
	assert_non_null(f);
	fputs("a,b\n\"", f);
	for (int i = 0; i < 100 * 1024; i++)
		fputc(i % 50 == 49 ? '\n' : 'z', f);
	fputs("\"\n", f);
	rewind(f);
	err_clear(&e);
	assert_int_equal(csv_read_file(f, &s, &enc, &e), -1);
	assert_non_null(strstr(e.msg, "line 2"));
	fclose(f);
	/* neither UTF-8 nor GB18030: named by line */
	f = tmpfile();
	assert_non_null(f);
	fputs("a,b\n\xB0\xA1,1\n\xFF\xFF,2\n", f);
	rewind(f);
	err_clear(&e);
	assert_int_equal(csv_read_file(f, &s, &enc, &e), -1);
	assert_non_null(strstr(e.msg, "line 3"));
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_lf_and_empty),
		cmocka_unit_test(test_open_quote),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_stream_utf8_gbk),
		cmocka_unit_test(test_stream_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
