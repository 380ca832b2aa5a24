/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-lock.c — the console locks itself (SPEC 11): after the setting
 * console.lock.minutes without a key (default 10), or at once with F12.
 * The lock screen hides everything behind it and asks for a password: the
 * same user unlocks and finds the screens as they were; another user takes
 * the console over without a restart, and the screens start again from the
 * home screen for the new role.  Each lock, unlock and handover is audited
 * (user_console_event); a wrong password is audited as login.fail.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"
#include "tui/views.h"

struct lock_data {
	struct login_form lf;
	char by[USER_MAX_BYTES];
	char at[16];
};

static time_t last_key;

static void *
lock_init(struct tui *t, void *arg)
{
	(void)arg;
	struct lock_data *l = calloc(1, sizeof *l);
	time_t now = time(NULL);
	struct tm tm;

	if (l == NULL)
		return NULL;
	snprintf(l->by, sizeof l->by, "%s", t->user.login);
	if (localtime_r(&now, &tm) == NULL || strftime(l->at, sizeof l->at, "%H:%M", &tm) == 0)
		snprintf(l->at, sizeof l->at, "?");
	login_form_init(&l->lf, t->user.login, true);
	return l;
}

static void
lock_draw(struct tui *t, void *data)
{
	struct lock_data *l = data;
	int y = LINES / 2 - 6, cy, cx;
	char b[256];

	/* nothing of the screens behind may show */
	for (int r = VIEW_TOP; r < LINES - 2; r++)
		draw_text(r, 0, COLS, "", A_NORMAL);
	draw_box_title(y, _("The console is locked"));
	snprintf(b, sizeof b, _("Locked by %s at %s. The same user unlocks; another user takes the console over."), l->by, l->at);
	draw_text(y + 2, 2, COLS - 4, b, A_NORMAL);
	form_draw(&l->lf.form, y + 4, &cy, &cx);
	login_form_status(t, &l->lf, y + 9, _("Enter on the password unlocks; F10 leaves the console"), cy, cx);
}

static void
submit(struct tui *t, struct lock_data *l)
{
	char user[USER_MAX_BYTES * 2], pw[512];
	struct user u;
	struct err e;

	err_clear(&e);
	if (!login_form_read(&l->lf, user, sizeof user, pw, sizeof pw))
		return;
	if (user_login(t->st, user, pw, &u, &e) != 0) {
		login_form_refused(t, &l->lf, pw, sizeof pw, &e);
		return;
	}
	explicit_bzero(pw, sizeof pw);
	last_key = time(NULL);
	if (strcmp(u.login, l->by) == 0) {
		user_console_event(t->st, u.login, "console.unlock", NULL, &e);
		t->user = u;      /* a role changed meanwhile shows now */
		tui_clear_msg(t);
		tui_pop(t);       /* back to the screens as they were */
		return;
	}
	/* another user: the screens start again for the new role */
	if (user_console_event(t->st, u.login, "console.handover", l->by, &e) != 0) {
		tui_error(t, &e);
		return;
	}
	t->user = u;
	t->generation++;
	tui_msg(t, _("The console was handed over from %s to %s"), l->by, u.login);
	tui_reset(t, &view_dashboard, NULL);
}

static int
lock_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct lock_data *l = data;
	int r = login_form_key(&l->lf, a, ch);
	if (r == LF_SUBMIT)
		submit(t, l);
	return r == LF_NONE ? RD_NONE : RD_VIEW;
}

static int
lock_tick(struct tui *t, void *data)
{
	(void)t;
	struct lock_data *l = data;
	return login_form_tick(&l->lf) ? RD_VIEW : RD_NONE;
}

static const struct key_table *
lock_table(void *data)
{
	(void)data;
	return key_table_named("lock");
}

const struct view view_lock = {
	.name = "lock", .init = lock_init, .free = free, .draw = lock_draw,
	.key = lock_key, .table = lock_table, .tick = lock_tick,
};

static bool
locked(const struct tui *t)
{
	return t->depth > 0 && t->stack[t->depth - 1].v == &view_lock;
}

/* Lock now (F12, or idle): audited; the screens stay under the lock. */
void
tui_lock(struct tui *t)
{
	struct err e;
	if (!t->logged_in || t->st == NULL || locked(t))
		return;
	user_console_event(t->st, t->user.login, "console.lock", NULL, &e);
	if (!tui_push(t, &view_lock, NULL))
		tui_reset(t, &view_lock, NULL);  /* no room on the stack: lock anyway */
}

void
tui_key_seen(void)
{
	last_key = time(NULL);
}

/* Called about twice a second while no key comes: true when it locked. */
bool
tui_idle_lock(struct tui *t)
{
	int64_t minutes = 10;
	struct err e;

	if (!t->logged_in || t->st == NULL || locked(t))
		return false;
	if (last_key == 0) {
		last_key = time(NULL);
		return false;
	}
	if (setting_get_int(t->st, NULL, "console.lock.minutes", &minutes, &e) != 0 || minutes < 1)
		minutes = 10;
	if (time(NULL) - last_key < minutes * 60)
		return false;
	tui_lock(t);
	return true;
}
