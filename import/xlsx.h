/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/xlsx.h — the first worksheet of an .xlsx read in memory with
 * libarchive and expat (xlsx.c); nothing is extracted, every size capped.
 */
#ifndef DIBAO_IMPORT_XLSX_H
#define DIBAO_IMPORT_XLSX_H

#include <stddef.h>

#include "core/base.h"
#include "import/sheet.h"
#include "store/err.h"

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
/* The same, streamed (issue 17: the roster import held the whole sheet of
 * 101,106 rows): each row's cells resolved as they come, and row(out,
 * baton) told at the end of each row, which may take the rows out of the
 * sheet (as csv_read_file_rows); a non-zero answer stops the reading with
 * -1, e as row set it.  The zip is read twice: the shared strings and
 * styles, then the sheet; the shared strings are held, as they must be. */
int xlsx_read_rows(const char *path, const struct xlsx_caps *caps, struct sheet *out,
    int (*row)(struct sheet *s, void *baton), void *baton, struct err *e);
/* An Excel serial day number (1900 date system) as a date; 0 if not one. */
dbdate_t excel_serial_date(const char *s);

#endif
