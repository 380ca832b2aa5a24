/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/sheet.h — a sheet read from outside: what the CSV and XLSX readers
 * both produce (csv.c), the CSV reader itself, and a CSV or XLSX file read
 * by its name (roster-in.c).  Input is untrusted: sizes are capped.
 *
 * Layering: import/ calls store/ and core/, never the other way.
 */
#ifndef DIBAO_IMPORT_SHEET_H
#define DIBAO_IMPORT_SHEET_H

#include <stddef.h>
#include <stdio.h>

#include "import/encoding.h"
#include "store/err.h"

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

/* ---- roster-in.c: a file by its name ------------------------------------ */

/* A CSV (UTF-8 or GBK) or XLSX file as a sheet; *encoding "UTF-8",
 * "GB18030" or "XLSX"; and the header normalisation roster import matches
 * its headers with (the bank's return file uses both too). */
int sheet_read_path(const char *path, struct sheet *s, const char **encoding, struct err *e);
void header_normalize(const char *in, char *out, size_t size);

#endif
