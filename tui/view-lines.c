/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-lines.c — a list of text lines behind a dashboard count or a
 * report (the dossiers due, the unfiled kin matches, a screening list):
 * ↑/↓ select, Enter opens the dossier of the line, Esc goes back; a list
 * opened with linebuf_open_act also takes F3, a prompt for the line's
 * dossier (a screening list's visit outcome).  open_prompt_lines asks one
 * text (a month), then shows what its action wrote (the statistics of that
 * month) once the prompt has closed.
 */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "core/array.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "store/err.h"

struct lines {
	char title[256];
	struct linebuf b;
	int sel, top;
	int w[TAB_COLS];          /* column widths of the tab-separated lines */
	const struct line_act *act; /* F3 on a line, or NULL */
};

int
linebuf_add(struct linebuf *b, const char *dossier, const char *fmt, ...)
{
	/* two arrays side by side: both grow alike from one capacity */
	size_t cap = (size_t)b->cap, cap2 = cap;
	char **t = array_grow(b->text, &cap, (size_t)b->n + 1, sizeof *t), **d;
	if (t == NULL)
		return -1;
	b->text = t;
	if ((d = array_grow(b->dossier, &cap2, (size_t)b->n + 1, sizeof *d)) == NULL)
		return -1;
	b->dossier = d;
	b->cap = (int)cap;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&b->text[b->n], fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	b->dossier[b->n] = strdup(dossier ? dossier : "");
	b->n++;
	return 0;
}

void
linebuf_free(struct linebuf *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->text[i]);
		free(b->dossier[i]);
	}
	free(b->text);
	free(b->dossier);
	memset(b, 0, sizeof *b);
}

struct lines_init { const char *title; struct linebuf *b; const struct line_act *act; };

static void *
lines_init(struct tui *t, void *arg)
{
	(void)t;
	const struct lines_init *a = arg;
	struct lines *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	snprintf(l->title, sizeof l->title, "%s", a->title);
	l->b = *a->b;
	l->act = a->act;
	memset(a->b, 0, sizeof *a->b);
	tab_widths(l->b.text, l->b.n, l->w, TAB_COLS, 24);
	return l;
}

static void
lines_free(void *data)
{
	struct lines *l = data;
	linebuf_free(&l->b);
	free(l);
}

static void
lines_draw(struct tui *t, void *data)
{
	(void)t;
	struct lines *l = data;
	int rows = VIEW_ROWS - 3;
	char h[300];
	snprintf(h, sizeof h, "%s（%d）", l->title, l->b.n);
	draw_box_title(VIEW_TOP, h);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	for (int i = 0; i < rows && l->top + i < l->b.n; i++) {
		int k = l->top + i;
		draw_tabbed(VIEW_TOP + 2 + i, 1, COLS - 2, l->b.text[k], l->w, TAB_COLS, k == l->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	if (l->b.n == 0)
		draw_text(VIEW_TOP + 2, 2, COLS - 4, _("none"), A_NORMAL);
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
}

static int
lines_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct lines *l = data;
	switch (a) {
	case K_UP: if (l->sel > 0) l->sel--; break;
	case K_DOWN: if (l->sel + 1 < l->b.n) l->sel++; break;
	case K_PGUP: l->sel = l->sel > 10 ? l->sel - 10 : 0; break;
	case K_PGDN: l->sel = l->sel + 10 < l->b.n ? l->sel + 10 : (l->b.n ? l->b.n - 1 : 0); break;
	case K_HOME: l->sel = 0; break;
	case K_END: l->sel = l->b.n ? l->b.n - 1 : 0; break;
	case K_ESC: tui_pop(t); break;
	case K_ENTER:
		if (l->sel < l->b.n && l->b.dossier[l->sel][0])
			open_dossier(t, l->b.dossier[l->sel]);
		break;
	case K_ADD:
		if (l->act && l->sel < l->b.n && l->b.dossier[l->sel][0]) {
			struct line_ctx c = {l->act->arg, ""};
			snprintf(c.no, sizeof c.no, "%s", l->b.dossier[l->sel]);
			open_prompt(t, _(l->act->title), l->act->label, "", 100, valid_required, l->act->fn, &c, sizeof c);
		}
		break;
	default: return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
lines_table(void *data)
{
	const struct lines *l = data;
	return key_table_named(l->act ? "lines.visit" : "lines");
}

const struct view view_lines = {
	.name = "lines", .init = lines_init, .free = lines_free, .draw = lines_draw,
	.key = lines_key, .table = lines_table,
};

void
linebuf_open_act(struct tui *t, struct linebuf *b, const char *title, const struct line_act *act)
{
	struct lines_init a = {title, b, act};
	tui_push(t, &view_lines, &a);
	linebuf_free(b);
}

void
linebuf_open(struct tui *t, struct linebuf *b, const char *title)
{
	struct lines_init a = {title, b, NULL};
	tui_push(t, &view_lines, &a);
	linebuf_free(b);
}

void
open_lines(struct tui *t, const char *title, char **text, char **dossier, int n)
{
	struct linebuf b = {text, dossier, n, n};
	linebuf_open(t, &b, title);
}

/* A prompt for lines (view-prompt.c asks; the lines open here after). */
struct plines_ctx {
	lines_fn fn;
	char title[160];
	struct linebuf b;
	max_align_t ctx[];
};

static int
plines_save(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct plines_ctx *p = ctx;
	if (p->fn(t, form_text(fm, 0), p->ctx, &p->b, e) == 0)
		return 0;
	linebuf_free(&p->b);
	return -1;
}

static void
plines_then(struct tui *t, void *ctx)
{
	struct plines_ctx *p = ctx;
	linebuf_open(t, &p->b, p->title);
}

void
open_prompt_lines(struct tui *t, const char *title, const char *label, const char *init, int maxlen,
    fvalid_fn valid, lines_fn fn, const void *ctx, size_t size, const char *list_title)
{
	struct form_spec *s = form_spec_new(t, title, plines_save, sizeof(struct plines_ctx) + size);
	if (s == NULL)
		return;
	struct plines_ctx *p = s->ctx;
	p->fn = fn;
	snprintf(p->title, sizeof p->title, "%s", list_title);
	if (size)
		memcpy(p->ctx, ctx, size);
	s->then = plines_then;
	form_add_text(&s->form, label, COLS - 30 > 60 ? 60 : COLS - 30, maxlen, valid, init ? init : "");
	tui_push(t, &view_form, s);
}
