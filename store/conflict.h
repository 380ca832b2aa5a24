/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/conflict.h — inside the store only: R11, the operator must stand
 * aside from a dossier (conflict.c).
 */
#ifndef DIBAO_STORE_CONFLICT_H
#define DIBAO_STORE_CONFLICT_H

#include <stddef.h>

#include "core/dossier-model.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

/* 1 (why filled, size bytes) when the actor is a member of d or has a
 * declared relative among its members, 0 if not, -1 on error. */
int dossier_conflict_of(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t size, struct err *e);
/* integrity (i12): R11 on every write on the dossier by that person:
 * E_REFUSED with the reason */
int dossier_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    struct err *e);

#endif
