/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-households.c — the roster import (roster-in.c) across rows: the
 * same person twice, the households grouped by the head's ID number and
 * checked (R7 against the database, groups, the card's holder), then built
 * and written, in one transaction or, when that is too big, in batches.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/roster.h"
#include "import/roster-int.h"
#include "store/bulk-index.h"
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

static int
by_id(const void *a, const void *b)
{
	const struct rid *x = a, *y = b;
	int r = strcmp(x->id, y->id);
	return r ? r : x->line - y->line;
}

static int
by_head(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;
	int r = strcmp(x->head_id, y->head_id);
	if (r)
		return r;
	/* the head first, then the sheet's order */
	if ((x->relation == REL_SELF) != (y->relation == REL_SELF))
		return x->relation == REL_SELF ? -1 : 1;
	return x->line - y->line;
}

static int
by_put(const void *a, const void *b)
{
	const struct rput *x = a, *y = b;
	return x->hh_line != y->hh_line ? (x->hh_line < y->hh_line ? -1 : 1) : x->seq - y->seq;
}

/* The sorts across rows, empty, their runs in c->sc (open) */
void
cross_init(struct ctx *c)
{
	spill_init(&c->by_id, c->sc, sizeof(struct rid), by_id);
	spill_init(&c->by_head, c->sc, sizeof(struct rkey), by_head);
	spill_init(&c->by_put, c->sc, sizeof(struct rput), by_put);
}

void
cross_free(struct ctx *c)
{
	spill_free(&c->by_id);
	spill_free(&c->by_head);
	spill_free(&c->by_put);
}

/* the same person twice in the file, named on the later row */
static int
twice(struct ctx *c)
{
	struct rid a;
	const struct rid *b;

	if (spill_merge(&c->by_id, c->e) != 0)
		return -1;
	a.id[0] = '\0';
	while ((b = spill_peek(&c->by_id)) != NULL) {
		if (a.id[0] && strcmp(a.id, b->id) == 0)
			problem(c, b->line, C_ID, _("R7: %s is already on row %d of this file"), b->id, a.line);
		a = *b;
		if (spill_pop(&c->by_id, c->e) != 0)
			return -1;
	}
	spill_free(&c->by_id);
	return 0;
}

/* One household as its rows come sorted by head: its first row (the head
 * when there is one) whole, what its other rows tell counted; the R7
 * finds in the database kept for the report after the household's counts,
 * the first ROSTER_NAMED of them by name (the rest are only counted) */
struct r7 {
	int line;
	char id[ID_LEN + 1];
	char found[DOSSIER_NO_LEN + 1];
};
struct hh {
	struct prow first;
	struct rinc inc[INC__N + N_LOCAL];
	unsigned char buf[ROW_MAX];
	int rows, heads, n_inc, over_line;
	bool holder;
	struct r7 r7[ROSTER_NAMED];
	int n_r7, more_r7;
};

static int
hh_row(struct ctx *c, struct hh *h, const struct rkey *p)
{
	struct prow *first = &h->first;
	int k = h->rows++;

	if (k == 0 && row_load(c, p->off, p->len, first, h->inc, h->buf) != 0)
		return -1;
	if (p->relation == REL_SELF && p->id[0] && ++h->heads > 1)
		problem(c, p->line, C_REL, _("a household has one head (本人): row %d is already the head of %s"),
		    first->line, first->head_id);
	if (k == MAX_MEMBERS)
		h->over_line = p->line;
	h->n_inc += p->n_inc;
	/* R7 against the database: an active household may not take a
	 * person who is in another active dossier */
	if (first->m.relation == REL_SELF && status_active(first->status) && p->id[0]) {
		char found[DOSSIER_NO_LEN + 1];
		int r;
		if ((r = dossier_by_id(c->st, NULL, p->id, NULL, found, c->e)) < 0)
			return -1;
		if (r > 0 && h->n_r7 < ROSTER_NAMED) {
			struct r7 *f = &h->r7[h->n_r7++];
			f->line = p->line;
			memcpy(f->id, p->id, sizeof f->id);
			memcpy(f->found, found, sizeof f->found);
		} else if (r > 0) {
			h->more_r7++;
		}
	}
	/* the card's holder is a member of the household (issue 13) */
	h->holder |= strcmp(p->id, first->holder) == 0;
	if (!c->dry_run) {
		struct rput w;
		memset(&w, 0, sizeof w);   /* no stray bytes into the file */
		w.hh_line = first->line;
		w.seq = k;
		w.len = p->len;
		w.off = p->off;
		if (spill_add(&c->by_put, &w, c->e) != 0)
			return -1;
	}
	return 0;
}

/* The household's checks once its rows are counted */
static void
hh_end(struct ctx *c, struct hh *h)
{
	struct prow *first = &h->first;

	if (first->m.relation != REL_SELF)
		problem(c, first->line, C_HEAD_ID, _("no row of the file is the head (本人) with ID number %s"),
		    first->head_id);
	if (h->rows > MAX_MEMBERS)
		problem(c, h->over_line, -1, _("a household has at most %d members"), MAX_MEMBERS);
	/* income items of the household (i12): at most MAX_INCOMES */
	if (h->n_inc > MAX_INCOMES)
		problem(c, first->line, -1, _("a household has at most %d income items"), MAX_INCOMES);
	for (int k = 0; k < h->n_r7; k++)
		problem(c, h->r7[k].line, C_ID,
		    _("R7: %s already belongs to a member of the active dossier %s (possible household splitting)"),
		    h->r7[k].id, h->r7[k].found);
	c->res->problems += h->more_r7;   /* past the ROSTER_NAMED named: counted */
	/* groups of a known village */
	if (first->m.relation == REL_SELF && first->village >= 0) {
		struct vcache *vc = &c->vc[first->village];
		if (!vc->is_new && first->group[0] && !village_has_group(&vc->v, first->group))
			problem(c, first->line, C_GROUP, _("%s is not a group of %s (%s)"), first->group, vc->v.name,
			    vc->v.groups);
	}
	if (first->m.relation == REL_SELF && first->holder[0] && !h->holder)
		problem(c, first->line, C_HOLDER, _("holder: %s is not a member of the household"), first->holder);
	/* the monthly amounts of the households */
	if (first->has_amount && status_active(first->status))
		c->res->total += first->amount;
	c->nhh++;
}

/* The households: the rows in the order of their head's ID number, the
 * head first, each household checked as its rows end; the writing's order
 * (the sheet's order of heads) sorted on the way */
static int
households(struct ctx *c)
{
	struct hh *h = malloc(sizeof *h);
	const struct rkey *p;
	char cur[ID_LEN + 1] = "";
	int ret = -1;

	if (h == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	h->rows = 0;   /* no household yet */
	if (spill_merge(&c->by_head, c->e) != 0)
		goto out;
	c->nhh = 0;
	while ((p = spill_peek(&c->by_head)) != NULL) {
		if (h->rows == 0 || strcmp(cur, p->head_id) != 0) {
			if (h->rows > 0)
				hh_end(c, h);
			h->rows = h->heads = h->n_inc = h->over_line = h->n_r7 = h->more_r7 = 0;
			h->holder = false;
			memcpy(cur, p->head_id, sizeof cur);
		}
		if (hh_row(c, h, p) != 0 || spill_pop(&c->by_head, c->e) != 0)
			goto out;
	}
	if (h->rows > 0)
		hh_end(c, h);
	spill_free(&c->by_head);
	ret = c->dry_run ? 0 : spill_merge(&c->by_put, c->e);
out:
	free(h);
	return ret;
}

int
cross_check(struct ctx *c)
{
	if (twice(c) != 0 || households(c) != 0)
		return -1;
	c->res->households = c->nhh;
	return 0;
}

/* ---- building and writing -------------------------------------------- */

/* The next household in the writing's order (c->by_put), its head first */
static int
household(struct ctx *c, struct dossier *d)
{
	const char *why;
	int64_t months = 0;
	char key[32];
	struct prow hd, *head = &hd;
	struct rinc hinc[INC__N + N_LOCAL];
	unsigned char hbuf[ROW_MAX], buf[ROW_MAX];
	const struct rput *w = spill_peek(&c->by_put);

	if (w == NULL)   /* as many as cross_check counted */
		return err_set(c->e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(EIO));
	int32_t hh_line = w->hh_line;
	if (row_load(c, w->off, w->len, &hd, hinc, hbuf) != 0)
		return -1;
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
	for (; w != NULL && w->hh_line == hh_line; w = spill_peek(&c->by_put)) {
		struct prow row, *p = &row;
		struct rinc inc[INC__N + N_LOCAL];
		if (row_load(c, w->off, w->len, &row, inc, buf) != 0 || spill_pop(&c->by_put, c->e) != 0)
			return -1;
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

	/* the households again from the batch's first (a retried transaction) */
	if (spill_rewind(&c->by_put, e) != 0)
		return -1;
	if (b->first)
		for (int i = 0; i < c->nvc; i++) {
			if (!c->vc[i].is_new)
				continue;
			struct village v = c->vc[i].v;
			memcpy(v.groups, c->vc[i].groups, sizeof v.groups);
			if (village_add_txn(st, txn, c->actor, &v, e) != 0)
				return -1;
		}
	for (int h = b->from; h < b->to; h++) {
		/* cancelling aborts the transaction: nothing is written */
		if (b->progress && b->progress->fn && h % 200 == 0 &&
		    b->progress->fn(h, c->nhh, b->progress->baton))
			return err_set(e, E_REFUSED, "%s", _("import cancelled: nothing was imported"));
		if (household(c, b->d) != 0)
			return -1;
		if (dossier_bulk_put(st, txn, c->actor, b->d, "import.roster", e) != 0 ||
		    kin_match_dossier(st, txn, b->d, c->actor->login, e) != 0)
			return -1;
		if (h == 0)
			strcpy(c->res->first_no, b->d->no);
		strcpy(c->res->last_no, b->d->no);
	}
	if (b->last) {
		/* one transaction: the households' index entries, sorted */
		if (store_bulk_build_txn(st, txn, e) != 0)
			return -1;
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
	spill_mark(&c->by_put);   /* the first household */
	/* the households' indexes put in at the transaction's end, sorted
	 * (store/bulk-index.h): at random places, each household cost a page
	 * read and one written once the indexes outgrew the cache */
	if (store_bulk_begin_txn(c->st, e) != 0) {
		free(b.d);
		return -1;
	}
	int ret = store_txn_run(c->st, write_body, &b, e);
	struct err e2 = {0};
	(void)store_bulk_end(c->st, &e2);
	if (ret == 0) {
		res->committed = 1;
		free(b.d);
		return 0;
	}
	if (e->code != E_STORAGE) {
		free(b.d);
		return -1;
	}
	/* in batches, all or nothing no more: the households' indexes are put
	 * in after them, sorted (store/bulk-index.h), as the demo load's */
	if (store_bulk_begin(c->st, e) != 0) {
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
			/* what committed is indexed all the same */
			err_clear(&e2);
			(void)store_bulk_end(c->st, &e2);
			free(b.d);
			return -1;
		}
		spill_mark(&c->by_put);   /* the next batch's first household */
		res->committed++;
	}
	free(b.d);
	return store_bulk_end(c->st, e);
}
