/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * county-payment.c — the townships' payment batches as the county keeps
 * them (issue 13): the summary of the month's frozen batch and of the
 * bank's reconciliation, read from the archive's 发放/发放批次.json at
 * import and stored in the import's own transaction, one record per
 * township and month (county-payments.db, record type 53, FORMAT.md).
 * `county list` and the console's list of archives show it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base.h"
#include "core/date.h"
#include "core/sizes.h"
#include "store/codec.h"
#include "store/county-int.h"
#include "store/county.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

/* record type of the county's payment summary: store/records.h */
#include "store/records.h"
#define COUNTY_PAY_REC_VERSION 1

enum county_payment_tag {
	CY_TOWNSHIP = 1, CY_PERIOD, CY_HOUSEHOLDS, CY_PERSONS, CY_TOTAL, CY_ARREARS, CY_HELD, CY_HELD_AMOUNT,
	CY_RECOVERY, CY_RECOVERY_AMOUNT, CY_SHA, CY_RECONCILED, CY_PAID, CY_FAILED, CY_MISMATCH, CY_UNKNOWN,
	CY_MISSING,
};

static void
cpay_encode(const struct county_payment *p, struct buf *b)
{
	rec_begin(b, RT_COUNTY_PAYMENT, COUNTY_PAY_REC_VERSION);
	rec_str(b, CY_TOWNSHIP, p->township);
	rec_int(b, CY_PERIOD, p->period);
	rec_int(b, CY_HOUSEHOLDS, p->households);
	rec_int(b, CY_PERSONS, p->persons);
	rec_int(b, CY_TOTAL, p->total);
	rec_int(b, CY_ARREARS, p->arrears);
	rec_int(b, CY_HELD, p->held);
	rec_int(b, CY_HELD_AMOUNT, p->held_amount);
	rec_int(b, CY_RECOVERY, p->recovery);
	rec_int(b, CY_RECOVERY_AMOUNT, p->recovery_amount);
	rec_str(b, CY_SHA, p->sha256);
	rec_int(b, CY_RECONCILED, p->reconciled);
	if (p->reconciled) {
		rec_int(b, CY_PAID, p->paid);
		rec_int(b, CY_FAILED, p->failed);
		rec_int(b, CY_MISMATCH, p->mismatch);
		rec_int(b, CY_UNKNOWN, p->unknown);
		rec_int(b, CY_MISSING, p->missing);
	}
}

static int
cpay_decode(const void *d, size_t len, struct county_payment *p)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(p, 0, sizeof *p);
	if (rec_open(&r, d, len, RT_COUNTY_PAYMENT, COUNTY_PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CY_TOWNSHIP: bad |= rec_get_str(&r, p->township, sizeof p->township); break;
		case CY_PERIOD: p->period = (dbmonth_t)rec_get_int(&r); break;
		case CY_HOUSEHOLDS: p->households = (int)rec_get_int(&r); break;
		case CY_PERSONS: p->persons = (int)rec_get_int(&r); break;
		case CY_TOTAL: p->total = (fen_t)rec_get_int(&r); break;
		case CY_ARREARS: p->arrears = (fen_t)rec_get_int(&r); break;
		case CY_HELD: p->held = (int)rec_get_int(&r); break;
		case CY_HELD_AMOUNT: p->held_amount = (fen_t)rec_get_int(&r); break;
		case CY_RECOVERY: p->recovery = (int)rec_get_int(&r); break;
		case CY_RECOVERY_AMOUNT: p->recovery_amount = (fen_t)rec_get_int(&r); break;
		case CY_SHA: bad |= rec_get_str(&r, p->sha256, sizeof p->sha256); break;
		case CY_RECONCILED: p->reconciled = rec_get_int(&r) != 0; break;
		case CY_PAID: p->paid = (int)rec_get_int(&r); break;
		case CY_FAILED: p->failed = (int)rec_get_int(&r); break;
		case CY_MISMATCH: p->mismatch = (int)rec_get_int(&r); break;
		case CY_UNKNOWN: p->unknown = (int)rec_get_int(&r); break;
		case CY_MISSING: p->missing = (int)rec_get_int(&r); break;
		default: break;	/* a newer minor field: skipped */
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static void
cpay_key(char *key, size_t size, const char *township, dbmonth_t period)
{
	char mon[8];
	month_format(period, mon);
	snprintf(key, size, "%s-%s", township, mon);
}

int
county_payment_put(struct store *st, store_txn *txn, const struct county_payment *p, struct err *e)
{
	char key[TOWNSHIP_CODE_LEN + 16];
	struct buf b;
	int r;

	cpay_key(key, sizeof key, p->township, p->period);
	buf_init(&b);
	cpay_encode(p, &b);
	/* one batch per township and month: the chain already refuses a
	 * second archive of the same month */
	r = record_put(st, txn, DBI_COUNTY_PAYMENTS, key, strlen(key), &b, true, e);
	buf_free(&b);
	return r;
}

int
county_payment_get(struct store *st, const char *township, dbmonth_t period, struct county_payment *out,
    struct err *e)
{
	char key[TOWNSHIP_CODE_LEN + 16];
	DBT v;
	int r;

	cpay_key(key, sizeof key, township, period);
	memset(&v, 0, sizeof v);
	if ((r = record_get(st, NULL, DBI_COUNTY_PAYMENTS, key, strlen(key), &v, false, e)) != 0)
		return r;
	r = cpay_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the county payment record %s is damaged"), key);
	return 0;
}
