/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form.c — a column of labelled fields.  Each field is validated when the
 * clerk leaves it and the reason is shown beside it; nothing is written
 * until F2; Esc with changes asks before discarding them.  Choice fields
 * (relation, kinds) cycle with ←/→ or Space through a term table, or pick
 * the first term that begins with what is typed (青 then 石: 青石村).
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"

#define LABEL_COLS 16      /* at least; a longer label widens the column */
#define LABEL_COLS_MAX 28

const struct term yes_no_terms[2] = {{"否", "no"}, {"是", "yes"}};

int
form_add_text(struct form *fm, const char *label, int width, int maxlen, fvalid_fn v, const char *init)
{
	if (fm->n >= FORM_MAX)
		return -1;
	struct form_field *ff = &fm->ff[fm->n];
	memset(ff, 0, sizeof *ff);
	ff->label = label;
	ff->kind = FK_TEXT;
	field_init(&ff->f, maxlen);
	field_set(&ff->f, init ? init : "");
	field_get(&ff->f, ff->init, sizeof ff->init);
	ff->width = width;
	ff->valid = v;
	return fm->n++;
}

int
form_add_long(struct form *fm, const char *label, int rows, int maxlen, fvalid_fn v, const char *init)
{
	int i = form_add_text(fm, label, 200, maxlen, v, init);
	if (i >= 0)
		fm->ff[i].f.rows = rows > 1 ? rows : 1;
	return i;
}

int
form_add_choice(struct form *fm, const char *label, const struct term *t, int n, int init)
{
	if (fm->n >= FORM_MAX)
		return -1;
	struct form_field *ff = &fm->ff[fm->n];
	memset(ff, 0, sizeof *ff);
	ff->label = label;
	ff->kind = FK_CHOICE;
	ff->terms = t;
	ff->nterms = n;
	ff->choice = ff->init_choice = init >= 0 && init < n ? init : 0;
	/* wide enough for the longest choice between its ‹ › marks */
	ff->width = 12;
	for (int i = 0; i < n; i++)
		if (text_width(t[i].zh) + 4 > ff->width)
			ff->width = text_width(t[i].zh) + 4;
	return fm->n++;
}

const char *
form_text(const struct form *fm, int i)
{
	/* each field its own buffer: a save function holds several texts at
	 * once (four shared buffers in turn once lost the evaluation's note
	 * under its fifth read, the representatives' "9") */
	struct form_field *ff = (struct form_field *)&fm->ff[i];
	if (ff->kind == FK_CHOICE)
		return ff->terms[ff->choice].zh;
	field_get(&ff->f, ff->text, sizeof ff->text);
	return ff->text;
}

bool
form_changed(const struct form *fm, int i)
{
	const struct form_field *ff = &fm->ff[i];
	if (ff->kind == FK_CHOICE)
		return ff->choice != ff->init_choice;
	return strcmp(form_text(fm, i), ff->init) != 0;
}

bool
form_dirty(const struct form *fm)
{
	for (int i = 0; i < fm->n; i++)
		if (form_changed(fm, i))
			return true;
	return false;
}

static bool
check(struct form *fm, int i)
{
	struct form_field *ff = &fm->ff[i];
	const char *why = NULL;
	ff->why = NULL;
	if (ff->kind == FK_TEXT && ff->valid && ff->valid(form_text(fm, i), &why) != 0) {
		ff->why = why;
		return false;
	}
	return true;
}

int
form_validate(struct form *fm)
{
	int bad = -1;
	for (int i = 0; i < fm->n; i++)
		if (!check(fm, i) && bad < 0)
			bad = i;
	return bad;
}

static void
move_focus(struct form *fm, int d)
{
	check(fm, fm->focus);
	fm->focus = (fm->focus + d + fm->n) % fm->n;
	fm->ff[fm->focus].typed[0] = '\0';
}

/* The first term whose Chinese (or English) name begins with prefix. */
static int
term_with_prefix(const struct form_field *ff, const char *prefix)
{
	size_t n = strlen(prefix);
	for (int i = 0; i < ff->nterms; i++)
		if (strncmp(ff->terms[i].zh, prefix, n) == 0 || strncasecmp(ff->terms[i].en, prefix, n) == 0)
			return i;
	return -1;
}

/* A character typed on a choice field: added to what was typed before if
 * some term still begins with it, else a new start. */
static bool
choice_type(struct form_field *ff, wint_t ch)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t len = wcrtomb(mb, (wchar_t)ch, &ps);
	if (len == (size_t)-1)
		return false;
	mb[len] = '\0';
	size_t have = strlen(ff->typed);
	if (have + len < sizeof ff->typed) {
		memcpy(ff->typed + have, mb, len + 1);
		int i = term_with_prefix(ff, ff->typed);
		if (i >= 0) {
			ff->choice = i;
			return true;
		}
	}
	snprintf(ff->typed, sizeof ff->typed, "%s", mb);
	int i = term_with_prefix(ff, ff->typed);
	if (i < 0) {
		ff->typed[0] = '\0';
		return false;
	}
	ff->choice = i;
	return true;
}

enum form_result
form_key(struct form *fm, enum action_id a, wint_t ch)
{
	struct form_field *ff = &fm->ff[fm->focus];
	if (fm->asking) {
		if (a == K_CHAR && (ch == 'y' || ch == 'Y')) {
			fm->asking = false;
			return FR_CANCEL;
		}
		if (a == K_CHAR || a == K_ESC || a == K_ENTER) {
			fm->asking = false;
			return FR_REDRAW;
		}
		return FR_NONE;
	}
	switch (a) {
	case K_SAVE:
		return FR_SAVE;
	case K_ESC:
		if (!form_dirty(fm))
			return FR_CANCEL;
		fm->asking = true;
		return FR_REDRAW;
	case K_UP:
	case K_BTAB:
		move_focus(fm, -1);
		return FR_REDRAW;
	case K_DOWN:
	case K_TAB:
		move_focus(fm, 1);
		return FR_REDRAW;
	case K_ENTER:
		if (fm->focus == fm->n - 1) {
			check(fm, fm->focus);
			return FR_SUBMIT;
		}
		move_focus(fm, 1);
		return FR_REDRAW;
	default:
		break;
	}
	if (ff->kind == FK_CHOICE) {
		if (a == K_RIGHT || (a == K_CHAR && ch == ' '))
			ff->choice = (ff->choice + 1) % ff->nterms;
		else if (a == K_LEFT)
			ff->choice = (ff->choice + ff->nterms - 1) % ff->nterms;
		else if (a != K_CHAR || !choice_type(ff, ch))
			return FR_NONE;
		if (a != K_CHAR)
			ff->typed[0] = '\0';
		return FR_REDRAW;
	}
	field_key(&ff->f, a, ch);
	ff->why = NULL;
	return FR_REDRAW;
}

void
form_draw(struct form *fm, int y, int *cy, int *cx)
{
	int x = 2, lw = LABEL_COLS;
	for (int i = 0; i < fm->n; i++)
		if (text_width(_(fm->ff[i].label)) + 1 > lw)
			lw = text_width(_(fm->ff[i].label)) + 1;
	if (lw > LABEL_COLS_MAX)
		lw = LABEL_COLS_MAX;
	/* a blank row between fields while they fit above the help line */
	int need = 0;
	for (int i = 0; i < fm->n; i++)
		need += fm->ff[i].kind == FK_TEXT && fm->ff[i].f.rows > 1 ? fm->ff[i].f.rows : 1;
	int step = y + need + fm->n <= LINES - 3 ? 2 : 1;
	*cy = -1;
	int row = y;
	for (int i = 0; i < fm->n && row < LINES - 3; i++) {
		struct form_field *ff = &fm->ff[i];
		int rows = ff->kind == FK_TEXT && ff->f.rows > 1 ? ff->f.rows : 1;
		if (row + rows > LINES - 3)
			rows = LINES - 3 - row;
		bool focus = i == fm->focus && !fm->asking;
		/* a refused field is marked at its label as well as beside it:
		 * the reason may not fit beside a wide field at 80 columns */
		if (ff->why) {
			char mark[160];
			snprintf(mark, sizeof mark, "!%s", _(ff->label));
			draw_text(row, x - 1, lw + 1, mark, attrs[AT_ERR] | A_BOLD);
		} else {
			draw_text(row, x, lw, _(ff->label), focus ? (int)A_BOLD : attrs[AT_LABEL]);
		}
		int fx = x + lw + 1;
		int w = ff->width;
		if (fx + w > COLS - 2)
			w = COLS - 2 - fx;
		if (ff->kind == FK_CHOICE) {
			char b[128];
			snprintf(b, sizeof b, "‹ %s ›", ff->terms[ff->choice].zh);
			draw_text(row, fx, w, b, focus ? attrs[AT_FOCUS] : attrs[AT_FIELD]);
			if (focus) {
				*cy = row;
				*cx = fx;
			}
		} else if (ff->f.rows > 1) {
			/* drawn on the rows left above the help line */
			int ry, rx, saved = ff->f.rows;
			ff->f.rows = rows;
			if (field_draw_rows(&ff->f, row, fx, w, focus, &ry, &rx) == 0) {
				*cy = ry;
				*cx = rx;
			}
			ff->f.rows = saved;
		} else {
			int c = field_draw(&ff->f, row, fx, w, focus);
			if (c >= 0) {
				*cy = row;
				*cx = c;
			}
		}
		int ex = fx + w + 2;
		if (ff->why) {
			/* beside the field where it fits, else on the row under it */
			if (ex + text_width(_(ff->why)) <= COLS)
				draw_text(row, ex, COLS - ex, _(ff->why), attrs[AT_ERR]);
			else if (row + rows < LINES - 3)
				draw_text(row + rows, fx, COLS - fx, _(ff->why), attrs[AT_ERR]);
		}
		row += rows + (step == 2 || ff->why ? 1 : 0);
	}
	if (fm->asking) {
		const char *q = _("Discard the changes? (Y/N)");
		int w = text_width(q) + 4;
		int r = LINES / 2, c = (COLS - w) / 2;
		draw_text(r - 1, c, w, "", attrs[AT_SEL]);
		draw_text(r, c, w, "", attrs[AT_SEL]);
		draw_text(r, c + 2, w - 4, q, attrs[AT_SEL] | A_BOLD);
		draw_text(r + 1, c, w, "", attrs[AT_SEL]);
		*cy = -1;
	}
}

/* ---- validators: reasons are msgids, translated when drawn ---------------- */

int
valid_required(const char *s, const char **why)
{
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return text_check(s, TEXT_SHORT - 1, why);
}

int
valid_name(const char *s, const char **why)
{
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return text_check(s, NAME_MAX_BYTES - 1, why);
}

int
valid_short(const char *s, const char **why)
{
	return text_check(s, TEXT_SHORT - 1, why);
}

int
valid_long_required(const char *s, const char **why)
{
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return text_check(s, TEXT_NOTE - 1, why);
}

int
valid_long(const char *s, const char **why)
{
	return text_check(s, TEXT_NOTE - 1, why);
}

int
valid_id(const char *s, const char **why)
{
	struct id_info info;
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return id_check(s, store_today(), &info, why);
}

int
valid_id_optional(const char *s, const char **why)
{
	return *s ? valid_id(s, why) : 0;
}

int
valid_date(const char *s, const char **why)
{
	dbdate_t d;
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return date_parse(s, &d, why);
}

int
valid_past_date(const char *s, const char **why)
{
	dbdate_t d;
	if (valid_date(s, why) != 0)
		return -1;
	date_parse(s, &d, why);
	if (d > store_today()) {
		*why = N_("date: must not be in the future");
		return -1;
	}
	return 0;
}

int
valid_date_optional(const char *s, const char **why)
{
	return *s ? valid_date(s, why) : 0;
}

int
date_parse_optional(const char *s, dbdate_t *d, const char **why)
{
	*d = 0;
	return *s ? date_parse(s, d, why) : 0;
}

int
valid_month(const char *s, const char **why)
{
	dbmonth_t m;
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return month_parse(s, &m, why);
}

int
valid_money(const char *s, const char **why)
{
	fen_t f;
	if (*s == '\0') {
		*why = N_("required");
		return -1;
	}
	return money_parse(s, &f, why);
}

int
valid_count(const char *s, const char **why)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 999) {
		*why = N_("a whole number from 0 to 999");
		return -1;
	}
	return 0;
}

int
valid_grade(const char *s, const char **why)
{
	if (*s == '\0')
		return 0;
	if (s[1] != '\0' || s[0] < '1' || s[0] > '4') {
		*why = N_("a grade from 1 to 4, or empty");
		return -1;
	}
	return 0;
}

/* The key handler of a form screen whose F2 runs an action (the archive,
 * batch printing): Esc leaves unless the form is asking a question; F2
 * validates, then runs; a refusal shows every reason. */
void
form_tool_draw(struct tui *t, struct form *fm, const char *help)
{
	int cy, cx;
	draw_box_title(VIEW_TOP, fm->title);
	form_draw(fm, VIEW_TOP + 2, &cy, &cx);
	draw_text(LINES - 3, 0, COLS, help, A_BOLD);
	t->cy = cy;
	t->cx = cx;
}

unsigned long long
form_tool_keys(void *data)
{
	(void)data;
	return KM_BASIC | KM(K_SAVE);
}

enum form_result
form_tool_key(struct tui *t, struct form *fm, enum action_id a, wint_t ch)
{
	enum form_result r;
	if (a == K_ESC && !fm->asking) {
		/* a tool screen, not a record: nothing to discard */
		tui_pop(t);
		return FR_CANCEL;
	}
	if ((r = form_key(fm, a, ch)) == FR_CANCEL)
		tui_pop(t);
	return r;
}

int
form_action_key(struct tui *t, struct form *fm, enum action_id a, wint_t ch,
    int (*run)(struct tui *, void *, struct err *), void *data)
{
	struct err e;
	err_clear(&e);
	if (form_tool_key(t, fm, a, ch) == FR_SAVE && form_validate(fm) < 0 && run(t, data, &e) != 0)
		tui_refusal(t, &e);
	return RD_VIEW;
}
