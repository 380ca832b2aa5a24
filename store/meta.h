/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/meta.h — format, township identity and named counters (meta.c).
 */
#ifndef DIBAO_STORE_META_H
#define DIBAO_STORE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/env.h"
#include "store/err.h"

/* ---- meta.c: format, township identity, counters --------------------- */

int meta_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e);
int meta_put(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e);
/* The greatest key that starts with prefix and sorts before key (meta keys
 * of months: the latest earlier month); E_NOTFOUND if none. */
int meta_last_before(struct store *st, store_txn *txn, const char *prefix, const char *key,
    char *kbuf, size_t ksize, char *vbuf, size_t vsize, struct err *e);
/* Increment a named counter (read with DB_RMW); returns the new value in *out */
int meta_next(struct store *st, store_txn *txn, const char *key, uint32_t *out, struct err *e);

#endif
