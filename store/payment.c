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
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <jansson.h>

#include "core/core.h"
#include "store/payment.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/calc.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/report.h"
#include "store/user.h"

/* record types of the money trail: store/records.h */
#include "store/records.h"
#define PAY_REC_VERSION 1

enum pay_batch_tag {
	PB_MONTH = 1, PB_SUBMITTED, PB_BY, PB_HOUSEHOLDS, PB_PERSONS, PB_HELD, PB_RECOVERY, PB_TOTAL,
	PB_ARREARS, PB_HELD_AMOUNT, PB_RECOVERY_AMOUNT, PB_SHA, PB_RECONCILED, PB_RECON_BY, PB_RECON_SHA,
	PB_PAID, PB_FAILED, PB_MISMATCH, PB_UNKNOWN, PB_MISSING,
};
enum pay_row_tag {
	PW_KIND = 1, PW_DOSSIER, PW_VILLAGE, PW_HEAD, PW_HOLDER_NAME, PW_HOLDER_ID, PW_BANK, PW_ACCOUNT,
	PW_PERSONS, PW_BASE, PW_ADDONS, PW_AMOUNT, PW_CALC_SEQ, PW_ARREARS, PW_PAY, PW_REASON,
	PW_MONTH = 20, /* nested: PM_* */
};
enum pay_month_tag { PM_MONTH = 1, PM_AMOUNT, PM_WHY };
enum pay_hist_tag { PH_AMOUNT = 1, PH_CALC_SEQ };
enum recon_tag {
	RC_OUTCOME = 1, RC_LINE, RC_ACCOUNT, RC_NAME, RC_BANK_AMOUNT, RC_BATCH_AMOUNT, RC_DOSSIER, RC_REMARK,
};

/* history kinds besides enum pay_kind: arrears paid, failed, waived */
enum { HIST_ARREARS = 'A', HIST_FAILED = 'F', HIST_WAIVED = 'W' };

const struct term recon_terms[RECON__N] = {
	{"成功", "paid"}, {"失败", "failed"}, {"金额不符", "mismatch"}, {"账户不在批次", "unknown"},
	{"回盘缺失", "missing"},
};

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- codecs ------------------------------------------------------------- */

static void
batch_encode(const struct pay_batch *b, struct buf *o)
{
	rec_begin(o, RT_PAY_BATCH, PAY_REC_VERSION);
	rec_int(o, PB_MONTH, b->month);
	rec_int(o, PB_SUBMITTED, b->submitted);
	rec_str(o, PB_BY, b->by);
	rec_int(o, PB_HOUSEHOLDS, b->households);
	rec_int(o, PB_PERSONS, b->persons);
	rec_int(o, PB_HELD, b->held);
	rec_int(o, PB_RECOVERY, b->recovery);
	rec_int(o, PB_TOTAL, b->total);
	rec_int(o, PB_ARREARS, b->arrears);
	rec_int(o, PB_HELD_AMOUNT, b->held_amount);
	rec_int(o, PB_RECOVERY_AMOUNT, b->recovery_amount);
	rec_str(o, PB_SHA, b->sha256);
	rec_int(o, PB_RECONCILED, b->reconciled);
	rec_str(o, PB_RECON_BY, b->recon_by);
	rec_str(o, PB_RECON_SHA, b->recon_sha256);
	rec_int(o, PB_PAID, b->paid);
	rec_int(o, PB_FAILED, b->failed);
	rec_int(o, PB_MISMATCH, b->mismatch);
	rec_int(o, PB_UNKNOWN, b->unknown);
	rec_int(o, PB_MISSING, b->missing);
}

static int
batch_decode(const void *p, size_t len, struct pay_batch *b)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(b, 0, sizeof *b);
	if (rec_open(&r, p, len, RT_PAY_BATCH, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PB_MONTH: b->month = (dbmonth_t)rec_get_int(&r); break;
		case PB_SUBMITTED: b->submitted = rec_get_int(&r); break;
		case PB_BY: bad |= rec_get_str(&r, b->by, sizeof b->by); break;
		case PB_HOUSEHOLDS: b->households = (int)rec_get_int(&r); break;
		case PB_PERSONS: b->persons = (int)rec_get_int(&r); break;
		case PB_HELD: b->held = (int)rec_get_int(&r); break;
		case PB_RECOVERY: b->recovery = (int)rec_get_int(&r); break;
		case PB_TOTAL: b->total = rec_get_int(&r); break;
		case PB_ARREARS: b->arrears = rec_get_int(&r); break;
		case PB_HELD_AMOUNT: b->held_amount = rec_get_int(&r); break;
		case PB_RECOVERY_AMOUNT: b->recovery_amount = rec_get_int(&r); break;
		case PB_SHA: bad |= rec_get_str(&r, b->sha256, sizeof b->sha256); break;
		case PB_RECONCILED: b->reconciled = rec_get_int(&r); break;
		case PB_RECON_BY: bad |= rec_get_str(&r, b->recon_by, sizeof b->recon_by); break;
		case PB_RECON_SHA: bad |= rec_get_str(&r, b->recon_sha256, sizeof b->recon_sha256); break;
		case PB_PAID: b->paid = (int)rec_get_int(&r); break;
		case PB_FAILED: b->failed = (int)rec_get_int(&r); break;
		case PB_MISMATCH: b->mismatch = (int)rec_get_int(&r); break;
		case PB_UNKNOWN: b->unknown = (int)rec_get_int(&r); break;
		case PB_MISSING: b->missing = (int)rec_get_int(&r); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static void
row_encode(const struct pay_row *w, struct buf *o)
{
	rec_begin(o, RT_PAY_ROW, PAY_REC_VERSION);
	rec_int(o, PW_KIND, w->kind);
	rec_str(o, PW_DOSSIER, w->dossier);
	rec_str(o, PW_VILLAGE, w->village);
	rec_str(o, PW_HEAD, w->head);
	rec_str(o, PW_HOLDER_NAME, w->holder_name);
	rec_str(o, PW_HOLDER_ID, w->holder_id);
	rec_str(o, PW_BANK, w->bank);
	rec_str(o, PW_ACCOUNT, w->account);
	rec_int(o, PW_PERSONS, w->persons);
	rec_int(o, PW_BASE, w->base);
	rec_int(o, PW_ADDONS, w->addons);
	rec_int(o, PW_AMOUNT, w->amount);
	rec_int(o, PW_CALC_SEQ, w->calc_seq);
	rec_int(o, PW_ARREARS, w->arrears);
	rec_int(o, PW_PAY, w->pay);
	rec_str(o, PW_REASON, w->reason);
	for (int i = 0; i < w->n_months; i++) {
		struct buf in;
		buf_init(&in);
		rec_int(&in, PM_MONTH, w->months[i].month);
		rec_int(&in, PM_AMOUNT, w->months[i].amount);
		rec_int(&in, PM_WHY, w->months[i].why);
		rec_nested(o, PW_MONTH, &in);
		if (in.oom)
			o->oom = true;
		buf_free(&in);
	}
}

static int
row_decode(const void *p, size_t len, struct pay_row *w)
{
	struct rec_reader r, m;
	int n, bad = 0;

	memset(w, 0, sizeof *w);
	if (rec_open(&r, p, len, RT_PAY_ROW, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PW_KIND: w->kind = (int)rec_get_int(&r); break;
		case PW_DOSSIER: bad |= rec_get_str(&r, w->dossier, sizeof w->dossier); break;
		case PW_VILLAGE: bad |= rec_get_str(&r, w->village, sizeof w->village); break;
		case PW_HEAD: bad |= rec_get_str(&r, w->head, sizeof w->head); break;
		case PW_HOLDER_NAME: bad |= rec_get_str(&r, w->holder_name, sizeof w->holder_name); break;
		case PW_HOLDER_ID: bad |= rec_get_str(&r, w->holder_id, sizeof w->holder_id); break;
		case PW_BANK: bad |= rec_get_str(&r, w->bank, sizeof w->bank); break;
		case PW_ACCOUNT: bad |= rec_get_str(&r, w->account, sizeof w->account); break;
		case PW_PERSONS: w->persons = (int)rec_get_int(&r); break;
		case PW_BASE: w->base = rec_get_int(&r); break;
		case PW_ADDONS: w->addons = rec_get_int(&r); break;
		case PW_AMOUNT: w->amount = rec_get_int(&r); break;
		case PW_CALC_SEQ: w->calc_seq = (uint32_t)rec_get_int(&r); break;
		case PW_ARREARS: w->arrears = rec_get_int(&r); break;
		case PW_PAY: w->pay = rec_get_int(&r); break;
		case PW_REASON: bad |= rec_get_str(&r, w->reason, sizeof w->reason); break;
		case PW_MONTH:
			if (w->n_months >= PAY_MAX_MONTHS)
				return -1;
			rec_open_nested(&m, r.val, r.vlen);
			while (rec_next(&m) == 1) {
				struct pay_month *pm = &w->months[w->n_months];
				if (m.tag == PM_MONTH)
					pm->month = (dbmonth_t)rec_get_int(&m);
				else if (m.tag == PM_AMOUNT)
					pm->amount = rec_get_int(&m);
				else if (m.tag == PM_WHY)
					pm->why = (int)rec_get_int(&m);
			}
			w->n_months++;
			break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static void
recon_encode(const struct recon_item *it, struct buf *o)
{
	rec_begin(o, RT_PAY_RECON, PAY_REC_VERSION);
	rec_int(o, RC_OUTCOME, it->outcome);
	rec_int(o, RC_LINE, it->line);
	rec_str(o, RC_ACCOUNT, it->account);
	rec_str(o, RC_NAME, it->name);
	rec_int(o, RC_BANK_AMOUNT, it->bank_amount);
	rec_int(o, RC_BATCH_AMOUNT, it->batch_amount);
	rec_str(o, RC_DOSSIER, it->dossier);
	rec_str(o, RC_REMARK, it->remark);
}

static int
recon_decode(const void *p, size_t len, struct recon_item *it)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(it, 0, sizeof *it);
	if (rec_open(&r, p, len, RT_PAY_RECON, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case RC_OUTCOME: it->outcome = (int)rec_get_int(&r); bad |= it->outcome < 0 || it->outcome >= RECON__N; break;
		case RC_LINE: it->line = (int)rec_get_int(&r); break;
		case RC_ACCOUNT: bad |= rec_get_str(&r, it->account, sizeof it->account); break;
		case RC_NAME: bad |= rec_get_str(&r, it->name, sizeof it->name); break;
		case RC_BANK_AMOUNT: it->bank_amount = rec_get_int(&r); break;
		case RC_BATCH_AMOUNT: it->batch_amount = rec_get_int(&r); break;
		case RC_DOSSIER: bad |= rec_get_str(&r, it->dossier, sizeof it->dossier); break;
		case RC_REMARK: bad |= rec_get_str(&r, it->remark, sizeof it->remark); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* ---- the account index (R14) -------------------------------------------- */

int
dossier_by_account(struct store *st, store_txn *txn, const char *account, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e)
{
	found[0] = '\0';
	if (account == NULL || account[0] == '\0')
		return 0;
	return dossier_active_by_index(st, txn, DBI_DOSSIER_ACCOUNT, account, except_no, found,
	    _("looking up the account"), e);
}

/* ---- batches ------------------------------------------------------------ */

static int
batch_read(struct store *st, store_txn *txn, dbmonth_t m, struct pay_batch *out, bool rmw, struct err *e)
{
	unsigned char k[4];
	DBT v;
	int r;

	put_u32(k, (uint32_t)m);
	if ((r = record_get(st, txn, DBI_PAY_BATCHES, k, 4, &v, rmw, e)) != 0)
		return r;
	r = batch_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the payment batch of %d is damaged"), (int)m);
	return 0;
}

int
payment_batch_get(struct store *st, dbmonth_t m, struct pay_batch *out, struct err *e)
{
	char mon[8];
	int r = batch_read(st, NULL, m, out, false, e);
	if (r == 1) {
		month_format(m, mon);
		return err_set(e, E_NOTFOUND, _("the payment batch of %s has not been submitted"), mon);
	}
	return r;
}

struct batch_walk {
	pay_batch_fn fn;
	void *baton;
};

static int
batch_walk_one(const void *p, size_t len, void *baton)
{
	struct batch_walk *w = baton;
	struct pay_batch b;
	if (batch_decode(p, len, &b) != 0)
		return -1;
	return w->fn(&b, w->baton) != 0 ? 1 : 0;
}

int
payment_batch_list(struct store *st, pay_batch_fn fn, void *baton, struct err *e)
{
	struct batch_walk w = {fn, baton};
	return store_walk(st, DBI_PAY_BATCHES, batch_walk_one, &w, _("a payment batch is damaged"), e);
}

/* the months of every submitted batch, in order */
struct months {
	dbmonth_t *v;
	size_t n, cap;
};

static int
months_add(const struct pay_batch *b, void *baton)
{
	struct months *m = baton;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		dbmonth_t *v = realloc(m->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = b->month;
	return 0;
}

/* ---- a dossier's payment history ---------------------------------------- */

struct hist {
	dbmonth_t month;
	int kind;
	dbmonth_t of;
	fen_t amount;
	uint32_t calc_seq;
};

struct hists {
	struct hist *v;
	size_t n, cap;
};

static size_t
hist_key(unsigned char k[DOSSIER_NO_LEN + 9], const char *no, dbmonth_t m, int kind, dbmonth_t of)
{
	memset(k, 0, DOSSIER_NO_LEN);
	memcpy(k, no, strnlen(no, DOSSIER_NO_LEN));
	put_u32(k + DOSSIER_NO_LEN, (uint32_t)m);
	k[DOSSIER_NO_LEN + 4] = (unsigned char)kind;
	put_u32(k + DOSSIER_NO_LEN + 5, (uint32_t)of);
	return DOSSIER_NO_LEN + 9;
}

static int
hist_put(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, fen_t amount,
    uint32_t calc_seq, struct err *e)
{
	unsigned char k[DOSSIER_NO_LEN + 9];
	struct buf b;
	int r;

	buf_init(&b);
	rec_begin(&b, RT_PAY_HIST, PAY_REC_VERSION);
	rec_int(&b, PH_AMOUNT, amount);
	rec_int(&b, PH_CALC_SEQ, calc_seq);
	r = record_put(st, txn, DBI_PAY_HISTORY, k, hist_key(k, no, m, kind, of), &b, false, e);
	buf_free(&b);
	return r;
}

static int
hist_del(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, struct err *e)
{
	unsigned char k[DOSSIER_NO_LEN + 9];
	DBT kk;
	int ret;

	dbt_init(&kk, k, hist_key(k, no, m, kind, of));
	ret = st->db[DBI_PAY_HISTORY]->del(st->db[DBI_PAY_HISTORY], txn, &kk, 0);
	if (ret == 0)
		audit_track(st, DBI_PAY_HISTORY, kk.data, kk.size, NULL, 0); /* issue 16.5 */
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_PAY_HISTORY].file, e);
	return 0;
}

/* A dossier's history; cur (NULL: one of its own) is a cursor a walk over
 * many dossiers keeps open. */
static int
hist_load_c(struct store *st, DBC *cur, const char *no, struct hists *h, struct err *e)
{
	DB *db = st->db[DBI_PAY_HISTORY];
	unsigned char k0[DOSSIER_NO_LEN + 9];
	DBC *c = cur;
	DBT k, v;
	int ret;

	h->n = 0;
	hist_key(k0, no, 0, 0, 0);
	if (c == NULL && (ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the payment history"), e);
	dbt_init(&k, k0, DOSSIER_NO_LEN);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE); ret == 0; ret = c->get(c, &k, &v, DB_NEXT)) {
		struct rec_reader r;
		const unsigned char *kp = k.data;
		if (k.size != DOSSIER_NO_LEN + 9 || memcmp(kp, k0, DOSSIER_NO_LEN) != 0)
			break;
		if (h->n == h->cap) {
			size_t cap = h->cap ? h->cap * 2 : 32;
			struct hist *nv = realloc(h->v, cap * sizeof *nv);
			if (nv == NULL) {
				if (cur == NULL)
					c->close(c);
				return err_set(e, E_STORAGE, "%s", _("out of memory"));
			}
			h->v = nv;
			h->cap = cap;
		}
		struct hist *x = &h->v[h->n++];
		memset(x, 0, sizeof *x);
		x->month = (dbmonth_t)get_u32(kp + DOSSIER_NO_LEN);
		x->kind = kp[DOSSIER_NO_LEN + 4];
		x->of = (dbmonth_t)get_u32(kp + DOSSIER_NO_LEN + 5);
		if (rec_open(&r, v.data, v.size, RT_PAY_HIST, PAY_REC_VERSION) == 0)
			while (rec_next(&r) == 1) {
				if (r.tag == PH_AMOUNT)
					x->amount = rec_get_int(&r);
				else if (r.tag == PH_CALC_SEQ)
					x->calc_seq = (uint32_t)rec_get_int(&r);
			}
	}
	if (cur == NULL)
		c->close(c);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the payment history"), e);
	return 0;
}

static const struct hist *
hist_find(const struct hists *h, dbmonth_t m, int kind, dbmonth_t of)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].month == m && h->v[i].kind == kind && h->v[i].of == of)
			return &h->v[i];
	return NULL;
}

/* Was the batch of month m failed for this dossier (and not waived)? */
static bool
hist_failed(const struct hists *h, dbmonth_t m)
{
	return hist_find(h, m, HIST_FAILED, 0) != NULL && hist_find(h, m, HIST_WAIVED, 0) == NULL;
}

/* Was month `of` paid as arrears in a batch that did not fail? */
static bool
hist_arrears_paid(const struct hists *h, dbmonth_t of)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].kind == HIST_ARREARS && h->v[i].of == of && !hist_failed(h, h->v[i].month))
			return true;
	return false;
}

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
	 * and held rows kept encoded, sorted by village afterwards; a paid
	 * row's card looked up in the account index for another active
	 * dossier (R14: one card on several households) */
	struct buf rows;
	struct rrow {
		uint32_t off, len; int vid; int kind; char no[DOSSIER_NO_LEN + 1];
		char shared[DOSSIER_NO_LEN + 1];   /* the other active dossier with this card, "" none */
	} *rr;
	size_t n_rr, cap_rr;
	char (*vnames)[TEXT_SHORT];
	int n_v, cap_v;
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
	if (r->n_later == r->cap_later) {
		size_t cap = r->cap_later ? r->cap_later * 2 : 16;
		struct pay_row *v = realloc(r->later, cap * sizeof *v);
		if (v == NULL)
			return err_set(r->e, E_STORAGE, "%s", _("out of memory"));
		r->later = v;
		r->cap_later = cap;
	}
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
		if (listed || hist_failed(&r->h, x->month))
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
	if (r->n_v == r->cap_v) {
		int cap = r->cap_v ? r->cap_v * 2 : 32;
		void *p = realloc(r->vnames, (size_t)cap * sizeof *r->vnames);
		if (p == NULL)
			return -1;
		r->vnames = p;
		r->cap_v = cap;
	}
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
	if (r->n_rr == r->cap_rr) {
		size_t cap = r->cap_rr ? r->cap_rr * 2 : 1024;
		void *p = realloc(r->rr, cap * sizeof *r->rr);
		if (p == NULL)
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		r->rr = p;
		r->cap_rr = cap;
	}
	buf_init(&one);
	row_encode(w, &one);
	struct rrow *x = &r->rr[r->n_rr];
	x->off = (uint32_t)r->rows.len;
	x->len = (uint32_t)one.len;
	buf_put_bytes(&r->rows, one.p, one.len);
	bool bad = one.oom || r->rows.oom;
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
	struct rrow *v = malloc((n ? n : 1) * sizeof *v);
	if (v == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (n > 0)   /* no row at all: r->rr is still NULL */
		memcpy(v, r->rr, n * sizeof *v);
	sort_r = r;
	if (n > 1)
		qsort(v, n, sizeof *v, rrow_cmp);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			bool held = v[i].kind == PAY_HELD || v[i].shared[0] != '\0';
			if (held != (pass == 1))
				continue;
			if (row_decode(r->rows.p + v[i].off, v[i].len, w) != 0) {
				free(v);
				return err_set(e, E_STORAGE, "%s", _("a payment batch row is damaged"));
			}
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
			if ((ret = r->fn(w, r->baton)) != 0) {
				free(v);
				return ret;
			}
		}
	free(v);
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
	if (r->batches.n > 0 && hist_load_c(r->st, r->hc, d->no, &r->h, e) != 0)
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
		w->base = r->calc->base;
		w->addons = r->calc->total - r->calc->base; /* add-ons and rounding */
		w->persons = r->calc->guaranteed;
	}
	/* arrears: months of earlier batches this household was not paid */
	for (size_t i = 0; i < r->batches.n; i++) {
		dbmonth_t b = r->batches.v[i];
		int why;
		fen_t amt;
		if (b < first || b >= r->month || hist_arrears_paid(&r->h, b))
			continue;
		const struct hist *p = hist_find(&r->h, b, PAY_ROW, 0);
		if (p != NULL) {
			if (!hist_failed(&r->h, b))
				continue;
			why = ARR_FAILED;
			amt = p->amount;
		} else {
			why = hist_find(&r->h, b, PAY_HELD, 0) ? ARR_HELD : ARR_LATE;
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
		if (row_decode(v.data, v.size, w) != 0) {
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
	if ((ret = batch_read(st, NULL, m, &b, false, e)) < 0)
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
	buf_init(&r.rows);
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
	if (payment_batch_list(st, months_add, &r.batches, e) != 0)
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
	buf_free(&r.rows);
	free(r.rr);
	free(r.vnames);
	free(r.batches.v);
	free(r.h.v);
	free(r.calc);
	free(r.row);
	free(r.later);
	return ret;
}

/* ---- submit ------------------------------------------------------------- */

struct spool {
	struct buf b;                  /* u32 length + row record, each */
	size_t n;
	crypto_hash_sha256_state sha;
	struct err *e;
};

static int
spool_row(const struct pay_row *w, void *baton)
{
	struct spool *s = baton;
	struct buf one;
	unsigned char len[4];

	buf_init(&one);
	row_encode(w, &one);
	if (one.oom) {
		buf_free(&one);
		return err_set(s->e, E_STORAGE, "%s", _("out of memory"));
	}
	put_u32(len, (uint32_t)one.len);
	buf_put_bytes(&s->b, len, 4);
	buf_put_bytes(&s->b, one.p, one.len);
	crypto_hash_sha256_update(&s->sha, one.p, one.len);
	buf_free(&one);
	s->n++;
	return s->b.oom ? err_set(s->e, E_STORAGE, "%s", _("out of memory")) : 0;
}

struct submit_baton {
	const struct user *actor;
	dbmonth_t month;
	struct spool *s;
	struct pay_batch *b;
};

static int
submit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct submit_baton *sb = baton;
	struct pay_batch old;
	struct pay_row *w;
	struct buf hb;
	unsigned char k[8];
	char mon[8], obj[32];
	int r;

	month_format(sb->month, mon);
	if ((r = batch_read(st, txn, sb->month, &old, true, e)) < 0)
		return -1;
	if (r == 0)
		return err_set(e, E_REFUSED, _("the payment batch of %s was already submitted (SHA-256 %s)"), mon,
		    old.sha256);
	if ((w = malloc(sizeof *w)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	size_t off = 0;
	uint32_t i = 0;
	while (off + 4 <= sb->s->b.len) {
		uint32_t len = get_u32(sb->s->b.p + off);
		struct buf one = {.p = sb->s->b.p + off + 4, .len = len, .cap = len};
		put_u32(k, (uint32_t)sb->month);
		put_u32(k + 4, i++);
		if (record_put(st, txn, DBI_PAY_ROWS, k, 8, &one, true, e) != 0 ||
		    row_decode(one.p, one.len, w) != 0) {
			free(w);
			return e->code ? -1 : err_set(e, E_STORAGE, "%s", _("a payment batch row is damaged"));
		}
		off += 4 + len;
		/* the history the next rosters read */
		if (w->kind == PAY_ROW) {
			if (hist_put(st, txn, w->dossier, sb->month, PAY_ROW, 0, w->amount, w->calc_seq, e) != 0)
				goto fail;
			for (int m = 0; m < w->n_months; m++)
				if (hist_put(st, txn, w->dossier, sb->month, HIST_ARREARS, w->months[m].month,
				    w->months[m].amount, 0, e) != 0)
					goto fail;
		} else if (w->kind == PAY_HELD) {
			if (hist_put(st, txn, w->dossier, sb->month, PAY_HELD, 0, w->amount, w->calc_seq, e) != 0)
				goto fail;
		} else {
			for (int m = 0; m < w->n_months; m++)
				if (hist_put(st, txn, w->dossier, sb->month, PAY_RECOVERY, w->months[m].month,
				    w->months[m].amount, 0, e) != 0)
					goto fail;
		}
	}
	free(w);
	sb->b->submitted = (int64_t)time(NULL);
	snprintf(sb->b->by, sizeof sb->b->by, "%s", sb->actor->login);
	buf_init(&hb);
	batch_encode(sb->b, &hb);
	put_u32(k, (uint32_t)sb->month);
	r = record_put(st, txn, DBI_PAY_BATCHES, k, 4, &hb, true, e);
	buf_free(&hb);
	if (r != 0)
		return -1;
	snprintf(obj, sizeof obj, "payment:%s", mon);
	return audit_appendj(st, txn, sb->actor->login, "payment.submit", obj,
	    json_pack("{s:s,s:i,s:i,s:I,s:I,s:i,s:I,s:i,s:I,s:s}", "month", mon, "households", sb->b->households,
	    "persons", sb->b->persons, "total", (json_int_t)sb->b->total, "arrears", (json_int_t)sb->b->arrears,
	    "held", sb->b->held, "held_amount", (json_int_t)sb->b->held_amount, "recovery", sb->b->recovery,
	    "recovery_amount", (json_int_t)sb->b->recovery_amount, "sha256", sb->b->sha256), e);
fail:
	free(w);
	return -1;
}

int
payment_submit(struct store *st, const struct user *actor, dbmonth_t m, struct pay_batch *out,
    const struct progress *pg, struct err *e)
{
	struct spool s;
	struct pay_totals *t;
	struct pay_batch last = {0};
	unsigned char h[32];
	char mon[8], lm[8];
	bool frozen;
	int ret = -1;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	month_format(m, mon);
	if (m > month_add(month_of(store_today()), 1))
		return err_set(e, E_REFUSED, _("month: %s is more than a month ahead; submit a batch in its month or the one before"), mon);
	/* in month order: a later batch already there refuses an earlier one */
	struct months ms = {0};
	if (payment_batch_list(st, months_add, &ms, e) != 0) {
		free(ms.v);
		return -1;
	}
	if (ms.n > 0 && ms.v[ms.n - 1] > m) {
		last.month = ms.v[ms.n - 1];
		free(ms.v);
		month_format(last.month, lm);
		return err_set(e, E_REFUSED, _("month: the batch of %s was submitted already; batches go in month order"), lm);
	}
	free(ms.v);
	if ((t = malloc(sizeof *t)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	memset(&s, 0, sizeof s);
	buf_init(&s.b);
	crypto_hash_sha256_init(&s.sha);
	s.e = e;
	if (payment_roster(st, m, spool_row, &s, t, &frozen, pg, e) != 0)
		goto out;
	if (frozen) {
		struct pay_batch b;
		if (payment_batch_get(st, m, &b, e) == 0)
			err_set(e, E_REFUSED, _("the payment batch of %s was already submitted (SHA-256 %s)"), mon, b.sha256);
		goto out;
	}
	memset(out, 0, sizeof *out);
	out->month = m;
	out->households = t->households;
	out->persons = t->persons;
	out->total = t->total;
	out->arrears = t->arrears;
	out->held = t->held;
	out->held_amount = t->held_amount;
	out->recovery = t->recovery;
	out->recovery_amount = t->recovery_amount;
	crypto_hash_sha256_final(&s.sha, h);
	hex32(h, out->sha256);
	struct submit_baton sb = {actor, m, &s, out};
	ret = store_txn_run(st, submit_body, &sb, e);
out:
	buf_free(&s.b);
	free(t);
	return ret;
}

struct bankfile_baton {
	const struct user *actor;
	const char *obj, *what;
};

static int
bankfile_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct bankfile_baton *b = baton;
	return audit_appendj(st, txn, b->actor->login, "payment.bankfile", b->obj,
	    json_pack("{s:s}", "files", b->what), e);
}

int
payment_bankfile_audit(struct store *st, const struct user *actor, dbmonth_t m, const char *what, struct err *e)
{
	char mon[8], obj[32];
	struct bankfile_baton b = {actor, obj, what};

	if (store_require(actor, ACT_EXPORT, e) != 0)
		return -1;
	month_format(m, mon);
	snprintf(obj, sizeof obj, "payment:%s", mon);
	return store_txn_run(st, bankfile_body, &b, e);
}

/* ---- reconciliation ----------------------------------------------------- */

struct brow {
	char account[TEXT_SHORT];
	char dossier[DOSSIER_NO_LEN + 1];
	char name[NAME_MAX_BYTES];
	fen_t pay;
	bool matched;
};

struct brows {
	struct brow *v;
	size_t n, cap;
	struct err *e;
};

static int
brow_add(const struct pay_row *w, void *baton)
{
	struct brows *b = baton;
	if (w->kind != PAY_ROW)
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct brow *v = realloc(b->v, cap * sizeof *v);
		if (v == NULL)
			return err_set(b->e, E_STORAGE, "%s", _("out of memory"));
		b->v = v;
		b->cap = cap;
	}
	struct brow *x = &b->v[b->n++];
	snprintf(x->account, sizeof x->account, "%s", w->account);
	snprintf(x->dossier, sizeof x->dossier, "%s", w->dossier);
	snprintf(x->name, sizeof x->name, "%s", w->holder_name);
	x->pay = w->pay;
	x->matched = false;
	return 0;
}

static int
brow_cmp(const void *a, const void *b)
{
	return strcmp(((const struct brow *)a)->account, ((const struct brow *)b)->account);
}

struct recon_baton {
	const struct user *actor;
	dbmonth_t month;
	const char *file_sha;
	bool replace;
	/* the bank's rows and the batch's (sorted by account): each item is
	 * made and written in turn, never all held at once (90,000 rows of
	 * ~440 bytes each was most of the memory) */
	const struct recon_input_row *rows;
	size_t n;
	struct brows *br;
	struct pay_batch *b;
	bool *unchanged;
};

static int
recon_clear(struct store *st, store_txn *txn, dbmonth_t m, struct err *e)
{
	DB *db = st->db[DBI_PAY_RECON];
	unsigned char k0[8];
	DBC *c;
	DBT k, v;
	int ret;

	put_u32(k0, (uint32_t)m);
	put_u32(k0 + 4, 0);
	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("replacing the reconciliation"), e);
	dbt_init(&k, k0, 8);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE | DB_RMW); ret == 0; ret = c->get(c, &k, &v, DB_NEXT | DB_RMW)) {
		struct recon_item it;
		if (k.size != 8 || memcmp(k.data, k0, 4) != 0)
			break;
		if (recon_decode(v.data, v.size, &it) == 0 && it.outcome == RECON_FAILED && it.dossier[0] &&
		    hist_del(st, txn, it.dossier, m, HIST_FAILED, 0, e) != 0) {
			c->close(c);
			return -1;
		}
		if ((ret = c->del(c, 0)) != 0)
			break;
		audit_track(st, DBI_PAY_RECON, k.data, k.size, NULL, 0); /* issue 16.5 */
	}
	c->close(c);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("replacing the reconciliation"), e);
	return 0;
}

static int
recon_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct recon_baton *rb = baton;
	struct pay_batch *b = rb->b;
	char mon[8], obj[32];
	unsigned char k[8];
	struct buf o;
	int r;
	bool replaced = false;
	char old_sha[65] = "";

	month_format(rb->month, mon);
	*rb->unchanged = false;
	if ((r = batch_read(st, txn, rb->month, b, true, e)) != 0)
		return r < 0 ? -1 : err_set(e, E_REFUSED, _("the payment batch of %s has not been submitted"), mon);
	if (b->reconciled != 0) {
		if (strcmp(b->recon_sha256, rb->file_sha) == 0) {
			*rb->unchanged = true;
			return err_set(e, E_REFUSED, "-"); /* nothing to write */
		}
		if (!rb->replace)
			return err_set(e, E_REFUSED,
			    _("the batch of %s was reconciled with another file (SHA-256 %s): give --replace to replace it (audited)"),
			    mon, b->recon_sha256);
		snprintf(old_sha, sizeof old_sha, "%s", b->recon_sha256);
		if (recon_clear(st, txn, rb->month, e) != 0)
			return -1;
		replaced = true;
	}
	int count[RECON__N] = {0};
	struct recon_item item, *it = &item;
	struct brows *br = rb->br;
	size_t ni = 0, nb = br->n;
	for (size_t i = 0; i < nb; i++)   /* a retried transaction starts again */
		br->v[i].matched = false;
	/* the file's rows in order, then the batch rows it does not mention,
	 * in dossier order */
	for (size_t i = 0, mi = 0; i < rb->n || mi < nb; ) {
		memset(it, 0, sizeof *it);
		if (i < rb->n) {
			const struct recon_input_row *in = &rb->rows[i++];
			struct brow key, *hit;
			snprintf(key.account, sizeof key.account, "%s", in->account);
			hit = nb ? bsearch(&key, br->v, nb, sizeof *br->v, brow_cmp) : NULL;
			it->line = in->line;
			snprintf(it->account, sizeof it->account, "%s", in->account);
			snprintf(it->name, sizeof it->name, "%s", in->name);
			snprintf(it->remark, sizeof it->remark, "%s", in->remark);
			it->bank_amount = in->amount;
			if (hit == NULL || hit->matched) {
				/* not in the batch (or a second line for one account) */
				it->outcome = RECON_UNKNOWN;
			} else {
				hit->matched = true;
				snprintf(it->dossier, sizeof it->dossier, "%s", hit->dossier);
				it->batch_amount = hit->pay;
				if (!in->ok)
					it->outcome = RECON_FAILED;
				else if (in->amount != hit->pay)
					it->outcome = RECON_MISMATCH;
				else
					it->outcome = RECON_PAID;
			}
		} else {
			const struct brow *x = &br->v[mi++];
			if (x->matched)
				continue;
			it->outcome = RECON_MISSING;
			snprintf(it->account, sizeof it->account, "%s", x->account);
			snprintf(it->name, sizeof it->name, "%s", x->name);
			snprintf(it->dossier, sizeof it->dossier, "%s", x->dossier);
			it->batch_amount = x->pay;
		}
		size_t idx = ni++;
		buf_init(&o);
		recon_encode(it, &o);
		put_u32(k, (uint32_t)rb->month);
		put_u32(k + 4, (uint32_t)idx);
		r = record_put(st, txn, DBI_PAY_RECON, k, 8, &o, false, e);
		buf_free(&o);
		if (r != 0)
			return -1;
		/* a failed payment is next month's arrears (history) */
		if (it->outcome == RECON_FAILED && it->dossier[0] &&
		    hist_put(st, txn, it->dossier, rb->month, HIST_FAILED, 0, it->batch_amount, 0, e) != 0)
			return -1;
		count[it->outcome]++;
	}
	b->reconciled = (int64_t)time(NULL);
	snprintf(b->recon_by, sizeof b->recon_by, "%s", rb->actor->login);
	snprintf(b->recon_sha256, sizeof b->recon_sha256, "%s", rb->file_sha);
	b->paid = count[RECON_PAID];
	b->failed = count[RECON_FAILED];
	b->mismatch = count[RECON_MISMATCH];
	b->unknown = count[RECON_UNKNOWN];
	b->missing = count[RECON_MISSING];
	buf_init(&o);
	batch_encode(b, &o);
	put_u32(k, (uint32_t)rb->month);
	r = record_put(st, txn, DBI_PAY_BATCHES, k, 4, &o, false, e);
	buf_free(&o);
	if (r != 0)
		return -1;
	snprintf(obj, sizeof obj, "payment:%s", mon);
	json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i}", "month", mon, "file_sha256", rb->file_sha,
	    "paid", b->paid, "failed", b->failed, "mismatch", b->mismatch, "unknown", b->unknown,
	    "missing", b->missing);
	if (replaced && j != NULL) {
		json_object_set_new(j, "replace", json_true());
		json_object_set_new(j, "replaced_sha256", json_string(old_sha));
	}
	return audit_appendj(st, txn, rb->actor->login, "payment.reconcile", obj, j, e);
}

int
payment_reconcile(struct store *st, const struct user *actor, dbmonth_t m, const char *file_sha,
    const struct recon_input_row *rows, size_t n, bool replace, bool *unchanged, struct pay_batch *out,
    struct err *e)
{
	struct brows br = {.e = e};
	struct pay_totals *t;
	bool frozen;
	int ret = -1;

	*unchanged = false;
	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	if (payment_batch_get(st, m, out, e) != 0)
		return -1;
	if (out->reconciled && strcmp(out->recon_sha256, file_sha) == 0) {
		*unchanged = true;
		return 0;
	}
	if ((t = malloc(sizeof *t)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (payment_roster(st, m, brow_add, &br, t, &frozen, NULL, e) != 0)
		goto out;
	if (br.n > 0)
		qsort(br.v, br.n, sizeof *br.v, brow_cmp);
	struct recon_baton rb = {actor, m, file_sha, replace, rows, n, &br, out, unchanged};
	ret = store_txn_run(st, recon_body, &rb, e);
	if (ret != 0 && *unchanged) {
		err_clear(e);
		ret = 0;
	}
out:
	free(br.v);
	free(t);
	return ret;
}

int
payment_recon_items(struct store *st, dbmonth_t m, recon_fn fn, void *baton, struct err *e)
{
	DB *db = st->db[DBI_PAY_RECON];
	unsigned char k0[8];
	DBC *c;
	DBT k, v;
	int ret, out = 0;

	put_u32(k0, (uint32_t)m);
	put_u32(k0 + 4, 0);
	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the reconciliation"), e);
	dbt_init(&k, k0, 8);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE); ret == 0; ret = c->get(c, &k, &v, DB_NEXT)) {
		struct recon_item it;
		if (k.size != 8 || memcmp(k.data, k0, 4) != 0)
			break;
		if (recon_decode(v.data, v.size, &it) != 0) {
			out = err_set(e, E_STORAGE, "%s", _("a reconciliation item is damaged"));
			break;
		}
		if ((out = fn(&it, baton)) != 0)
			break;
	}
	c->close(c);
	if (out == 0 && ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the reconciliation"), e);
	return out;
}

/* ---- waive a failed payment's arrears ---------------------------------- */

struct waive_baton {
	const struct user *actor;
	dbmonth_t month;
	const char *no, *note;
};

static int
waive_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct waive_baton *w = baton;
	unsigned char k[DOSSIER_NO_LEN + 9];
	char mon[8], obj[64];
	DBT v;
	int r;

	month_format(w->month, mon);
	if ((r = record_get(st, txn, DBI_PAY_HISTORY, k, hist_key(k, w->no, w->month, HIST_FAILED, 0), &v, true, e)) != 0)
		return r < 0 ? -1 : err_set(e, E_REFUSED, _("dossier %s: no failed payment in the batch of %s"), w->no, mon);
	free(v.data);
	if (hist_put(st, txn, w->no, w->month, HIST_WAIVED, 0, 0, 0, e) != 0)
		return -1;
	snprintf(obj, sizeof obj, "payment:%s", mon);
	return audit_appendj(st, txn, w->actor->login, "payment.waive", obj,
	    json_pack("{s:s,s:s,s:s}", "month", mon, "dossier", w->no, "note", w->note), e);
}

int
payment_waive(struct store *st, const struct user *actor, dbmonth_t m, const char *no, const char *note,
    struct err *e)
{
	struct waive_baton w = {actor, m, no, note};
	const char *why;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	if (note == NULL || note[0] == '\0')
		return err_set(e, E_REFUSED, "%s", _("note: say why the failed payment is not paid as arrears"));
	if (text_check(note, TEXT_MEDIUM - 1, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
	return store_txn_run(st, waive_body, &w, e);
}

/* ---- the monthly report's line (SPEC 7) --------------------------------- */

static dbdate_t
date_of_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (dbdate_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int
payment_month_summary(struct store *st, dbmonth_t m, dbdate_t to, struct pay_batch *out, bool *have,
    struct err *e)
{
	int r = batch_read(st, NULL, m, out, false, e);

	*have = false;
	if (r < 0)
		return -1;
	if (r == 1 || date_of_time(out->submitted) > to) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	*have = true;
	if (out->reconciled != 0 && date_of_time(out->reconciled) > to) {
		/* reconciled after the period: not yet in this report */
		out->reconciled = 0;
		out->paid = out->failed = out->mismatch = out->unknown = out->missing = 0;
	}
	return 0;
}
