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

#include "store/store.h"

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
/* Set cell (row line, column col) to a copy of text[0..len). */
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
/* Write one field, quoted when it needs to be. */
void csv_put_field(FILE *f, const char *s, bool last);

/* ---- encoding.c --------------------------------------------------------- */

enum text_enc { ENC_UTF8 = 0, ENC_GB18030 };

bool utf8_valid(const char *p, size_t len);
/* Valid UTF-8 is taken as is (copied); else the text is converted from
 * GB18030 (a superset of GBK and GB2312).  Text that is neither is
 * refused.  *out is malloc'd and NUL-terminated. */
int text_to_utf8(const char *in, size_t len, char **out, size_t *outlen, enum text_enc *enc,
    struct err *e);

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
void roster_result_free(struct roster_result *res);

/* ---- roster-out.c: the township's roster for the county --------------- */

/* FILE.csv (UTF-8 with a BOM) or FILE.xlsx; *households, *persons written. */
int roster_export(struct store *st, const struct user *actor, const char *path,
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

#endif
