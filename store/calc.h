/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/calc.h — calculation records (calc-record.c).
 */
#ifndef DIBAO_STORE_CALC_H
#define DIBAO_STORE_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

/* ---- calc-record.c ----------------------------------------------------- */
int calc_params_load(struct store *st, store_txn *txn, enum area area, dbmonth_t m,
    struct calc_params *p, struct err *e);
/* 0 computed; 1 computed but not qualifying (*why); -1 error. */
int case_calc(struct store *st, store_txn *txn, const struct dossier *d, dbmonth_t m,
    struct calc_record *out, const char **why, struct err *e);
int calc_store(struct store *st, store_txn *txn, const char *no, const struct calc_record *c,
    uint32_t *seq_out, struct err *e);
int calc_get(struct store *st, store_txn *txn, const char *no, uint32_t seq, struct calc_record *out, struct err *e);

#endif
