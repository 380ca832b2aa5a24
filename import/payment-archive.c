/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-archive.c — the money trail in the monthly handover archive
 * (issue 13): the month's frozen payment batch (its summary with the
 * SHA-256, and its rows) and the bank's reconciliation, as entries under
 * 发放/, hashed in the manifest like every entry; and, on the county's
 * side, the batch summary read back for the import's report.  Account
 * numbers leave the township masked.  archive-out.c calls one function
 * here; archive-in.c one more.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/archive.h"
#include "import/payment-files.h"
#include "print/forms.h"
#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/report.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/payment.h"

#include "store/env.h"
#include "store/err.h"

#define PAY_SUMMARY "发放/发放批次.json"

struct amem {
	FILE *f;
	int seq;
};

static int
arch_row(const struct pay_row *w, void *baton)
{
	struct amem *a = baton;
	char num[8][32], months[PAY_MAX_MONTHS * 20], acct[TEXT_SHORT];
	const char *cells[PAYMENT_BANK_COLS + 2];

	text_mask_account(w->account, acct, sizeof acct);
	if (w->kind == PAY_ROW) {
		payment_bank_cells(w, ++a->seq, num, months, sizeof months, cells + 1);
		cells[0] = "发放";
		cells[8] = acct;           /* 银行账号, masked */
		cells[PAYMENT_BANK_COLS + 1] = "";
	} else {
		payment_months_text(w, months, sizeof months);
		money_format(w->pay, num[6]);
		for (int i = 0; i < PAYMENT_BANK_COLS + 2; i++)
			cells[i] = "";
		cells[0] = w->kind == PAY_HELD ? "暂停发放" : "追缴";
		cells[2] = w->village;
		cells[3] = w->dossier;
		cells[4] = w->head;
		cells[14] = months;
		cells[15] = num[6];
		cells[16] = w->reason;
	}
	list_csv_row(a->f, cells, PAYMENT_BANK_COLS + 2);
	return ferror(a->f) ? -1 : 0;
}

static int
arch_item(const struct recon_item *it, void *baton)
{
	struct amem *a = baton;
	char acct[TEXT_SHORT], line[16], b1[32], b2[32];
	text_mask_account(it->account, acct, sizeof acct);
	snprintf(line, sizeof line, "%d", it->line);
	const char *cells[] = {recon_terms[it->outcome].zh, it->line ? line : "", acct, it->name, it->dossier,
	    money_format(it->bank_amount, b1), money_format(it->batch_amount, b2), it->remark};
	list_csv_row(a->f, cells, 8);
	return ferror(a->f) ? -1 : 0;
}

int
payment_archive_entries(struct store *st, dbmonth_t m, dbdate_t to,
    int (*add)(void *ctx, const char *rel, unsigned char *data, size_t len), void *ctx, struct err *e)
{
	struct pay_batch b;
	struct pay_totals *t;
	bool have, frozen;
	char mon[8], *p = NULL;
	size_t len = 0;
	struct amem a = {NULL, 0};
	int r;

	if (payment_month_summary(st, m, to, &b, &have, e) != 0)
		return -1;
	if (!have)
		return 0;
	month_format(m, mon);
	json_t *j = json_pack("{s:s,s:i,s:i,s:I,s:I,s:i,s:I,s:i,s:I,s:s,s:s}", "month", mon, "households", b.households,
	    "persons", b.persons, "total", (json_int_t)b.total, "arrears", (json_int_t)b.arrears, "held", b.held,
	    "held_amount", (json_int_t)b.held_amount, "recovery", b.recovery, "recovery_amount",
	    (json_int_t)b.recovery_amount, "sha256", b.sha256, "submitted_by", b.by);
	if (j && b.reconciled)
		json_object_set_new(j, "reconciliation", json_pack("{s:i,s:i,s:i,s:i,s:i,s:s}", "paid", b.paid, "failed",
		    b.failed, "mismatch", b.mismatch, "unknown", b.unknown, "missing", b.missing, "file_sha256",
		    b.recon_sha256));
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (add(ctx, PAY_SUMMARY, (unsigned char *)s, strlen(s)) != 0)
		return -1;
	/* the frozen rows */
	if ((t = malloc(sizeof *t)) == NULL || (a.f = open_memstream(&p, &len)) == NULL) {
		free(t);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	fputs(csv_bom, a.f);
	const char *head[PAYMENT_BANK_COLS + 2];
	head[0] = "类别";
	memcpy(head + 1, payment_bank_head, sizeof payment_bank_head);
	head[PAYMENT_BANK_COLS + 1] = "原因";
	list_csv_row(a.f, head, PAYMENT_BANK_COLS + 2);
	r = payment_roster(st, m, arch_row, &a, t, &frozen, NULL, e);
	free(t);
	if (fclose(a.f) != 0 && r == 0)
		r = err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (r != 0) {
		free(p);
		return -1;
	}
	if (add(ctx, "发放/发放花名册.csv", (unsigned char *)p, len) != 0)
		return -1;
	if (!b.reconciled)
		return 0;
	static const char *const rhead[] = {"对账结果", "回盘行号", "账号", "户名", "户档案编号", "银行金额(元)",
	    "批次金额(元)", "银行备注"};
	p = NULL;
	if ((a.f = open_memstream(&p, &len)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	list_csv_head(a.f, rhead, 8);
	r = payment_recon_items(st, m, arch_item, &a, e);
	if (fclose(a.f) != 0 && r == 0)
		r = err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (r != 0) {
		free(p);
		return -1;
	}
	return add(ctx, "发放/回盘对账.csv", (unsigned char *)p, len);
}

int
payment_archive_summary(const void *data, size_t len, struct archive_payment *out)
{
	json_error_t je;
	json_t *j = json_loadb(data, len, 0, &je), *rc;

	memset(out, 0, sizeof *out);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	out->have = true;
	out->households = (int)json_integer_value(json_object_get(j, "households"));
	out->persons = (int)json_integer_value(json_object_get(j, "persons"));
	out->total = json_integer_value(json_object_get(j, "total"));
	out->held = (int)json_integer_value(json_object_get(j, "held"));
	out->recovery = (int)json_integer_value(json_object_get(j, "recovery"));
	out->arrears = json_integer_value(json_object_get(j, "arrears"));
	out->held_amount = json_integer_value(json_object_get(j, "held_amount"));
	out->recovery_amount = json_integer_value(json_object_get(j, "recovery_amount"));
	const char *sha = json_string_value(json_object_get(j, "sha256"));
	bool bad = out->households < 0 || out->persons < 0 || out->held < 0 || out->recovery < 0 ||
	    out->total < 0 || out->arrears < 0 || out->held_amount < 0 || out->recovery_amount < 0 ||
	    !json_is_integer(json_object_get(j, "total")) || sha == NULL || strlen(sha) != 64 ||
	    strspn(sha, "0123456789abcdef") != 64;
	if (sha != NULL && !bad)
		memcpy(out->sha256, sha, 65);
	if ((rc = json_object_get(j, "reconciliation")) != NULL && json_is_object(rc)) {
		out->reconciled = true;
		out->paid = (int)json_integer_value(json_object_get(rc, "paid"));
		out->failed = (int)json_integer_value(json_object_get(rc, "failed"));
		out->mismatch = (int)json_integer_value(json_object_get(rc, "mismatch"));
		out->unknown = (int)json_integer_value(json_object_get(rc, "unknown"));
		out->missing = (int)json_integer_value(json_object_get(rc, "missing"));
		bad |= out->paid < 0 || out->failed < 0 || out->mismatch < 0 || out->unknown < 0 || out->missing < 0;
	}
	json_decref(j);
	if (bad)
		memset(out, 0, sizeof *out);
	return bad ? -1 : 0;
}
