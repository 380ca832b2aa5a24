/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-archive.c — 月度归档: on a township's database, the monthly
 * handover archive written to a typed path (zip or tar.gz) through the same
 * report_monthly_write and archive_export as `dibao export archive`; on a
 * county's database (county_require), an archive imported as `dibao import
 * archive`, and the county's lists: the archives imported
 * (county_archive_list), people enrolled twice (county_duplicates) and the
 * visit sample of a period (county_sample with its seed, written as PDF or
 * CSV by the file's name through sample_write) — `dibao county list |
 * duplicates | sample`.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tui/keys.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"
#include "import/archive.h"

#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/terms.h"
#include "store/county.h"
#include "store/env.h"
#include "store/err.h"

enum { AF_WHAT, AF_MONTH, AF_PATH, AF_FORMAT, AF_SEED };
enum { DO_EXPORT, DO_IMPORT, DO_DUPS, DO_SAMPLE, DO_LIST };
static const struct term fmt_terms[] = {{"zip", "zip"}, {"tar.gz", "tar.gz"}};
static const struct term town_terms[] = {{"导出月度归档", "archive export"}};
static const struct term county_terms[] = {
	{"导出月度归档", "archive export"}, {"导入乡镇归档", "archive import"},
	{"重复享受名单", "duplicates"}, {"入户抽查名单", "sample"}, {"已导入的归档", "county list"},
};

struct arc_data { struct form form; bool county; };

static void *
arc_init(struct tui *t, void *arg)
{
	(void)arg;
	struct err e;
	err_clear(&e);
	struct arc_data *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->county = county_require(t->st, &e) == 0;
	p->form.title = _("Monthly archive");
	if (p->county)
		form_add_choice(&p->form, N_("What"), county_terms, 5, DO_IMPORT);
	else
		form_add_choice(&p->form, N_("What"), town_terms, 1, 0);
	form_add_text(&p->form, N_("Month (YYYY-MM)"), 8, 7, NULL, "");
	form_add_text(&p->form, N_("File path"), 50, FIELD_MAX, NULL, "");
	form_add_choice(&p->form, N_("Format"), fmt_terms, 2, 0);
	if (p->county)
		form_add_text(&p->form, N_("Sample seed (empty: from the period)"), 30, 64, NULL, "");
	return p;
}

static void
arc_draw(struct tui *t, void *data)
{
	struct arc_data *p = data;
	form_tool_draw(t, &p->form, tui_hint(t));
}

static int
export(struct tui *t, dbmonth_t m, const char *path, enum archive_fmt fmt, struct err *e)
{
	struct archive_export_opts o;
	struct archive_export_result res;
	memset(&o, 0, sizeof o);
	o.month = m;
	o.path = path;
	o.format = fmt;
	struct progress pg = {tui_progress, t};
	o.progress = &pg;
	tui_msg(t, "%s", _("Writing the monthly archive…"));
	tui_draw_now(t);
	int r = archive_export(t->st, &t->user, &o, &res, e);
	if (r == 0) {
		char done[1024];
		snprintf(done, sizeof done, _("%s: %d entries, %d changed dossiers, %d filings reported"), path, res.entries,
		    res.dossiers, res.filings_reported);
		/* sealed handover (i14): an unsealed archive is said so */
		tui_msg(t, "%s%s", done, res.sealed ? "" : _(" (NOT sealed: no county key, setting county.key)"));
	}
	return r;
}

static int
dup_one(const struct county_person *v, int n, void *baton)
{
	char mon[8];
	linebuf_add(baton, NULL, "%s", v[0].id);
	for (int i = 0; i < n; i++) {
		month_format(v[i].period, mon);
		linebuf_add(baton, v[i].dossier, "    %s  %s  %s  %s  %s", v[i].township, v[i].dossier, v[i].name, mon,
		    v[i].status);
	}
	return 0;
}

struct archive_baton { struct linebuf *b; struct store *st; struct err *e; int ret; };

static int
archive_one(const struct county_archive *a, void *baton)
{
	struct archive_baton *ab = baton;
	struct county_payment p;
	char mon[8], t[32];
	month_format(a->period, mon);
	if (linebuf_add(ab->b, NULL, "%s\t%s\t%s\t%.16s…\t%d\t%d\t%d", a->township, a->name, mon, a->manifest,
	    a->files, a->people, a->cases) != 0)
		return 1;
	/* the township's payment batch of the month (issue 13) */
	int have = county_payment_get(ab->st, a->township, a->period, &p, ab->e);
	if (have < 0) {
		ab->ret = -1;
		return 1;
	}
	if (have == 0 && linebuf_add(ab->b, NULL, "    低保金发放：%d户 %d人 %s元，暂停发放%d户，追缴%d户%s", p.households,
	    p.persons, money_format(p.total, t), p.held, p.recovery, p.reconciled ? "" : "，未回盘") != 0)
		return 1;
	if (have == 0 && p.reconciled && linebuf_add(ab->b, NULL, "    回盘：成功%d 失败%d 金额不符%d 账户不在批次%d 回盘缺失%d",
	    p.paid, p.failed, p.mismatch, p.unknown, p.missing) != 0)
		return 1;
	return 0;
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcasecmp(s + n - m, tail) == 0;
}

static int
run(struct tui *t, void *data, struct err *e)
{
	struct arc_data *p = data;
	char path[FIELD_MAX * 4 + 1], mon[8];
	dbmonth_t m = 0;
	const char *why;
	int what = p->county ? p->form.ff[AF_WHAT].choice : DO_EXPORT;
	snprintf(path, sizeof path, "%s", form_text(&p->form, AF_PATH));
	if ((what == DO_EXPORT || what == DO_SAMPLE) && month_parse(form_text(&p->form, AF_MONTH), &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("month"), _(why));
	if ((what == DO_EXPORT || what == DO_IMPORT) && !path[0])
		return err_set(e, E_REFUSED, "%s", _("give the file"));
	switch (what) {
	case DO_EXPORT:
		return export(t, m, path, (enum archive_fmt)p->form.ff[AF_FORMAT].choice, e);
	case DO_IMPORT: {
		struct archive_import_result res;
		tui_msg(t, "%s", _("Importing the archive…"));
		tui_draw_now(t);
		if (archive_import(t->st, &t->user, path, NULL, &res, e) != 0)
			return -1;
		month_format(res.period, mon);
		tui_msg(t, _("%s %s %s: imported, %d files verified, %d people, %d cases"), res.township,
		    res.township_name, mon, res.files, res.people, res.cases);
		return 0;
	}
	case DO_DUPS: {
		struct linebuf b = {0};
		int count = 0;
		if (county_duplicates(t->st, dup_one, &b, &count, e) != 0) {
			linebuf_free(&b);
			return -1;
		}
		if (count == 0)
			linebuf_add(&b, NULL, "%s", _("no one is enrolled in two townships"));
		linebuf_open(t, &b, _("People enrolled in two or more townships"));
		return 0;
	}
	case DO_SAMPLE: {
		struct county_sample s;
		struct linebuf b = {0};
		char seed[256];
		bool csv = ends_with(path, ".csv");
		snprintf(seed, sizeof seed, "%s", form_text(&p->form, AF_SEED));
		if (county_sample(t->st, &t->user, m, seed[0] ? seed : NULL, &s, e) != 0)
			return -1;
		if (path[0] && sample_write(t->st, &t->user, &s, csv ? NULL : path, csv ? path : NULL, e) != 0) {
			county_sample_free(&s);
			return -1;
		}
		for (size_t i = 0; i < s.n; i++)
			if (s.v[i].sampled)
				linebuf_add(&b, NULL, "%s  %s  %s  %s", s.v[i].township, s.v[i].dossier, s.v[i].head,
				    s.v[i].kin ? "近亲属备案（必访）" : "新增对象抽查");
		linebuf_add(&b, NULL, _("%d new cases, %d kin filings, %d drawn"), s.n_new, s.n_kin, s.n_drawn);
		linebuf_add(&b, NULL, _("sample seed %s"), s.seed);
		county_sample_free(&s);
		linebuf_open(t, &b, _("Visit sample"));
		return 0;
	}
	case DO_LIST: {
		struct linebuf b = {0};
		struct archive_baton ab = {&b, t->st, e, 0};
		if (county_archive_list(t->st, archive_one, &ab, e) != 0 || ab.ret != 0) {
			linebuf_free(&b);
			return -1;
		}
		linebuf_open(t, &b, _("Archives imported"));
		return 0;
	}
	default:
		return 0;
	}
}

static int
arc_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct arc_data *p = data;
	return form_action_key(t, &p->form, a, ch, run, p);
}

static const struct key_table *
archive_table(void *data)
{
	(void)data;
	return key_table_named("archive");
}

const struct view view_archive = {
	.name = "archive", .init = arc_init, .free = free, .draw = arc_draw,
	.key = arc_key, .table = archive_table,
};
