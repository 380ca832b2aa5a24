/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-ledger.c — 台账: the complaint clue ledger and the rectification
 * ledger (F7 switches).  F3 adds, F4 adds a progress note, F6 closes
 * (销号), Enter shows an entry — the clue through clue_show(), which shows
 * the reporter only to the inspector and the admin (and audits it) — and
 * F8 writes the ledger as CSV (ledger_csv_write, as `clue|fix list
 * --csv`).  Overdue open entries are marked.
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
#include "core/report.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/ledger.h"

struct led_data {
	bool fixes;
	struct linebuf rows;     /* "dossier" holds the entry's number */
	int sel, top, generation;
	int w[TAB_COLS];
	dbdate_t today;
};

static int
one_clue(const struct clue *c, void *baton)
{
	struct led_data *l = baton;
	char dl[11] = "", rc[11];
	date_format(c->deadline, dl);
	date_format(c->received, rc);
	const char *state = c->closed ? _("closed") : ledger_overdue(c->deadline, c->closed, l->today) ? _("OVERDUE") : _("open");
	return linebuf_add(&l->rows, c->no, "%s\t%s\t%s\t%s\t%s\t%s", c->no, rc, clue_category_terms[c->category].zh,
	    state, dl, c->content);
}

static int
one_fix(const struct fix *f, void *baton)
{
	struct led_data *l = baton;
	char dl[11] = "", rc[11];
	date_format(f->deadline, dl);
	date_format(f->recorded, rc);
	const char *state = f->closed ? _("closed") : ledger_overdue(f->deadline, f->closed, l->today) ? _("OVERDUE") : _("open");
	return linebuf_add(&l->rows, f->no, "%s\t%s\t%s\t%s\t%s", f->no, rc, state, dl, f->problem);
}

static void
load(struct tui *t, struct led_data *l)
{
	struct err e;
	err_clear(&e);
	linebuf_free(&l->rows);
	l->generation = t->generation;
	l->today = store_today();
	if ((l->fixes ? fix_list(t->st, one_fix, l, &e) : clue_list(t->st, one_clue, l, &e)) != 0)
		tui_error(t, &e);
	tab_widths(l->rows.text, l->rows.n, l->w, TAB_COLS, 30);
	if (l->sel >= l->rows.n)
		l->sel = l->rows.n ? l->rows.n - 1 : 0;
}

static void *
led_init(struct tui *t, void *arg)
{
	(void)arg;
	struct led_data *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	load(t, l);
	return l;
}

static void
led_free(void *data)
{
	struct led_data *l = data;
	linebuf_free(&l->rows);
	free(l);
}

static void
led_draw(struct tui *t, void *data)
{
	struct led_data *l = data;
	if (l->generation != t->generation)
		load(t, l);
	char h[160];
	snprintf(h, sizeof h, "%s（%d）", l->fixes ? _("Rectification ledger") : _("Complaint clue ledger"), l->rows.n);
	draw_box_title(VIEW_TOP, h);
	const char *why = tui_role_reason(t, ACT_LEDGER);
	const char *help = tui_hint(t);
	int rows = VIEW_ROWS - 2 - hint_lines(help, why);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	for (int i = 0; i < rows && l->top + i < l->rows.n; i++) {
		int k = l->top + i;
		const char *s = l->rows.text[k];
		int attr = k == l->sel ? attrs[AT_SEL] : strstr(s, _("OVERDUE")) ? attrs[AT_ERR] : (int)A_NORMAL;
		draw_tabbed(VIEW_TOP + 2 + i, 1, COLS - 2, s, l->w, TAB_COLS, attr);
	}
	if (l->rows.n == 0)
		draw_text(VIEW_TOP + 2, 2, COLS - 4, _("none"), A_NORMAL);
	draw_hint(help, why, A_BOLD);
}

/* ---- forms -------------------------------------------------------------- */

static int
save_clue(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	struct clue *c = calloc(1, sizeof *c);
	const char *why;
	int r = -1;
	if (c == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	c->channel = (enum clue_channel)fm->ff[0].choice;
	c->category = (enum clue_category)fm->ff[1].choice;
	if (text_set(c->content, sizeof c->content, form_text(fm, 2), &why) != 0 ||
	    text_set(c->reporter, sizeof c->reporter, form_text(fm, 3), &why) != 0 ||
	    text_set(c->dossier, sizeof c->dossier, form_text(fm, 4), &why) != 0 ||
	    text_set(c->handler, sizeof c->handler, form_text(fm, 6), &why) != 0)
		err_set(e, E_REFUSED, "%s", _(why));
	else if (date_parse_optional(form_text(fm, 5), &c->deadline, &why) != 0)
		err_set(e, E_REFUSED, "%s", _(why));
	else if (clue_add(t->st, &t->user, c, e) == 0) {
		tui_msg(t, _("clue %s recorded"), c->no);
		r = 0;
	}
	free(c);
	return r;
}

static int
save_fix(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	struct fix *f = calloc(1, sizeof *f);
	const char *why;
	int r = -1;
	if (f == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	f->source = (enum fix_source)fm->ff[0].choice;
	if (text_set(f->problem, sizeof f->problem, form_text(fm, 1), &why) != 0 ||
	    text_set(f->measure, sizeof f->measure, form_text(fm, 2), &why) != 0 ||
	    text_set(f->owner, sizeof f->owner, form_text(fm, 3), &why) != 0 ||
	    date_parse(form_text(fm, 4), &f->deadline, &why) != 0)
		err_set(e, E_REFUSED, "%s", _(why));
	else if (fix_add(t->st, &t->user, f, e) == 0) {
		tui_msg(t, _("rectification %s recorded"), f->no);
		r = 0;
	}
	free(f);
	return r;
}

struct no_ctx { char no[LEDGER_NO_LEN + 1]; bool fixes; };

static int
do_note(struct tui *t, const char *text, void *ctx, struct err *e)
{
	struct no_ctx *n = ctx;
	if ((n->fixes ? fix_update(t->st, &t->user, n->no, text, e) : clue_update(t->st, &t->user, n->no, text, e)) != 0)
		return -1;
	tui_msg(t, _("%s: progress note added"), n->no);
	return 0;
}

static int
do_fix_close(struct tui *t, const char *text, void *ctx, struct err *e)
{
	struct no_ctx *n = ctx;
	if (fix_close(t->st, &t->user, n->no, text, e) != 0)
		return -1;
	tui_msg(t, _("%s closed"), n->no);
	return 0;
}

static int
save_clue_close(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct no_ctx *n = ctx;
	if (clue_close(t->st, &t->user, n->no, (enum clue_finding)(fm->ff[0].choice + 1), form_text(fm, 1),
	    fm->ff[2].choice == 1, e) != 0)
		return -1;
	tui_msg(t, _("%s closed"), n->no);
	return 0;
}


enum { EF_OPEN, EF_OVERDUE, EF_CSV };

static int
save_csv(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	const bool *fixes = ctx;
	char path[FIELD_MAX * 4 + 1];
	int rows = 0;
	snprintf(path, sizeof path, "%s", form_text(fm, EF_CSV));
	if (!path[0] && default_out_path(*fixes ? _("Rectification ledger") : _("Complaint clue ledger"), "csv", path,
	    sizeof path, e) != 0)
		return -1;
	if (ledger_csv_write(t->st, &t->user, !*fixes, fm->ff[EF_OPEN].choice == 1, fm->ff[EF_OVERDUE].choice == 1,
	    path, &rows, e) != 0)
		return -1;
	tui_msg(t, _("%d rows written to %s"), rows, path);
	return 0;
}

static void
open_csv(struct tui *t, bool fixes)
{
	struct form_spec *s = form_spec_new(t, fixes ? _("Rectification ledger as CSV") : _("Complaint clue ledger as CSV"),
	    save_csv, sizeof fixes);
	if (s == NULL)
		return;
	memcpy(s->ctx, &fixes, sizeof fixes);
	form_add_choice(&s->form, N_("Open entries only"), yes_no_terms, 2, 0);
	form_add_choice(&s->form, N_("Overdue entries only"), yes_no_terms, 2, 0);
	form_add_text(&s->form, N_("CSV file"), 50, FIELD_MAX, NULL, "");   /* empty: ~/低保输出 */
	tui_push(t, &view_form, s);
}

static void
show_entry(struct tui *t, struct led_data *l, const char *no)
{
	struct err e;
	struct linebuf b = {0};
	char d1[11], d2[11], d3[11];
	err_clear(&e);
	if (!l->fixes) {
		struct clue *c = malloc(sizeof *c);
		if (c == NULL) {
			tui_oom(t);
			return;
		}
		if (clue_show(t->st, &t->user, no, c, &e) != 0) {
			tui_error(t, &e);
			free(c);
			return;
		}
		date_format(c->received, d1);
		date_format(c->deadline, d2);
		date_format(c->closed, d3);
		linebuf_add(&b, NULL, "%s %s    %s %s", _("received:"), d1, _("channel:"), clue_channel_terms[c->channel].zh);
		linebuf_add(&b, NULL, "%s %s", _("reporter:"), c->reporter);
		linebuf_add(&b, c->dossier, "%s %s", _("dossier:"), c->dossier);
		linebuf_add(&b, NULL, "%s %s    %s %s", _("category:"), clue_category_terms[c->category].zh, _("handler:"), c->handler);
		linebuf_add(&b, NULL, "%s %s", _("content:"), c->content);
		linebuf_add(&b, NULL, "%s %s", _("deadline:"), d2);
		for (int i = 0; i < c->n_notes; i++) {
			date_format(c->notes[i].date, d1);
			linebuf_add(&b, NULL, "  %s %s %s", d1, c->notes[i].by, c->notes[i].text);
		}
		if (c->closed)
			linebuf_add(&b, NULL, "%s %s  %s  %s %s", _("closed:"), d3, clue_finding_terms[c->finding].zh,
			    c->action, c->transferred ? _("transferred to discipline inspection") : "");
		free(c);
	} else {
		struct fix *f = malloc(sizeof *f);
		if (f == NULL) {
			tui_oom(t);
			return;
		}
		if (fix_get(t->st, no, f, &e) != 0) {
			tui_error(t, &e);
			free(f);
			return;
		}
		date_format(f->recorded, d1);
		date_format(f->deadline, d2);
		linebuf_add(&b, NULL, "%s %s    %s", _("recorded:"), d1, fix_source_terms[f->source].zh);
		linebuf_add(&b, NULL, "%s %s", _("problem:"), f->problem);
		linebuf_add(&b, NULL, "%s %s", _("measure:"), f->measure);
		linebuf_add(&b, NULL, "%s %s    %s %s", _("owner:"), f->owner, _("deadline:"), d2);
		for (int i = 0; i < f->n_notes; i++) {
			date_format(f->notes[i].date, d1);
			linebuf_add(&b, NULL, "  %s %s %s", d1, f->notes[i].by, f->notes[i].text);
		}
		if (f->closed) {
			date_format(f->closed, d3);
			linebuf_add(&b, NULL, "%s %s  %s", _("closed:"), d3, f->evidence);
		}
		free(f);
	}
	linebuf_open(t, &b, no);
}

static int
led_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct led_data *l = data;
	struct form_spec *s;
	struct no_ctx n = {"", l->fixes};
	static char title[128];
	if (l->rows.n)
		snprintf(n.no, sizeof n.no, "%s", l->rows.dossier[l->sel]);
	switch (a) {
	case K_UP: if (l->sel > 0) l->sel--; break;
	case K_DOWN: if (l->sel + 1 < l->rows.n) l->sel++; break;
	case K_PGUP: l->sel = l->sel > 10 ? l->sel - 10 : 0; break;
	case K_PGDN: l->sel = l->sel + 10 < l->rows.n ? l->sel + 10 : (l->rows.n ? l->rows.n - 1 : 0); break;
	case K_HOME: l->sel = 0; break;
	case K_END: l->sel = l->rows.n ? l->rows.n - 1 : 0; break;
	case K_ESC: tui_pop(t); break;
	case K_REFRESH: load(t, l); break;
	case K_SWITCH:
		l->fixes = !l->fixes;
		l->sel = l->top = 0;
		load(t, l);
		break;
	case K_ENTER:
		if (l->rows.n)
			show_entry(t, l, n.no);
		break;
	case K_EXPORT:
		open_csv(t, l->fixes);
		break;
	case K_ADD:
		if (!tui_may(t, ACT_LEDGER))
			break;
		if ((s = form_spec_new(t, l->fixes ? _("Record a rectification") : _("Record a complaint clue"),
		    l->fixes ? save_fix : save_clue, 0)) == NULL)
			break;
		if (!l->fixes) {
			form_add_choice(&s->form, N_("Channel"), clue_channel_terms, CH__N, 0);
			form_add_choice(&s->form, N_("Clue category"), clue_category_terms, CC__N, CC__N - 1);
			form_add_long(&s->form, N_("Content"), 4, PARAGRAPH_CHARS, valid_long_required, "");
			form_add_text(&s->form, N_("Reporter (confidential)"), 30, 60, NULL, "");
			form_add_text(&s->form, N_("Linked dossier"), 20, DOSSIER_NO_LEN, NULL, "");
			form_add_text(&s->form, N_("Deadline (empty: by the setting)"), 11, 10, NULL, "");
			form_add_text(&s->form, N_("Handler (user; empty: you)"), 16, USER_MAX_BYTES - 1, NULL, "");
		} else {
			form_add_choice(&s->form, N_("Source"), fix_source_terms, FSRC__N, 0);
			form_add_long(&s->form, N_("Problem"), 3, PARAGRAPH_CHARS, valid_long_required, "");
			form_add_long(&s->form, N_("Measure"), 3, PARAGRAPH_CHARS, valid_long_required, "");
			form_add_text(&s->form, N_("Responsible person"), 16, 16, valid_required, "");
			form_add_text(&s->form, N_("Deadline"), 11, 10, valid_date, "");
		}
		tui_push(t, &view_form, s);
		break;
	case K_EDIT:
		if (l->rows.n && tui_may(t, ACT_LEDGER)) {
			snprintf(title, sizeof title, _("Progress note on %s"), n.no);
			open_prompt(t, title, N_("Note"), "", PARAGRAPH_CHARS, valid_long_required, do_note, &n, sizeof n);
		}
		break;
	case K_CLOSE:
		if (!l->rows.n || !tui_may(t, ACT_LEDGER))
			break;
		snprintf(title, sizeof title, _("Close %s (销号)"), n.no);
		if (l->fixes) {
			open_prompt(t, title, N_("Evidence"), "", 100, valid_required, do_fix_close, &n, sizeof n);
			break;
		}
		if ((s = form_spec_new(t, title, save_clue_close, sizeof n)) == NULL)
			break;
		memcpy(s->ctx, &n, sizeof n);
		form_add_choice(&s->form, N_("Finding"), clue_finding_terms + 1, FIND__N - 1, 0);
		form_add_long(&s->form, N_("Action taken"), 4, PARAGRAPH_CHARS, valid_long_required, "");
		form_add_choice(&s->form, N_("Transferred to discipline inspection"), yes_no_terms, 2, 0);
		tui_push(t, &view_form, s);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
led_table(void *data)
{
	(void)data;
	return key_table_named("ledger");
}

const struct view view_ledger = {
	.name = "ledger", .init = led_init, .free = led_free, .draw = led_draw,
	.key = led_key, .table = led_table,
};
