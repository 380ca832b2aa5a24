/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-household.c — the household tab's edit form: village and group,
 * address, phone, the subsidy card (its own edit screen: the only place the
 * account is shown whole), support and poverty type, the registered-poor
 * and extreme-poverty flags.  Saved through household_edit, the function
 * `dibao dossier edit` calls, with the version loaded: someone else's
 * change meanwhile is refused, never overwritten.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/err.h"


struct household_ctx {
	struct dossier_ctx dc;
	bool viewed_account;    /* reading the account is audited once */
	struct village_terms villages;
};

static int
save_household(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct household_ctx *c = ctx;
	struct household_edit h = {.support = -1, .poverty = -1, .registered_poor = -1, .extreme_poverty = -1};
	const char **text[] = {&h.village, &h.group, &h.address, &h.phone, &h.bank, &h.account};
	char buf[6][TEXT_MEDIUM];

	/* form_text's buffers are reused: keep our own copies */
	for (int i = 0; i < 6; i++) {
		if (!form_changed(fm, i))
			continue;
		snprintf(buf[i], sizeof buf[i], "%s", form_text(fm, i));
		*text[i] = buf[i];
	}
	if (form_changed(fm, 6))
		h.support = fm->ff[6].choice;
	if (form_changed(fm, 7))
		h.poverty = fm->ff[7].choice;
	if (form_changed(fm, 8))
		h.registered_poor = fm->ff[8].choice;
	if (form_changed(fm, 9))
		h.extreme_poverty = fm->ff[9].choice;
	/* the subsidy card's holder (issue 13) */
	char holder[ID_LEN * 4 + 1];
	if (form_changed(fm, 10)) {
		snprintf(holder, sizeof holder, "%s", form_text(fm, 10));
		h.holder = holder;
	}
	if (!form_dirty(fm)) {
		tui_msg(t, "%s", _("Nothing changed"));
		return 0;
	}
	if (household_edit(t->st, &t->user, c->dc.no, &h, c->dc.version, e) != 0) {
		if (e->code != E_CHANGED)
			return -1;
		/* as the member forms: say so, and the dossier reloads */
		tui_msg(t, "%s", _("This dossier was changed by someone else and has been reloaded"));
		t->status_err = true;
		return 1;
	}
	tui_msg(t, "%s", _("Household saved"));
	return 0;
}

void
open_household_form(struct tui *t, const struct dossier *d)
{
	struct form_spec *s = form_spec_new(t, _("Edit the household"), save_household, sizeof(struct household_ctx));
	struct err e;

	if (s == NULL)
		return;
	/* the account shown whole on its own edit screen: a confidential read */
	err_clear(&e);
	if (d->account[0] && dossier_reveal(t->st, &t->user, d->no, "account", &e) != 0) {
		free(s->ctx);
		free(s);
		tui_msg(t, "%s", e.msg);
		return;
	}
	struct household_ctx *c = s->ctx;
	snprintf(c->dc.no, sizeof c->dc.no, "%s", d->no);
	c->dc.version = d->version;
	form_add_village(t, &s->form, &c->villages, d->village);
	form_add_text(&s->form, N_("Group"), 12, 20, valid_short, d->group);
	form_add_text(&s->form, N_("Address"), 36, 80, NULL, d->address);
	form_add_text(&s->form, N_("Phone"), 16, 20, valid_short, d->phone);
	form_add_text(&s->form, N_("Bank"), 20, 20, valid_short, d->bank);
	form_add_text(&s->form, N_("Account"), 24, 30, NULL, d->account);
	s->form.ff[5].f.digits = true;
	form_add_choice(&s->form, N_("Support type"), support_terms, SUPPORT__N, d->support);
	form_add_choice(&s->form, N_("Poverty type"), poverty_terms, POVERTY__N, d->poverty);
	form_add_choice(&s->form, N_("Registered poor household"), yes_no_terms, 2, (d->flags & DF_REGISTERED_POOR) != 0);
	form_add_choice(&s->form, N_("Extreme poverty"), yes_no_terms, 2, (d->flags & DF_EXTREME_POVERTY) != 0);
	/* issue 13: the card's holder (a living member; empty: needs one) */
	form_add_text(&s->form, N_("Card holder's ID number"), 20, 18, NULL, d->holder);
	tui_push(t, &view_form, s);
}
