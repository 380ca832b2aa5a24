/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * font.c — faces and which characters they can draw.  libharu reports a
 * missing glyph with a normal width and draws nothing, so we read each
 * font's own TrueType cmap (formats 4 and 12; for a .ttc, font 0 of the
 * collection) and split text into runs by the first face that has each
 * character: the chosen face, then uming.  A character no face has is
 * reported, never drawn as a silent blank.  The HPDF fonts are loaded
 * only when a run needs them: each embedded face costs ~100 KB of PDF.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/text.h"
#include "print/print.h"

struct print_font {
	char		*path;
	unsigned int	 index;		/* in a .ttc */
	bool		 ttc;
	int		 format;	/* 4 or 12: the cmap subtable kept */
	unsigned char	*cmap;		/* that subtable */
	size_t		 cmap_len;
	size_t		 nglyphs;
};

static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
read_at(FILE *f, long off, void *buf, size_t len)
{
	if (fseek(f, off, SEEK_SET) != 0)
		return -1;
	return fread(buf, 1, len, f) == len ? 0 : -1;
}

static void font_err(struct print_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
font_err(struct print_error *err, const char *msgid, ...)
{
	va_list	ap;

	err->msgid = msgid;
	va_start(ap, msgid);
	vsnprintf(err->text, sizeof err->text, msgid, ap);
	va_end(ap);
}

/* Does the cmap subtable say whether it is sane?  Bounds-check before use. */
static int
check_subtable(struct print_font *font)
{
	const unsigned char	*p = font->cmap;
	size_t			 segs;

	if (font->format == 4) {
		if (font->cmap_len < 14)
			return -1;
		segs = be16(p + 6) / 2;
		if (14 + segs * 8 + 2 > font->cmap_len)
			return -1;
	} else {
		if (font->cmap_len < 16)
			return -1;
		if (16 + (size_t)be32(p + 12) * 12 > font->cmap_len)
			return -1;
	}
	return 0;
}

struct print_font *
print_font_open(const char *path, unsigned int index, const char *package,
    struct print_error *err)
{
	struct print_font	*font;
	FILE			*f;
	unsigned char		 hdr[12], rec[16], sub[12];
	uint32_t		 dir = 0, cmap_off = 0, maxp_off = 0, off, len;
	unsigned int		 ntables, i, nenc;
	unsigned char		*enc = NULL;
	long			 best_off = -1;
	int			 best_rank = 0, rank, fmt;

	if ((f = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT) {
			font_err(err, N_("font file %s is missing: install the Debian package %s"),
			    path, package);
		} else {
			font_err(err, N_("cannot open font file %s: %s"), path, strerror(errno));
		}
		return NULL;
	}
	if ((font = calloc(1, sizeof *font)) == NULL || (font->path = strdup(path)) == NULL) {
		free(font);
		fclose(f);
		font_err(err, N_("out of memory reading font %s"), path);
		return NULL;
	}
	font->index = index;

	if (read_at(f, 0, hdr, 12) != 0)
		goto bad;
	if (memcmp(hdr, "ttcf", 4) == 0) {
		/* TTC header: tag, version, numFonts, then one offset per font. */
		font->ttc = true;
		if (index >= be32(hdr + 8) || read_at(f, 12 + 4 * (long)index, rec, 4) != 0)
			goto bad;
		dir = be32(rec);
		if (read_at(f, dir, hdr, 12) != 0)
			goto bad;
	} else if (index != 0)
		goto bad;

	ntables = be16(hdr + 4);
	for (i = 0; i < ntables; i++) {
		if (read_at(f, (long)dir + 12 + 16 * (long)i, rec, 16) != 0)
			goto bad;
		if (memcmp(rec, "cmap", 4) == 0)
			cmap_off = be32(rec + 8);
		else if (memcmp(rec, "maxp", 4) == 0)
			maxp_off = be32(rec + 8);
	}
	if (cmap_off == 0)
		goto bad;
	if (maxp_off != 0 && read_at(f, maxp_off, sub, 6) == 0)
		font->nglyphs = be16(sub + 4);

	/*
	 * Pick the widest Unicode subtable: format 12 (3,10 or 0,4+) covers
	 * beyond the BMP; format 4 (3,1 or 0,3) the BMP.
	 */
	if (read_at(f, cmap_off, hdr, 4) != 0)
		goto bad;
	nenc = be16(hdr + 2);
	if ((enc = malloc((size_t)nenc * 8 + 1)) == NULL || read_at(f, (long)cmap_off + 4, enc, (size_t)nenc * 8) != 0)
		goto bad;
	for (i = 0; i < nenc; i++) {
		unsigned int	plat = be16(enc + 8 * i), eid = be16(enc + 8 * i + 2);

		off = cmap_off + be32(enc + 8 * i + 4);
		if (read_at(f, off, sub, 2) != 0)
			continue;
		fmt = be16(sub);
		rank = 0;
		if (fmt == 12 && ((plat == 3 && eid == 10) || plat == 0))
			rank = 2;
		else if (fmt == 4 && ((plat == 3 && eid == 1) || plat == 0))
			rank = 1;
		if (rank > best_rank) {
			best_rank = rank;
			best_off = (long)off;
		}
	}
	if (best_off < 0)
		goto bad;
	if (read_at(f, best_off, sub, 12) != 0)
		goto bad;
	if (best_rank == 2) {
		font->format = 12;
		len = be32(sub + 4);
	} else {
		font->format = 4;
		len = be16(sub + 2);
	}
	if (len < 12 || len > 64u * 1024 * 1024 || (font->cmap = malloc(len)) == NULL ||
	    read_at(f, best_off, font->cmap, len) != 0)
		goto bad;
	font->cmap_len = len;
	if (check_subtable(font) != 0)
		goto bad;
	free(enc);
	fclose(f);
	return font;

bad:
	free(enc);
	fclose(f);
	print_font_close(font);
	font_err(err, N_("font file %s is not a TrueType font with a Unicode cmap"), path);
	return NULL;
}

void
print_font_close(struct print_font *font)
{
	if (font == NULL)
		return;
	free(font->cmap);
	free(font->path);
	free(font);
}

size_t
print_font_glyph_count(const struct print_font *font)
{
	return font->nglyphs;
}

static uint32_t
lookup4(const struct print_font *font, uint32_t cp)
{
	const unsigned char	*p = font->cmap, *ends, *starts, *deltas, *ranges;
	size_t			 segs = be16(p + 6) / 2, lo = 0, hi, mid, at;
	uint16_t		 start, delta, range;

	if (cp > 0xFFFF)
		return 0;
	ends = p + 14;
	starts = ends + segs * 2 + 2;
	deltas = starts + segs * 2;
	ranges = deltas + segs * 2;
	/* endCode is sorted: the first segment whose end >= cp. */
	hi = segs;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (be16(ends + 2 * mid) < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == segs)
		return 0;
	start = be16(starts + 2 * lo);
	if (cp < start)
		return 0;
	delta = be16(deltas + 2 * lo);
	range = be16(ranges + 2 * lo);
	if (range == 0)
		return (cp + delta) & 0xFFFF;
	at = (size_t)(ranges + 2 * lo - p) + range + 2 * (cp - start);
	if (at + 2 > font->cmap_len)
		return 0;
	if (be16(p + at) == 0)
		return 0;
	return (be16(p + at) + delta) & 0xFFFF;
}

static uint32_t
lookup12(const struct print_font *font, uint32_t cp)
{
	const unsigned char	*g = font->cmap + 16;
	size_t			 lo = 0, hi = be32(font->cmap + 12), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (be32(g + 12 * mid + 4) < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == be32(font->cmap + 12) || cp < be32(g + 12 * lo))
		return 0;
	return be32(g + 12 * lo + 8) + (cp - be32(g + 12 * lo));
}

/* Glyph 0 is .notdef: "has" means a real glyph. */
bool
print_font_has(const struct print_font *font, uint32_t cp)
{
	uint32_t	gid;

	gid = font->format == 12 ? lookup12(font, cp) : lookup4(font, cp);
	if (gid == 0)
		return false;
	return font->nglyphs == 0 || gid < font->nglyphs;
}

bool
print_has_glyph(struct print_doc *doc, enum print_face face, uint32_t cp)
{
	return print_font_has(doc->font[face], cp);
}

/* The HPDF font of a face, loading and embedding it on first use. */
HPDF_Font
print_hpdf_font(struct print_doc *doc, enum print_face face)
{
	struct print_font	*font = doc->font[face];
	const char		*name;

	if (doc->hfont[face] != NULL)
		return doc->hfont[face];
	if (doc->err.msgid != NULL)
		return NULL;
	if (font->ttc)
		name = HPDF_LoadTTFontFromFile2(doc->pdf, font->path, font->index, HPDF_TRUE);
	else
		name = HPDF_LoadTTFontFromFile(doc->pdf, font->path, HPDF_TRUE);
	if (name == NULL) {
		print_fail_hpdf(doc, "HPDF_LoadTTFontFromFile");
		return NULL;
	}
	doc->hfont[face] = HPDF_GetFont(doc->pdf, name, "UTF-8");
	if (doc->hfont[face] == NULL)
		print_fail_hpdf(doc, "HPDF_GetFont");
	return doc->hfont[face];
}

/*
 * Decode one UTF-8 character at s[i]; returns the index after it.  A bad
 * byte decodes as U+FFFD so it is reported as unprintable, not skipped.
 * The decoding itself is core's one (utf8_decode).
 */
size_t
print_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = i < len ? utf8_decode(s + i, len - i, cp) : 0, k;

	if (n > 0)
		return i + n;
	/* a sequence of the right shape but not UTF-8 (overlong, surrogate,
	 * past U+10FFFF) is one U+FFFD; any other bad byte is one on its own */
	*cp = 0xFFFD;
	n = p[i] >= 0xF0 && p[i] < 0xF8 ? 4 : p[i] >= 0xE0 && p[i] < 0xF0 ? 3 :
	    p[i] >= 0xC0 && p[i] < 0xE0 ? 2 : 1;
	for (k = 1; k < n; k++)
		if (i + k >= len || (p[i + k] & 0xC0) != 0x80)
			return i + 1;
	return i + n;
}

/* Which face draws cp: the chosen one, else the fallback; -1 if none. */
static int
face_for(struct print_doc *doc, enum print_face face, uint32_t cp)
{
	if (print_font_has(doc->font[face], cp))
		return (int)face;
	if (face != PRINT_FALLBACK && print_font_has(doc->font[PRINT_FALLBACK], cp))
		return PRINT_FALLBACK;
	return -1;
}

/*
 * Split text[0..len) into runs of one face each.  On an unprintable
 * character returns -1 with *bad set to it (first one) and no runs.
 * A space goes with the run it is in, so Latin phrases stay one run.
 */
int
print_split_runs(struct print_doc *doc, enum print_face face, const char *text,
    size_t len, struct print_run **runs, size_t *nruns, uint32_t *bad)
{
	struct print_run	*v = NULL, *nv;
	size_t			 n = 0, alloc = 0, i = 0, next;
	uint32_t		 cp;
	int			 f;

	*runs = NULL;
	*nruns = 0;
	while (i < len) {
		next = print_utf8_next(text, len, i, &cp);
		if ((f = face_for(doc, face, cp)) < 0) {
			if (bad != NULL)
				*bad = cp;
			free(v);
			return -1;
		}
		if (n > 0 && v[n - 1].face == (enum print_face)f) {
			v[n - 1].len = next - v[n - 1].start;
		} else {
			if ((nv = array_grow(v, &alloc, n + 1, sizeof *v)) == NULL) {
				free(v);
				return print_fail(doc, N_("out of memory"));
			}
			v = nv;
			v[n].start = i;
			v[n].len = next - i;
			v[n].face = (enum print_face)f;
			n++;
		}
		i = next;
	}
	*runs = v;
	*nruns = n;
	return 0;
}

/* 0 if every character of text can be drawn; else -1 and the first one in *bad. */
int
print_check_text(struct print_doc *doc, enum print_face face, const char *text, uint32_t *bad)
{
	size_t		i = 0, len = strlen(text);
	uint32_t	cp;

	while (i < len) {
		i = print_utf8_next(text, len, i, &cp);
		if (face_for(doc, face, cp) < 0) {
			*bad = cp;
			return -1;
		}
	}
	return 0;
}

static int
unprintable(struct print_doc *doc, uint32_t cp)
{
	doc->err.codepoint = cp;
	return print_fail(doc, N_("character U+%04X has no glyph in any installed font"),
	    (unsigned int)cp);
}

/* The advance of one character in 1/1000 em, as HPDF_Font_TextWidth gives
 * it, remembered per face for the BMP: libharu finds a glyph by scanning
 * the font's cmap, ~3,000 segments for a CJK face, on every call. */
#define WIDTH_UNKNOWN 0xFFFFu
static int
char_width(struct print_doc *doc, HPDF_Font font, enum print_face face, const char *s, size_t n, uint32_t cp,
    HPDF_UINT *w)
{
	uint16_t *c = doc->widths[face];
	HPDF_TextWidth tw;

	if (cp <= 0xFFFF && c == NULL) {
		if ((c = doc->widths[face] = malloc(0x10000 * sizeof *c)) == NULL)
			return print_fail(doc, N_("out of memory"));
		memset(c, 0xFF, 0x10000 * sizeof *c);
	}
	if (cp <= 0xFFFF && c[cp] != WIDTH_UNKNOWN) {
		*w = c[cp];
		return 0;
	}
	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)n);
	if (doc->err.msgid != NULL)
		return -1;
	*w = tw.width;
	if (cp <= 0xFFFF && tw.width < WIDTH_UNKNOWN)
		c[cp] = (uint16_t)tw.width;
	return 0;
}

static int
run_width(struct print_doc *doc, const struct print_run *r, const char *text,
    float size, float *w)
{
	HPDF_Font	font;
	HPDF_UINT	sum = 0, cw = 0;
	size_t		i, next, end = r->start + r->len;
	uint32_t	cp;

	if ((font = print_hpdf_font(doc, r->face)) == NULL)
		return -1;
	if (r->len > 0xFFFFFFFFu)
		return print_fail(doc, N_("text too long"));
	/* the sum of the characters' widths: what HPDF_Font_TextWidth adds up
	 * (no kerning, no character or word spacing on a CID font) */
	for (i = r->start; i < end; i = next) {
		next = print_utf8_next(text, end, i, &cp);
		if (char_width(doc, font, r->face, text + i, next - i, cp, &cw) != 0)
			return -1;
		sum += cw;
	}
	*w = (float)sum * size / 1000.0f;
	return 0;
}

/* Width in points of text[0..len) at size, each run measured with its own face. */
int
print_text_width(struct print_doc *doc, enum print_face face, float size,
    const char *text, size_t len, float *width)
{
	struct print_run	*runs;
	size_t			 n, i;
	uint32_t		 bad = 0;
	float			 w, total = 0;

	*width = 0;
	if (len == 0)
		return 0;
	if (print_split_runs(doc, face, text, len, &runs, &n, &bad) != 0)
		return doc->err.msgid != NULL ? -1 : unprintable(doc, bad);
	for (i = 0; i < n; i++) {
		if (run_width(doc, &runs[i], text, size, &w) != 0) {
			free(runs);
			return -1;
		}
		total += w;
	}
	free(runs);
	*width = total;
	return 0;
}

/* Draw text[0..len) with its baseline at (x, y), run by run. */
int
print_text_at(struct print_doc *doc, enum print_face face, float size,
    float x, float y, const char *text, size_t len)
{
	HPDF_Page		 page = print_page(doc);
	struct print_run	*runs;
	size_t			 n, i;
	uint32_t		 bad = 0;
	float			 w;
	char			*s;
	int			 rc = -1;

	if (doc->err.msgid != NULL)
		return -1;
	if (len == 0)
		return 0;
	if (page == NULL)
		return print_fail(doc, N_("drawing before the first page"));
	if (print_split_runs(doc, face, text, len, &runs, &n, &bad) != 0)
		return doc->err.msgid != NULL ? -1 : unprintable(doc, bad);
	if (HPDF_Page_BeginText(page) != HPDF_OK) {
		free(runs);
		return print_fail_hpdf(doc, "HPDF_Page_BeginText");
	}
	for (i = 0; i < n; i++) {
		HPDF_Font	font = print_hpdf_font(doc, runs[i].face);

		if (font == NULL)
			goto out;
		if (run_width(doc, &runs[i], text, size, &w) != 0)
			goto out;
		/* ShowText wants a NUL-terminated string. */
		if ((s = strndup(text + runs[i].start, runs[i].len)) == NULL) {
			print_fail(doc, N_("out of memory"));
			goto out;
		}
		if (HPDF_Page_SetFontAndSize(page, font, size) != HPDF_OK ||
		    HPDF_Page_TextOut(page, x, y, s) != HPDF_OK) {
			free(s);
			print_fail_hpdf(doc, "HPDF_Page_TextOut");
			goto out;
		}
		free(s);
		x += w;
	}
	rc = 0;
out:
	if (HPDF_Page_EndText(page) != HPDF_OK && rc == 0)
		rc = print_fail_hpdf(doc, "HPDF_Page_EndText");
	free(runs);
	return rc;
}
