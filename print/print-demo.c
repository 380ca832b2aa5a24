/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * print-demo.c — writes a sample 最低生活保障审核审批表 with every piece of
 * the print/ layer on it, for looking at and for tests/print/pdf.sh.
 * Not installed.  Usage: print-demo [--one-page] [--copy] OUT.pdf
 *
 * The default sample has a table that runs onto a second page and names
 * with rare characters (喆 堃 珺 昇 镕 赟) that only the fallback font has;
 * --one-page is a form without them, which must stay small (< 150 KB)
 * because the fallback face is embedded only when a run needs it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "print/print.h"

static const char *names[] = {
	"王喆", "李堃", "张珺", "陈昇", "刘镕", "赵赟", "孙建国", "周秀英",
};
static const char *rels[] = { "户主", "配偶", "子女", "父母" };

static int
fail(struct print_doc *doc)
{
	fprintf(stderr, "print-demo: %s\n", print_doc_error(doc)->text);
	print_doc_free(doc);
	return 1;
}

int
main(int argc, char **argv)
{
	struct print_doc	*doc;
	struct print_error	 err;
	struct print_table	 t = {
		.ncols = 6,
		.width_mm = { 12, 24, 14, 44, 36, 26 },
		.header = { "序号", "姓名", "关系", "身份证号码", "收入情况（元/月）", "备注" },
		.size = 10.5f,
		.pad_mm = 1.5f,
	};
	uint8_t			 hash[32];
	char			 code[13], no[8], income[32], id[32], qrdata[128];
	const char		*cells[6], *out = NULL;
	bool			 one_page = false, copy = false;
	float			 dx = 0, dy = 0, qs = PRINT_MM(22);
	int			 i, rows;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--one-page") == 0)
			one_page = true;
		else if (strcmp(argv[i], "--copy") == 0)
			copy = true;
		else
			out = argv[i];
	}
	if (out == NULL) {
		fprintf(stderr, "usage: print-demo [--one-page] [--copy] OUT.pdf\n");
		return 2;
	}
	if ((doc = print_doc_new(NULL, &err)) == NULL) {
		fprintf(stderr, "print-demo: %s\n", err.text);
		return 1;
	}
	print_set_footer(doc, "青石镇人民政府", "王晓燕", "2026-11-22 14:05");

	if (print_page_new(doc) != 0 ||
	    print_form_number(doc, "表号：DB-05  No. 2026-0418") != 0 ||
	    (copy && print_copy_mark(doc, "补打") != 0) ||
	    print_title(doc, PRINT_SONG, "最低生活保障审核审批表") != 0)
		return fail(doc);
	if (print_paragraph(doc, PRINT_SONG, 12, 2,
	    one_page ?
	    "申请人孙建国，户籍所在地青石镇东关村3组，家庭人口3人。经入户调查和"
	    "信息核对，家庭月人均收入为412.50元，低于本地城乡低保标准650.05元，"
	    "符合最低生活保障条件。拟按标补差，月保障金为237.55元，自2026年12月起发放。" :
	    "申请人王喆，户籍所在地青石镇东关村3组，家庭人口8人（含子女李堃、张珺）。"
	    "经入户调查和信息核对（核对编号HD-2026-00417，Version 2），家庭月人均收入为"
	    "412.50元，低于本地城乡低保标准650.05元，符合最低生活保障条件。"
	    "拟按标补差，月保障金为237.55元，自2026年12月起发放；"
	    "家庭成员陈昇、刘镕、赵赟均已签署《核对授权书》。") != 0)
		return fail(doc);
	if (print_skip(doc, 8) != 0 || print_table_header(doc, &t) != 0)
		return fail(doc);

	rows = one_page ? 4 : 26;
	for (i = 0; i < rows; i++) {
		snprintf(no, sizeof no, "%d", i + 1);
		snprintf(id, sizeof id, "33010219%02d0%d1%02d%d%c", 50 + i % 40, 1 + i % 9,
		    10 + i % 18, i % 10, i % 7 == 0 ? 'X' : '0' + i % 10);
		snprintf(income, sizeof income, "%d.%02d", 300 + i * 17, (i * 37) % 100);
		cells[0] = no;
		cells[1] = one_page ? names[6 + i % 2] : names[i % 8];
		cells[2] = rels[i % 4];
		cells[3] = id;
		cells[4] = income;
		cells[5] = i % 5 == 2 ? "重度残疾，一级肢体残疾证（长期卧床）" : "";
		if (print_table_row(doc, &t, cells) != 0)
			return fail(doc);
	}

	if (print_skip(doc, 10) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 12, 0,
	    "乡镇（街道）审核意见：经审核，同意上报。") != 0 ||
	    print_skip(doc, 6) != 0 ||
	    print_sign_line(doc, 12, "经办人", NULL, NULL) != 0 ||
	    print_sign_line(doc, 12, "审核人", &dx, &dy) != 0)
		return fail(doc);
	if (print_seal(doc, dx, dy, "青石镇人民政府", "民政办") != 0)
		return fail(doc);

	/* The verification marks: a stand-in hash, the real one is the caller's SHA-256. */
	for (i = 0; i < 32; i++)
		hash[i] = (uint8_t)(i * 73 + 41);
	print_verify_code(hash, code);
	snprintf(qrdata, sizeof qrdata, "DIBAO:330102-2026-0418:v3:%s", code);
	if (print_need(doc, qs + 20) != 0 ||
	    print_qr(doc, print_left(), print_cursor(doc) - qs, qs, qrdata) != 0 ||
	    print_text_at(doc, PRINT_SONG, 10.5f, print_left() + qs + 6,
	    print_cursor(doc) - qs / 2, "验证码：", strlen("验证码：")) != 0 ||
	    print_text_at(doc, PRINT_SONG, 10.5f, print_left() + qs + 6 + 10.5f * 4,
	    print_cursor(doc) - qs / 2, code, strlen(code)) != 0)
		return fail(doc);
	print_set_cursor(doc, print_cursor(doc) - qs);

	if (print_doc_save(doc, out) != 0)
		return fail(doc);
	print_doc_free(doc);
	return 0;
}
