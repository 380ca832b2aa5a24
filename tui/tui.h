/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui.h — the ncurses console's loop (main.c): views as tables of
 * function pointers on a stack, the status line, refusals shown whole
 * (view-msgbox.c) and the role check, the console lock (view-lock.c).  No
 * rule lives here: every change goes through the same store functions as
 * the command line.  The families beside it: keys.h (actions, key tables,
 * the hint line), draw.h (text by display columns), widgets.h (fields and
 * forms), views.h (the screens and how to open them).
 */
#ifndef DIBAO_TUI_H
#define DIBAO_TUI_H

#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "store/err.h"
#include "tui/keys.h"
#include "core/roles.h"

/* ---- main.c: the loop, the view stack, the status line ----------------- */

enum redraw { RD_NONE = 0, RD_VIEW = 1 };

struct tui;
struct view {
	const char *name;
	void *(*init)(struct tui *t, void *arg);
	void (*free)(void *data);
	/* draw the view between the title row and the status line */
	void (*draw)(struct tui *t, void *data);
	void (*resize)(struct tui *t, void *data);
	/* returns enum redraw; never draws */
	int (*key)(struct tui *t, void *data, enum action_id a, wint_t ch);
	/* actions this view understands (selects the bar and key meanings) */
	unsigned long long (*keys)(void *data);
	/* its key table (issue 15): when set, the mask, the bar, the hint and
	 * F1 help all come from it and keys is not used */
	const struct key_table *(*table)(void *data);
	/* called about twice a second (login pause); returns enum redraw */
	int (*tick)(struct tui *t, void *data);
	/* something typed and not saved (F10 asks before leaving); NULL: never */
	bool (*dirty)(void *data);
};

#define VIEW_DEPTH 8
struct tui {
	struct store *st;
	const char *data_dir;
	struct user user;
	bool logged_in;
	char title[256];
	char status[sizeof ((struct err *)0)->msg];
	bool status_err;
	struct { const struct view *v; void *data; } stack[VIEW_DEPTH];
	int depth;
	bool quit;
	int cy, cx;            /* cursor to show after a draw, cy < 0 hidden */
	int generation;        /* bumped by every successful save */
	bool quit_asking;      /* F10 with unsaved input: "leave anyway?" */
	/* the standby PC's state as the title bar last showed it: redrawn
	 * when it changes, though no key is pressed (main.c's idle tick) */
	char banner[400];
	int banner_ticks;
};

/* Open a view on top; false (and "out of memory" on the status line) when
 * its init returned NULL.  A view without data of its own has no init. */
bool tui_push(struct tui *t, const struct view *v, void *arg);
void tui_pop(struct tui *t);
/* Replace the whole stack by one view; false and the stack kept when the
 * view cannot open */
bool tui_reset(struct tui *t, const struct view *v, void *arg);
/* Close every view (the console's way out) */
void tui_stack_free(struct tui *t);
void tui_msg(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const struct err *e);
void tui_clear_msg(struct tui *t);
/* "out of memory" on the status line: the action was not taken */
void tui_oom(struct tui *t);
/* Draw everything now (progress during a long store call). */
void tui_draw_now(struct tui *t);
/* progress of a long job on the status line; true when Esc asks to cancel */
bool tui_progress(int done, int total, void *baton);
/* the keys the top view takes (its table's, else its own mask) */
unsigned long long tui_top_keys(struct tui *t);
/* under 80×24: a notice instead of the screen */
bool tui_too_small(void);
/* rows available to a view: 1 .. LINES-3 */
#define VIEW_TOP 1
#define VIEW_ROWS (LINES - 3)

/* the top view's table (NULL for a view without one) */
struct tui;
const struct key_table *tui_key_table(struct tui *t);
/* the hint line of the top view for the user's role, in COLS columns */
const char *tui_hint(struct tui *t);
/* the same in at most cols columns */
const char *tui_hint_cols(struct tui *t, int cols);

/* view-lock.c (i14): the console lock and handover */
extern const struct view view_lock;
void tui_lock(struct tui *t);
void tui_key_seen(void);
bool tui_idle_lock(struct tui *t);

/* view-msgbox.c: a scrollable box of lines (every reason of a refusal) */
void tui_msgbox(struct tui *t, const char *title, const char *text);
/* The error as a box when it has several lines, else on the status line. */
void tui_refusal(struct tui *t, const struct err *e);
/* role_may with the reason shown: true if allowed, else false and the
 * status line says which role may. */
bool tui_may(struct tui *t, enum action act);
const char *tui_role_reason(struct tui *t, enum action act);
/* The roles that may do act, as 经办人、审核人 */
void tui_roles_for(enum action act, char *who, size_t size);

/* setting-words.c (issue 15): a setting's Chinese name and its value in
 * words, as the console shows them */
const char *setting_name(const char *key);
const char *setting_about(const char *key, const char *help);
void setting_value_words(const char *key, const char *val, char *out, size_t size);
extern const char *const rounding_words[];

#endif
