/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-payment.c — `dibao payment roster|submit|reconcile|list|waive`
 * (issue 13, CLI.md "Payment"): the month's payment roster and its files,
 * the frozen batch, the bank's reconciliation.  The work is in
 * store/payment.c, import/payment-*.c and print/form-payment.c; this file
 * parses and prints.  Accounts and ID numbers are masked on screen and in
 * JSON; only the bank file carries them whole.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "import/payment-files.h"
#include "print/forms.h"
#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/payment.h"

#include "store/err.h"

#define ROSTER_USAGE "payment roster --month YYYY-MM [--pdf FILE] [--csv FILE] [--xlsx FILE]"
#define SUBMIT_USAGE "payment submit --month YYYY-MM"
#define RECON_USAGE "payment reconcile --month YYYY-MM FILE [--replace]"
#define WAIVE_USAGE "payment waive --month YYYY-MM DOSSIER --note TEXT"

static const char *const arrear_why[] = {"", "late", "failed", "held"};
static const char *const arrear_why_zh[] = {"", "批准晚于发放", "发放失败", "暂停后恢复"};

static json_t *
months_json(const struct pay_row *w, bool arrears)
{
	json_t *a = json_array();
	char m[8];
	for (int i = 0; i < w->n_months; i++) {
		month_format(w->months[i].month, m);
		json_t *o = json_pack("{s:s,s:I}", "month", m, "amount", (json_int_t)w->months[i].amount);
		if (arrears && w->months[i].why > 0 && w->months[i].why < 4)
			json_object_set_new(o, "reason", json_string(arrear_why[w->months[i].why]));
		json_array_append_new(a, o);
	}
	return a;
}

struct rout {
	bool json;
	json_t *rows, *held, *rec;
	int seq;
	int section;
};

static int
roster_row(const struct pay_row *w, void *baton)
{
	struct rout *o = baton;
	char acct[TEXT_SHORT], hid[ID_LEN + 1] = "", a[32], b[32], c[32], d[32], p[32];

	text_mask_account(w->account, acct, sizeof acct);
	if (w->holder_id[0])
		id_mask(w->holder_id, hid);
	if (o->json) {
		if (w->kind == PAY_ROW)
			json_array_append_new(o->rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:I,s:I,s:o,s:I}",
			    "dossier", w->dossier, "village", w->village, "head", w->head, "holder", w->holder_name,
			    "holder_id", hid, "bank", w->bank, "account", acct, "persons", w->persons,
			    "base", (json_int_t)w->base, "addons", (json_int_t)w->addons, "amount", (json_int_t)w->amount,
			    "arrears", (json_int_t)w->arrears, "arrears_months", months_json(w, true),
			    "pay", (json_int_t)w->pay));
		else if (w->kind == PAY_HELD)
			json_array_append_new(o->held, json_pack("{s:s,s:s,s:s,s:i,s:I,s:s}", "dossier", w->dossier,
			    "village", w->village, "head", w->head, "persons", w->persons, "amount", (json_int_t)w->pay,
			    "reason", w->reason));
		else
			json_array_append_new(o->rec, json_pack("{s:s,s:s,s:s,s:o,s:I,s:s}", "dossier", w->dossier,
			    "village", w->village, "head", w->head, "months", months_json(w, false),
			    "total", (json_int_t)w->pay, "reason", w->reason));
		return 0;
	}
	if (w->kind == PAY_ROW) {
		printf("%4d %s ", ++o->seq, w->dossier);
		cli_printf_cols(w->village, 10);
		cli_printf_cols(w->head, 8);
		cli_printf_cols(w->holder_name[0] ? w->holder_name : "-", 8);
		printf(" %s %s %d人 %s+%s", w->bank, acct, w->persons, money_format(w->base, a), money_format(w->addons, b));
		if (w->arrears) {
			printf(" 补发%s(", money_format(w->arrears, c));
			for (int i = 0; i < w->n_months; i++) {
				char m[8];
				month_format(w->months[i].month, m);
				printf("%s%s %s", i ? "、" : "", m, arrear_why_zh[w->months[i].why > 0 && w->months[i].why < 4 ? w->months[i].why : 0]);
			}
			printf(")");
		}
		printf(" 实发%s\n", money_format(w->pay, p));
		return 0;
	}
	int want = w->kind == PAY_HELD ? 1 : 2;
	if (o->section != want) {
		o->section = want;
		printf("%s\n", want == 1 ? "暂停发放（不计入合计）：" : "追缴（不从本月扣减）：");
	}
	if (w->kind == PAY_HELD) {
		printf("  %s %s %s %s元 %s\n", w->dossier, w->village, w->head, money_format(w->pay, d), w->reason);
	} else {
		printf("  %s %s %s ", w->dossier, w->village, w->head);
		for (int i = 0; i < w->n_months; i++) {
			char m[8];
			month_format(w->months[i].month, m);
			printf("%s%s %s元", i ? "、" : "", m, money_format(w->months[i].amount, a));
		}
		printf(" 共%s元 %s\n", money_format(w->pay, d), w->reason);
	}
	return 0;
}

static bool
cancel_never(int done, int total, void *baton)
{
	(void)done;
	(void)total;
	(void)baton;
	return false;
}

static int
roster_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL, *pdf = NULL, *csv = NULL, *xlsx = NULL;
	const struct opt opts[] = {
		{"month", OPT_VALUE, &month}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv},
		{"xlsx", OPT_VALUE, &xlsx}, {NULL, 0, NULL},
	};
	char *pos[1], mon[8], a[32];
	int npos;
	dbmonth_t m;
	struct pay_totals *t;
	struct rout o = {c->json, NULL, NULL, NULL, 0, 0};
	bool frozen;
	(void)cancel_never;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !month)
		return cli_usage(ROSTER_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if ((t = malloc(sizeof *t)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if (c->json) {
		o.rows = json_array();
		o.held = json_array();
		o.rec = json_array();
	} else {
		month_format(m, mon);
		printf("%s %s\n", "低保金发放花名册", mon);
	}
	if (payment_roster_write(c->st, &c->user, m, pdf, csv, xlsx, roster_row, &o, t, &frozen, NULL, &c->e) != 0) {
		free(t);
		json_decref(o.rows);
		json_decref(o.held);
		json_decref(o.rec);
		return cli_fail(c);
	}
	month_format(m, mon);
	int ret = 0;
	if (c->json) {
		json_t *v = json_object();
		for (int i = 0; i < t->n_village; i++)
			json_object_set_new(v, t->village[i].key, json_pack("{s:i,s:i,s:I}", "households",
			    t->village[i].t.households, "persons", t->village[i].t.persons, "total",
			    (json_int_t)t->village[i].t.amount));
		ret = cli_print_json(json_pack("{s:s,s:b,s:i,s:i,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "month", mon,
		    "frozen", frozen, "households", t->households, "persons", t->persons, "total", (json_int_t)t->total,
		    "amount", (json_int_t)t->amount, "arrears", (json_int_t)t->arrears,
		    "held_amount", (json_int_t)t->held_amount, "by_village", v, "held", o.held, "recovery", o.rec,
		    "rows", o.rows));
	} else {
		for (int i = 0; i < t->n_village; i++)
			printf("%s小计：%d户 %d人 %s元\n", t->village[i].key, t->village[i].t.households,
			    t->village[i].t.persons, money_format(t->village[i].t.amount, a));
		printf("全乡镇合计：%d户 %d人 实发%s元", t->households, t->persons, money_format(t->total, a));
		printf("（补发%s元）；暂停发放%d户", money_format(t->arrears, a), t->held);
		printf(" %s元；", money_format(t->held_amount, a));
		printf("追缴%d户 %s元\n", t->recovery, money_format(t->recovery_amount, a));
		printf("%s\n", frozen ? _("the batch of this month is submitted: this is the frozen batch") :
		    _("not submitted yet: payment submit freezes it"));
	}
	free(t);
	return ret;
}

static int
submit_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {NULL, 0, NULL}};
	char *pos[1], mon[8], a[32];
	int npos;
	dbmonth_t m;
	struct pay_batch b;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !month)
		return cli_usage(SUBMIT_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0 || payment_submit(c->st, &c->user, m, &b, NULL, &c->e) != 0)
		return cli_fail(c);
	month_format(m, mon);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:i,s:i,s:I,s:I,s:i,s:I,s:i,s:I}", "month", mon, "sha256", b.sha256,
		    "households", b.households, "persons", b.persons, "total", (json_int_t)b.total,
		    "arrears", (json_int_t)b.arrears, "held", b.held, "held_amount", (json_int_t)b.held_amount,
		    "recovery", b.recovery, "recovery_amount", (json_int_t)b.recovery_amount));
	printf(_("payment batch %s submitted: %d households, %d persons, %s yuan; %d held\n"), mon, b.households,
	    b.persons, money_format(b.total, a), b.held);
	printf("SHA-256 %s\n", b.sha256);
	return 0;
}

struct iout {
	bool json;
	json_t *items;
};

static int
item_out(const struct recon_item *it, void *baton)
{
	struct iout *o = baton;
	char acct[TEXT_SHORT], a[32], b[32];
	text_mask_account(it->account, acct, sizeof acct);
	if (o->json) {
		json_array_append_new(o->items, json_pack("{s:s,s:i,s:s,s:s,s:s,s:I,s:I,s:s}", "outcome",
		    recon_terms[it->outcome].en, "line", it->line, "account", acct, "name", it->name,
		    "dossier", it->dossier, "bank_amount", (json_int_t)it->bank_amount,
		    "batch_amount", (json_int_t)it->batch_amount, "remark", it->remark));
		return 0;
	}
	if (it->outcome == RECON_PAID)
		return 0;
	if (it->line)
		printf("  %s 第%d行 %s %s %s 银行%s元 批次%s元 %s\n", recon_terms[it->outcome].zh, it->line, acct, it->name,
		    it->dossier[0] ? it->dossier : "-", money_format(it->bank_amount, a), money_format(it->batch_amount, b),
		    it->remark);
	else
		printf("  %s %s %s %s 批次%s元\n", recon_terms[it->outcome].zh, acct, it->name, it->dossier,
		    money_format(it->batch_amount, b));
	return 0;
}

static int
recon_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	bool replace = false, unchanged = false;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {"replace", OPT_FLAG, &replace}, {NULL, 0, NULL}};
	char *pos[1], mon[8], sha[65];
	int npos;
	dbmonth_t m;
	struct pay_batch b;
	struct iout o = {c->json, NULL};

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || !month || npos != 1)
		return cli_usage(RECON_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if (payment_batch_get(c->st, m, &b, &c->e) != 0)
		return cli_fail(c);
	if (bank_file_reconcile(c->st, &c->user, m, pos[0], replace, &unchanged, &b, sha, &c->e) != 0)
		return cli_fail(c);
	month_format(m, mon);
	if (c->json)
		o.items = json_array();
	else {
		printf(unchanged ? _("batch %s: this file was reconciled already; nothing changed\n") :
		    _("batch %s reconciled\n"), mon);
		printf("成功 %d，失败 %d，金额不符 %d，账户不在批次 %d，回盘缺失 %d\n", b.paid, b.failed, b.mismatch,
		    b.unknown, b.missing);
	}
	if (payment_recon_items(c->st, m, item_out, &o, &c->e) != 0) {
		json_decref(o.items);
		return cli_fail(c);
	}
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b,s:s,s:i,s:i,s:i,s:i,s:i,s:o}", "month", mon, "unchanged", unchanged,
		    "file_sha256", sha, "paid", b.paid, "failed", b.failed, "mismatch", b.mismatch, "unknown", b.unknown,
		    "missing", b.missing, "items", o.items));
	if (b.failed)
		printf("%s\n", _("failed payments are paid as arrears in the next batch (payment waive to settle one otherwise)"));
	return 0;
}

static int
list_one(const struct pay_batch *b, void *baton)
{
	json_t *arr = baton;
	char mon[8], a[32];
	month_format(b->month, mon);
	if (arr) {
		json_t *o = json_pack("{s:s,s:i,s:i,s:I,s:I,s:i,s:I,s:i,s:I,s:s,s:s,s:b}", "month", mon,
		    "households", b->households, "persons", b->persons, "total", (json_int_t)b->total,
		    "arrears", (json_int_t)b->arrears, "held", b->held, "held_amount", (json_int_t)b->held_amount,
		    "recovery", b->recovery, "recovery_amount", (json_int_t)b->recovery_amount, "sha256", b->sha256,
		    "submitted_by", b->by, "reconciled", b->reconciled != 0);
		if (b->reconciled)
			json_object_set_new(o, "reconciliation", json_pack("{s:i,s:i,s:i,s:i,s:i,s:s}", "paid", b->paid,
			    "failed", b->failed, "mismatch", b->mismatch, "unknown", b->unknown, "missing", b->missing,
			    "file_sha256", b->recon_sha256));
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%s %d户 %d人 %s元 暂停%d户 追缴%d户 ", mon, b->households, b->persons, money_format(b->total, a),
	    b->held, b->recovery);
	if (b->reconciled)
		printf("已对账（成功%d 失败%d 不符%d 不在批次%d 缺失%d）", b->paid, b->failed, b->mismatch, b->unknown,
		    b->missing);
	else
		printf("未对账");
	printf(" %.16s…\n", b->sha256);
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	const struct opt opts[] = {{NULL, 0, NULL}};
	json_t *arr = c->json ? json_array() : NULL;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage("payment list");
	if (payment_batch_list(c->st, list_one, arr, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	return arr ? cli_print_json(arr) : 0;
}

static int
waive_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL, *note = NULL;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {"note", OPT_VALUE, &note}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	dbmonth_t m;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || !month || npos != 1)
		return cli_usage(WAIVE_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0 || payment_waive(c->st, &c->user, m, pos[0], note, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("dossier %s: the failed payment will not be paid as arrears\n"), pos[0]);
	return c->json ? cli_print_json(json_pack("{s:s}", "dossier", pos[0])) : 0;
}

const struct cmd_entry cmds_payment[] = {
	{"payment", "roster", ROSTER_USAGE,
	    N_("the month's payment roster (低保金发放花名册) from the stored approved calculations; held households apart; --csv/--xlsx the bank file (audited), --pdf the printed roster"),
	    NEEDS_USER, roster_exec},
	{"payment", "submit", SUBMIT_USAGE, N_("freeze the month's payment batch (once; prints its SHA-256)"), NEEDS_USER,
	    submit_exec},
	{"payment", "reconcile", RECON_USAGE,
	    N_("the bank's return file (CSV or XLSX: 账号, 户名, 金额, 状态, 备注) against the submitted batch"), NEEDS_USER,
	    recon_exec},
	{"payment", "list", "payment list", N_("payment batches with their totals and reconciliation state"), NEEDS_STORE,
	    list_exec},
	{"payment", "waive", WAIVE_USAGE, N_("a failed payment that is not to be paid as arrears (with the reason)"),
	    NEEDS_USER, waive_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
