/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-screen.c — `dibao screen KIND` (重点筛查, SPEC 7): the lists of people
 * and households to visit, each printable with a column for the visit, and
 * `dibao screen visit-record` to record what a visit found.  ID numbers
 * are masked (first 6, last 4): these lists go out to village cadres.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/ledger-model.h"
#include "store/err.h"
#include "store/screen.h"

#define SCREEN_USAGE "screen disabled|ill|exited|rejected|poor|visit|overdue [--since YYYY-MM-DD] [--village NAME] [--pdf FILE] [--csv FILE]\n" \
	"  dibao screen visit-record KIND DOSSIER --outcome TEXT"

static int
visit_exec(struct cli *c, int argc, char **argv)
{
	const char *outcome = NULL;
	const struct opt opts[] = {{"outcome", OPT_VALUE, &outcome}, {NULL, 0, NULL}};
	char *pos[2];
	int npos, k;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2 || !outcome)
		return cli_usage(SCREEN_USAGE);
	if ((k = cli_parse_term(c, _("screening list"), screen_terms, SCR__N, pos[0])) < 0 ||
	    visit_record(c->st, &c->user, (enum screen_kind)k, pos[1], outcome, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("visit recorded for %s\n"), pos[1]);
	return c->json ? cli_print_json(json_pack("{s:s,s:s}", "dossier", pos[1], "list", screen_terms[k].en)) : 0;
}

static int
screen_exec(struct cli *c, int argc, char **argv)
{
	const char *since = NULL, *pdf = NULL, *csv = NULL, *village = NULL;
	const struct opt opts[] = {
		{"since", OPT_VALUE, &since}, {"village", OPT_VALUE, &village}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[4];
	int npos, k, ret = 0;
	dbdate_t s = 0;
	struct list_table b = {0};

	if (argc > 0 && strcmp(argv[0], "visit-record") == 0)
		return visit_exec(c, argc - 1, argv + 1);
	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(SCREEN_USAGE);
	if ((k = cli_parse_term(c, _("screening list"), screen_terms, SCR__N, pos[0])) < 0 ||
	    (since && cli_parse_date(c, "--since", since, &s) != 0))
		return cli_fail(c);
	if (screen_write(c->st, &c->user, (enum screen_kind)k, s, village, pdf, csv, &b, &c->e) != 0)
		return cli_fail(c);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < b.n; i++)
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "dossier", list_row(&b, i)[1],
			    "village", list_row(&b, i)[2], "name", list_row(&b, i)[4], "id", list_row(&b, i)[5], "reason", list_row(&b, i)[6],
			    "visited", list_row(&b, i)[7], "outcome", list_row(&b, i)[8]));
		ret = cli_print_json(a);
	} else if (!csv && !pdf) {
		for (size_t i = 0; i < b.n; i++)
			printf("%s %s %s %s %s %s %s\n", list_row(&b, i)[1], list_row(&b, i)[2], list_row(&b, i)[4], list_row(&b, i)[5], list_row(&b, i)[6],
			    list_row(&b, i)[7], list_row(&b, i)[8]);
		printf(_("%zu on the list\n"), b.n);
	}
	list_free(&b);
	return ret;
}

const struct cmd_entry cmds_screen[] = {
	{"screen", NULL, SCREEN_USAGE,
	    N_("screening lists (重点筛查) with visit outcomes; visit-record records one (ID numbers masked)"),
	    NEEDS_USER, screen_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
