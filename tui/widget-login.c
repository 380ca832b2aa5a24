/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * widget-login.c — the user name and password fields of the login screen
 * and of the lock screen (widgets.h): read, refused (user_login has
 * already audited the failure), and after three wrong tries in a row a
 * pause of a few seconds, counted down, before more are accepted.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <string.h>
#include <time.h>

#include "store/err.h"
#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "core/base.h"
#include "core/sizes.h"

#define LOGIN_TRIES 3
#define LOGIN_PAUSE 5 /* seconds */

void
login_form_init(struct login_form *lf, const char *user, bool focus_password)
{
	form_add_text(&lf->form, N_("User name"), 24, USER_MAX_BYTES - 1, NULL, user ? user : "");
	int p = form_add_text(&lf->form, N_("Password"), 24, 128, NULL, "");
	lf->form.ff[p].f.secret = true;
	if (focus_password)
		lf->form.focus = p;
}

long
login_form_wait(const struct login_form *lf)
{
	time_t now = time(NULL);
	return lf->paused_until > now ? (long)(lf->paused_until - now) : 0;
}

void
login_form_status(struct tui *t, const struct login_form *lf, int y, const char *hint, int cy, int cx)
{
	long left = login_form_wait(lf);
	if (left > 0) {
		char b[256];
		snprintf(b, sizeof b, _("Too many wrong passwords: wait %ld seconds"), left);
		draw_text(y, 2, COLS - 4, b, attrs[AT_ERR]);
		t->cy = -1;
	} else {
		draw_text(y, 2, COLS - 4, hint, A_NORMAL);
		t->cy = cy;
		t->cx = cx;
	}
}

bool
login_form_read(struct login_form *lf, char *user, size_t usize, char *pw, size_t pwsize)
{
	field_get(&lf->form.ff[0].f, user, usize);
	field_get(&lf->form.ff[1].f, pw, pwsize);
	if (user[0] == '\0') {
		lf->form.focus = 0;
		return false;
	}
	return true;
}

void
login_form_refused(struct tui *t, struct login_form *lf, char *pw, size_t pwsize, const struct err *e)
{
	explicit_bzero(pw, pwsize);
	field_set(&lf->form.ff[1].f, "");
	lf->form.focus = 1;
	tui_error(t, e);
	if (++lf->failures >= LOGIN_TRIES) {
		lf->failures = 0;
		lf->paused_until = time(NULL) + LOGIN_PAUSE;
	}
}

int
login_form_key(struct login_form *lf, enum action_id a, wint_t ch)
{
	if (login_form_wait(lf) > 0 || a == K_ESC)
		return LF_NONE;
	if (a == K_ENTER && lf->form.focus == 1)
		return LF_SUBMIT;
	form_key(&lf->form, a, ch);
	return LF_EDITED;
}

bool
login_form_tick(struct login_form *lf)
{
	if (lf->paused_until && login_form_wait(lf) == 0) {
		lf->paused_until = 0;	/* the pause is over: one last redraw */
		return true;
	}
	return lf->paused_until != 0;
}
