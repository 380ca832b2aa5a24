/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c — RFC 4180 comma-separated values, as Excel and WPS save them, into
 * a sheet (the common shape of CSV and XLSX input); and the field writer.
 * Input is untrusted: cells and column counts are capped, and a quote left
 * open is refused rather than swallowing the rest of the file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "import/import.h"

void
sheet_free(struct sheet *s)
{
	for (int i = 0; i < s->n; i++) {
		for (int k = 0; k < s->rows[i].n; k++)
			free(s->rows[i].cell[k]);
		free(s->rows[i].cell);
	}
	free(s->rows);
	memset(s, 0, sizeof *s);
}

/* The row with this line number: rows arrive in increasing line order, so
 * it is the last one or a new one. */
static struct sheet_row *
sheet_row_for(struct sheet *s, int line)
{
	if (s->n > 0 && s->rows[s->n - 1].line == line)
		return &s->rows[s->n - 1];
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 256;
		struct sheet_row *r = realloc(s->rows, (size_t)cap * sizeof *r);
		if (r == NULL)
			return NULL;
		s->rows = r;
		s->cap = cap;
	}
	struct sheet_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	r->line = line;
	return r;
}

int
sheet_set(struct sheet *s, int line, int col, const char *text, size_t len)
{
	struct sheet_row *r;

	if (col < 0 || col >= CSV_MAX_COLS)
		return -1;
	if (len == 0) {
		/* an empty cell is no cell: blank rows and trailing commas take
		 * no memory (a file of blank rows once took 10 times its size) */
		if (s->n > 0 && s->rows[s->n - 1].line == line && col < s->rows[s->n - 1].n) {
			r = &s->rows[s->n - 1];
			free(r->cell[col]);
			r->cell[col] = NULL;
		}
		return 0;
	}
	if ((r = sheet_row_for(s, line)) == NULL)
		return -1;
	if (col >= r->n) {
		char **c = realloc(r->cell, (size_t)(col + 1) * sizeof *c);
		if (c == NULL)
			return -1;
		for (int k = r->n; k <= col; k++)
			c[k] = NULL;
		r->cell = c;
		r->n = col + 1;
	}
	free(r->cell[col]);
	r->cell[col] = NULL;
	if ((r->cell[col] = malloc(len + 1)) == NULL)
		return -1;
	memcpy(r->cell[col], text, len);
	r->cell[col][len] = '\0';
	return 0;
}

const char *
sheet_cell(const struct sheet_row *r, int col)
{
	if (col < 0 || col >= r->n || r->cell[col] == NULL)
		return "";
	return r->cell[col];
}

int
csv_parse(const char *p, size_t len, struct sheet *out, struct err *e)
{
	char *cell;
	size_t i = 0, n = 0;
	/* rows are numbered as Excel shows them: a record with an embedded
	 * newline is one row; line counts physical lines for the quote error */
	int line = 1, row_line = 1, col = 0;

	memset(out, 0, sizeof *out);
	if (len > CSV_MAX_BYTES)
		return err_set(e, E_REFUSED, _("the file is larger than %zu MB"), CSV_MAX_BYTES >> 20);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if ((cell = malloc(CSV_MAX_CELL + 1)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	while (i < len) {
		int open_line = line;
		n = 0;
		/* one field */
		if (p[i] == '"') {
			i++;
			for (;;) {
				if (i >= len) {
					free(cell);
					sheet_free(out);
					return err_set(e, E_REFUSED,
					    _("line %d: a quoted field is never closed"), open_line);
				}
				if (p[i] == '"') {
					if (i + 1 < len && p[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				} else if (p[i] == '\n') {
					line++;
				}
				if (n >= CSV_MAX_CELL)
					goto too_long;
				cell[n++] = p[i++];
			}
			/* anything between the closing quote and the separator is
			 * malformed; Excel keeps it, and so do we */
		}
		while (i < len && p[i] != ',' && p[i] != '\n' && p[i] != '\r') {
			if (n >= CSV_MAX_CELL)
				goto too_long;
			cell[n++] = p[i++];
		}
		if (sheet_set(out, row_line, col, cell, n) != 0) {
			free(cell);
			sheet_free(out);
			return err_set(e, E_REFUSED, _("line %d: more than %d columns, or out of memory"),
			    row_line, CSV_MAX_COLS);
		}
		if (i < len && p[i] == ',') {
			i++;
			col++;
			if (i == len && sheet_set(out, row_line, col, "", 0) != 0)
				break;
			continue;
		}
		/* end of record: CRLF, LF or a lone CR */
		if (i < len && p[i] == '\r')
			i++;
		if (i < len && p[i] == '\n')
			i++;
		line++;
		row_line++;
		col = 0;
	}
	free(cell);
	return 0;
too_long:
	free(cell);
	sheet_free(out);
	return err_set(e, E_REFUSED, _("line %d: a cell is longer than %d bytes"), line, CSV_MAX_CELL);
}

void
csv_put_field(FILE *f, const char *s, bool last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}
