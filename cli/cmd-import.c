/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-import.c — `dibao import roster FILE [--dry-run]`, `dibao import
 * scans DIR | --assign FILE DOSSIER ITEM` and `dibao export roster -o
 * FILE.csv|FILE.xlsx`: parse, call import/, print the report.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "import/roster.h"
#include "import/scans.h"

#include "core/base.h"
#include "core/money.h"
#include "store/err.h"

static int
roster_in_exec(struct cli *c, int argc, char **argv)
{
	bool dry = false;
	const struct opt opts[] = {{"dry-run", OPT_FLAG, &dry}, {NULL, 0, NULL}};
	char *pos[1];
	int npos, ret = 0;
	struct roster_result res;
	char total[32];

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	if (roster_import(c->st, &c->user, pos[0], dry, &res, &c->e) != 0) {
		/* every problem, one per line, then what it means */
		for (const char *p = res.report; p && *p;) {
			size_t n = strcspn(p, "\n");
			fprintf(stderr, "dibao: %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
		ret = cli_fail(c);
		roster_result_free(&res);
		return ret;
	}
	money_format(res.total, total);
	if (c->json) {
		json_t *v = json_array();
		for (int i = 0; i < res.n_villages; i++)
			json_array_append_new(v, json_string(res.villages[i]));
		ret = cli_print_json(json_pack("{s:b,s:s,s:i,s:i,s:i,s:I,s:o,s:s,s:s,s:i}", "dry_run", dry,
		    "encoding", res.encoding, "rows", res.rows, "households", res.households,
		    "persons", res.persons, "total", (json_int_t)res.total, "villages_added", v,
		    "first", res.first_no, "last", res.last_no, "transactions", res.committed));
	} else {
		printf(dry ? _("checked %s (%s): %d households, %d persons, monthly total %s yuan; nothing written (--dry-run)\n")
		    : _("imported %s (%s): %d households, %d persons, monthly total %s yuan\n"),
		    pos[0], res.encoding, res.households, res.persons, total);
		if (!dry && res.households > 0)
			printf(_("dossier numbers %s to %s, marked as migrated\n"), res.first_no, res.last_no);
		for (int i = 0; i < res.n_villages; i++)
			printf(dry ? _("village to be added: %s\n") : _("village added: %s\n"), res.villages[i]);
	}
	roster_result_free(&res);
	return ret;
}

struct scan_out {
	struct cli *c;
	json_t *arr;
};

static void
scan_report(enum scan_outcome o, const char *file, const char *dossier, const char *item,
    const char *why, void *baton)
{
	struct scan_out *s = baton;
	static const char *const names[] = {"attached", "unassigned", "refused", "skipped"};

	if (s->arr) {
		json_t *j = json_pack("{s:s,s:s}", "file", file, "outcome", names[o]);
		if (dossier)
			json_object_set_new(j, "dossier", json_string(dossier));
		if (item)
			json_object_set_new(j, "item", json_string(item));
		if (why)
			json_object_set_new(j, "reason", json_string(why));
		json_array_append_new(s->arr, j);
		return;
	}
	switch (o) {
	case SCAN_ATTACHED:
		printf(_("attached: %s -> %s %s\n"), file, dossier, item);
		break;
	case SCAN_UNASSIGNED:
		printf(_("to assign by hand: %s (%s)\n"), file, why);
		break;
	case SCAN_REFUSED:
		printf(_("refused: %s (%s)\n"), file, why);
		break;
	case SCAN_SKIPPED:
		printf(_("skipped: %s (%s)\n"), file, why);
		break;
	}
}

static int
scans_exec(struct cli *c, int argc, char **argv)
{
	bool assign = false;
	const struct opt opts[] = {{"assign", OPT_FLAG, &assign}, {NULL, 0, NULL}};
	char *pos[3];
	int npos, counts[4];
	struct scan_out so = {c, NULL};

	if (opts_parse(argc, argv, opts, pos, &npos, 3) != 0 || npos != (assign ? 3 : 1))
		return cli_usage_cmd(c);
	if (assign) {
		if (scans_assign(c->st, &c->user, pos[0], pos[1], pos[2], &c->e) != 0)
			return cli_fail(c);
		if (c->json)
			return cli_print_json(json_pack("{s:s,s:s,s:s}", "file", pos[0], "dossier", pos[1], "item", pos[2]));
		printf(_("attached: %s -> %s %s\n"), pos[0], pos[1], pos[2]);
		return 0;
	}
	if (c->json)
		so.arr = json_array();
	if (scans_import(c->st, &c->user, pos[0], scan_report, &so, counts, &c->e) != 0) {
		json_decref(so.arr);
		return cli_fail(c);
	}
	if (c->json)
		return cli_print_json(json_pack("{s:o,s:i,s:i,s:i,s:i}", "files", so.arr,
		    "attached", counts[SCAN_ATTACHED], "unassigned", counts[SCAN_UNASSIGNED],
		    "refused", counts[SCAN_REFUSED], "skipped", counts[SCAN_SKIPPED]));
	printf(_("%d attached, %d to assign by hand (dibao import scans --assign FILE DOSSIER ITEM), %d refused, %d skipped\n"),
	    counts[SCAN_ATTACHED], counts[SCAN_UNASSIGNED], counts[SCAN_REFUSED], counts[SCAN_SKIPPED]);
	return counts[SCAN_REFUSED] ? 1 : 0;
}

static int
roster_out_exec(struct cli *c, int argc, char **argv)
{
	const char *out = NULL;
	int hh, persons;

	/* -o FILE as CLI.md writes it (opts.c knows long options only) */
	for (int k = 0; k < argc; k++) {
		if ((strcmp(argv[k], "-o") == 0 || strcmp(argv[k], "--output") == 0) && k + 1 < argc && out == NULL)
			out = argv[++k];
		else
			return cli_usage_cmd(c);
	}
	if (out == NULL)
		return cli_usage_cmd(c);
	if (roster_export(c->st, &c->user, out, &hh, &persons, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:i,s:i}", "file", out, "households", hh, "persons", persons));
	printf(_("%s: %d households, %d persons\n"), out, hh, persons);
	return 0;
}

const struct cmd_entry cmds_import[] = {
	{"import", "roster", "import roster FILE [--dry-run]",
	    N_("migrate households from an Excel ledger (CSV in UTF-8 or GBK, or XLSX; admin); all or nothing, every problem reported by row and column"),
	    NEEDS_USER, roster_in_exec},
	{"import", "scans", "import scans DIR | import scans --assign FILE DOSSIER ITEM",
	    N_("attach scans named <dossier>_<item>[_…].jpg|png|pdf to checklist items; list the others for assignment"),
	    NEEDS_USER, scans_exec},
	{"export", "roster", "export roster -o FILE.csv|FILE.xlsx",
	    N_("the roster (花名册) of active households for the county: full ID numbers and bank accounts, never confidential flags"),
	    NEEDS_USER, roster_out_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
