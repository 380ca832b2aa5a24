/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-report.c — `dibao report monthly`, `dibao notice post`, `dibao
 * report notice` and `dibao stats` (SPEC 7): the monthly dynamic-management
 * report with its zero report of deaths, the public notice of a village,
 * and the statistics.  Paper and CSV content is Chinese directly: it is
 * the document itself, not the program talking.
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
#include "core/money.h"
#include "core/report.h"
#include "store/payment.h"

#include "store/dossier.h"
#include "store/err.h"
#include "store/report.h"
#include "store/screen.h"

#define MONTHLY_USAGE "report monthly --month YYYY-MM [--pdf FILE] [--csv FILE]"
#define NOTICE_USAGE "notice post --village NAME [--date YYYY-MM-DD] [--pdf FILE] [--csv FILE]"
#define RNOTICE_USAGE "report notice --village NAME [--pdf FILE] [--csv FILE]"
#define ZERO_DEATHS "本月无死亡人员（零报告）"

/* ---- the monthly report ------------------------------------------------- */

struct section {
	const char *title;
	const struct monthly_list *l;
};

struct tgroup {
	const char *title;
	const struct report_group *g;
	int n;
};

static json_t *
list_json(const struct monthly_list *l)
{
	json_t *a = json_array();
	char d[11];
	for (size_t i = 0; i < l->n; i++) {
		const struct monthly_item *it = &l->v[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:s}", "dossier", it->dossier,
		    "village", it->village, "name", it->name, "date", date_format(it->date, d), "persons", it->persons,
		    "old_total", (json_int_t)it->old_total, "total", (json_int_t)it->total, "reason", it->reason));
	}
	return a;
}

static json_t *
totals_json(const struct report_totals *t)
{
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:I}", "households", t->households, "persons", t->persons,
	    "women", t->women, "elderly", t->elderly, "minors", t->minors, "disabled", t->disabled,
	    "amount", (json_int_t)t->amount);
}

static json_t *
groups_json(const struct report_group *g, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, g[i].key, totals_json(&g[i].t));
	return o;
}

static int
monthly_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"month", OPT_VALUE, &month}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, ret = 0;
	dbmonth_t m;
	struct monthly_report *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !month)
		return cli_usage(MONTHLY_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if (report_monthly(c->st, m, r, NULL, &c->e) != 0) {
		free(r);
		return cli_fail(c);
	}
	const struct section s[] = {
		{"新增", &r->added}, {"减少（退出）", &r->removed}, {"金额变动", &r->changed}, {"死亡人员", &r->deaths},
	};
	if ((csv || pdf) && report_monthly_print_built(c->st, &c->user, r, pdf, csv, &c->e) != 0) {
		report_free(r);
		free(r);
		return cli_fail(c);
	}
	char from[11], to[11], mon[8];
	month_format(m, mon);
	/* the month's payment batch and its reconciliation (issue 13) */
	struct pay_batch pb;
	bool have_pay;
	if (payment_month_summary(c->st, m, r->to, &pb, &have_pay, &c->e) != 0) {
		report_free(r);
		free(r);
		return cli_fail(c);
	}
	json_t *pay = have_pay ? json_pack("{s:i,s:i,s:I,s:i,s:I,s:i,s:I,s:b}", "households", pb.households,
	    "persons", pb.persons, "total", (json_int_t)pb.total, "held", pb.held, "held_amount", (json_int_t)pb.held_amount,
	    "recovery", pb.recovery, "recovery_amount", (json_int_t)pb.recovery_amount, "reconciled", pb.reconciled != 0)
	    : json_null();
	if (have_pay && pb.reconciled && pay)
		json_object_set_new(pay, "reconciliation", json_pack("{s:i,s:i,s:i,s:i,s:i}", "paid", pb.paid, "failed",
		    pb.failed, "mismatch", pb.mismatch, "unknown", pb.unknown, "missing", pb.missing));
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:I,s:s}",
		    "month", mon, "from", date_format(r->from, from), "to", date_format(r->to, to),
		    "added", list_json(&r->added), "removed", list_json(&r->removed),
		    "changed", list_json(&r->changed), "deaths", list_json(&r->deaths),
		    "zero_deaths", r->deaths.n == 0, "totals", totals_json(&r->all),
		    "by_village", groups_json(r->village, r->n_village), "by_area", groups_json(r->area, r->n_area),
		    "by_category", groups_json(r->category, r->n_category),
		    "by_support", groups_json(r->support, r->n_support),
		    "audit_count", (json_int_t)r->audit_count, "audit_head", r->head);
		if (j)
			json_object_set_new(j, "payment", pay);
		else
			json_decref(pay);
		ret = cli_print_json(j);
	} else {
		printf("%s %s %s .. %s\n", "动态管理月报", mon, date_format(r->from, from), date_format(r->to, to));
		for (int i = 0; i < 4; i++) {
			printf("%s：%zu\n", s[i].title, s[i].l->n);
			for (size_t k = 0; k < s[i].l->n; k++) {
				const struct monthly_item *it = &s[i].l->v[k];
				char o[32], n[32];
				printf("  %s %s %s %s %s→%s %s\n", it->dossier, it->village, it->name, date_format(it->date, from),
				    money_format(it->old_total, o), money_format(it->total, n), it->reason);
			}
		}
		if (r->deaths.n == 0)
			printf("%s\n", ZERO_DEATHS);
		char a[32];
		printf("期末在保：%d户 %d人 月保障金%s元\n", r->all.households, r->all.persons, money_format(r->all.amount, a));
		if (have_pay) {
			printf("低保金发放：%d户 %d人 实发%s元；暂停发放%d户；追缴%d户", pb.households, pb.persons,
			    money_format(pb.total, a), pb.held, pb.recovery);
			if (pb.reconciled)
				printf("；回盘：成功%d 失败%d 金额不符%d 账户不在批次%d 回盘缺失%d", pb.paid, pb.failed,
				    pb.mismatch, pb.unknown, pb.missing);
			printf("\n");
		} else {
			printf("低保金发放：本月批次尚未提交\n");
		}
		json_decref(pay);
		printf("审计链：%llu条 %s\n", (unsigned long long)r->audit_count, r->head);
	}
	report_free(r);
	free(r);
	return ret;
}

/* ---- the public notice -------------------------------------------------- */

static int
notice_post_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *date = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"village", OPT_VALUE, &village}, {"date", OPT_VALUE, &date}, {"pdf", OPT_VALUE, &pdf},
		{"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, posted = 0;
	dbdate_t d = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !village)
		return cli_usage(NOTICE_USAGE);
	if ((date && cli_parse_date(c, "--date", date, &d) != 0) ||
	    notice_post(c->st, &c->user, village, d, &posted, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("public notice posted: %d households enter their notice period\n"), posted);
	if ((pdf || csv) && notice_write(c->st, &c->user, village, pdf, csv, !c->json, &c->e) != 0)
		return cli_fail(c);
	return c->json ? cli_print_json(json_pack("{s:i}", "posted", posted)) : 0;
}

static int
report_notice_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"village", OPT_VALUE, &village}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !village)
		return cli_usage(RNOTICE_USAGE);
	if (notice_write(c->st, &c->user, village, pdf, csv, !c->json, &c->e) != 0)
		return cli_fail(c);
	return 0;
}

/* ---- statistics --------------------------------------------------------- */

static int
stats_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	dbmonth_t m = month_of(store_today());
	struct stats *s;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage("stats [--month YYYY-MM]");
	if (month && cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if ((s = malloc(sizeof *s)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if (stats_build(c->st, m, s, NULL, &c->e) != 0) {
		free(s);
		return cli_fail(c);
	}
	const struct monthly_report *r = &s->r;
	int permille = s->approved ? (int)((int64_t)s->reviews_current * 1000 / s->approved) : 1000;
	char mon[8], a[32];
	month_format(m, mon);
	int ret = 0;
	if (c->json) {
		json_t *clues = json_object();
		for (int i = 0; i < CC__N; i++)
			json_object_set_new(clues, clue_category_terms[i].en, json_integer(s->open_clues[i]));
		ret = cli_print_json(json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:{s:i,s:i,s:i},s:o}", "month", mon,
		    "totals", totals_json(&r->all), "by_village", groups_json(r->village, r->n_village),
		    "by_area", groups_json(r->area, r->n_area), "by_category", groups_json(r->category, r->n_category),
		    "by_support", groups_json(r->support, r->n_support),
		    "review_coverage", "approved", s->approved, "current", s->reviews_current, "permille", permille,
		    "open_clues", clues));
	} else {
		printf("%s %s\n", _("statistics as of"), mon);
		printf(_("households %d, persons %d, monthly amount %s yuan\n"), r->all.households, r->all.persons,
		    money_format(r->all.amount, a));
		const struct tgroup tg[] = {
			{_("village"), r->village, r->n_village}, {_("area"), r->area, r->n_area},
			{_("category"), r->category, r->n_category}, {_("support"), r->support, r->n_support},
		};
		for (int i = 0; i < 4; i++)
			for (int k = 0; k < tg[i].n; k++)
				printf("  %s %s: %d / %d / %s\n", tg[i].title, tg[i].g[k].key, tg[i].g[k].t.households,
				    tg[i].g[k].t.persons, money_format(tg[i].g[k].t.amount, a));
		printf(_("review schedule kept: %d of %d approved dossiers (%d.%d%%)\n"), s->reviews_current,
		    s->approved, permille / 10, permille % 10);
		for (int i = 0; i < CC__N; i++)
			if (s->open_clues[i])
				printf(_("  open clues, %s: %d\n"), clue_category_terms[i].zh, s->open_clues[i]);
	}
	stats_free(s);
	free(s);
	return ret;
}

const struct cmd_entry cmds_report[] = {
	{"report", "monthly", MONTHLY_USAGE,
	    N_("the monthly dynamic-management report (动态管理月报) for the period ending on the cutoff day; reproducible"),
	    NEEDS_STORE, monthly_exec},
	{"report", "notice", RNOTICE_USAGE, N_("the public notice list (公示名单) of a village, as PDF or CSV"),
	    NEEDS_USER, report_notice_exec},
	{"notice", "post", NOTICE_USAGE,
	    N_("post the public notice of a village: its reviewed cases enter the notice period"), NEEDS_USER,
	    notice_post_exec},
	{"stats", NULL, "stats [--month YYYY-MM]",
	    N_("households, persons and amounts by village, area, category and support type; review coverage; open clues"),
	    NEEDS_STORE, stats_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
