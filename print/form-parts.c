/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-parts.c — the pieces every printed form is made of: the head of a
 * form (number, QR, title, township line), label-value grids, headings,
 * signature lines with or without the seal, the date as the paper writes
 * it, the staff member's name, and the one seal text.  Below the forms and
 * the lists (form-*.c, list-out.c) and the job that runs them (forms.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "print/forms.h"

#include "core/date.h"
#include "core/sizes.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"

void
form_date(dbdate_t d, char buf[32])
{
	if (d == 0)
		buf[0] = '\0';
	else
		snprintf(buf, 32, "%04d年%02d月%02d日", date_year(d), date_month(d), date_day(d));
}

/* The staff member's name as the paper shows it; the login if unknown. */
const char *
form_user_name(struct form_ctx *c, const char *login, char *buf, size_t size)
{
	struct user u;
	struct err e;

	buf[0] = '\0';
	if (login == NULL || login[0] == '\0')
		return buf;
	if (user_get(c->st, NULL, login, &u, &e) == 0 && u.name[0])
		snprintf(buf, size, "%s", u.name);
	else
		snprintf(buf, size, "%s", login);
	return buf;
}

/* Form number, reprint mark, title, the issuing township line, and the
 * verification QR in the top right corner (where it costs the form no
 * lines: a one-page form stays one page). */
int
form_begin(struct print_doc *doc, struct form_ctx *c, const char *title)
{
	char no[128], line[256];
	float qs = PRINT_MM(18);

	snprintf(no, sizeof no, "表号：%s  No. %s", c->def->number, c->d ? c->d->no : c->code);
	if (print_page_new(doc) != 0 || print_form_number(doc, no) != 0)
		return -1;
	if (print_qr(doc, print_right() - qs, print_top() - qs - PRINT_MM(1), qs, c->qr) != 0)
		return -1;
	if (c->reprint_note[0] && print_copy_mark(doc, "补打") != 0)
		return -1;
	if (print_title(doc, PRINT_SONG, title) != 0)
		return -1;
	if (c->reprint_note[0] && print_paragraph(doc, PRINT_SONG, 10.5f, 0, c->reprint_note) != 0)
		return -1;
	if (c->d)
		snprintf(line, sizeof line, "乡镇（街道）：%s    档案编号：%s    版本：%u", c->township,
		    c->d->no, c->version);
	else
		snprintf(line, sizeof line, "乡镇（街道）：%s", c->township);
	return print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0 || print_skip(doc, 4) != 0 ? -1 : 0;
}

/* A two-pair "label value label value" grid of n cells (a multiple of 4). */
int
form_kv(struct print_doc *doc, const char *const *cells, int n)
{
	const struct print_table t = {
		.ncols = 4, .width_mm = {30, 48, 30, 48}, .header = {NULL}, .size = 10.0f, .pad_mm = 1.0f,
	};
	for (int i = 0; i + 4 <= n; i += 4)
		if (print_table_row(doc, &t, cells + i) != 0)
			return -1;
	return 0;
}

int
form_heading(struct print_doc *doc, const char *text)
{
	return print_skip(doc, 6) != 0 || print_paragraph(doc, PRINT_SONG, 12, 0, text) != 0 ? -1 : 0;
}

/* A signature line whose date stands left of the seal's column at the
 * right margin (seal not NULL: the seal of that text in it, beside the date and never on
 * text; its centre a little above the line, beside the opinion above,
 * whose text ends short of that column).  Room for its lower half above
 * the footer. */
int
form_sign_seal_column(struct print_doc *doc, const char *seal, const char *role, const char *name,
    dbdate_t date)
{
	const float size = 12, pitch = PRINT_LINE_PITCH * size * 1.5f, r = PRINT_MM(SEAL_MM / 2);
	const float lift = PRINT_MM(7);
	char ds[32], left[256], right[96];
	float wd;

	form_date(date, ds);
	snprintf(left, sizeof left, "%s：%s", role, name[0] ? name : "____________");
	snprintf(right, sizeof right, "日期：%s", ds[0] ? ds : "______年____月____日");
	/* the seal's lower edge may stand in the bottom margin, 3 mm clear of
	 * the footer's rule (print_bottom() - 7 mm): a stamp over blank paper */
	if (print_need(doc, seal ? pitch / 2 + r - lift - PRINT_MM(4) : pitch) != 0 ||
	    print_text_width(doc, PRINT_SONG, size, right, strlen(right), &wd) != 0)
		return -1;
	float y = print_cursor(doc) - pitch / 2 - size * 0.35f;
	float cx = print_right() - r, x = cx - r - PRINT_MM(3) - wd;
	if (print_text_at(doc, PRINT_SONG, size, print_left() + 2 * size, y, left, strlen(left)) != 0 ||
	    print_text_at(doc, PRINT_SONG, size, x, y, right, strlen(right)) != 0 ||
	    (seal && print_seal(doc, cx, y + size * 0.35f + lift, seal, "民政办") != 0))
		return -1;
	print_set_cursor(doc, print_cursor(doc) - pitch);
	return 0;
}

/* A signature line with the recorded name and date; stamped: the seal
 * beside the date (form_sign_seal_column). */
int
form_stamp_line(struct print_doc *doc, struct form_ctx *c, const char *role, const char *name,
    dbdate_t date, bool stamp)
{
	char ds[32];
	float dx, dy;

	if (stamp)
		return form_sign_seal_column(doc, c->seal, role, name, date);
	form_date(date, ds);
	return print_sign_line_filled(doc, 12, role, name, ds, &dx, &dy);
}

/* The one seal text of every form: the setting seal.text, else
 * "<township>人民政府" (the list forms once printed the bare township name,
 * the dossier forms the government's). */
int
form_seal_text(struct store *st, char *out, size_t size, struct err *e)
{
	char township[TEXT_SHORT] = "";
	if (setting_get(st, NULL, "seal.text", out, size, e) != 0 ||
	    setting_get(st, NULL, "township.name", township, sizeof township, e) != 0)
		return -1;
	if (out[0] == '\0')
		snprintf(out, size, "%s人民政府", township[0] ? township : "乡镇");
	return 0;
}
