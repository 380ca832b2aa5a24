/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-dossier.c — one dossier in tabs: household, members, finances (drawn
 * in view-finance.c), history (its audit entries), and the tabs of their own
 * files.  Tab/Shift-Tab or ←/→ change tabs; F3/F4/F6
 * and F7 open the forms of the current tab; F5 reads the dossier again.
 * ID numbers and the bank account are masked.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "core/array.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/audit.h"
#include "store/dossier.h"
#include "store/err.h"

enum tab { TAB_HOUSEHOLD, TAB_MEMBERS, TAB_FINANCE, TAB_HISTORY, TAB_CHECKLIST, TAB_PROCEDURE, TAB_KIN, TAB__N };
#define TAB_EXT TAB_CHECKLIST   /* the tabs from here on live in their own files */
static const struct dossier_tab *const ext_tabs[] = { &tab_checklist, &tab_procedure, &tab_kin };
#define N_EXT (int)(sizeof ext_tabs / sizeof ext_tabs[0])
static const char *const tab_names[TAB_EXT] = {
	N_("Household"), N_("Members"), N_("Finances"), N_("History"),
};
/* the order on the screen and for Tab: the case's own order, history last */
static const enum tab tab_order[TAB__N] = {
	TAB_HOUSEHOLD, TAB_MEMBERS, TAB_FINANCE, TAB_CHECKLIST, TAB_PROCEDURE, TAB_KIN, TAB_HISTORY,
};

/* the tab `step` places after (or before, negative) tab t on the screen */
static enum tab
tab_step(enum tab t, int step)
{
	int p = 0;
	while (p < TAB__N && tab_order[p] != t)
		p++;
	return tab_order[(p + step + TAB__N) % TAB__N];
}

struct hist {
	char when[20];
	char op[USER_MAX_BYTES];
	char action[TEXT_SHORT];
	char *detail;
};

struct dossier_data {
	char no[DOSSIER_NO_LEN + 1];
	struct dossier *d;
	bool loaded;
	enum tab tab;
	int sel, top;            /* member selection / history scroll */
	struct hist *h;
	int nh, caph;
	int generation;
	void *ext[N_EXT];        /* the private state of each tab in its own file */
};

/* audit actions of a dossier in the clerk's words; unknown ones as stored */
static const struct { const char *action, *label; } action_labels[] = {
	{"dossier.new", N_("opened")}, {"member.add", N_("member added")},
	{"member.edit", N_("member edited")}, {"member.death", N_("death recorded")},
	{"income.add", N_("income added")}, {"expense.add", N_("expense added")},
	{"asset.set", N_("assets changed")}, {"infocheck.set", N_("information check")}, {"demo.load", N_("demo data")},
	{"read.confidential", N_("confidential read")},
	/* issue 15: every action of a dossier in Chinese */
	{"case.advance", N_("advanced")}, {"case.reject", N_("rejected")}, {"case.review", N_("periodic review")},
	{"case.exit", N_("exited")}, {"case.recalc", N_("recalculated")}, {"checklist.mark", N_("document recorded")},
	{"dossier.edit", N_("household edited")}, {"member.head", N_("new head")}, {"kin.file", N_("kin filed")},
	{"kin.confirm", N_("kin filing confirmed")}, {"kin.match", N_("kin match")}, {"kin.reported", N_("kin reported")},
	{"print", N_("printed")}, {"print.reprint", N_("reprinted")}, {"notice.post", N_("notice posted")},
	{"screen.visit", N_("visit recorded")}, {"store.upgrade", N_("data upgraded")},
};

static const char *
action_label(const char *a)
{
	for (size_t i = 0; i < sizeof action_labels / sizeof action_labels[0]; i++)
		if (strcmp(action_labels[i].action, a) == 0)
			return _(action_labels[i].label);
	return a;
}

void
mask_numbers(char *s)
{
	for (char *p = s; *p;) {
		size_t n = strspn(p, "0123456789Xx");
		if (n >= 12) {
			size_t keep_head = n == ID_LEN ? 6 : 0;
			for (size_t i = keep_head; i + 4 < n; i++)
				p[i] = '*';
		}
		p += n ? n : 1;
	}
}

static void
hist_free(struct dossier_data *v)
{
	for (int i = 0; i < v->nh; i++)
		free(v->h[i].detail);
	free(v->h);
	v->h = NULL;
	v->nh = v->caph = 0;
}

static int
hist_one(const struct audit_entry *a, void *baton)
{
	struct dossier_data *v = baton;
	size_t cap = (size_t)v->caph;
	struct hist *grown = array_grow(v->h, &cap, (size_t)v->nh + 1, sizeof *grown);
	if (grown == NULL)
		return 1;
	v->h = grown;
	v->caph = (int)cap;
	struct hist *h = &v->h[v->nh++];
	time_t tt = (time_t)a->time;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(h->when, sizeof h->when, "%Y-%m-%d %H:%M", &tm);
	snprintf(h->op, sizeof h->op, "%s", a->op);
	snprintf(h->action, sizeof h->action, "%s", a->action);
	/* in words: Chinese labels, yuan, Chinese terms */
	char *words = malloc(4096);
	if (words != NULL)
		history_words(a->detail, words, 4096);
	h->detail = words;
	if (h->detail == NULL)
		return 1;
	mask_numbers(h->detail);
	return 0;
}

static void
load(struct tui *t, struct dossier_data *v)
{
	struct err e;
	err_clear(&e);
	v->generation = t->generation;
	v->loaded = dossier_get(t->st, NULL, v->no, v->d, &e) == 0;
	if (!v->loaded) {
		tui_error(t, &e);
		return;
	}
	hist_free(v);
	if (audit_walk(t->st, v->no, hist_one, v, &e) != 0)
		tui_error(t, &e);
	for (int i = 0; i < N_EXT; i++)
		if (ext_tabs[i]->load)
			ext_tabs[i]->load(t, v->d, v->ext[i]);
	if (v->sel >= v->d->n_members)
		v->sel = v->d->n_members > 0 ? v->d->n_members - 1 : 0;
}

static void dossier_free_view(void *data);

static void *
dossier_init_view(struct tui *t, void *arg)
{
	const struct dossier_arg *a = arg;
	struct dossier_data *v = calloc(1, sizeof *v);
	bool ok = v != NULL && (v->d = malloc(sizeof *v->d)) != NULL;
	for (int i = 0; ok && i < N_EXT; i++)
		ok = !ext_tabs[i]->init || (v->ext[i] = ext_tabs[i]->init()) != NULL;
	if (!ok) {
		if (v)
			dossier_free_view(v);
		return NULL;
	}
	snprintf(v->no, sizeof v->no, "%s", a->no);
	load(t, v);
	return v;
}

static void
dossier_free_view(void *data)
{
	struct dossier_data *v = data;
	hist_free(v);
	for (int i = 0; i < N_EXT; i++)
		if (ext_tabs[i]->free)
			ext_tabs[i]->free(v->ext[i]);
	free(v->d);
	free(v);
}

/* a "label: value" pair in a column */
static void
pair(int y, int x, int w, const char *label, const char *value)
{
	int lw = 12;
	draw_text(y, x, lw, label, A_BOLD);
	draw_text(y, x + lw, w - lw, value, A_NORMAL);
}

static void
draw_household(struct dossier_data *v, int y)
{
	const struct dossier *d = v->d;
	char b[TEXT_MEDIUM * 2], acct[TEXT_SHORT], date[11], m[8], money[32];
	int w = COLS / 2 - 2, x2 = COLS / 2;
	const struct member *h = d->n_members ? &d->members[d->head] : NULL;
	char idm[ID_LEN + 1] = "";
	if (h)
		id_mask(h->id, idm);
	pair(y, 1, w, _("Dossier number"), d->no);
	pair(y, x2, w, _("Status"), status_terms[d->status].zh);
	snprintf(b, sizeof b, "%s  %s", h ? h->name : "", idm);
	pair(y + 1, 1, w, _("Head"), b);
	pair(y + 1, x2, w, _("Area"), area_terms[d->area].zh);
	snprintf(b, sizeof b, "%s %s", d->village, d->group);
	pair(y + 2, 1, w, _("Village"), b);
	pair(y + 2, x2, w, _("Phone"), d->phone);
	pair(y + 3, 1, COLS - 2, _("Address"), d->address);
	pair(y + 4, 1, w, _("Support"), support_terms[d->support].zh);
	pair(y + 4, x2, w, _("Poverty type"), poverty_terms[d->poverty].zh);
	text_mask_account(d->account, acct, sizeof acct);
	snprintf(b, sizeof b, "%s %s", d->bank, acct);
	pair(y + 5, 1, COLS - 2, _("Bank account"), b);
	date_format(d->applied, date);
	pair(y + 6, 1, w, _("Applied"), date);
	date_format(d->next_review, date);
	pair(y + 6, x2, w, _("Next review"), date);
	money_format(d->total, money);
	pair(y + 7, 1, w, _("Monthly amount"), money);
	month_format(d->effective, m);
	pair(y + 7, x2, w, _("Effective"), m);
	snprintf(b, sizeof b, "%c", d->category ? d->category : '-');
	pair(y + 8, 1, w, _("Category"), b);
	b[0] = '\0';
	if (d->flags & DF_REGISTERED_POOR)
		snprintf(b, sizeof b, "%s ", _("registered poor"));
	if (d->flags & DF_EXTREME_POVERTY)
		snprintf(b + strlen(b), sizeof b - strlen(b), "%s", _("extreme poverty"));
	pair(y + 8, x2, w, _("Flags"), b);
	snprintf(b, sizeof b, "%d", d->version);
	pair(y + 9, 1, w, _("Version"), b);
	if (d->previous[0])   /* a re-application (i12) */
		pair(y + 9, x2, w, _("Previous dossier"), d->previous);
}

static void
draw_members(struct dossier_data *v, int y)
{
	const struct dossier *d = v->d;
	int x = 0;
	const char *heads[] = {_("Name"), _("ID number"), _("Relation"), _("Sex"), _("Age"), _("Health"), _("Disability"), _("Labour")};
	const int w[] = {12, 19, 8, 5, 5, 8, 10, 10};
	for (int i = 0; i < 8; i++) {
		draw_text(y, x, w[i], heads[i], A_BOLD | A_UNDERLINE);
		x += w[i];
	}
	draw_text(y, x, COLS - x, "", A_BOLD | A_UNDERLINE);
	dbdate_t today = store_today();
	for (int i = 0; i < d->n_members && y + 1 + i < LINES - 4; i++) {
		const struct member *m = &d->members[i];
		int attr = i == v->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		char idm[ID_LEN + 1], age[8], dis[64];
		id_mask(m->id, idm);
		snprintf(age, sizeof age, "%d", date_age_on(m->birth, today));
		if (m->disability != DIS_NONE)
			snprintf(dis, sizeof dis, "%s%d", disability_terms[m->disability].zh, m->disability_grade);
		else
			snprintf(dis, sizeof dis, "%s", disability_terms[DIS_NONE].zh);
		const char *cells[] = {m->name, idm, relation_terms[m->relation].zh,
		    m->sex == 'F' ? _("F") : _("M"), age, m->death ? _("deceased") : health_terms[m->health].zh, dis, labour_terms[m->labour].zh};
		x = 0;
		for (int c = 0; c < 8; c++) {
			draw_text(y + 1 + i, x, w[c], cells[c], attr);
			x += w[c];
		}
		char dead[64] = "";
		if (m->death) {
			char dd[11];
			date_format(m->death, dd);
			snprintf(dead, sizeof dead, "%s %s", _("died"), dd);
		}
		draw_text(y + 1 + i, x, COLS - x, dead, attr);
	}
}

static void
draw_history(struct dossier_data *v, int y)
{
	int rows = LINES - 3 - y - 1;
	draw_text(y, 0, 17, _("Time"), A_BOLD | A_UNDERLINE);
	draw_text(y, 17, 11, _("User"), A_BOLD | A_UNDERLINE);
	draw_text(y, 28, 16, _("Action"), A_BOLD | A_UNDERLINE);
	draw_text(y, 44, COLS - 44, _("Detail"), A_BOLD | A_UNDERLINE);
	if (v->top > v->nh - rows)
		v->top = v->nh - rows > 0 ? v->nh - rows : 0;
	for (int i = 0; i < rows && v->top + i < v->nh; i++) {
		const struct hist *h = &v->h[v->top + i];
		draw_text(y + 1 + i, 0, 17, h->when, A_NORMAL);
		draw_text(y + 1 + i, 17, 11, h->op, A_NORMAL);
		draw_text(y + 1 + i, 28, 16, action_label(h->action), A_NORMAL);
		draw_text(y + 1 + i, 44, COLS - 44, h->detail, A_NORMAL);
	}
}

static void
dossier_draw(struct tui *t, void *data)
{
	struct dossier_data *v = data;
	if (v->generation != t->generation)
		load(t, v);
	int x = 0, y = VIEW_TOP;
	char b[128];
	for (int p = 0; p < TAB__N; p++) {
		int i = (int)tab_order[p];
		snprintf(b, sizeof b, " %s ", _(i < TAB_EXT ? tab_names[i] : ext_tabs[i - TAB_EXT]->name));
		int w = text_width(b);
		draw_text(y, x, w, b, i == (int)v->tab ? attrs[AT_TAB] : (int)A_NORMAL);
		x += w + 1;
	}
	/* which dossier this is, whole or not at all: the number and the
	 * head's name where they fit, else the name alone (80 columns) */
	const char *head = v->loaded && v->d->n_members > 0 ? v->d->members[v->d->head].name : "";
	snprintf(b, sizeof b, "%s %s", v->no, head);
	if (x + text_width(b) > COLS)
		snprintf(b, sizeof b, "%s", head);
	if (x + text_width(b) <= COLS)
		draw_text(y, x, COLS - x, b, A_NORMAL);
	draw_hline(y + 1, 0, COLS, A_NORMAL);
	if (!v->loaded)
		return;
	/* the built-in tabs' keys from the screen's key table (the other
	 * tabs draw their own, from theirs) */
	if (v->tab < TAB_EXT)
		draw_hint(tui_hint(t), v->tab == TAB_HISTORY ? NULL : tui_role_reason(t, ACT_CASE), A_BOLD);
	switch (v->tab) {
	case TAB_HOUSEHOLD: draw_household(v, y + 2); break;
	case TAB_MEMBERS: draw_members(v, y + 2); break;
	case TAB_FINANCE: draw_finance(v->d, y + 2); break;
	case TAB_HISTORY: draw_history(v, y + 2); break;
	default: ext_tabs[v->tab - TAB_EXT]->draw(t, v->d, v->ext[v->tab - TAB_EXT], y + 2); break;
	}
}

static int
dossier_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct dossier_data *v = data;
	(void)ch;
	if (a == K_MENU) {
		tui_push(t, &view_menu, NULL);
		return RD_VIEW;
	}
	if (v->tab >= TAB_EXT && v->loaded && a != K_TAB && a != K_BTAB && a != K_LEFT && a != K_RIGHT &&
	    a != K_ESC && a != K_REFRESH) {
		int r = ext_tabs[v->tab - TAB_EXT]->key(t, v->d, v->ext[v->tab - TAB_EXT], a, ch);
		return r;
	}
	switch (a) {
	case K_TAB:
	case K_RIGHT:
		v->tab = tab_step(v->tab, 1);
		break;
	case K_BTAB:
	case K_LEFT:
		v->tab = tab_step(v->tab, -1);
		break;
	case K_ESC:
		tui_pop(t);
		break;
	case K_REFRESH:
		load(t, v);
		tui_msg(t, "%s", _("Reloaded"));
		break;
	case K_UP:
		if (v->tab == TAB_MEMBERS && v->sel > 0)
			v->sel--;
		if (v->tab == TAB_HISTORY && v->top > 0)
			v->top--;
		break;
	case K_DOWN:
		if (v->tab == TAB_MEMBERS && v->sel + 1 < v->d->n_members)
			v->sel++;
		if (v->tab == TAB_HISTORY)
			v->top++;
		break;
	case K_PGUP:
		v->top = v->top > 10 ? v->top - 10 : 0;
		break;
	case K_PGDN:
		v->top += 10;
		break;
	case K_HOME:
		v->sel = v->top = 0;
		break;
	case K_END:
		v->sel = v->d->n_members > 0 ? v->d->n_members - 1 : 0;
		v->top = v->nh;
		break;
	case K_ADD:
		if (!v->loaded)
			break;
		if (v->tab == TAB_MEMBERS)
			open_member_form(t, v->d, NULL);
		else if (v->tab == TAB_FINANCE)
			open_income_form(t, v->d);
		break;
	case K_EDIT:
	case K_ENTER:
		if (!v->loaded)
			break;
		if (v->tab == TAB_MEMBERS && v->d->n_members > 0)
			open_member_form(t, v->d, &v->d->members[v->sel]);
		else if (v->tab == TAB_FINANCE && a == K_EDIT)
			open_assets_form(t, v->d);
		else if (v->tab == TAB_HOUSEHOLD && a == K_EDIT)
			open_household_form(t, v->d);
		break;
	case K_DEATH:
		if (v->loaded && v->tab == TAB_MEMBERS && v->d->n_members > 0)
			open_death_form(t, v->d, &v->d->members[v->sel]);
		break;
	case K_EXPENSE:
		if (v->loaded && v->tab == TAB_FINANCE)
			open_expense_form(t, v->d);
		break;
	case K_INFOCHECK:
		if (v->loaded && v->tab == TAB_FINANCE)
			open_infocheck_form(t, v->d);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
dossier_table(void *data)
{
	struct dossier_data *v = data;
	static const char *const names[TAB__N] = {
		[TAB_HOUSEHOLD] = "dossier.household", [TAB_MEMBERS] = "dossier.members",
		[TAB_FINANCE] = "dossier.finance", [TAB_HISTORY] = "dossier.history",
		[TAB_CHECKLIST] = "dossier.checklist", [TAB_PROCEDURE] = "dossier.procedure", [TAB_KIN] = "dossier.kin",
	};
	return key_table_named(names[v->tab]);
}

const struct view view_dossier = {
	.name = "dossier", .init = dossier_init_view, .free = dossier_free_view, .draw = dossier_draw,
	.key = dossier_key, .table = dossier_table,
};

void
open_dossier(struct tui *t, const char *no)
{
	struct dossier_arg da;
	snprintf(da.no, sizeof da.no, "%s", no);
	tui_push(t, &view_dossier, &da);
}

/* The number of the dossier the clerk came from: the nearest dossier
 * screen under the top of the stack ("" when none), for a screen opened
 * over it (printing) to start with. */
const char *
tui_current_dossier(struct tui *t)
{
	for (int i = t->depth - 1; i >= 0; i--)
		if (t->stack[i].v == &view_dossier)
			return ((struct dossier_data *)t->stack[i].data)->no;
	return "";
}
