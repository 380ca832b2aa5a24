/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-households.c — the roster import (roster-in.c) across rows: the
 * same person twice, the households grouped by the head's ID number and
 * checked (R7 against the database, groups, the card's holder), then built
 * and written, in one transaction or, when that is too big, in batches.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/roster.h"
#include "import/roster-int.h"
#include "store/audit.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/settings.h"
#include "store/village.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "core/workflow.h"

/* ---- across rows --------------------------------------------------------- */

static struct ctx *sort_ctx;  /* qsort has no baton; one import at a time */

static int
by_id(const void *a, const void *b)
{
	const struct rkey *x = &sort_ctx->rows[*(const int *)a], *y = &sort_ctx->rows[*(const int *)b];
	int r = strcmp(x->id, y->id);
	return r ? r : x->line - y->line;
}

static int
by_head(const void *a, const void *b)
{
	const struct rkey *x = &sort_ctx->rows[*(const int *)a], *y = &sort_ctx->rows[*(const int *)b];
	int r = strcmp(x->head_id, y->head_id);
	if (r)
		return r;
	/* the head first, then the sheet's order */
	if ((x->relation == REL_SELF) != (y->relation == REL_SELF))
		return x->relation == REL_SELF ? -1 : 1;
	return x->line - y->line;
}

static int
by_first_line(const void *a, const void *b)
{
	return sort_ctx->rows[sort_ctx->order[*(const int *)a]].line -
	    sort_ctx->rows[sort_ctx->order[*(const int *)b]].line;
}

int
cross_check(struct ctx *c)
{
	int *o;

	if ((o = malloc((size_t)(c->n + 1) * sizeof *o)) == NULL ||
	    (c->hh_start = malloc((size_t)(c->n + 1) * sizeof *c->hh_start)) == NULL ||
	    (c->hh_end = malloc((size_t)(c->n + 1) * sizeof *c->hh_end)) == NULL) {
		free(o);
		return err_set(c->e, E_STORAGE, _("out of memory"));
	}
	c->order = o;
	sort_ctx = c;
	/* the same person twice in the file */
	for (int i = 0; i < c->n; i++)
		o[i] = i;
	qsort(o, (size_t)c->n, sizeof *o, by_id);
	for (int i = 1; i < c->n; i++) {
		struct rkey *a = &c->rows[o[i - 1]], *b = &c->rows[o[i]];
		if (a->id[0] && strcmp(a->id, b->id) == 0)
			problem(c, b->line, C_ID, _("R7: %s is already on row %d of this file"), b->id, a->line);
	}
	/* households */
	for (int i = 0; i < c->n; i++)
		o[i] = i;
	qsort(o, (size_t)c->n, sizeof *o, by_head);
	c->nhh = 0;
	for (int i = 0; i < c->n;) {
		int j = i, heads = 0;
		struct prow hd, *first = &hd;
		struct rinc inc[INC__N + N_LOCAL];
		while (j < c->n && strcmp(c->rows[o[j]].head_id, c->rows[o[i]].head_id) == 0)
			j++;
		if (c->rows[o[i]].head_id[0] == '\0') {   /* rows whose head ID was bad: reported */
			i = j;
			continue;
		}
		row_load(c, o[i], &hd, inc);   /* the head when there is one */
		for (int k = i; k < j; k++) {
			struct rkey *p = &c->rows[o[k]];
			if (p->relation != REL_SELF || !p->id[0])
				continue;
			if (++heads > 1)
				problem(c, p->line, C_REL, _("a household has one head (本人): row %d is already the head of %s"),
				    first->line, first->head_id);
		}
		if (first->m.relation != REL_SELF)
			problem(c, first->line, C_HEAD_ID, _("no row of the file is the head (本人) with ID number %s"),
			    first->head_id);
		if (j - i > MAX_MEMBERS)
			problem(c, c->rows[o[i + MAX_MEMBERS]].line, -1, _("a household has at most %d members"), MAX_MEMBERS);
		/* income items of the household (i12): at most MAX_INCOMES */
		int n_inc = 0;
		for (int k = i; k < j; k++)
			n_inc += c->rows[o[k]].n_inc;
		if (n_inc > MAX_INCOMES)
			problem(c, first->line, -1, _("a household has at most %d income items"), MAX_INCOMES);
		/* R7 against the database: an active household may not take a
		 * person who is in another active dossier */
		if (first->m.relation == REL_SELF && status_active(first->status))
			for (int k = i; k < j; k++) {
				struct rkey *p = &c->rows[o[k]];
				char found[DOSSIER_NO_LEN + 1];
				int r;
				if (!p->id[0])
					continue;
				if ((r = dossier_by_id(c->st, NULL, p->id, NULL, found, c->e)) < 0)
					return -1;
				if (r > 0)
					problem(c, p->line, C_ID,
					    _("R7: %s already belongs to a member of the active dossier %s (possible household splitting)"),
					    p->id, found);
			}
		/* groups of a known village */
		if (first->m.relation == REL_SELF && first->village >= 0) {
			struct vcache *vc = &c->vc[first->village];
			if (!vc->is_new && first->group[0] && !village_has_group(&vc->v, first->group))
				problem(c, first->line, C_GROUP, _("%s is not a group of %s (%s)"), first->group, vc->v.name,
				    vc->v.groups);
		}
		/* the card's holder is a member of the household (issue 13) */
		if (first->m.relation == REL_SELF && first->holder[0]) {
			bool member = false;
			for (int k = i; k < j; k++)
				member |= strcmp(c->rows[o[k]].id, first->holder) == 0;
			if (!member)
				problem(c, first->line, C_HOLDER, _("holder: %s is not a member of the household"), first->holder);
		}
		c->hh_start[c->nhh] = i;
		c->hh_end[c->nhh++] = j;
		i = j;
	}
	/* dossier numbers follow the sheet's order of households */
	int *pair = malloc((size_t)(c->nhh + 1) * 2 * sizeof *pair);
	if (pair == NULL)
		return err_set(c->e, E_STORAGE, _("out of memory"));
	for (int h = 0; h < c->nhh; h++) {
		pair[2 * h] = c->hh_start[h];
		pair[2 * h + 1] = c->hh_end[h];
	}
	qsort(pair, (size_t)c->nhh, 2 * sizeof *pair, by_first_line);
	for (int h = 0; h < c->nhh; h++) {
		c->hh_start[h] = pair[2 * h];
		c->hh_end[h] = pair[2 * h + 1];
	}
	free(pair);
	return 0;
}

/* The groups a new village gets: those the file names for it. */
static void
new_village_groups(struct ctx *c, int vi, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < c->n; i++) {
		struct prow row, *p = &row;
		struct rinc inc[INC__N + N_LOCAL];
		if (c->rows[i].relation != REL_SELF)   /* only a head's row names the village */
			continue;
		row_load(c, i, &row, inc);
		if (p->village != vi || !p->group[0])
			continue;
		size_t len = strlen(out), g = strlen(p->group);
		bool have = false;
		for (const char *q = out; *q;) {
			size_t k = strcspn(q, ",");
			if (k == g && strncmp(q, p->group, g) == 0)
				have = true;
			q += k;
			if (*q == ',')
				q++;
		}
		if (have)
			continue;
		if (len + g + 2 > size) {
			out[0] = '\0';   /* too many to list: accept any group */
			return;
		}
		snprintf(out + len, size - len, "%s%s", len ? "," : "", p->group);
	}
}

/* ---- building and writing -------------------------------------------- */

static int
household(struct ctx *c, int h, struct dossier *d)
{
	const char *why;
	int64_t months = 0;
	char key[32];
	struct prow hd, *head = &hd;
	struct rinc hinc[INC__N + N_LOCAL];

	row_load(c, c->order[c->hh_start[h]], &hd, hinc);

	dossier_init(d);
	d->area = head->area;
	snprintf(d->village, sizeof d->village, "%s", c->vc[head->village].v.name);
	memcpy(d->group, head->group, sizeof d->group);   /* both TEXT_SHORT */
	if ((head->phone && text_set(d->phone, sizeof d->phone, head->phone, &why) != 0) ||
	    (head->address && text_set(d->address, sizeof d->address, head->address, &why) != 0) ||
	    (head->bank && text_set(d->bank, sizeof d->bank, head->bank, &why) != 0) ||
	    (head->account && text_set(d->account, sizeof d->account, head->account, &why) != 0))
		return err_set(c->e, E_STORAGE, "%s", _(why));
	memcpy(d->holder, head->holder, sizeof d->holder);
	d->support = head->support;
	d->flags = DF_MIGRATED | (head->poor ? DF_REGISTERED_POOR : 0);
	d->status = head->status;
	d->applied = head->date ? head->date : c->today;
	d->status_date = head->date ? head->date : c->today;
	d->total = head->has_amount ? head->amount : 0;
	for (int k = c->hh_start[h]; k < c->hh_end[h]; k++) {
		struct prow row, *p = &row;
		struct rinc inc[INC__N + N_LOCAL];
		row_load(c, c->order[k], &row, inc);
		d->members[d->n_members++] = p->m;
		/* the income columns (i12), each the member's own; counted in
		 * cross_check against MAX_INCOMES */
		for (int i = 0; i < p->n_inc && d->n_incomes < MAX_INCOMES; i++) {
			struct income_item *it = &d->incomes[d->n_incomes++];
			it->kind = (enum income_kind)p->inc[i].kind;
			it->amount = p->inc[i].amount;
			memcpy(it->member_id, p->m.id, sizeof it->member_id);
			if (it->kind == INC_EX_LOCAL)
				memcpy(it->name, c->loc_name[p->inc[i].local], sizeof it->name);
		}
	}
	d->head = 0;
	if (d->status == ST_APPROVED) {
		d->effective = month_of(d->status_date);
		d->proc.approved = d->status_date;
		d->category = workflow_category(d, c->today);
		snprintf(key, sizeof key, "review.months.%c", d->category);
		if (setting_get_int(c->st, NULL, key, &months, c->e) == 0 && months > 0)
			d->next_review = date_add_months(c->today, (int)months);
		err_clear(c->e);
	}
	return 0;
}

struct wbaton {
	struct ctx *c;
	int from, to;       /* households */
	bool first, last;
	struct dossier *d;
	const char *path;
	const struct progress *progress;
};

static int
write_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct wbaton *b = baton;
	struct ctx *c = b->c;

	if (b->first)
		for (int i = 0; i < c->nvc; i++) {
			if (!c->vc[i].is_new)
				continue;
			struct village v = c->vc[i].v;
			new_village_groups(c, i, v.groups, sizeof v.groups);
			if (village_add_txn(st, txn, c->actor, &v, e) != 0)
				return -1;
		}
	for (int h = b->from; h < b->to; h++) {
		/* cancelling aborts the transaction: nothing is written */
		if (b->progress && b->progress->fn && h % 200 == 0 &&
		    b->progress->fn(h, c->nhh, b->progress->baton))
			return err_set(e, E_REFUSED, "%s", _("import cancelled: nothing was imported"));
		if (household(c, h, b->d) != 0)
			return -1;
		if (dossier_bulk_put(st, txn, c->actor, b->d, "import.roster", e) != 0 ||
		    kin_match_dossier(st, txn, b->d, c->actor->login, e) != 0)
			return -1;
		if (h == 0)
			strcpy(c->res->first_no, b->d->no);
		strcpy(c->res->last_no, b->d->no);
	}
	if (b->last) {
		const char *base = strrchr(b->path, '/');
		json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:I,s:i,s:s,s:s}", "file", base ? base + 1 : b->path,
		    "encoding", c->res->encoding, "households", c->res->households, "persons", c->res->persons,
		    "total", (json_int_t)c->res->total, "villages_added", c->res->n_villages,
		    "first", c->res->first_no, "last", c->res->last_no);
		char *detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(j);
		if (detail == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		int r = audit_append(st, txn, c->actor->login, "import.roster", "roster", detail, e);
		free(detail);
		return r;
	}
	return 0;
}

/* Every household written: in one transaction, all or nothing exactly
 * (34,000 households, 101,124 rows measured: 3.3 s, within the lock
 * table); when that is too big (lock table, log space) it was rolled back
 * whole, and the households go again in batches of ROSTER_BATCH. */
int
roster_write(struct ctx *c, const struct progress *progress)
{
	struct roster_result *res = c->res;
	struct err *e = c->e;
	struct wbaton b = {.c = c, .path = c->path, .progress = progress};

	if ((b.d = malloc(sizeof *b.d)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	b.from = 0;
	b.to = c->nhh;
	b.first = b.last = true;
	res->batches = 1;
	if (store_txn_run(c->st, write_body, &b, e) == 0) {
		res->committed = 1;
		free(b.d);
		return 0;
	}
	if (e->code != E_STORAGE) {
		free(b.d);
		return -1;
	}
	res->batches = (c->nhh + ROSTER_BATCH - 1) / ROSTER_BATCH;
	for (int h = 0; h < c->nhh; h += ROSTER_BATCH) {
		b.from = h;
		b.to = h + ROSTER_BATCH < c->nhh ? h + ROSTER_BATCH : c->nhh;
		b.first = h == 0;
		b.last = b.to == c->nhh;
		if (store_txn_run(c->st, write_body, &b, e) != 0) {
			if (res->committed > 0)
				err_add(e, e->code, _("%d of %d write batches (%d households, up to %s) were committed before this failure; the rest was not written"),
				    res->committed, res->batches, h, res->last_no);
			free(b.d);
			return -1;
		}
		res->committed++;
	}
	free(b.d);
	return 0;
}
