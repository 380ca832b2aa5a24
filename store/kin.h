/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/kin.h — 近亲属备案 (SPEC 4): the registry, the matching and the filings
 * (kin.c, kin-match.c).
 */
#ifndef DIBAO_STORE_KIN_H
#define DIBAO_STORE_KIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"
#include "store/err.h"

/* ---- kin.c, kin-match.c: 近亲属备案 (SPEC 4) ------------------------- */

/* record codecs (the round trips are unit-tested) */
int kin_staff_encode(const struct kin_staff *s, struct buf *b);
int kin_staff_decode(const void *p, size_t len, struct kin_staff *s);
int kin_relative_encode(const struct kin_relative *r, struct buf *b);
int kin_relative_decode(const void *p, size_t len, struct kin_relative *r);
int kin_match_encode(const struct kin_match *m, struct buf *b);
int kin_match_decode(const void *p, size_t len, struct kin_match *m);
int kin_filing_encode(const struct kin_filing *f, struct buf *b);
int kin_filing_decode(const void *p, size_t len, struct kin_filing *f);

/* fields of kin_staff_edit */
#define KIN_F_NAME 0x1u
#define KIN_F_KIND 0x2u
#define KIN_F_UNIT 0x4u
#define KIN_F_POSITION 0x8u
#define KIN_F_FROM 0x10u
#define KIN_F_TO 0x20u

/* The registry (ACT_KIN_REGISTRY).  Each change runs the matching in the
 * same transaction and is audited. */
int kin_staff_add(struct store *st, const struct user *actor, struct kin_staff *s, struct err *e);
int kin_staff_get(struct store *st, store_txn *txn, const char *id, struct kin_staff *out, struct err *e);
int kin_staff_edit(struct store *st, const struct user *actor, const char *id,
    const struct kin_staff *s, unsigned fields, struct err *e);
/* A recorded end (date 0 = today); the record stays. */
int kin_staff_end(struct store *st, const struct user *actor, const char *id, dbdate_t date, struct err *e);
typedef int (*kin_staff_fn)(const struct kin_staff *s, void *baton);
int kin_staff_list(struct store *st, kin_staff_fn fn, void *baton, struct err *e);
int kin_relative_add(struct store *st, const struct user *actor, struct kin_relative *r, struct err *e);
int kin_relative_remove(struct store *st, const struct user *actor, const char *staff_id,
    const char *relative_id, dbdate_t date, struct err *e);
typedef int (*kin_relative_fn)(const struct kin_relative *r, void *baton);
/* staff_id NULL: every declaration of every staff member */
int kin_relative_list(struct store *st, const char *staff_id, kin_relative_fn fn, void *baton, struct err *e);

/* Record the new matches of d's members (called by every dossier write,
 * after the record is written; inactive dossiers are skipped). */
int kin_match_dossier(struct store *st, store_txn *txn, const struct dossier *d,
    const char *actor_login, struct err *e);
/* Full re-scan through the indexes; *found new matches recorded.  pg
 * (NULL: none) is told the staff and relatives read of all there are; a
 * cancel aborts the one transaction, so nothing is recorded. */
int kin_rescan(struct store *st, const struct user *actor, int *found, const struct progress *pg,
    struct err *e);
/* A match with its filing's status (-1: no filing). */
typedef int (*kin_match_fn)(const struct kin_match *m, int filing_status, void *baton);
/* dossier NULL: all matches */
int kin_match_list(struct store *st, const char *dossier, kin_match_fn fn, void *baton, struct err *e);

/* 备案: a pending filing for every unfiled match of the member (ACT_KIN_FILE) */
int kin_file(struct store *st, const struct user *actor, const char *dossier, const char *member_id,
    const char *note, char no[FILING_NO_LEN + 1], struct err *e);
/* Another user with ACT_KIN_CONFIRM makes it filed (已备案). */
int kin_confirm(struct store *st, const struct user *actor, const char *no, struct err *e);
/* The monthly archive: filed → reported (已报县), in the archive's txn. */
int kin_mark_reported(struct store *st, store_txn *txn, const char *filing_no, struct err *e);
int kin_filing_get(struct store *st, store_txn *txn, const char *no, struct kin_filing *out, struct err *e);
typedef int (*kin_filing_fn)(const struct kin_filing *f, void *baton);
int kin_filing_list(struct store *st, kin_filing_fn fn, void *baton, struct err *e);

/* A dossier involving the staff member or a declared relative: the
 * member, who they are to the staff member, and whether it is matched. */
typedef int (*kin_involve_fn)(const struct dossier *d, const struct member *m, int relation,
    bool removed, void *baton);
int kin_staff_dossiers(struct store *st, const char *staff_id, kin_involve_fn fn, void *baton, struct err *e);

/* The rules (the procedure calls them in its own transaction):
 * R8 — matches on the dossier without a filing that is filed or reported; */
int kin_unfiled(struct store *st, store_txn *txn, const char *dossier, int *count, struct err *e);
/* the checklist item JQBA is required when the dossier has any match; */
int kin_has_match(struct store *st, store_txn *txn, const char *dossier, bool *yes, struct err *e);
/* R11 — 1 (why filled) if the actor is a member or has a declared relative
 * among the members, 0 if not, -1 on error. */
int kin_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t whysize, struct err *e);

#endif
