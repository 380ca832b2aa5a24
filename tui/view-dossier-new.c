/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-dossier-new.c — 新建档案: an application opens a new dossier with
 * its head of household, as `dibao dossier new` does (dossier_create: the
 * village must be one of the township's, the head's ID number may not be
 * in another active dossier); once saved the new dossier opens.  F3 on the
 * home screen or the dossier list.
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
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"

enum { NF_AREA, NF_VILLAGE, NF_GROUP, NF_ADDRESS, NF_PHONE, NF_HEAD, NF_HEAD_ID, NF_SUPPORT, NF_POVERTY, NF_BANK,
	NF_ACCOUNT };

struct new_ctx { char no[DOSSIER_NO_LEN + 1]; struct village_terms villages; };

static int
save_new(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct new_ctx *c = ctx;
	struct dossier *d = calloc(1, sizeof *d);
	struct id_info info;
	const char *why;
	int r = -1;

	if (d == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	dossier_init(d);
	d->area = (enum area)(fm->ff[NF_AREA].choice + 1);
	d->support = (enum support)fm->ff[NF_SUPPORT].choice;
	d->poverty = (enum poverty)fm->ff[NF_POVERTY].choice;
	struct { char *dst; size_t size; int field; } txt[] = {
		{d->village, sizeof d->village, NF_VILLAGE}, {d->group, sizeof d->group, NF_GROUP},
		{d->address, sizeof d->address, NF_ADDRESS}, {d->phone, sizeof d->phone, NF_PHONE},
		{d->bank, sizeof d->bank, NF_BANK}, {d->account, sizeof d->account, NF_ACCOUNT},
		{d->members[0].name, sizeof d->members[0].name, NF_HEAD},
	};
	for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++)
		if (text_set(txt[i].dst, txt[i].size, form_text(fm, txt[i].field), &why) != 0) {
			err_set(e, E_REFUSED, "%s: %s", _(fm->ff[txt[i].field].label), _(why));
			goto out;
		}
	if (id_check(form_text(fm, NF_HEAD_ID), store_today(), &info, &why) != 0) {
		err_set(e, E_REFUSED, "%s: %s", _(fm->ff[NF_HEAD_ID].label), _(why));
		goto out;
	}
	memcpy(d->members[0].id, info.id, sizeof d->members[0].id);
	d->n_members = 1;
	if ((r = dossier_create(t->st, &t->user, d, e)) == 0) {
		snprintf(c->no, sizeof c->no, "%s", d->no);
		tui_msg(t, _("Dossier %s opened for %s"), d->no, d->members[0].name);
	}
out:
	free(d);
	return r;
}

static void
then_open(struct tui *t, void *ctx)
{
	const struct new_ctx *c = ctx;
	open_dossier(t, c->no);
}

void
open_new_dossier_form(struct tui *t)
{
	if (!tui_may(t, ACT_CASE))
		return;
	struct form_spec *s = form_spec_new(t, _("New dossier (application)"), save_new, sizeof(struct new_ctx));
	if (s == NULL)
		return;
	struct form *fm = &s->form;
	s->then = then_open;
	form_add_choice(fm, N_("Area"), area_terms + 1, AREA__N - 1, AREA_RURAL - 1);
	form_add_village(t, fm, &((struct new_ctx *)s->ctx)->villages, "");
	form_add_text(fm, N_("Group"), 12, 20, valid_short, "");
	form_add_text(fm, N_("Address"), 36, 80, NULL, "");
	form_add_text(fm, N_("Phone"), 16, 20, valid_short, "");
	form_add_text(fm, N_("Head of household"), 16, 16, valid_name, "");
	form_add_text(fm, N_("Head's ID number"), 20, 18, valid_id, "");
	fm->ff[NF_HEAD_ID].f.digits = true;
	form_add_choice(fm, N_("Support type"), support_terms, SUPPORT__N, SUPPORT_HOUSEHOLD);
	form_add_choice(fm, N_("Poverty type"), poverty_terms, POVERTY__N, POVERTY_INCOME);
	form_add_text(fm, N_("Bank"), 20, 20, valid_short, "");
	form_add_text(fm, N_("Account"), 24, 30, NULL, "");
	fm->ff[NF_ACCOUNT].f.digits = true;
	tui_push(t, &view_form, s);
}
