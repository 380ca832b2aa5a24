/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/due.h — what is near or past due (due-list.c).
 */
#ifndef DIBAO_STORE_DUE_H
#define DIBAO_STORE_DUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dossier-model.h"
#include "core/due.h"
#include "store/env.h"
#include "store/err.h"

/* ---- due-list.c --------------------------------------------------------- */
int due_params_load(struct store *st, store_txn *txn, struct due_params *p, char *holidays, size_t size, struct err *e);
typedef int (*due_fn)(const struct dossier *d, const struct due *due, int n, void *baton);
/* Every open or approved dossier with something near or past due. */
int dossier_list_due(struct store *st, due_fn fn, void *baton, struct err *e);

#endif
