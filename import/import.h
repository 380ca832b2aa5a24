/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import.h — everything that reads files from outside (rosters kept in
 * Excel or CSV, scans from the document camera) or writes files for the
 * county (the roster).  All input here is untrusted: sizes are capped,
 * archives are read in memory and never extracted, and every row goes
 * through the same core checks as typed input.
 *
 * Layering: import/ calls store/ and core/, never the other way.
 */
#ifndef DIBAO_IMPORT_H
#define DIBAO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/county.h"
#include "store/env.h"
#include "store/err.h"
#include "store/township-key.h"

struct print_options;

/* ---- a sheet: what CSV and XLSX readers both produce -------------------- */

struct sheet_row {
	int line;               /* the row number the clerk sees (1-based) */
	int n;
	char **cell;            /* UTF-8, malloc'd; NULL = empty */
};

struct sheet {
	int n, cap;
	struct sheet_row *rows;
};

void sheet_free(struct sheet *s);
/* Set cell (row line, column col) to a copy of text[0..len).  An empty
 * text is no cell, and a row of empty cells is not kept (issue 16). */
int sheet_set(struct sheet *s, int line, int col, const char *text, size_t len);
/* The cell text, "" when empty or absent. */
const char *sheet_cell(const struct sheet_row *r, int col);

/* ---- csv.c: RFC 4180 ---------------------------------------------------- */

#define CSV_MAX_BYTES ((size_t)256 * 1024 * 1024)
#define CSV_MAX_COLS 256
#define CSV_MAX_CELL 4096

/* Parse UTF-8 text (a leading BOM is skipped): quoted fields with "" for a
 * quote, embedded commas and newlines, CRLF or LF line ends.  0 ok, -1 with
 * e set (an unterminated quote names the line it opened on). */
int csv_parse(const char *p, size_t len, struct sheet *out, struct err *e);

/* ---- encoding.c --------------------------------------------------------- */

enum text_enc { ENC_UTF8 = 0, ENC_GB18030 };

bool utf8_valid(const char *p, size_t len);
/* Valid UTF-8 is taken as is (copied); else the text is converted from
 * GB18030 (a superset of GBK and GB2312).  Text that is neither is
 * refused.  *out is malloc'd and NUL-terminated. */
int text_to_utf8(const char *in, size_t len, char **out, size_t *outlen, enum text_enc *enc,
    struct err *e);

/* issue 16 point 9: a CSV file (UTF-8, or else GB18030) read in blocks and
 * parsed as csv_parse does, keeping only rows with a non-empty cell; a row
 * over CSV_MAX_ROW bytes is refused naming its line. */
#define CSV_MAX_ROW (64 * 1024)
int csv_read_file(FILE *f, struct sheet *out, enum text_enc *enc, struct err *e);
/* The same, telling row(out, baton) each time a record is complete (the
 * sheet's last row, if the record had a cell); row may take rows out of
 * the sheet (the roster import checks and frees them as they come);
 * a non-zero answer stops the reading with -1 (e set by row). */
int csv_read_file_rows(FILE *f, struct sheet *out, enum text_enc *enc, int (*row)(struct sheet *s, void *baton),
    void *baton, struct err *e);
/* issue 13: the same, each row with a cell handed to fn and dropped (a
 * non-zero return stops the read: -1, e as fn set it) */
typedef int (*csv_row_fn)(const struct sheet_row *r, void *baton);
int csv_read_rows(FILE *f, csv_row_fn fn, void *baton, enum text_enc *enc, struct err *e);

/* ---- xlsx.c: the first worksheet of an .xlsx, in memory ---------------- */

struct xlsx_caps {
	size_t entry_max;       /* bytes of one entry once inflated */
	size_t total_max;       /* bytes of all entries read */
	int entries_max;        /* entries looked at */
};
extern const struct xlsx_caps xlsx_default_caps;

/* Read xl/sharedStrings.xml, xl/styles.xml and xl/worksheets/sheet1.xml
 * (nothing else, nothing to disk).  Shared and inline strings, numbers as
 * written (Excel's float noise trimmed to 15 digits), cells with a date
 * format as YYYY-MM-DD.  0 ok, -1 with e set. */
int xlsx_read(const char *path, const struct xlsx_caps *caps, struct sheet *out, struct err *e);
/* An Excel serial day number (1900 date system) as a date; 0 if not one. */
dbdate_t excel_serial_date(const char *s);

/* ---- roster-in.c: 花名册 import ---------------------------------------- */

#define ROSTER_BATCH 500        /* households per transaction when one is too big */

struct roster_result {
	int rows;                   /* data rows read */
	int households, persons;
	fen_t total;                /* monthly amounts of the households */
	int problems;
	char *report;               /* malloc'd: one line per problem (Chinese) */
	int n_villages;             /* villages added (or to be added) */
	char villages[64][TEXT_SHORT];
	int batches, committed;     /* write transactions planned and committed */
	const char *encoding;       /* "UTF-8", "GB18030", "XLSX" */
	char first_no[DOSSIER_NO_LEN + 1], last_no[DOSSIER_NO_LEN + 1];
};

/* Validate the whole file, then (unless dry_run, and only when nothing is
 * wrong) write it.  0 done; -1 refused (res->report lists every problem)
 * or failed (e says what; res->committed says how far it got). */
int roster_import(struct store *st, const struct user *actor, const char *path, bool dry_run,
    struct roster_result *res, struct err *e);
/* The same, telling progress (households written) and cancellable. */
int roster_import_progress(struct store *st, const struct user *actor, const char *path, bool dry_run,
    const struct progress *progress, struct roster_result *res, struct err *e);
void roster_result_free(struct roster_result *res);

/* ---- roster-out.c: the township's roster for the county --------------- */

/* FILE.csv (UTF-8 with a BOM) or FILE.xlsx; *households, *persons written. */
int roster_export(struct store *st, const struct user *actor, const char *path,
    int *households, int *persons, struct err *e);
/* The same with the XLSX's creation time fixed (created != 0): the monthly
 * archive's roster is byte for byte the same when exported again. */
int roster_export_at(struct store *st, const struct user *actor, const char *path, int64_t created,
    int *households, int *persons, struct err *e);

/* ---- scans.c: files from the document camera --------------------------- */

enum scan_outcome { SCAN_ATTACHED = 0, SCAN_UNASSIGNED, SCAN_REFUSED, SCAN_SKIPPED };

typedef void (*scan_fn)(enum scan_outcome o, const char *file, const char *dossier,
    const char *item, const char *why, void *baton);
/* Every file of dir (sorted by name): attached when named
 * <dossier>_<item>[_anything].<jpg|jpeg|png|pdf>, else listed for manual
 * assignment; a file whose content is not what its name says is refused.
 * Source files are only read.  counts[] indexed by enum scan_outcome. */
int scans_import(struct store *st, const struct user *actor, const char *dir, scan_fn fn, void *baton,
    int counts[4], struct err *e);
int scans_assign(struct store *st, const struct user *actor, const char *file, const char *dossier,
    const char *item, struct err *e);
/* "jpeg", "png", "pdf" by the magic bytes, or NULL. */
const char *scan_kind(const unsigned char *p, size_t n);

/* ---- dossier-json.c: a dossier as JSON (dossier show, the archive) ------ */

/* reveal false: the account masked and no HIV or confidential flags (what
 * leaves the township never carries them). */
json_t *dossier_json(const struct dossier *d, bool reveal);
/* Its information-check results: [{"agency", "result", "date",
 * "recorded_by"}] in the order of the agency table (key "info_checks"). */
json_t *info_checks_json(const struct dossier *d);

/* ---- manifest.c: the monthly handover archive's manifest.json ----------- */

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
void manifest_free(struct manifest *m);
/* A safe path inside the archive: relative, no "..", no "." components,
 * no backslash or control characters, valid UTF-8. */
bool archive_path_safe(const char *path);

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


/* ---- payment-in.c, payment-out.c: the money trail (issue 13) ------------ */

/* roster-in.c: a CSV (UTF-8 or GBK) or XLSX file as a sheet; *encoding
 * "UTF-8", "GB18030" or "XLSX"; and the header normalisation roster
 * import matches its headers with. */
int sheet_read_path(const char *path, struct sheet *s, const char **encoding, struct err *e);
void header_normalize(const char *in, char *out, size_t size);

struct recon_input_row;
/* The bank's return file (回盘): columns 账号, 户名, 金额, 状态 (成功/失败),
 * 备注 found by their headers.  Every bad row is named in e (refused
 * whole); else *rows (malloc'd) and the file's SHA-256. */
int bank_file_read(const char *path, struct recon_input_row **rows, size_t *n, char sha[65], struct err *e);
/* issue 13: the file checked whole the same way, then reconciled with the
 * submitted batch of m (store/payment.h payment_reconcile) read again a row
 * at a time: a CSV of 90,000 rows is never held in memory (an XLSX is held
 * as its sheet). */
struct pay_batch;
int bank_file_reconcile(struct store *st, const struct user *actor, dbmonth_t m, const char *path, bool replace,
    bool *unchanged, struct pay_batch *out, char sha[65], struct err *e);

struct pay_totals;
/* The month's roster to files: csv (the bank file, UTF-8 with BOM), xlsx
 * (bank rows, held, recovery and village totals as sheets; constant
 * memory), pdf (the printed roster, recorded as a print).  Any may be
 * NULL; making the csv or xlsx (whole account numbers) is audited. fn (may
 * be NULL) also gets every row. */
struct pay_row;
int payment_roster_write(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf, const char *csv,
    const char *xlsx, int (*fn)(const struct pay_row *, void *), void *baton, struct pay_totals *t, bool *frozen,
    const struct progress *pg, struct err *e);


/* payment-archive.c: the month's batch and reconciliation as archive
 * entries under 发放/ (add takes data over); none when no batch was
 * submitted by the period end `to`.  And the county's reading of the
 * batch summary (发放/发放批次.json). */
int payment_archive_entries(struct store *st, dbmonth_t m, dbdate_t to,
    int (*add)(void *ctx, const char *rel, unsigned char *data, size_t len), void *ctx, struct err *e);
int payment_archive_summary(const void *data, size_t len, struct archive_payment *out);
/* ---- seal.c (i14): the sealed handover, a wrapper around the archive ---- */

struct seal_head {
	char township[16], month[8], county_key[17];
	size_t head_len;
};
/* 1 sealed (h filled), 0 not sealed, -1 unreadable or a damaged head */
int seal_peek(const char *path, struct seal_head *h, struct err *e);
/* Open a sealed archive into memory: *fd reads the archive's bytes. */
int seal_open(const char *path, const unsigned char pk[32], const unsigned char sk[32], int *fd, struct err *e);
/* archive-out: sealed as the archive's bytes are produced, so that no
 * plaintext copy touches the disk.  prepare: *out NULL when county.key is
 * not set (the plain archive); open: libarchive's writer opened on path
 * through the seal (in place of archive_write_open_filename); free after
 * the archive is freed. */
struct seal_out;
struct archive;
int archive_seal_prepare(struct store *st, const char *township, dbmonth_t month, struct seal_out **out,
    struct err *e);
int archive_seal_open(struct archive *a, struct seal_out *s, const char *path);
/* the seal for the county's public key pk (prepare's, and the tests') */
struct seal_out *seal_out_new(const unsigned char pk[32], const char *township, const char *month, struct err *e);
void archive_seal_free(struct seal_out *s);
/* archive-in: the path to read (a memfd's for a sealed one; *fd to close
 * after), or NULL with e */
const char *archive_unseal_hook(struct store *st, const struct user *actor, const char *path, char buf[64],
    int *fd, struct err *e);

#endif
