/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-csv-write.c — the one CSV writer (issue 20): RFC 4180 quoting, and
 * every cell a spreadsheet would run as a formula written behind an
 * apostrophe, plain negative numbers left as numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "store/csv-write.h"

static char *
row(const char *const *cells, int n)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	assert_non_null(f);
	csv_write_row(f, cells, n);
	assert_int_equal(fclose(f), 0);
	return p;
}

static void
test_guard(void **state)
{
	(void)state;
	const char *cells[] = {"=1+1", "+86 138", "@SUM(A1)", "\tx", "-1+1", "-", "-3.20", "-5", "张三", NULL};
	char *p = row(cells, 10);

	assert_string_equal(p, "'=1+1,'+86 138,'@SUM(A1),'\tx,'-1+1,'-,-3.20,-5,张三,\r\n");
	free(p);
	assert_true(csv_formula_like("\r1"));
	assert_false(csv_formula_like("-12.5"));
	assert_true(csv_formula_like("-1.2.3"));
	assert_false(csv_formula_like("1=1"));
	assert_false(csv_formula_like(""));
}

static void
test_quote(void **state)
{
	(void)state;
	const char *cells[] = {"a,b", "say \"hi\"", "two\nlines", "=A1,B1"};
	char *p = row(cells, 4);

	/* the apostrophe goes inside the quotes */
	assert_string_equal(p, "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=A1,B1\"\r\n");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
