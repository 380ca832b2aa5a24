/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/prints.h — every printed form (SPEC 8): the print records and their
 * verification codes (prints.c).
 */
#ifndef DIBAO_STORE_PRINTS_H
#define DIBAO_STORE_PRINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"

/* ---- prints.c: every printed form (SPEC 8) --------------------------- */

#define PRINT_CODE_LEN 12 /* "XXXX-XXXX-XX" */
struct prints_entry {
	uint32_t seq;                       /* print number, from 1 */
	char code[PRINT_CODE_LEN + 1];      /* the verification code on the sheet */
	char form[TEXT_SHORT];              /* FORM name (print/forms.c) */
	char dossier[DOSSIER_NO_LEN + 1];   /* "" for a village or month form */
	char scope[TEXT_SHORT];             /* village or YYYY-MM, else "" */
	uint32_t version;                   /* the dossier's record version printed */
	unsigned char hash[32];             /* SHA-256 of the record printed */
	char op[USER_MAX_BYTES];
	int64_t time;                       /* unix time */
	int copies;
	uint32_t reprint_of;                /* the print a 补打 repeats; 0 = none */
};
int prints_encode(const struct prints_entry *p, struct buf *b);
int prints_decode(const void *data, size_t len, struct prints_entry *p);
/* The dossier as stored and the SHA-256 of its stored record bytes (out
 * may be NULL). */
int dossier_get_hashed(struct store *st, store_txn *txn, const char *no, struct dossier *out,
    unsigned char hash[32], struct err *e);
/* The sheet's code from township code, subject (dossier number, village or
 * month), form name and the record's hash. */
void prints_code_derive(const char *township, const char *subject, const char *form,
    const unsigned char hash[32], char out[PRINT_CODE_LEN + 1]);
/* Record a print in txn (seq, op and time filled in) and audit it ("print"
 * or "print.reprint"); refused if the dossier no longer hashes to p->hash. */
int prints_record(struct store *st, store_txn *txn, const struct user *actor, struct prints_entry *p,
    struct err *e);
typedef int (*prints_fn)(const struct prints_entry *p, void *baton);
int prints_by_code(struct store *st, const char *code, prints_fn fn, void *baton, struct err *e);
int prints_list(struct store *st, prints_fn fn, void *baton, struct err *e);
/* An earlier print of form for the dossier (or scope): with code, the
 * first print of that code (the original of that version); without, the
 * latest.  E_NOTFOUND when there is none. */
int prints_find(struct store *st, store_txn *txn, const char *form, const char *dossier, const char *scope,
    const char *code, struct prints_entry *out, struct err *e);

#endif
