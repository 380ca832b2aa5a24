/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-checklist.c — the dossier's 材料清单 tab: every item of the
 * township's template with the stage it is needed to enter, whether it
 * applies, and its state (received, signed, stamped, scans).  F3 marks the
 * selected item received today, F4/F6 toggle signed/stamped, F7 attaches a
 * scan chosen in a file chooser, F8 lists the item's scans, Enter records
 * it with another date of receipt and a note — all through
 * checklist_mark(), as `dibao checklist mark` does.
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

#include "core/base.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/attach.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"

struct cl_data {
	struct checklist_def defs[MAX_ITEMS];
	int n, sel, top;
	struct checklist_facts f;
	char no[DOSSIER_NO_LEN + 1];
};

static void *
cl_init(void)
{
	return calloc(1, sizeof(struct cl_data));
}

static void
cl_load(struct tui *t, const struct dossier *d, void *p)
{
	struct cl_data *c = p;
	struct err e;
	bool kin = false;
	err_clear(&e);
	snprintf(c->no, sizeof c->no, "%s", d->no);
	if (checklist_template(t->st, NULL, c->defs, MAX_ITEMS, &c->n, &e) != 0 ||
	    kin_has_match(t->st, NULL, d->no, &kin, &e) != 0) {
		tui_error(t, &e);
		c->n = 0;
	}
	checklist_facts_of(d, kin, &c->f);
	if (c->sel >= c->n)
		c->sel = c->n > 0 ? c->n - 1 : 0;
}

static const char *
yesno(bool needed, bool done)
{
	if (!needed)
		return "—";
	return done ? "✓" : "✗";
}

#define CL_HELP tui_hint(t)

static void
cl_draw(struct tui *t, const struct dossier *d, void *p, int y)
{
	struct cl_data *c = p;
	static const int w[] = {2, 6, 24, 10, 6, 11, 6, 6, 6};
	const char *heads[] = {"", _("Code"), _("Document"), _("Stage"), _("Needed"), _("Received"),
	    _("Signed"), _("Stamped"), _("Scanned")};
	int x = 0;
	for (int i = 0; i < 9; i++) {
		draw_text(y, x, w[i], heads[i], A_BOLD | A_UNDERLINE);
		x += w[i];
	}
	draw_text(y, x, COLS - x, "", A_BOLD | A_UNDERLINE);
	const char *why = tui_role_reason(t, ACT_CASE);
	int rows = LINES - 3 - (y + 1) - hint_lines(CL_HELP, why);
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
	for (int i = 0; i < rows && c->top + i < c->n; i++) {
		int k = c->top + i;
		const struct checklist_def *def = &c->defs[k];
		const struct check_item *it = checklist_item(d, def->code);
		bool applies = checklist_applies(def, &c->f);
		bool complete = checklist_item_complete(def, it);
		char rd[11] = "", sc[8] = "";
		if (it && it->received)
			date_format(it->received, rd);
		if (it && it->n_scans)
			snprintf(sc, sizeof sc, "%d", it->n_scans);
		const char *cells[9] = {complete ? "✓" : applies ? "✗" : "·", def->code, def->name,
		    def->when == WHEN_REVIEW ? _("periodic review") : status_terms[def->stage].zh,
		    applies ? _("yes") : _("no"), rd, yesno(def->needs_sign, it && it->is_signed),
		    yesno(def->needs_stamp, it && it->stamped), sc};
		int attr = k == c->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		x = 0;
		for (int j = 0; j < 9; j++) {
			draw_text(y + 1 + i, x, w[j], cells[j], attr);
			x += w[j];
		}
		draw_text(y + 1 + i, x, COLS - x, it ? it->note : "", attr);
	}
	draw_hint(CL_HELP, why, why ? attrs[AT_ERR] : (int)A_BOLD);
}

/* ---- Enter: the item with its date of receipt, marks and note ---------- */

enum { IF_RECEIVED, IF_SIGNED, IF_STAMPED, IF_NOTE };
struct item_ctx { char no[DOSSIER_NO_LEN + 1]; char code[ITEM_CODE_MAX]; uint32_t version; };

static int
save_item(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	const struct item_ctx *c = ctx;
	dbdate_t received = 0;
	const char *why;
	char note[TEXT_SHORT * 4];
	if (form_changed(fm, IF_RECEIVED) && date_parse(form_text(fm, IF_RECEIVED), &received, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	snprintf(note, sizeof note, "%s", form_text(fm, IF_NOTE));
	store_expect_version(t->st, c->no, c->version);
	if (checklist_mark(t->st, &t->user, c->no, c->code, received,
	    form_changed(fm, IF_SIGNED) ? fm->ff[IF_SIGNED].choice : -1,
	    form_changed(fm, IF_STAMPED) ? fm->ff[IF_STAMPED].choice : -1, NULL,
	    form_changed(fm, IF_NOTE) ? note : NULL, e) != 0)
		return -1;
	tui_msg(t, _("%s of %s recorded"), c->code, c->no);
	return 0;
}

static void
open_item(struct tui *t, const struct dossier *d, const struct checklist_def *def, const struct check_item *it)
{
	static char title[160];
	char rd[11];
	snprintf(title, sizeof title, "%s %s", def->code, def->name);
	struct form_spec *s = form_spec_new(t, title, save_item, sizeof(struct item_ctx));
	if (s == NULL)
		return;
	struct item_ctx *c = s->ctx;
	snprintf(c->no, sizeof c->no, "%s", d->no);
	snprintf(c->code, sizeof c->code, "%s", def->code);
	c->version = d->version;
	date_format(it && it->received ? it->received : store_today(), rd);
	form_add_text(&s->form, N_("Received on"), 11, 10, valid_date, rd);
	if (!it || !it->received)
		s->form.ff[IF_RECEIVED].init[0] = '\0';   /* today's date is a change to save */
	form_add_choice(&s->form, N_("Signed"), yes_no_terms, 2, it && it->is_signed);
	form_add_choice(&s->form, N_("Stamped"), yes_no_terms, 2, it && it->stamped);
	form_add_text(&s->form, N_("Note"), 40, 60, valid_short, it ? it->note : "");
	tui_push(t, &view_form, s);
}

static int
cl_key(struct tui *t, const struct dossier *d, void *p, enum action_id a, wint_t ch)
{
	(void)ch;
	struct cl_data *c = p;
	struct err e;
	err_clear(&e);
	if (c->n == 0)
		return RD_NONE;
	const struct checklist_def *def = &c->defs[c->sel];
	const struct check_item *it = checklist_item(d, def->code);
	int r = 0;
	switch (a) {
	case K_UP: if (c->sel > 0) c->sel--; return RD_VIEW;
	case K_DOWN: if (c->sel + 1 < c->n) c->sel++; return RD_VIEW;
	case K_HOME: c->sel = 0; return RD_VIEW;
	case K_END: c->sel = c->n - 1; return RD_VIEW;
	case K_PGUP: c->sel = c->sel > 10 ? c->sel - 10 : 0; return RD_VIEW;
	case K_PGDN: c->sel = c->sel + 10 < c->n ? c->sel + 10 : c->n - 1; return RD_VIEW;
	case K_SCANS: {
		struct linebuf b = {0};
		char path[1024];
		for (int i = 0; it && i < it->n_scans; i++) {
			attach_path(t->st, it->scans[i], path, sizeof path);
			linebuf_add(&b, NULL, "%d. %.12s…  %s", i + 1, it->scans[i], path);
		}
		char title[128];
		snprintf(title, sizeof title, _("Scans of %s %s"), def->code, def->name);
		linebuf_open(t, &b, title);
		return RD_VIEW;
	}
	case K_ENTER:
		if (tui_may(t, ACT_CASE))
			open_item(t, d, def, it);
		return RD_VIEW;
	case K_RECEIVED:
	case K_SIGN:
	case K_STAMP:
	case K_SCAN:
		if (!tui_may(t, ACT_CASE))
			return RD_VIEW;
		break;
	default:
		return RD_NONE;
	}
	if (a == K_SCAN) {
		/* choose the file in the scanning station's folder */
		open_scan_chooser(t, d->no, def->code);
		return RD_VIEW;
	}
	/* F4 and F6 on an item that takes no signature (no stamp) say so
	 * rather than mark it received without one */
	if ((a == K_SIGN && !def->needs_sign) || (a == K_STAMP && !def->needs_stamp)) {
		tui_msg(t, a == K_SIGN ? _("%s %s needs no signature: F3 marks it received") :
		    _("%s %s needs no stamp: F3 marks it received"), def->code, def->name);
		t->status_err = true;
		return RD_VIEW;
	}
	store_expect_version(t->st, d->no, d->version);
	if (a == K_RECEIVED)
		r = checklist_mark(t->st, &t->user, d->no, def->code, store_today(), -1, -1, NULL, NULL, &e);
	else if (a == K_SIGN)
		r = checklist_mark(t->st, &t->user, d->no, def->code, 0, it && it->is_signed ? 0 : 1, -1, NULL, NULL, &e);
	else
		r = checklist_mark(t->st, &t->user, d->no, def->code, 0, -1, it && it->stamped ? 0 : 1, NULL, NULL, &e);
	store_expect_version(t->st, NULL, 0);
	if (r != 0) {
		tui_refusal(t, &e);
		if (e.code == E_CHANGED)
			t->generation++;   /* reload what someone else changed */
		return RD_VIEW;
	}
	tui_msg(t, _("%s of %s recorded"), def->code, d->no);
	t->generation++;
	/* F3, F4 and F6 alike go on to the next row */
	if (c->sel + 1 < c->n)
		c->sel++;
	return RD_VIEW;
}

const struct dossier_tab tab_checklist = {
	.name = N_("Checklist"), .init = cl_init, .free = free, .load = cl_load, .draw = cl_draw,
	.key = cl_key,
};
