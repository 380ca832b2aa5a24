/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-help.c — F1: every key of the key table with its help text, those
 * the screen it was opened from accepts first (its key mask, given as the
 * argument), then the others.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/roles.h"
#include "store/err.h"

/* a row: a heading (key < 0, its msgid in head), a key of the screen's
 * table (sk) or a key table entry */
struct help_row { int key; const char *head; const struct screen_key *sk; bool may; };

struct help_data {
	int top, n;
	struct help_row *rows;
};

static void *
help_init(struct tui *t, void *arg)
{
	(void)t;
	const struct help_arg *ha = arg;
	unsigned long long here = ha ? ha->mask : 0;
	const struct key_table *kt = ha ? ha->kt : NULL;
	struct help_data *h = calloc(1, sizeof *h);
	if (h == NULL || (h->rows = calloc((size_t)n_keydefs + (kt ? (size_t)kt->n : 0) + 3, sizeof *h->rows)) == NULL) {
		free(h);
		return NULL;
	}
	/* two passes: this screen's keys (its table: the labels of its bar
	 * and hint line, the function keys in number order), then the rest */
	for (int pass = 0; pass < 2; pass++) {
		int start = h->n;
		h->rows[h->n++] = (struct help_row){-1, pass == 0 ? N_("Keys of this screen") : N_("Keys of the other screens"), NULL, true};
		if (pass == 0 && kt) {
			const struct screen_key *fk[16];
			int nf = key_table_fkeys(kt, fk, 16);
			for (int i = 0; i < nf; i++)
				h->rows[h->n++] = (struct help_row){0, NULL, fk[i], !ha->logged_in || role_may(ha->role, fk[i]->act)};
			for (int i = 0; i < kt->n; i++)
				if (!key_fnum(kt->k[i].a))
					h->rows[h->n++] = (struct help_row){0, NULL, &kt->k[i], !ha->logged_in || role_may(ha->role, kt->k[i].act)};
			/* then the moving and editing keys it takes, in general words */
			for (int i = 0; i < n_keydefs; i++) {
				bool listed = keydefs[i].action == K_CHAR;
				for (int j = 0; j < kt->n && !listed; j++)
					listed = kt->k[j].a == keydefs[i].action;
				if (!listed && (here & KM(keydefs[i].action)) && !keydefs[i].fkey)
					h->rows[h->n++] = (struct help_row){i, NULL, NULL, true};
			}
		} else {
			for (int i = 0; i < n_keydefs; i++)
				if (((here & KM(keydefs[i].action)) != 0) == (pass == 0) && !(pass == 1 && keydefs[i].action == K_CHAR))
					h->rows[h->n++] = (struct help_row){i, NULL, NULL, true};
		}
		if (h->n == start + 1)
			h->n = start;      /* no key in this group: no heading either */
		else if (pass == 0)
			h->rows[h->n++] = (struct help_row){-1, "", NULL, true};
	}
	return h;
}

static void
help_free(void *data)
{
	struct help_data *h = data;
	free(h->rows);
	free(h);
}

static void
help_draw(struct tui *t, void *data)
{
	struct help_data *h = data;
	(void)t;
	draw_box_title(VIEW_TOP, _("Keys"));
	int rows = VIEW_ROWS - 2;
	for (int i = 0; i < rows && h->top + i < h->n; i++) {
		const struct help_row *r = &h->rows[h->top + i];
		if (r->key < 0) {
			draw_text(VIEW_TOP + 1 + i, 1, COLS - 2, r->head[0] ? _(r->head) : "", A_BOLD | A_UNDERLINE);
			continue;
		}
		if (r->sk) {
			/* the key, its label as on the bar and hint, what it does */
			char b[512];
			const struct screen_key *sk = r->sk;
			if (sk->help)
				snprintf(b, sizeof b, _("%s — %s"), _(sk->label), _(sk->help));
			else
				snprintf(b, sizeof b, "%s", _(sk->label));
			if (!r->may)
				snprintf(b + strlen(b), sizeof b - strlen(b), "%s", _(" (not for this role)"));
			draw_text(VIEW_TOP + 1 + i, 2, 14, key_table_keyname(sk->a), A_BOLD);
			draw_text(VIEW_TOP + 1 + i, 17, COLS - 18, b, r->may ? (int)A_NORMAL : (int)A_DIM);
			continue;
		}
		const struct keydef *k = &keydefs[r->key];
		draw_text(VIEW_TOP + 1 + i, 2, 14, k->keys, A_BOLD);
		draw_text(VIEW_TOP + 1 + i, 17, COLS - 18, _(k->help), A_NORMAL);
	}
}

static int
help_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct help_data *h = data;
	(void)ch;
	int rows = VIEW_ROWS - 2;
	if (a == K_DOWN || a == K_PGDN) {
		if (h->top + rows < h->n)
			h->top += a == K_DOWN ? 1 : rows;
		if (h->top + rows > h->n)
			h->top = h->n - rows < 0 ? 0 : h->n - rows;
	} else if (a == K_UP || a == K_PGUP) {
		h->top -= a == K_UP ? 1 : rows;
		if (h->top < 0)
			h->top = 0;
	} else if (a == K_ESC || a == K_ENTER || a == K_HELP) {
		tui_pop(t);
	}
	return RD_VIEW;
}

static const struct key_table *
help_table(void *data)
{
	(void)data;
	return key_table_named("help");
}

const struct view view_help = {
	.name = "help", .init = help_init, .free = help_free, .draw = help_draw,
	.key = help_key, .table = help_table,
};
