/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * xlsx.c — the first worksheet of an Excel workbook, read straight out of
 * the zip in memory.  An .xlsx from outside is untrusted: only the formats
 * we need are enabled (zip), only three named regular entries are read
 * (symlinks, ../ names and everything else are skipped unread), inflated
 * bytes are counted as they arrive (never trusting the sizes the headers
 * claim), and XML with a DOCTYPE is refused, so no entity expansion can
 * blow up.  Nothing is extracted to disk; only the shared strings go to
 * an enciphered temporary file (store/scratch.c), not to memory (issue
 * 17: an Excel-saved roster of 252,372 rows has 738,372 of them).
 *
 * The sheet may come before the shared strings and styles in the zip, so
 * cells that need them are kept as markers and resolved at the end.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/array.h"
#include "import/sheet.h"
#include "import/xlsx.h"

#include "core/base.h"
#include "core/date.h"
#include "store/err.h"
#include "store/scratch.h"

const struct xlsx_caps xlsx_default_caps = {
	.entry_max = (size_t)256 * 1024 * 1024, /* 100k rows of 20 columns is ~90 MB */
	.total_max = (size_t)512 * 1024 * 1024,
	.entries_max = 10000,
};

#define MARK_SHARED '\x01'  /* "\x01<index>": a shared string */
#define MARK_NUMBER '\x02'  /* "\x02<style>|<value>": a number */
#define MAX_XF 4096
#define MAX_NUMFMT 512

enum part { P_SST = 0, P_STYLES, P_SHEET, P__N };

/* The shared strings: each string's bytes in txt, its place (struct
 * sst_rec) in idx, both read back through a cache of blocks (a sheet's
 * new strings come in the order of its rows) and the short strings also
 * through a cache of strings by index (those a sheet repeats, villages,
 * relations, amounts, dates, are spread over the file) */
#define SST_BLOCK 4096
#define SST_SLOTS 1024
#define SST_HITS 65536
struct sst_rec {
	int64_t off;
	uint32_t len;
};
struct sst_blk {
	int file;                       /* 0 txt, 1 idx */
	off_t at;                       /* -1: empty */
	size_t len;
	unsigned char b[SST_BLOCK];
};
struct sst_hit {
	int32_t i;                      /* -1: empty */
	char s[28];
};
#define SST_MAP (SST_SLOTS * sizeof(struct sst_blk) + SST_HITS * sizeof(struct sst_hit))
struct sst {
	struct scratch file[2];         /* txt, idx */
	int n;
	struct sst_blk *cache;          /* SST_SLOTS of them */
	struct sst_hit *hit;            /* SST_HITS of them */
	int top;                        /* the highest index read */
	char got[CSV_MAX_CELL + 1];     /* the string last read */
};
static const char *const part_names[P__N] = {
	"xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml",
};

struct xctx {
	XML_Parser p;
	enum part part;
	struct err *e;
	bool failed;
	/* character data of the element being collected */
	bool collect;
	char *txt;
	size_t tlen, tcap;
	int rph;                        /* inside <rPh> (phonetic runs: not text) */
	/* sharedStrings */
	bool in_si;
	struct sst sst;
	/* styles */
	bool in_numfmts, in_cellxfs;
	int date_fmt[MAX_NUMFMT], n_date_fmt;   /* custom numFmtIds that are dates */
	bool xf_date[MAX_XF];
	int n_xf;
	/* sheet */
	struct sheet *out;
	bool in_data, in_c, in_v, in_is;
	int row, col, next_col;
	char ctype[12];
	int cstyle;
	char *cval;                    /* <v> of the current cell */
	/* streamed (xlsx_read_rows): the cells resolved as they come and
	 * row(out, baton) told at each row's end */
	int (*rowfn)(struct sheet *s, void *baton);
	void *baton;
};

static const char *
local(const char *name)
{
	/* a writer may prefix the namespace (x:c); the local name is enough */
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *
attr(const char **a, const char *name)
{
	for (int i = 0; a[i]; i += 2)
		if (strcmp(local(a[i]), name) == 0)
			return a[i + 1];
	return NULL;
}

static void
fail(struct xctx *x, const char *msg)
{
	if (!x->failed)
		err_set(x->e, E_REFUSED, _("%s: %s"), part_names[x->part], msg);
	x->failed = true;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xctx *x = ud;

	if (!x->collect || x->rph || x->failed)
		return;
	if (x->tlen + (size_t)len > CSV_MAX_CELL) {
		fail(x, _("a cell is longer than 4096 bytes"));
		return;
	}
	char *t = array_grow(x->txt, &x->tcap, x->tlen + (size_t)len + 1, 1);
	if (t == NULL) {
		fail(x, _("out of memory"));
		return;
	}
	x->txt = t;
	memcpy(x->txt + x->tlen, s, (size_t)len);
	x->tlen += (size_t)len;
	x->txt[x->tlen] = '\0';
}

static void
text_reset(struct xctx *x)
{
	x->tlen = 0;
	if (x->txt)
		x->txt[0] = '\0';
}

/* "AB12" -> column 27 (0-based), row 12 */
static void
cell_ref(const char *r, int *col, int *row)
{
	int c = 0, n = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++) {
		c = c * 26 + (*r - 'A' + 1);
		if (c > 100000)
			return;
	}
	for (; *r >= '0' && *r <= '9'; r++) {
		n = n * 10 + (*r - '0');
		if (n > 10000000)
			return;
	}
	if (c > 0)
		*col = c - 1;
	if (n > 0)
		*row = n;
}

static bool
format_is_date(const char *code)
{
	bool quoted = false;
	/* a custom format is a date when it shows a year, a day or a month
	 * name outside quoted text and [colour] brackets */
	for (int br = 0; *code; code++) {
		if (*code == '"')
			quoted = !quoted;
		else if (!quoted && *code == '[')
			br++;
		else if (!quoted && *code == ']' && br > 0)
			br--;
		else if (!quoted && br == 0 && (*code == 'y' || *code == 'Y' || *code == 'd' || *code == 'D'))
			return true;
	}
	return strstr(code, "年") != NULL || strstr(code, "日") != NULL;
}

static bool
builtin_date(int id)
{
	/* ECMA-376 18.8.30, and the zh-CN built-ins 27–36, 50–58 */
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **a)
{
	struct xctx *x = ud;
	const char *n = local(name), *v;

	if (x->failed)
		return;
	switch (x->part) {
	case P_SST:
		if (strcmp(n, "si") == 0) {
			x->in_si = true;
			text_reset(x);
		} else if (strcmp(n, "t") == 0 && x->in_si) {
			x->collect = true;
		} else if (strcmp(n, "rPh") == 0) {
			x->rph++;
		}
		break;
	case P_STYLES:
		if (strcmp(n, "numFmts") == 0) {
			x->in_numfmts = true;
		} else if (strcmp(n, "cellXfs") == 0) {
			x->in_cellxfs = true;
		} else if (strcmp(n, "numFmt") == 0 && x->in_numfmts) {
			const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
			if (id && code && format_is_date(code) && x->n_date_fmt < MAX_NUMFMT)
				x->date_fmt[x->n_date_fmt++] = atoi(id);
		} else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
			int id = (v = attr(a, "numFmtId")) ? atoi(v) : 0;
			bool date = builtin_date(id);
			for (int i = 0; i < x->n_date_fmt; i++)
				date |= x->date_fmt[i] == id;
			if (x->n_xf < MAX_XF)
				x->xf_date[x->n_xf++] = date;
		}
		break;
	case P_SHEET:
		if (strcmp(n, "sheetData") == 0) {
			x->in_data = true;
		} else if (!x->in_data) {
			break;
		} else if (strcmp(n, "row") == 0) {
			int r = x->row + 1;
			if ((v = attr(a, "r")) != NULL)
				r = atoi(v);
			if (r <= x->row || r > 1048576) {
				fail(x, _("rows out of order"));
				return;
			}
			x->row = r;
			x->next_col = 0;
		} else if (strcmp(n, "c") == 0) {
			int r = x->row;
			x->in_c = true;
			x->col = x->next_col;
			if ((v = attr(a, "r")) != NULL)
				cell_ref(v, &x->col, &r);
			x->next_col = x->col + 1;
			snprintf(x->ctype, sizeof x->ctype, "%s", (v = attr(a, "t")) ? v : "n");
			x->cstyle = (v = attr(a, "s")) ? atoi(v) : 0;
			free(x->cval);
			x->cval = NULL;
			text_reset(x);
		} else if (strcmp(n, "v") == 0 && x->in_c) {
			x->in_v = true;
			x->collect = true;
			text_reset(x);
		} else if (strcmp(n, "is") == 0 && x->in_c) {
			x->in_is = true;
			text_reset(x);
		} else if (strcmp(n, "t") == 0 && x->in_is) {
			x->collect = true;
		} else if (strcmp(n, "rPh") == 0) {
			x->rph++;
		}
		break;
	default:
		break;
	}
}

static int cell_resolved(struct xctx *x, int line, const char *c, const char **text, char buf[64], struct err *e);

static void
put_cell(struct xctx *x, const char *s, size_t len)
{
	char buf[64];           /* a resolved number's text, until it is set */

	/* a stray formatted cell far to the right is no column of ours */
	if (x->col >= CSV_MAX_COLS || len == 0)
		return;
	if (x->rowfn != NULL && (s[0] == MARK_SHARED || s[0] == MARK_NUMBER)) {
		/* streamed: the shared strings and styles are known already */
		if (cell_resolved(x, x->row, s, &s, buf, x->e) != 0) {
			x->failed = true;
			XML_StopParser(x->p, XML_FALSE);
			return;
		}
		len = strlen(s);
	}
	if (len > 0 && sheet_set(x->out, x->row, x->col, s, len) != 0)
		fail(x, _("out of memory"));
}

static int
sst_ioerr(struct err *e)
{
	return err_set(e, E_STORAGE, _("a temporary file for the workbook's shared strings: %s"),
	    strerror(errno ? errno : EIO));
}

/* The next shared string: 0, or -1 with e */
static int
sst_add(struct sst *t, const char *text, struct err *e)
{
	struct sst_rec r = {0};

	if (t->n == INT32_MAX)
		return err_set(e, E_REFUSED, "%s", _("out of memory"));
	if (t->cache == NULL) {
		/* mapped, not malloc'd: the free of a block this big would raise
		 * glibc's mmap threshold, and the roster's later buffers would
		 * stay in the heap, in RSS, while the store's cache fills */
		void *m = mmap(NULL, SST_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		t->cache = m;
		t->hit = (struct sst_hit *)(t->cache + SST_SLOTS);
		for (int i = 0; i < SST_SLOTS; i++)
			t->cache[i].at = -1;
		for (int i = 0; i < SST_HITS; i++)
			t->hit[i].i = -1;
		if (scratch_open(&t->file[0]) != 0 || scratch_open(&t->file[1]) != 0)
			return sst_ioerr(e);
	}
	r.len = (uint32_t)strlen(text);
	off_t at;
	if (scratch_write(&t->file[0], text, r.len, &at) != 0)
		return sst_ioerr(e);
	r.off = (int64_t)at;
	if (scratch_write(&t->file[1], &r, sizeof r, NULL) != 0)
		return sst_ioerr(e);
	t->n++;
	return 0;
}

/* len bytes of file f at off into p, through the cache */
static int
sst_read(struct sst *t, int f, off_t off, void *p, size_t len, struct err *e)
{
	unsigned char *o = p;

	while (len > 0) {
		off_t at = off / SST_BLOCK * SST_BLOCK;
		struct sst_blk *b = &t->cache[(size_t)((at / SST_BLOCK) * 2 + f) % SST_SLOTS];
		if (b->at != at || b->file != f) {
			off_t end = t->file[f].end;
			b->len = end - at < (off_t)SST_BLOCK ? (size_t)(end - at) : SST_BLOCK;
			b->at = -1;
			if (off >= end || scratch_read(&t->file[f], at, b->b, b->len) != 0)
				return sst_ioerr(e);
			b->at = at;
			b->file = f;
		}
		size_t k = (size_t)(off - at), n = b->len - k < len ? b->len - k : len;
		memcpy(o, b->b + k, n);
		o += n;
		off += (off_t)n;
		len -= n;
	}
	return 0;
}

/* Shared string i (0 <= i < t->n) into t->got */
static int
sst_get(struct sst *t, int i, struct err *e)
{
	struct sst_rec r;
	struct sst_hit *h = &t->hit[i % SST_HITS];

	if (h->i == i) {
		memcpy(t->got, h->s, strlen(h->s) + 1);
		return 0;
	}
	if (sst_read(t, 1, (off_t)i * (off_t)sizeof r, &r, sizeof r, e) != 0)
		return -1;
	if (r.len > CSV_MAX_CELL)
		return sst_ioerr(e);
	if (sst_read(t, 0, (off_t)r.off, t->got, r.len, e) != 0)
		return -1;
	t->got[r.len] = '\0';
	/* the sheet's new strings pass by, read once or twice near their
	 * first use; one far behind them is one it repeats */
	if (i > t->top)
		t->top = i;
	else if (i + 1024 < t->top && r.len < sizeof h->s) {
		h->i = i;
		memcpy(h->s, t->got, r.len + 1);
	}
	return 0;
}

static void
sst_free(struct sst *t)
{
	scratch_close(&t->file[0]);
	scratch_close(&t->file[1]);
	if (t->cache != NULL)
		munmap(t->cache, SST_MAP);
	t->cache = NULL;
	t->hit = NULL;
	t->n = 0;
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct xctx *x = ud;
	const char *n = local(name);
	char buf[64];

	if (x->failed)
		return;
	if (strcmp(n, "rPh") == 0 && x->rph > 0) {
		x->rph--;
		return;
	}
	switch (x->part) {
	case P_SST:
		if (strcmp(n, "t") == 0) {
			x->collect = false;
		} else if (strcmp(n, "si") == 0) {
			if (sst_add(&x->sst, x->txt ? x->txt : "", x->e) != 0) {
				x->failed = true;
				XML_StopParser(x->p, XML_FALSE);
				return;
			}
			x->in_si = false;
			text_reset(x);
		}
		break;
	case P_STYLES:
		if (strcmp(n, "numFmts") == 0)
			x->in_numfmts = false;
		else if (strcmp(n, "cellXfs") == 0)
			x->in_cellxfs = false;
		break;
	case P_SHEET:
		if (strcmp(n, "sheetData") == 0) {
			x->in_data = false;
		} else if (strcmp(n, "row") == 0 && x->rowfn != NULL) {
			/* its e set by rowfn, kept */
			if (x->rowfn(x->out, x->baton) != 0) {
				x->failed = true;
				XML_StopParser(x->p, XML_FALSE);
			}
		} else if (strcmp(n, "v") == 0 && x->in_v) {
			x->in_v = false;
			x->collect = false;
			free(x->cval);
			if ((x->cval = strdup(x->txt ? x->txt : "")) == NULL)
				fail(x, _("out of memory"));
		} else if (strcmp(n, "t") == 0 && x->in_is) {
			x->collect = false;   /* runs of one inline string concatenate */
		} else if (strcmp(n, "is") == 0) {
			x->in_is = false;
		} else if (strcmp(n, "c") == 0 && x->in_c) {
			const char *v = x->cval ? x->cval : "";
			x->in_c = false;
			if (strcmp(x->ctype, "inlineStr") == 0) {
				put_cell(x, x->txt ? x->txt : "", x->tlen);
			} else if (strcmp(x->ctype, "s") == 0) {
				if (*v) {
					snprintf(buf, sizeof buf, "%c%s", MARK_SHARED, v);
					put_cell(x, buf, strlen(buf));
				}
			} else if (strcmp(x->ctype, "n") == 0) {
				if (*v) {
					snprintf(buf, sizeof buf, "%c%d|%.40s", MARK_NUMBER, x->cstyle, v);
					put_cell(x, buf, strlen(buf));
				}
			} else if (strcmp(x->ctype, "d") == 0) {
				put_cell(x, v, strnlen(v, 10));   /* ISO 8601: the date part */
			} else if (strcmp(x->ctype, "b") == 0) {
				put_cell(x, strcmp(v, "1") == 0 ? "TRUE" : "FALSE", strcmp(v, "1") == 0 ? 4 : 5);
			} else {
				put_cell(x, v, strlen(v));        /* str, e */
			}
			free(x->cval);
			x->cval = NULL;
		}
		break;
	default:
		break;
	}
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
	/* OOXML never has one; a DOCTYPE is how entity bombs come in */
	fail(ud, _("a DOCTYPE is not allowed"));
}

dbdate_t
excel_serial_date(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || (*end != '\0' && *end != '.'))
		return 0;
	if (*end == '.')
		for (const char *p = end + 1; *p; p++)
			if (*p < '0' || *p > '9')
				return 0;
	/* the 1900 system counts a 29 February 1900 that never was (Lotus's
	 * bug, kept by Excel): serial 1 is 1900-01-01, 60 is no date, and 61
	 * is 1900-03-01 */
	if (n < 1 || n == 60 || n > 2958465)
		return 0;
	if (n < 60)
		return date_from_days(date_to_days(date_make(1900, 1, 1)) + (int32_t)(n - 1));
	return date_from_days(date_to_days(date_make(1900, 3, 1)) + (int32_t)(n - 61));
}

/* Excel stores 650.05 as 650.04999999999995: 15 significant digits is what
 * Excel itself shows.  Integers (ID numbers typed as numbers) stay as they
 * are, so a mangled one is reported rather than silently rounded. */
static void
number_text(const char *v, char *out, size_t size)
{
	if (strspn(v, "-0123456789") == strlen(v) || strchr(v, 'E') || strchr(v, 'e')) {
		snprintf(out, size, "%s", v);
		return;
	}
	char *end;
	double d = strtod(v, &end);
	if (*end != '\0')
		snprintf(out, size, "%s", v);
	else
		snprintf(out, size, "%.15g", d);
}

/* Replace a cell's text in place (sheet_set only appends rows). */
static int
replace(char **cell, const char *text)
{
	char *n = strdup(text);
	if (n == NULL)
		return -1;
	free(*cell);
	*cell = n;
	return 0;
}

/* A marked cell's text: a shared string by its index, a number as Excel
 * shows it (a date when its style is one); text points into x or buf. */
static int
cell_resolved(struct xctx *x, int line, const char *c, const char **text, char buf[64], struct err *e)
{
	if (c[0] == MARK_SHARED) {
		long idx = strtol(c + 1, NULL, 10);
		if (idx < 0 || idx >= x->sst.n)
			return err_set(e, E_REFUSED, _("row %d: shared string %ld does not exist"), line, idx);
		if (sst_get(&x->sst, (int)idx, e) != 0)
			return -1;
		*text = x->sst.got;
	} else if (c[0] == MARK_NUMBER) {
		int style = atoi(c + 1);
		const char *v = strchr(c, '|');
		dbdate_t d;
		v = v ? v + 1 : "";
		if (style >= 0 && style < x->n_xf && x->xf_date[style] && (d = excel_serial_date(v)) != 0)
			date_format(d, buf);
		else
			number_text(v, buf, 64);
		*text = buf;
	} else {
		*text = c;
	}
	return 0;
}

static int
resolve(struct xctx *x, struct sheet *s, struct err *e)
{
	char buf[64];

	for (int i = 0; i < s->n; i++) {
		struct sheet_row *r = &s->rows[i];
		for (int k = 0; k < r->n; k++) {
			char *c = r->cell[k];
			const char *text;
			if (c == NULL || (c[0] != MARK_SHARED && c[0] != MARK_NUMBER))
				continue;
			if (cell_resolved(x, r->line, c, &text, buf, e) != 0)
				return -1;
			if (replace(&r->cell[k], text) != 0)
				return err_set(e, E_STORAGE, _("out of memory"));
		}
	}
	return 0;
}

static void
xctx_free(struct xctx *x)
{
	sst_free(&x->sst);
	free(x->txt);
	free(x->cval);
}

/* Feed one entry to expat as libarchive inflates it, counting bytes. */
static int
parse_entry(struct archive *a, struct xctx *x, const struct xlsx_caps *caps, size_t *total, struct err *e)
{
	char buf[65536];
	size_t entry = 0;
	la_ssize_t n;
	int ret = 0;

	if ((x->p = XML_ParserCreate("UTF-8")) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	x->collect = false;
	x->rph = 0;
	for (;;) {
		n = archive_read_data(a, buf, sizeof buf);
		if (n < 0) {
			ret = err_set(e, E_REFUSED, _("%s: the zip is damaged: %s"), part_names[x->part],
			    archive_error_string(a));
			break;
		}
		entry += (size_t)n;
		*total += (size_t)n;
		if (entry > caps->entry_max || *total > caps->total_max) {
			ret = err_set(e, E_REFUSED, _("%s: larger than this program accepts (%zu MB); is it really a roster?"),
			    part_names[x->part], (entry > caps->entry_max ? caps->entry_max : caps->total_max) >> 20);
			break;
		}
		if (XML_Parse(x->p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!x->failed)
				err_set(e, E_REFUSED, _("%s: bad XML at line %lu: %s"), part_names[x->part],
				    (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
			ret = -1;
			break;
		}
		if (x->failed) {
			ret = -1;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(x->p);
	x->p = NULL;
	return ret;
}

/* One pass over the zip: the parts in want parsed, each at most once,
 * every other entry skipped unread; seen says which were there. */
static int
read_parts(const char *path, const struct xlsx_caps *caps, struct xctx *x, const bool want[P__N], bool seen[P__N],
    size_t *total, struct err *e)
{
	struct archive *a;
	struct archive_entry *ent;
	int ret = -1, r, count = 0;

	if ((a = archive_read_new()) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	/* zip only: no other format or filter can be slipped in */
	if (archive_read_support_format_zip(a) != ARCHIVE_OK) {
		err_set(e, E_STORAGE, "libarchive: %s", archive_error_string(a));
		goto done;
	}
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		err_set(e, E_REFUSED, _("%s: cannot open as XLSX: %s"), path, archive_error_string(a));
		goto done;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ent);
		int part = -1;
		if (++count > caps->entries_max) {
			err_set(e, E_REFUSED, _("%s: more than %d entries in the zip"), path, caps->entries_max);
			goto done;
		}
		/* only regular files with exactly these names; a symlink or a
		 * ../ name never matches and is skipped unread */
		if (name != NULL && archive_entry_filetype(ent) == AE_IFREG)
			for (int k = 0; k < P__N; k++)
				if (want[k] && strcmp(name, part_names[k]) == 0)
					part = k;
		if (part < 0) {
			if (archive_read_data_skip(a) != ARCHIVE_OK) {
				err_set(e, E_REFUSED, _("%s: the zip is damaged: %s"), path, archive_error_string(a));
				goto done;
			}
			continue;
		}
		if (seen[part]) {
			err_set(e, E_REFUSED, _("%s: %s appears twice in the zip"), path, part_names[part]);
			goto done;
		}
		seen[part] = true;
		x->part = (enum part)part;
		if (parse_entry(a, x, caps, total, e) != 0)
			goto done;
	}
	if (r != ARCHIVE_EOF) {
		err_set(e, E_REFUSED, _("%s: not an XLSX workbook or damaged: %s"), path, archive_error_string(a));
		goto done;
	}
	ret = 0;
done:
	if (archive_read_free(a) != ARCHIVE_OK && ret == 0)
		ret = err_set(e, E_STORAGE, _("%s: closing the zip failed"), path);
	return ret;
}

int
xlsx_read_rows(const char *path, const struct xlsx_caps *caps, struct sheet *out,
    int (*row)(struct sheet *s, void *baton), void *baton, struct err *e)
{
	struct xctx x;
	bool seen[P__N] = {false, false, false};
	size_t total = 0;
	int ret = -1;

	if (caps == NULL)
		caps = &xlsx_default_caps;
	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	x.e = e;
	x.out = out;
	x.rowfn = row;
	x.baton = baton;
	if (row == NULL) {
		/* whole: every part in one pass, the cells resolved at the end */
		const bool all[P__N] = {true, true, true};
		if (read_parts(path, caps, &x, all, seen, &total, e) != 0)
			goto done;
	} else {
		/* streamed: the shared strings and styles first (a writer puts
		 * them after the sheet, as libxlsxwriter does), then the sheet
		 * row by row in a second pass */
		const bool strings[P__N] = {[P_SST] = true, [P_STYLES] = true};
		const bool sheet[P__N] = {[P_SHEET] = true};
		if (read_parts(path, caps, &x, strings, seen, &total, e) != 0 ||
		    read_parts(path, caps, &x, sheet, seen, &total, e) != 0)
			goto done;
	}
	if (!seen[P_SHEET]) {
		err_set(e, E_REFUSED, _("%s: not an XLSX workbook (no xl/worksheets/sheet1.xml)"), path);
		goto done;
	}
	ret = row == NULL ? resolve(&x, out, e) : 0;
done:
	if (ret != 0)
		sheet_free(out);
	xctx_free(&x);
	return ret;
}

int
xlsx_read(const char *path, const struct xlsx_caps *caps, struct sheet *out, struct err *e)
{
	return xlsx_read_rows(path, caps, out, NULL, NULL, e);
}
