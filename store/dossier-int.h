/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/dossier-int.h — inside the store only: the dossier record's field tags
 * (FORMAT.md; shared with the index extractors) and the dossier writes
 * other store files build on (dossier.c).
 */
#ifndef DIBAO_STORE_DOSSIER_INT_H
#define DIBAO_STORE_DOSSIER_INT_H

#include <jansson.h>

#include "store/dossier.h"
#include "store/env-int.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"

/* dossier record field tags (FORMAT.md), shared with the index extractors */
enum dossier_tag {
	DT_NO = 1, DT_VERSION, DT_AREA, DT_VILLAGE, DT_GROUP, DT_ADDRESS, DT_PHONE,
	DT_BANK, DT_ACCOUNT, DT_SUPPORT, DT_POVERTY, DT_CATEGORY, DT_FLAGS,
	DT_STATUS, DT_APPLIED, DT_STATUS_DATE, DT_TOTAL, DT_EFFECTIVE,
	DT_NEXT_REVIEW, DT_EXIT_REASON, DT_PREVIOUS, DT_HEAD,
	DT_MEMBER = 30, DT_INCOME, DT_EXPENSE, DT_CHECK, DT_PROC, DT_ITEM,
	DT_DEPOSITS = 40, DT_VEHICLES, DT_PROD_VEHICLES, DT_HOUSES, DT_BUSINESSES,
	DT_HOLDER = 60,       /* the subsidy card's holder (issue 13) */
	DT_PACKED = 70,       /* version 2: tags 31-44 deflated (codec-dossier.c) */
};
/* DT_PACKED's nested record: the length of the fields, then their deflate */
enum packed_tag { PK_LEN = 1, PK_DEFLATE };
enum member_tag {
	MT_NAME = 1, MT_ID, MT_BIRTH, MT_SEX, MT_RELATION, MT_HEALTH, MT_ILLNESS,
	MT_DISABILITY, MT_GRADE, MT_LABOUR, MT_OCCUPATION, MT_FLAGS, MT_DEATH,
	MT_DEATH_CERT, MT_DEATH_CAUSE,
};
enum proc_tag {
	PT_ACCEPTED = 1, PT_SURVEYOR1, PT_SURVEYOR2, PT_SURVEYED, PT_VERIFIED, PT_EVALUATED,
	PT_EVAL_PARTICIPANTS, PT_EVAL_REPS, PT_REVIEWED_BY, PT_REVIEWED, PT_NOTICE_START,
	PT_NOTICE_END, PT_APPROVED_BY, PT_APPROVED, PT_DECIDED_BY, PT_DECIDED, PT_REASON,
	PT_OVERRIDE, PT_LAST_REVIEW, PT_GRADUAL_EXIT_END, PT_CALC_SEQ,
};
enum item_tag2 { CT_CODE = 1, CT_RECEIVED, CT_RECEIVED_BY, CT_SIGNED, CT_STAMPED, CT_SCAN, CT_NOTE };
#define DOSSIER_REC_VERSION 2

/* dossier.c: dossier_update whose audit detail fn fills as it goes */
int dossier_update_detail(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e);

/* dossier.c: refused (closed: apply again) unless the case is open, as
 * for every change to members and finances */
int dossier_require_open(const struct dossier *d, struct err *e);

/* dossier.c: dossier_update_detail inside the caller's transaction */
int dossier_update_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e);
/* dossier-record.c: each dossier the index dbi lists under key, other than
 * except_no, with its number and status (-1 unknown; an undecodable record
 * is passed over): fn returns 0 to go on, 1 to stop.  0, or -1 with e
 * (what names the lookup). */
typedef int (*dossier_status_fn)(const char *no, int64_t status, void *baton);
int dossier_index_each(struct store *st, store_txn *txn, int dbi, const char *key, const char *except_no,
    dossier_status_fn fn, void *baton, const char *what, struct err *e);
/* dossier-record.c: the record of dossier no as stored (v->data malloc'd;
 * a read outside a transaction runs again as dossier_get's does) */
int dossier_get_raw(struct store *st, store_txn *txn, const char *no, DBT *v, struct err *e);
/* dossier-record.c: the first active dossier an index lists under key, other than
 * except_no (1 found, 0 none); by ID number and by card account (R14) */
int dossier_active_by_index(struct store *st, store_txn *txn, int dbi, const char *key, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], const char *what, struct err *e);

/* dossier-record.c: write the record (create: refused if it exists) with
 * its indexes; the dossier edits and the bulk load call it */
int dossier_put(struct store *st, store_txn *txn, const struct dossier *d, bool create, struct err *e);

#endif
