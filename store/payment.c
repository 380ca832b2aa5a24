/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment.c — the monthly payment roster, the frozen batch, arrears and
 * recovery (issue 13; SPEC 7).  The roster of a month is computed from
 * the dossiers' stored calculation records (the one in force for the
 * month; a migrated dossier without one pays its ledger amount), never
 * recomputed; a submitted batch is read back as stored.  Each batch also
 * writes a per-dossier history (pay-history.db) that the next rosters read
 * to find arrears (a late approval, a held or failed payment) and
 * recovery (a death recorded after payment was made).
 *
 * This file: the roster.  The records are in payment-codec.c, batches
 * and history in payment-batch.c, submit in payment-submit.c, the
 * reconciliation in payment-recon.c.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/scratch.h"
#include "store/calc.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/err.h"
#include "store/report.h"
#include "core/array.h"
#include "core/base.h"
#include "core/calc.h"
#include "core/card.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/report.h"
#include "core/sizes.h"
#include "core/terms.h"

/* ---- the roster --------------------------------------------------------- */

struct roster {
	struct store *st;
	dbmonth_t month;
	dbdate_t today;
	struct months batches;
	struct hists h;
	struct calc_record *calc;
	struct pay_row *row;
	pay_row_fn fn;
	void *baton;
	struct pay_totals *t;
	/* held and recovery rows come after the paid ones */
	struct pay_row *later;
	size_t n_later, cap_later;
	/* one pass over the approved and the exited dossiers only (the status
	 * index: a township of 100,000 households pays a few thousand), paid
	 * and held rows kept encoded in an unlinked temporary file (issue 13:
	 * 100,000 rows were 17 MB of memory; enciphered: they carry whole
	 * account and ID numbers, scratch.c), sorted by village afterwards;
	 * a paid row's card looked up in the account index for another
	 * active dossier (R14: one card on several households) */
	struct scratch spill;
	unsigned char *rbuf;           /* one row read back */
	size_t rcap;
	struct rrow {
		uint32_t off, len; int vid; int kind; char no[DOSSIER_NO_LEN + 1];
		char shared[DOSSIER_NO_LEN + 1];   /* the other active dossier with this card, "" none */
	} *rr;
	size_t n_rr, cap_rr;
	char (*vnames)[TEXT_SHORT];
	int n_v;
	size_t cap_v;
	int done, total;
	const struct progress *pg;
	bool cancelled;
	struct err *e;
	int ret;
	DBC *hc;                       /* the history, read in dossier order */
};

/* The first month a dossier is paid for: the month after its approval (a
 * migrated ledger's household: the month it was approved in). */
static dbmonth_t
first_month(const struct dossier *d)
{
	if (d->proc.approved == 0)
		return d->effective;
	if (d->flags & DF_MIGRATED)
		return month_of(d->proc.approved);
	return month_add(month_of(d->proc.approved), 1);
}

/* The stored calculation in force for month m: the latest whose month is
 * not after m (the earliest if all are).  1: none stored (a migrated
 * dossier: its ledger amount). */
static int
calc_in_force(struct roster *r, const struct dossier *d, dbmonth_t m, uint32_t *seq, struct err *e)
{
	uint32_t s = d->proc.calc_seq;

	*seq = 0;
	if (s == 0)
		return 1;
	for (; s >= 1; s--) {
		if (calc_get(r->st, NULL, d->no, s, r->calc, e) != 0)
			return -1;
		*seq = s;
		if (r->calc->month <= m)
			return 0;
	}
	return 0; /* the earliest */
}

static int
month_amount(struct roster *r, const struct dossier *d, dbmonth_t m, fen_t *amount, struct err *e)
{
	uint32_t seq;
	int c = calc_in_force(r, d, m, &seq, e);
	if (c < 0)
		return -1;
	*amount = c == 1 ? d->total : r->calc->total;
	return 0;
}

static int
later_add(struct roster *r, const struct pay_row *w)
{
	struct pay_row *v = array_grow(r->later, &r->cap_later, r->n_later + 1, sizeof *v);
	if (v == NULL)
		return err_set(r->e, E_STORAGE, "%s", _("out of memory"));
	r->later = v;
	r->later[r->n_later++] = *w;
	return 0;
}

static int
add_month(struct pay_row *w, dbmonth_t m, fen_t amount, int why, struct err *e)
{
	if (w->n_months >= PAY_MAX_MONTHS)
		return err_set(e, E_REFUSED, _("dossier %s: more than %d months to pay or recover; settle them first"),
		    w->dossier, PAY_MAX_MONTHS);
	w->months[w->n_months++] = (struct pay_month){m, amount, why};
	return 0;
}

static void
row_base(struct pay_row *w, const struct dossier *d)
{
	const struct member *h;

	memset(w, 0, sizeof *w);
	snprintf(w->dossier, sizeof w->dossier, "%s", d->no);
	snprintf(w->village, sizeof w->village, "%s", d->village);
	snprintf(w->head, sizeof w->head, "%s", d->members[d->head].name);
	snprintf(w->bank, sizeof w->bank, "%s", d->bank);
	snprintf(w->account, sizeof w->account, "%s", d->account);
	if (d->holder[0] && (h = dossier_member_c(d, d->holder)) != NULL) {
		snprintf(w->holder_name, sizeof w->holder_name, "%s", h->name);
		snprintf(w->holder_id, sizeof w->holder_id, "%s", h->id);
	}
}

/* 追缴: months paid after a death that was recorded later.  The right
 * amount of such a month is that of the first calculation made without the
 * dead member (0 when the household left the guarantee through the death);
 * a month paid from an earlier calculation was overpaid by the difference. */
static int
recovery(struct roster *r, const struct dossier *d, struct err *e)
{
	const struct member *dead = NULL;
	struct pay_row *w = r->row;
	fen_t right = 0;
	uint32_t fix = 0;

	for (int i = 0; i < d->n_members; i++)
		if (d->members[i].death != 0 && (dead == NULL || d->members[i].death < dead->death))
			dead = &d->members[i];
	if (dead == NULL)
		return 0;
	dbmonth_t dm = month_of(dead->death);
	bool any = false;
	for (size_t i = 0; i < r->h.n && !any; i++)
		if (r->h.v[i].kind == PAY_ROW && r->h.v[i].month > dm && r->h.v[i].month < r->month)
			any = true;
	if (!any)
		return 0;
	if (d->status == ST_APPROVED) {
		/* the first calculation that knows of the death */
		for (uint32_t s = 1; s <= d->proc.calc_seq && fix == 0; s++) {
			if (calc_get(r->st, NULL, d->no, s, r->calc, e) != 0)
				return -1;
			for (int k = 0; k < r->calc->n; k++)
				if (strcmp(r->calc->m[k].id, dead->id) == 0 && !r->calc->m[k].living) {
					fix = s;
					right = r->calc->total;
				}
		}
		if (fix == 0)
			return 0;
	} else if (!(d->status == ST_EXITED && d->exit_reason == EXIT_DEATH)) {
		return 0;
	}
	row_base(w, d);
	w->kind = PAY_RECOVERY;
	for (size_t i = 0; i < r->h.n; i++) {
		const struct hist *x = &r->h.v[i];
		if (x->kind != PAY_ROW || x->month <= dm || x->month >= r->month)
			continue;
		bool listed = false;
		for (size_t k = 0; k < r->h.n; k++)
			if (r->h.v[k].kind == PAY_RECOVERY && r->h.v[k].of == x->month)
				listed = true;
		if (listed || pay_hist_failed(&r->h, x->month))
			continue;
		if (fix != 0 && x->calc_seq >= fix)
			continue;
		if (x->amount > right && add_month(w, x->month, x->amount - right, 0, e) != 0)
			return -1;
	}
	if (w->n_months == 0)
		return 0;
	for (int i = 0; i < w->n_months; i++)
		w->pay += w->months[i].amount;
	char dd[11];
	snprintf(w->reason, sizeof w->reason, "%s于%s死亡，死亡后已发放的月份应追缴", dead->name,
	    date_format(dead->death, dd));
	r->t->recovery++;
	r->t->recovery_amount += w->pay;
	return later_add(r, w);
}

static int
village_id(struct roster *r, const char *v)
{
	for (int i = 0; i < r->n_v; i++)
		if (strcmp(r->vnames[i], v) == 0)
			return i;
	void *p = array_grow(r->vnames, &r->cap_v, (size_t)r->n_v + 1, sizeof *r->vnames);
	if (p == NULL)
		return -1;
	r->vnames = p;
	snprintf(r->vnames[r->n_v], TEXT_SHORT, "%s", v);
	return r->n_v++;
}

static int
keep_row(struct roster *r, const struct pay_row *w, struct err *e)
{
	struct buf one;
	int vid = village_id(r, w->village);

	if (vid < 0)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	void *p = array_grow(r->rr, &r->cap_rr, r->n_rr + 1, sizeof *r->rr);
	if (p == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	r->rr = p;
	if (r->spill.f == NULL && scratch_open(&r->spill) != 0)
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno));
	buf_init(&one);
	pay_row_encode(w, &one);
	struct rrow *x = &r->rr[r->n_rr];
	off_t at = 0;
	x->len = (uint32_t)one.len;
	bool bad = one.oom;
	if (!bad && (r->spill.end + (off_t)one.len > (off_t)UINT32_MAX || scratch_write(&r->spill, one.p, one.len, &at) != 0)) {
		buf_free(&one);
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EFBIG));
	}
	x->off = (uint32_t)at;
	buf_free(&one);
	if (bad)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	x->vid = vid;
	x->kind = w->kind;
	x->shared[0] = '\0';
	snprintf(x->no, sizeof x->no, "%s", w->dossier);
	/* R14: the first other active dossier with this card (by number) */
	if (w->kind == PAY_ROW && w->account[0] &&
	    dossier_by_account(r->st, NULL, w->account, w->dossier, x->shared, e) < 0)
		return -1;
	r->n_rr++;
	return 0;
}

static int
later_cmp(const void *a, const void *b)
{
	const struct pay_row *x = a, *y = b;
	return strcmp(x->dossier, y->dossier);
}

static struct roster *sort_r;   /* qsort has no baton */

/* Row x read back from the spill into r->row */
static int
spilled_row(struct roster *r, const struct rrow *x, struct err *e)
{
	if (x->len > r->rcap) {
		unsigned char *p = realloc(r->rbuf, x->len);
		if (p == NULL)
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		r->rbuf = p;
		r->rcap = x->len;
	}
	if (scratch_read(&r->spill, (off_t)x->off, r->rbuf, x->len) != 0)
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
	if (pay_row_decode(r->rbuf, x->len, r->row) != 0)
		return err_set(e, E_STORAGE, "%s", _("a payment batch row is damaged"));
	return 0;
}

static int
rrow_cmp(const void *a, const void *b)
{
	const struct rrow *x = a, *y = b;
	int c = strcmp(sort_r->vnames[x->vid], sort_r->vnames[y->vid]);
	return c ? c : strcmp(x->no, y->no);
}

/* After the walk: the village order, then every row to fn — paid, then
 * held (R14's shared cards among them), then recovery — with the totals. */
static int
roster_emit(struct roster *r, struct err *e)
{
	struct pay_row *w = r->row;
	int ret;

	size_t n = r->n_rr;
	struct rrow *v = r->rr;        /* sorted in place: read once */
	sort_r = r;
	if (n > 1)
		qsort(v, n, sizeof *v, rrow_cmp);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			bool held = v[i].kind == PAY_HELD || v[i].shared[0] != '\0';
			if (held != (pass == 1))
				continue;
			if (spilled_row(r, &v[i], e) != 0)
				return -1;
			if (v[i].shared[0] != '\0' && w->kind == PAY_ROW) {
				w->kind = PAY_HELD;
				snprintf(w->reason, sizeof w->reason,
				    _("R14: the same account is on the active dossier %s (one card for several households)"),
				    v[i].shared);
			}
			if (w->kind == PAY_HELD) {
				r->t->held++;
				r->t->held_amount += w->pay;
			} else {
				r->t->households++;
				r->t->persons += w->persons;
				r->t->total += w->pay;
				r->t->amount += w->amount;
				r->t->arrears += w->arrears;
				struct report_totals *g = report_group(r->t->village, &r->t->n_village, REPORT_MAX_VILLAGES,
				    w->village);
				if (g != NULL) {
					g->households++;
					g->persons += w->persons;
					g->amount += w->pay;
				}
			}
			if ((ret = r->fn(w, r->baton)) != 0)
				return ret;
		}
	return 0;
}

static int
roster_one(const struct dossier *d, void *baton)
{
	struct roster *r = baton;
	struct err *e = r->e;
	struct pay_row *w = r->row;
	dbmonth_t first;
	uint32_t seq;
	int c;

	if (r->pg && r->pg->fn) {
		r->done++;
		if (r->pg->fn(r->done < r->total ? r->done : r->total, r->total, r->pg->baton)) {
			r->cancelled = true;
			return 1;
		}
	}
	if (d->status != ST_APPROVED && d->status != ST_EXITED)
		return 0;
	r->h.n = 0;
	if (r->batches.n > 0 && pay_hist_load(r->st, r->hc, d->no, &r->h, e) != 0)
		goto fail;
	if (recovery(r, d, e) != 0)
		goto fail;
	if (d->status != ST_APPROVED || (first = first_month(d)) == 0 || first > r->month)
		return 0;
	row_base(w, d);
	if ((c = calc_in_force(r, d, r->month, &seq, e)) < 0)
		goto fail;
	if (c == 1) {
		w->amount = w->base = d->total;
		w->persons = 0;
		for (int i = 0; i < d->n_members; i++)
			if (d->members[i].death == 0 && !(d->members[i].flags & MF_NOT_GUARANTEED))
				w->persons++;
	} else {
		w->calc_seq = seq;
		w->amount = r->calc->total;
		/* the add-ons as computed (分类施保, never the rounding: a
		 * household without add-ons showed -0.20 there); the month's
		 * rounding stays with the basic benefit, so that each row's
		 * 基本保障金 + 分类施保金 = 本月金额, the approved total */
		w->addons = r->calc->addons;
		w->base = r->calc->total - r->calc->addons;
		w->persons = r->calc->guaranteed;
	}
	/* arrears: months of earlier batches this household was not paid */
	for (size_t i = 0; i < r->batches.n; i++) {
		dbmonth_t b = r->batches.v[i];
		int why;
		fen_t amt;
		if (b < first || b >= r->month || pay_hist_arrears_paid(&r->h, b))
			continue;
		const struct hist *p = pay_hist_find(&r->h, b, PAY_ROW, 0);
		if (p != NULL) {
			if (!pay_hist_failed(&r->h, b))
				continue;
			why = ARR_FAILED;
			amt = p->amount;
		} else {
			why = pay_hist_find(&r->h, b, PAY_HELD, 0) ? ARR_HELD : ARR_LATE;
			if (month_amount(r, d, b, &amt, e) != 0)
				goto fail;
		}
		if (amt > 0) {
			if (add_month(w, b, amt, why, e) != 0)
				goto fail;
			w->arrears += amt;
		}
	}
	w->pay = w->amount + w->arrears;
	/* no card, or its holder may not receive: held back (暂停发放); one
	 * card on several households is found after the walk */
	const char *why = NULL;
	if (d->account[0] == '\0')
		why = _("no subsidy-card account is recorded");
	else if ((why = holder_problem(d, r->today)) != NULL)
		why = _(why);
	w->kind = PAY_ROW;
	if (why != NULL) {
		snprintf(w->reason, sizeof w->reason, "%s", why);
		w->kind = PAY_HELD;
	}
	if (keep_row(r, w, e) != 0)
		goto fail;
	return 0;
fail:
	r->ret = -1;
	return -1;
}

/* the frozen batch, read back */
struct frozen_walk {
	dbmonth_t month;
	pay_row_fn fn;
	void *baton;
	struct pay_row *row;
	struct pay_totals *t;
	int ret;
};

static int
frozen_rows(struct store *st, dbmonth_t m, pay_row_fn fn, void *baton, struct pay_totals *t, struct err *e)
{
	DB *db = st->db[DBI_PAY_ROWS];
	unsigned char k0[8];
	DBC *c;
	DBT k, v;
	int ret, out = 0;
	struct pay_row *w = malloc(sizeof *w);

	if (w == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	put_u32(k0, (uint32_t)m);
	put_u32(k0 + 4, 0);
	if ((ret = db->cursor(db, NULL, &c, 0)) != 0) {
		free(w);
		return store_dberr(st, ret, _("reading the payment batch"), e);
	}
	dbt_init(&k, k0, 8);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE); ret == 0; ret = c->get(c, &k, &v, DB_NEXT)) {
		if (k.size != 8 || memcmp(k.data, k0, 4) != 0)
			break;
		if (pay_row_decode(v.data, v.size, w) != 0) {
			out = err_set(e, E_STORAGE, "%s", _("a payment batch row is damaged"));
			break;
		}
		if (w->kind == PAY_ROW) {
			struct report_totals *g = report_group(t->village, &t->n_village, REPORT_MAX_VILLAGES, w->village);
			if (g != NULL) {
				g->households++;
				g->persons += w->persons;
				g->amount += w->pay;
			}
		}
		if ((out = fn(w, baton)) != 0)
			break;
	}
	c->close(c);
	free(w);
	if (out == 0 && ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the payment batch"), e);
	return out;
}

int
payment_roster(struct store *st, dbmonth_t m, pay_row_fn fn, void *baton, struct pay_totals *t, bool *frozen,
    const struct progress *pg, struct err *e)
{
	struct roster r;
	struct pay_batch b;
	int ret;

	memset(t, 0, sizeof *t);
	*frozen = false;
	if ((ret = pay_batch_read(st, NULL, m, &b, false, e)) < 0)
		return -1;
	if (ret == 0) {
		*frozen = true;
		t->households = b.households;
		t->persons = b.persons;
		t->total = b.total;
		t->arrears = b.arrears;
		t->amount = b.total - b.arrears;
		t->held = b.held;
		t->held_amount = b.held_amount;
		t->recovery = b.recovery;
		t->recovery_amount = b.recovery_amount;
		return frozen_rows(st, m, fn, baton, t, e);
	}
	memset(&r, 0, sizeof r);
	r.st = st;
	r.month = m;
	r.today = store_today();
	r.fn = fn;
	r.baton = baton;
	r.t = t;
	r.pg = pg;
	r.e = e;
	ret = -1;
	if ((r.calc = malloc(sizeof *r.calc)) == NULL || (r.row = malloc(sizeof *r.row)) == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		goto out;
	}
	if (payment_batch_list(st, pay_months_add, &r.batches, e) != 0)
		goto out;
	/* only approved dossiers are paid and only approved or exited ones
	 * recovered from: the status index gives them, each in number order */
	static const int walked[] = {ST_APPROVED, ST_EXITED};
	if (pg && pg->fn) {
		for (int i = 0; i < 2; i++) {
			size_t n = 0;
			struct dossier_filter one = {.status = walked[i]};
			if (dossier_count(st, &one, &n, e) != 0)
				goto out;
			r.total += (int)n;
		}
	}
	int cr = st->db[DBI_PAY_HISTORY]->cursor(st->db[DBI_PAY_HISTORY], NULL, &r.hc, 0);
	if (cr != 0) {
		r.hc = NULL;
		store_dberr(st, cr, _("reading the payment history"), e);
		goto out;
	}
	for (int i = 0; i < 2 && r.ret == 0 && !r.cancelled; i++) {
		struct dossier_filter one = {.status = walked[i]};
		if (dossier_list(st, &one, roster_one, &r, e) != 0 && r.ret == 0)
			r.ret = -1;
	}
	r.hc->close(r.hc);
	r.hc = NULL;
	if (r.cancelled) {
		err_set(e, E_REFUSED, "%s", _("cancelled: nothing was written"));
		goto out;
	}
	if (r.ret != 0) {
		ret = r.ret;
		goto out;
	}
	if ((ret = roster_emit(&r, e)) != 0)
		goto out;
	/* recovery last, in dossier order (the walk went status by status) */
	if (r.n_later > 1)
		qsort(r.later, r.n_later, sizeof *r.later, later_cmp);
	for (size_t i = 0; i < r.n_later; i++)
		if ((ret = fn(&r.later[i], baton)) != 0)
			goto out;
	ret = 0;
out:
	scratch_close(&r.spill);
	free(r.rbuf);
	free(r.rr);
	free(r.vnames);
	free(r.batches.v);
	free(r.h.v);
	free(r.calc);
	free(r.row);
	free(r.later);
	return ret;
}
