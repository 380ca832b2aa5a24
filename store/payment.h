/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment.h — the money trail (issue 13; SPEC 3 R14, SPEC 7): the monthly
 * payment roster computed from the stored approved calculations, the
 * frozen payment batch, arrears (补发) and recovery (追缴), and the bank's
 * reconciliation (回盘对账).
 *
 * A roster of a month whose batch was submitted is the batch itself, read
 * back; otherwise it is computed from the dossiers and their stored
 * calculation records (never recomputed), the earlier batches and their
 * reconciliations.
 */
#ifndef DIBAO_PAYMENT_H
#define DIBAO_PAYMENT_H

#include <stdio.h>

#include "core/base.h"
#include "core/card.h"
#include "core/idno.h"
#include "core/report.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"
#include "store/scratch.h"
#include "store/report.h"

/* the money trail's record types (35-38) are in store/records.h, with all the others */
#include "store/records.h"
#define PAY_REC_VERSION 1

#define PAY_MAX_MONTHS 36          /* arrears or recovery months on one row */

enum pay_kind {
	PAY_ROW = 'P',                 /* paid through the bank */
	PAY_HELD = 'H',                /* 暂停发放: R14, or no card */
	PAY_RECOVERY = 'R',            /* 追缴: paid after a death recorded late */
};

/* why a month is paid as arrears */
enum pay_arrear_why { ARR_LATE = 1, ARR_FAILED, ARR_HELD };

struct pay_month {
	dbmonth_t month;
	fen_t amount;
	int why;                       /* enum pay_arrear_why (arrears) */
};

struct pay_row {
	int kind;                      /* enum pay_kind */
	char dossier[DOSSIER_NO_LEN + 1];
	char village[TEXT_SHORT];
	char head[NAME_MAX_BYTES];
	char holder_name[NAME_MAX_BYTES];
	char holder_id[ID_LEN + 1];
	char bank[TEXT_SHORT];
	char account[TEXT_SHORT];      /* whole: mask it for the screen */
	int persons;
	fen_t base, addons, amount;    /* the month's, from the stored calculation */
	uint32_t calc_seq;             /* 0: a migrated dossier's ledger amount */
	fen_t arrears;                 /* sum of months[] (arrears rows) */
	fen_t pay;                     /* amount + arrears; recovery: the sum to recover */
	int n_months;
	struct pay_month months[PAY_MAX_MONTHS]; /* arrears, or overpaid months */
	char reason[TEXT_MEDIUM];      /* held: why (Chinese) */
};

struct pay_totals {
	int households, persons;
	fen_t total;                   /* what the bank pays */
	fen_t amount, arrears;
	int held;
	fen_t held_amount;
	int recovery;
	fen_t recovery_amount;
	struct report_group village[REPORT_MAX_VILLAGES];
	int n_village;
};

struct pay_batch {
	dbmonth_t month;
	int64_t submitted;             /* unix time */
	char by[USER_MAX_BYTES];
	int households, persons, held, recovery;
	fen_t total, arrears, held_amount, recovery_amount;
	char sha256[65];               /* of the rows as stored, in order */
	/* the bank's return file, once reconciled */
	int64_t reconciled;            /* 0 = not yet */
	char recon_by[USER_MAX_BYTES];
	char recon_sha256[65];         /* of the file */
	int paid, failed, mismatch, unknown, missing;
};

/* fn gets every row in order (paid and held by village, then recovery);
 * a non-zero return stops the walk and is returned. */
typedef int (*pay_row_fn)(const struct pay_row *r, void *baton);

/* The roster of month m (the frozen batch when submitted: *frozen true). */
int payment_roster(struct store *st, dbmonth_t m, pay_row_fn fn, void *baton, struct pay_totals *t,
    bool *frozen, const struct progress *pg, struct err *e);
/* One pass over the roster kept for another reader (issue 13: the printed
 * roster beside the bank file, without reading the roster twice more for
 * its hash and its pages): the rows, encoded, in a private temporary file
 * enciphered (scratch.c: they carry whole account and ID numbers), and the
 * pass's totals. */
struct pay_replay {
	struct scratch s;
	size_t n;
	const struct pay_totals *t;    /* set by the caller after the pass */
	bool frozen;
};
int payment_replay_open(struct pay_replay *r, struct err *e);
int payment_replay_add(struct pay_replay *r, const struct pay_row *w, struct err *e);
/* The rows again, in order, and the totals, as payment_roster gives them. */
int payment_replay_run(const struct pay_replay *r, pay_row_fn fn, void *baton, struct pay_totals *t,
    bool *frozen, struct err *e);
void payment_replay_close(struct pay_replay *r);

/* Freeze the month's batch: rows, totals and SHA-256, audited
 * "payment.submit"; once per month, in month order. */
int payment_submit(struct store *st, const struct user *actor, dbmonth_t m, struct pay_batch *out,
    const struct progress *pg, struct err *e);
/* Record that the bank file (whole account numbers) of month m was made. */
int payment_bankfile_audit(struct store *st, const struct user *actor, dbmonth_t m, const char *what,
    struct err *e);
int payment_batch_get(struct store *st, dbmonth_t m, struct pay_batch *out, struct err *e);
typedef int (*pay_batch_fn)(const struct pay_batch *b, void *baton);
int payment_batch_list(struct store *st, pay_batch_fn fn, void *baton, struct err *e);

/* ---- reconciliation (回盘对账) ---- */
enum recon_outcome {
	RECON_PAID = 0, RECON_FAILED, RECON_MISMATCH, RECON_UNKNOWN, RECON_MISSING, RECON__N
};
extern const struct term recon_terms[RECON__N];

struct recon_item {
	int outcome;                   /* enum recon_outcome */
	int line;                      /* the file's row, 0 for a missing batch row */
	char account[TEXT_SHORT];
	char name[NAME_MAX_BYTES];     /* the bank's 户名 */
	fen_t bank_amount;             /* as the bank reports it */
	fen_t batch_amount;            /* the batch row's pay, 0 unknown */
	char dossier[DOSSIER_NO_LEN + 1];
	char remark[TEXT_MEDIUM];      /* the bank's 备注 */
};

/* One row of the bank's file, already checked (import/ reads the file). */
struct recon_input_row {
	int line;
	char account[ACCOUNT_MAX + 1];
	char name[NAME_MAX_BYTES];
	fen_t amount;
	bool ok;                       /* 成功 */
	char remark[TEXT_MEDIUM];
};

/* Match rows against the submitted batch of m and store the result with
 * it in one transaction (audited "payment.reconcile").  file_sha: the
 * file's SHA-256; the same file again changes nothing (*unchanged); a
 * different one is refused unless replace.  fn (may be NULL) gets every
 * item stored, in order. */
typedef int (*recon_fn)(const struct recon_item *it, void *baton);
/* The bank's rows one at a time (issue 13: a 90,000-row file is never held
 * whole): feed hands every row of src to fn in the file's order (a non-zero
 * return of fn stops it: -1) and is called again if the transaction is
 * retried; import/payment-in.c feeds a checked file. */
typedef int (*recon_row_fn)(const struct recon_input_row *in, void *sink);
typedef int (*recon_feed_fn)(void *src, recon_row_fn fn, void *sink, struct err *e);
int payment_reconcile(struct store *st, const struct user *actor, dbmonth_t m, const char *file_sha,
    recon_feed_fn feed, void *src, bool replace, bool *unchanged, struct pay_batch *out, struct err *e);
/* The stored reconciliation of m, item by item. */
int payment_recon_items(struct store *st, dbmonth_t m, recon_fn fn, void *baton, struct err *e);

/* A failed payment of batch m that is not to be paid as arrears (the
 * clerk's reason in note; audited "payment.waive"). */
int payment_waive(struct store *st, const struct user *actor, dbmonth_t m, const char *no, const char *note,
    struct err *e);

/* The monthly report's payment line: the batch of month m as of the
 * period's end `to` (*have false if none was submitted by then; the
 * reconciliation only if recorded by then), so the report stays the same
 * when made again. */
int payment_month_summary(struct store *st, dbmonth_t m, dbdate_t to, struct pay_batch *out, bool *have,
    struct err *e);

/* R14's second case: another active dossier with this account ("" none). */
int dossier_by_account(struct store *st, store_txn *txn, const char *account, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e);

#endif
