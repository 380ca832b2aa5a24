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
/* An Excel serial day number (1900 date system) as a date; 0 if not one. */
dbdate_t excel_serial_date(const char *s);

#endif
