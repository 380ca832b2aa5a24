/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/county.h — the county's side of the monthly archives (SPEC 9; county.c,
 * county-payment.c).
 */
#ifndef DIBAO_STORE_COUNTY_H
#define DIBAO_STORE_COUNTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"

/* ---- county.c: the county's side of the monthly archives (SPEC 9) ------ */

#define TOWNSHIP_CODE_LEN 9
/* an archive imported: township + period -> manifest hash and counts */
struct county_archive {
	char township[TOWNSHIP_CODE_LEN + 1];
	char name[TEXT_SHORT];
	dbmonth_t period;
	char manifest[65];             /* SHA-256 of its manifest.json */
	char previous[65];             /* the manifest it follows, "" first */
	int dossiers, files, audit_entries, filings, people, cases;
	int64_t imported;              /* unix time */
	char by[USER_MAX_BYTES];
	/* issue 16.5: the audit chain's head at the period's end ("" in
	 * records of older imports) and the township's signing key (hex) */
	char audit_head[65];
	char signer[65];
};
/* a person enrolled, from the township's latest roster */
struct county_person {
	char id[ID_LEN + 1];
	char township[TOWNSHIP_CODE_LEN + 1];
	char dossier[DOSSIER_NO_LEN + 1];
	char name[NAME_MAX_BYTES];
	dbmonth_t period;              /* of the archive it came from */
	char status[TEXT_SHORT];
};
/* a new or kin-filing case of an archive: what the county visits */
struct county_case {
	char township[TOWNSHIP_CODE_LEN + 1];
	dbmonth_t period;
	char dossier[DOSSIER_NO_LEN + 1];
	char head[NAME_MAX_BYTES];
	char village[TEXT_SHORT];
	int persons;
	fen_t total;
	bool kin, added;
	bool sampled;                  /* county_sample: drawn (or kin) */
};
/* the township's payment batch of an archive's month, as the county keeps
 * it (issue 13, store/county-payment.c, record type 53) */
struct county_payment {
	char township[TOWNSHIP_CODE_LEN + 1];
	dbmonth_t period;
	int households, persons, held, recovery;
	fen_t total, arrears, held_amount, recovery_amount;
	char sha256[65];               /* the batch's SHA-256 as the township froze it */
	bool reconciled;
	int paid, failed, mismatch, unknown, missing;
};
struct scratch;
struct county_import {
	struct county_archive a;
	/* n_people records, one struct county_person after the other, in a
	 * private temporary file (issue 17: not an array in memory) */
	const struct scratch *people;
	size_t n_people;
	const struct scratch *cases;   /* n_cases struct county_case, the same way */
	size_t n_cases;
	bool have_payment;             /* (issue 13) the archive carries a batch */
	struct county_payment payment;
	/* issue 16.5: the signature checked (archive-in.c), the key it was
	 * made with (a.signer), the hash the month's first audit entry
	 * follows ("" when the month has none); a changed key is taken only
	 * with accept_new_key, from an admin */
	char audit_first_prev[65];
	bool accept_new_key;
	bool key_new, key_changed;     /* out: pinned now / replaced */
};

int county_archive_encode(const struct county_archive *a, struct buf *b);
int county_archive_decode(const void *p, size_t len, struct county_archive *a);
int county_person_encode(const struct county_person *p, struct buf *b);
int county_person_decode(const void *d, size_t len, struct county_person *p);
int county_case_encode(const struct county_case *c, struct buf *b);
int county_case_decode(const void *p, size_t len, struct county_case *c);

/* Is this a county database (meta kind "county")?  0 yes, -1 refused. */
int county_require(struct store *st, struct err *e);
/* The chain (pure, unit-tested): may an archive of township for period,
 * following manifest `previous` ("" none), with hash `sha`, come after
 * `last` (NULL: nothing imported from that township yet)? */
int county_chain_check(const struct county_archive *last, const char *township, dbmonth_t period,
    const char *previous, const char *sha, struct err *e);
/* The last archive imported from a township (E_NOTFOUND if none). */
/* issue 16.5: the month's first audit entry (first_prev; "" none: its
 * head) continues from the last archive's head; refused naming both */
int county_audit_continues(const struct county_archive *last, const struct county_archive *a, const char *first_prev,
    struct err *e);
struct json_t;
/* issue 16.5: the signer against the key pinned for the township (pinned
 * now if none, inside txn; txn NULL: only checked).  A changed key needs
 * ci->accept_new_key from an admin; *accepted is then the audit detail. */
int county_signer_check(struct store *st, store_txn *txn, const struct user *actor, struct county_import *ci,
    struct json_t **accepted, struct err *e);
int county_last(struct store *st, store_txn *txn, const char *township, struct county_archive *out,
    struct err *e);
/* Record an archive in one transaction: chain checked again under lock,
 * the township's people replaced by the archive's, its cases added,
 * audited "county.import". */
int county_import_run(struct store *st, const struct user *actor, struct county_import *ci,
    struct err *e);
typedef int (*county_archive_fn)(const struct county_archive *a, void *baton);
int county_archive_list(struct store *st, county_archive_fn fn, void *baton, struct err *e);
/* (issue 13) The payment batch stored with a township's archive of a month:
 * 0 found, 1 none (an archive without a batch), -1 error. */
int county_payment_get(struct store *st, const char *township, dbmonth_t period, struct county_payment *out,
    struct err *e);
/* Every ID number active in two or more townships: fn gets its entries. */
typedef int (*county_dup_fn)(const struct county_person *v, int n, void *baton);
int county_duplicates(struct store *st, county_dup_fn fn, void *baton, int *count, struct err *e);

struct county_sample {
	dbmonth_t period;
	char seed[65];                 /* hex of what the draw was seeded with */
	struct county_case *v;         /* every case of the period, sorted */
	size_t n;
	int n_new, n_kin, n_drawn;
};
/* Draw the visit sample of a period: every kin-filing case and at least
 * 30% of the new cases, seeded by the period's manifests (or seed_text);
 * recorded in meta and audited "county.sample". */
int county_sample(struct store *st, const struct user *actor, dbmonth_t period, const char *seed_text,
    struct county_sample *out, struct err *e);
void county_sample_free(struct county_sample *s);

#endif
