/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-batch.c — 批量打印: one dossier form for every dossier of a village
 * and/or a status, as one PDF, through the same dossier_list and
 * print_batch_run as `dibao print FORM --village/--status [--lp]`; the
 * status line says how many were printed and how many were left out.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/widgets.h"
#include "core/array.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/village.h"

enum { BF_FORM, BF_VILLAGE, BF_STATUS, BF_OUT, BF_LP };
#define MAX_FORMS 24

struct batch_data {
	struct form form;
	struct term forms[MAX_FORMS];
	const char *names[MAX_FORMS];
	char labels[MAX_FORMS][128];
	struct term status[ST__N + 1];
};

static void *
batch_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct batch_data *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	int n = 0;
	for (int i = 0; form_table[i].name && n < MAX_FORMS; i++) {
		if (form_table[i].needs != FORM_DOSSIER)
			continue;
		snprintf(p->labels[n], sizeof p->labels[n], "%s %s", form_table[i].number, form_table[i].title);
		p->forms[n].zh = p->labels[n];
		p->forms[n].en = form_table[i].name;
		p->names[n++] = form_table[i].name;
	}
	p->status[0].zh = "任意";
	p->status[0].en = "any";
	for (int i = 0; i < ST__N; i++)
		p->status[i + 1] = status_terms[i];
	p->form.title = _("Batch printing");
	form_add_choice(&p->form, N_("Form"), p->forms, n, 0);
	form_add_text(&p->form, N_("Village (empty: all)"), 20, 20, NULL, "");
	form_add_choice(&p->form, N_("Status"), p->status, ST__N + 1, 0);
	form_add_text(&p->form, N_("PDF file"), 50, FIELD_MAX, NULL, "");
	form_add_choice(&p->form, N_("Send to the printer"), yes_no_terms, 2, 0);
	return p;
}

static void
batch_draw(struct tui *t, void *data)
{
	struct batch_data *p = data;
	char h[600];
	snprintf(h, sizeof h, "%s — %s", tui_hint(t), _("no file given: into ~/低保输出"));
	form_tool_draw(t, &p->form, h);
}

struct nos { char **v; int n, cap; };

static int
collect_no(const struct dossier *d, void *baton)
{
	struct nos *l = baton;
	size_t cap = (size_t)l->cap;
	char **v = array_grow(l->v, &cap, (size_t)l->n + 1, sizeof *v);
	if (v == NULL)
		return -1;
	l->v = v;
	l->cap = (int)cap;
	if ((l->v[l->n] = strdup(d->no)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static int
run(struct tui *t, void *data, struct err *e)
{
	struct batch_data *p = data;
	struct dossier_filter f = {.status = p->form.ff[BF_STATUS].choice - 1};
	struct village vl;
	struct nos l = {0};
	char out[FIELD_MAX * 4 + 1];
	const char *form = p->names[p->form.ff[BF_FORM].choice];
	int r = -1, printed = 0;
	snprintf(out, sizeof out, "%s", form_text(&p->form, BF_OUT));
	if (!out[0]) {
		char stem[300];
		snprintf(stem, sizeof stem, "%s-%s", form, form_text(&p->form, BF_VILLAGE)[0] ?
		    form_text(&p->form, BF_VILLAGE) : _("all"));
		if (default_out_path(stem, "pdf", out, sizeof out, e) != 0)
			return -1;
	}
	if (form_text(&p->form, BF_VILLAGE)[0]) {
		if (village_resolve(t->st, NULL, form_text(&p->form, BF_VILLAGE), &vl, e) != 0)
			return -1;
		f.village = vl.name;
	}
	tui_msg(t, "%s", _("Printing…"));
	tui_draw_now(t);
	if (dossier_list(t->st, &f, collect_no, &l, e) == 0) {
		struct progress pg = {tui_progress, t};
		r = print_batch_run(t->st, &t->user, form, (const char *const *)l.v, l.n, out, NULL, &printed, &pg, e);
		if (r == 0)
			tui_msg(t, _("%s: %d printed to %s, %d left out (the form does not apply)"), form, printed,
			    out, l.n - printed);
		if (r == 0 && printed > 0 && p->form.ff[BF_LP].choice == 1)
			r = print_lp(out, true, e);
	}
	for (int i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return r;
}

static int
batch_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct batch_data *p = data;
	return form_action_key(t, &p->form, a, ch, run, p);
}

static const struct key_table *
batch_table(void *data)
{
	(void)data;
	return key_table_named("batch");
}

const struct view view_batch = {
	.name = "batch", .init = batch_init, .free = free, .draw = batch_draw,
	.key = batch_key, .table = batch_table,
};
