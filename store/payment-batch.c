/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-batch.c — the submitted batches and each dossier's payment
 * history (pay-history.db) that the rosters read for arrears and recovery
 * (issue 13); the account index of R14.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "core/array.h"
#include "core/base.h"
#include "core/date.h"
#include "core/sizes.h"

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

int
pay_batch_read(struct store *st, store_txn *txn, dbmonth_t m, struct pay_batch *out, bool rmw, struct err *e)
{
	unsigned char k[4];
	DBT v;
	int r;

	put_u32(k, (uint32_t)m);
	if ((r = record_get(st, txn, DBI_PAY_BATCHES, k, 4, &v, rmw, e)) != 0)
		return r;
	r = pay_batch_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the payment batch of %d is damaged"), (int)m);
	return 0;
}

int
payment_batch_get(struct store *st, dbmonth_t m, struct pay_batch *out, struct err *e)
{
	char mon[8];
	int r = pay_batch_read(st, NULL, m, out, false, e);
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
	if (pay_batch_decode(p, len, &b) != 0)
		return -1;
	return w->fn(&b, w->baton) != 0 ? 1 : 0;
}

int
payment_batch_list(struct store *st, pay_batch_fn fn, void *baton, struct err *e)
{
	struct batch_walk w = {fn, baton};
	return store_walk(st, DBI_PAY_BATCHES, batch_walk_one, &w, _("a payment batch is damaged"), e);
}

int
pay_months_add(const struct pay_batch *b, void *baton)
{
	struct months *m = baton;
	dbmonth_t *v = array_grow(m->v, &m->cap, m->n + 1, sizeof *v);
	if (v == NULL)
		return -1;
	m->v = v;
	m->v[m->n++] = b->month;
	return 0;
}

/* ---- a dossier's payment history ---------------------------------------- */

size_t
pay_hist_key(unsigned char k[DOSSIER_NO_LEN + 9], const char *no, dbmonth_t m, int kind, dbmonth_t of)
{
	memset(k, 0, DOSSIER_NO_LEN);
	memcpy(k, no, strnlen(no, DOSSIER_NO_LEN));
	put_u32(k + DOSSIER_NO_LEN, (uint32_t)m);
	k[DOSSIER_NO_LEN + 4] = (unsigned char)kind;
	put_u32(k + DOSSIER_NO_LEN + 5, (uint32_t)of);
	return DOSSIER_NO_LEN + 9;
}

int
pay_hist_put(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, fen_t amount,
    uint32_t calc_seq, struct err *e)
{
	unsigned char k[DOSSIER_NO_LEN + 9];
	struct buf b;
	int r;

	buf_init(&b);
	rec_begin(&b, RT_PAY_HIST, PAY_REC_VERSION);
	rec_int(&b, PH_AMOUNT, amount);
	rec_int(&b, PH_CALC_SEQ, calc_seq);
	r = record_put(st, txn, DBI_PAY_HISTORY, k, pay_hist_key(k, no, m, kind, of), &b, false, e);
	buf_free(&b);
	return r;
}

int
pay_hist_del(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, struct err *e)
{
	unsigned char k[DOSSIER_NO_LEN + 9];
	DBT kk;
	int ret;

	dbt_init(&kk, k, pay_hist_key(k, no, m, kind, of));
	ret = st->db[DBI_PAY_HISTORY]->del(st->db[DBI_PAY_HISTORY], txn, &kk, 0);
	if (ret == 0)
		audit_track(st, DBI_PAY_HISTORY, kk.data, kk.size, NULL, 0); /* issue 16.5 */
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_PAY_HISTORY].file, e);
	return 0;
}

/* A dossier's history; cur (NULL: one of its own) is a cursor a walk over
 * many dossiers keeps open. */
int
pay_hist_load(struct store *st, DBC *cur, const char *no, struct hists *h, struct err *e)
{
	DB *db = st->db[DBI_PAY_HISTORY];
	unsigned char k0[DOSSIER_NO_LEN + 9];
	DBC *c = cur;
	DBT k, v;
	int ret;

	h->n = 0;
	pay_hist_key(k0, no, 0, 0, 0);
	if (c == NULL && (ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the payment history"), e);
	dbt_init(&k, k0, DOSSIER_NO_LEN);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE); ret == 0; ret = c->get(c, &k, &v, DB_NEXT)) {
		struct rec_reader r;
		const unsigned char *kp = k.data;
		if (k.size != DOSSIER_NO_LEN + 9 || memcmp(kp, k0, DOSSIER_NO_LEN) != 0)
			break;
		struct hist *nv = array_grow(h->v, &h->cap, h->n + 1, sizeof *nv);
		if (nv == NULL) {
			if (cur == NULL)
				c->close(c);
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		}
		h->v = nv;
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

const struct hist *
pay_hist_find(const struct hists *h, dbmonth_t m, int kind, dbmonth_t of)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].month == m && h->v[i].kind == kind && h->v[i].of == of)
			return &h->v[i];
	return NULL;
}

/* Was the batch of month m failed for this dossier (and not waived)? */
bool
pay_hist_failed(const struct hists *h, dbmonth_t m)
{
	return pay_hist_find(h, m, HIST_FAILED, 0) != NULL && pay_hist_find(h, m, HIST_WAIVED, 0) == NULL;
}

/* Was month `of` paid as arrears in a batch that did not fail? */
bool
pay_hist_arrears_paid(const struct hists *h, dbmonth_t of)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].kind == HIST_ARREARS && h->v[i].of == of && !pay_hist_failed(h, h->v[i].month))
			return true;
	return false;
}
