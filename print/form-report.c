/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-report.c — the monthly dynamic-management report (动态管理月报,
 * SPEC 7): additions, removals, amount changes and deaths with the zero
 * report, totals by village, area, category and support type, and the
 * audit chain's head at the period's end.  As `dibao report monthly`
 * writes it (PDF dated the period's end: byte for byte reproducible) and
 * as the printed form `monthly` with its verification code.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"
#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/report.h"
#include "core/roles.h"
#include "store/payment.h"

#include "store/env.h"
#include "store/err.h"
#include "store/report.h"

#define ZERO_DEATHS "本月无死亡人员（零报告）"
#define MONTHLY_TITLE "最低生活保障动态管理月报"

static const char *const roles[] = {"经办人", "审核人"};

static const char *const item_head[] = {
	"项目", "档案编号", "村（社区）", "姓名", "日期", "人数", "原月保障金（元）", "新月保障金（元）", "原因",
};
static const char *const total_head[] = {
	"汇总", "分组", "户数", "人数", "女性", "老年人（60岁以上）", "未成年人", "残疾人", "月保障金（元）",
};

struct section {
	const char *title;
	const struct monthly_list *l;
};

static void
item_cells(const char *what, const struct monthly_item *it, char bufs[5][32], const char **cells)
{
	cells[0] = what;
	cells[1] = it->dossier;
	cells[2] = it->village;
	cells[3] = it->name;
	cells[4] = date_format(it->date, bufs[0]);
	snprintf(bufs[1], 32, "%d", it->persons);
	cells[5] = it->persons ? bufs[1] : "";
	cells[6] = it->old_total ? money_format(it->old_total, bufs[2]) : "";
	cells[7] = it->total ? money_format(it->total, bufs[3]) : "";
	cells[8] = it->reason;
}

static void
total_cells(const char *what, const char *key, const struct report_totals *t, char bufs[7][32],
    const char **cells)
{
	cells[0] = what;
	cells[1] = key;
	snprintf(bufs[0], 32, "%d", t->households);
	snprintf(bufs[1], 32, "%d", t->persons);
	snprintf(bufs[2], 32, "%d", t->women);
	snprintf(bufs[3], 32, "%d", t->elderly);
	snprintf(bufs[4], 32, "%d", t->minors);
	snprintf(bufs[5], 32, "%d", t->disabled);
	money_format(t->amount, bufs[6]);
	for (int i = 0; i < 7; i++)
		cells[2 + i] = bufs[i];
}

struct tgroup {
	const char *title;
	const struct report_group *g;
	int n;
};

struct monthly {
	const struct monthly_report *r;
	struct section s[4];
	struct tgroup tg[4];
	bool have_pay;                 /* the month's payment batch (issue 13) */
	struct pay_batch pay;
};

/* The month's payment batch and its reconciliation, as of the period end. */
static int
monthly_payment(struct store *st, struct monthly *mo, struct err *e)
{
	return payment_month_summary(st, mo->r->month, mo->r->to, &mo->pay, &mo->have_pay, e);
}

/* "低保金发放：…" for the CSV and the PDF */
static void
payment_line(const struct monthly *mo, char *buf, size_t size)
{
	const struct pay_batch *b = &mo->pay;
	char t[32], h[32];
	int n;

	if (!mo->have_pay) {
		snprintf(buf, size, "本月发放批次尚未提交");
		return;
	}
	n = snprintf(buf, size, "本月发放批次：%d户 %d人，实发%s元；暂停发放%d户 %s元；追缴%d户", b->households,
	    b->persons, money_format(b->total, t), b->held, money_format(b->held_amount, h), b->recovery);
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, b->reconciled ?
		    "。银行回盘：成功%d，失败%d，金额不符%d，账户不在批次%d，回盘缺失%d" : "。银行回盘尚未对账",
		    b->paid, b->failed, b->mismatch, b->unknown, b->missing);
}

static void
monthly_init(struct monthly *mo, const struct monthly_report *r)
{
	mo->r = r;
	mo->s[0] = (struct section){"新增", &r->added};
	mo->s[1] = (struct section){"减少（退出）", &r->removed};
	mo->s[2] = (struct section){"金额变动", &r->changed};
	mo->s[3] = (struct section){"死亡人员", &r->deaths};
	mo->tg[0] = (struct tgroup){"村（社区）", r->village, r->n_village};
	mo->tg[1] = (struct tgroup){"城乡", r->area, r->n_area};
	mo->tg[2] = (struct tgroup){"复核类别", r->category, r->n_category};
	mo->tg[3] = (struct tgroup){"保障类型", r->support, r->n_support};
}

/* The whole CSV, byte order mark and head included. */
static int
monthly_csv_stream(FILE *f, void *arg)
{
	const struct monthly *mo = arg;
	const struct monthly_report *r = mo->r;
	const struct section *s = mo->s;
	const struct tgroup *tg = mo->tg;
	int ns = 4, ntg = 4;
	char bufs[7][32];
	const char *cells[9];

	list_csv_head(f, item_head, 9);
	for (int i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].l->n; k++) {
			item_cells(s[i].title, &s[i].l->v[k], bufs, cells);
			list_csv_row(f, cells, 9);
		}
	if (r->deaths.n == 0) {
		const char *z[9] = {"死亡", "", "", ZERO_DEATHS, "", "", "", "", ""};
		list_csv_row(f, z, 9);
	}
	list_csv_row(f, NULL, 0);
	list_csv_row(f, total_head, 9);
	total_cells("合计", "全乡镇", &r->all, bufs, cells);
	list_csv_row(f, cells, 9);
	for (int i = 0; i < ntg; i++)
		for (int k = 0; k < tg[i].n; k++) {
			total_cells(tg[i].title, tg[i].g[k].key, &tg[i].g[k].t, bufs, cells);
			list_csv_row(f, cells, 9);
		}
	char head[160], from[11], to[11];
	snprintf(head, sizeof head, "审计链截至%s共%llu条，链头哈希%s", date_format(r->to, to),
	    (unsigned long long)r->audit_count, r->head);
	const char *tail[9] = {"统计期间", date_format(r->from, from), "", "", "", "", "", "", ""};
	tail[2] = to;
	char pl[512];
	payment_line(mo, pl, sizeof pl);
	const char *pr[2] = {"低保金发放", pl};
	list_csv_row(f, NULL, 0);
	list_csv_row(f, pr, 2);
	list_csv_row(f, NULL, 0);
	list_csv_row(f, tail, 3);
	const char *hl[1] = {head};
	list_csv_row(f, hl, 1);
	return 0;
}

/* the height of the lines under the totals table (the payment line, the
 * audit chain's head), kept with the signatures */
#define MONTHLY_TAIL (2 + 10.5f * PRINT_LINE_PITCH + 1 + 10 * PRINT_LINE_PITCH + 9 * PRINT_LINE_PITCH + 4)

/* The report below its title; -1 on a print error (the document stays). */
static int
monthly_body(struct print_doc *doc, const struct monthly *mo)
{
	const struct monthly_report *r = mo->r;
	const struct section *s = mo->s;
	const struct tgroup *tg = mo->tg;
	int ns = 4, ntg = 4;
	char mon[8], from[11], to[11], line[512], bufs[7][32];
	const char *cells[9];
	struct print_table ti = {
		.ncols = 7, .width_mm = {36, 18, 16, 18, 10, 26, 32},
		.header = {"档案编号", "村（社区）", "姓名", "日期", "人数", "金额（元）", "原因"},
		.size = 8.5f, .pad_mm = 0.7f,
	};
	struct print_table tt = {
		.ncols = 9, .width_mm = {18, 22, 12, 12, 12, 18, 16, 14, 32},
		.header = {"汇总", "分组", "户数", "人数", "女性", "60岁以上", "未成年人", "残疾人", "月保障金（元）"},
		.size = 8.5f, .pad_mm = 0.5f,
	};

	month_format(r->month, mon);
	snprintf(line, sizeof line, "统计期间：%s 至 %s（%s月报）。", date_format(r->from, from), date_format(r->to, to), mon);
	if (print_paragraph(doc, PRINT_SONG, 11, 0, line) != 0)
		return -1;
	for (int i = 0; i < ns; i++) {
		snprintf(line, sizeof line, "%s：%zu户", s[i].title, s[i].l->n);
		if (print_skip(doc, 2) != 0 || print_paragraph(doc, PRINT_SONG, 11, 0, line) != 0)
			return -1;
		if (s[i].l->n == 0) {
			if (strcmp(s[i].title, "死亡人员") == 0 &&
			    print_paragraph(doc, PRINT_SONG, 11, 2, ZERO_DEATHS) != 0)
				return -1;
			continue;
		}
		if (print_table_header(doc, &ti) != 0)
			return -1;
		for (size_t k = 0; k < s[i].l->n; k++) {
			const struct monthly_item *it = &s[i].l->v[k];
			char amount[80], o[32], n[32], p[16];
			if (it->old_total && it->total)
				snprintf(amount, sizeof amount, "%s→%s", money_format(it->old_total, o), money_format(it->total, n));
			else
				snprintf(amount, sizeof amount, "%s", it->total ? money_format(it->total, n) :
				    it->old_total ? money_format(it->old_total, o) : "");
			snprintf(p, sizeof p, "%d", it->persons);
			const char *row[7] = {it->dossier, it->village, it->name, date_format(it->date, from),
			    it->persons ? p : "", amount, it->reason};
			if (print_table_row(doc, &ti, row) != 0)
				return -1;
		}
	}
	if (print_skip(doc, 4) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 11, 0, "期末在保情况（按村、城乡、复核类别、保障类型汇总）") != 0 ||
	    print_table_header(doc, &tt) != 0)
		return -1;
	total_cells("合计", "全乡镇", &r->all, bufs, cells);
	if (print_table_row(doc, &tt, cells) != 0)
		return -1;
	/* issue 15: the last two rows, the lines under the table and the
	 * signatures stay together: a report that runs on continues with the
	 * table's header, its last rows, the lines and the signatures, never
	 * the signatures alone */
	int left = 0;
	for (int i = 0; i < ntg; i++)
		left += tg[i].n;
	for (int i = 0; i < ntg; i++)
		for (int k = 0; k < tg[i].n; k++, left--) {
			total_cells(tg[i].title, tg[i].g[k].key, &tg[i].g[k].t, bufs, cells);
			if (left == 2) {
				int before = print_page_count(doc);
				float row = 8.5f * PRINT_LINE_PITCH + PRINT_MM(2 * tt.pad_mm) + 2;
				if (print_need(doc, 2 * row + MONTHLY_TAIL + list_sign_height(2, false)) != 0)
					return -1;
				if (print_page_count(doc) != before &&
				    (print_paragraph(doc, PRINT_SONG, 11, 0, MONTHLY_TITLE "（续）") != 0 ||
				    print_table_header(doc, &tt) != 0))
					return -1;
			}
			if (print_table_row(doc, &tt, cells) != 0)
				return -1;
		}
	payment_line(mo, line, sizeof line);
	if (print_skip(doc, 2) != 0 || print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0)
		return -1;
	snprintf(line, sizeof line, "审计链截至%s共%llu条，链头哈希：", date_format(r->to, to),
	    (unsigned long long)r->audit_count);
	if (print_skip(doc, 1) != 0 || print_paragraph(doc, PRINT_SONG, 10, 0, line) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 9, 0, r->head) != 0)
		return -1;
	return 0;
}


static int
monthly_pdf(struct store *st, struct err *e, const struct monthly *mo, const char *path)
{
	char form[64], mon[8];
	struct print_doc *doc;

	month_format(mo->r->month, mon);
	snprintf(form, sizeof form, "表号：DB-YB  No. %s", mon);
	/* the period end is the document's date: printing later changes nothing */
	if ((doc = list_pdf_begin(st, e, MONTHLY_TITLE, form, "", mo->r->to, "")) == NULL)
		return -1;
	if (monthly_body(doc, mo) != 0)
		return list_pdf_fail(e, doc);
	if (list_sign_and_seal_after_text(st, e, doc, roles, 2) != 0)
		return list_pdf_fail(e, doc);
	return list_pdf_end(e, doc, path);
}

static int
monthly_csv(struct err *e, const struct monthly *mo, const char *path)
{
	FILE *f = list_csv_create(e, path);

	if (f == NULL)
		return -1;
	monthly_csv_stream(f, (void *)mo);
	return list_csv_close(e, f, path);
}

/* `dibao report monthly --pdf --csv`, the console and the archive.  The
 * report is built whole before a file is opened: a cancel through pg
 * leaves no file. */
int
report_monthly_write(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf, const char *csv,
    const struct progress *pg, struct err *e)
{
	struct monthly_report *r;
	int ret = 0;

	(void)actor;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (report_monthly(st, m, r, pg, e) != 0) {
		free(r);
		return -1;
	}
	ret = report_monthly_write_built(st, r, pdf, csv, e);
	report_free(r);
	free(r);
	return ret;
}

/* The same files from a report already built (issue 17: `report monthly`
 * and the archive built it twice). */
int
report_monthly_write_built(struct store *st, const struct monthly_report *r, const char *pdf, const char *csv,
    struct err *e)
{
	struct monthly mo;

	monthly_init(&mo, r);
	if (monthly_payment(st, &mo, e) != 0)
		return -1;
	if ((csv && monthly_csv(e, &mo, csv) != 0) || (pdf && monthly_pdf(st, e, &mo, pdf) != 0))
		return -1;
	return 0;
}

/* ---- the printed form `monthly` ----------------------------------------- */

/* The month's report (the caller's, issue 17, or built here into *own)
 * with its payment figures; monthly_put(*own) afterwards in every case. */
static int
monthly_get(struct form_ctx *c, struct monthly_report **own, struct monthly *mo)
{
	*own = NULL;
	if (c->monthly == NULL) {
		if ((*own = malloc(sizeof **own)) == NULL)
			return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
		if (report_monthly(c->st, c->month, *own, NULL, c->e) != 0) {
			free(*own);
			*own = NULL;
			return -1;
		}
	}
	monthly_init(mo, *own ? *own : c->monthly);
	return monthly_payment(c->st, mo, c->e);
}

static void
monthly_put(struct monthly_report *own)
{
	if (own != NULL) {
		report_free(own);
		free(own);
	}
}

int
form_monthly(struct print_doc *doc, struct form_ctx *c)
{
	struct monthly_report *r;
	struct monthly mo;
	int ret = -1;

	if (monthly_get(c, &r, &mo) == 0 && form_begin(doc, c, MONTHLY_TITLE) == 0 && monthly_body(doc, &mo) == 0 &&
	    list_sign_and_seal_after_text(c->st, c->e, doc, roles, 2) == 0)
		ret = 0;
	monthly_put(r);
	return ret;
}

/* The CSV of the month, which carries the audit chain's head at the
 * period's end: a changed history changes the hash. */
int
digest_monthly(struct form_ctx *c, unsigned char hash[32])
{
	struct monthly_report *r;
	struct monthly mo;
	int ret;

	ret = monthly_get(c, &r, &mo) != 0 ? -1 : list_digest(monthly_csv_stream, &mo, hash, c->e);
	monthly_put(r);
	return ret;
}
