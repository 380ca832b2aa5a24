/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-firstrun.c — a data directory without a database: create the
 * township and its administrator (store_open with STORE_CREATE, then
 * store_init), log the administrator in, and offer demo data.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "store/crypt.h"
#include "store/demo.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

#define DEMO_HOUSEHOLDS 500

struct firstrun_data {
	struct form form;
	bool ask_demo;
	int done, total;
};

static int
valid_code(const char *s, const char **why)
{
	if (!township_code_valid(s)) {
		*why = N_("township code: must be 9 digits");
		return -1;
	}
	return 0;
}

static int
valid_password(const char *s, const char **why)
{
	if (strlen(s) < 6) {
		*why = N_("at least 6 characters");
		return -1;
	}
	return 0;
}

static void *
firstrun_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct firstrun_data *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	struct form *fm = &f->form;
	form_add_text(fm, N_("Township code"), 12, 9, valid_code, "");
	fm->ff[0].f.digits = true;
	form_add_text(fm, N_("Township name"), 24, 30, valid_required, "");
	form_add_text(fm, N_("Administrator"), 20, USER_MAX_BYTES - 1, valid_required, "admin");
	int p1 = form_add_text(fm, N_("Password"), 24, 100, valid_password, "");
	int p2 = form_add_text(fm, N_("Password again"), 24, 100, valid_password, "");
	fm->ff[p1].f.secret = fm->ff[p2].f.secret = true;
	return f;
}

static void
firstrun_draw(struct tui *t, void *data)
{
	struct firstrun_data *f = data;
	draw_box_title(VIEW_TOP + 1, _("First run: create the township's database"));
	if (f->ask_demo) {
		draw_text(VIEW_TOP + 4, 2, COLS - 4, _("The database is ready and the administrator is logged in."), A_NORMAL);
		char b[256];
		if (f->total > 0) {
			snprintf(b, sizeof b, _("Loading demo data: %d / %d households"), f->done, f->total);
			draw_text(VIEW_TOP + 6, 2, COLS - 4, b, A_BOLD);
		} else {
			snprintf(b, sizeof b, _("Load %d demo households to try the console? (Y/N)"), DEMO_HOUSEHOLDS);
			draw_text(VIEW_TOP + 6, 2, COLS - 4, b, A_BOLD);
		}
		t->cy = -1;
		return;
	}
	int cy, cx;
	form_draw(&f->form, VIEW_TOP + 3, &cy, &cx);
	draw_text(VIEW_TOP + 14, 2, COLS - 4, _("F2 creates the database; the data directory:"), A_NORMAL);
	draw_text(VIEW_TOP + 15, 4, COLS - 6, t->data_dir, A_NORMAL);
	t->cy = cy;
	t->cx = cx;
}

static int
create(struct tui *t, struct firstrun_data *f)
{
	struct err e;
	char code[16], name[128], admin[64], pw[512], pw2[512];
	struct form *fm = &f->form;
	int bad = form_validate(fm);
	if (bad >= 0) {
		fm->focus = bad;
		tui_msg(t, "%s", _("Correct the marked fields first"));
		t->status_err = true;
		return -1;
	}
	snprintf(code, sizeof code, "%s", form_text(fm, 0));
	snprintf(name, sizeof name, "%s", form_text(fm, 1));
	snprintf(admin, sizeof admin, "%s", form_text(fm, 2));
	snprintf(pw, sizeof pw, "%s", form_text(fm, 3));
	snprintf(pw2, sizeof pw2, "%s", form_text(fm, 4));
	if (strcmp(pw, pw2) != 0) {
		fm->ff[4].why = N_("the two passwords differ");
		fm->focus = 4;
		return -1;
	}
	err_clear(&e);
	if (store_open(&t->st, t->data_dir, STORE_CREATE | STORE_ENCRYPT, &e) != 0 ||
	    store_init(t->st, code, name, false, admin, pw, &e) != 0 ||
	    user_login(t->st, admin, pw, &t->user, &e) != 0) {
		if (t->st) {
			store_close(t->st);
			t->st = NULL;
		}
		tui_error(t, &e);
		return -1;
	}
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(pw2, sizeof pw2);
	t->logged_in = true;
	snprintf(t->title, sizeof t->title, "%s", name);
	/* the recovery sheet for the safe (i14), into ~/低保输出 */
	char sheet[1200], l1[256], l2[512];
	const char *lines[] = {l1, l2};
	snprintf(l1, sizeof l1, _("Township: %s (%s)"), name, code);
	snprintf(l2, sizeof l2, "%s", _("With this code (dibao recover --code CODE) an administrator gets a new password when every password is lost. Keep this sheet in the safe, never beside the computer."));
	if (store_recovery_code(t->st) != NULL &&
	    (default_out_path("恢复页", "pdf", sheet, sizeof sheet, &e) != 0 ||
	    recovery_sheet_write(sheet, _("Recovery sheet of the dibao database"), lines, 2,
	    _("Recovery code:"), store_recovery_code(t->st), &e) != 0))
		tui_error(t, &e);
	else if (store_recovery_code(t->st) != NULL)
		tui_msg(t, _("Township %s created; administrator %s; print the recovery sheet %s for the safe"), name, admin, sheet);
	else
		tui_msg(t, _("Township %s created; administrator %s"), name, admin);
	f->ask_demo = true;
	return 0;
}

static void
progress(int done, int total, void *baton)
{
	struct tui *t = baton;
	struct firstrun_data *f = t->stack[t->depth - 1].data;
	f->done = done;
	f->total = total;
	if (done == total || done % 50 == 0)
		tui_draw_now(t);
}

static int
firstrun_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct firstrun_data *f = data;
	if (f->ask_demo) {
		if (a != K_CHAR)
			return RD_NONE;
		if (ch == 'y' || ch == 'Y') {
			struct err e;
			err_clear(&e);
			f->total = DEMO_HOUSEHOLDS;
			if (demo_load(t->st, &t->user, DEMO_HOUSEHOLDS, 1, progress, t, &e) != 0) {
				tui_error(t, &e);
			} else {
				tui_msg(t, _("%d demo households loaded"), DEMO_HOUSEHOLDS);
			}
			tui_reset(t, &view_dashboard, NULL);
		} else if (ch == 'n' || ch == 'N') {
			tui_reset(t, &view_dashboard, NULL);
		}
		return RD_VIEW;
	}
	switch (form_key(&f->form, a, ch)) {
	case FR_SAVE:
	case FR_SUBMIT:
		create(t, f);
		break;
	default:
		break;
	}
	return RD_VIEW;
}

static const struct key_table *
firstrun_table(void *data)
{
	struct firstrun_data *f = data;
	return key_table_named(f->ask_demo ? "firstrun.demo" : "firstrun");
}

const struct view view_firstrun = {
	.name = "firstrun", .init = firstrun_init, .free = free, .draw = firstrun_draw,
	.key = firstrun_key, .table = firstrun_table,
};
