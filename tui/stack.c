/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stack.c — the console's view stack and status line: open a view on top
 * (tui_push), close it (tui_pop), replace the whole stack (tui_reset), the
 * message on the status line, and the top view's key table and hint.  The
 * bottom of tui/: every view and widget uses these, and they use no view.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdarg.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/tui.h"
#include "store/err.h"

static void
top_free(struct tui *t)
{
	t->depth--;
	if (t->stack[t->depth].v->free)
		t->stack[t->depth].v->free(t->stack[t->depth].data);
}

/* The data of a view from its init (none without one); NULL from init
 * means it could not allocate what it needs: said on the status line. */
static bool
view_data(struct tui *t, const struct view *v, void *arg, void **data)
{
	*data = v->init ? v->init(t, arg) : NULL;
	if (v->init && *data == NULL) {
		tui_oom(t);
		return false;
	}
	return true;
}

bool
tui_push(struct tui *t, const struct view *v, void *arg)
{
	void *data;
	if (!view_data(t, v, arg, &data))
		return false;
	if (t->depth >= VIEW_DEPTH) {
		/* init took what arg owned (a form's spec): give it back */
		if (v->free)
			v->free(data);
		return false;
	}
	t->stack[t->depth].v = v;
	t->stack[t->depth].data = data;
	t->depth++;
	return true;
}

void
tui_pop(struct tui *t)
{
	if (t->depth > 1)
		top_free(t);
	else
		t->quit = true;
}

bool
tui_reset(struct tui *t, const struct view *v, void *arg)
{
	void *data;
	/* the new view first: when it cannot open, the old screens stay */
	if (!view_data(t, v, arg, &data))
		return false;
	while (t->depth > 0)
		top_free(t);
	t->stack[0].v = v;
	t->stack[0].data = data;
	t->depth = 1;
	return true;
}

void
tui_oom(struct tui *t)
{
	tui_msg(t, "%s", _("out of memory"));
	t->status_err = true;
}

void
tui_msg(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_err = false;
}

void
tui_error(struct tui *t, const struct err *e)
{
	/* the store's message, already translated: every reason (drawn
	 * wrapped over several rows when long, draw_message) */
	snprintf(t->status, sizeof t->status, "%s", e->msg);
	size_t l = strlen(t->status);
	while (l > 0 && t->status[l - 1] == '\n')
		t->status[--l] = '\0';
	t->status_err = true;
}

void
tui_clear_msg(struct tui *t)
{
	t->status[0] = '\0';
	t->status_err = false;
}

const struct key_table *
tui_key_table(struct tui *t)
{
	const struct view *v = t->stack[t->depth - 1].v;
	return v->table ? v->table(t->stack[t->depth - 1].data) : NULL;
}

const char *
tui_hint_cols(struct tui *t, int cols)
{
	static char b[512];
	const struct key_table *kt = tui_key_table(t);
	b[0] = '\0';
	if (kt)
		key_table_hint_cols(kt, t->user.role, cols, b, sizeof b);
	return b;
}

const char *
tui_hint(struct tui *t)
{
	return tui_hint_cols(t, COLS);
}

void
tui_stack_free(struct tui *t)
{
	while (t->depth > 0)
		top_free(t);
}
