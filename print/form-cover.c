/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-cover.c — the paper file of one dossier (SPEC section 8): the
 * archive cover with its contents list (卷内目录), and the separator sheets
 * for scanning, one per material that applies (or was received), each with
 * the QR code a scan is filed by.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"
#include "store/checklist.h"
#include "store/kin.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"

#define BODY FORM_BODY_SIZE

/* ---- 档案封面、卷内目录 -------------------------------------------------- */

static int
applicable(struct form_ctx *c, struct checklist_def *defs, int *n)
{
	struct checklist_facts f;
	bool kin = false;
	int k = 0;

	if (checklist_template(c->st, NULL, defs, MAX_ITEMS, n, c->e) != 0 ||
	    kin_has_match(c->st, NULL, c->d->no, &kin, c->e) != 0)
		return -1;
	checklist_facts_of(c->d, kin, &f);
	for (int i = 0; i < *n; i++) {
		const struct check_item *it = checklist_item(c->d, defs[i].code);
		/* what applies, and anything already received even if not */
		if (checklist_applies(&defs[i], &f) || (it && it->received))
			defs[k++] = defs[i];
	}
	*n = k;
	return 0;
}

int
form_cover(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	const struct print_table t = {
		.ncols = 7, .width_mm = {10, 14, 56, 26, 14, 14, 22},
		.header = {"序号", "代码", "材料名称", "收到日期", "签字", "盖章", "扫描件"},
		.size = 10.0f, .pad_mm = 1.0f,
	};
	struct checklist_def defs[MAX_ITEMS];
	char ap[32], ok[32], cat[8], n[16];
	float qs = PRINT_MM(40);
	int nd;

	if (applicable(c, defs, &nd) != 0)
		return -1;
	form_date(d->applied, ap);
	form_date(d->proc.approved, ok);
	snprintf(cat, sizeof cat, "%c", d->category ? d->category : ' ');
	snprintf(n, sizeof n, "%d 人", form_living(d));
	const char *kv[] = {
		"档案编号", d->no, "户主姓名", form_head(d)->name,
		"村（社区）", d->village, "家庭人口", n,
		"城乡类别", area_terms[d->area].zh, "分类管理", cat,
		"申请日期", ap, "批准日期", ok,
		"当前状态", status_terms[d->status].zh, "保管单位", c->township,
	};
	if (print_page_new(doc) != 0 || print_form_number(doc, "表号：DB-09") != 0 ||
	    (c->reprint_note[0] && print_copy_mark(doc, "补打") != 0) || print_skip(doc, 40) != 0 ||
	    print_title(doc, PRINT_SONG, "最低生活保障对象档案") != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 0, c->reprint_note) != 0 ||
	    print_skip(doc, 16) != 0 || form_kv(doc, kv, (int)(sizeof kv / sizeof kv[0])) != 0 ||
	    print_skip(doc, 24) != 0 || print_need(doc, qs + 20) != 0)
		return -1;
	/* the dossier number alone: a scanner files the cover by it */
	float y = print_cursor(doc) - qs, x = (print_left() + print_right() - qs) / 2, w;
	if (print_qr(doc, x, y, qs, d->no) != 0 ||
	    print_text_width(doc, PRINT_SONG, 10.5f, d->no, strlen(d->no), &w) != 0 ||
	    print_text_at(doc, PRINT_SONG, 10.5f, (print_left() + print_right() - w) / 2, y - 14,
	    d->no, strlen(d->no)) != 0)
		return -1;
	print_set_cursor(doc, y - 20);

	/* 卷内目录 */
	if (print_page_new(doc) != 0 || print_form_number(doc, "表号：DB-09") != 0 ||
	    print_title(doc, PRINT_SONG, "卷内目录") != 0)
		return -1;
	{
		char line[160];
		snprintf(line, sizeof line, "档案编号：%s    户主：%s    版本：%u", d->no, form_head(d)->name, c->version);
		if (print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0 || print_skip(doc, 4) != 0 ||
		    print_table_header(doc, &t) != 0)
			return -1;
	}
	for (int i = 0; i < nd; i++) {
		const struct check_item *it = checklist_item(d, defs[i].code);
		char no[16], rd[32] = "", sc[16] = "";
		const char *cells[7];
		snprintf(no, sizeof no, "%d", i + 1);
		if (it && it->received) {
			date_format(it->received, rd);
		}
		if (it && it->n_scans)
			snprintf(sc, sizeof sc, "%d 份", it->n_scans);
		cells[0] = no;
		cells[1] = defs[i].code;
		cells[2] = defs[i].name;
		cells[3] = rd;
		cells[4] = !defs[i].needs_sign ? "—" : it && it->is_signed ? "已签" : "未签";
		cells[5] = !defs[i].needs_stamp ? "—" : it && it->stamped ? "已盖" : "未盖";
		cells[6] = sc;
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	return 0;
}

/* ---- 分隔页 ------------------------------------------------------------- */

int
form_separators(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	struct checklist_def defs[MAX_ITEMS];
	float qs = PRINT_MM(60), w;
	int nd;

	if (applicable(c, defs, &nd) != 0)
		return -1;
	for (int i = 0; i < nd; i++) {
		char data[96], line[1024];
		/* "<dossier>_<code>": a scan named after it attaches itself */
		snprintf(data, sizeof data, "%s_%.7s", d->no, defs[i].code);
		snprintf(line, sizeof line, "表号：DB-10  %d/%d", i + 1, nd);
		if (print_page_new(doc) != 0 || print_form_number(doc, line) != 0 ||
		    (c->reprint_note[0] && print_copy_mark(doc, "补打") != 0) ||
		    print_skip(doc, 20) != 0 || print_title(doc, PRINT_SONG, "材料分隔页") != 0)
			return -1;
		snprintf(line, sizeof line, "%.7s  %.255s", defs[i].code, defs[i].name);
		if (print_title(doc, PRINT_SONG, line) != 0)
			return -1;
		snprintf(line, sizeof line, "档案编号：%s    户主：%s    %s", d->no, form_head(d)->name, c->township);
		if (print_paragraph(doc, PRINT_SONG, BODY, 0, line) != 0 || print_skip(doc, 20) != 0 ||
		    print_need(doc, qs + 30) != 0)
			return -1;
		float y = print_cursor(doc) - qs, x = (print_left() + print_right() - qs) / 2;
		if (print_qr(doc, x, y, qs, data) != 0 ||
		    print_text_width(doc, PRINT_SONG, BODY, data, strlen(data), &w) != 0 ||
		    print_text_at(doc, PRINT_SONG, BODY, (print_left() + print_right() - w) / 2, y - 18,
		    data, strlen(data)) != 0)
			return -1;
		print_set_cursor(doc, y - 30);
		if (print_paragraph(doc, PRINT_SONG, 10.5f, 2,
		    "扫描时将本页放在该项材料之前；扫描软件按二维码内容命名文件，导入时自动归入本档案的该项材料。") != 0)
			return -1;
	}
	return 0;
}
