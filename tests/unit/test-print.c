/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-print.c — print/: cmap lookups against the real Debian fonts, run
 * splitting with the fallback face, Chinese line breaking with the real
 * glyph widths, table pagination with a repeated header, the verification
 * code, a whole document saved to a mkdtemp directory, and a spooled one
 * whose pages share their resources and size.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "print/print.h"

static int
setup(void **state)
{
	struct print_error	 err;
	struct print_doc	*doc = print_doc_new(NULL, &err);

	if (doc == NULL) {
		fprintf(stderr, "%s\n", err.text);
		return -1;
	}
	*state = doc;
	return 0;
}

static int
teardown(void **state)
{
	print_doc_free(*state);
	return 0;
}

static uint32_t
first_cp(const char *s)
{
	uint32_t	cp;

	print_utf8_next(s, strlen(s), 0, &cp);
	return cp;
}

static void
test_cmap(void **state)
{
	struct print_doc	*doc = *state;
	const char		*rare[] = { "喆", "堃", "珺", "昇", "镕", "赟" };
	uint32_t		 bad = 0;
	size_t			 i;

	assert_true(print_has_glyph(doc, PRINT_SONG, first_cp("中")));
	assert_true(print_has_glyph(doc, PRINT_KAI, first_cp("中")));
	assert_true(print_has_glyph(doc, PRINT_SONG, 'A'));
	assert_true(print_has_glyph(doc, PRINT_SONG, first_cp("，")));
	for (i = 0; i < sizeof rare / sizeof rare[0]; i++) {
		assert_false(print_has_glyph(doc, PRINT_SONG, first_cp(rare[i])));
		assert_true(print_has_glyph(doc, PRINT_FALLBACK, first_cp(rare[i])));
	}
	/* U+0378 is unassigned; U+10FFFD is private use in plane 16. */
	for (i = 0; i < PRINT_NFACES; i++) {
		assert_false(print_has_glyph(doc, (enum print_face)i, 0x0378));
		assert_false(print_has_glyph(doc, (enum print_face)i, 0x10FFFD));
	}
	assert_int_equal(print_check_text(doc, PRINT_SONG, "王喆", &bad), 0);
	assert_int_equal(print_check_text(doc, PRINT_SONG, "王\xcd\xb8喆", &bad), -1);
	assert_int_equal(bad, 0x0378);
}

static void
test_missing_font(void **state)
{
	struct print_options	 opt = { .font_kai = "/nonexistent/gkai00mp.ttf" };
	struct print_error	 err;

	(void)state;
	assert_null(print_doc_new(&opt, &err));
	assert_non_null(strstr(err.text, "fonts-arphic-gkai00mp"));
}

/* fontconfig finds the Debian faces by family, each with its coverage */
static void
test_font_find(void **state)
{
	struct print_error	 err;
	const char		*path;
	int			 index;

	(void)state;
	assert_int_equal(print_font_find(PRINT_SONG, &path, &index, &err), 0);
	assert_non_null(strstr(path, "gbsn00lp.ttf"));
	assert_int_equal(index, 0);
	assert_int_equal(print_font_find(PRINT_KAI, &path, &index, &err), 0);
	assert_non_null(strstr(path, "gkai00mp.ttf"));
	assert_int_equal(print_font_find(PRINT_FALLBACK, &path, &index, &err), 0);
	assert_non_null(strstr(path, "uming.ttc"));
	assert_int_equal(index, 0);	/* AR PL UMing CN */
	assert_string_equal(print_font_package(PRINT_FALLBACK), "fonts-arphic-uming");
}

static void
test_runs(void **state)
{
	struct print_doc	*doc = *state;
	struct print_run	*runs;
	size_t			 n;
	uint32_t		 bad = 0;
	const char		*s = "申请人王喆和李堃 OK";
	float			 w;

	assert_int_equal(print_split_runs(doc, PRINT_SONG, s, strlen(s), &runs, &n, &bad), 0);
	assert_int_equal(n, 5);
	assert_int_equal(runs[0].face, PRINT_SONG);
	assert_int_equal(runs[0].len, strlen("申请人王"));
	assert_int_equal(runs[1].face, PRINT_FALLBACK);
	assert_int_equal(runs[1].len, strlen("喆"));
	assert_int_equal(runs[2].face, PRINT_SONG);
	assert_int_equal(runs[3].face, PRINT_FALLBACK);
	assert_int_equal(runs[4].face, PRINT_SONG);
	free(runs);

	s = "王\xcd\xb8喆";	/* U+0378: unassigned, in no font */
	assert_int_equal(print_split_runs(doc, PRINT_SONG, s, strlen(s), &runs, &n, &bad), -1);
	assert_int_equal(bad, 0x0378);
	assert_null(runs);
	assert_int_equal(print_text_width(doc, PRINT_SONG, 12, s, strlen(s), &w), -1);
	assert_int_equal(print_doc_error(doc)->codepoint, 0x0378);
	assert_non_null(strstr(print_doc_error(doc)->text, "U+0378"));
}

/* libharu failures come back as -1 with the code, never an exit. */
static void
test_hpdf_error(void **state)
{
	struct print_doc	*doc = *state;

	assert_int_equal(print_page_new(doc), 0);
	assert_int_equal(print_text_at(doc, PRINT_SONG, 0, 100, 100, "中", strlen("中")), -1);
	assert_non_null(print_doc_error(doc)->msgid);
	assert_int_not_equal(print_doc_error(doc)->status, 0);
	/* the document stays failed: later calls refuse */
	assert_int_equal(print_page_new(doc), -1);
}

static void
test_save_error(void **state)
{
	struct print_doc	*doc = *state;

	assert_int_equal(print_page_new(doc), 0);
	assert_int_equal(print_paragraph(doc, PRINT_SONG, 12, 2, "测试"), 0);
	assert_int_equal(print_doc_save(doc, "/nonexistent/dir/out.pdf"), -1);
	assert_non_null(strstr(print_doc_error(doc)->text, "cannot write"));
}

static void
test_widths(void **state)
{
	struct print_doc	*doc = *state;
	float			 w;

	assert_int_equal(print_text_width(doc, PRINT_SONG, 10, "中", strlen("中"), &w), 0);
	assert_float_equal(w, 10.0f, 0.01f);
	assert_int_equal(print_text_width(doc, PRINT_SONG, 10, "中文喆", strlen("中文喆"), &w), 0);
	assert_float_equal(w, 30.0f, 0.5f);
}

static bool
has_substr(const char *text, const struct print_line *l, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= l->len; i++) {
		if (memcmp(text + l->start + i, needle, n) == 0)
			return true;
	}
	return false;
}

static void
test_wrap(void **state)
{
	struct print_doc	*doc = *state;
	struct print_lines	 lines = { 0 };
	const char		*text =
	    "经入户调查和信息核对，家庭月人均收入为412.50元，低于本地城乡低保标准650.05元，"
	    "符合最低生活保障条件。拟按标补差，月保障金为237.55元；申请人签署了《核对授权书》"
	    "（Authorization Form），自2026年12月起发放。";
	float			 width, size = 12, w;
	size_t			 i, found = 0;
	int			 k;

	/* Many widths so breaks fall at every kind of place. */
	for (k = 0; k < 60; k++) {
		width = 60.0f + (float)k * 5.5f;
		assert_int_equal(print_wrap(doc, PRINT_SONG, size, text, width, &lines), 0);
		assert_true(lines.n >= 2);
		for (i = 0; i < lines.n; i++) {
			const char	*l = text + lines.v[i].start;
			uint32_t	 cp;

			assert_true(lines.v[i].width <= width + 0.01f);
			assert_int_equal(print_text_width(doc, PRINT_SONG, size, l,
			    lines.v[i].len, &w), 0);
			assert_float_equal(w, lines.v[i].width, 0.1f);
			print_utf8_next(l, lines.v[i].len, 0, &cp);
			assert_false(print_no_line_start(cp));
			assert_true(strncmp(l, "，", 3) != 0 && strncmp(l, "。", 3) != 0);
			/* the last character is not an opening bracket */
			if (i + 1 < lines.n && lines.v[i].len > 0) {
				size_t	 j = 0, last = 0;

				while (j < lines.v[i].len) {
					last = j;
					j = print_utf8_next(l, lines.v[i].len, j, &cp);
				}
				(void)last;
				assert_false(print_no_line_end(cp));
			}
			if (has_substr(text, &lines.v[i], "650.05") ||
			    has_substr(text, &lines.v[i], "Authorization"))
				found++;
		}
		/*
		 * Numbers and words never split: each still appears whole
		 * (only a word wider than the whole line may be cut).
		 */
		if (width >= 110)
			assert_true(found >= 2);
		found = 0;
		/* every byte but dropped spaces is on some line */
		{
			size_t	total = 0;

			for (i = 0; i < lines.n; i++)
				total += lines.v[i].len;
			assert_true(total + 1 >= strlen(text));
		}
	}
	print_lines_free(&lines);
}

static void
test_wrap_rare(void **state)
{
	struct print_doc	*doc = *state;
	struct print_lines	 lines = { 0 };
	const char		*text = "家庭成员陈昇、刘镕、赵赟均已签署。";

	assert_int_equal(print_wrap(doc, PRINT_SONG, 10, text, 45, &lines), 0);
	assert_true(lines.n >= 3);
	print_lines_free(&lines);
}

static void
test_table(void **state)
{
	struct print_doc	*doc = *state;
	struct print_table	 t = {
		.ncols = 3,
		.width_mm = { 20, 60, 60 },
		.header = { "序号", "姓名", "备注" },
		.size = 10.5f,
		.pad_mm = 1.5f,
	};
	const char		*cells[3];
	char			 no[8];
	int			 i, first, pages;

	assert_int_equal(print_page_new(doc), 0);
	first = print_page_count(doc);
	assert_int_equal(print_table_header(doc, &t), 0);
	for (i = 0; i < 80; i++) {
		snprintf(no, sizeof no, "%d", i + 1);
		cells[0] = no;
		cells[1] = "张珺";
		cells[2] = i % 3 ? "" : "一段较长的备注文字，需要在单元格内换行显示以检验行高的增长";
		assert_int_equal(print_table_row(doc, &t, cells), 0);
		assert_true(print_cursor(doc) >= print_bottom());
	}
	pages = print_page_count(doc) - first + 1;
	assert_true(pages >= 2);
}

/* After the table test, count the header on each page via pdftotext. */
static void
test_document(void **state)
{
	struct print_doc	*doc = *state;
	struct print_table	 t = {
		.ncols = 2,
		.width_mm = { 30, 80 },
		.header = { "表头甲", "表头乙" },
		.size = 12,
		.pad_mm = 1.5f,
	};
	const char		*cells[2] = { "数据", "李堃" };
	char			 dir[] = "/tmp/test-print.XXXXXX", path[256], cmd[600], buf[8];
	FILE			*f;
	int			 i, n;
	float			 dx, dy;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.pdf", dir);
	print_set_footer(doc, "青石镇人民政府", "测试员", "2026-11-22 10:00");
	assert_int_equal(print_page_new(doc), 0);
	assert_int_equal(print_title(doc, PRINT_KAI, "最低生活保障审核审批表"), 0);
	assert_int_equal(print_table_header(doc, &t), 0);
	for (i = 0; i < 80; i++)
		assert_int_equal(print_table_row(doc, &t, cells), 0);
	assert_int_equal(print_sign_line(doc, 12, "经办人", &dx, &dy), 0);
	assert_int_equal(print_seal(doc, dx, dy, "青石镇人民政府", "民政办"), 0);
	assert_int_equal(print_qr(doc, print_left(), print_bottom(), 60, "DIBAO:1"), 0);
	assert_int_equal(print_doc_save(doc, path), 0);

	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, 5, f), 5);
	fclose(f);
	assert_memory_equal(buf, "%PDF-", 5);

	/* The header repeats: as many "表头甲" as pages holding the table. */
	snprintf(cmd, sizeof cmd, "pdftotext %s - 2>/dev/null | grep -c 表头甲", path);
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%d", &n) == 1 && n > 0)
			assert_true(n >= 3);
		pclose(f);
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static int
count_in(const char *path, const char *what)
{
	FILE	*f = fopen(path, "rb");
	char	 buf[1 << 16];
	size_t	 n, k = strlen(what), have = 0;
	int	 c = 0;

	assert_non_null(f);
	/* the dictionaries of libharu's PDF are plain text between the streams */
	while ((n = fread(buf + have, 1, sizeof buf - have, f)) > 0) {
		char	*p = buf, *end = buf + have + n;
		while ((p = memmem(p, (size_t)(end - p), what, k)) != NULL) {
			c++;
			p += k;
		}
		have = k - 1 < (size_t)(end - buf) ? k - 1 : 0;
		memmove(buf, end - have, have);
	}
	fclose(f);
	return c;
}

/* A spooled document's pages share one /Resources and one /MediaBox on
 * their Pages node (issue 17); a page of another size keeps its own, a
 * page made before the spool keeps all of its own, and every page shows
 * its text and the seal drawn on it. */
static void
test_spool_shared(void **state)
{
	struct print_doc	*doc = *state;
	char			 dir[] = "/tmp/test-print.XXXXXX", path[256], cmd[600], line[256];
	const char		*want[] = { "竖页在先", "横页甲", "横页乙", "竖页在后" };
	FILE			*f;
	float			 dx, dy;
	int			 i, found = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/spool.pdf", dir);
	print_set_footer(doc, "青石镇人民政府", "测试员", "2026-11-22 10:00");
	assert_int_equal(print_page_new(doc), 0);
	assert_int_equal(print_paragraph(doc, PRINT_SONG, 12, 0, want[0]), 0);
	assert_int_equal(print_doc_spool(doc), 0);
	print_set_landscape(true);
	for (i = 1; i <= 2; i++) {
		assert_int_equal(print_page_new(doc), 0);
		assert_int_equal(print_paragraph(doc, PRINT_KAI, 12, 0, want[i]), 0);
	}
	print_set_landscape(false);
	assert_int_equal(print_page_new(doc), 0);
	assert_int_equal(print_paragraph(doc, PRINT_SONG, 12, 0, want[3]), 0);
	assert_int_equal(print_sign_line(doc, 12, "经办人", &dx, &dy), 0);
	assert_int_equal(print_seal(doc, dx, dy, "青石镇人民政府", "民政办"), 0);
	assert_int_equal(print_doc_save(doc, path), 0);

	/* the first page's and the shared; the first, the last and the shared */
	assert_int_equal(count_in(path, "/Resources"), 2);
	assert_int_equal(count_in(path, "/MediaBox"), 3);
	snprintf(cmd, sizeof cmd, "pdftotext %s - 2>/dev/null", path);
	if (system("command -v pdftotext >/dev/null") == 0 && (f = popen(cmd, "r")) != NULL) {
		for (i = 0; fgets(line, sizeof line, f) != NULL; )
			if (i < 4 && strstr(line, want[i]) != NULL)
				found = ++i;
		pclose(f);
		assert_int_equal(found, 4);	/* all four, in order */
	}
	snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1 || ! command -v qpdf >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_verify_code(void **state)
{
	uint8_t		 h[32];
	char		 code[13];
	int		 i, k;

	(void)state;
	memset(h, 0, sizeof h);
	print_verify_code(h, code);
	assert_string_equal(code, "0000-0000-00");
	memset(h, 0xFF, sizeof h);
	print_verify_code(h, code);
	assert_string_equal(code, "ZZZZ-ZZZZ-ZZ");
	/* 0x08 = 00001 000: the first 5 bits are 1 */
	memset(h, 0, sizeof h);
	h[0] = 0x08;
	print_verify_code(h, code);
	assert_string_equal(code, "1000-0000-00");
	for (k = 0; k < 200; k++) {
		for (i = 0; i < 32; i++)
			h[i] = (uint8_t)(k * 31 + i * 7 + (k >> 2));
		print_verify_code(h, code);
		assert_int_equal(strlen(code), 12);
		assert_true(code[4] == '-' && code[9] == '-');
		for (i = 0; i < 12; i++) {
			if (i == 4 || i == 9)
				continue;
			assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[i]));
			assert_null(strchr("ILOU", code[i]));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_cmap, setup, teardown),
		cmocka_unit_test(test_missing_font),
		cmocka_unit_test(test_font_find),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hpdf_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap_rare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_shared, setup, teardown),
		cmocka_unit_test(test_verify_code),
	};
	int	failures;

	failures = cmocka_run_group_tests(tests, NULL, NULL);
	return failures ? 1 : 0;
}
