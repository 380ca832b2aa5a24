/*
 * view-help.c — F1: every key of the key table with its help text.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui/tui.h"

struct help_data { int top; };

static void *
help_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct help_data *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	return h;
}

static void
help_draw(struct tui *t, void *data)
{
	struct help_data *h = data;
	(void)t;
	draw_box_title(VIEW_TOP, _("Keys"));
	int rows = VIEW_ROWS - 2;
	for (int i = 0; i < rows && h->top + i < n_keydefs; i++) {
		const struct keydef *k = &keydefs[h->top + i];
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
		if (h->top + rows < n_keydefs)
			h->top += a == K_DOWN ? 1 : rows;
		if (h->top + rows > n_keydefs)
			h->top = n_keydefs - rows < 0 ? 0 : n_keydefs - rows;
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
	.name = "help", .init = help_init, .free = free, .draw = help_draw,
	.key = help_key, .keys = help_keys,
};
