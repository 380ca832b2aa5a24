/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-sample.c — the county's visit list (入户核查走访名单, SPEC 9): every
 * kin-filing case and the cases drawn from the period's new ones, with a
 * column for the visit, as `dibao county sample --pdf --csv` writes it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/date.h"
#include "core/money.h"
#include "core/roles.h"
#include "store/county.h"
#include "store/env.h"
#include "store/err.h"

const char *
sample_why(const struct county_case *k)
{
	return k->kin ? "近亲属备案（必访）" : "新增对象抽查";
}

/* Each drawn household's row of the list (PDF and CSV alike) to fn; the
 * first non-zero return of fn ends the walk and is returned. */
static int
sample_each(const struct county_sample *s, int (*fn)(const char *const *row, void *baton), void *baton)
{
	char money[32], persons[16];
	int r;

	for (size_t i = 0; i < s->n; i++) {
		const struct county_case *k = &s->v[i];
		if (!k->sampled)
			continue;
		money_format(k->total, money);
		snprintf(persons, sizeof persons, "%d", k->persons);
		const char *row[8] = {k->township, k->dossier, k->village, k->head, persons, money, sample_why(k), ""};
		if ((r = fn(row, baton)) != 0)
			return r;
	}
	return 0;
}

struct pdf_rows {
	struct print_doc *doc;
	const struct print_table *t;
};

static int
pdf_row(const char *const *row, void *baton)
{
	struct pdf_rows *p = baton;
	return print_table_row(p->doc, p->t, row);
}

static int
csv_row(const char *const *row, void *baton)
{
	list_csv_row(baton, row, 8);
	return 0;
}

static int
sample_pdf(struct store *st, const struct user *actor, const struct county_sample *s, const char *path,
    struct err *e)
{
	char title[128], mon[8], line[256];
	struct print_doc *doc;
	struct print_table t = {
		.ncols = 8, .width_mm = {20, 36, 18, 18, 10, 16, 26, 30},
		.header = {"乡镇代码", "档案编号", "村（社区）", "户主", "人数", "月保障金", "走访原因", "走访情况（签字）"},
		.size = 8.5f, .pad_mm = 1.2f,
	};
	static const char *const roles[] = {"走访人", "复核人"};

	month_format(s->period, mon);
	snprintf(title, sizeof title, "最低生活保障入户核查走访名单（%s）", mon);
	if ((doc = list_pdf_begin(st, e, title, "表号：XJ-ZF", actor->name[0] ? actor->name : actor->login, 0, "")) == NULL)
		return -1;
	snprintf(line, sizeof line, "近亲属备案对象%d户全部走访；新增对象%d户，抽取%d户（不少于30%%）。抽样种子：%.16s…",
	    s->n_kin, s->n_new, s->n_drawn, s->seed);
	if (print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0 || print_skip(doc, 4) != 0 ||
	    print_table_header(doc, &t) != 0)
		return list_pdf_fail(e, doc);
	struct pdf_rows pr = {doc, &t};
	if (sample_each(s, pdf_row, &pr) != 0)
		return list_pdf_fail(e, doc);
	if (list_pdf_sign_and_seal(st, e, doc, roles, 2) != 0)
		return -1;
	return list_pdf_end(e, doc, path);
}

static int
sample_csv(const struct county_sample *s, const char *path, struct err *e)
{
	static const char *const head[] = {
		"乡镇代码", "档案编号", "村（社区）", "户主", "人数", "月保障金（元）", "走访原因", "走访情况",
	};
	FILE *f = list_csv_open(e, path, head, 8);
	if (f == NULL)
		return -1;
	(void)sample_each(s, csv_row, f);
	return list_csv_close(e, f, path);
}

int
sample_write(struct store *st, const struct user *actor, const struct county_sample *s, const char *pdf,
    const char *csv, struct err *e)
{
	if (pdf && sample_pdf(st, actor, s, pdf, e) != 0)
		return -1;
	if (csv && sample_csv(s, csv, e) != 0)
		return -1;
	return 0;
}
