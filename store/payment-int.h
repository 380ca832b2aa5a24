/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-int.h — what store/payment*.c share and nothing else includes
 * (issue 13; the split of payment.c, issue 20): the records' tags, the
 * history kinds, the codecs, the batch read and the payment history.
 * The record types are in store/payment.h.
 */
#ifndef DIBAO_PAYMENT_INT_H
#define DIBAO_PAYMENT_INT_H

#include <stdint.h>

#include "store/payment.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/err.h"
#include "store/records.h"
#include "core/base.h"
#include "core/sizes.h"

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

static inline void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* payment-codec.c */
void pay_batch_encode(const struct pay_batch *b, struct buf *o);
int pay_batch_decode(const void *p, size_t len, struct pay_batch *b);
void pay_row_encode(const struct pay_row *w, struct buf *o);
int pay_row_decode(const void *p, size_t len, struct pay_row *w);
/* payment-replay.c: each row kept, as the bytes encoded (submit stores and
 * hashes those very bytes) */
int payment_replay_raw(const struct pay_replay *r, int (*fn)(const unsigned char *p, size_t n, void *baton), void *baton,
    struct err *e);
void pay_recon_encode(const struct recon_item *it, struct buf *o);
int pay_recon_decode(const void *p, size_t len, struct recon_item *it);

/* payment-batch.c: the batch of m (1: none; rmw inside a transaction) */
int pay_batch_read(struct store *st, store_txn *txn, dbmonth_t m, struct pay_batch *out, bool rmw, struct err *e);
/* the months of every submitted batch, in order */
struct months {
	dbmonth_t *v;
	size_t n, cap;
};
int pay_months_add(const struct pay_batch *b, void *baton);

/* a dossier's payment history */
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
size_t pay_hist_key(unsigned char k[DOSSIER_NO_LEN + 9], const char *no, dbmonth_t m, int kind, dbmonth_t of);
int pay_hist_put(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, fen_t amount,
    uint32_t calc_seq, struct err *e);
int pay_hist_del(struct store *st, store_txn *txn, const char *no, dbmonth_t m, int kind, dbmonth_t of, struct err *e);
/* a dossier's history; cur (NULL: one of its own) a cursor kept open by a walk */
int pay_hist_load(struct store *st, DBC *cur, const char *no, struct hists *h, struct err *e);
const struct hist *pay_hist_find(const struct hists *h, dbmonth_t m, int kind, dbmonth_t of);
/* was the batch of month m failed for this dossier (and not waived)? */
bool pay_hist_failed(const struct hists *h, dbmonth_t m);
/* was month `of` paid as arrears in a batch that did not fail? */
bool pay_hist_arrears_paid(const struct hists *h, dbmonth_t of);

#endif
