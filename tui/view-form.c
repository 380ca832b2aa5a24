/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-form.c — a form as a view: draws the fields, F2 validates them and
 * calls the spec's save function (a store call); on success the view
 * closes, on a refusal the store's reason is shown in the status line.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "store/dossier.h"
#include "store/err.h"

static void *
form_view_init(struct tui *t, void *arg)
{
	(void)t;
	return arg; /* a malloc'd struct form_spec, owned from now on */
}

static void
form_view_free(void *data)
{
	struct form_spec *s = data;
	free(s->ctx);
	free(s);
}

static void
form_view_draw(struct tui *t, void *data)
{
	struct form_spec *s = data;
	int cy, cx;
	draw_box_title(VIEW_TOP, s->form.title);
	form_draw(&s->form, VIEW_TOP + 2, &cy, &cx);
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_NORMAL);
	t->cy = cy;
	t->cx = cx;
}

static void
save(struct tui *t, struct form_spec *s)
{
	struct err e;
	int bad = form_validate(&s->form);
	if (bad >= 0) {
		s->form.focus = bad;
		/* the first reason whole on the status line too: the field's
		 * own mark may have only its label in sight */
		const char *why = s->form.ff[bad].why ? _(s->form.ff[bad].why) : "";
		/* a reason that names its field ("身份证号：…") as it is */
		if (strstr(why, "：") != NULL || strchr(why, ':') != NULL)
			tui_msg(t, "%s（%s）", _("Not saved: correct the marked fields first"), why);
		else
			tui_msg(t, "%s（%s：%s）", _("Not saved: correct the marked fields first"),
			    _(s->form.ff[bad].label), why);
		t->status_err = true;
		return;
	}
	err_clear(&e);
	int r = s->save(t, &s->form, s->ctx, &e);
	/* integrity (i12): an expected version the save did not use lapses */
	store_expect_version(t->st, NULL, 0);
	if (r < 0 && e.code == E_CHANGED) {
		tui_msg(t, "%s", _("This dossier was changed by someone else and has been reloaded"));
		t->status_err = true;
		r = 1;
	}
	if (r == 0 && s->then) {
		/* the context outlives the form for what comes next */
		void (*then)(struct tui *, void *) = s->then;
		void *ctx = s->ctx;
		s->ctx = NULL;
		t->generation++;
		tui_pop(t);
		then(t, ctx);
		free(ctx);
	} else if (r == 0) {
		t->generation++;
		tui_pop(t);
	} else if (r > 0) {
		/* changed by someone else: the message is set, the dossier reloads */
		t->generation++;
		tui_pop(t);
	} else {
		tui_refusal(t, &e);
	}
}

static int
form_view_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct form_spec *s = data;
	switch (form_key(&s->form, a, ch)) {
	case FR_SAVE:
		save(t, s);
		break;
	case FR_SUBMIT:
		/* a one-field prompt: Enter is the natural end */
		if (s->form.n == 1)
			save(t, s);
		break;
	case FR_CANCEL:
		tui_clear_msg(t);
		tui_pop(t);
		break;
	default:
		break;
	}
	return RD_VIEW;
}

static const struct key_table *
form_view_table(void *data)
{
	const struct form_spec *s = data;
	for (int i = 0; i < s->form.n; i++)
		if (s->form.ff[i].kind == FK_CHOICE)
			return key_table_named("form");
	return key_table_named("form.text");
}

static bool
form_view_dirty(void *data)
{
	struct form_spec *s = data;
	return form_dirty(&s->form);
}

struct form_spec *
form_spec_new(struct tui *t, const char *title, form_save_fn fn, size_t ctx_size)
{
	struct form_spec *s = calloc(1, sizeof *s);
	if (s != NULL && ctx_size > 0 && (s->ctx = calloc(1, ctx_size)) == NULL) {
		free(s);
		s = NULL;
	}
	if (s == NULL) {
		tui_oom(t);
		return NULL;
	}
	s->form.title = title;
	s->save = fn;
	return s;
}

const struct view view_form = {
	.name = "form", .init = form_view_init, .free = form_view_free, .draw = form_view_draw,
	.key = form_view_key, .table = form_view_table, .dirty = form_view_dirty,
};
