/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin-int.h — what kin.c (registry, filings) and kin-match.c (matching)
 * share inside the store.
 */
#ifndef DIBAO_KIN_INT_H
#define DIBAO_KIN_INT_H

#include "store/env-int.h"
#include "store/kin.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/sizes.h"
#include "core/text.h"

/* kin registry record tags (FORMAT.md 4.9–4.12) */
enum kin_staff_tag {
	KS_ID = 1, KS_NAME, KS_KIND, KS_UNIT, KS_POSITION, KS_FROM, KS_TO, KS_ENDED,
	KS_REGISTERED, KS_REGISTERED_BY,
};
enum kin_relative_tag {
	KR_STAFF = 1, KR_ID, KR_NAME, KR_RELATION, KR_DECLARED, KR_REMOVED, KR_DECLARED_BY,
};
enum kin_match_tag {
	KM_DOSSIER = 1, KM_MEMBER, KM_STAFF, KM_RELATION, KM_MEMBER_NAME, KM_STAFF_NAME,
	KM_FOUND, KM_FILING,
};
enum kin_filing_tag {
	KF_NO = 1, KF_DOSSIER, KF_MEMBER, KF_MEMBER_NAME, KF_NOTE, KF_STATUS, KF_FILED_BY,
	KF_FILED, KF_REVIEWED_BY, KF_REVIEWED, KF_REPORTED,
	KF_STAFF = 20, /* nested: KFS_* */
};
enum kin_filing_staff_tag { KFS_ID = 1, KFS_NAME, KFS_RELATION };
#define KIN_REC_VERSION 1
/* fixed-width keys: ID numbers are 18 bytes, dossier numbers 20 */
#define KIN_REL_KEY_LEN (2 * ID_LEN)
#define KIN_MATCH_KEY_LEN (DOSSIER_NO_LEN + 2 * ID_LEN)

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
