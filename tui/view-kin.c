/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-kin.c — the dossier's 近亲属 tab: its kin matches (a member who is
 * a registered staff member or a declared relative of one) with the
 * filing's status.  F3 files the selected match with a note (kin_file, a
 * pending filing), F4 confirms its filing (kin_confirm, another user).
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/err.h"
#include "store/kin.h"

#define KIN_MAX 64
struct kin_row { struct kin_match m; int status; };
struct kin_data {
	struct kin_row r[KIN_MAX];
	int n, sel;
};

static void *
kin_init(void)
{
	return calloc(1, sizeof(struct kin_data));
}

static int
one(const struct kin_match *m, int status, void *baton)
{
	struct kin_data *k = baton;
	if (k->n < KIN_MAX) {
		k->r[k->n].m = *m;
		k->r[k->n].status = status;
		k->n++;
	}
	return 0;
}

static void
kin_load(struct tui *t, const struct dossier *d, void *p)
{
	struct kin_data *k = p;
	struct err e;
	err_clear(&e);
	k->n = 0;
	if (kin_match_list(t->st, d->no, one, k, &e) != 0)
		tui_error(t, &e);
	if (k->sel >= k->n)
		k->sel = k->n > 0 ? k->n - 1 : 0;
}

static void
kin_draw(struct tui *t, const struct dossier *d, void *p, int y)
{
	(void)d;
	struct kin_data *k = p;
	static const int w[] = {10, 19, 10, 8, 11, 13};
	const char *heads[] = {_("Member"), _("ID number"), _("Staff"), _("Relation"), _("Found"), _("Filing")};
	int x = 0;
	for (int i = 0; i < 6; i++) {
		draw_text(y, x, w[i], heads[i], A_BOLD | A_UNDERLINE);
		x += w[i];
	}
	draw_text(y, x, COLS - x, _("Status"), A_BOLD | A_UNDERLINE);
	/* F3 and F4 may each be another role's: which roles, for each key */
	static const struct { const char *key; enum action act; } acts[] = {
		{"F3", ACT_KIN_FILE}, {"F4", ACT_KIN_CONFIRM},
	};
	char help[200], keys[300] = "", why[400] = "", who[128];
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		if (role_may(t->user.role, acts[i].act))
			continue;
		tui_roles_for(acts[i].act, who, sizeof who);
		if (keys[0])
			snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s", _("; "));
		snprintf(keys + strlen(keys), sizeof keys - strlen(keys), _("%s only %s"), acts[i].key, who);
	}
	if (keys[0])
		snprintf(why, sizeof why, _("not for the role %s (%s)"), role_terms[t->user.role].zh, keys);
	snprintf(help, sizeof help, "%s", tui_hint(t));
	if (k->n == 0)
		draw_text(y + 1, 2, COLS - 4, _("no kin match on this dossier"), A_NORMAL);
	for (int i = 0; i < k->n && y + 1 + i < LINES - 3 - hint_lines(help, why[0] ? why : NULL); i++) {
		const struct kin_match *m = &k->r[i].m;
		char idm[ID_LEN + 1], fd[11];
		id_mask(m->member_id, idm);
		date_format(m->found, fd);
		const char *cells[6] = {m->member_name, idm, m->staff_name, kin_relation_term(m->relation)->zh, fd,
		    m->filing[0] ? m->filing : "—"};
		int attr = i == k->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		x = 0;
		for (int c = 0; c < 6; c++) {
			draw_text(y + 1 + i, x, w[c], cells[c], attr);
			x += w[c];
		}
		const char *st = k->r[i].status >= 0 ? filing_status_terms[k->r[i].status].zh : _("unfiled");
		draw_text(y + 1 + i, x, COLS - x, st, k->r[i].status < 0 && i != k->sel ? attrs[AT_ERR] : attr);
	}
	draw_hint(help, why[0] ? why : NULL, A_BOLD);
}

struct file_ctx { char no[DOSSIER_NO_LEN + 1]; char id[ID_LEN + 1]; };

static int
do_file(struct tui *t, const char *note, void *ctx, struct err *e)
{
	struct file_ctx *f = ctx;
	char no[FILING_NO_LEN + 1];
	if (kin_file(t->st, &t->user, f->no, f->id, note, no, e) != 0)
		return -1;
	tui_msg(t, _("filing %s recorded (pending confirmation by another user)"), no);
	return 0;
}

static int
kin_key(struct tui *t, const struct dossier *d, void *p, enum action_id a, wint_t ch)
{
	(void)ch;
	struct kin_data *k = p;
	struct err e;
	err_clear(&e);
	switch (a) {
	case K_UP: if (k->sel > 0) k->sel--; return RD_VIEW;
	case K_DOWN: if (k->sel + 1 < k->n) k->sel++; return RD_VIEW;
	case K_FILE:
		if (k->n == 0 || !tui_may(t, ACT_KIN_FILE))
			return RD_VIEW;
		{
			struct file_ctx f;
			static char title[160];
			snprintf(f.no, sizeof f.no, "%s", d->no);
			snprintf(f.id, sizeof f.id, "%s", k->r[k->sel].m.member_id);
			snprintf(title, sizeof title, _("File the kin match of %s"), k->r[k->sel].m.member_name);
			open_prompt(t, title, N_("Circumstances"), "", 100, valid_required, do_file, &f, sizeof f);
		}
		return RD_VIEW;
	case K_CONFIRM:
		if (k->n == 0 || !tui_may(t, ACT_KIN_CONFIRM))
			return RD_VIEW;
		if (k->r[k->sel].m.filing[0] == '\0') {
			tui_msg(t, "%s", _("this match has no filing yet: F3 files it"));
			t->status_err = true;
		} else if (kin_confirm(t->st, &t->user, k->r[k->sel].m.filing, &e) != 0) {
			tui_refusal(t, &e);
		} else {
			tui_msg(t, _("filing %s confirmed"), k->r[k->sel].m.filing);
			t->generation++;
		}
		return RD_VIEW;
	default:
		return RD_NONE;
	}
}

const struct dossier_tab tab_kin = {
	.name = N_("Kin"), .init = kin_init, .free = free, .load = kin_load, .draw = kin_draw,
	.key = kin_key,
};
