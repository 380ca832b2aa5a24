/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/dossier.h — dossiers: the record, its members and finances, lists and
 * counts (dossier.c, household.c, infocheck.c, income-local.c, list.c).
 */
#ifndef DIBAO_STORE_DOSSIER_H
#define DIBAO_STORE_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"

/* ---- dossier.c -------------------------------------------------------- */

int dossier_encode(const struct dossier *d, struct buf *b);
int dossier_decode(const void *p, size_t len, struct dossier *d);
/* The stored record's bytes as record version 1 holds them (what a
 * printed form's hash covers; codec-dossier.c): appended to out, 0 or -1 */
int dossier_v1_bytes(const void *p, size_t len, struct buf *out);

/* Create: number assigned (printed back in d->no); head as members[0]. */
int dossier_create(struct store *st, const struct user *actor, struct dossier *d, struct err *e);
int dossier_get(struct store *st, store_txn *txn, const char *no, struct dossier *out, struct err *e);

/* Apply fn to the dossier under a write lock, bump the version, store it
 * and append an audit entry (action, detail) — all in one transaction. */
typedef int (*dossier_edit_fn)(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e);
int dossier_update(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, const char *detail, struct err *e);
/* integrity (i12): the version of dossier `no` the clerk saw (the console's
 * form, `--version N` on the command line).  The next dossier write is
 * refused with E_CHANGED, inside its transaction, when the dossier is no
 * longer at that version (no NULL: whatever dossier it writes).  One write
 * consumes it; version 0 clears it. */
void store_expect_version(struct store *st, const char *no, uint32_t version);

/* fields of member_edit and asset_set */
#define MEMBER_F_NAME 0x1u
#define MEMBER_F_ID 0x2u
#define MEMBER_F_RELATION 0x4u
#define MEMBER_F_DISABILITY 0x8u
#define MEMBER_F_ILLNESS 0x10u
#define MEMBER_F_LABOUR 0x20u
#define MEMBER_F_OCCUPATION 0x40u
#define MEMBER_F_FLAGS 0x80u
#define ASSET_F_DEPOSITS 0x1u
#define ASSET_F_VEHICLES 0x2u
#define ASSET_F_PROD_VEHICLES 0x4u
#define ASSET_F_HOUSES 0x8u
#define ASSET_F_BUSINESSES 0x10u

/* Today's date in local time (faked by faketime in tests). */
dbdate_t store_today(void);
/* the local calendar day of a Unix time (an audit entry's); 0 if none */
dbdate_t store_date_of(int64_t t);

int member_add(struct store *st, const struct user *actor, const char *no, const struct member *m, struct err *e);
int member_edit(struct store *st, const struct user *actor, const char *no, const char *id,
    const struct member *m, unsigned fields, struct err *e);
int member_death(struct store *st, const struct user *actor, const char *no, const char *id,
    dbdate_t date, const char *cert, const char *cause, struct err *e);
int income_add(struct store *st, const struct user *actor, const char *no, const struct income_item *it, struct err *e);
/* integrity (j12, store/income-local.c): text one of the names the township
 * lists in income.excluded.local?  1 (name filled), 0 no, -1 error. */
int income_local_find(struct store *st, store_txn *txn, const char *text, char name[TEXT_SHORT], struct err *e);
int expense_add(struct store *st, const struct user *actor, const char *no, const struct expense_item *it, struct err *e);
int asset_set(struct store *st, const struct user *actor, const char *no, const struct assets *a, unsigned fields, struct err *e);

/* infocheck.c: record an agency's information-check result (信息核对):
 * one per agency, a second replaces the first (kept in the audit chain);
 * date 0 = today, never in the future; recorded by the actor. */
int infocheck_set(struct store *st, const struct user *actor, const char *no, enum check_agency agency,
    const char *result, dbdate_t date, struct err *e);

/* Record in the audit chain that actor read confidential fields (bank
 * account, HIV and other confidential flags) of a dossier. */
int dossier_reveal(struct store *st, const struct user *actor, const char *no, const char *what, struct err *e);

/* household.c: the household's own fields; NULL / -1 = unchanged.
 * expect_version != 0: refused if the dossier changed since it was read. */
struct household_edit {
	const char *village, *group, *address, *phone, *bank, *account;
	const char *holder;                /* the card's holder's ID (issue 13); NULL unchanged */
	int support, poverty;              /* enum values or -1 */
	int registered_poor, extreme_poverty; /* 0/1 or -1 */
};
int household_edit(struct store *st, const struct user *actor, const char *no, const struct household_edit *h,
    uint32_t expect_version, struct err *e);

/* R7: the active dossier holding this ID number, other than except_no. */
int dossier_by_id(struct store *st, store_txn *txn, const char *id, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e);

struct dossier_filter {
	int status;          /* -1 any */
	const char *village; /* NULL any */
	const char *search;  /* number, ID number, name or name prefix */
	size_t offset, limit;
	/* Keyset paging, without a search: the walked index holds each dossier
	 * once, in dossier-number order (within one status or village), so a
	 * page starts at a dossier number instead of counting `offset` entries
	 * (deep pages cost no more than the first).  start: the first number
	 * listed (or the next one after it); NULL: the beginning.  backward:
	 * the `limit` dossiers before start (NULL: before the end), handed to
	 * fn nearest first. */
	const char *start;
	bool backward;
};
typedef int (*dossier_fn)(const struct dossier *d, void *baton);
int dossier_list(struct store *st, const struct dossier_filter *f, dossier_fn fn, void *baton, struct err *e);
/* How many dossiers f lists (offset, limit and start ignored): from the
 * indexes' duplicate counts without a search and without both a village
 * and a status, else by walking what the list yields. */
int dossier_count(struct store *st, const struct dossier_filter *f, size_t *n, struct err *e);
/* Dossiers per status, from the status index's duplicate counts (fast). */
int dossier_count_by_status(struct store *st, size_t counts[ST__N], struct err *e);

/* Bulk load (demo, roster import): many dossiers, a few hundred a txn. */
int dossier_bulk_put(struct store *st, store_txn *txn, const struct user *actor, struct dossier *d,
    const char *action, struct err *e);
int dossier_next_no(struct store *st, store_txn *txn, int year, char no[DOSSIER_NO_LEN + 1], struct err *e);

#endif
