/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * village-field.c — the village of a form as a choice among the township's
 * villages (a typed name could be misspelt; the store accepts only the
 * township's villages and their aliases).  With no village configured
 * yet, a text field, so the store's refusal says what to do.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <string.h>

#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/err.h"
#include "store/village.h"

struct names { char (*name)[TEXT_SHORT]; int n, max; };

static int
add_village(const struct village *v, void *baton)
{
	struct names *b = baton;
	if (b->n < b->max)
		snprintf(b->name[b->n++], TEXT_SHORT, "%s", v->name);
	return 0;
}

int
village_names(struct tui *t, char (*name)[TEXT_SHORT], int max)
{
	struct names b = {name, 0, max};
	struct err e;
	err_clear(&e);
	if (village_list(t->st, add_village, &b, &e) != 0)
		tui_error(t, &e);
	return b.n;
}

int
form_add_village(struct tui *t, struct form *fm, struct village_terms *vt, const char *current)
{
	int at = 0;
	vt->n = village_names(t, vt->name, VILLAGE_CHOICES);
	if (vt->n == 0)
		return form_add_text(fm, N_("Village/community"), 20, 20, valid_required, current);
	/* a dossier's village not in the list (renamed since): kept as it is */
	for (at = 0; at < vt->n && strcmp(vt->name[at], current) != 0; at++)
		;
	if (at == vt->n && current[0] && vt->n < VILLAGE_CHOICES)
		snprintf(vt->name[vt->n++], TEXT_SHORT, "%s", current);
	if (at == vt->n)
		at = 0;
	for (int i = 0; i < vt->n; i++)
		vt->t[i] = (struct term){vt->name[i], vt->name[i]};
	return form_add_choice(fm, N_("Village/community"), vt->t, vt->n, at);
}
