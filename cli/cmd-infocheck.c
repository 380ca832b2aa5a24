/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-infocheck.c — `dibao infocheck set` and `dibao infocheck`: the
 * information-check results of a dossier (信息核对), one per agency.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "import/dossier-json.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/err.h"

void
cli_print_checks(const struct dossier *d, const char *label, bool all)
{
	char ds[11];

	for (int a = 0; a < AG__N; a++) {
		const struct info_check *c = dossier_check(d, (enum check_agency)a);
		if (c == NULL && !all)
			continue;
		fputs(label, stdout);
		cli_printf_cols(agency_terms[a].zh, 8);
		if (c == NULL) {
			printf("%s\n", _("(not recorded)"));
			continue;
		}
		date_format(c->date, ds);
		printf("%s  ", ds);
		cli_printf_cols(c->recorded_by, 10);
		printf("%s\n", c->result);
	}
}

static int
set_exec(struct cli *c, int argc, char **argv)
{
	const char *agency = NULL, *result = NULL, *date = NULL;
	const struct opt opts[] = {
		{"agency", OPT_VALUE, &agency}, {"result", OPT_VALUE, &result}, {"date", OPT_VALUE, &date},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos, a;
	dbdate_t on = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !agency || !result)
		return cli_usage_cmd(c);
	if ((a = cli_parse_term(c, _("agency"), agency_terms, AG__N, agency)) < 0 ||
	    (date && cli_parse_date(c, _("check date"), date, &on) != 0) ||
	    infocheck_set(c->st, &c->user, pos[0], (enum check_agency)a, result, on, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("information check of %s recorded in %s\n"), agency_terms[a].zh, pos[0]);
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, 0, NULL}};
	int r;
	struct dossier *d;

	if ((r = cli_dossier_arg(c, argc, argv, opts, &d)) != 0)
		return r;
	if (c->json)
		r = cli_print_json(info_checks_json(d));
	else
		cli_print_checks(d, "", true);
	free(d);
	return r;
}

const struct cmd_entry cmds_infocheck[] = {
	{"infocheck", "set", "infocheck set DOSSIER --agency AGENCY --result TEXT [--date YYYY-MM-DD]",
	    N_("record an agency's information-check result (信息核对); the date defaults to today; "
	    "recording an agency again replaces its result (the earlier one stays in the audit)"),
	    NEEDS_USER, set_exec},
	{"infocheck", NULL, "infocheck DOSSIER",
	    N_("the information-check results of a dossier, one line per agency"), NEEDS_STORE, list_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
