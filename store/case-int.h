/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/case-int.h — inside the store only: the procedure's step inside a
 * caller's transaction, and R11 (case.c).
 */
#ifndef DIBAO_STORE_CASE_INT_H
#define DIBAO_STORE_CASE_INT_H

#include "store/case.h"
#include "core/roles.h"

/* case.c: the NOTICED step (and every other advance) inside a caller's txn */
int case_advance_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    const struct case_opts *o, struct case_result *res, struct err *e);

#endif
