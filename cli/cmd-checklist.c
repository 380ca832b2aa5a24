/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-checklist.c — `dibao checklist incomplete [--village V] [--csv FILE]`
 * (issue 15 point 8): the open dossiers whose checklist lacks what their
 * next stage needs, as the dashboard counts them (store:
 * checklist_incomplete); the CSV is UTF-8 with a BOM, guarded against
 * formulas (print/list-out.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "store/checklist.h"
#include "store/err.h"

struct inc_baton {
	json_t *arr;
	FILE *csv;
	int n;
};

static int
inc_row(const struct dossier *d, enum status next, const char *missing, void *baton)
{
	struct inc_baton *b = baton;
	const char *head = d->n_members ? d->members[d->head].name : "";
	b->n++;
	if (b->arr)
		json_array_append_new(b->arr, json_pack("{s:s,s:s,s:s,s:s,s:s}", "dossier", d->no, "head", head,
		    "village", d->village, "next", status_terms[next].en, "missing", missing));
	if (b->csv) {
		const char *cells[] = {d->no, head, d->village, status_terms[next].zh, missing};
		list_csv_row(b->csv, cells, 5);
	}
	if (!b->arr && !b->csv)
		printf("%s  %s  %s  → %s  %s %s\n", d->no, head, d->village, status_terms[next].zh, _("missing:"), missing);
	return 0;
}

static int
incomplete_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *csv = NULL;
	char *pos[1];
	int npos = 0;
	const struct opt opts[] = {{"village", OPT_VALUE, &village}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL}};
	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || npos != 0)
		return cli_usage_cmd(c);
	struct inc_baton b = {c->json ? json_array() : NULL, NULL, 0};
	if (csv) {
		const char *head[] = {_("Dossier"), _("Head"), _("Village"), _("Next stage"), _("Missing")};
		if ((b.csv = list_csv_open(&c->e, csv, head, 5)) == NULL) {
			json_decref(b.arr);
			return cli_fail(c);
		}
	}
	int r = checklist_incomplete(c->st, village, inc_row, &b, &c->e);
	if (b.csv && r != 0)
		list_csv_abort(b.csv);
	else if (b.csv && list_csv_close(&c->e, b.csv, csv) != 0)
		r = -1;
	if (r != 0) {
		json_decref(b.arr);
		return cli_fail(c);
	}
	if (b.arr)
		return cli_print_json(b.arr);
	if (csv)
		printf(_("%d rows written to %s\n"), b.n, csv);
	else if (b.n == 0)
		printf("%s\n", _("every open dossier has what its next stage needs"));
	return 0;
}

const struct cmd_entry cmds_checklist[] = {
	{"checklist", "incomplete", "checklist incomplete [--village NAME] [--csv FILE]",
	    N_("the open dossiers whose checklist lacks what the next stage needs"), NEEDS_STORE, incomplete_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
