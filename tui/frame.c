/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * frame.c — the whole screen drawn around the top view: the title row
 * (program, township, this PC's role, the user), the view, the status line
 * and the function-key bar; the "too small" notice, the question before
 * leaving unsaved input, and a long job's progress on the status line.
 * Below every view: the views call tui_draw_now and tui_progress.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "core/roles.h"
#include "store/replica.h"
#include "store/err.h"

unsigned long long
tui_top_keys(struct tui *t)
{
	const struct view *v = t->stack[t->depth - 1].v;
	const struct key_table *kt = tui_key_table(t);
	if (kt)
		return key_table_mask(kt);
	return v->keys ? v->keys(t->stack[t->depth - 1].data) : KM_BASIC;
}

static void
draw_bar(struct tui *t)
{
	unsigned long long mask = tui_top_keys(t);
	int y = LINES - 1, x = 0;
	move(y, 0);
	clrtoeol();
	const struct key_table *kt = tui_key_table(t);
	if (kt) {
		/* the screen's table: its label; a key the role may not use dimmed */
		const struct screen_key *fk[16];
		int n = key_table_fkeys(kt, fk, 16);
		for (int i = 0; i < n && x < COLS; i++) {
			char num[16];
			snprintf(num, sizeof num, "%d", key_fnum(fk[i]->a));
			const char *lbl = _(fk[i]->label);
			int lw = text_width(lbl);
			if (x + (int)strlen(num) + lw > COLS)
				break;
			bool may = !t->logged_in || role_may(t->user.role, fk[i]->act);
			x += draw_text(y, x, (int)strlen(num), num, may ? attrs[AT_BARKEY] : (int)A_DIM);
			x += draw_text(y, x, lw, lbl, may ? attrs[AT_BARLBL] : (int)A_DIM);
			if (x < COLS)
				x += draw_text(y, x, 1, " ", A_NORMAL);
		}
		return;
	}
	/* in F-number order; a number shared by two actions shows the one in the mask */
	for (int n = 0; n < n_keydefs * 12 && x < COLS; n++) {
		const struct keydef *k = &keydefs[n % n_keydefs];
		if (!k->fkey || k->fkey != n / n_keydefs + 1 || !(mask & KM(k->action)))
			continue;
		char num[16];
		snprintf(num, sizeof num, "%d", k->fkey);
		int lw = text_width(_(k->bar));
		if (x + (int)strlen(num) + lw > COLS)
			break;
		x += draw_text(y, x, (int)strlen(num), num, attrs[AT_BARKEY]);
		x += draw_text(y, x, lw, _(k->bar), attrs[AT_BARLBL]);
		if (x < COLS)
			x += draw_text(y, x, 1, " ", A_NORMAL);
	}
}

static void
draw_quit_question(void)
{
	const char *q = _("Unsaved changes will be lost. Leave the console? (Y/N)");
	int w = text_width(q) + 4;
	if (w > COLS)
		w = COLS;
	int r = LINES / 2, c = (COLS - w) / 2;
	draw_text(r - 1, c, w, "", attrs[AT_SEL]);
	draw_text(r, c, w, "", attrs[AT_SEL]);
	draw_text(r, c + 2, w - 4, q, attrs[AT_SEL] | A_BOLD);
	draw_text(r + 1, c, w, "", attrs[AT_SEL]);
}

static void
draw_small(void)
{
	erase();
	const char *m1 = _("The terminal is too small: at least 80×24 is needed");
	char m2[64];
	snprintf(m2, sizeof m2, "%d×%d", COLS, LINES);
	int w = text_width(m1);
	if (w > COLS)
		w = COLS;
	draw_text(LINES / 2 - 1, (COLS - w) / 2, w, m1, A_BOLD);
	draw_text(LINES / 2 + 1, (COLS - text_width(m2)) / 2, text_width(m2), m2, A_NORMAL);
	curs_set(0);
	refresh();
}

bool
tui_too_small(void)
{
	return COLS < 80 || LINES < 24;
}

void
tui_draw_now(struct tui *t)
{
	if (tui_too_small()) {
		draw_small();
		return;
	}
	erase();
	t->cy = -1;
	/* title row: program, township, user */
	char left[512];
	snprintf(left, sizeof left, " %s  %s", _("Minimum living guarantee records"), t->title);
	/* the standby PC: this PC's role on the title bar */
	char rb[sizeof t->banner];
	replica_banner(t->st, rb, sizeof rb);
	memcpy(t->banner, rb, sizeof t->banner);
	if (rb[0])
		snprintf(left + strlen(left), sizeof left - strlen(left), "  [%s]", rb);
	draw_text(0, 0, COLS, left, attrs[AT_TITLE]);
	if (t->logged_in) {
		char right[160];
		snprintf(right, sizeof right, "%s %s ", role_terms[t->user.role].zh,
		    t->user.name[0] ? t->user.name : t->user.login);
		int w = text_width(right);
		if (w < COLS - text_width(left) - 1)
			draw_text_right(0, COLS - w, w, right, attrs[AT_TITLE]);
	}
	const struct view *v = t->stack[t->depth - 1].v;
	v->draw(t, t->stack[t->depth - 1].data);
	/* a message longer than the line (a refusal with several reasons)
	 * takes up to a quarter of the screen above the bar; beyond, an ellipsis */
	draw_message(LINES - 2, COLS, t->status, t->status_err ? attrs[AT_ERR] : (int)A_NORMAL, LINES / 4 > 1 ? LINES / 4 : 1);
	draw_bar(t);
	if (t->quit_asking) {
		draw_quit_question();
		t->cy = -1;
	}
	if (t->cy >= 0) {
		move(t->cy, t->cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

/* A long job's progress on the status line; Esc (read without waiting)
 * asks to cancel.  For struct progress (store/err.h). */
bool
tui_progress(int done, int total, void *baton)
{
	struct tui *t = baton;
	wint_t ch;
	bool cancel = false;

	tui_msg(t, _("%d of %d done… (Esc cancels)"), done, total);
	tui_draw_now(t);
	nodelay(stdscr, TRUE);
	while (get_wch(&ch) != ERR)
		if (ch == 27)
			cancel = true;
	nodelay(stdscr, FALSE);
	return cancel;
}
