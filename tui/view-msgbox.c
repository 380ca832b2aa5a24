/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-msgbox.c — a scrollable box of text lines: every reason of a
 * refusal (the store's err.msg, one reason a line), a calculation record,
 * a report summary.  ↑/↓/PgUp/PgDn scroll; Esc or Enter closes it.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/roles.h"
#include "store/err.h"

struct box {
	char title[256];
	char *text;
	char **line;
	int n, top;
};

struct box_arg { const char *title, *text; };

static void
box_free(void *data)
{
	struct box *b = data;
	free(b->line);
	free(b->text);
	free(b);
}

static void *
box_init(struct tui *t, void *arg)
{
	(void)t;
	const struct box_arg *a = arg;
	struct box *b = calloc(1, sizeof *b);
	if (b == NULL || (b->text = strdup(a->text)) == NULL) {
		free(b);
		return NULL;
	}
	snprintf(b->title, sizeof b->title, "%s", a->title);
	int cap = 1;
	for (const char *p = b->text; *p; p++)
		cap += *p == '\n';
	if ((b->line = calloc((size_t)cap, sizeof *b->line)) == NULL) {
		box_free(b);
		return NULL;
	}
	for (char *p = b->text, *nl; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p || nl)
			b->line[b->n++] = p;
	}
	return b;
}

static void
box_draw(struct tui *t, void *data)
{
	(void)t;
	struct box *b = data;
	int rows = VIEW_ROWS - 3;
	draw_box_title(VIEW_TOP, b->title);
	if (b->top > b->n - rows)
		b->top = b->n - rows > 0 ? b->n - rows : 0;
	for (int i = 0; i < rows && b->top + i < b->n; i++)
		draw_text(VIEW_TOP + 2 + i, 2, COLS - 4, b->line[b->top + i], A_NORMAL);
	char m[600];
	snprintf(m, sizeof m, _("Lines %d–%d of %d"), b->n ? b->top + 1 : 0,
	    b->top + rows < b->n ? b->top + rows : b->n, b->n);
	snprintf(m + strlen(m), sizeof m - strlen(m), "  %s", tui_hint(t));
	draw_text(LINES - 3, 0, COLS, m, A_BOLD);
}

static int
box_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct box *b = data;
	switch (a) {
	case K_UP: if (b->top > 0) b->top--; break;
	case K_DOWN: b->top++; break;
	case K_PGUP: b->top = b->top > 10 ? b->top - 10 : 0; break;
	case K_PGDN: b->top += 10; break;
	case K_HOME: b->top = 0; break;
	case K_END: b->top = b->n; break;
	case K_ENTER:
	case K_ESC: tui_pop(t); break;
	default: return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
box_table(void *data)
{
	(void)data;
	return key_table_named("msgbox");
}

const struct view view_msgbox = {
	.name = "msgbox", .init = box_init, .free = box_free, .draw = box_draw,
	.key = box_key, .table = box_table,
};

void
tui_msgbox(struct tui *t, const char *title, const char *text)
{
	struct box_arg a = {title, text};
	tui_push(t, &view_msgbox, &a);
}

void
tui_refusal(struct tui *t, const struct err *e)
{
	tui_error(t, e);
	bool rule = false;
	for (const char *p = e->msg; (p = strchr(p, 'R')) != NULL; p++)
		rule |= p[1] >= '0' && p[1] <= '9';
	if (rule || strchr(e->msg, '\n') != NULL)
		tui_msgbox(t, _("Refused: every reason"), e->msg);
}

void
tui_roles_for(enum action act, char *who, size_t size)
{
	who[0] = '\0';
	for (int r = 0; r < ROLE__N; r++)
		if (role_may((enum role)r, act))
			snprintf(who + strlen(who), size - strlen(who), "%s%s", who[0] ? "、" : "", role_terms[r].zh);
}

const char *
tui_role_reason(struct tui *t, enum action act)
{
	static char why[256];
	char who[128];
	if (role_may(t->user.role, act))
		return NULL;
	tui_roles_for(act, who, sizeof who);
	snprintf(why, sizeof why, _("not for the role %s (only %s)"), role_terms[t->user.role].zh, who);
	return why;
}

bool
tui_may(struct tui *t, enum action act)
{
	const char *why = tui_role_reason(t, act);
	if (why == NULL)
		return true;
	tui_msg(t, "%s", why);
	t->status_err = true;
	return false;
}
