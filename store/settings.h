/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/settings.h — the township's settings and standards (settings.c).
 */
#ifndef DIBAO_STORE_SETTINGS_H
#define DIBAO_STORE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

/* ---- settings.c ------------------------------------------------------- */

int setting_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e);
int setting_get_int(struct store *st, store_txn *txn, const char *key, int64_t *out, struct err *e);
int setting_set(struct store *st, const struct user *actor, const char *key, const char *val, struct err *e);
typedef int (*setting_fn)(const char *key, const char *val, const char *help, void *baton);
int setting_list(struct store *st, setting_fn fn, void *baton, struct err *e);

int standard_set(struct store *st, const struct user *actor, enum area a, dbmonth_t from,
    fen_t amount, struct err *e);
/* The standard in force for (area, month); E_NOTFOUND if none. */
int standard_get(struct store *st, store_txn *txn, enum area a, dbmonth_t m, fen_t *out,
    dbmonth_t *from, struct err *e);
typedef int (*standard_fn)(enum area a, dbmonth_t from, fen_t amount, void *baton);
int standard_list(struct store *st, standard_fn fn, void *baton, struct err *e);

/* settings.c: write a setting without checks or audit (init) */
int setting_put_raw(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e);

#endif
