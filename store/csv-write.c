/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv-write.c — the one CSV writer (issue 20: there were two, and the
 * roster export's wrote names, addresses and phone numbers unguarded).
 *
 * A cell a spreadsheet would read as a formula (=HYPERLINK(…), +cmd|…,
 * @SUM(…), -1+…) is written with a leading apostrophe, the guard Excel and
 * WPS both show as text; plain negative numbers are left as they are, so
 * amounts stay numbers.  In store/, the lowest layer that writes files:
 * print/ and import/ both use it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store/csv-write.h"

/* "-" then digits, with at most one decimal point among them */
static bool
plain_negative(const char *s)
{
	bool digit = false, point = false;

	for (s++; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !point)
			point = true;
		else
			return false;
	}
	return digit;
}

bool
csv_formula_like(const char *s)
{
	switch (s[0]) {
	case '=':
	case '+':
	case '@':
	case '\t':
	case '\r':
		return true;
	case '-':
		return !plain_negative(s);
	default:
		return false;
	}
}

void
csv_write_row(FILE *f, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		bool quote = strpbrk(s, ",\"\r\n") != NULL;

		if (i)
			fputc(',', f);
		if (quote)
			fputc('"', f);
		if (csv_formula_like(s))
			fputc('\'', f);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		if (quote)
			fputc('"', f);
	}
	fputs("\r\n", f);
}
