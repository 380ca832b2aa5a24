/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * text.c — text on a document's pages: each character drawn by the first
 * face that has it (the chosen face, then uming; font.c reads which
 * characters a face file has), a character no face has reported, never
 * drawn as a silent blank; widths asked of libharu once per character.
 * The HPDF fonts are loaded only when a run needs them: each embedded
 * face costs ~100 KB of PDF.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "print/print-int.h"
#include "core/base.h"

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
