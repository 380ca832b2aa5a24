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
#include "print/print.h"

#define SCREEN_USAGE "screen disabled|ill|exited|rejected|poor|visit|overdue [--since YYYY-MM-DD] [--pdf FILE] [--csv FILE]\n" \
	"  dibao screen visit-record KIND DOSSIER --outcome TEXT"

static const char *const head[] = {
	"序号", "档案编号", "村（社区）", "组", "姓名", "身份证号码", "筛查原因", "走访日期", "走访结果",
};

struct srow {
	char c[9][TEXT_MEDIUM];
};

struct sbaton {
	struct srow *v;
	size_t n, cap;
	bool oom;
};

static int
collect(const struct screen_row *r, void *baton)
{
	struct sbaton *b = baton;
	char masked[ID_LEN + 1] = "", d[11];

	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 32;
		void *nv = realloc(b->v, ncap * sizeof *b->v);
		if (nv == NULL) {
			b->oom = true;
			return 1;
		}
		b->v = nv;
		b->cap = ncap;
	}
	struct srow *x = &b->v[b->n++];
	memset(x, 0, sizeof *x);
	if (r->m)
		id_mask(r->m->id, masked);
	date_format(r->visited, d);
	snprintf(x->c[0], sizeof x->c[0], "%zu", b->n);
	snprintf(x->c[1], sizeof x->c[1], "%s", r->d->no);
	snprintf(x->c[2], sizeof x->c[2], "%s", r->d->village);
	snprintf(x->c[3], sizeof x->c[3], "%s", r->d->group);
	snprintf(x->c[4], sizeof x->c[4], "%s", r->m ? r->m->name : "");
	snprintf(x->c[5], sizeof x->c[5], "%s", masked);
	snprintf(x->c[6], sizeof x->c[6], "%s", r->reason);
	snprintf(x->c[7], sizeof x->c[7], "%s", d);
	snprintf(x->c[8], sizeof x->c[8], "%s", r->outcome);
	return 0;
}

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
	const char *since = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"since", OPT_VALUE, &since}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[4];
	int npos, k, ret = 0;
	dbdate_t s = 0;
	struct sbaton b = {0};

	if (argc > 0 && strcmp(argv[0], "visit-record") == 0)
		return visit_exec(c, argc - 1, argv + 1);
	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(SCREEN_USAGE);
	if ((k = cli_parse_term(c, _("screening list"), screen_terms, SCR__N, pos[0])) < 0 ||
	    (since && cli_parse_date(c, "--since", since, &s) != 0))
		return cli_fail(c);
	if (screen_list(c->st, (enum screen_kind)k, s, collect, &b, &c->e) != 0)
		goto fail;
	if (b.oom) {
		err_set(&c->e, E_STORAGE, "%s", _("out of memory"));
		goto fail;
	}
	if (csv) {
		FILE *f = csv_open(c, csv, head, 9);
		if (f == NULL)
			goto fail;
		for (size_t i = 0; i < b.n; i++) {
			const char *cells[9];
			for (int j = 0; j < 9; j++)
				cells[j] = b.v[i].c[j];
			csv_row(f, cells, 9);
		}
		if (csv_close(c, f, csv) != 0)
			goto fail;
	}
	if (pdf) {
		char title[160];
		struct print_table t = {
			.ncols = 8, .width_mm = {8, 28, 16, 18, 28, 30, 14, 14},
			.header = {"序号", "档案编号", "村（社区）", "姓名", "身份证号码", "筛查原因", "走访日期", "走访结果（签字）"},
			.size = 8.0f, .pad_mm = 0.8f,
		};
		snprintf(title, sizeof title, "重点筛查名单（%s）", screen_terms[k].zh);
		struct print_doc *doc = pdf_begin(c, title, NULL, c->user.login, 0, "");
		if (doc == NULL || print_table_header(doc, &t) != 0) {
			if (doc)
				pdf_fail(c, doc);
			goto fail;
		}
		for (size_t i = 0; i < b.n; i++) {
			const char *cells[8] = {b.v[i].c[0], b.v[i].c[1], b.v[i].c[2], b.v[i].c[4], b.v[i].c[5],
			    b.v[i].c[6], b.v[i].c[7], b.v[i].c[8]};
			if (print_table_row(doc, &t, cells) != 0) {
				pdf_fail(c, doc);
				goto fail;
			}
		}
		static const char *const roles[] = {"走访人", "经办人"};
		if (pdf_sign_and_seal(c, doc, roles, 2) != 0 || pdf_end(c, doc, pdf) != 0)
			goto fail;
	}
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < b.n; i++)
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "dossier", b.v[i].c[1],
			    "village", b.v[i].c[2], "name", b.v[i].c[4], "id", b.v[i].c[5], "reason", b.v[i].c[6],
			    "visited", b.v[i].c[7], "outcome", b.v[i].c[8]));
		ret = cli_print_json(a);
	} else if (!csv && !pdf) {
		for (size_t i = 0; i < b.n; i++)
			printf("%s %s %s %s %s %s %s\n", b.v[i].c[1], b.v[i].c[2], b.v[i].c[4], b.v[i].c[5], b.v[i].c[6],
			    b.v[i].c[7], b.v[i].c[8]);
		printf(_("%zu on the list\n"), b.n);
	}
	free(b.v);
	return ret;
fail:
	free(b.v);
	return cli_fail(c);
}

const struct cmd_entry cmds_screen[] = {
	{"screen", NULL, SCREEN_USAGE,
	    N_("screening lists (重点筛查) with visit outcomes; visit-record records one (ID numbers masked)"),
	    NEEDS_USER, screen_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
