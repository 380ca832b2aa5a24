/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-out.c — the month's payment roster to files (issue 13): the bank
 * file as CSV (UTF-8 with BOM, through the guarded list writer) and XLSX
 * (libxlsxwriter in constant-memory mode: rows stream to disk, so 100,000
 * households need no more memory than ten), and the printed roster as a
 * recorded print (form "payment", print/form-payment.c).  One pass over
 * the roster feeds every file and the caller's own rows.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "import/payment-files.h"
#include "store/afile.h"
#include "print/forms.h"
#include "core/base.h"
#include "core/roles.h"
#include "store/payment.h"

#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

struct pout {
	FILE *csv;
	struct afile xaf;       /* the XLSX's temporary: whole, 0600, or nothing */
	lxw_workbook *wb;
	lxw_worksheet *ws, *held, *rec, *sum;
	lxw_format *money, *text;
	int row, hrow, rrow, seq;
	int (*fn)(const struct pay_row *, void *);
	void *baton;
	struct err *e;
	bool failed;
	struct pay_replay *replay;     /* --pdf: the rows kept for the print */
};

static void
xput(struct pout *o, lxw_worksheet *ws, int row, int col, const char *s, const fen_t *money)
{
	lxw_error r;
	if (money != NULL)
		r = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)*money / 100.0, o->money);
	else
		r = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, o->text);
	if (r != LXW_NO_ERROR)
		o->failed = true;
}

static void
xrow(struct pout *o, lxw_worksheet *ws, int row, const char *const *cells, int n, const int *money_cols,
    const fen_t *money)
{
	for (int k = 0; k < n; k++) {
		const fen_t *m = NULL;
		for (int i = 0; money_cols && money_cols[i] >= 0; i++)
			if (money_cols[i] == k)
				m = &money[i];
		if (m == NULL && (cells[k] == NULL || cells[k][0] == '\0'))
			continue;
		xput(o, ws, row, k, cells[k], m);
	}
}

static const char *const held_head[] = {"户档案编号", "村/社区", "户主姓名", "保障人数", "应发金额(元)", "暂停发放原因"};
static const char *const rec_head[] = {"户档案编号", "村/社区", "户主姓名", "追缴月份", "追缴金额(元)", "原因"};

static int
pout_row(const struct pay_row *w, void *baton)
{
	struct pout *o = baton;
	char num[8][32], months[PAY_MAX_MONTHS * 20];

	if (o->fn && o->fn(w, o->baton) != 0)
		return -1;
	if (o->replay && payment_replay_add(o->replay, w, o->e) != 0)
		return -1;
	if (w->kind == PAY_ROW) {
		const char *cells[PAYMENT_BANK_COLS];
		o->seq++;
		payment_bank_cells(w, o->seq, num, months, sizeof months, cells);
		if (o->csv)
			list_csv_row(o->csv, cells, PAYMENT_BANK_COLS);
		if (o->wb) {
			static const int mc[] = {9, 10, 11, 12, 14, -1};
			fen_t mv[] = {w->base, w->addons, w->amount, w->arrears, w->pay};
			xrow(o, o->ws, ++o->row, cells, PAYMENT_BANK_COLS, mc, mv);
		}
	} else if (o->wb && w->kind == PAY_HELD) {
		snprintf(num[0], sizeof num[0], "%d", w->persons);
		const char *cells[] = {w->dossier, w->village, w->head, num[0], "", w->reason};
		static const int mc[] = {4, -1};
		xrow(o, o->held, ++o->hrow, cells, 6, mc, &w->pay);
	} else if (o->wb && w->kind == PAY_RECOVERY) {
		payment_months_text(w, months, sizeof months);
		const char *cells[] = {w->dossier, w->village, w->head, months, "", w->reason};
		static const int mc[] = {4, -1};
		xrow(o, o->rec, ++o->rrow, cells, 6, mc, &w->pay);
	}
	return o->failed ? err_set(o->e, E_STORAGE, "%s", _("libxlsxwriter: cannot write a row")) : 0;
}

static int
xlsx_open(struct pout *o, const char *path, struct err *e)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};

	/* whole account numbers: written beside path, 0600 whatever the umask,
	 * renamed into place only once durable (store/afile.c, issue 16) */
	if (afile_reserve(&o->xaf, path, AFILE_PRIVATE) != 0)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	if ((o->wb = workbook_new_opt(o->xaf.tmp, &opt)) == NULL) {
		afile_abort(&o->xaf);
		return err_set(e, E_REFUSED, _("%s: cannot create the workbook"), path);
	}
	if ((o->ws = workbook_add_worksheet(o->wb, "发放花名册")) == NULL ||
	    (o->held = workbook_add_worksheet(o->wb, "暂停发放")) == NULL ||
	    (o->rec = workbook_add_worksheet(o->wb, "追缴")) == NULL ||
	    (o->sum = workbook_add_worksheet(o->wb, "汇总")) == NULL ||
	    (o->money = workbook_add_format(o->wb)) == NULL || (o->text = workbook_add_format(o->wb)) == NULL) {
		workbook_close(o->wb);
		o->wb = NULL;
		afile_abort(&o->xaf);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	format_set_num_format(o->money, "0.00");
	format_set_num_format(o->text, "@");
	xrow(o, o->ws, 0, payment_bank_head, PAYMENT_BANK_COLS, NULL, NULL);
	xrow(o, o->held, 0, held_head, 6, NULL, NULL);
	xrow(o, o->rec, 0, rec_head, 6, NULL, NULL);
	return 0;
}

static void
xlsx_summary(struct pout *o, const struct pay_totals *t, bool frozen)
{
	static const char *const head[] = {"村/社区", "户数", "人数", "实发金额(元)"};
	char a[16], b[16];
	int row = 0;
	static const int mc[] = {3, -1};

	xrow(o, o->sum, row++, head, 4, NULL, NULL);
	for (int i = 0; i < t->n_village; i++) {
		snprintf(a, sizeof a, "%d", t->village[i].t.households);
		snprintf(b, sizeof b, "%d", t->village[i].t.persons);
		const char *c[] = {t->village[i].key, a, b, ""};
		xrow(o, o->sum, row++, c, 4, mc, &t->village[i].t.amount);
	}
	snprintf(a, sizeof a, "%d", t->households);
	snprintf(b, sizeof b, "%d", t->persons);
	const char *c[] = {"全乡镇合计", a, b, ""};
	xrow(o, o->sum, row++, c, 4, mc, &t->total);
	snprintf(a, sizeof a, "%d", t->held);
	const char *h[] = {"暂停发放（不计入合计）", a, "", ""};
	xrow(o, o->sum, row++, h, 4, mc, &t->held_amount);
	const char *s[] = {frozen ? "已提交冻结的批次" : "未提交（提交后冻结）", "", "", ""};
	xrow(o, o->sum, row, s, 1, NULL, NULL);
}

int
payment_roster_write(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf, const char *csv,
    const char *xlsx, int (*fn)(const struct pay_row *, void *), void *baton, struct pay_totals *t, bool *frozen,
    const struct progress *pg, struct err *e)
{
	struct pout o;
	struct pay_replay replay;
	int ret;

	memset(&o, 0, sizeof o);
	o.fn = fn;
	o.baton = baton;
	o.e = e;
	/* the bank file carries whole account and ID numbers: taking it away
	 * is an export (issue 14 point 6: clerks and admins, never the
	 * inspector); the printed roster is masked and stays open to all */
	if ((csv || xlsx) && store_require(actor, ACT_EXPORT, e) != 0)
		return -1;
	/* one pass over the roster for every file: the print reads it back */
	if (pdf && payment_replay_open(&replay, e) != 0)
		return -1;
	o.replay = pdf ? &replay : NULL;
	if (csv && (o.csv = list_csv_open(e, csv, payment_bank_head, PAYMENT_BANK_COLS)) == NULL) {
		if (pdf)
			payment_replay_close(&replay);
		return -1;
	}
	if (xlsx && xlsx_open(&o, xlsx, e) != 0) {
		if (o.csv)
			list_csv_abort(o.csv);
		if (pdf)
			payment_replay_close(&replay);
		return -1;
	}
	ret = payment_roster(st, m, pout_row, &o, t, frozen, pg, e);
	replay.t = t;
	replay.frozen = *frozen;
	if (o.wb && ret == 0)
		xlsx_summary(&o, t, *frozen);
	if (o.wb) {
		lxw_error r = workbook_close(o.wb);
		if (r != LXW_NO_ERROR && ret == 0)
			ret = err_set(e, E_STORAGE, "%s: libxlsxwriter: %s", xlsx, lxw_strerror(r));
	}
	if (ret == 0 && (o.failed))
		ret = err_set(e, E_STORAGE, "%s", _("libxlsxwriter: cannot write a row"));
	/* both files whole and durable, or neither left behind */
	if (o.csv && ret != 0)
		list_csv_abort(o.csv);
	else if (o.csv && list_csv_close(e, o.csv, csv) != 0)
		ret = -1;
	if (o.wb && ret != 0)
		afile_abort(&o.xaf);
	else if (o.wb && afile_commit(&o.xaf) != 0)
		ret = err_set(e, E_STORAGE, _("cannot write %s (%s): %s"), xlsx, o.xaf.what, strerror(errno));
	if (ret == 0 && (csv || xlsx)) {
		/* the bank file carries whole account numbers: its making is audited */
		char what[32];
		snprintf(what, sizeof what, "%s%s%s", csv ? "csv" : "", csv && xlsx ? "," : "", xlsx ? "xlsx" : "");
		ret = payment_bankfile_audit(st, actor, m, what, e);
	}
	if (ret == 0 && pdf) {
		struct print_job job;
		memset(&job, 0, sizeof job);
		job.form = "payment";
		job.month = m;
		job.copies = 1;
		job.out = pdf;
		job.payment = &replay;
		ret = print_job_run(st, actor, &job, e);
	}
	if (pdf)
		payment_replay_close(&replay);
	if (ret != 0) {
		if (csv)
			unlink(csv);
		if (xlsx)
			unlink(xlsx);
	}
	return ret;
}
