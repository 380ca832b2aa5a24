/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-xlsx.c — the XLSX reader on workbooks made here: one by
 * libxlsxwriter (shared strings), one written as a zip by libarchive with
 * inline strings, character references and a date cell; an oversized
 * entry stopped by the caps; ../ names and symlinks never read; the
 * streamed reading gives what the whole one gives; 40,000 shared strings
 * (kept in a temporary file, read back through caches: issue 17) each
 * back as written.
 */
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "config.h"
#include "import/sheet.h"
#include "import/xlsx.h"

#include "store/err.h"

static char dir[] = "/tmp/dibao-xlsx.XXXXXX";

static void
zip_add(struct archive *a, const char *name, const char *body, size_t len, bool symlink)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	if (symlink) {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, body);
		archive_entry_set_size(e, 0);
	} else {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)len);
	}
	archive_entry_set_perm(e, 0644);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (!symlink)
		assert_int_equal(archive_write_data(a, body, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static const char sheet_inline[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&#26696;号</t></is></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><r><t>a&amp;</t></r><r><t>b</t></r></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>46097</v></c><c r=\"B3\"><v>650.04999999999995</v></c></row>"
    "</sheetData></worksheet>";
static const char styles[] =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

static void
make_zip(const char *path, const char *sheet, size_t sheetlen, bool evil)
{
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	if (evil) {
		/* these must never be read in place of the real ones */
		zip_add(a, "../xl/worksheets/sheet1.xml", "<x>", 3, false);
		zip_add(a, "xl/sharedStrings.xml", "/etc/passwd", 0, true);
	}
	zip_add(a, "xl/worksheets/sheet1.xml", sheet, sheetlen, false);
	zip_add(a, "xl/styles.xml", styles, strlen(styles), false);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* A new workbook by libxlsxwriter in the test's directory, its sheet */
static lxw_worksheet *
new_book(char path[128], const char *name, lxw_workbook **wb)
{
	snprintf(path, 128, "%s/%s", dir, name);
	*wb = workbook_new(path);
	assert_non_null(*wb);
	return workbook_add_worksheet(*wb, NULL);
}

static void
test_xlsxwriter(void **state)
{
	char path[128];
	struct sheet s;
	struct err e;

	lxw_workbook *wb;
	lxw_worksheet *ws = new_book(path, "w.xlsx", &wb);
	worksheet_write_string(ws, 0, 0, "姓名", NULL);
	worksheet_write_string(ws, 0, 1, "身份证号", NULL);
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_string(ws, 1, 1, "330102195001010014", NULL);
	worksheet_write_string(ws, 2, 0, "张三", NULL);      /* shared twice */
	worksheet_write_number(ws, 2, 1, 650.05, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	err_clear(&e);
	assert_int_equal(xlsx_read(path, NULL, &s, &e), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(sheet_cell(&s.rows[0], 1), "身份证号");
	assert_string_equal(sheet_cell(&s.rows[1], 1), "330102195001010014");
	assert_string_equal(sheet_cell(&s.rows[2], 0), "张三");
	assert_string_equal(sheet_cell(&s.rows[2], 1), "650.05");
	sheet_free(&s);
}

static void
test_inline_and_date(void **state)
{
	char path[128];
	struct sheet s;
	struct err e;

	snprintf(path, sizeof path, "%s/i.xlsx", dir);
	make_zip(path, sheet_inline, strlen(sheet_inline), true);
	err_clear(&e);
	assert_int_equal(xlsx_read(path, NULL, &s, &e), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(sheet_cell(&s.rows[0], 0), "案号");
	assert_string_equal(sheet_cell(&s.rows[0], 2), "a&b");
	assert_int_equal(s.rows[1].line, 3);
	assert_string_equal(sheet_cell(&s.rows[1], 0), "2026-03-16");
	assert_string_equal(sheet_cell(&s.rows[1], 1), "650.05");
	sheet_free(&s);
	assert_int_equal(excel_serial_date("46097"), 20260316);
	assert_int_equal(excel_serial_date("60"), 0);
	assert_int_equal(excel_serial_date("1"), 19000101);
}

static void
test_caps(void **state)
{
	char path[128];
	struct sheet s;
	struct err e;
	struct xlsx_caps caps = {.entry_max = 1 << 20, .total_max = 1 << 21, .entries_max = 100};
	size_t big = 4u << 20;
	char *body = malloc(big);

	/* 4 MB of spaces inside an element deflates to a few kB: a small bomb */
	assert_non_null(body);
	memset(body, ' ', big);
	memcpy(body, "<worksheet>", 11);
	memcpy(body + big - 12, "</worksheet>", 12);
	snprintf(path, sizeof path, "%s/b.xlsx", dir);
	make_zip(path, body, big, false);
	free(body);
	err_clear(&e);
	assert_int_equal(xlsx_read(path, &caps, &s, &e), -1);
	assert_non_null(strstr(e.msg, "sheet1.xml"));
	/* a DOCTYPE (the way entity bombs come in) is refused */
	const char *dt = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>";
	make_zip(path, dt, strlen(dt), false);
	assert_int_equal(xlsx_read(path, NULL, &s, &e), -1);
	/* not a zip */
	FILE *f = fopen(path, "w");
	fputs("姓名,身份证号\n", f);
	fclose(f);
	assert_int_equal(xlsx_read(path, NULL, &s, &e), -1);
}

/* The streamed reading (issue 17) against the whole one: every row's
 * line and cells the same, each row taken out of the sheet as it comes;
 * the styles come after the sheet in make_zip's workbook (the date cell
 * needs them), as the shared strings do in libxlsxwriter's. */
struct taken {
	char text[2048];
	int rows, stop_at;
};

static int
take(struct sheet *s, void *baton)
{
	struct taken *t = baton;
	for (int i = 0; i < s->n; i++) {
		size_t len = strlen(t->text);
		snprintf(t->text + len, sizeof t->text - len, "%d:", s->rows[i].line);
		for (int k = 0; k < s->rows[i].n; k++) {
			len = strlen(t->text);
			snprintf(t->text + len, sizeof t->text - len, "%s|", sheet_cell(&s->rows[i], k));
			free(s->rows[i].cell[k]);
		}
		free(s->rows[i].cell);
		strcat(t->text, "\n");
		if (++t->rows == t->stop_at) {
			s->n = 0;
			return -1;
		}
	}
	s->n = 0;
	return 0;
}

static void
streamed_as_whole(const char *path)
{
	struct sheet s;
	struct err e;
	struct taken whole = {.stop_at = -1}, streamed = {.stop_at = -1};

	err_clear(&e);
	assert_int_equal(xlsx_read(path, NULL, &s, &e), 0);
	assert_int_equal(take(&s, &whole), 0);
	sheet_free(&s);
	assert_int_equal(xlsx_read_rows(path, NULL, &s, take, &streamed, &e), 0);
	assert_int_equal(take(&s, &streamed), 0);
	sheet_free(&s);
	assert_true(whole.rows > 0);
	assert_int_equal(streamed.rows, whole.rows);
	assert_string_equal(streamed.text, whole.text);
}

static void
test_streamed(void **state)
{
	char path[128];
	struct sheet s;
	struct err e;

	lxw_workbook *wb;
	lxw_worksheet *ws = new_book(path, "s.xlsx", &wb);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	for (int r = 0; r < 50; r++) {
		char name[32];
		snprintf(name, sizeof name, "户主%d", r % 7);    /* shared again and again */
		worksheet_write_string(ws, (lxw_row_t)r, 0, name, NULL);
		worksheet_write_number(ws, (lxw_row_t)r, 1, 650.05 + r, NULL);
		worksheet_write_number(ws, (lxw_row_t)r, 2, 46097 + r, date);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	streamed_as_whole(path);
	snprintf(path, sizeof path, "%s/i.xlsx", dir);
	make_zip(path, sheet_inline, strlen(sheet_inline), true);
	streamed_as_whole(path);
	/* the date resolved although the styles come after the sheet */
	struct taken t = {.stop_at = -1};
	assert_int_equal(xlsx_read_rows(path, NULL, &s, take, &t, &e), 0);
	assert_non_null(strstr(t.text, "3:2026-03-16|650.05|"));
	sheet_free(&s);
	/* a row refused stops the reading, its error kept */
	struct taken stop = {.stop_at = 1};
	err_clear(&e);
	err_set(&e, E_REFUSED, "%s", "row refused");
	assert_int_equal(xlsx_read_rows(path, NULL, &s, take, &stop, &e), -1);
	assert_string_equal(e.msg, "row refused");
	assert_int_equal(stop.rows, 1);
}

/* Cell k of row r of test_many_strings' workbook */
static void
many_cell(int r, int k, char *out, size_t size)
{
	if (k == 0 && r % 997 == 5) {        /* now and then a long one, across blocks */
		int n = snprintf(out, size, "长%d:", r);
		for (int i = n; i < 3000 && (size_t)i + 1 < size; i++)
			out[i] = (char)('a' + (r + i) % 26);
		out[3000 < size - 1 ? 3000 : size - 1] = '\0';
	} else if (k == 0) {
		snprintf(out, size, "新%d", r);                 /* new: the strings pass by */
	} else if (k == 1) {
		snprintf(out, size, "旧%d", r * 7919 % 5000);   /* far behind them */
	} else {
		snprintf(out, size, "新%d", r > 0 ? r - 1 : 0); /* just behind them */
	}
}

/* Many shared strings, new, far behind and just behind, read back streamed
 * (their caches: a bad block or index shows in a cell) */
static int
many_take(struct sheet *s, void *baton)
{
	int *rows = baton;
	char want[3100];

	for (int i = 0; i < s->n; i++) {
		for (int k = 0; k < 3; k++) {
			many_cell(s->rows[i].line - 1, k, want, sizeof want);
			assert_string_equal(sheet_cell(&s->rows[i], k), want);
		}
		for (int k = 0; k < s->rows[i].n; k++)
			free(s->rows[i].cell[k]);
		free(s->rows[i].cell);
		(*rows)++;
	}
	s->n = 0;
	return 0;
}

static void
test_many_strings(void **state)
{
	char path[128], text[3100];
	struct sheet s;
	struct err e;
	int rows = 0;

	(void)state;
	lxw_workbook *wb;
	lxw_worksheet *ws = new_book(path, "m.xlsx", &wb);
	for (int r = 0; r < 40000; r++)
		for (int k = 0; k < 3; k++) {
			many_cell(r, k, text, sizeof text);
			worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)k, text, NULL);
		}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	err_clear(&e);
	assert_int_equal(xlsx_read_rows(path, NULL, &s, many_take, &rows, &e), 0);
	assert_int_equal(many_take(&s, &rows), 0);
	sheet_free(&s);
	assert_int_equal(rows, 40000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsxwriter),
		cmocka_unit_test(test_inline_and_date),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_streamed),
		cmocka_unit_test(test_many_strings),
	};
	if (mkdtemp(dir) == NULL)
		return 1;
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		r++;
	return r ? 1 : 0;
}
