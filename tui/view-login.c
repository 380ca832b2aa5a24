/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-login.c — user name and password (shown as stars).  user_login()
 * checks the password and audits a failure; after three wrong tries the
 * screen waits a few seconds, counting down, before accepting more.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#define LOGIN_TRIES 3
#define LOGIN_PAUSE 5 /* seconds */

struct login_data {
	struct form form;
	int failures;
	time_t locked_until;
};

static void *
login_init(struct tui *t, void *arg)
{
	(void)t;
	struct login_data *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	const char *user = arg;
	form_add_text(&l->form, N_("User name"), 24, USER_MAX_BYTES - 1, NULL, user ? user : "");
	int p = form_add_text(&l->form, N_("Password"), 24, 128, NULL, "");
	l->form.ff[p].f.secret = true;
	if (user && *user)
		l->form.focus = p;
	return l;
}

static void
login_free(void *data)
{
	free(data);
}

static long
seconds_left(const struct login_data *l)
{
	time_t now = time(NULL);
	return l->locked_until > now ? (long)(l->locked_until - now) : 0;
}

static void
login_draw(struct tui *t, void *data)
{
	struct login_data *l = data;
	int y = LINES / 2 - 5;
	draw_box_title(y, _("Log in"));
	int cy, cx;
	form_draw(&l->form, y + 2, &cy, &cx);
	long left = seconds_left(l);
	if (left > 0) {
		char b[256];
		snprintf(b, sizeof b, _("Too many wrong passwords: wait %ld seconds"), left);
		draw_text(y + 7, 2, COLS - 4, b, attrs[AT_ERR]);
		t->cy = -1;
	} else {
		draw_text(y + 7, 2, COLS - 4, _("Tab or Enter moves to the next field; Enter on the password logs in"), A_NORMAL);
		t->cy = cy;
		t->cx = cx;
	}
}

static void
submit(struct tui *t, struct login_data *l)
{
	char user[USER_MAX_BYTES * 2], pw[512];
	struct err e;
	field_get(&l->form.ff[0].f, user, sizeof user);
	field_get(&l->form.ff[1].f, pw, sizeof pw);
	err_clear(&e);
	if (user[0] == '\0') {
		l->form.focus = 0;
		return;
	}
	/* an encrypted store is not open yet: the password unwraps its key */
	if (t->st == NULL ? store_open_login(&t->st, t->data_dir, 0, user, pw, &t->user, &e) != 0 :
	    user_login(t->st, user, pw, &t->user, &e) != 0) {
		explicit_bzero(pw, sizeof pw);
		field_set(&l->form.ff[1].f, "");
		l->form.focus = 1;
		tui_error(t, &e);
		if (++l->failures >= LOGIN_TRIES) {
			l->failures = 0;
			l->locked_until = time(NULL) + LOGIN_PAUSE;
		}
		return;
	}
	explicit_bzero(pw, sizeof pw);
	if (t->title[0] == '\0') {
		char name[128] = "";
		setting_get(t->st, NULL, "township.name", name, sizeof name, &e);
		snprintf(t->title, sizeof t->title, "%s", name);
	}
	t->logged_in = true;
	tui_clear_msg(t);
	tui_reset(t, &view_dashboard, NULL);
}

static int
login_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct login_data *l = data;
	if (seconds_left(l) > 0)
		return RD_NONE;
	if (a == K_ESC)
		return RD_NONE;
	if (a == K_ENTER && l->form.focus == 1) {
		submit(t, l);
		return RD_VIEW;
	}
	form_key(&l->form, a, ch);
	return RD_VIEW;
}

static int
login_tick(struct tui *t, void *data)
{
	(void)t;
	struct login_data *l = data;
	if (l->locked_until && seconds_left(l) == 0) {
		l->locked_until = 0; /* the pause is over: one last redraw */
		return RD_VIEW;
	}
	return l->locked_until ? RD_VIEW : RD_NONE;
}

static const struct key_table *
login_table(void *data)
{
	(void)data;
	return key_table_named("login");
}

const struct view view_login = {
	.name = "login", .init = login_init, .free = login_free, .draw = login_draw,
	.key = login_key, .table = login_table, .tick = login_tick,
};
