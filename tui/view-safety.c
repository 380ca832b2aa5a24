/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-safety.c — 数据安全: a hot backup of the data directory into a
 * folder (store_backup, as `dibao backup DIR`), the check of databases,
 * indexes, audit chain and attachments (store_check, as `dibao check`),
 * the audit chain verified (audit_verify, as `dibao audit --verify`) and
 * the audit trail listed, all of it or one dossier's (audit_walk, as
 * `dibao audit [--object]`; long numbers masked as everywhere on screen).
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "core/base.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/replica.h"

#include "store/audit.h"
#include "store/backup.h"
#include "store/check.h"
#include "store/err.h"

enum { SF_WHAT, SF_TEXT };
enum { DO_BACKUP, DO_CHECK, DO_VERIFY, DO_AUDIT, DO_PROMOTE };
static const struct term what_terms[] = {
	{"备份数据", "backup"}, {"检查数据", "check"}, {"核验审计链", "audit verify"}, {"查看审计记录", "audit"},
	{"提升本机为主机", "replica promote"}, /* the standby PC, as `dibao replica promote` */
};

static void *
safety_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	struct form *fm = calloc(1, sizeof *fm);
	if (fm == NULL)
		return NULL;
	fm->title = _("Data safety");
	form_add_choice(fm, N_("What"), what_terms, 5, DO_BACKUP);
	form_add_text(fm, N_("Backup folder, or dossier (audit)"), 50, FIELD_MAX, NULL, "");
	return fm;
}

static void
safety_draw(struct tui *t, void *data)
{
	form_tool_draw(t, data, tui_hint(t));
	draw_text(VIEW_TOP + 7, 2, COLS - 4, _("A backup goes into a new or empty folder, best on a USB stick; "
	    "`dibao restore` brings it back."), A_NORMAL);
	/* the standby PC: its configuration and state */
	char rd[1024];
	replica_describe(t->st, rd, sizeof rd);
	if (rd[0])
		draw_text(VIEW_TOP + 9, 2, COLS - 4, rd, A_NORMAL);
}

static void
problem(const char *msg, void *baton)
{
	linebuf_add(baton, NULL, "%s", msg);
}

static int
audit_line(const struct audit_entry *a, void *baton)
{
	char when[20], *detail = strdup(a->detail ? a->detail : "");
	time_t tt = (time_t)a->time;
	struct tm tm;
	int r;
	if (detail == NULL)
		return 1;
	localtime_r(&tt, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	mask_numbers(detail);
	/* Enter opens the dossier of a line about one (330102001-2026-00001) */
	bool dossier = strlen(a->object) == DOSSIER_NO_LEN && a->object[9] == '-' && a->object[14] == '-';
	r = linebuf_add(baton, dossier ? a->object : NULL, "%llu\t%s\t%s\t%s\t%s\t%s", (unsigned long long)a->seq, when, a->op,
	    a->action, a->object, detail);
	free(detail);
	return r != 0;
}

static int
run(struct tui *t, void *data, struct err *e)
{
	struct form *fm = data;
	char text[FIELD_MAX * 4 + 1];
	struct linebuf b = {0};
	snprintf(text, sizeof text, "%s", form_text(fm, SF_TEXT));
	switch (fm->ff[SF_WHAT].choice) {
	case DO_BACKUP:
		if (!text[0])
			return err_set(e, E_REFUSED, "%s", _("give the backup folder"));
		tui_msg(t, "%s", _("Backing up…"));
		tui_draw_now(t);
		if (store_backup(t->st, &t->user, text, e) != 0)
			return -1;
		tui_msg(t, _("backup written to %s"), text);
		return 0;
	case DO_CHECK: {
		tui_msg(t, "%s", _("Checking…"));
		tui_draw_now(t);
		int n = store_check(t->st, problem, &b, e);
		if (n < 0) {
			linebuf_free(&b);
			return -1;
		}
		if (n == 0)
			linebuf_add(&b, NULL, "%s", _("check: no problems found (databases, indexes, audit chain, attachments)"));
		tui_msg(t, _("check found %d problem(s)"), n);
		t->status_err = n > 0;
		linebuf_open(t, &b, _("Data check"));
		return 0;
	}
	case DO_VERIFY: {
		uint64_t n;
		unsigned char head[32];
		char hx[65];
		tui_msg(t, "%s", _("Checking…"));
		tui_draw_now(t);
		if (audit_verify(t->st, &n, head, e) != 0)
			return -1;
		hex32(head, hx);
		tui_msg(t, _("audit chain intact: %llu entries, head %.16s…"), (unsigned long long)n, hx);
		return 0;
	}
	case DO_AUDIT:
		if (audit_walk(t->st, text[0] ? text : NULL, audit_line, &b, e) != 0) {
			linebuf_free(&b);
			return -1;
		}
		tui_clear_msg(t);
		linebuf_open(t, &b, text[0] ? text : _("Audit trail"));
		return 0;
	case DO_PROMOTE:
		/* the standby PC: an admin, on a standby whose master is gone */
		tui_msg(t, "%s", _("Promoting…"));
		tui_draw_now(t);
		if (replica_promote(t->st, &t->user, 15, e) != 0)
			return -1;
		tui_msg(t, "%s", _("this site is now the master"));
		t->generation++;
		return 0;
	default:
		return 0;
	}
}

static int
safety_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	return form_action_key(t, data, a, ch, run, data);
}

static const struct key_table *
safety_table(void *data)
{
	(void)data;
	return key_table_named("safety");
}

const struct view view_safety = {
	.name = "safety", .init = safety_init, .free = free, .draw = safety_draw,
	.key = safety_key, .table = safety_table,
};
