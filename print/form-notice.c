/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-notice.c — a village's public notice (公示名单, SPEC 7): name,
 * village and group, persons, monthly amount, support type, kin-filing
 * mark, the notice period and the complaint phones.  Only what the notice
 * needs (seed 004): no ID number, no bank data, no health; minors, HIV/AIDS
 * and confidential members are never named.  As `dibao notice post` and
 * `report notice` write it, and as the printed form `notice`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/date.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"
#include "store/screen.h"
#include "store/village.h"

#define NCOLS 10
#define CONFIDENTIAL_NOTE "未成年人、艾滋病患者等个人信息需保密的对象依规不予公示姓名。"

static const char *const notice_head[NCOLS] = {
	"序号", "户主姓名", "村（社区）", "组", "保障人数", "月保障金（元）", "保障类型", "近亲属备案",
	"公示开始", "公示结束",
};
static const char *const roles[] = {"公示单位（盖章）"};

struct notice {
	struct village v;
	struct list_table t;
	char line[512];		/* the complaint phones */
};

static int
collect(const struct notice_row *r, void *baton)
{
	struct list_table *t = baton;
	char no[16], persons[16], a[32], d1[11], d2[11];

	snprintf(no, sizeof no, "%zu", t->n + 1);
	snprintf(persons, sizeof persons, "%d", r->persons);
	money_format(r->amount, a);
	date_format(r->d->proc.notice_start, d1);
	date_format(r->d->proc.notice_end, d2);
	const char *cells[NCOLS] = {no, r->name, r->d->village, r->d->group, persons, a,
	    support_terms[r->d->support].zh, r->kin ? "有近亲属备案" : "", d1, d2};
	return list_add(t, cells) != 0;
}

static int
notice_load(struct store *st, const char *village, struct notice *n, struct err *e)
{
	char pt[TEXT_SHORT] = "", pc[TEXT_SHORT] = "";

	memset(n, 0, sizeof *n);
	n->t.ncols = NCOLS;
	if (village_resolve(st, NULL, village, &n->v, e) != 0 || notice_rows(st, n->v.name, collect, &n->t, e) != 0)
		return -1;
	if (n->t.oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (notice_phones_required(st, NULL, pt, pc, sizeof pt, e) != 0)
		return -1;
	snprintf(n->line, sizeof n->line, "公示期内如有异议，请向乡镇（街道）或县民政局反映。监督举报电话：乡镇 %s；县民政局 %s。",
	    pt, pc);
	return 0;
}

static int
notice_csv_stream(FILE *f, void *arg)
{
	const struct notice *n = arg;
	const char *tail[1] = {n->line};

	list_csv_head(f, notice_head, NCOLS);
	for (size_t i = 0; i < n->t.n; i++)
		list_csv_row(f, list_row(&n->t, i), NCOLS);
	list_csv_row(f, tail, 1);
	return 0;
}

/* The table, the phones and the confidentiality note; -1 on a print error. */
static int
notice_body(struct print_doc *doc, const struct notice *n)
{
	struct print_table t = {
		.ncols = NCOLS, .width_mm = {9, 20, 20, 11, 11, 17, 13, 19, 18, 18},
		.size = 8.0f, .pad_mm = 0.8f,
	};
	for (int i = 0; i < NCOLS; i++)
		t.header[i] = notice_head[i];
	if (print_table_header(doc, &t) != 0)
		return -1;
	for (size_t i = 0; i < n->t.n; i++)
		if (print_table_row(doc, &t, list_row(&n->t, i)) != 0)
			return -1;
	if (print_skip(doc, 10) != 0 || print_paragraph(doc, PRINT_SONG, 11, 2, n->line) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 10, 2, CONFIDENTIAL_NOTE) != 0)
		return -1;
	return 0;
}

int
notice_export(struct store *st, const char *village, const char *csv, bool list_stdout, char vname[TEXT_SHORT],
    struct err *e)
{
	struct notice *n = malloc(sizeof *n);
	int ret = -1;

	if (n == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (notice_load(st, village, n, e) != 0)
		goto out;
	snprintf(vname, TEXT_SHORT, "%s", n->v.name);
	if (csv) {
		FILE *f = list_csv_create(e, csv);
		if (f == NULL)
			goto out;
		notice_csv_stream(f, n);
		if (list_csv_close(e, f, csv) != 0)
			goto out;
	}
	if (list_stdout)
		for (size_t i = 0; i < n->t.n; i++) {
			const char *const *r = list_row(&n->t, i);
			printf("%s %s %s %s %s %s %s %s~%s\n", r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
		}
	ret = 0;
out:
	list_free(&n->t);
	free(n);
	return ret;
}

int
form_notice(struct print_doc *doc, struct form_ctx *c)
{
	struct notice *n = malloc(sizeof *n);
	char title[160];
	int ret = -1;

	if (n == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	if (notice_load(c->st, c->village, n, c->e) == 0) {
		snprintf(title, sizeof title, "%s最低生活保障公示名单", n->v.name);
		if (form_begin(doc, c, title) == 0 && notice_body(doc, n) == 0 &&
		    list_sign_and_seal(c->st, c->e, doc, roles, 1) == 0)
			ret = 0;
	}
	list_free(&n->t);
	free(n);
	return ret;
}

int
digest_notice(struct form_ctx *c, unsigned char hash[32])
{
	struct notice *n = malloc(sizeof *n);
	int ret = -1;

	if (n == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	if (notice_load(c->st, c->village, n, c->e) == 0)
		ret = list_digest(notice_csv_stream, n, hash, c->e);
	list_free(&n->t);
	free(n);
	return ret;
}
