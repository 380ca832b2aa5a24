/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/village.h — villages, their groups and aliases (village.c).
 */
#ifndef DIBAO_STORE_VILLAGE_H
#define DIBAO_STORE_VILLAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"

/* ---- village.c -------------------------------------------------------- */

struct village {
	char name[TEXT_SHORT];
	char groups[TEXT_MEDIUM];  /* comma separated */
	char aliases[TEXT_MEDIUM]; /* comma separated */
};
int village_add(struct store *st, const struct user *actor, const struct village *v, struct err *e);
/* The same inside the caller's transaction (a roster import adds its
 * villages together with its dossiers). */
int village_add_txn(struct store *st, store_txn *txn, const struct user *actor, const struct village *v,
    struct err *e);
/* Resolve a typed name or alias to the village's name; E_REFUSED if none. */
int village_resolve(struct store *st, store_txn *txn, const char *typed, struct village *out, struct err *e);
typedef int (*village_fn)(const struct village *v, void *baton);
int village_list(struct store *st, village_fn fn, void *baton, struct err *e);
/* A village without a group list accepts any group. */
bool village_has_group(const struct village *v, const char *group);

#endif
