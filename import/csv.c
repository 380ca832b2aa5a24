/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c — RFC 4180 comma-separated values, as Excel and WPS save them, into
 * a sheet (the common shape of CSV and XLSX input); and the field writer.
 * Input is untrusted: cells and column counts are capped, and a quote left
 * open is refused rather than swallowing the rest of the file.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "import/encoding.h"
#include "import/sheet.h"

#include "store/err.h"
#include "core/array.h"

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
	size_t cap = (size_t)s->cap;
	struct sheet_row *rows = array_grow(s->rows, &cap, (size_t)s->n + 1, sizeof *rows);
	if (rows == NULL)
		return NULL;
	s->rows = rows;
	s->cap = (int)cap;
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

/* One field of p[0..len) from *i, the whole parser and the streamed one's:
 * a quoted part ("" a quote; the newlines inside counted in *line; what
 * follows the closing quote is malformed, Excel keeps it and so do we),
 * then plain bytes up to a comma (or, when eol, a line end), into
 * cell[0..*n).  0; 1 a quote never closed; -1 a cell longer than
 * CSV_MAX_CELL (*line where it was found). */
static int
csv_field(const char *p, size_t len, size_t *i, bool eol, char *cell, size_t *n, int *line)
{
	size_t k = *i, m = 0;
	int ret = 0;

	if (k < len && p[k] == '"') {
		k++;
		for (;;) {
			if (k >= len) {
				ret = 1;
				goto out;
			}
			if (p[k] == '"') {
				k++;
				if (k >= len || p[k] != '"')
					break;
			} else if (p[k] == '\n') {
				(*line)++;
			}
			if (m >= CSV_MAX_CELL) {
				ret = -1;
				goto out;
			}
			cell[m++] = p[k++];
		}
	}
	while (k < len && p[k] != ',' && !(eol && (p[k] == '\n' || p[k] == '\r'))) {
		if (m >= CSV_MAX_CELL) {
			ret = -1;
			goto out;
		}
		cell[m++] = p[k++];
	}
out:
	*i = k;
	*n = m;
	return ret;
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
		/* one field */
		int f = csv_field(p, len, &i, true, cell, &n, &line);
		if (f > 0) {
			free(cell);
			sheet_free(out);
			return err_set(e, E_REFUSED, _("line %d: a quoted field is never closed"), open_line);
		}
		if (f < 0)
			goto too_long;
		if (sheet_set(out, row_line, col, cell, n) != 0) {
			free(cell);
			sheet_free(out);
			return err_set(e, E_REFUSED, _("line %d: more than %d columns, or out of memory"),
			    row_line, CSV_MAX_COLS);
		}
		if (i < len && p[i] == ',') {
			i++;
			col++;
			/* a comma ending the file: an empty last field, refused past
			 * the column cap as it is before a line end (the streamed
			 * reader does the same) */
			if (i == len && sheet_set(out, row_line, col, "", 0) != 0) {
				free(cell);
				sheet_free(out);
				return err_set(e, E_REFUSED, _("line %d: more than %d columns, or out of memory"),
				    row_line, CSV_MAX_COLS);
			}
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

/* ---- csv_read_file: the same CSV, streamed (issue 16 point 9) ----------
 * A file is read in blocks, never whole: a first pass decides the encoding
 * (valid UTF-8 throughout, else GB18030) checking UTF-8 block by block; the
 * second converts GB18030 to UTF-8 with iconv block by block and splits the
 * text into records as it comes, each parsed as csv_parse would and kept in
 * the sheet only if it has a non-empty cell.  Memory is the kept rows plus
 * one record (at most CSV_MAX_ROW bytes; a longer one — or a quote never
 * closed — is refused naming the line it starts on).  A file of blank rows
 * takes no memory however long it is. */

#define CSV_BLOCK 65536

enum cstate { CS_FIELD, CS_PLAIN, CS_QUOTED, CS_QQ };

struct cstream {
	struct sheet *s;
	struct err *e;
	char *rec, *cell;
	size_t rlen;
	enum cstate state;
	bool skip_lf, started;
	int line;                  /* physical line at the current byte */
	int rec_line;              /* physical line the record starts on */
	int row_line;              /* the record's row number (as Excel shows) */
	int open_line;             /* where the current quote opened */
	int (*row)(struct sheet *s, void *baton);   /* told of each record read */
	void *baton;
};

/* One record (no terminator outside quotes) into the sheet */
static int
cs_record(struct cstream *c)
{
	const char *p = c->rec;
	size_t len = c->rlen, i = 0, n;
	int col = 0, line = c->rec_line;

	for (;;) {
		/* the record's quotes are all closed (cs_feed saw to it) */
		if (csv_field(p, len, &i, false, c->cell, &n, &line) < 0)
			goto too_long;
		if (sheet_set(c->s, c->row_line, col, c->cell, n) != 0)
			return err_set(c->e, E_REFUSED, _("line %d: more than %d columns, or out of memory"),
			    c->row_line, CSV_MAX_COLS);
		if (i < len && p[i] == ',') {
			i++;
			col++;
			continue;
		}
		return 0;
	}
too_long:
	return err_set(c->e, E_REFUSED, _("line %d: a cell is longer than %d bytes"), line, CSV_MAX_CELL);
}

static int
cs_end_record(struct cstream *c)
{
	if (cs_record(c) != 0 || (c->row && c->row(c->s, c->baton) != 0))
		return -1;
	c->line++;
	c->row_line++;
	c->rec_line = c->line;
	c->rlen = 0;
	c->state = CS_FIELD;
	return 0;
}

static int
cs_feed(struct cstream *c, const char *p, size_t len)
{
	size_t i = 0;

	if (!c->started && len > 0) {
		c->started = true;
		if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
	}
	for (; i < len; i++) {
		char ch = p[i];
		if (c->skip_lf) {
			c->skip_lf = false;
			if (ch == '\n')
				continue;
		}
again:
		switch (c->state) {
		case CS_FIELD:
			if (ch == '"') {
				c->state = CS_QUOTED;
				c->open_line = c->line;
				break;
			}
			c->state = CS_PLAIN;
			goto again;
		case CS_PLAIN:
			if (ch == ',') {
				c->state = CS_FIELD;
			} else if (ch == '\r' || ch == '\n') {
				if (cs_end_record(c) != 0)
					return -1;
				c->skip_lf = ch == '\r';
				continue;
			}
			break;
		case CS_QUOTED:
			if (ch == '"')
				c->state = CS_QQ;
			else if (ch == '\n')
				c->line++;
			break;
		case CS_QQ:
			if (ch == '"') {
				c->state = CS_QUOTED;
				break;
			}
			c->state = CS_PLAIN;
			goto again;
		}
		if (c->rlen >= CSV_MAX_ROW)
			return err_set(c->e, E_REFUSED, _("line %d: a row is longer than %d KB (or a quote is never closed)"),
			    c->rec_line, CSV_MAX_ROW / 1024);
		c->rec[c->rlen++] = ch;
	}
	return 0;
}

/* Where a UTF-8 sequence cut by the block's end starts (len if none) */
static size_t
utf8_cut(const unsigned char *b, size_t len)
{
	for (size_t k = 0; k < 3 && k < len; k++) {
		size_t j = len - 1 - k;
		unsigned ch = b[j];
		if ((ch & 0xC0) == 0x80)
			continue;
		if (ch >= 0xC0) {
			size_t need = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
			if (j + need > len)
				return j;
		}
		break;
	}
	return len;
}

static int
file_is_utf8(FILE *f, bool *utf8, struct err *e)
{
	char *buf = malloc(CSV_BLOCK + 4);
	size_t have = 0, k, total = 0;

	if (buf == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	*utf8 = true;
	while ((k = fread(buf + have, 1, CSV_BLOCK, f)) > 0) {
		total += k;
		if (total > CSV_MAX_BYTES) {
			free(buf);
			return err_set(e, E_REFUSED, _("the file is larger than %zu MB"), CSV_MAX_BYTES >> 20);
		}
		have += k;
		size_t cut = utf8_cut((const unsigned char *)buf, have);
		if (!utf8_valid(buf, cut)) {
			*utf8 = false;
			break;
		}
		memmove(buf, buf + cut, have - cut);
		have -= cut;
	}
	if (ferror(f)) {
		free(buf);
		return err_set(e, E_REFUSED, _("cannot read the file: %s"), strerror(errno));
	}
	if (*utf8 && have > 0 && !utf8_valid(buf, have))
		*utf8 = false;
	free(buf);
	return 0;
}

int
csv_read_file(FILE *f, struct sheet *out, enum text_enc *enc, struct err *e)
{
	return csv_read_file_rows(f, out, enc, NULL, NULL, e);
}

int
csv_read_file_rows(FILE *f, struct sheet *out, enum text_enc *enc, int (*row)(struct sheet *s, void *baton),
    void *baton, struct err *e)
{
	struct cstream c;
	bool utf8 = true;
	char *in = NULL, *ob = NULL;
	iconv_t cd = (iconv_t)-1;
	size_t have = 0, k;
	size_t raw_off = 0;        /* bytes of the file converted */
	size_t raw_total = 0;      /* bytes of the file read */
	int raw_lines = 1, ret = -1;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.s = out;
	c.e = e;
	c.row = row;
	c.baton = baton;
	c.line = c.rec_line = c.row_line = 1;
	if (file_is_utf8(f, &utf8, e) != 0)
		return -1;
	*enc = utf8 ? ENC_UTF8 : ENC_GB18030;
	rewind(f);
	if ((c.rec = malloc(CSV_MAX_ROW)) == NULL || (c.cell = malloc(CSV_MAX_CELL + 1)) == NULL ||
	    (in = malloc(CSV_BLOCK + 8)) == NULL || (!utf8 && (ob = malloc(2 * CSV_BLOCK + 16)) == NULL)) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	if (!utf8 && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		err_set(e, E_STORAGE, _("cannot convert from GB18030: %s"), strerror(errno));
		goto out;
	}
	while ((k = fread(in + have, 1, CSV_BLOCK, f)) > 0) {
		have += k;
		/* the first pass stops at the first byte that is not UTF-8 */
		if ((raw_total += k) > CSV_MAX_BYTES) {
			err_set(e, E_REFUSED, _("the file is larger than %zu MB"), CSV_MAX_BYTES >> 20);
			goto out;
		}
		if (utf8) {
			if (cs_feed(&c, in, have) != 0)
				goto out;
			have = 0;
			continue;
		}
		char *ip = in, *op = ob;
		size_t il = have, ol = 2 * CSV_BLOCK + 16;
		/* a GB18030 character of 2 bytes becomes at most 3 in UTF-8, one
		 * of 4 at most 4: twice the block is always enough */
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
			for (char *q = in; q < ip; q++)
				raw_lines += *q == '\n';
			err_set(e, E_REFUSED,
			    _("the file is neither UTF-8 nor GBK/GB18030 text (line %d, byte %zu); save it again as CSV UTF-8"),
			    raw_lines, raw_off + (size_t)(ip - in) + 1);
			goto out;
		}
		for (char *q = in; q < ip; q++)
			raw_lines += *q == '\n';
		raw_off += (size_t)(ip - in);
		if (cs_feed(&c, ob, (size_t)(op - ob)) != 0)
			goto out;
		memmove(in, ip, il);    /* a character cut by the block's end */
		have = il;
	}
	if (ferror(f)) {
		err_set(e, E_REFUSED, _("cannot read the file: %s"), strerror(errno));
		goto out;
	}
	if (have > 0) {
		err_set(e, E_REFUSED,
		    _("the file is neither UTF-8 nor GBK/GB18030 text (line %d, byte %zu); save it again as CSV UTF-8"),
		    raw_lines, raw_off + 1);
		goto out;
	}
	if (c.state == CS_QUOTED) {
		err_set(e, E_REFUSED, _("line %d: a quoted field is never closed"), c.open_line);
		goto out;
	}
	if (c.rlen > 0 && (cs_record(&c) != 0 || (row && row(out, baton) != 0)))
		goto out;
	ret = 0;
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(c.rec);
	free(c.cell);
	free(in);
	free(ob);
	if (ret != 0)
		sheet_free(out);
	return ret;
}

/* csv_read_rows (issue 13): each row handed to fn and dropped at once, so
 * the sheet never holds more than the row being read */
struct rows_drop {
	csv_row_fn fn;
	void *baton;
};

static int
rows_drop(struct sheet *s, void *baton)
{
	struct rows_drop *d = baton;
	int r;
	if (s->n == 0)
		return 0;
	struct sheet_row *row = &s->rows[s->n - 1];
	r = d->fn(row, d->baton);
	for (int k = 0; k < row->n; k++)
		free(row->cell[k]);
	free(row->cell);
	s->n--;
	return r != 0 ? -1 : 0;
}

int
csv_read_rows(FILE *f, csv_row_fn fn, void *baton, enum text_enc *enc, struct err *e)
{
	struct sheet s;
	struct rows_drop d = { fn, baton };
	int r = csv_read_file_rows(f, &s, enc, rows_drop, &d, e);
	sheet_free(&s);
	return r;
}
