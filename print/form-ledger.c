/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-ledger.c — the complaint clue ledger (举报线索台账) and the
 * rectification ledger (整改台账) of SPEC 6 as printed forms `clues` and
 * `fixes`: every item recorded by the end of the month, closed only if
 * closed by then.  The reporter is confidential and never printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/roles.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/ledger.h"

static const char *const clue_head[] = {
	"编号", "受理日期", "渠道", "关联档案", "类别", "反映内容", "承办人", "办结时限", "进展", "核查结论",
	"处理结果", "移交纪检", "销号日期", "状态",
};
static const char *const fix_head[] = {
	"编号", "登记日期", "问题", "来源", "整改措施", "责任人", "整改时限", "进展", "整改佐证", "销号日期", "状态",
};
static const char *const roles[] = {"经办人", "审核人"};

struct lbaton {
	struct list_table t;
	dbdate_t asof;
	bool open, overdue;	/* filters of `clue list` / `fix list` */
};

static dbdate_t
asof(const struct form_ctx *c)
{
	dbdate_t end = month_last_day(c->month);
	return end < c->today ? end : c->today;
}

static int
clue_row(const struct clue *cl, void *baton)
{
	struct lbaton *b = baton;
	char r[11], dl[11], cd[11];
	dbdate_t closed = cl->closed <= b->asof ? cl->closed : 0;
	bool overdue = ledger_overdue(cl->deadline, closed, b->asof);

	bool later = cl->closed > b->asof;	/* closed after the date: open then */

	if (cl->received > b->asof || (b->open && closed) || (b->overdue && !overdue))
		return 0;
	date_format(cl->received, r);
	date_format(cl->deadline, dl);
	date_format(closed, cd);
	const char *cells[14] = {
		cl->no, r, clue_channel_terms[cl->channel].zh, cl->dossier, clue_category_terms[cl->category].zh,
		cl->content, cl->handler, dl, cl->n_notes ? cl->notes[cl->n_notes - 1].text : "",
		later ? "" : clue_finding_terms[cl->finding].zh, later ? "" : cl->action,
		cl->transferred ? "是" : "否", cd, closed ? "已销号" : overdue ? "逾期" : "办理中",
	};
	return list_add(&b->t, cells) != 0;
}

static int
fix_row(const struct fix *f, void *baton)
{
	struct lbaton *b = baton;
	char r[11], dl[11], cd[11];
	dbdate_t closed = f->closed <= b->asof ? f->closed : 0;
	bool overdue = ledger_overdue(f->deadline, closed, b->asof);

	bool later = f->closed > b->asof;

	if (f->recorded > b->asof || (b->open && closed) || (b->overdue && !overdue))
		return 0;
	date_format(f->recorded, r);
	date_format(f->deadline, dl);
	date_format(closed, cd);
	const char *cells[11] = {
		f->no, r, f->problem, fix_source_terms[f->source].zh, f->measure, f->owner, dl,
		f->n_notes ? f->notes[f->n_notes - 1].text : "", later ? "" : f->evidence, cd,
		closed ? "已销号" : overdue ? "逾期" : "整改中",
	};
	return list_add(&b->t, cells) != 0;
}

static int
load_asof(struct store *st, bool clues, dbdate_t when, bool open, bool overdue, struct lbaton *b, struct err *e)
{
	memset(b, 0, sizeof *b);
	b->t.ncols = clues ? 14 : 11;
	b->asof = when;
	b->open = open;
	b->overdue = overdue;
	if ((clues ? clue_list(st, clue_row, b, e) : fix_list(st, fix_row, b, e)) != 0)
		return -1;
	if (b->t.oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	return 0;
}

static int
load(struct form_ctx *c, bool clues, struct lbaton *b)
{
	return load_asof(c->st, clues, asof(c), false, false, b, c->e);
}

static int
csv_stream(FILE *f, void *arg)
{
	const struct list_table *t = arg;

	list_csv_head(f, t->ncols == 14 ? clue_head : fix_head, t->ncols);
	for (size_t i = 0; i < t->n; i++)
		list_csv_row(f, list_row(t, i), t->ncols);
	return 0;
}

/* `clue list --csv` and `fix list --csv`: the ledger today. */
int
ledger_csv_write(struct store *st, const struct user *actor, bool clues, bool open, bool overdue, const char *csv,
    int *rows, struct err *e)
{
	struct lbaton b;
	FILE *f;
	int ret = -1;

	(void)actor;
	if (load_asof(st, clues, store_today(), open, overdue, &b, e) != 0)
		goto out;
	if ((f = list_csv_create(e, csv)) == NULL)
		goto out;
	csv_stream(f, &b.t);
	if (list_csv_close(e, f, csv) != 0)
		goto out;
	if (rows)
		*rows = (int)b.t.n;
	ret = 0;
out:
	list_free(&b.t);
	return ret;
}

static int
ledger_form(struct print_doc *doc, struct form_ctx *c, bool clues)
{
	/* the columns a sheet has room for */
	static const int clue_cols[] = {0, 1, 2, 4, 5, 6, 7, 9, 13};
	static const int fix_cols[] = {0, 1, 2, 3, 4, 5, 6, 10};
	struct print_table t = {
		.ncols = clues ? 9 : 8, .size = 8.0f, .pad_mm = 0.8f,
	};
	static const float cw[] = {24, 17, 12, 16, 40, 16, 17, 14, 14};
	static const float fw[] = {24, 17, 36, 12, 36, 16, 17, 14};
	const int *cols = clues ? clue_cols : fix_cols;
	struct lbaton b;
	char mon[8], title[160], line[160], d[11];
	int ret = -1;

	for (int i = 0; i < t.ncols; i++) {
		t.width_mm[i] = clues ? cw[i] : fw[i];
		t.header[i] = (clues ? clue_head : fix_head)[cols[i]];
	}
	if (load(c, clues, &b) != 0)
		return -1;
	month_format(c->month, mon);
	snprintf(title, sizeof title, "%s（%s）", clues ? "举报线索台账" : "整改台账", mon);
	date_format(b.asof, d);
	snprintf(line, sizeof line, "截至 %s，共 %zu 项。", d, b.t.n);
	if (form_begin(doc, c, title) != 0 || print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0 ||
	    print_table_header(doc, &t) != 0)
		goto out;
	for (size_t i = 0; i < b.t.n; i++) {
		const char *const *r = list_row(&b.t, i);
		const char *cells[9];
		for (int k = 0; k < t.ncols; k++)
			cells[k] = r[cols[k]];
		if (print_table_row(doc, &t, cells) != 0)
			goto out;
	}
	ret = list_sign_and_seal(c->st, c->e, doc, roles, 2);
out:
	list_free(&b.t);
	return ret;
}

static int
ledger_digest(struct form_ctx *c, bool clues, unsigned char hash[32])
{
	struct lbaton b;
	int ret = -1;

	if (load(c, clues, &b) == 0)
		ret = list_digest(csv_stream, &b.t, hash, c->e);
	list_free(&b.t);
	return ret;
}

int form_clues(struct print_doc *doc, struct form_ctx *c) { return ledger_form(doc, c, true); }
int form_fixes(struct print_doc *doc, struct form_ctx *c) { return ledger_form(doc, c, false); }
int digest_clues(struct form_ctx *c, unsigned char hash[32]) { return ledger_digest(c, true, hash); }
int digest_fixes(struct form_ctx *c, unsigned char hash[32]) { return ledger_digest(c, false, hash); }
