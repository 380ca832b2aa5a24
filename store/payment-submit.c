/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-submit.c — freezing the month's batch (payment submit) and the
 * audit of a bank file made (issue 13).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "core/base.h"
#include "core/date.h"
#include "core/roles.h"

/* ---- submit ------------------------------------------------------------- */

/* The roster's rows are kept encoded in an unlinked temporary file (a
 * pay_replay, as payment roster --pdf keeps them), not in memory: at
 * 100,000 households they were 17 MB of the command's peak (issue 17).
 * The transaction reads them back, stores those very bytes and hashes them
 * (the batch's SHA-256: the rows' encodings, in roster order). */
struct spool {
	struct pay_replay *rp;
	struct err *e;
};

static int
spool_row(const struct pay_row *w, void *baton)
{
	struct spool *s = baton;
	return payment_replay_add(s->rp, w, s->e) != 0 ? -1 : 0;
}

struct submit_baton {
	const struct user *actor;
	dbmonth_t month;
	struct pay_replay *rp;
	struct pay_batch *b;
	/* the pass inside the transaction */
	struct store *st;
	store_txn *txn;
	struct pay_row *w;
	uint32_t i;
	crypto_hash_sha256_state sha;
	struct err *e;
};

/* One row of the batch stored, and the history the next rosters read */
static int
submit_row(const unsigned char *p, size_t n, void *baton)
{
	struct submit_baton *sb = baton;
	struct store *st = sb->st;
	store_txn *txn = sb->txn;
	struct pay_row *w = sb->w;
	struct err *e = sb->e;
	struct buf one = {.p = (unsigned char *)p, .len = n, .cap = n};
	unsigned char k[8];

	put_u32(k, (uint32_t)sb->month);
	put_u32(k + 4, sb->i++);
	if (record_put(st, txn, DBI_PAY_ROWS, k, 8, &one, true, e) != 0 || pay_row_decode(p, n, w) != 0)
		return e->code ? -1 : err_set(e, E_STORAGE, "%s", _("a payment batch row is damaged"));
	crypto_hash_sha256_update(&sb->sha, p, n);
	if (w->kind == PAY_ROW) {
		if (pay_hist_put(st, txn, w->dossier, sb->month, PAY_ROW, 0, w->amount, w->calc_seq, e) != 0)
			return -1;
		for (int m = 0; m < w->n_months; m++)
			if (pay_hist_put(st, txn, w->dossier, sb->month, HIST_ARREARS, w->months[m].month,
			    w->months[m].amount, 0, e) != 0)
				return -1;
	} else if (w->kind == PAY_HELD) {
		if (pay_hist_put(st, txn, w->dossier, sb->month, PAY_HELD, 0, w->amount, w->calc_seq, e) != 0)
			return -1;
	} else {
		for (int m = 0; m < w->n_months; m++)
			if (pay_hist_put(st, txn, w->dossier, sb->month, PAY_RECOVERY, w->months[m].month,
			    w->months[m].amount, 0, e) != 0)
				return -1;
	}
	return 0;
}

static int
submit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct submit_baton *sb = baton;
	struct pay_batch old;
	struct buf hb;
	unsigned char k[8], h[32];
	char mon[8], obj[32];
	int r;

	month_format(sb->month, mon);
	if ((r = pay_batch_read(st, txn, sb->month, &old, true, e)) < 0)
		return -1;
	if (r == 0)
		return err_set(e, E_REFUSED, _("the payment batch of %s was already submitted (SHA-256 %s)"), mon,
		    old.sha256);
	/* from the first row again on a retry (a deadlock) */
	sb->st = st;
	sb->txn = txn;
	sb->i = 0;
	sb->e = e;
	crypto_hash_sha256_init(&sb->sha);
	if ((sb->w = malloc(sizeof *sb->w)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	r = payment_replay_raw(sb->rp, submit_row, sb, e);
	free(sb->w);
	if (r != 0)
		return -1;
	crypto_hash_sha256_final(&sb->sha, h);
	hex32(h, sb->b->sha256);
	sb->b->submitted = (int64_t)time(NULL);
	snprintf(sb->b->by, sizeof sb->b->by, "%s", sb->actor->login);
	buf_init(&hb);
	pay_batch_encode(sb->b, &hb);
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
}

int
payment_submit(struct store *st, const struct user *actor, dbmonth_t m, struct pay_batch *out,
    const struct progress *pg, struct err *e)
{
	struct pay_replay rp;
	struct pay_totals *t;
	struct pay_batch last = {0};
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
	if (payment_batch_list(st, pay_months_add, &ms, e) != 0) {
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
	if (payment_replay_open(&rp, e) != 0) {
		free(t);
		return -1;
	}
	struct spool sp = {&rp, e};
	if (payment_roster(st, m, spool_row, &sp, t, &frozen, pg, e) != 0)
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
	struct submit_baton sb = {.actor = actor, .month = m, .rp = &rp, .b = out};
	ret = store_txn_run(st, submit_body, &sb, e);
out:
	payment_replay_close(&rp);
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
