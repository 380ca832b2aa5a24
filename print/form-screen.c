/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-screen.c — the screening lists (重点筛查, SPEC 7): the people and
 * households to visit, each with a column for the visit.  ID numbers are
 * masked (first 6, last 4): these lists go out to village cadres.  As
 * `dibao screen KIND --pdf --csv` writes them, and as the printed forms
 * `screen-KIND` (one village's part of the list).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/ledger-model.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"
#include "store/screen.h"
#include "store/village.h"

#define NCOLS 9

static const char *const head[NCOLS] = {
	"序号", "档案编号", "村（社区）", "组", "姓名", "身份证号码", "筛查原因", "走访日期", "走访结果",
};
static const char *const roles[] = {"走访人", "经办人"};

struct sbaton {
	struct list_table *t;
	const char *village;
};

static int
collect(const struct screen_row *r, void *baton)
{
	struct sbaton *b = baton;
	char masked[ID_LEN + 1] = "", d[11], no[16];

	if (b->village && strcmp(r->d->village, b->village) != 0)
		return 0;
	if (r->m)
		id_mask(r->m->id, masked);
	date_format(r->visited, d);
	snprintf(no, sizeof no, "%zu", b->t->n + 1);
	const char *cells[NCOLS] = {no, r->d->no, r->d->village, r->d->group, r->m ? r->m->name : "", masked,
	    r->reason, d, r->outcome};
	return list_add(b->t, cells) != 0;
}

static int
screen_load(struct store *st, enum screen_kind k, dbdate_t since, const char *village, struct list_table *t,
    struct err *e)
{
	struct sbaton b = {t, NULL};
	struct village v;

	t->ncols = NCOLS;
	if (village) {
		if (village_resolve(st, NULL, village, &v, e) != 0)
			return -1;
		b.village = v.name;
	}
	if (screen_list(st, k, since, collect, &b, e) != 0)
		return -1;
	if (t->oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	return 0;
}

static int
screen_csv_stream(FILE *f, void *arg)
{
	const struct list_table *t = arg;

	list_csv_head(f, head, NCOLS);
	for (size_t i = 0; i < t->n; i++)
		list_csv_row(f, list_row(t, i), NCOLS);
	return 0;
}

static int
screen_body(struct print_doc *doc, const struct list_table *l)
{
	struct print_table t = {
		.ncols = 8, .width_mm = {8, 28, 16, 18, 28, 30, 14, 14},
		.header = {"序号", "档案编号", "村（社区）", "姓名", "身份证号码", "筛查原因", "走访日期", "走访结果（签字）"},
		.size = 8.0f, .pad_mm = 0.8f,
	};
	if (print_table_header(doc, &t) != 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const char *const *r = list_row(l, i);
		const char *cells[8] = {r[0], r[1], r[2], r[4], r[5], r[6], r[7], r[8]};
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	return 0;
}

int
screen_export(struct store *st, enum screen_kind k, dbdate_t since, const char *village, const char *csv,
    struct list_table *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (screen_load(st, k, since, village, t, e) != 0)
		return -1;
	if (csv) {
		FILE *f = list_csv_create(e, csv);
		if (f == NULL)
			return -1;
		screen_csv_stream(f, t);
		if (list_csv_close(e, f, csv) != 0)
			return -1;
	}
	return 0;
}

/* The list a form prints: "screen-disabled" is screen_terms' "disabled". */
static int
form_kind(const struct form_ctx *c)
{
	const char *name = c->def->name + strlen("screen-");
	for (int k = 0; k < SCR__N; k++)
		if (strcmp(screen_terms[k].en, name) == 0)
			return k;
	return err_set(c->e, E_USAGE, _("no form %s (dibao print --list lists them)"), c->def->name);
}

int
form_screen(struct print_doc *doc, struct form_ctx *c)
{
	struct list_table t = {0};
	char title[200];
	int k = form_kind(c), ret = -1;

	if (k < 0)
		return -1;
	if (screen_load(c->st, (enum screen_kind)k, 0, c->village, &t, c->e) == 0) {
		snprintf(title, sizeof title, "重点筛查名单（%s）", screen_terms[k].zh);
		if (form_begin(doc, c, title) == 0 &&
		    (c->village == NULL || print_paragraph(doc, PRINT_SONG, 10.5f, 0, c->village) == 0) &&
		    screen_body(doc, &t) == 0 && list_sign_and_seal(c->st, c->e, doc, roles, 2) == 0)
			ret = 0;
	}
	list_free(&t);
	return ret;
}

int
digest_screen(struct form_ctx *c, unsigned char hash[32])
{
	struct list_table t = {0};
	int k = form_kind(c), ret = -1;

	if (k < 0)
		return -1;
	if (screen_load(c->st, (enum screen_kind)k, 0, c->village, &t, c->e) == 0)
		ret = list_digest(screen_csv_stream, &t, hash, c->e);
	list_free(&t);
	return ret;
}
