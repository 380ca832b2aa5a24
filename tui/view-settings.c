/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-settings.c — 设置: the settings (Enter edits the selected value
 * through setting_set), the standards table (F3 adds a standard), the
 * villages (F3 adds one), the users (the admin adds one with F3, disables
 * one with F6; Enter changes the selected user's password, typed twice)
 * and the checklist template (F3 adds an item, Enter edits the selected
 * one, through checklist_template_set).  F7 switches between the lists.
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

#include "core/base.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/settings-defs.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/checklist.h"
#include "store/crypt.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"

enum page { PG_SETTINGS, PG_STANDARDS, PG_VILLAGES, PG_USERS, PG_CHECKLIST, PG__N };
static const char *const page_names[PG__N] = {
	N_("Settings"), N_("Standards"), N_("Villages"), N_("Users"), N_("Checklist template"),
};

struct set_data {
	enum page page;
	struct linebuf rows;     /* text; "dossier" holds the key (setting, login) */
	int sel, top, generation;
	int w[TAB_COLS];
};

static int
one_setting(const char *key, const char *val, const char *help, void *baton)
{
	struct linebuf *b = baton;
	/* its name and value in words; the key only for editing */
	char v[300];
	setting_value_words(key, val, v, sizeof v);
	return linebuf_add(b, key, "%s\t%s\t%s", setting_name(key), v, setting_about(key, help));
}

static int
one_standard(enum area a, dbmonth_t from, fen_t amount, void *baton)
{
	char m[8], y[32];
	month_format(from, m);
	money_format(amount, y);
	return linebuf_add(baton, NULL, "%s\t%s\t%s %s", area_terms[a].zh, m, y, _("yuan per person per month"));
}

static int
one_village(const struct village *v, void *baton)
{
	return linebuf_add(baton, v->name, "%s\t%s %s\t%s %s", v->name, _("groups:"), v->groups, _("aliases:"), v->aliases);
}

static int
one_user(const struct user *u, void *baton)
{
	return linebuf_add(baton, u->login, "%s\t%s\t%s\t%s", u->login, u->name, role_terms[u->role].zh,
	    u->disabled ? _("disabled") : user_needs_key(u) ? _("needs a new password from an administrator") : "");
}

static void
load(struct tui *t, struct set_data *s)
{
	struct err e;
	err_clear(&e);
	linebuf_free(&s->rows);
	s->generation = t->generation;
	int r = 0;
	switch (s->page) {
	case PG_SETTINGS: r = setting_list(t->st, one_setting, &s->rows, &e); break;
	case PG_STANDARDS: r = standard_list(t->st, one_standard, &s->rows, &e); break;
	case PG_VILLAGES: r = village_list(t->st, one_village, &s->rows, &e); break;
	case PG_USERS: r = user_list(t->st, one_user, &s->rows, &e); break;
	case PG_CHECKLIST: {
		struct checklist_def defs[MAX_ITEMS];
		int n;
		if ((r = checklist_template(t->st, NULL, defs, MAX_ITEMS, &n, &e)) == 0)
			for (int i = 0; i < n; i++)
				linebuf_add(&s->rows, defs[i].code, "%s\t%s\t%s\t%s\t%s%s", defs[i].code, defs[i].name,
				    status_terms[defs[i].stage].zh, when_terms[defs[i].when].zh,
				    defs[i].needs_sign ? _("sign ") : "", defs[i].needs_stamp ? _("stamp") : "");
		break;
	}
	default: break;
	}
	tab_widths(s->rows.text, s->rows.n, s->w, TAB_COLS, 30);
	if (r != 0)
		tui_error(t, &e);
	if (s->sel >= s->rows.n)
		s->sel = s->rows.n ? s->rows.n - 1 : 0;
}

static void *
set_init(struct tui *t, void *arg)
{
	(void)arg;
	struct set_data *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	load(t, s);
	return s;
}

static void
set_free(void *data)
{
	struct set_data *s = data;
	linebuf_free(&s->rows);
	free(s);
}

static int
tabs_in(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\t';
	return n;
}

static void
set_draw(struct tui *t, void *data)
{
	struct set_data *s = data;
	if (s->generation != t->generation)
		load(t, s);
	draw_tab_row(VIEW_TOP, page_names, PG__N, (int)s->page, -1);
	draw_hline(VIEW_TOP + 1, 0, COLS, A_NORMAL);
	const char *why = s->page == PG_USERS ? NULL : tui_role_reason(t, ACT_SETTINGS);
	const char *help = tui_hint(t);
	/* the selected row's last column (a setting's description, a village's
	 * aliases) whole on its own line when the list cuts it */
	const char *last = s->sel < s->rows.n ? strrchr(s->rows.text[s->sel], '\t') : NULL;
	int used = 1;
	for (int c = 0; last && c < TAB_COLS && c < tabs_in(s->rows.text[s->sel]); c++)
		used += s->w[c];
	bool detail = last && used + text_width(last + 1) > COLS - 1;
	int rows = VIEW_ROWS - 2 - hint_lines(help, why) - (detail ? 2 : 0);
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	for (int i = 0; i < rows && s->top + i < s->rows.n; i++) {
		int k = s->top + i;
		draw_tabbed(VIEW_TOP + 2 + i, 1, COLS - 2, s->rows.text[k], s->w, TAB_COLS, k == s->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	if (detail)
		draw_text(VIEW_TOP + 3 + rows, 1, COLS - 2, last + 1, A_BOLD);
	draw_hint(help, why, why ? (int)A_DIM : (int)A_BOLD);
}

static int
do_setting(struct tui *t, const char *text, void *ctx, struct err *e)
{
	const char *key = ctx;
	if (setting_set(t->st, &t->user, key, text, e) != 0)
		return -1;
	tui_msg(t, _("%s = %s saved"), setting_name(key), text);
	return 0;
}

static int
save_standard(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	dbmonth_t m;
	fen_t amount;
	const char *why;
	if (month_parse(form_text(fm, 1), &m, &why) != 0 || money_parse(form_text(fm, 2), &amount, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (standard_set(t->st, &t->user, (enum area)(fm->ff[0].choice + 1), m, amount, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Standard saved"));
	return 0;
}

static int
save_village(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	struct village v;
	const char *why;
	memset(&v, 0, sizeof v);
	if (text_set(v.name, sizeof v.name, form_text(fm, 0), &why) != 0 ||
	    text_set(v.groups, sizeof v.groups, form_text(fm, 1), &why) != 0 ||
	    text_set(v.aliases, sizeof v.aliases, form_text(fm, 2), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (village_add(t->st, &t->user, &v, e) != 0)
		return -1;
	tui_msg(t, _("village %s added"), v.name);
	return 0;
}

static int
save_user(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	struct user u;
	const char *why;
	memset(&u, 0, sizeof u);
	if (text_set(u.login, sizeof u.login, form_text(fm, 0), &why) != 0 ||
	    text_set(u.name, sizeof u.name, form_text(fm, 1), &why) != 0 ||
	    text_set(u.id, sizeof u.id, form_text(fm, 4), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	u.role = (enum role)fm->ff[2].choice;
	if (user_add(t->st, &t->user, &u, form_text(fm, 3), e) != 0)
		return -1;
	tui_msg(t, _("user %s (%s) added"), u.login, role_terms[u.role].zh);
	return 0;
}

static int
save_passwd(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	const char *login = ctx;
	char pw[FIELD_MAX * 4 + 1];
	snprintf(pw, sizeof pw, "%s", form_text(fm, 0));
	if (strcmp(pw, form_text(fm, 1)) != 0)
		return err_set(e, E_REFUSED, "%s", _("the two passwords differ"));
	if (user_passwd(t->st, &t->user, login, pw, e) != 0)
		return -1;
	tui_msg(t, _("password of %s changed"), login);
	return 0;
}


static int
save_item(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	struct checklist_def def;
	const char *why;
	memset(&def, 0, sizeof def);
	if (text_set(def.code, sizeof def.code, form_text(fm, 0), &why) != 0 ||
	    text_set(def.name, sizeof def.name, form_text(fm, 1), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	def.stage = (enum status)fm->ff[2].choice;
	def.when = (enum item_when)fm->ff[3].choice;
	def.needs_sign = fm->ff[4].choice == 1;
	def.needs_stamp = fm->ff[5].choice == 1;
	if (checklist_template_set(t->st, &t->user, &def, e) != 0)
		return -1;
	tui_msg(t, _("checklist item %s saved"), def.code);
	return 0;
}

static void
open_passwd(struct tui *t, const char *login)
{
	static char title[128];
	snprintf(title, sizeof title, _("Password of %s"), login);
	struct form_spec *f = form_spec_new(t, title, save_passwd, strlen(login) + 1);
	if (f == NULL)
		return;
	memcpy(f->ctx, login, strlen(login) + 1);
	form_add_text(&f->form, N_("New password"), 20, 64, valid_required, "");
	form_add_text(&f->form, N_("New password again"), 20, 64, valid_required, "");
	f->form.ff[0].f.secret = f->form.ff[1].f.secret = true;
	tui_push(t, &view_form, f);
}

/* the item code of the template (a new one when code is NULL) */
static void
open_item(struct tui *t, const char *code)
{
	struct checklist_def defs[MAX_ITEMS], def;
	struct err e;
	int n = 0;
	err_clear(&e);
	memset(&def, 0, sizeof def);
	def.stage = ST_ACCEPTED;
	if (code && checklist_template(t->st, NULL, defs, MAX_ITEMS, &n, &e) == 0)
		for (int i = 0; i < n; i++)
			if (strcmp(defs[i].code, code) == 0)
				def = defs[i];
	struct form_spec *f = form_spec_new(t, code ? _("Edit a checklist item") : _("Add a checklist item"), save_item, 0);
	if (f == NULL)
		return;
	form_add_text(&f->form, N_("Code"), 16, ITEM_CODE_MAX - 1, valid_required, def.code);
	form_add_text(&f->form, N_("Name"), 40, 60, valid_required, def.name);
	form_add_choice(&f->form, N_("Needed to enter"), status_terms, ST__N, def.stage);
	form_add_choice(&f->form, N_("When"), when_terms, WHEN__N, def.when);
	form_add_choice(&f->form, N_("Signature"), yes_no_terms, 2, def.needs_sign);
	form_add_choice(&f->form, N_("Stamp"), yes_no_terms, 2, def.needs_stamp);
	tui_push(t, &view_form, f);
}

/* the rounding: a choice of words, saved as the setting's name */
static struct term rounding_terms[8];

static int
save_rounding(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	(void)ctx;
	if (setting_set(t->st, &t->user, "rounding", rounding_names[fm->ff[0].choice], e) != 0)
		return -1;
	tui_msg(t, "%s", _("Setting saved"));
	return 0;
}

static void
open_rounding(struct tui *t, const char *title, const char *val)
{
	int n = 0, cur = 0;
	for (; rounding_names[n] && n < 8; n++) {
		rounding_terms[n] = (struct term){_(rounding_words[n]), rounding_names[n]};
		if (strcmp(rounding_names[n], val) == 0)
			cur = n;
	}
	struct form_spec *f = form_spec_new(t, title, save_rounding, 0);
	if (f == NULL)
		return;
	form_add_choice(&f->form, N_("Rounding of the monthly total"), rounding_terms, n, cur);
	tui_push(t, &view_form, f);
}

static int
set_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct set_data *s = data;
	struct form_spec *f;
	struct err e;
	err_clear(&e);
	switch (a) {
	case K_UP: if (s->sel > 0) s->sel--; break;
	case K_DOWN: if (s->sel + 1 < s->rows.n) s->sel++; break;
	case K_PGUP: s->sel = s->sel > 10 ? s->sel - 10 : 0; break;
	case K_PGDN: s->sel = s->sel + 10 < s->rows.n ? s->sel + 10 : (s->rows.n ? s->rows.n - 1 : 0); break;
	case K_HOME: s->sel = 0; break;
	case K_END: s->sel = s->rows.n ? s->rows.n - 1 : 0; break;
	case K_ESC: tui_pop(t); break;
	case K_REFRESH: load(t, s); break;
	case K_SWITCH:
	case K_TAB:
	case K_RIGHT:
		s->page = (s->page + 1) % PG__N;
		s->sel = s->top = 0;
		load(t, s);
		break;
	case K_BTAB:
	case K_LEFT:
		s->page = (s->page + PG__N - 1) % PG__N;
		s->sel = s->top = 0;
		load(t, s);
		break;
	case K_ENTER:
		if (s->page == PG_USERS && s->rows.n) {
			/* the store decides: an admin for anyone, anyone for themself */
			open_passwd(t, s->rows.dossier[s->sel]);
			break;
		}
		if (s->page == PG_CHECKLIST && s->rows.n && tui_may(t, ACT_SETTINGS)) {
			open_item(t, s->rows.dossier[s->sel]);
			break;
		}
		if (s->page != PG_SETTINGS || s->rows.n == 0 || !tui_may(t, ACT_SETTINGS))
			break;
		{
			static char title[128];
			char key[128], val[256] = "";
			snprintf(key, sizeof key, "%s", s->rows.dossier[s->sel]);
			setting_get(t->st, NULL, key, val, sizeof val, &e);
			snprintf(title, sizeof title, _("Setting %s"), setting_name(key));
			const struct setting_def *sd = setting_def_find(key);
			if (sd && sd->kind == SET_ROUNDING) {
				open_rounding(t, title, val);
				break;
			}
			open_prompt(t, title, N_("Value"), val, 120, NULL, do_setting, key, sizeof key);
		}
		break;
	case K_ADD:
		if (s->page == PG_STANDARDS && tui_may(t, ACT_SETTINGS)) {
			if ((f = form_spec_new(t, _("Add a standard"), save_standard, 0)) == NULL)
				break;
			form_add_choice(&f->form, N_("Area"), area_terms + 1, AREA__N - 1, AREA_RURAL - 1);
			form_add_text(&f->form, N_("From month (YYYY-MM)"), 8, 7, valid_required, "");
			form_add_text(&f->form, N_("Monthly amount (yuan)"), 12, 14, valid_money, "");
			tui_push(t, &view_form, f);
		} else if (s->page == PG_VILLAGES && tui_may(t, ACT_SETTINGS)) {
			if ((f = form_spec_new(t, _("Add a village"), save_village, 0)) == NULL)
				break;
			form_add_text(&f->form, N_("Name"), 20, 20, valid_required, "");
			form_add_text(&f->form, N_("Groups (comma separated)"), 40, 100, NULL, "");
			form_add_text(&f->form, N_("Aliases (comma separated)"), 40, 100, NULL, "");
			tui_push(t, &view_form, f);
		} else if (s->page == PG_USERS && tui_may(t, ACT_USERS)) {
			if ((f = form_spec_new(t, _("Add a user"), save_user, 0)) == NULL)
				break;
			form_add_text(&f->form, N_("Login"), 16, 16, valid_required, "");
			form_add_text(&f->form, N_("Name"), 16, 16, valid_name, "");
			form_add_choice(&f->form, N_("Role"), role_terms, ROLE__N, ROLE_CLERK);
			form_add_text(&f->form, N_("Password"), 20, 64, valid_required, "");
			f->form.ff[3].f.secret = true;
			/* the user's own ID number: R11 keeps them off their relatives' dossiers */
			form_add_text(&f->form, N_("ID number (optional)"), 20, 18, valid_id_optional, "");
			f->form.ff[4].f.digits = true;
			tui_push(t, &view_form, f);
		} else if (s->page == PG_CHECKLIST && tui_may(t, ACT_SETTINGS))
			open_item(t, NULL);
		break;
	case K_CLOSE:
		if (s->page == PG_USERS && s->rows.n && tui_may(t, ACT_USERS)) {
			if (user_disable(t->st, &t->user, s->rows.dossier[s->sel], &e) != 0)
				tui_refusal(t, &e);
			else
				tui_msg(t, _("user %s disabled"), s->rows.dossier[s->sel]);
			load(t, s);
		}
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
set_table(void *data)
{
	struct set_data *s = data;
	static const char *const names[PG__N] = {
		[PG_SETTINGS] = "settings.settings", [PG_STANDARDS] = "settings.standards",
		[PG_VILLAGES] = "settings.villages", [PG_USERS] = "settings.users", [PG_CHECKLIST] = "settings.checklist",
	};
	return key_table_named(names[s->page]);
}

const struct view view_settings = {
	.name = "settings", .init = set_init, .free = set_free, .draw = set_draw,
	.key = set_key, .table = set_table,
};
