/*
 * view-reports.c — 报表: the monthly report (written to the PDF and CSV
 * paths the clerk types, by the same writers as `dibao report monthly`),
 * posting a village's public notice, the screening lists and the
 * statistics of the guarantee today.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

static const char *const items[] = {
	N_("Monthly report (动态管理月报): PDF and CSV"),
	N_("Post the public notice of a village"),
	N_("Screening lists (重点筛查)"),
	N_("Statistics of the guarantee"),
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
	draw_text(LINES - 3, 0, COLS, _("Enter or the digit opens; Esc goes back"), A_BOLD);
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
	if (!pdf[0] && !csv[0])
		return err_set(e, E_REFUSED, "%s", _("give a PDF or a CSV path"));
	tui_msg(t, "%s", _("Writing the monthly report…"));
	tui_draw_now(t);
	char p[FIELD_MAX * 4 + 1], c[FIELD_MAX * 4 + 1];
	snprintf(p, sizeof p, "%s", pdf);
	snprintf(c, sizeof c, "%s", csv);
	if (report_monthly_write(t->st, &t->user, m, p[0] ? p : NULL, c[0] ? c : NULL, e) != 0)
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

static int
do_notice(struct tui *t, const char *village, void *ctx, struct err *e)
{
	(void)ctx;
	int posted = 0;
	if (notice_post(t->st, &t->user, village, 0, &posted, e) != 0)
		return -1;
	tui_msg(t, _("notice of %s posted: %d dossiers now in their notice period"), village, posted);
	return 0;
}

/* ---- screening and statistics --------------------------------------------- */

static int
one_row(const struct screen_row *r, void *baton)
{
	struct linebuf *b = baton;
	char v[11] = "";
	if (r->visited)
		date_format(r->visited, v);
	return linebuf_add(b, r->d->no, "%s\t%s\t%s\t%s\t%s%s%s", r->d->no, r->d->village, r->m ? r->m->name : "",
	    r->reason, v[0] ? _("visited ") : "", v, r->outcome);
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

static void
open_screen(struct tui *t, int kind)
{
	static struct line_act acts[SCR__N];
	struct err e;
	struct linebuf b = {0};
	err_clear(&e);
	if (screen_list(t->st, (enum screen_kind)kind, 0, one_row, &b, &e) != 0) {
		linebuf_free(&b);
		tui_error(t, &e);
		return;
	}
	acts[kind] = (struct line_act){N_("Record a visit"), N_("Outcome"),
	    N_("F3 records a visit outcome; Enter opens the dossier; Esc goes back"), do_visit, kind};
	linebuf_open_act(t, &b, screen_terms[kind].zh, &acts[kind]);
}

static const char *
yuan(fen_t f, char b[32])
{
	money_format(f, b);
	return b;
}

static void
totals_line(struct linebuf *b, const char *key, const struct report_totals *x)
{
	char a[32];
	linebuf_add(b, NULL, _("%-12s %6d households %6d persons  %s yuan per month"), key, x->households, x->persons,
	    yuan(x->amount, a));
}

static void
open_stats(struct tui *t)
{
	struct err e;
	struct linebuf b = {0};
	struct monthly_report *r = malloc(sizeof *r);
	err_clear(&e);
	if (r == NULL) {
		tui_oom(t);
		return;
	}
	tui_msg(t, "%s", _("Counting…"));
	tui_draw_now(t);
	if (report_monthly(t->st, month_of(store_today()), r, &e) != 0) {
		tui_error(t, &e);
		free(r);
		return;
	}
	totals_line(&b, _("all"), &r->all);
	const struct { const char *title; const struct report_group *g; int n; } tg[] = {
		{N_("by village"), r->village, r->n_village}, {N_("by area"), r->area, r->n_area},
		{N_("by category"), r->category, r->n_category}, {N_("by support type"), r->support, r->n_support},
	};
	for (int i = 0; i < 4; i++) {
		linebuf_add(&b, NULL, "%s", _(tg[i].title));
		for (int k = 0; k < tg[i].n; k++)
			totals_line(&b, tg[i].g[k].key, &tg[i].g[k].t);
	}
	report_free(r);
	free(r);
	tui_clear_msg(t);
	linebuf_open(t, &b, _("Statistics of the guarantee"));
}

static int
rep_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct rep_data *r = data;
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
	switch (r->sel) {
	case 0: open_monthly(t); break;
	case 1:
		if (tui_may(t, ACT_CASE))
			open_prompt(t, _("Post the public notice"), N_("Village"), "", 40, valid_required, do_notice, NULL, 0);
		break;
	case 2: tui_push(t, &view_screen_pick, NULL); break;
	case 3: open_stats(t); break;
	default: break;
	}
	return RD_VIEW;
}

static unsigned long long
rep_keys(void *data)
{
	(void)data;
	return KM_BASIC;
}

const struct view view_reports = {
	.name = "reports", .init = rep_init, .free = free, .draw = rep_draw,
	.key = rep_key, .keys = rep_keys,
};

/* ---- the screening lists' chooser ------------------------------------------ */

static void *
pick_init(struct tui *t, void *arg)
{
	return rep_init(t, arg);
}

static void
pick_draw(struct tui *t, void *data)
{
	(void)t;
	struct rep_data *r = data;
	draw_box_title(VIEW_TOP, _("Screening lists (重点筛查)"));
	for (int i = 0; i < SCR__N && VIEW_TOP + 2 + i < LINES - 3; i++) {
		char b[160];
		snprintf(b, sizeof b, " %d  %s", i + 1, screen_terms[i].zh);
		draw_text(VIEW_TOP + 2 + i, 4, COLS - 8, b, i == r->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	draw_text(LINES - 3, 0, COLS, _("Enter or the digit opens; Esc goes back"), A_BOLD);
}

static int
pick_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct rep_data *r = data;
	switch (a) {
	case K_UP: r->sel = (r->sel + SCR__N - 1) % SCR__N; break;
	case K_DOWN: r->sel = (r->sel + 1) % SCR__N; break;
	case K_ESC: tui_pop(t); break;
	case K_CHAR:
		if (ch < '1' || ch >= '1' + SCR__N)
			return RD_NONE;
		r->sel = (int)(ch - '1');
		/* FALLTHROUGH */
	case K_ENTER:
		tui_msg(t, "%s", _("Counting…"));
		tui_draw_now(t);
		tui_clear_msg(t);
		open_screen(t, r->sel);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

const struct view view_screen_pick = {
	.name = "screen-pick", .init = pick_init, .free = free, .draw = pick_draw,
	.key = pick_key, .keys = rep_keys,
};
