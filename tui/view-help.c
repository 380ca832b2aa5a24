/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-help.c — F1: every key of the key table with its help text, those
 * the screen it was opened from accepts first (its key mask, given as the
 * argument), then the others.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui/tui.h"

/* a row: a heading (key < 0, its msgid in head) or a key table entry */
struct help_row { int key; const char *head; };

struct help_data {
	int top, n;
	struct help_row *rows;
};

static void *
help_init(struct tui *t, void *arg)
{
	(void)t;
	unsigned long long here = arg ? *(const unsigned long long *)arg : 0;
	struct help_data *h = calloc(1, sizeof *h);
	if (h == NULL || (h->rows = calloc((size_t)n_keydefs + 3, sizeof *h->rows)) == NULL) {
		free(h);
		return NULL;
	}
	/* two passes over the table: this screen's keys, then the rest */
	for (int pass = 0; pass < 2; pass++) {
		int start = h->n;
		h->rows[h->n++] = (struct help_row){-1, pass == 0 ? N_("Keys of this screen") : N_("Keys of the other screens")};
		for (int i = 0; i < n_keydefs; i++)
			if (((here & KM(keydefs[i].action)) != 0) == (pass == 0))
				h->rows[h->n++] = (struct help_row){i, NULL};
		if (h->n == start + 1)
			h->n = start;      /* no key in this group: no heading either */
		else if (pass == 0)
			h->rows[h->n++] = (struct help_row){-1, ""};
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

static unsigned long long
help_keys(void *data)
{
	(void)data;
	return KM(K_HELP) | KM(K_UP) | KM(K_DOWN) | KM(K_PGUP) | KM(K_PGDN) | KM(K_ESC) | KM(K_ENTER) | KM(K_QUIT);
}

const struct view view_help = {
	.name = "help", .init = help_init, .free = help_free, .draw = help_draw,
	.key = help_key, .keys = help_keys,
};
