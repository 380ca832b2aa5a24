/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-dashboard.c — 首页: how many dossiers are in each status (from the
 * status index's counts) and, beside them, what needs attention: open
 * cases whose checklist lacks something for their next stage, unfiled kin
 * matches, cases near or past their deadline, reviews due, notice periods
 * ending, gradual exits ending, reviews after a death, the monthly report
 * from the 20th, overdue clues and rectifications.  Each is a number that
 * opens the list behind it.  The attention counts walk the open and
 * approved dossiers, so they are computed after the first paint (the idle
 * tick) and again on F5, never on every draw; a key pressed meanwhile
 * interrupts the walk (the clerk never waits for it) and it starts again
 * at the next idle moment.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "core/base.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/due.h"
#include "core/kin-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/replica.h"

#include "store/checklist.h"
#include "store/dossier.h"
#include "store/due.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/ledger.h"
#include "store/report.h"

enum att {
	AT_CHECKLIST, AT_KIN, AT_DEADLINE, AT_REVIEW, AT_NOTICE, AT_GRADUAL, AT_DEATH, AT_REPORT, AT_CLUES,
	AT_FIXES, ATT__N
};
static const char *const att_labels[ATT__N] = {
	N_("Checklists incomplete"), N_("Kin matches unfiled"), N_("Cases near or past deadline"),
	N_("Reviews due"), N_("Notice periods ending"), N_("Gradual exits ending"), N_("Reviews after a death"),
	N_("Monthly report"), N_("Clues past deadline"), N_("Rectifications past deadline"),
};

struct dash_data {
	size_t counts[ST__N];
	size_t total;
	int sel;              /* 0 .. ST__N-1, ST__N = all, then the attention items */
	int generation;
	bool computed;        /* the attention counts */
	int att[ATT__N], past[ATT__N];
	struct linebuf lists[ATT__N];
	char report[32];
	bool report_warn;
	long ms;              /* how long the attention walk took */
};
#define N_SEL (ST__N + 1 + ATT__N)

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

/* ---- the attention walk ------------------------------------------------ */

struct walk {
	struct tui *t;
	struct dash_data *d;
	struct checklist_def defs[MAX_ITEMS];
	int n;
	unsigned visits;
	bool yield;           /* give way to a waiting key (the idle tick's walk) */
	bool interrupted;     /* a key is waiting: the walk gave way */
};

/* Every 64 visits: has a key come?  Then the walk stops (the callbacks
 * return 1) so the key is handled at once.  The key is asked of curses
 * itself, without waiting, and given back (unget) for the main loop: a
 * poll() of the terminal once saw bytes that curses held back (the tail
 * of an Esc sequence), so every idle tick gave way to a key that never
 * came, the counts stayed "…" and the arrows did nothing. */
static bool
give_way(struct walk *w)
{
	wint_t ch;
	if (w->interrupted)
		return true;
	if (!w->yield || ++w->visits % 64 != 0)
		return false;
	int delay = wgetdelay(stdscr);
	nodelay(stdscr, TRUE);
	int r = get_wch(&ch);
	wtimeout(stdscr, delay);
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES)
		ungetch((int)ch);
	else
		unget_wch((wchar_t)ch);
	w->interrupted = true;
	return true;
}

static int
due_one(const struct dossier *dos, const struct due *due, int n, void *baton)
{
	struct walk *w = baton;
	static const enum att map[DUE__N] = {
		[DUE_START] = AT_DEADLINE, [DUE_DECIDE] = AT_DEADLINE, [DUE_NOTICE] = AT_NOTICE,
		[DUE_REVIEW] = AT_REVIEW, [DUE_DEATH_REVIEW] = AT_DEATH, [DUE_GRADUAL] = AT_GRADUAL,
		[DUE_REFUSAL] = AT_DEADLINE,   /* i12: the written refusal */
	};
	const char *head = dos->n_members ? dos->members[dos->head].name : "";
	if (give_way(w))
		return 1;
	for (int i = 0; i < n; i++) {
		enum att a = map[due[i].kind];
		char dd[11];
		date_format(due[i].date, dd);
		w->d->att[a]++;
		w->d->past[a] += due[i].past;
		linebuf_add(&w->d->lists[a], dos->no, "%s\t%s\t%s\t%s\t%s\t%s", dos->no, head, dos->village,
		    due_terms[due[i].kind].zh, dd, due[i].past ? _("OVERDUE") : _("near"));
	}
	return 0;
}

/* a dossier whose checklist lacks what its next stage needs (the store
 * decides which: checklist_incomplete) */
static int
open_one(const struct dossier *dos, enum status next, const char *missing, void *baton)
{
	struct walk *w = baton;
	if (give_way(w))
		return 1;
	w->d->att[AT_CHECKLIST]++;
	linebuf_add(&w->d->lists[AT_CHECKLIST], dos->no, "%s\t%s\t%s\t→ %s\t%s %s", dos->no,
	    dos->n_members ? dos->members[dos->head].name : "", dos->village, status_terms[next].zh,
	    _("missing:"), missing);
	return 0;
}

static int
kin_one(const struct kin_match *m, int status, void *baton)
{
	struct walk *w = baton;
	if (give_way(w))
		return 1;
	if (status == FS_FILED || status == FS_REPORTED)
		return 0;
	w->d->att[AT_KIN]++;
	return linebuf_add(&w->d->lists[AT_KIN], m->dossier, "%s\t%s\t%s\t%s\t%s", m->dossier, m->member_name,
	    kin_relation_term(m->relation)->zh, m->staff_name, status < 0 ? _("unfiled") : filing_status_terms[status].zh);
}

/* The attention counts; false when a key interrupted the walk (only when
 * yield: the counts are then left unknown, for the next idle tick). */
static bool
compute(struct tui *t, struct dash_data *d, bool yield)
{
	struct err e;
	struct timespec a, b;
	struct walk *w = calloc(1, sizeof *w);
	if (w == NULL)
		return false;
	d->computed = false;
	clock_gettime(CLOCK_MONOTONIC, &a);
	err_clear(&e);
	for (int i = 0; i < ATT__N; i++) {
		linebuf_free(&d->lists[i]);
		d->att[i] = d->past[i] = 0;
	}
	w->t = t;
	w->d = d;
	w->yield = yield;
	int r = dossier_list_due(t->st, due_one, w, &e);
	if (r == 0 && !w->interrupted)
		r = checklist_incomplete(t->st, NULL, open_one, w, &e);
	if (r == 0 && !w->interrupted)
		r = kin_match_list(t->st, NULL, kin_one, w, &e);
	bool interrupted = w->interrupted;
	if (interrupted) {
		for (int i = 0; i < ATT__N; i++) {
			linebuf_free(&d->lists[i]);
			d->att[i] = d->past[i] = 0;
		}
		free(w);
		return false;
	}
	dbmonth_t m;
	if (r == 0 && (r = report_due(t->st, store_today(), &m, &d->report_warn, &e)) == 0)
		month_format(m, d->report);
	if (r == 0)
		r = clue_overdue_count(t->st, &d->att[AT_CLUES], &e);
	if (r == 0)
		r = fix_overdue_count(t->st, &d->att[AT_FIXES], &e);
	if (r != 0)
		tui_error(t, &e);
	free(w);
	clock_gettime(CLOCK_MONOTONIC, &b);
	d->ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	d->computed = true;
	return true;
}

static void *
dash_init(struct tui *t, void *arg)
{
	(void)arg;
	struct dash_data *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	load(t, d);
	return d;
}

static void
dash_free(void *data)
{
	struct dash_data *d = data;
	for (int i = 0; i < ATT__N; i++)
		linebuf_free(&d->lists[i]);
	free(d);
}

static int
dash_tick(struct tui *t, void *data)
{
	struct dash_data *d = data;
	if (d->computed)
		return RD_NONE;
	return compute(t, d, true) ? RD_VIEW : RD_NONE;
}

static void
dash_draw(struct tui *t, void *data)
{
	struct dash_data *d = data;
	if (d->generation != t->generation) {
		load(t, d);
		d->computed = false;   /* recomputed at the next idle tick */
	}
	draw_box_title(VIEW_TOP, _("Home: dossiers by status"));
	int y = VIEW_TOP + 2;
	int x = COLS >= 120 ? (COLS - 84) / 2 : 4;
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
	int ax = x + 35, aw = COLS - ax - 1 > 42 ? 42 : COLS - ax - 1;
	draw_text(y - 1, ax, aw, _("Needs attention"), A_BOLD | A_UNDERLINE);
	for (int i = 0; i < ATT__N && y + i < LINES - 3; i++) {
		char n[48];
		int attr = ST__N + 1 + i == d->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		if (!d->computed)
			snprintf(n, sizeof n, "%s", "…");
		else if (i == AT_REPORT)
			snprintf(n, sizeof n, "%s%s", d->report, d->report_warn ? _(" due") : "");
		else if (d->past[i])
			snprintf(n, sizeof n, _("%d (%d overdue)"), d->att[i], d->past[i]);
		else
			snprintf(n, sizeof n, "%d", d->att[i]);
		if (d->computed && ((i == AT_REPORT && d->report_warn) || (i != AT_REPORT && d->att[i] > 0)) &&
		    attr == (int)A_NORMAL)
			attr = A_BOLD;
		draw_text(y + i, ax, 1, "", attr);
		draw_text(y + i, ax + 1, 21, _(att_labels[i]), attr);
		draw_text_right(y + i, ax + 22, aw - 23, n, attr);
		draw_text(y + i, ax + aw - 1, 1, "", attr);
	}
	int hy = y + ST__N + 3;
	if (hy < LINES - 2)
		draw_text(hy, x, COLS - x - 1, tui_hint(t), A_NORMAL);
	if (!d->computed && hy + 1 < LINES - 2)
		draw_text(hy + 1, x, COLS - x - 1, _("Counting what needs attention…"), A_DIM);
	/* the standby PC: 备用机未同步 while the standby is away */
	char rb[400];
	bool warn = replica_banner(t->st, rb, sizeof rb);
	if (rb[0] && hy + 2 < LINES - 2)
		draw_text(hy + 2, x, COLS - x - 1, rb, warn ? attrs[AT_ERR] : (int)A_NORMAL);
	long away = replica_master_away(t->st);
	if (away >= 60 && hy + 3 < LINES - 2) {
		char m[200];
		snprintf(m, sizeof m, _("the master has been unreachable for %ld min: an admin may promote this PC (F9, 数据安全)"),
		    away / 60);
		draw_text(hy + 3, x, COLS - x - 1, m, attrs[AT_ERR]);
	}
}

static void
open_att(struct tui *t, struct dash_data *d, int i)
{
	if (!d->computed)
		compute(t, d, false);
	if (i == AT_REPORT) {
		tui_push(t, &view_reports, NULL);
		return;
	}
	if (i == AT_CLUES || i == AT_FIXES) {
		tui_push(t, &view_ledger, NULL);
		return;
	}
	/* the view takes the lines: keep a copy for the next time */
	struct linebuf b = {0};
	for (int k = 0; k < d->lists[i].n; k++)
		linebuf_add(&b, d->lists[i].dossier[k], "%s", d->lists[i].text[k]);
	linebuf_open(t, &b, _(att_labels[i]));
}

static int
dash_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct dash_data *d = data;
	(void)ch;
	struct list_arg la;
	switch (a) {
	case K_UP:
		d->sel = (d->sel + N_SEL - 1) % N_SEL;
		break;
	case K_DOWN:
		d->sel = (d->sel + 1) % N_SEL;
		break;
	case K_LEFT:
	case K_RIGHT:
		d->sel = d->sel <= ST__N ? ST__N + 1 + (d->sel < ATT__N ? d->sel : ATT__N - 1) : d->sel - ST__N - 1;
		break;
	case K_HOME:
		d->sel = 0;
		break;
	case K_END:
		d->sel = N_SEL - 1;
		break;
	case K_ENTER:
		if (d->sel > ST__N) {
			open_att(t, d, d->sel - ST__N - 1);
			break;
		}
		la.status = d->sel < ST__N ? d->sel : -1;
		tui_push(t, &view_dossier_list, &la);
		break;
	case K_SEARCH:
		la.status = -1;
		tui_push(t, &view_dossier_list, &la);
		break;
	case K_MENU:
		tui_push(t, &view_menu, NULL);
		break;
	case K_NEW:
		open_new_dossier_form(t);
		break;
	case K_REFRESH:
		load(t, d);
		tui_msg(t, "%s", _("Counting what needs attention…"));
		tui_draw_now(t);
		compute(t, d, false);
		tui_msg(t, _("Reloaded (%ld ms)"), d->ms);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
dash_table(void *data)
{
	(void)data;
	return key_table_named("dashboard");
}

const struct view view_dashboard = {
	.name = "dashboard", .init = dash_init, .free = dash_free, .draw = dash_draw,
	.key = dash_key, .table = dash_table, .tick = dash_tick,
};
