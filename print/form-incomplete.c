/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-incomplete.c — the incomplete-checklist list (材料不全档案清单,
 * `dibao print incomplete [--village V]`, issue 15 point 8): the open
 * dossiers whose checklist lacks what their next stage needs, as the
 * dashboard and `dibao checklist incomplete` list them, printed through the
 * one print path (recorded, with its verification code; the digest is that
 * of the list's CSV).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/date.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "store/checklist.h"
#include "store/err.h"

static const char *const head[] = {"档案号", "户主", "村（社区）", "下一环节", "所缺材料"};
static const char *const roles[] = {"经办人", "审核人"};

static int
row(const struct dossier *d, enum status next, const char *missing, void *baton)
{
	struct list_table *t = baton;
	const char *cells[5] = {d->no, d->n_members ? d->members[d->head].name : "", d->village,
	    status_terms[next].zh, missing};
	return list_add(t, cells) != 0;
}

static int
load(struct form_ctx *c, struct list_table *t)
{
	memset(t, 0, sizeof *t);
	t->ncols = 5;
	if (checklist_incomplete(c->st, c->village, row, t, c->e) != 0)
		return -1;
	if (t->oom)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	return 0;
}

static int
csv_stream(FILE *f, void *arg)
{
	const struct list_table *t = arg;
	list_csv_head(f, head, 5);
	for (size_t i = 0; i < t->n; i++)
		list_csv_row(f, list_row(t, i), 5);
	return 0;
}

int
form_incomplete(struct print_doc *doc, struct form_ctx *c)
{
	struct print_table pt = {.ncols = 5, .size = 9.0f, .pad_mm = 0.8f};
	static const float w[] = {42, 20, 28, 22, 58};
	struct list_table t;
	char title[200], line[200], d[11];
	int ret = -1;

	for (int i = 0; i < 5; i++) {
		pt.width_mm[i] = w[i];
		pt.header[i] = head[i];
	}
	if (load(c, &t) != 0)
		return -1;
	snprintf(title, sizeof title, "材料不全档案清单（%s）", c->village ? c->village : "全乡镇");
	date_format(c->today, d);
	snprintf(line, sizeof line, "截至 %s，共 %zu 户档案的材料不满足下一环节的要求。", d, t.n);
	if (form_begin(doc, c, title) != 0 || print_paragraph(doc, PRINT_SONG, 10.5f, 0, line) != 0 ||
	    print_table_header(doc, &pt) != 0)
		goto out;
	for (size_t i = 0; i < t.n; i++)
		if (print_table_row(doc, &pt, list_row(&t, i)) != 0)
			goto out;
	ret = list_sign_and_seal(c->st, c->e, doc, roles, 2);
out:
	list_free(&t);
	return ret;
}

int
digest_incomplete(struct form_ctx *c, unsigned char hash[32])
{
	struct list_table t;
	int ret = -1;
	if (load(c, &t) == 0)
		ret = list_digest(csv_stream, &t, hash, c->e);
	list_free(&t);
	return ret;
}
