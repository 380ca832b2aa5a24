/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-case.c — the case procedure on the command line: `advance`,
 * `reject`, `review`, `exit`, `calc`, `checklist` and `checklist mark`,
 * `checklist template`, `member head`.  Refusals list every reason with its
 * rule code (exit 1); warnings are shown on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/calc.h"
#include "store/case.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"

static json_t *
rules_json(const struct case_result *r)
{
	json_t *a = json_array();
	for (int i = 0; i < r->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:b,s:s}", "code", r->r[i].code,
		    "blocking", r->r[i].blocking, "message", r->r[i].message));
	return a;
}

static void
warnings(const struct case_result *r)
{
	for (int i = 0; i < r->n; i++)
		if (!r->r[i].blocking)
			fprintf(stderr, _("dibao: warning: %s\n"), r->r[i].message);
}

static int
parse_category(struct cli *c, const char *s, char *out)
{
	if (s == NULL)
		return 0;
	if (strlen(s) != 1 || (s[0] != 'A' && s[0] != 'B' && s[0] != 'C'))
		return err_set(&c->e, E_REFUSED, _("category: one of A, B, C (%s)"), s);
	*out = s[0];
	return 0;
}

static int
done(struct cli *c, const char *no, const struct case_result *r, const char *what)
{
	char t[32], o[32];
	warnings(r);
	if (r->gradual_last != 0) {
		/* integrity (i12): the amount is kept, say until when */
		char lm[8], xm[8];
		month_format(r->gradual_last, lm);
		month_format(month_add(r->gradual_last, 1), xm);
		if (c->json)
			return cli_print_json(json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:o}", "dossier", no, "from",
			    status_terms[r->from].en, "status", status_terms[r->to].en, "total", (json_int_t)r->old_total,
			    "computed", (json_int_t)r->calc.total, "gradual_exit_until", lm, "exit_month", xm, "rules", rules_json(r)));
		money_format(r->old_total, o);
		money_format(r->calc.total, t);
		printf("%s: %s -> %s (%s)\n", no, status_terms[r->from].zh, status_terms[r->to].zh, what);
		printf(_("gradual exit: the monthly amount %s yuan is kept through %s (the review computed %s); the case exits in %s (income above the line)\n"),
		    o, lm, t, xm);
		return 0;
	}
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s,s:I,s:o}", "dossier", no, "from",
		    status_terms[r->from].en, "status", status_terms[r->to].en,
		    "total", (json_int_t)(r->have_calc ? r->calc.total : r->old_total), "rules", rules_json(r)));
	printf("%s: %s -> %s (%s)\n", no, status_terms[r->from].zh, status_terms[r->to].zh, what);
	if (r->to == ST_APPROVED || (r->have_calc && r->calc.total != r->old_total && r->from == ST_APPROVED)) {
		money_format(r->old_total, o);
		money_format(r->calc.total, t);
		printf(_("monthly amount: %s yuan (was %s)\n"), t, o);
	}
	return 0;
}

static int
advance_exec(struct cli *c, int argc, char **argv)
{
	const char *surveyors = NULL, *note = NULL, *date = NULL, *part = NULL, *reps = NULL,
	    *override = NULL, *category = NULL;
	const struct opt opts[] = {
		{"surveyors", OPT_VALUE, &surveyors}, {"note", OPT_VALUE, &note}, {"date", OPT_VALUE, &date},
		{"participants", OPT_VALUE, &part}, {"representatives", OPT_VALUE, &reps},
		{"override", OPT_VALUE, &override}, {"category", OPT_VALUE, &category}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	long v;
	struct case_opts o = {0};
	struct case_result *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	o.surveyors = surveyors;
	o.note = note;
	o.override = override;
	if (date && cli_parse_date(c, "--date", date, &o.date) != 0)
		return cli_fail(c);
	if (part) {
		if (cli_parse_int(c, "--participants", part, 1, 10000, &v) != 0)
			return cli_fail(c);
		o.participants = (int)v;
	}
	if (reps) {
		if (cli_parse_int(c, "--representatives", reps, 0, 10000, &v) != 0)
			return cli_fail(c);
		o.representatives = (int)v;
	}
	if (parse_category(c, category, &o.category) != 0)
		return cli_fail(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return 3;
	int ret = case_advance(c->st, &c->user, pos[0], &o, r, &c->e) != 0 ? cli_fail(c) :
	    done(c, pos[0], r, _("advanced"));
	free(r);
	return ret;
}

static int
reject_exec(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL;
	const struct opt opts[] = {{"reason", OPT_VALUE, &reason}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	struct case_result *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || reason == NULL)
		return cli_usage_cmd(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return 3;
	int ret = case_reject(c->st, &c->user, pos[0], reason, r, &c->e) != 0 ? cli_fail(c) :
	    done(c, pos[0], r, _("rejected; notify the applicant in writing within 3 working days"));
	free(r);
	return ret;
}

static int
review_exec(struct cli *c, int argc, char **argv)
{
	const char *category = NULL, *note = NULL;
	bool gradual = false;
	const struct opt opts[] = {
		{"category", OPT_VALUE, &category}, {"note", OPT_VALUE, &note},
		{"gradual-exit", OPT_FLAG, &gradual}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	struct case_opts o = {0};
	struct case_result *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	o.note = note;
	o.gradual_exit = gradual;
	if (parse_category(c, category, &o.category) != 0)
		return cli_fail(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return 3;
	int ret = case_review(c->st, &c->user, pos[0], &o, r, &c->e) != 0 ? cli_fail(c) :
	    done(c, pos[0], r, gradual ? _("reviewed: gradual exit") : r->calc.total != r->old_total ?
	    _("reviewed: amount changed") : _("reviewed: unchanged"));
	free(r);
	return ret;
}

static int
exit_exec(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL, *note = NULL;
	const struct opt opts[] = {{"reason", OPT_VALUE, &reason}, {"note", OPT_VALUE, &note}, {NULL, 0, NULL}};
	char *pos[1];
	int npos, k;
	struct case_opts o = {0};
	struct case_result *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || reason == NULL)
		return cli_usage_cmd(c);
	if ((k = cli_parse_term(c, _("exit reason"), exit_terms, EXIT__N, reason)) <= 0) {
		if (k == 0)
			err_set(&c->e, E_REFUSED, "%s", _("reason: one of income, death, moved, voluntary, violation, other"));
		return cli_fail(c);
	}
	o.exit_reason = (enum exit_reason)k;
	o.note = note;
	if ((r = malloc(sizeof *r)) == NULL)
		return 3;
	int ret = case_exit(c->st, &c->user, pos[0], &o, r, &c->e) != 0 ? cli_fail(c) :
	    done(c, pos[0], r, exit_terms[k].zh);
	free(r);
	return ret;
}

static json_t *
calc_json(const char *no, const struct calc_record *k, const struct case_result *r)
{
	char m[8];
	json_t *members = json_array();
	month_format(k->month, m);
	for (int i = 0; i < k->n; i++)
		json_array_append_new(members, json_pack("{s:s,s:b,s:b,s:i,s:s,s:I,s:I,s:I}", "id", k->m[i].id,
		    "living", k->m[i].living, "guaranteed", k->m[i].guaranteed, "age", k->m[i].age,
		    "addon_category", addon_terms[k->m[i].cat].en, "own_income", (json_int_t)k->m[i].own_income,
		    "base", (json_int_t)k->m[i].base, "addon", (json_int_t)k->m[i].addon));
	json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:i,s:i,s:I,s:I,s:I}", "dossier", no, "month", m,
	    "standard", (json_int_t)k->standard, "household_income", (json_int_t)k->household_income,
	    "per_capita", (json_int_t)k->per_capita, "members", k->members, "guaranteed", k->guaranteed,
	    "base", (json_int_t)k->base, "addons", (json_int_t)k->addons, "total", (json_int_t)k->total);
	month_format(k->standard_from, m);
	json_object_set_new(j, "standard_from", json_string(m));
	json_object_set_new(j, "income", json_integer(k->income));
	json_object_set_new(j, "excluded_income", json_integer(k->excluded));   /* i12 */
	json_object_set_new(j, "expenses", json_integer(k->expenses));
	json_object_set_new(j, "support", json_string(support_terms[k->support].en));
	json_object_set_new(j, "poverty", json_string(poverty_terms[k->poverty].en));
	json_object_set_new(j, "unrounded", json_integer(k->unrounded));
	json_object_set_new(j, "detail", members);
	if (r)
		json_object_set_new(j, "rules", rules_json(r));
	return j;
}

static void
calc_text(const struct dossier *d, const struct calc_record *k, const struct case_result *r)
{
	char a[32], b[32], m[8];
	month_format(k->month, m);
	money_format(k->standard, a);
	printf(_("calculation of %s for %s (%s, %s)\n"), d->no, m, support_terms[k->support].zh, poverty_terms[k->poverty].zh);
	month_format(k->standard_from, m);
	printf(_("  standard S            %s yuan (in force from %s)\n"), a, m);
	money_format(k->income, a);
	money_format(k->expenses, b);
	printf(_("  income / expenses     %s / %s yuan\n"), a, b);
	if (k->excluded != 0) {   /* i12 */
		money_format(k->excluded, a);
		printf(_("  not counted (excluded by the rules) %s yuan\n"), a);
	}
	money_format(k->household_income, a);
	printf(_("  household income H    %s yuan\n"), a);
	money_format(k->per_capita, a);
	printf(_("  per capita P          %s yuan (%d living members)\n"), a, k->members);
	for (int i = 0; i < k->n; i++) {
		const struct member *mm = dossier_member_c(d, k->m[i].id);
		char idm[ID_LEN + 1];
		money_format(k->m[i].base, a);
		money_format(k->m[i].addon, b);
		printf("    ");
		cli_printf_cols(mm ? mm->name : cli_id(k->m[i].id, idm), 10);
		if (k->m[i].guaranteed)
			printf(_("base %9s  add-on %8s  %s\n"), a, b, k->m[i].cat ? addon_terms[k->m[i].cat].zh : "");
		else
			printf("%s\n", k->m[i].living ? _("not in the guarantee") : _("deceased"));
	}
	money_format(k->base, a);
	money_format(k->addons, b);
	printf(_("  base %s + add-ons %s"), a, b);
	money_format(k->unrounded, a);
	money_format(k->total, b);
	printf(_(" = %s, rounded: %s yuan per month\n"), a, b);
	for (int i = 0; r && i < r->n; i++)
		printf("  %s %s\n", r->r[i].blocking ? "✗" : "!", r->r[i].message);
}

static int
calc_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	bool stored = false;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {"stored", OPT_FLAG, &stored}, {NULL, 0, NULL}};
	char *pos[1];
	int npos, ret = 0;
	struct dossier *d = malloc(sizeof *d);
	struct case_result *r = malloc(sizeof *r);
	dbmonth_t m = month_of(store_today());
	const char *why;

	if (d == NULL || r == NULL) {
		free(d);
		free(r);
		return 3;
	}
	memset(r, 0, sizeof *r);
	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1) {
		ret = cli_usage_cmd(c);
		goto out;
	}
	if ((month && cli_parse_month(c, "--month", month, &m) != 0) || dossier_get(c->st, NULL, pos[0], d, &c->e) != 0) {
		ret = cli_fail(c);
		goto out;
	}
	if (stored) {
		/* what the approved amount was computed from, as it was */
		if (calc_get(c->st, NULL, d->no, d->proc.calc_seq, &r->calc, &c->e) != 0) {
			ret = cli_fail(c);
			goto out;
		}
		ret = c->json ? cli_print_json(calc_json(d->no, &r->calc, NULL)) : (calc_text(d, &r->calc, NULL), 0);
		goto out;
	}
	/* the rules as they stand, for no particular operator */
	if (case_rules_month(c->st, NULL, NULL, d, ST__N, false, WHEN_ALWAYS, month ? m : 0, r, &c->e) != 0) {
		ret = cli_fail(c);
		goto out;
	}
	if (month) {
		if (case_calc(c->st, NULL, d, m, &r->calc, &why, &c->e) < 0) {
			ret = cli_fail(c);
			goto out;
		}
	}
	ret = c->json ? cli_print_json(calc_json(d->no, &r->calc, r)) : (calc_text(d, &r->calc, r), 0);
out:
	free(d);
	free(r);
	return ret;
}

static int
checklist_exec(struct cli *c, int argc, char **argv)
{
	struct dossier *d;
	struct checklist_def defs[MAX_ITEMS];
	struct checklist_facts f;
	int n;
	bool kin = false;
	json_t *arr = c->json ? json_array() : NULL;

	if (argc != 1)
		return cli_usage_cmd(c);
	if ((d = malloc(sizeof *d)) == NULL)
		return 3;
	if (dossier_get(c->st, NULL, argv[0], d, &c->e) != 0 ||
	    checklist_template(c->st, NULL, defs, MAX_ITEMS, &n, &c->e) != 0 ||
	    kin_has_match(c->st, NULL, d->no, &kin, &c->e) != 0) {
		free(d);
		json_decref(arr);
		return cli_fail(c);
	}
	checklist_facts_of(d, kin, &f);
	if (!arr)
		printf(_("checklist of %s (%s)\n"), d->no, status_terms[d->status].zh);
	for (int i = 0; i < n; i++) {
		const struct checklist_def *def = &defs[i];
		const struct check_item *it = checklist_item(d, def->code);
		bool required = checklist_applies(def, &f) && def->when != WHEN_EXIT && def->when != WHEN_REVIEW;
		bool complete = checklist_item_complete(def, it);
		char rd[11] = "";
		if (it)
			date_format(it->received, rd);
		const char *stage = def->when == WHEN_REVIEW ? "REVIEW" : status_terms[def->stage].en;
		if (arr) {
			json_t *scans = json_array();
			for (int k = 0; it && k < it->n_scans; k++)
				json_array_append_new(scans, json_string(it->scans[k]));
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:s?,s:b,s:b,s:o,s:b,s:s}", "code", def->code,
			    "name", def->name, "stage", stage, "required", checklist_applies(def, &f),
			    "received", it && it->received ? rd : NULL, "signed", it && it->is_signed,
			    "stamped", it && it->stamped, "scans", scans, "complete", complete, "note", it ? it->note : ""));
			continue;
		}
		printf("  %s %-5s ", complete ? "✓" : required ? "✗" : "·", def->code);
		cli_printf_cols(def->name, 24);
		cli_printf_cols(def->when == WHEN_REVIEW ? _("periodic review") : status_terms[def->stage].zh, 10);
		printf("%s%s%s%s", rd, def->needs_sign ? (it && it->is_signed ? _(" signed") : _(" unsigned")) : "",
		    def->needs_stamp ? (it && it->stamped ? _(" stamped") : _(" not stamped")) : "",
		    it && it->n_scans ? _(" scanned") : "");
		if (!checklist_applies(def, &f))
			printf(_(" (not needed)"));
		if (it && it->note[0])
			printf("  %s", it->note);
		printf("\n");
	}
	free(d);
	return arr ? cli_print_json(arr) : 0;
}

static int
mark_exec(struct cli *c, int argc, char **argv)
{
	const char *received = NULL, *scan = NULL, *note = NULL;
	bool sign = false, stamp = false, unsign = false, unstamp = false;
	const struct opt opts[] = {
		{"received", OPT_VALUE, &received}, {"signed", OPT_FLAG, &sign}, {"stamped", OPT_FLAG, &stamp},
		{"unsigned", OPT_FLAG, &unsign}, {"unstamped", OPT_FLAG, &unstamp},
		{"scan", OPT_VALUE, &scan}, {"note", OPT_VALUE, &note}, {NULL, 0, NULL},
	};
	char *pos[2];
	int npos;
	dbdate_t rd = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2)
		return cli_usage_cmd(c);
	if (received && cli_parse_date(c, "--received", received, &rd) != 0)
		return cli_fail(c);
	if (!received && !sign && !stamp && !unsign && !unstamp && !scan && !note)
		rd = store_today(); /* plain "mark": received today */
	if (checklist_mark(c->st, &c->user, pos[0], pos[1], rd, sign ? 1 : unsign ? 0 : -1,
	    stamp ? 1 : unstamp ? 0 : -1, scan, note, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("%s of %s recorded\n"), pos[1], pos[0]);
	return 0;
}

static int
template_exec(struct cli *c, int argc, char **argv)
{
	struct checklist_def defs[MAX_ITEMS];
	int n;
	json_t *arr = c->json ? json_array() : NULL;

	if (argc != 0)
		return cli_usage_cmd(c);
	if (checklist_template(c->st, NULL, defs, MAX_ITEMS, &n, &c->e) != 0)
		return cli_fail(c);
	for (int i = 0; i < n; i++) {
		if (arr) {
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "code", defs[i].code,
			    "name", defs[i].name, "stage", status_terms[defs[i].stage].en, "when", when_terms[defs[i].when].en,
			    "sign", defs[i].needs_sign, "stamp", defs[i].needs_stamp));
			continue;
		}
		printf("%-5s ", defs[i].code);
		cli_printf_cols(defs[i].name, 24);
		cli_printf_cols(status_terms[defs[i].stage].zh, 10);
		cli_printf_cols(when_terms[defs[i].when].zh, 14);
		printf("%s%s\n", defs[i].needs_sign ? _("sign ") : "", defs[i].needs_stamp ? _("stamp") : "");
	}
	return arr ? cli_print_json(arr) : 0;
}

static int
template_set_exec(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *stage = NULL, *when = NULL;
	bool sign = false, stamp = false, nosign = false, nostamp = false;
	const struct opt opts[] = {
		{"name", OPT_VALUE, &name}, {"stage", OPT_VALUE, &stage}, {"when", OPT_VALUE, &when},
		{"sign", OPT_FLAG, &sign}, {"stamp", OPT_FLAG, &stamp}, {"no-sign", OPT_FLAG, &nosign},
		{"no-stamp", OPT_FLAG, &nostamp}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k;
	struct checklist_def defs[MAX_ITEMS], def;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	if (checklist_template(c->st, NULL, defs, MAX_ITEMS, &k, &c->e) != 0)
		return cli_fail(c);
	memset(&def, 0, sizeof def);
	def.stage = ST_ACCEPTED;
	for (int i = 0; i < k; i++)
		if (strcmp(defs[i].code, pos[0]) == 0)
			def = defs[i];
	if (def.code[0] == '\0' && (name == NULL || stage == NULL))
		return cli_refuse(c, "%s", _("a new item needs --name and --stage"));
	if (text_set(def.code, sizeof def.code, pos[0], &why) != 0)
		return cli_refuse(c, "%s: %s", _("item code"), _(why));
	if (name && text_set(def.name, sizeof def.name, name, &why) != 0)
		return cli_refuse(c, "%s: %s", _("item name"), _(why));
	if (stage) {
		if ((k = cli_parse_term(c, _("stage"), status_terms, ST__N, stage)) < 0)
			return cli_fail(c);
		def.stage = (enum status)k;
	}
	if (when) {
		if ((k = cli_parse_term(c, _("when"), when_terms, WHEN__N, when)) < 0)
			return cli_fail(c);
		def.when = (enum item_when)k;
	}
	if (sign || nosign)
		def.needs_sign = sign;
	if (stamp || nostamp)
		def.needs_stamp = stamp;
	if (checklist_template_set(c->st, &c->user, &def, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("checklist item %s saved\n"), def.code);
	return 0;
}

static int
head_exec(struct cli *c, int argc, char **argv)
{
	struct id_info info;
	const char *why;
	if (argc != 2)
		return cli_usage_cmd(c);
	if (id_check(argv[1], 99991231, &info, &why) != 0)
		return cli_refuse(c, "%s (%s)", _(why), argv[1]);
	if (member_set_head(c->st, &c->user, argv[0], info.id, &c->e) != 0)
		return cli_fail(c);
	char idm[ID_LEN + 1];
	if (!c->json)
		printf(_("%s is now the head of %s\n"), cli_id(info.id, idm), argv[0]);
	return 0;
}

static void
recalc_one(const char *no, fen_t old_total, fen_t total, const char *reason, void *baton)
{
	json_t *arr = baton;
	char a[32], b[32];
	const char *why = _(recalc_reason_text(reason));
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:s}", "dossier", no, "old_total", (json_int_t)old_total,
		    "total", (json_int_t)total, "reason", reason));
		return;
	}
	money_format(old_total, a);
	money_format(total, b);
	printf("%s  %10s -> %10s  %s\n", no, a, b, why);
}

static int
recalc_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {NULL, 0, NULL}};
	char *pos[1];
	int npos, changed;
	dbmonth_t m = month_of(store_today());
	json_t *arr = c->json ? json_array() : NULL;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	if (month && cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if (case_recalc(c->st, &c->user, m, recalc_one, arr, &changed, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	if (arr)
		return cli_print_json(arr);
	printf(_("%d amount(s) changed\n"), changed);
	return 0;
}

const struct cmd_entry cmds_case[] = {
	{"advance", NULL, "advance DOSSIER [--surveyors USER,USER] [--participants N --representatives N] [--date YYYY-MM-DD]\n"
	    "      [--category A|B|C] [--override TEXT] [--note TEXT]",
	    N_("move a case to its next stage, or be refused with every reason (survey: two surveyors; evaluation: participants and representatives; approval: the approver, after the notice)"),
	    NEEDS_USER, advance_exec},
	{"reject", NULL, "reject DOSSIER --reason TEXT",
	    N_("reject a case before approval (clerk or reviewer before review, approver after)"), NEEDS_USER, reject_exec},
	{"review", NULL, "review DOSSIER [--category A|B|C] [--gradual-exit] [--note TEXT]",
	    N_("periodic review of an approved case: recompute; unchanged or amount changed; --gradual-exit keeps the amount for the gradual-exit period"),
	    NEEDS_USER, review_exec},
	{"exit", NULL, "exit DOSSIER --reason income|death|moved|voluntary|violation|other [--note TEXT]",
	    N_("end an approved case with its reason (the exit notice TBTZ must be on the checklist)"), NEEDS_USER, exit_exec},
	{"calc", NULL, "calc DOSSIER [--month YYYY-MM] [--stored]",
	    N_("the calculation record and the rules (--stored: the record behind the approved amount)"), NEEDS_STORE, calc_exec},
	{"checklist", NULL, "checklist DOSSIER", N_("the dossier's document checklist"), NEEDS_STORE, checklist_exec},
	{"checklist", "mark", "checklist mark DOSSIER CODE [--received YYYY-MM-DD] [--signed] [--stamped] [--scan FILE] [--note TEXT]",
	    N_("record a document as received (today unless --received), signed, stamped, or attach a scan"), NEEDS_USER, mark_exec},
	{"checklist", "template", "checklist template",
	    N_("the township's checklist template"), NEEDS_STORE, template_exec},
	{"checklist", "template-set", "checklist template-set CODE [--name TEXT] [--stage STATE] [--when always|disabled|ill|kin|exit|review] [--sign|--no-sign] [--stamp|--no-stamp]",
	    N_("add or change a checklist item of the township's template (admin)"), NEEDS_USER, template_set_exec},
	{"member", "head", "member head DOSSIER ID", N_("name a living member the new head (after the head's death)"),
	    NEEDS_USER, head_exec},
	{"recalc", NULL, "recalc [--month YYYY-MM]",
	    N_("the monthly recalculation: approved amounts that change with a birthday (18, 60, 70, 80) or a new standard take effect from that month"),
	    NEEDS_USER, recalc_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
