/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/archive.h — the monthly handover archive: the township's export
 * (`dibao export archive`: archive-out.c and the files archive-int.h
 * names) and the county's import (`dibao import archive`: archive-in.c,
 * streaming; nothing extracted, every size capped).  Its manifest is
 * import/manifest.h, its seal import/seal.h.
 */
#ifndef DIBAO_IMPORT_ARCHIVE_H
#define DIBAO_IMPORT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/base.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"
#include "store/township-key.h"

struct print_options;

/* ---- archive-out.c: `dibao export archive` ------------------------------ */

enum archive_fmt { ARCHIVE_ZIP = 0, ARCHIVE_TGZ };

struct archive_export_opts {
	dbmonth_t month;
	const char *path;           /* the archive written */
	enum archive_fmt format;
	const struct print_options *print_opt;  /* fonts for the forms; NULL = defaults */
	const struct progress *progress;        /* NULL, or told the monthly report's progress,
	                                         * then the dossiers done; may cancel */
};

struct archive_export_result {
	char manifest_sha[65];
	char top[64];
	int entries, dossiers, filings_reported;
	bool sealed;                /* sealed to county.key (i14) */
};

/* Build the month's archive, write it, then in one transaction record the
 * manifest's hash, mark the carried filings reported and audit
 * "archive.export".  0 done, -1 with e (nothing recorded). */
int archive_export(struct store *st, const struct user *actor, const struct archive_export_opts *o,
    struct archive_export_result *res, struct err *e);

/* ---- archive-in.c: `dibao import archive` (county) --------------------- */

struct archive_caps {
	size_t entry_max;           /* bytes of one entry once inflated */
	size_t total_max;           /* bytes of all entries */
	int entries_max;
	unsigned ratio_max;         /* inflated : read from the file */
};
extern const struct archive_caps archive_default_caps;

/* the payment batch an archive carries (issue 13, payment-archive.c) */
struct archive_payment {
	bool have, reconciled;
	int households, persons, held, recovery;
	fen_t total;
	int paid, failed, mismatch, unknown, missing;
	fen_t arrears, held_amount, recovery_amount;   /* stored by the county too */
	char sha256[65];
};

struct archive_import_result {
	char township[TOWNSHIP_CODE_LEN + 1];
	char township_name[TEXT_SHORT];
	dbmonth_t period;
	char manifest_sha[65];
	int files, people, cases;
	struct archive_payment payment;   /* (issue 13) the batch it carries, if any */
	/* issue 16.5: the township's signing key */
	char fingerprint[SIGN_FPR_LEN];
	bool key_new, key_changed;        /* pinned at this import / replaced (accepted) */
};

/* Read safely (nothing extracted), verify every file against the manifest
 * and the chain, and record it all in one transaction, or nothing. */
int archive_import(struct store *st, const struct user *actor, const char *path,
    const struct archive_caps *caps, struct archive_import_result *res, struct err *e);
/* issue 16.5: the same; accept_new_key takes a township's changed signing
 * key (an admin, after confirming its fingerprint; audited) */
int archive_import_key(struct store *st, const struct user *actor, const char *path,
    const struct archive_caps *caps, bool accept_new_key, struct archive_import_result *res, struct err *e);

#endif
