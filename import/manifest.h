/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/manifest.h — the monthly handover archive's manifest.json
 * (manifest.c): written by the export, parsed and checked by the county's
 * import; the archive's names and its signature's message.
 */
#ifndef DIBAO_IMPORT_MANIFEST_H
#define DIBAO_IMPORT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/sizes.h"
#include "store/err.h"

#define ARCHIVE_FORMAT "dibao-archive"
#define ARCHIVE_VERSION 1
#define ARCHIVE_MANIFEST "manifest.json"
/* issue 16.5: the township's signature.  The public key is an entry the
 * manifest lists; the signature, over archive_sign_message (the manifest's
 * SHA-256), is the detached entry after the manifest, listed nowhere. */
#define ARCHIVE_SIGNER "签名公钥.txt"
#define ARCHIVE_SIGNATURE "manifest.sig"
/* "dibao-archive-signature 1\n<top>\n<manifest sha256 hex>\n" into buf */
int archive_sign_message(const char *top, const char *manifest_sha, char *buf, size_t size);

struct manifest_file {
	char *path;                 /* inside the archive, top folder included */
	uint64_t size;
	char sha256[65];
};

struct manifest_case {
	char dossier[DOSSIER_NO_LEN + 1];
	char head[NAME_MAX_BYTES];
	char village[TEXT_SHORT];
	int persons;
	fen_t total;
	bool kin;                   /* a kin-filing case */
	bool added;                 /* a new case of the period */
};

struct manifest {
	int version;
	char township_code[TOWNSHIP_CODE_LEN + 1];
	char township_name[TEXT_SHORT];
	dbmonth_t period;
	dbdate_t from, to;
	char exported[32];          /* the period end: "2026-03-25T23:59:59" */
	char op[USER_MAX_BYTES];
	int dossiers, files, audit_entries, filings;
	uint64_t audit_count;       /* the chain as of the period end */
	char audit_head[65];
	char previous[65];          /* "" for the first archive */
	size_t n_files, cap_files;
	struct manifest_file *f;
	size_t n_cases, cap_cases;
	struct manifest_case *cases;
};

/* The top folder: "330102001-2026-03". */
void manifest_top(const struct manifest *m, char *buf, size_t size);
/* SHA-256 of p[0..n) as lower-case hex. */
void sha256_hex(const void *p, size_t n, char out[65]);
int manifest_add_file(struct manifest *m, const char *path, const void *data, size_t len);
int manifest_add_case(struct manifest *m, const struct manifest_case *c);
/* Deterministic bytes (sorted keys and files, fixed times); malloc'd. */
char *manifest_dump(const struct manifest *m, size_t *len);
/* Parse and validate (format, version, fields, paths); 0 or -1 with e. */
int manifest_parse(const char *text, size_t len, struct manifest *m, struct err *e);
/* The same, the text in a private temporary file (the county's import:
 * never whole in memory); each case, once checked, handed to case_fn
 * instead of kept in m->cases when case_fn is not NULL (non-zero: the
 * parse stops, -1 with e as case_fn set it) */
struct scratch;
typedef int (*manifest_case_fn)(const struct manifest *m, const struct manifest_case *c, void *baton, struct err *e);
int manifest_parse_scratch(const struct scratch *s, manifest_case_fn case_fn, void *baton, struct manifest *m,
    struct err *e);
void manifest_free(struct manifest *m);
/* Only the list of files (the county's import, once every entry is checked). */
void manifest_free_files(struct manifest *m);
/* A safe path inside the archive: relative, no "..", no "." components,
 * no backslash or control characters, valid UTF-8. */
bool archive_path_safe(const char *path);

#endif
