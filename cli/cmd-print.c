/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-print.c — `dibao print --list`, `dibao print FORM --dossier NO -o
 * FILE.pdf [--reprint] [--copies N]` and `dibao verify CODE`.
 *
 * Printing changes no case data, so every role may print (the inspector
 * too); each print is recorded and audited by the print job.  verify
 * finds the print through its code and says whether the dossier has
 * changed since the sheet was printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array.h"
#include "cli/cli.h"
#include "print/forms.h"
#include "print/verify.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/prints.h"
#include "store/settings.h"
#include "store/village.h"

static const char *const needs_names[] = {"dossier", "village", "month"};

static int
list_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;

	(void)argv;
	if (argc != 0)
		return cli_usage_cmd(c);
	for (const struct form_def *f = form_table; f->name; f++) {
		if (arr)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "form", f->name, "title", f->title,
			    "number", f->number, "needs", needs_names[f->needs]));
		else
			printf("%-14s %s\n", f->name, f->title);
	}
	return arr ? cli_print_json(arr) : 0;
}

struct nos {
	char (*v)[DOSSIER_NO_LEN + 1];
	int n, cap;
};

static int
collect_no(const struct dossier *d, void *baton)
{
	struct nos *l = baton;
	size_t cap = (size_t)l->cap;
	void *p = array_grow(l->v, &cap, (size_t)l->n + 1, sizeof *l->v);
	if (p == NULL)
		return 1;
	l->v = p;
	l->cap = (int)cap;
	strcpy(l->v[l->n++], d->no);
	return 0;
}

/* Send the PDF to the default printer where CUPS is installed. */
static int
send_to_printer(struct cli *c, const char *path)
{
	return print_lp(path, false, &c->e) != 0 ? cli_fail(c) : 0;
}

/* One dossier form for every dossier of a village and/or status, as one
 * document (the fonts load once: hundreds of pages a second). */
static int
batch_exec(struct cli *c, const char *form, const char *village, const char *status, const char *out)
{
	struct dossier_filter f = {.status = -1};
	struct village vl;
	struct nos l = {0};
	int ret;

	if (cli_dossier_filter(c, status, village, &f, &vl) != 0)
		return cli_fail(c);
	if (dossier_list(c->st, &f, collect_no, &l, &c->e) != 0) {
		free(l.v);
		return cli_fail(c);
	}
	const char **nos = malloc((size_t)(l.n ? l.n : 1) * sizeof *nos);
	if (nos == NULL) {
		free(l.v);
		return 3;
	}
	for (int i = 0; i < l.n; i++)
		nos[i] = l.v[i];
	int printed = 0;
	ret = print_batch_run(c->st, &c->user, form, nos, l.n, out, NULL, &printed, NULL, &c->e);
	free(nos);
	free(l.v);
	if (ret != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:i,s:s}", "form", form, "dossiers", printed, "file", out));
	const struct form_def *fd = form_find(form);
	printf(_("%s of %d dossiers written to %s, each with its verification code\n"), fd ? fd->title : form, printed, out);
	if (printed < l.n)
		printf(_("(%d dossiers left out: the form does not apply to them)\n"), l.n - printed);
	return 0;
}

static int
print_exec(struct cli *c, int argc, char **argv)
{
	const char *dossier = NULL, *village = NULL, *month = NULL, *out = NULL, *copies = NULL, *status = NULL;
	bool reprint = false, lp = false;
	const struct opt opts[] = {
		{"dossier", OPT_VALUE, &dossier}, {"village", OPT_VALUE, &village}, {"month", OPT_VALUE, &month},
		{"output", OPT_VALUE, &out}, {"reprint", OPT_FLAG, &reprint}, {"status", OPT_VALUE, &status},
		{"copies", OPT_VALUE, &copies}, {"lp", OPT_FLAG, &lp}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	long n = 1;
	struct print_job job;

	/* CLI.md's "-o FILE": the option parser knows long names only */
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = (char *)"--output";
	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || out == NULL)
		return cli_usage_cmd(c);
	const struct form_def *def = form_find(pos[0]);
	if (def != NULL && def->needs == FORM_DOSSIER && dossier == NULL && (village || status) && !month && !reprint) {
		int r = batch_exec(c, pos[0], village, status, out);
		return r == 0 && lp ? send_to_printer(c, out) : r;
	}
	/* a village form without --village: the print path says whether it
	 * covers the township (the incomplete checklists do, issue 15) */
	int given = (dossier != NULL) + (village != NULL) + (month != NULL);
	if ((given != 1 && !(given == 0 && def != NULL && def->needs == FORM_VILLAGE)) || status)
		return cli_usage_cmd(c);
	if (copies && cli_parse_int(c, "--copies", copies, 1, 100, &n) != 0)
		return cli_fail(c);
	memset(&job, 0, sizeof job);
	job.form = pos[0];
	job.dossier = dossier;
	job.village = village;
	if (month && cli_parse_month(c, "--month", month, &job.month) != 0)
		return cli_fail(c);
	job.reprint = reprint;
	job.copies = (int)n;
	job.out = out;
	if (print_job_run(c->st, &c->user, &job, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:i,s:s?}", "form", job.rec.form,
		    "dossier", job.rec.dossier, "scope", job.rec.scope, "code", job.rec.code, "version", (json_int_t)job.rec.version,
		    "print", (json_int_t)job.rec.seq, "copies", job.rec.copies,
		    "reprint", job.reprint_note[0] ? job.reprint_note : NULL));
	/* the form by its title, as the console and the page name it */
	const struct form_def *fd = form_find(job.rec.form);
	const char *title = fd ? fd->title : job.rec.form;
	if (job.rec.dossier[0])
		printf(_("%s of %s (version %u) written to %s; verification code %s\n"), title,
		    job.rec.dossier, job.rec.version, out, job.rec.code);
	else {
		char subject[TEXT_SHORT + 32];
		print_scope_words(job.rec.scope, subject, sizeof subject);
		printf(_("%s of %s written to %s; verification code %s\n"), title, subject, out, job.rec.code);
	}
	if (job.reprint_note[0])
		printf("%s\n", job.reprint_note);
	return lp ? send_to_printer(c, out) : 0;
}

struct verify_baton {
	struct cli *c;
	json_t *arr;
	int n, bad;
};

/* A village or month form: would it print the same today? */
static int
verify_list(struct verify_baton *b, const struct print_verdict *v)
{
	const struct prints_entry *p = v->p;

	if (b->arr) {
		json_array_append_new(b->arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:b}",
		    "print", (json_int_t)p->seq, "form", p->form, "title", v->form ? v->form->title : "", "scope", p->scope,
		    "operator", p->op, "time", v->when, "copies", p->copies, "reprint_of", (json_int_t)p->reprint_of,
		    "changed", v->changed));
		return 0;
	}
	char label[160], subject[TEXT_SHORT + 32];
	form_label(p->form, label, sizeof label);
	print_scope_words(p->scope, subject, sizeof subject);
	printf(_("print %u: %s of %s, printed by %s on %s%s\n"), p->seq, label, subject,
	    p->op, v->when, p->reprint_of ? _(" (reprint)") : "");
	if (!v->changed)
		printf("%s\n", _("  matches the database: the list would be printed the same today"));
	else
		printf("%s\n", _("  the list has changed since it was printed: printed today it would differ"));
	return 0;
}

static int
verify_fn(const struct print_verdict *v, void *baton)
{
	struct verify_baton *b = baton;
	const struct prints_entry *p = v->p;

	if (v->damaged) {
		b->bad++;
		return 0;
	}
	b->n++;
	if (v->list)
		return verify_list(b, v);
	if (b->arr) {
		json_array_append_new(b->arr, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:i,s:I,s:b,s:I}",
		    "print", (json_int_t)p->seq, "form", p->form, "title", v->form ? v->form->title : "",
		    "dossier", p->dossier, "version", (json_int_t)p->version, "operator", p->op, "time", v->when,
		    "copies", p->copies, "reprint_of", (json_int_t)p->reprint_of, "changed", v->changed,
		    "current_version", (json_int_t)v->current_version));
		return 0;
	}
	char label[160];
	form_label(p->form, label, sizeof label);
	printf(_("print %u: %s of dossier %s, record version %u, printed by %s on %s%s\n"), p->seq, label,
	    p->dossier, p->version, p->op, v->when, p->reprint_of ? _(" (reprint)") : "");
	if (v->gone)
		printf("%s\n", _("  the dossier is no longer in the database"));
	else if (!v->changed)
		printf("%s\n", _("  matches the database: the dossier has not changed since it was printed"));
	else
		printf(_("  the dossier has changed since it was printed: printed version %u, now version %u\n"),
		    p->version, v->current_version);
	return 0;
}

static int
verify_exec(struct cli *c, int argc, char **argv)
{
	char code[PRINT_CODE_LEN + 1];
	struct verify_baton b;

	if (argc != 1)
		return cli_usage_cmd(c);
	if (verify_code_parse(argv[0], code) != 0)
		return cli_refuse(c, _("%s is not a verification code (XXXX-XXXX-XX)"), argv[0]);
	memset(&b, 0, sizeof b);
	b.c = c;
	b.arr = c->json ? json_array() : NULL;
	if (!c->json)
		printf(_("verification code %s\n"), code);
	if (print_verify(c->st, code, verify_fn, &b, &c->e) != 0) {
		json_decref(b.arr);
		return cli_fail(c);
	}
	if (b.n == 0) {
		json_decref(b.arr);
		if (b.bad)
			return cli_refuse(c, _("verification code %s: the print record does not match its code (damaged or altered)"), code);
		return cli_refuse(c, _("verification code %s: no form printed here carries this code; the sheet does not match the database"), code);
	}
	if (b.arr)
		return cli_print_json(json_pack("{s:s,s:b,s:o}", "code", code, "matches", 1, "prints", b.arr));
	return 0;
}

const struct cmd_entry cmds_print[] = {
	{"print", "--list", "print --list", N_("the printable forms: one a line, its FORM name and its Chinese title"),
	    NEEDS_NOTHING, list_exec},
	{"print", NULL, "print FORM (--dossier NO | --village NAME | --month YYYY-MM) -o|--output FILE.pdf [--reprint] [--copies N] [--lp]\n"
	    "  dibao print FORM [--village NAME] [--status S] -o FILE.pdf   (a dossier form for many dossiers at once)",
	    N_("print a form as an A4 PDF with its verification code; the print is recorded (--reprint: a 补打 of an earlier print)"),
	    NEEDS_USER, print_exec},
	{"verify", NULL, "verify CODE",
	    N_("check a printed sheet's verification code: which print and record version it is, and whether the dossier has changed since"),
	    NEEDS_STORE, verify_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
