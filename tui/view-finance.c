/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-finance.c — the finances tab of a dossier: what it shows (incomes,
 * rigid expenses, assets, information-check results, fitted to the rows
 * there are) and its forms: an income item, a rigid expense, the assets,
 * an information-check result.  Same structs and store calls as
 * `dibao income add`, `expense add`, `asset set`, `infocheck set`.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"

/* ---- the tab ------------------------------------------------------------ */

/* One row of a list of the tab: item i of the dossier at row y. */
typedef void (*row_fn)(const struct dossier *d, int i, int y);

static void
income_row(const struct dossier *d, int i, int y)
{
	const struct income_item *it = &d->incomes[i];
	const struct member *m = it->member_id[0] ? dossier_member_c(d, it->member_id) : NULL;
	char money[32], b[256];
	money_format(it->amount, money);
	draw_text(y, 2, 10, income_name(it), A_NORMAL);
	draw_text_right(y, 12, 12, money, A_NORMAL);
	snprintf(b, sizeof b, "  %s  %s", m ? m->name : "", it->evidence);
	draw_text(y, 24, COLS - 24, b, A_NORMAL);
}

static void
expense_row(const struct dossier *d, int i, int y)
{
	const struct expense_item *it = &d->expenses[i];
	char money[32], b[256];
	money_format(it->amount, money);
	draw_text(y, 2, 10, expense_terms[it->kind].zh, A_NORMAL);
	draw_text_right(y, 12, 12, money, A_NORMAL);
	snprintf(b, sizeof b, "  %s", it->note);
	draw_text(y, 24, COLS - 24, b, A_NORMAL);
}

/* The checks list: a row per agency with a result, in the agency table's
 * order (the agencies without one are named in the section's title row). */
static int
check_count(const struct dossier *d)
{
	int n = 0;
	for (int a = 0; a < AG__N; a++)
		n += dossier_check(d, (enum check_agency)a) != NULL;
	return n;
}

static void
check_row(const struct dossier *d, int i, int y)
{
	char date[11];
	int k = 0;
	for (int a = 0; a < AG__N; a++) {
		const struct info_check *c = dossier_check(d, (enum check_agency)a);
		if (c == NULL || k++ != i)
			continue;
		date_format(c->date, date);
		draw_text(y, 2, 8, agency_terms[a].zh, A_NORMAL);
		draw_text(y, 10, 12, date, A_NORMAL);
		draw_text(y, 22, 12, c->recorded_by, A_NORMAL);
		draw_text(y, 34, COLS - 34, c->result, A_NORMAL);
		return;
	}
}

/* "not recorded: 公积金、殡葬" after the title at (y, x), if any */
static void
draw_unchecked(const struct dossier *d, int y, int x)
{
	char b[256];
	int first = 1;
	snprintf(b, sizeof b, "%s", _("not recorded: "));
	for (int a = 0; a < AG__N; a++)
		if (dossier_check(d, (enum check_agency)a) == NULL) {
			snprintf(b + strlen(b), sizeof b - strlen(b), "%s%s", first ? "" : "、", agency_terms[a].zh);
			first = 0;
		}
	if (!first && x < COLS)
		draw_text(y, x, COLS - x, b, A_NORMAL);
}

/* A list in at most `rows` rows (at least 1): "none" when empty; when it
 * does not fit, its last row says how many more there are.  Returns the
 * row after it. */
static int
draw_list(const struct dossier *d, int row, int rows, int n, row_fn fn)
{
	int shown = n <= rows ? n : rows - 1;
	char b[64];
	for (int i = 0; i < shown; i++)
		fn(d, i, row++);
	if (n == 0) {
		draw_text(row++, 2, COLS - 2, _("none"), A_NORMAL);
	} else if (shown < n) {
		snprintf(b, sizeof b, _("… %d more"), n - shown);
		draw_text(row++, 2, COLS - 2, b, A_DIM);
	}
	return row;
}

/*
 * Four sections between row y and the status line: a title each, the
 * assets one line, the three lists what is left.  When they do not all
 * fit, the blank rows between the sections go first, then the longest
 * list gives up a row at a time (never below one).
 */
void
draw_finance(const struct dossier *d, int y)
{
	enum { INC, EXP, CHK, NL };
	const char *titles[NL] = {_("Income items (monthly)"), _("Rigid expenses (monthly)"),
	    _("Information-check results")};
	const int n[NL] = {d->n_incomes, d->n_expenses, check_count(d)};
	const row_fn fns[NL] = {income_row, expense_row, check_row};
	int rows[NL], avail = LINES - 4 - y, gap = 1, sum = 0;   /* above the hint line */
	char money[32], b[256];

	for (int i = 0; i < NL; i++)
		sum += rows[i] = n[i] > 0 ? n[i] : 1;
	/* four titles, the assets line, and a blank row after three sections */
	if (sum > avail - 5 - 3)
		gap = 0;
	avail -= 5 + 3 * gap;
	while (sum > avail) {
		int k = 0;
		for (int i = 1; i < NL; i++)
			if (rows[i] > rows[k])
				k = i;
		if (rows[k] <= 1)
			break;
		rows[k]--;
		sum--;
	}
	int row = y;
	for (int i = 0; i < NL; i++) {
		if (i == CHK) {
			/* the assets before the checks: a line of their own */
			draw_text(row++, 0, COLS, _("Assets"), A_BOLD | A_UNDERLINE);
			money_format(d->assets.deposits, money);
			snprintf(b, sizeof b, _("deposits %s yuan; vehicles %d (production %d); houses %d; businesses %d"),
			    money, d->assets.vehicles, d->assets.production_vehicles, d->assets.houses, d->assets.businesses);
			draw_text(row++, 2, COLS - 2, b, A_NORMAL);
			row += gap;
		}
		int tw = draw_text(row, 0, COLS, titles[i], A_BOLD | A_UNDERLINE);
		if (i == CHK)
			draw_unchecked(d, row, tw + 2);
		row = draw_list(d, row + 1, rows[i], n[i], fns[i]) + gap;
	}
}

/* ---- the forms ------------------------------------------------------------ */

static int
save_income(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	struct income_item it;
	const char *why;
	int r;
	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	memset(&it, 0, sizeof it);
	it.kind = (enum income_kind)fm->ff[0].choice;
	if (money_parse(form_text(fm, 1), &it.amount, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	/* the member picked from the dossier's (none: the household's) */
	int k = fm->ff[2].choice;
	if (k > 0 && k < c->n_pick)
		memcpy(it.member_id, c->pick_id[k], sizeof it.member_id);
	if (text_set(it.evidence, sizeof it.evidence, form_text(fm, 3), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (income_add(t->st, &t->user, c->no, &it, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Income item added"));
	return 0;
}

void
open_income_form(struct tui *t, const struct dossier *d)
{
	struct form_spec *s = dossier_form_new(t, d, _("Add an income item"), save_income);
	if (s == NULL)
		return;
	form_add_choice(&s->form, N_("Kind"), income_terms, INC__N, INC_WAGE);
	form_add_text(&s->form, N_("Monthly amount (yuan)"), 12, 14, valid_money, "");
	/* the member picked from a list, not typed (issue 15 point 8) */
	struct dossier_ctx *c = s->ctx;
	c->pick[0] = (struct term){_("(the household)"), ""};
	c->n_pick = 1;
	for (int i = 0; i < d->n_members && c->n_pick <= MAX_MEMBERS; i++) {
		const struct member *m = &d->members[i];
		char idm[ID_LEN + 1];
		id_mask(m->id, idm);
		snprintf(c->pick_text[c->n_pick], sizeof c->pick_text[0], "%s %s", m->name, idm);
		memcpy(c->pick_id[c->n_pick], m->id, sizeof c->pick_id[0]);
		c->pick[c->n_pick] = (struct term){c->pick_text[c->n_pick], ""};
		c->n_pick++;
	}
	form_add_choice(&s->form, N_("Member"), c->pick, c->n_pick, 0);
	form_add_text(&s->form, N_("Evidence"), 24, 20, valid_short, "");
	tui_push(t, &view_form, s);
}

static int
save_expense(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	struct expense_item it;
	const char *why;
	int r;
	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	memset(&it, 0, sizeof it);
	it.kind = (enum expense_kind)fm->ff[0].choice;
	if (money_parse(form_text(fm, 1), &it.amount, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (text_set(it.note, sizeof it.note, form_text(fm, 2), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (expense_add(t->st, &t->user, c->no, &it, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Expense added"));
	return 0;
}

void
open_expense_form(struct tui *t, const struct dossier *d)
{
	struct form_spec *s = dossier_form_new(t, d, _("Add a rigid expense"), save_expense);
	if (s == NULL)
		return;
	form_add_choice(&s->form, N_("Kind"), expense_terms, EXP__N, EXP_MEDICAL);
	form_add_text(&s->form, N_("Monthly amount (yuan)"), 12, 14, valid_money, "");
	form_add_text(&s->form, N_("Note"), 24, 20, valid_short, "");
	tui_push(t, &view_form, s);
}

static int
save_assets(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	struct assets a = c->a;
	const char *why;
	unsigned fields = 0;
	int r;
	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	if (money_parse(form_text(fm, 0), &a.deposits, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	a.vehicles = atoi(form_text(fm, 1));
	a.production_vehicles = atoi(form_text(fm, 2));
	a.houses = atoi(form_text(fm, 3));
	a.businesses = atoi(form_text(fm, 4));
	const unsigned f[] = {ASSET_F_DEPOSITS, ASSET_F_VEHICLES, ASSET_F_PROD_VEHICLES, ASSET_F_HOUSES, ASSET_F_BUSINESSES};
	for (int i = 0; i < 5; i++)
		if (form_changed(fm, i))
			fields |= f[i];
	if (fields == 0) {
		tui_msg(t, "%s", _("Nothing changed"));
		return 0;
	}
	if (asset_set(t->st, &t->user, c->no, &a, fields, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Assets saved"));
	return 0;
}

void
open_assets_form(struct tui *t, const struct dossier *d)
{
	struct form_spec *s = dossier_form_new(t, d, _("Edit the assets"), save_assets);
	if (s == NULL)
		return;
	char dep[32], n[4][16];
	money_format(d->assets.deposits, dep);
	snprintf(n[0], 16, "%d", d->assets.vehicles);
	snprintf(n[1], 16, "%d", d->assets.production_vehicles);
	snprintf(n[2], 16, "%d", d->assets.houses);
	snprintf(n[3], 16, "%d", d->assets.businesses);
	form_add_text(&s->form, N_("Deposits (yuan)"), 14, 16, valid_money, dep);
	form_add_text(&s->form, N_("Motor vehicles"), 5, 3, valid_count, n[0]);
	form_add_text(&s->form, N_("For production"), 5, 3, valid_count, n[1]);
	form_add_text(&s->form, N_("Houses"), 5, 3, valid_count, n[2]);
	form_add_text(&s->form, N_("Businesses"), 5, 3, valid_count, n[3]);
	for (int i = 1; i < 5; i++)
		s->form.ff[i].f.digits = true;
	tui_push(t, &view_form, s);
}

static int
save_infocheck(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	dbdate_t on;
	const char *why;
	int r;
	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	if (date_parse(form_text(fm, 2), &on, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (infocheck_set(t->st, &t->user, c->no, (enum check_agency)fm->ff[0].choice, form_text(fm, 1), on, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Information-check result recorded"));
	return 0;
}

void
open_infocheck_form(struct tui *t, const struct dossier *d)
{
	struct form_spec *s = dossier_form_new(t, d, _("Record an information-check result"), save_infocheck);
	if (s == NULL)
		return;
	char today[11];
	int first = 0;
	/* the first agency without a result: checks are usually typed in turn */
	for (int k = AG__N - 1; k >= 0; k--)
		if (dossier_check(d, (enum check_agency)k) == NULL)
			first = k;
	date_format(store_today(), today);
	form_add_choice(&s->form, N_("Agency"), agency_terms, AG__N, first);
	form_add_text(&s->form, N_("Result"), 44, TEXT_SHORT - 1, valid_required, "");
	form_add_text(&s->form, N_("Check date"), 12, 10, valid_past_date, today);
	tui_push(t, &view_form, s);
}
