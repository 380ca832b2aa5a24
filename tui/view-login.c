/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-login.c — user name and password (shown as stars).  user_login()
 * checks the password and audits a failure; after three wrong tries the
 * screen waits a few seconds, counting down, before accepting more.
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
#include "core/sizes.h"
#include "store/crypt.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"
#include "tui/views.h"

struct login_data {
	struct login_form lf;
};

static void *
login_init(struct tui *t, void *arg)
{
	(void)t;
	struct login_data *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	const char *user = arg;
	login_form_init(&l->lf, user, user && *user);
	return l;
}

static void
login_free(void *data)
{
	free(data);
}

static void
login_draw(struct tui *t, void *data)
{
	struct login_data *l = data;
	int y = LINES / 2 - 5;
	draw_box_title(y, _("Log in"));
	int cy, cx;
	form_draw(&l->lf.form, y + 2, &cy, &cx);
	login_form_status(t, &l->lf, y + 7, _("Tab or Enter moves to the next field; Enter on the password logs in"), cy, cx);
}

static void
submit(struct tui *t, struct login_data *l)
{
	char user[USER_MAX_BYTES * 2], pw[512];
	struct err e;
	err_clear(&e);
	if (!login_form_read(&l->lf, user, sizeof user, pw, sizeof pw))
		return;
	/* an encrypted store is not open yet: the password unwraps its key */
	if (t->st == NULL ? store_open_login(&t->st, t->data_dir, 0, user, pw, &t->user, &e) != 0 :
	    user_login(t->st, user, pw, &t->user, &e) != 0) {
		login_form_refused(t, &l->lf, pw, sizeof pw, &e);
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
	int r = login_form_key(&l->lf, a, ch);
	if (r == LF_SUBMIT)
		submit(t, l);
	return r == LF_NONE ? RD_NONE : RD_VIEW;
}

static int
login_tick(struct tui *t, void *data)
{
	(void)t;
	struct login_data *l = data;
	return login_form_tick(&l->lf) ? RD_VIEW : RD_NONE;
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
