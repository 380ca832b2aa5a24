/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-recon.c — the bank's reconciliation (回盘对账), waiving a
 * failed payment's arrears, and the monthly report's payment line
 * (issue 13; SPEC 7).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "core/array.h"
#include "core/base.h"
#include "core/date.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/text.h"

/* ---- reconciliation ----------------------------------------------------- */

/* A batch row as reconciliation needs it, its texts in one arena (issue
 * 17: a row of fixed 64-byte fields was 160 bytes, 11 MB of a 62,069-row
 * batch with the array's growth, and put reconcile over the 48 MB) */
struct brow {
	uint32_t account, name;        /* offsets of their texts in brows.text */
	char dossier[DOSSIER_NO_LEN + 1];
	bool matched;
	fen_t pay;
};

struct brows {
	struct brow *v;
	size_t n, cap;
	char *text;                    /* NUL-terminated texts, one after another */
	size_t tlen, tcap;
	struct err *e;
};

/* s into the arena: its offset in *off; -1 when out of memory */
static int
brows_text(struct brows *b, const char *s, uint32_t *off)
{
	size_t n = strlen(s) + 1;
	if (b->tlen + n > UINT32_MAX)
		return -1;
	char *t = array_grow(b->text, &b->tcap, b->tlen + n, 1);
	if (t == NULL)
		return -1;
	b->text = t;
	memcpy(b->text + b->tlen, s, n);
	*off = (uint32_t)b->tlen;
	b->tlen += n;
	return 0;
}

static int
brow_add(const struct pay_row *w, void *baton)
{
	struct brows *b = baton;
	if (w->kind != PAY_ROW)
		return 0;
	struct brow *v = array_grow(b->v, &b->cap, b->n + 1, sizeof *v);
	if (v == NULL)
		return err_set(b->e, E_STORAGE, "%s", _("out of memory"));
	b->v = v;
	struct brow *x = &b->v[b->n];
	if (brows_text(b, w->account, &x->account) != 0 || brows_text(b, w->holder_name, &x->name) != 0)
		return err_set(b->e, E_STORAGE, "%s", _("out of memory"));
	snprintf(x->dossier, sizeof x->dossier, "%s", w->dossier);
	x->pay = w->pay;
	x->matched = false;
	b->n++;
	return 0;
}

static int
brow_cmp(const void *a, const void *b, void *text)
{
	const char *t = text;
	return strcmp(t + ((const struct brow *)a)->account, t + ((const struct brow *)b)->account);
}

/* The first row of the batch (sorted by account) with this account, NULL
 * when none */
static struct brow *
brow_find(const struct brows *br, const char *account)
{
	size_t lo = 0, hi = br->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(br->text + br->v[mid].account, account) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < br->n && strcmp(br->text + br->v[lo].account, account) == 0 ? &br->v[lo] : NULL;
}

struct recon_baton {
	const struct user *actor;
	dbmonth_t month;
	const char *file_sha;
	bool replace;
	/* the bank's rows, fed one at a time from the file (issue 13: never
	 * all held), and the batch's (sorted by account): each item is made
	 * and written in turn */
	recon_feed_fn feed;
	void *src;
	struct brows *br;
	struct pay_batch *b;
	bool *unchanged;
	/* during the transaction */
	struct store *st;
	store_txn *txn;
	struct err *e;
	size_t ni;
	int count[RECON__N];
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
		if (pay_recon_decode(v.data, v.size, &it) == 0 && it.outcome == RECON_FAILED && it.dossier[0] &&
		    pay_hist_del(st, txn, it.dossier, m, HIST_FAILED, 0, e) != 0) {
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

/* One item stored (and a failed payment's history: next month's arrears) */
static int
recon_put(struct recon_baton *rb, const struct recon_item *it)
{
	unsigned char k[8];
	struct buf o;
	int r;

	buf_init(&o);
	pay_recon_encode(it, &o);
	put_u32(k, (uint32_t)rb->month);
	put_u32(k + 4, (uint32_t)rb->ni++);
	r = record_put(rb->st, rb->txn, DBI_PAY_RECON, k, 8, &o, false, rb->e);
	buf_free(&o);
	if (r != 0)
		return -1;
	if (it->outcome == RECON_FAILED && it->dossier[0] &&
	    pay_hist_put(rb->st, rb->txn, it->dossier, rb->month, HIST_FAILED, 0, it->batch_amount, 0, rb->e) != 0)
		return -1;
	rb->count[it->outcome]++;
	return 0;
}

/* One row of the bank's file against the batch */
static int
recon_row(const struct recon_input_row *in, void *baton)
{
	struct recon_baton *rb = baton;
	struct brows *br = rb->br;
	struct brow *hit;
	struct recon_item it;

	memset(&it, 0, sizeof it);
	hit = brow_find(br, in->account);
	it.line = in->line;
	snprintf(it.account, sizeof it.account, "%s", in->account);
	snprintf(it.name, sizeof it.name, "%s", in->name);
	snprintf(it.remark, sizeof it.remark, "%s", in->remark);
	it.bank_amount = in->amount;
	if (hit == NULL || hit->matched) {
		/* not in the batch (or a second line for one account) */
		it.outcome = RECON_UNKNOWN;
	} else {
		hit->matched = true;
		snprintf(it.dossier, sizeof it.dossier, "%s", hit->dossier);
		it.batch_amount = hit->pay;
		if (!in->ok)
			it.outcome = RECON_FAILED;
		else if (in->amount != hit->pay)
			it.outcome = RECON_MISMATCH;
		else
			it.outcome = RECON_PAID;
	}
	return recon_put(rb, &it);
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
	if ((r = pay_batch_read(st, txn, rb->month, b, true, e)) != 0)
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
	struct brows *br = rb->br;
	for (size_t i = 0; i < br->n; i++)   /* a retried transaction starts again */
		br->v[i].matched = false;
	memset(rb->count, 0, sizeof rb->count);
	rb->st = st;
	rb->txn = txn;
	rb->e = e;
	rb->ni = 0;
	/* the file's rows in order, then the batch rows it does not mention,
	 * in dossier order */
	if (rb->feed(rb->src, recon_row, rb, e) != 0)
		return -1;
	for (size_t mi = 0; mi < br->n; mi++) {
		const struct brow *x = &br->v[mi];
		struct recon_item it;
		if (x->matched)
			continue;
		memset(&it, 0, sizeof it);
		it.outcome = RECON_MISSING;
		snprintf(it.account, sizeof it.account, "%s", br->text + x->account);
		snprintf(it.name, sizeof it.name, "%s", br->text + x->name);
		snprintf(it.dossier, sizeof it.dossier, "%s", x->dossier);
		it.batch_amount = x->pay;
		if (recon_put(rb, &it) != 0)
			return -1;
	}
	int *count = rb->count;
	b->reconciled = (int64_t)time(NULL);
	snprintf(b->recon_by, sizeof b->recon_by, "%s", rb->actor->login);
	snprintf(b->recon_sha256, sizeof b->recon_sha256, "%s", rb->file_sha);
	b->paid = count[RECON_PAID];
	b->failed = count[RECON_FAILED];
	b->mismatch = count[RECON_MISMATCH];
	b->unknown = count[RECON_UNKNOWN];
	b->missing = count[RECON_MISSING];
	buf_init(&o);
	pay_batch_encode(b, &o);
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
    recon_feed_fn feed, void *src, bool replace, bool *unchanged, struct pay_batch *out, struct err *e)
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
		qsort_r(br.v, br.n, sizeof *br.v, brow_cmp, br.text);
	struct recon_baton rb = {actor, m, file_sha, replace, feed, src, &br, out, unchanged, NULL, NULL, NULL, 0, {0}};
	ret = store_txn_run(st, recon_body, &rb, e);
	if (ret != 0 && *unchanged) {
		err_clear(e);
		ret = 0;
	}
out:
	free(br.v);
	free(br.text);
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
		if (pay_recon_decode(v.data, v.size, &it) != 0) {
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
	if ((r = record_get(st, txn, DBI_PAY_HISTORY, k, pay_hist_key(k, w->no, w->month, HIST_FAILED, 0), &v, true, e)) != 0)
		return r < 0 ? -1 : err_set(e, E_REFUSED, _("dossier %s: no failed payment in the batch of %s"), w->no, mon);
	free(v.data);
	if (pay_hist_put(st, txn, w->no, w->month, HIST_WAIVED, 0, 0, 0, e) != 0)
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

int
payment_month_summary(struct store *st, dbmonth_t m, dbdate_t to, struct pay_batch *out, bool *have,
    struct err *e)
{
	int r = pay_batch_read(st, NULL, m, out, false, e);

	*have = false;
	if (r < 0)
		return -1;
	if (r == 1 || store_date_of(out->submitted) > to) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	*have = true;
	if (out->reconciled != 0 && store_date_of(out->reconciled) > to) {
		/* reconciled after the period: not yet in this report */
		out->reconciled = 0;
		out->paid = out->failed = out->mismatch = out->unknown = out->missing = 0;
	}
	return 0;
}
