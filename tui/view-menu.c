/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-menu.c — F9, the main menu: the screens beside the dossiers
 * (kin registry, ledgers, reports, printing, import and export, settings,
 * the monthly archive, batch printing, data safety).
 * ↑/↓ and Enter, or the item's digit.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/roles.h"
#include "store/err.h"

static const struct { const char *label; const struct view *v; enum action act; } items[] = {
	{N_("Kin registry (近亲属备案)"), &view_registry, ACT_READ},
	{N_("Ledgers: clues and rectifications"), &view_ledger, ACT_READ},
	{N_("Reports: monthly report, notice, screening, statistics, recalculation"), &view_reports, ACT_READ},
	{N_("Printing: forms, reprints, verification"), &view_print, ACT_READ},
	{N_("Import and export: roster, scans"), &view_import, ACT_READ},
	{N_("Settings: settings, standards, villages, users, checklist"), &view_settings, ACT_READ},
	{N_("Monthly archive: export; on a county: import, duplicates, sample"), &view_archive, ACT_READ},
	{N_("Batch printing: a form for a village or a status"), &view_batch, ACT_READ},
	{N_("Data safety: backup, check, audit trail"), &view_safety, ACT_READ},
	{N_("Payment: roster, submit, bank reconciliation, held list"), &view_payment, ACT_READ}, /* issue 13 */
};
#define N_ITEMS (int)(sizeof items / sizeof items[0])

struct menu_data { int sel; };

static void *
menu_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct menu_data *m = calloc(1, sizeof *m);
	if (m == NULL)
		return NULL;
	return m;
}

static void
menu_draw(struct tui *t, void *data)
{
	(void)t;
	struct menu_data *m = data;
	draw_box_title(VIEW_TOP, _("Main menu"));
	int x = COLS >= 100 ? (COLS - 64) / 2 : 4;
	/* a blank line between items where they fit (ten items on 24 lines
	 * do not); the tenth item's digit is 0 */
	int gap = VIEW_TOP + 2 + N_ITEMS * 2 <= LINES - 4 ? 2 : 1;
	for (int i = 0; i < N_ITEMS; i++) {
		char b[200];
		snprintf(b, sizeof b, " %d  %s", (i + 1) % 10, _(items[i].label));
		draw_text(VIEW_TOP + 2 + i * gap, x, COLS - 2 * x, b, i == m->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
}

static int
menu_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct menu_data *m = data;
	switch (a) {
	case K_UP: m->sel = (m->sel + N_ITEMS - 1) % N_ITEMS; break;
	case K_DOWN: m->sel = (m->sel + 1) % N_ITEMS; break;
	case K_HOME: m->sel = 0; break;
	case K_END: m->sel = N_ITEMS - 1; break;
	case K_ESC:
	case K_MENU: tui_pop(t); break;
	case K_CHAR:
		if (ch == '0' && N_ITEMS >= 10)
			ch = '1' + 9;
		else if (ch < '1' || ch > '9' || ch >= '1' + N_ITEMS)
			return RD_NONE;
		m->sel = (int)(ch - '1');
		/* FALLTHROUGH */
	case K_ENTER:
		tui_clear_msg(t);
		tui_push(t, items[m->sel].v, NULL);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
menu_table(void *data)
{
	(void)data;
	return key_table_named("menu");
}

const struct view view_menu = {
	.name = "menu", .init = menu_init, .free = free, .draw = menu_draw,
	.key = menu_key, .table = menu_table,
};
