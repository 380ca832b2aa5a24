/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin-int.h — what kin.c (registry, filings) and kin-match.c (matching)
 * share inside the store.
 */
#ifndef DIBAO_KIN_INT_H
#define DIBAO_KIN_INT_H

#include "store/store-int.h"

/* text that always fits (logins into login-sized fields) */
static inline int
tset(char *dst, size_t size, const char *src)
{
	const char *why;
	return text_set(dst, size, src, &why);
}

/* Read a dossier in txn without keeping a lock on it (DB_READ_COMMITTED). */
int kin_dossier_peek(struct store *st, store_txn *txn, const char *no, struct dossier *d, struct err *e);
int kin_relative_walk(struct store *st, store_txn *txn, const char *staff_id, kin_relative_fn fn,
    void *baton, struct err *e);

/* kin-match.c */
/* Look id up in the dossier ID index and record a match (staff, relation)
 * on every active dossier holding it; *found counts new ones. */
int kin_match_id(struct store *st, store_txn *txn, const char *id, const char *staff_id,
    const char *staff_name, int relation, const char *login, int *found, struct err *e);
/* The matches of one member of a dossier (malloc'd array in *out). */
int kin_matches_of(struct store *st, store_txn *txn, const char *dossier, const char *member_id,
    struct kin_match **out, int *n, struct err *e);
int kin_match_put(struct store *st, store_txn *txn, const struct kin_match *m, bool create, struct err *e);

#endif
