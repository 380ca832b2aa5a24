/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv-write.h — the one CSV writer (csv-write.c): every CSV dibao writes
 * (lists, the roster, the monthly archive, the payment files) goes through
 * it, so every one is quoted alike and guarded against spreadsheet
 * formulas.  The caller writes the byte order mark (csv_bom) first.
 */
#ifndef DIBAO_STORE_CSV_WRITE_H
#define DIBAO_STORE_CSV_WRITE_H

#include <stdbool.h>
#include <stdio.h>

/* Would a spreadsheet take this cell for a formula?  It starts with = + @
 * a tab or a carriage return, or with - and is not a plain negative
 * number ("-3.20" stays a number, "-1+1" does not). */
bool csv_formula_like(const char *s);
/* One row of n cells (NULL as ""): RFC 4180 quoting, a cell that is
 * formula_like written after an apostrophe (inside the quotes), cells
 * joined by ',' and the row ended by CRLF.  Errors show in ferror(f). */
void csv_write_row(FILE *f, const char *const *cells, int n);

#endif
