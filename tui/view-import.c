/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-import.c — 导入导出: the roster import (F2 always runs the dry run
 * first and shows its report; F3 then imports for real), the roster export
 * (CSV or XLSX by the name), the scans import from the document camera's
 * folder and a scan left over assigned by hand to a dossier's item — the
 * same import/ functions as `dibao import` and `import scans --assign`.
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
#include "import/roster.h"
#include "import/scans.h"

#include "core/base.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/err.h"

enum { IF_WHAT, IF_PATH, IF_DOSSIER, IF_ITEM };
enum { DO_ROSTER, DO_EXPORT, DO_SCANS, DO_ASSIGN };
static const struct term what_terms[] = {
	{"导入花名册（先试导入）", "roster import"}, {"导出花名册", "roster export"}, {"导入扫描件（目录）", "scans import"},
	{"指定扫描件归属", "scans assign"},
};

struct imp_data {
	struct form form;
	bool dry_ok;              /* the dry run of this path found nothing wrong */
	char dry_path[FIELD_MAX * 4 + 1];
	struct linebuf out;
};

static void *
imp_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct imp_data *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->form.title = _("Import and export");
	form_add_choice(&p->form, N_("What"), what_terms, 4, 0);
	form_add_text(&p->form, N_("File or folder"), 50, FIELD_MAX, valid_required, "");
	form_add_text(&p->form, N_("Dossier (assigning a scan)"), 22, DOSSIER_NO_LEN, NULL, "");
	form_add_text(&p->form, N_("Item code (assigning a scan)"), 8, ITEM_CODE_MAX - 1, NULL, "");
	return p;
}

static void
imp_free(void *data)
{
	struct imp_data *p = data;
	linebuf_free(&p->out);
	free(p);
}

static void
imp_draw(struct tui *t, void *data)
{
	struct imp_data *p = data;
	int cy, cx;
	draw_box_title(VIEW_TOP, _("Import and export"));
	form_draw(&p->form, VIEW_TOP + 2, &cy, &cx);
	int y = VIEW_TOP + 2 + p->form.n * 2;
	for (int i = 0; i < p->out.n && y + i < LINES - 3; i++)
		draw_text(y + i, 2, COLS - 4, p->out.text[i], A_NORMAL);
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
	t->cy = cy;
	t->cx = cx;
}

static void
scan_one(enum scan_outcome o, const char *file, const char *dossier, const char *item, const char *why, void *baton)
{
	static const char *const names[] = {N_("attached"), N_("to assign by hand"), N_("refused"), N_("skipped")};
	linebuf_add(baton, dossier, "%s  %s %s %s %s", _(names[o]), file, dossier ? dossier : "", item ? item : "",
	    why ? why : "");
}

static void
roster(struct tui *t, struct imp_data *p, const char *path, bool dry)
{
	struct roster_result res;
	struct err e;
	char m[32];
	err_clear(&e);
	memset(&res, 0, sizeof res);
	tui_msg(t, "%s", dry ? _("Trying the import (nothing is written)…") : _("Importing…"));
	tui_draw_now(t);
	struct progress pg = {tui_progress, t};
	int r = roster_import_progress(t->st, &t->user, path, dry, &pg, &res, &e);
	money_format(res.total, m);
	linebuf_add(&p->out, NULL, _("%s: %d rows, %d households, %d persons, %s yuan per month (%s)"),
	    dry ? _("dry run") : _("import"), res.rows, res.households, res.persons, m, res.encoding ? res.encoding : "");
	for (int i = 0; i < res.n_villages; i++)
		linebuf_add(&p->out, NULL, "  %s %s", _("village added:"), res.villages[i]);
	if (!dry && r == 0)
		linebuf_add(&p->out, res.first_no, _("dossiers %s … %s"), res.first_no, res.last_no);
	if (r != 0) {
		if (res.report && res.report[0])
			tui_msgbox(t, _("The roster has problems: nothing was imported"), res.report);
		else
			tui_refusal(t, &e);
		p->dry_ok = false;
	} else {
		tui_msg(t, "%s", dry ? _("No problem found: F3 imports for real") : _("Imported"));
		p->dry_ok = dry;
		snprintf(p->dry_path, sizeof p->dry_path, "%s", path);
		if (!dry)
			t->generation++;
	}
	roster_result_free(&res);
}

static void
run(struct tui *t, struct imp_data *p, bool real)
{
	struct err e;
	char path[FIELD_MAX * 4 + 1];
	err_clear(&e);
	snprintf(path, sizeof path, "%s", form_text(&p->form, IF_PATH));
	linebuf_free(&p->out);
	if (!path[0]) {
		tui_msg(t, "%s", _("give a file or folder"));
		t->status_err = true;
		return;
	}
	switch (p->form.ff[IF_WHAT].choice) {
	case DO_ROSTER:
		if (real && (!p->dry_ok || strcmp(path, p->dry_path) != 0)) {
			tui_msg(t, "%s", _("run the dry run (F2) of this file first"));
			t->status_err = true;
			return;
		}
		roster(t, p, path, !real);
		break;
	case DO_EXPORT: {
		int h = 0, n = 0;
		tui_msg(t, "%s", _("Exporting…"));
		tui_draw_now(t);
		if (roster_export(t->st, &t->user, path, &h, &n, &e) != 0)
			tui_refusal(t, &e);
		else
			tui_msg(t, _("roster written to %s: %d households, %d persons"), path, h, n);
		break;
	}
	case DO_SCANS: {
		int counts[4] = {0};
		tui_msg(t, "%s", _("Importing the scans…"));
		tui_draw_now(t);
		if (scans_import(t->st, &t->user, path, scan_one, &p->out, counts, &e) != 0)
			tui_refusal(t, &e);
		else {
			tui_msg(t, _("scans: %d attached, %d to assign by hand, %d refused, %d skipped"), counts[0],
			    counts[1], counts[2], counts[3]);
			t->generation++;
		}
		break;
	}
	case DO_ASSIGN: {
		char no[DOSSIER_NO_LEN * 4 + 1], item[ITEM_CODE_MAX * 4];
		snprintf(no, sizeof no, "%s", form_text(&p->form, IF_DOSSIER));
		snprintf(item, sizeof item, "%s", form_text(&p->form, IF_ITEM));
		if (scans_assign(t->st, &t->user, path, no, item, &e) != 0) {
			tui_refusal(t, &e);
			break;
		}
		tui_msg(t, _("%s attached to %s %s"), path, no, item);
		t->generation++;
		break;
	}
	default:
		break;
	}
}

static int
imp_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct imp_data *p = data;
	if (a == K_RUN) {
		run(t, p, true);
		return RD_VIEW;
	}
	int before = p->form.ff[IF_WHAT].choice;
	if (a == K_ESC && !p->form.asking) {
		/* a tool screen, not a record: nothing to discard */
		tui_pop(t);
		return RD_VIEW;
	}
	switch (form_key(&p->form, a, ch)) {
	case FR_SAVE:
		if (form_validate(&p->form) < 0)
			run(t, p, false);
		break;
	case FR_CANCEL:
		tui_pop(t);
		break;
	default:
		if (before != p->form.ff[IF_WHAT].choice || (a == K_CHAR || a == K_BACKSPACE || a == K_DELETE))
			p->dry_ok = false;
		break;
	}
	return RD_VIEW;
}

static const struct key_table *
imp_table(void *data)
{
	struct imp_data *p = data;
	return key_table_named(p->dry_ok ? "import.dry" : "import");
}

const struct view view_import = {
	.name = "import", .init = imp_init, .free = imp_free, .draw = imp_draw,
	.key = imp_key, .table = imp_table,
};
