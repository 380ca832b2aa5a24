/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-clue.c — `dibao clue …` and `dibao fix …`: the complaint clue ledger
 * and the rectification ledger (SPEC 6).  Lists mark overdue items; a
 * clue's reporter is shown only by `clue show` to the inspector and the
 * admin, and that reading is audited by the store.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/ledger.h"

#define CLUE_USAGE "clue add --channel CH --content TEXT [--reporter TEXT] [--dossier NO] [--category C]\n" \
	"      [--handler USER] [--deadline YYYY-MM-DD]\n" \
	"  dibao clue update NO --note TEXT\n" \
	"  dibao clue close NO --finding 属实|部分属实|不属实 --action TEXT [--transfer]\n" \
	"  dibao clue list [--open] [--overdue] [--csv FILE] | show NO"
#define FIX_USAGE "fix add --problem TEXT --source 自查|督查|举报 --measure TEXT --owner NAME --deadline YYYY-MM-DD\n" \
	"  dibao fix update NO --note TEXT | close NO --evidence TEXT\n" \
	"  dibao fix list [--open] [--overdue] [--csv FILE]"

static int
set_text(struct cli *c, const char *field, const char *s, char *dst, size_t size)
{
	const char *why;
	if (s && text_set(dst, size, s, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s: %s", field, _(why));
	return 0;
}

/* ---- clue --------------------------------------------------------------- */

static int
clue_add_exec(struct cli *c, int argc, char **argv)
{
	const char *ch = NULL, *content = NULL, *reporter = NULL, *dossier = NULL, *cat = NULL,
	    *handler = NULL, *deadline = NULL;
	const struct opt opts[] = {
		{"channel", OPT_VALUE, &ch}, {"content", OPT_VALUE, &content}, {"reporter", OPT_VALUE, &reporter},
		{"dossier", OPT_VALUE, &dossier}, {"category", OPT_VALUE, &cat}, {"handler", OPT_VALUE, &handler},
		{"deadline", OPT_VALUE, &deadline}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k;
	struct clue *cl;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !ch || !content)
		return cli_usage(CLUE_USAGE);
	if ((cl = calloc(1, sizeof *cl)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	cl->category = CC_OTHER;
	if ((k = cli_parse_term(c, _("channel"), clue_channel_terms, CH__N, ch)) < 0)
		goto fail;
	cl->channel = (enum clue_channel)k;
	if (cat) {
		if ((k = cli_parse_term(c, _("category"), clue_category_terms, CC__N, cat)) < 0)
			goto fail;
		cl->category = (enum clue_category)k;
	}
	if (set_text(c, _("content"), content, cl->content, sizeof cl->content) != 0 ||
	    set_text(c, _("reporter"), reporter, cl->reporter, sizeof cl->reporter) != 0 ||
	    set_text(c, _("dossier"), dossier, cl->dossier, sizeof cl->dossier) != 0 ||
	    set_text(c, _("handler"), handler, cl->handler, sizeof cl->handler) != 0 ||
	    (deadline && cli_parse_date(c, _("deadline"), deadline, &cl->deadline) != 0) ||
	    clue_add(c->st, &c->user, cl, &c->e) != 0)
		goto fail;
	int ret = c->json ? cli_print_json(json_pack("{s:s}", "number", cl->no)) : 0;
	if (!c->json)
		printf(_("clue %s recorded\n"), cl->no);
	free(cl);
	return ret;
fail:
	free(cl);
	return cli_fail(c);
}

static int
clue_update_exec(struct cli *c, int argc, char **argv)
{
	const char *note = NULL;
	const struct opt opts[] = {{"note", OPT_VALUE, &note}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !note)
		return cli_usage(CLUE_USAGE);
	if (clue_update(c->st, &c->user, pos[0], note, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("clue %s: note added\n"), pos[0]);
	return c->json ? cli_print_json(json_pack("{s:s}", "number", pos[0])) : 0;
}

static int
clue_close_exec(struct cli *c, int argc, char **argv)
{
	const char *finding = NULL, *action = NULL;
	bool transfer = false;
	const struct opt opts[] = {
		{"finding", OPT_VALUE, &finding}, {"action", OPT_VALUE, &action},
		{"transfer", OPT_FLAG, &transfer}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k = FIND_NONE;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(CLUE_USAGE);
	if (finding && (k = cli_parse_term(c, _("finding"), clue_finding_terms, FIND__N, finding)) < 0)
		return cli_fail(c);
	if (clue_close(c->st, &c->user, pos[0], (enum clue_finding)k, action, transfer, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("clue %s closed\n"), pos[0]);
	return c->json ? cli_print_json(json_pack("{s:s}", "number", pos[0])) : 0;
}

static json_t *
notes_json(const struct ledger_note *n, int count)
{
	json_t *a = json_array();
	char d[11];
	for (int i = 0; i < count; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "date", date_format(n[i].date, d), "by", n[i].by,
		    "note", n[i].text));
	return a;
}

static json_t *
clue_json(const struct clue *cl, dbdate_t today)
{
	char r[11], dl[11], cd[11];
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:b,s:s,s:b}",
	    "number", cl->no, "received", date_format(cl->received, r), "channel", clue_channel_terms[cl->channel].en,
	    "reporter", cl->reporter, "dossier", cl->dossier, "content", cl->content,
	    "category", clue_category_terms[cl->category].en, "handler", cl->handler,
	    "deadline", date_format(cl->deadline, dl), "notes", notes_json(cl->notes, cl->n_notes),
	    "finding", clue_finding_terms[cl->finding].en, "action", cl->action, "transferred", cl->transferred,
	    "closed", date_format(cl->closed, cd), "overdue", ledger_overdue(cl->deadline, cl->closed, today));
}

static int
clue_show_exec(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	struct clue *cl;
	char d[11];

	if (opts_parse(argc, argv, NULL, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(CLUE_USAGE);
	if ((cl = malloc(sizeof *cl)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if (clue_show(c->st, &c->user, pos[0], cl, &c->e) != 0) {
		free(cl);
		return cli_fail(c);
	}
	if (c->json) {
		int r = cli_print_json(clue_json(cl, store_today()));
		free(cl);
		return r;
	}
	printf("%s %s\n", _("number:"), cl->no);
	printf("%s %s\n", _("received:"), date_format(cl->received, d));
	printf("%s %s\n", _("channel:"), clue_channel_terms[cl->channel].zh);
	printf("%s %s\n", _("reporter:"), cl->reporter[0] ? cl->reporter : "-");
	printf("%s %s\n", _("dossier:"), cl->dossier[0] ? cl->dossier : "-");
	printf("%s %s\n", _("category:"), clue_category_terms[cl->category].zh);
	printf("%s %s\n", _("content:"), cl->content);
	printf("%s %s\n", _("handler:"), cl->handler);
	printf("%s %s%s\n", _("deadline:"), date_format(cl->deadline, d),
	    ledger_overdue(cl->deadline, cl->closed, store_today()) ? _(" (overdue)") : "");
	for (int i = 0; i < cl->n_notes; i++)
		printf("  %s %s: %s\n", date_format(cl->notes[i].date, d), cl->notes[i].by, cl->notes[i].text);
	if (cl->closed) {
		printf("%s %s (%s)\n", _("closed:"), date_format(cl->closed, d), cl->closed_by);
		printf("%s %s\n", _("finding:"), clue_finding_terms[cl->finding].zh);
		printf("%s %s\n", _("action:"), cl->action);
		if (cl->transferred)
			printf("%s\n", "已移交纪检");
	} else {
		printf("%s\n", _("status: open"));
	}
	free(cl);
	return 0;
}

struct list_baton {
	struct cli *c;
	bool open, overdue;
	dbdate_t today;
	json_t *a;
	bool csv;	/* print/form-ledger.c writes the CSV */
	int n;
};

static int
clue_row(const struct clue *cl, void *baton)
{
	struct list_baton *b = baton;
	bool overdue = ledger_overdue(cl->deadline, cl->closed, b->today);
	char dl[11];

	if ((b->open && cl->closed) || (b->overdue && !overdue))
		return 0;
	b->n++;
	if (b->c->json)
		json_array_append_new(b->a, clue_json(cl, b->today));
	else if (!b->csv)
		printf("%-12s %s %-8s %-20s %s%s\n", cl->no, date_format(cl->deadline, dl), clue_category_terms[cl->category].zh,
		    cl->dossier[0] ? cl->dossier : "-", cl->closed ? _("closed") : _("open"),
		    overdue ? _(" OVERDUE") : "");
	return 0;
}

/* --open, --overdue, --csv FILE: shared by both ledgers' lists */
static int
list_opts(struct cli *c, int argc, char **argv, const char *usage, struct list_baton *b, const char **csv)
{
	const struct opt opts[] = {
		{"open", OPT_FLAG, &b->open}, {"overdue", OPT_FLAG, &b->overdue}, {"csv", OPT_VALUE, csv},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos;

	memset(b, 0, sizeof *b);
	*csv = NULL;
	b->c = c;
	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage(usage);
	b->today = store_today();
	b->a = c->json ? json_array() : NULL;
	b->csv = *csv != NULL;
	return 0;
}

static int
list_done(struct cli *c, struct list_baton *b, const char *csv, bool clues, int ret)
{
	if (ret == 0 && csv &&
	    ledger_csv_write(c->st, &c->user, clues, b->open, b->overdue, csv, NULL, &c->e) != 0)
		ret = -1;
	if (ret != 0) {
		json_decref(b->a);
		return cli_fail(c);
	}
	if (c->json)
		return cli_print_json(b->a);
	if (csv)
		printf(_("%d rows written to %s\n"), b->n, csv);
	return 0;
}

static int
clue_list_exec(struct cli *c, int argc, char **argv)
{
	struct list_baton b;
	const char *csv;
	int r = list_opts(c, argc, argv, CLUE_USAGE, &b, &csv);
	if (r != 0)
		return r;
	return list_done(c, &b, csv, true, clue_list(c->st, clue_row, &b, &c->e));
}

/* ---- fix ---------------------------------------------------------------- */

static int
fix_add_exec(struct cli *c, int argc, char **argv)
{
	const char *problem = NULL, *source = NULL, *measure = NULL, *owner = NULL, *deadline = NULL;
	const struct opt opts[] = {
		{"problem", OPT_VALUE, &problem}, {"source", OPT_VALUE, &source}, {"measure", OPT_VALUE, &measure},
		{"owner", OPT_VALUE, &owner}, {"deadline", OPT_VALUE, &deadline}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k;
	struct fix *f;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !problem || !source || !measure || !owner || !deadline)
		return cli_usage(FIX_USAGE);
	if ((f = calloc(1, sizeof *f)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if ((k = cli_parse_term(c, _("source"), fix_source_terms, FSRC__N, source)) < 0)
		goto fail;
	f->source = (enum fix_source)k;
	if (set_text(c, _("problem"), problem, f->problem, sizeof f->problem) != 0 ||
	    set_text(c, _("measure"), measure, f->measure, sizeof f->measure) != 0 ||
	    set_text(c, _("owner"), owner, f->owner, sizeof f->owner) != 0 ||
	    cli_parse_date(c, _("deadline"), deadline, &f->deadline) != 0 ||
	    fix_add(c->st, &c->user, f, &c->e) != 0)
		goto fail;
	int ret = c->json ? cli_print_json(json_pack("{s:s}", "number", f->no)) : 0;
	if (!c->json)
		printf(_("rectification %s recorded\n"), f->no);
	free(f);
	return ret;
fail:
	free(f);
	return cli_fail(c);
}

static int
fix_change_exec(struct cli *c, int argc, char **argv, bool close)
{
	const char *note = NULL, *evidence = NULL;
	const struct opt opts[] = {{"note", OPT_VALUE, &note}, {"evidence", OPT_VALUE, &evidence}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(FIX_USAGE);
	if (close ? fix_close(c->st, &c->user, pos[0], evidence, &c->e) :
	    fix_update(c->st, &c->user, pos[0], note, &c->e))
		return cli_fail(c);
	if (!c->json)
		printf(close ? _("rectification %s closed\n") : _("rectification %s: note added\n"), pos[0]);
	return c->json ? cli_print_json(json_pack("{s:s}", "number", pos[0])) : 0;
}

static int
fix_update_exec(struct cli *c, int argc, char **argv)
{
	return fix_change_exec(c, argc, argv, false);
}

static int
fix_close_exec(struct cli *c, int argc, char **argv)
{
	return fix_change_exec(c, argc, argv, true);
}

static int
fix_row(const struct fix *f, void *baton)
{
	struct list_baton *b = baton;
	bool overdue = ledger_overdue(f->deadline, f->closed, b->today);
	char r[11], dl[11], cd[11];

	if ((b->open && f->closed) || (b->overdue && !overdue))
		return 0;
	b->n++;
	if (b->c->json) {
		json_array_append_new(b->a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:b}",
		    "number", f->no, "recorded", date_format(f->recorded, r), "problem", f->problem,
		    "source", fix_source_terms[f->source].en, "measure", f->measure, "owner", f->owner,
		    "deadline", date_format(f->deadline, dl), "notes", notes_json(f->notes, f->n_notes),
		    "evidence", f->evidence, "closed", date_format(f->closed, cd), "overdue", overdue));
	} else if (!b->csv) {
		printf("%-12s %s %s %s%s\n", f->no, date_format(f->deadline, dl), f->problem,
		    f->closed ? _("closed") : _("open"), overdue ? _(" OVERDUE") : "");
	}
	return 0;
}

static int
fix_list_exec(struct cli *c, int argc, char **argv)
{
	struct list_baton b;
	const char *csv;
	int r = list_opts(c, argc, argv, FIX_USAGE, &b, &csv);
	if (r != 0)
		return r;
	return list_done(c, &b, csv, false, fix_list(c->st, fix_row, &b, &c->e));
}

const struct cmd_entry cmds_clue[] = {
	{"clue", "add", "clue add --channel CH --content TEXT [--reporter TEXT] [--dossier NO] [--category C]\n"
	    "      [--handler USER] [--deadline YYYY-MM-DD]", N_("record a complaint clue (举报线索); prints its number"), NEEDS_USER, clue_add_exec},
	{"clue", "update", "clue update NO --note TEXT", N_("append a progress note to a clue"), NEEDS_USER, clue_update_exec},
	{"clue", "close", "clue close NO --finding 属实|部分属实|不属实 --action TEXT [--transfer]",
	    N_("close a clue (销号) with its finding and action; --transfer: handed to discipline inspection"),
	    NEEDS_USER, clue_close_exec},
	{"clue", "list", "clue list [--open] [--overdue] [--csv FILE]", N_("the clue ledger"), NEEDS_STORE, clue_list_exec},
	{"clue", "show", "clue show NO",
	    N_("one clue; the reporter only for the inspector and the admin (audited)"), NEEDS_USER, clue_show_exec},
	{"fix", "add", "fix add --problem TEXT --source 自查|督查|举报 --measure TEXT --owner NAME --deadline YYYY-MM-DD", N_("record a rectification item (整改); prints its number"), NEEDS_USER, fix_add_exec},
	{"fix", "update", "fix update NO --note TEXT", N_("append a progress note to a rectification item"),
	    NEEDS_USER, fix_update_exec},
	{"fix", "close", "fix close NO --evidence TEXT", N_("close a rectification item with its evidence"),
	    NEEDS_USER, fix_close_exec},
	{"fix", "list", "fix list [--open] [--overdue] [--csv FILE]", N_("the rectification ledger"), NEEDS_STORE,
	    fix_list_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
