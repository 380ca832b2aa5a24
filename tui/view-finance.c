/*
 * view-finance.c — the finance forms of a dossier: an income item, a rigid
 * expense, the assets.  Same structs and store calls as `dibao income add`,
 * `expense add`, `asset set`.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

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
	const char *id = form_text(fm, 2);
	if (*id) {
		struct id_info info;
		if (id_check(id, store_today(), &info, &why) != 0)
			return err_set(e, E_REFUSED, "%s", _(why));
		memcpy(it.member_id, info.id, sizeof it.member_id);
	}
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
	form_add_text(&s->form, N_("Member ID number"), 20, 18, valid_id_optional, "");
	s->form.ff[2].f.digits = true;
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
