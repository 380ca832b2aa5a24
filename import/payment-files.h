/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/payment-files.h — the money trail's files (issue 13): the bank's
 * return file read and reconciled (payment-in.c), the month's roster to
 * the bank and the printer (payment-out.c), and the batch as the monthly
 * archive's entries and the county's reading of it (payment-archive.c).
 */
#ifndef DIBAO_IMPORT_PAYMENT_FILES_H
#define DIBAO_IMPORT_PAYMENT_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/base.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

struct recon_input_row;
struct pay_batch;
struct pay_totals;
struct pay_row;
struct archive_payment;

/* ---- payment-in.c ------------------------------------------------------- */

/* The bank's return file (回盘): columns 账号, 户名, 金额, 状态 (成功/失败),
 * 备注 found by their headers.  Every bad row is named in e (refused
 * whole); else *rows (malloc'd) and the file's SHA-256. */
int bank_file_read(const char *path, struct recon_input_row **rows, size_t *n, char sha[65], struct err *e);
/* issue 13: the file checked whole the same way, then reconciled with the
 * submitted batch of m (store/payment.h payment_reconcile) read again a row
 * at a time: a CSV of 90,000 rows is never held in memory (an XLSX is held
 * as its sheet). */
int bank_file_reconcile(struct store *st, const struct user *actor, dbmonth_t m, const char *path, bool replace,
    bool *unchanged, struct pay_batch *out, char sha[65], struct err *e);

/* ---- payment-out.c ------------------------------------------------------ */

/* The month's roster to files: csv (the bank file, UTF-8 with BOM), xlsx
 * (bank rows, held, recovery and village totals as sheets; constant
 * memory), pdf (the printed roster, recorded as a print).  Any may be
 * NULL; making the csv or xlsx (whole account numbers) is audited. fn (may
 * be NULL) also gets every row. */
int payment_roster_write(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf, const char *csv,
    const char *xlsx, int (*fn)(const struct pay_row *, void *), void *baton, struct pay_totals *t, bool *frozen,
    const struct progress *pg, struct err *e);

/* ---- payment-archive.c -------------------------------------------------- */

/* The month's batch and reconciliation as archive entries under 发放/ (add
 * takes data over); none when no batch was submitted by the period end
 * `to`.  And the county's reading of the batch summary (发放/发放批次.json,
 * struct archive_payment of import/archive.h). */
int payment_archive_entries(struct store *st, dbmonth_t m, dbdate_t to,
    int (*add)(void *ctx, const char *rel, unsigned char *data, size_t len), void *ctx, struct err *e);
int payment_archive_summary(const void *data, size_t len, struct archive_payment *out);

#endif
