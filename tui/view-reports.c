/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-reports.c — 报表: the monthly report (written to the PDF and CSV
 * paths the clerk types, by the same writers as `dibao report monthly`),
 * a village's public notice (posted as `notice post`, its list written as
 * `report notice`), the screening lists (view-screen.c), the statistics of
 * a month (stats_build, as `dibao stats`) and the monthly recalculation
 * (case_recalc, as `dibao recalc`).  The report and the statistics walk
 * the whole audit chain: their progress is on the status line and Esc
 * cancels them (no file is written).
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/ledger-model.h"
#include "core/money.h"
#include "core/report.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/case.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/report.h"
#include "store/screen.h"
#include "store/village.h"

static const char *const items[] = {
	N_("Monthly report (动态管理月报): PDF and CSV"),
	N_("Public notice of a village: post it, write its list"),
	N_("Screening lists (重点筛查)"),
	N_("Statistics of the guarantee"),
	N_("Monthly recalculation (birthdays, new standards)"),
};
#define N_ITEMS (int)(sizeof items / sizeof items[0])

struct rep_data { int sel; };

static void *
rep_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct rep_data *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	return r;
}

static void
rep_draw(struct tui *t, void *data)
{
	struct rep_data *r = data;
	struct err e;
	dbmonth_t m;
	bool warn = false;
	err_clear(&e);
	draw_box_title(VIEW_TOP, _("Reports"));
	for (int i = 0; i < N_ITEMS; i++) {
		char b[200];
		snprintf(b, sizeof b, " %d  %s", i + 1, _(items[i]));
		draw_text(VIEW_TOP + 2 + i * 2, 4, COLS - 8, b, i == r->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	if (report_due(t->st, store_today(), &m, &warn, &e) == 0) {
		char mon[8], b[160];
		month_format(m, mon);
		snprintf(b, sizeof b, _("The monthly report of %s is due%s"), mon, warn ? _(" — now") : "");
		draw_text(VIEW_TOP + 3 + N_ITEMS * 2, 4, COLS - 8, b, warn ? attrs[AT_ERR] : (int)A_NORMAL);
	}
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
}

/* ---- the monthly report ------------------------------------------------ */

static int
save_monthly(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	dbmonth_t m;
	const char *why, *pdf = form_text(fm, 1), *csv = form_text(fm, 2);
	if (month_parse(form_text(fm, 0), &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	char p[FIELD_MAX * 4 + 1], c[FIELD_MAX * 4 + 1];
	snprintf(p, sizeof p, "%s", pdf);
	snprintf(c, sizeof c, "%s", csv);
	if (!p[0] && !c[0]) {
		/* neither given: both, in ~/低保输出 */
		char stem[32];
		snprintf(stem, sizeof stem, "%s-%s", _("monthly-report"), form_text(fm, 0));
		if (default_out_path(stem, "pdf", p, sizeof p, e) != 0 || default_out_path(stem, "csv", c, sizeof c, e) != 0)
			return -1;
	}
	tui_msg(t, "%s", _("Writing the monthly report…"));
	tui_draw_now(t);
	struct progress pg = {tui_progress, t};
	if (report_monthly_print(t->st, &t->user, m, p[0] ? p : NULL, c[0] ? c : NULL, &pg, e) != 0)
		return -1;
	tui_msg(t, _("Monthly report written: %s %s"), p, c);
	return 0;
}

static void
open_monthly(struct tui *t)
{
	struct err e;
	dbmonth_t m = month_of(store_today());
	bool warn;
	char mon[8];
	err_clear(&e);
	report_due(t->st, store_today(), &m, &warn, &e);
	month_format(m, mon);
	struct form_spec *s = form_spec_new(t, _("Monthly report"), save_monthly, 0);
	if (s == NULL)
		return;
	form_add_text(&s->form, N_("Month (YYYY-MM)"), 8, 7, valid_required, mon);
	form_add_text(&s->form, N_("PDF file"), 50, FIELD_MAX, NULL, "");
	form_add_text(&s->form, N_("CSV file"), 50, FIELD_MAX, NULL, "");
	tui_push(t, &view_form, s);
}

/* ---- the notice ---------------------------------------------------------- */

enum { NF_VILLAGE, NF_POST, NF_DATE, NF_PDF, NF_CSV };

static int
save_notice(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	char village[TEXT_SHORT * 4], pdf[FIELD_MAX * 4 + 1], csv[FIELD_MAX * 4 + 1];
	dbdate_t date = 0;
	const char *why;
	int posted = 0;
	bool post = fm->ff[NF_POST].choice == 1;
	snprintf(village, sizeof village, "%s", form_text(fm, NF_VILLAGE));
	snprintf(pdf, sizeof pdf, "%s", form_text(fm, NF_PDF));
	snprintf(csv, sizeof csv, "%s", form_text(fm, NF_CSV));
	if (date_parse_optional(form_text(fm, NF_DATE), &date, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (!post && !pdf[0] && !csv[0]) {
		/* only the list, with no file named: its PDF in ~/低保输出 */
		char stem[TEXT_SHORT * 4 + 16];
		snprintf(stem, sizeof stem, "%s-%s", _("notice"), village);
		if (default_out_path(stem, "pdf", pdf, sizeof pdf, e) != 0)
			return -1;
	}
	if (post && notice_post(t->st, &t->user, village, date, &posted, e) != 0)
		return -1;
	if ((pdf[0] || csv[0]) && notice_write(t->st, &t->user, village, pdf[0] ? pdf : NULL, csv[0] ? csv : NULL,
	    false, e) != 0)
		return -1;
	if (post)
		tui_msg(t, _("notice of %s posted: %d dossiers now in their notice period"), village, posted);
	else
		tui_msg(t, _("notice list of %s written: %s %s"), village, pdf, csv);
	return 0;
}

/* integrity (i12): the form names, for each village with reviewed cases
 * waiting, the earliest date its notice may carry */
struct notice_ctx {
	struct tui *t;
	char title[640];
	size_t len;
};

static int
earliest_of_village(const struct village *v, void *baton)
{
	struct notice_ctx *c = baton;
	struct err e;
	dbdate_t d;
	int n;
	char ds[11], one[160];
	err_clear(&e);
	if (notice_earliest(c->t->st, v->name, &d, &n, &e) != 0 || n == 0)
		return 0;
	int w = snprintf(one, sizeof one, "%s%s %s", c->len ? ", " : "", v->name, date_format(d, ds));
	if (w < 0 || (size_t)w >= sizeof one || c->len + (size_t)w + 4 >= 480) {
		if (c->len + 4 < sizeof c->title)
			c->len += (size_t)snprintf(c->title + c->len, sizeof c->title - c->len, "%s", "…");
		return 1;
	}
	memcpy(c->title + c->len, one, (size_t)w + 1);
	c->len += (size_t)w;
	return 0;
}

static void
open_notice(struct tui *t)
{
	struct form_spec *s = form_spec_new(t, _("Public notice"), save_notice, sizeof(struct notice_ctx));
	if (s == NULL)
		return;
	struct notice_ctx *c = s->ctx, list = {t, "", 0};
	struct err e;
	err_clear(&e);
	if (village_list(t->st, earliest_of_village, &list, &e) == 0 && list.len > 0) {
		snprintf(c->title, sizeof c->title, "%s — %s%s", _("Public notice"), _("earliest allowed date: "), list.title);
		s->form.title = c->title;
	}
	form_add_text(&s->form, N_("Village"), 20, 40, valid_required, "");
	form_add_choice(&s->form, N_("Post (reviewed cases enter the notice period)"), yes_no_terms, 2, 1);
	form_add_text(&s->form, N_("Notice start (empty: today)"), 11, 10, valid_date_optional, "");
	form_add_text(&s->form, N_("PDF file"), 50, FIELD_MAX, NULL, "");
	form_add_text(&s->form, N_("CSV file"), 50, FIELD_MAX, NULL, "");
	tui_push(t, &view_form, s);
}

/* ---- statistics and the recalculation -------------------------------------- */

static void
totals_line(struct linebuf *b, const char *key, const struct report_totals *x)
{
	char a[32];
	linebuf_add(b, NULL, _("%s\t%d households\t%d persons\t%s yuan per month"), key, x->households, x->persons,
	    money_format(x->amount, a));
}

static int
stats_lines(struct tui *t, const char *text, void *ctx, struct linebuf *b, struct err *e)
{
	(void)ctx;
	dbmonth_t m;
	const char *why;
	if (month_parse(text, &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	struct stats *s = malloc(sizeof *s);
	if (s == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	tui_msg(t, "%s", _("Counting…"));
	tui_draw_now(t);
	struct progress pg = {tui_progress, t};
	if (stats_build(t->st, m, s, &pg, e) != 0) {
		free(s);
		return -1;
	}
	const struct monthly_report *r = &s->r;
	totals_line(b, _("all"), &r->all);
	const struct { const char *title; const struct report_group *g; int n; } tg[] = {
		{N_("by village"), r->village, r->n_village}, {N_("by area"), r->area, r->n_area},
		{N_("by category"), r->category, r->n_category}, {N_("by support type"), r->support, r->n_support},
	};
	for (int i = 0; i < 4; i++) {
		linebuf_add(b, NULL, "%s", _(tg[i].title));
		for (int k = 0; k < tg[i].n; k++)
			totals_line(b, tg[i].g[k].key, &tg[i].g[k].t);
	}
	int permille = s->approved ? (int)((int64_t)s->reviews_current * 1000 / s->approved) : 1000;
	linebuf_add(b, NULL, _("review schedule kept: %d of %d approved dossiers (%d.%d%%)"), s->reviews_current,
	    s->approved, permille / 10, permille % 10);
	for (int i = 0; i < CC__N; i++)
		if (s->open_clues[i])
			linebuf_add(b, NULL, _("open clues, %s: %d"), clue_category_terms[i].zh, s->open_clues[i]);
	stats_free(s);
	free(s);
	tui_clear_msg(t);
	return 0;
}

static void
recalc_one(const char *no, fen_t old_total, fen_t total, const char *reason, void *baton)
{
	char a[32], b[32];
	linebuf_add(baton, no, "%s\t%s → %s\t%s", no, money_format(old_total, a), money_format(total, b), _(recalc_reason_text(reason)));
}

static int
recalc_lines(struct tui *t, const char *text, void *ctx, struct linebuf *b, struct err *e)
{
	(void)ctx;
	dbmonth_t m;
	const char *why;
	int changed = 0;
	if (month_parse(text, &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	tui_msg(t, "%s", _("Recalculating every approved dossier…"));
	tui_draw_now(t);
	if (case_recalc(t->st, &t->user, m, recalc_one, b, &changed, e) != 0)
		return -1;
	tui_msg(t, _("%d amount(s) changed"), changed);
	return 0;
}

static int
rep_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct rep_data *r = data;
	char mon[8];
	switch (a) {
	case K_UP: r->sel = (r->sel + N_ITEMS - 1) % N_ITEMS; return RD_VIEW;
	case K_DOWN: r->sel = (r->sel + 1) % N_ITEMS; return RD_VIEW;
	case K_ESC: tui_pop(t); return RD_VIEW;
	case K_CHAR:
		if (ch < '1' || ch >= '1' + N_ITEMS)
			return RD_NONE;
		r->sel = (int)(ch - '1');
		break;
	case K_ENTER:
		break;
	default:
		return RD_NONE;
	}
	month_format(month_of(store_today()), mon);
	switch (r->sel) {
	case 0: open_monthly(t); break;
	case 1: open_notice(t); break;
	case 2: tui_push(t, &view_screen, NULL); break;
	case 3:
		open_prompt_lines(t, _("Statistics of the guarantee"), N_("Month (YYYY-MM)"), mon, 7, valid_month,
		    stats_lines, NULL, 0, _("Statistics of the guarantee"));
		break;
	case 4:
		if (tui_may(t, ACT_CASE))
			open_prompt_lines(t, _("Monthly recalculation"), N_("Month (YYYY-MM)"), mon, 7, valid_month,
			    recalc_lines, NULL, 0, _("Amounts changed by the recalculation"));
		break;
	default: break;
	}
	return RD_VIEW;
}

static const struct key_table *
rep_table(void *data)
{
	(void)data;
	return key_table_named("reports");
}

const struct view view_reports = {
	.name = "reports", .init = rep_init, .free = free, .draw = rep_draw,
	.key = rep_key, .table = rep_table,
};
