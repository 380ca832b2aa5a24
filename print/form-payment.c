/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-payment.c — the printed payment roster (低保金发放花名册, issue 13):
 * A4 landscape, the month's paid households by village with subtotals,
 * the township total, the held list (暂停发放) and the recovery list
 * (追缴) apart, signature lines for 经办人, 审核人 and 分管领导, the seal
 * and the verification code of the print path.  Accounts and ID numbers
 * are masked on paper; only the bank file carries them whole.  Also the
 * bank file's columns, shared with import/payment-out.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"
#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/payment.h"

#include "store/env.h"
#include "store/err.h"

#define PAYMENT_TITLE "最低生活保障金发放花名册"

const char *const payment_bank_head[PAYMENT_BANK_COLS] = {
	"序号", "村/社区", "户档案编号", "户主姓名", "持卡人姓名", "持卡人身份证号", "开户银行", "银行账号",
	"保障人数", "基本保障金(元)", "分类施保金(元)", "本月金额(元)", "补发金额(元)", "补发月份", "实发金额(元)",
};

void
payment_months_text(const struct pay_row *w, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < w->n_months && o + 12 < size; i++) {
		char m[8];
		month_format(w->months[i].month, m);
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "、" : "", m);
	}
}

void
payment_bank_cells(const struct pay_row *w, int seq, char num[8][32], char *months, size_t msize,
    const char **cells)
{
	snprintf(num[0], 32, "%d", seq);
	snprintf(num[1], 32, "%d", w->persons);
	money_format(w->base, num[2]);
	money_format(w->addons, num[3]);
	money_format(w->amount, num[4]);
	money_format(w->arrears, num[5]);
	money_format(w->pay, num[6]);
	payment_months_text(w, months, msize);
	const char *c[PAYMENT_BANK_COLS] = {
		num[0], w->village, w->dossier, w->head, w->holder_name, w->holder_id, w->bank, w->account,
		num[1], num[2], num[3], num[4], w->arrears ? num[5] : "", months, num[6],
	};
	memcpy(cells, c, sizeof c);
}

/* The roster's rows: those the bank file's pass kept (issue 13), or read. */
static int
roster_rows(struct form_ctx *c, pay_row_fn fn, void *baton, struct pay_totals *t, bool *frozen)
{
	if (c->payment != NULL)
		return payment_replay_run(c->payment, fn, baton, t, frozen, c->e);
	return payment_roster(c->st, c->month, fn, baton, t, frozen, NULL, c->e);
}

/* ---- the content hash: every row as the bank file and the lists give it */

struct dig {
	struct form_ctx *c;
	FILE *f;
	int seq;
	struct err *e;
};

static int
dig_row(const struct pay_row *w, void *baton)
{
	struct dig *d = baton;
	char num[8][32], months[PAY_MAX_MONTHS * 20];
	const char *cells[PAYMENT_BANK_COLS];

	if (w->kind == PAY_ROW) {
		payment_bank_cells(w, ++d->seq, num, months, sizeof months, cells);
		list_csv_row(d->f, cells, PAYMENT_BANK_COLS);
	} else {
		payment_months_text(w, months, sizeof months);
		money_format(w->pay, num[0]);
		const char *c[] = {w->kind == PAY_HELD ? "暂停发放" : "追缴", w->dossier, w->reason, months, num[0]};
		list_csv_row(d->f, c, 5);
	}
	return 0;
}

static int
dig_stream(FILE *f, void *arg)
{
	struct dig *d = arg;
	struct pay_totals *t = malloc(sizeof *t);
	bool frozen;
	int r;

	if (t == NULL)
		return err_set(d->e, E_STORAGE, "%s", _("out of memory"));
	d->f = f;
	d->seq = 0;
	r = roster_rows(d->c, dig_row, d, t, &frozen);
	free(t);
	return r;
}

int
digest_payment(struct form_ctx *c, unsigned char hash[32])
{
	struct dig d = {c, NULL, 0, c->e};
	return list_digest(dig_stream, &d, hash, c->e);
}

/* ---- the form ----------------------------------------------------------- */

/* 序号 holds six digits on one line (9 mm wrapped the 10,000th row and
 * every one after it onto two lines: "1653" over "0", and 12 rows a page
 * instead of 22, issue 17); 户档案编号's 20 half-width characters take
 * 30 mm of its 34 */
static const struct print_table paid_t = {
	.ncols = 12,
	.width_mm = {11, 34, 18, 18, 22, 32, 10, 20, 18, 18, 20, 22},
	.header = {"序号", "户档案编号", "户主", "持卡人", "开户银行", "银行账号", "人数", "基本保障金",
	    "分类施保金", "补发", "补发月份", "实发金额"},
	.size = 8.5f, .pad_mm = 0.8f,
};
static const struct print_table list_t = {
	.ncols = 6,
	.width_mm = {36, 30, 18, 34, 22, 103},
	.header = {"户档案编号", "村/社区", "户主", "月份", "金额（元）", "原因"},
	.size = 8.5f, .pad_mm = 0.8f,
};

struct lay {
	struct print_doc *doc;
	char village[TEXT_SHORT];
	int v_households, v_persons, seq;
	fen_t v_amount;
	int section;                   /* 0 paid, 1 held, 2 recovery */
};

static int
subtotal(struct lay *l)
{
	char a[32], p[16], h[48];
	if (l->village[0] == '\0')
		return 0;
	snprintf(h, sizeof h, "%d户", l->v_households);
	snprintf(p, sizeof p, "%d", l->v_persons);
	money_format(l->v_amount, a);
	const char *cells[12] = {"", "小计", h, "", "", "", p, "", "", "", "", a};
	return print_table_row(l->doc, &paid_t, cells);
}

static int
lay_row(const struct pay_row *w, void *baton)
{
	struct lay *l = baton;
	char num[8][32], acct[TEXT_SHORT], months[PAY_MAX_MONTHS * 20], line[128];

	if (w->kind == PAY_ROW) {
		if (strcmp(l->village, w->village) != 0) {
			if (subtotal(l) != 0)
				return -1;
			snprintf(l->village, sizeof l->village, "%s", w->village);
			l->v_households = l->v_persons = 0;
			l->v_amount = 0;
			snprintf(line, sizeof line, "%s", w->village);
			const char *cells[12] = {"", line};
			if (print_table_row(l->doc, &paid_t, cells) != 0)
				return -1;
		}
		l->v_households++;
		l->v_persons += w->persons;
		l->v_amount += w->pay;
		snprintf(num[0], 32, "%d", ++l->seq);
		snprintf(num[1], 32, "%d", w->persons);
		money_format(w->base, num[2]);
		money_format(w->addons, num[3]);
		money_format(w->arrears, num[4]);
		money_format(w->pay, num[5]);
		text_mask_account(w->account, acct, sizeof acct);
		payment_months_text(w, months, sizeof months);
		const char *cells[12] = {num[0], w->dossier, w->head, w->holder_name, w->bank, acct, num[1], num[2],
		    num[3], w->arrears ? num[4] : "", months, num[5]};
		return print_table_row(l->doc, &paid_t, cells);
	}
	int want = w->kind == PAY_HELD ? 1 : 2;
	if (l->section != want) {
		if (l->section == 0 && subtotal(l) != 0)
			return -1;
		l->section = want;
		if (print_skip(l->doc, 8) != 0 ||
		    print_paragraph(l->doc, PRINT_SONG, 11, 0, want == 1 ?
		    "暂停发放名单（未通过一卡通核查，不计入发放合计）" : "追缴名单（死亡后已发放的月份，不从本月扣减）") != 0 ||
		    print_table_header(l->doc, &list_t) != 0)
			return -1;
	}
	money_format(w->pay, num[0]);
	payment_months_text(w, months, sizeof months);
	const char *cells[6] = {w->dossier, w->village, w->head, months, num[0], w->reason};
	return print_table_row(l->doc, &list_t, cells);
}

int
form_payment(struct print_doc *doc, struct form_ctx *c)
{
	struct pay_totals *t = malloc(sizeof *t);
	struct lay l;
	char mon[8], line[512], a[32], h[32], ar[32];
	bool frozen;
	int ret = -1;
	static const char *const roles[] = {"经办人", "审核人", "分管领导"};

	if (t == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	memset(&l, 0, sizeof l);
	l.doc = doc;
	print_set_landscape(true);
	/* thousands of pages: their contents on disk, not in memory */
	if (print_doc_spool(doc) != 0)
		goto out;
	month_format(c->month, mon);
	snprintf(line, sizeof line, "%s（%s）", PAYMENT_TITLE, mon);
	if (form_begin(doc, c, line) != 0 || print_table_header(doc, &paid_t) != 0)
		goto out;
	if (roster_rows(c, lay_row, &l, t, &frozen) != 0)
		goto out;
	if (l.section == 0 && subtotal(&l) != 0)
		goto out;
	money_format(t->total, a);
	money_format(t->held_amount, h);
	money_format(t->arrears, ar);
	snprintf(line, sizeof line, "全乡镇合计：%d户 %d人，实发金额 %s 元（其中补发 %s 元）；暂停发放 %d户 %s 元，不计入合计。%s",
	    t->households, t->persons, a, ar, t->held, h, frozen ? "本批次已提交冻结。" : "本花名册尚未提交，提交后冻结。");
	if (print_skip(doc, 6) != 0 || print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0)
		goto out;
	if (list_sign_and_seal(c->st, c->e, doc, roles, 3) != 0)
		goto out;
	ret = 0;
out:
	free(t);
	return ret;
}
