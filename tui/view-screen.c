/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-screen.c — 重点筛查: a screening list chosen with its options (since
 * a date, one village) and, when paths are typed, written as PDF and CSV —
 * screen_write, as `dibao screen KIND` does; F2 then shows the list, where
 * F3 records a visit's outcome (visit_record, as `screen visit-record`)
 * and Enter opens the dossier.  ID numbers stay masked.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/ledger-model.h"
#include "core/sizes.h"
#include "store/err.h"
#include "store/screen.h"

enum { SF_KIND, SF_SINCE, SF_VILLAGE, SF_PDF, SF_CSV };

static void *
screen_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct form *fm = calloc(1, sizeof *fm);
	if (fm == NULL)
		return NULL;
	fm->title = _("Screening lists (重点筛查)");
	form_add_choice(fm, N_("List"), screen_terms, SCR__N, 0);
	form_add_text(fm, N_("Exited or rejected since (empty: all)"), 11, 10, valid_date_optional, "");
	form_add_text(fm, N_("Village (empty: all)"), 20, 20, NULL, "");
	form_add_text(fm, N_("PDF file"), 50, FIELD_MAX, NULL, "");
	form_add_text(fm, N_("CSV file"), 50, FIELD_MAX, NULL, "");
	return fm;
}

static void
screen_draw(struct tui *t, void *data)
{
	form_tool_draw(t, data, tui_hint(t));
}

static int
do_visit(struct tui *t, const char *text, void *ctx, struct err *e)
{
	const struct line_ctx *c = ctx;
	if (visit_record(t->st, &t->user, (enum screen_kind)c->arg, c->no, text, e) != 0)
		return -1;
	tui_msg(t, _("visit of %s recorded"), c->no);
	return 0;
}

static const char *
opt(const struct form *fm, int i, char *buf, size_t size)
{
	snprintf(buf, size, "%s", form_text(fm, i));
	return buf[0] ? buf : NULL;
}

static int
run(struct tui *t, void *data, struct err *e)
{
	static struct line_act acts[SCR__N];
	struct form *fm = data;
	int k = fm->ff[SF_KIND].choice;
	dbdate_t since = 0;
	const char *why;
	char village[TEXT_SHORT * 4], pdf[FIELD_MAX * 4 + 1], csv[FIELD_MAX * 4 + 1];
	struct list_table rows = {0};
	struct linebuf b = {0};

	if (date_parse_optional(form_text(fm, SF_SINCE), &since, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	tui_msg(t, "%s", _("Counting…"));
	tui_draw_now(t);
	if (screen_write(t->st, &t->user, (enum screen_kind)k, since, opt(fm, SF_VILLAGE, village, sizeof village),
	    opt(fm, SF_PDF, pdf, sizeof pdf), opt(fm, SF_CSV, csv, sizeof csv), &rows, e) != 0) {
		list_free(&rows);
		return -1;
	}
	/* the cells as written: 序号 档案编号 村 组 姓名 身份证号 原因 走访日期 走访结果 */
	for (size_t i = 0; i < rows.n; i++) {
		const char *const *r = list_row(&rows, i);
		linebuf_add(&b, r[1], "%s\t%s%s\t%s\t%s\t%s\t%s%s%s", r[1], r[2], r[3], r[4], r[5], r[6],
		    r[7][0] ? _("visited ") : "", r[7], r[8]);
	}
	list_free(&rows);
	if (pdf[0] || csv[0])
		tui_msg(t, _("%d on the list, written to %s %s"), b.n, pdf, csv);
	else
		tui_clear_msg(t);
	acts[k] = (struct line_act){N_("Record a visit"), N_("Outcome"),
	    N_("F3 records a visit outcome; Enter opens the dossier; Esc goes back"), do_visit, k};
	linebuf_open_act(t, &b, screen_terms[k].zh, &acts[k]);
	return 0;
}

static int
screen_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	return form_action_key(t, data, a, ch, run, data);
}

static const struct key_table *
screen_table(void *data)
{
	(void)data;
	return key_table_named("screen");
}

const struct view view_screen = {
	.name = "screen", .init = screen_init, .free = free, .draw = screen_draw,
	.key = screen_key, .table = screen_table,
};
