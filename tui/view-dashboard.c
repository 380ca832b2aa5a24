/*
 * view-dashboard.c — 首页: how many dossiers are in each status, from the
 * status index's counts.  Enter on a line opens the dossier list filtered
 * by that status; "/" opens the list to search.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "tui/tui.h"

struct dash_data {
	size_t counts[ST__N];
	size_t total;
	int sel;              /* 0 .. ST__N-1, ST__N = all */
	int generation;
};

static void
load(struct tui *t, struct dash_data *d)
{
	struct err e;
	err_clear(&e);
	d->total = 0;
	if (dossier_count_by_status(t->st, d->counts, &e) != 0) {
		tui_error(t, &e);
		return;
	}
	for (int i = 0; i < ST__N; i++)
		d->total += d->counts[i];
	d->generation = t->generation;
}

static void *
dash_init(struct tui *t, void *arg)
{
	(void)arg;
	struct dash_data *d = calloc(1, sizeof *d);
	if (d == NULL)
		abort();
	load(t, d);
	return d;
}

static void
dash_draw(struct tui *t, void *data)
{
	struct dash_data *d = data;
	if (d->generation != t->generation)
		load(t, d);
	draw_box_title(VIEW_TOP, _("Home: dossiers by status"));
	int y = VIEW_TOP + 2;
	int x = COLS >= 100 ? (COLS - 60) / 2 : 4;
	for (int i = 0; i <= ST__N; i++) {
		char n[32];
		const char *label = i < ST__N ? status_terms[i].zh : _("All dossiers");
		size_t v = i < ST__N ? d->counts[i] : d->total;
		snprintf(n, sizeof n, "%zu", v);
		int attr = i == d->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		int row = y + i + (i == ST__N ? 1 : 0);
		if (row >= LINES - 2)
			break;
		draw_text(row, x, 2, "", attr);
		draw_text(row, x + 2, 20, label, attr);
		draw_text_right(row, x + 22, 10, n, attr);
		draw_text(row, x + 32, 2, "", attr);
	}
	int hy = y + ST__N + 3;
	if (hy < LINES - 2)
		draw_text(hy, x, COLS - x - 1, _("Enter opens the list of the selected status; / searches all dossiers"), A_NORMAL);
}

static int
dash_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct dash_data *d = data;
	(void)ch;
	struct list_arg la;
	switch (a) {
	case K_UP:
		d->sel = (d->sel + ST__N) % (ST__N + 1);
		break;
	case K_DOWN:
		d->sel = (d->sel + 1) % (ST__N + 1);
		break;
	case K_HOME:
		d->sel = 0;
		break;
	case K_END:
		d->sel = ST__N;
		break;
	case K_ENTER:
		la.status = d->sel < ST__N ? d->sel : -1;
		tui_push(t, &view_dossier_list, &la);
		break;
	case K_SEARCH:
		la.status = -1;
		tui_push(t, &view_dossier_list, &la);
		break;
	case K_REFRESH:
		load(t, d);
		tui_msg(t, "%s", _("Reloaded"));
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static unsigned long long
dash_keys(void *data)
{
	(void)data;
	return KM(K_UP) | KM(K_DOWN) | KM(K_HOME) | KM(K_END) | KM(K_ENTER) | KM(K_SEARCH) |
	    KM(K_REFRESH) | KM(K_HELP) | KM(K_QUIT);
}

const struct view view_dashboard = {
	.name = "dashboard", .init = dash_init, .free = free, .draw = dash_draw,
	.key = dash_key, .keys = dash_keys,
};
