/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seal.c — the township seal drawn in red vectors, the way a round
 * official seal looks: a stroked 42 mm circle, a filled five-pointed star,
 * the seal text glyph by glyph along the upper arc and an optional line
 * under the star.  It is drawn with a multiply blend and alpha so the
 * date or name it is stamped over stays readable.  Also the boxed red
 * "副本" / "补打" mark for copies and reprints.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "print/print-int.h"
#include "core/base.h"

#define SEAL_DIAMETER_MM	42.0f
#define SEAL_BORDER_MM		1.2f
#define SEAL_ARC_DEG		250.0f
#define SEAL_SQUEEZE		0.8f	/* keeps neighbouring glyphs apart on the arc */
#define SEAL_RED_R		0.85f
#define SEAL_RED_G		0.05f
#define SEAL_RED_B		0.05f
#define SEAL_ALPHA		0.85f

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Multiply blend + alpha: the ink under the seal shows through. */
static int
seal_gstate(struct print_doc *doc, HPDF_Page page)
{
	HPDF_ExtGState	gs;

	if ((gs = HPDF_CreateExtGState(doc->pdf)) == NULL)
		return print_fail_hpdf(doc, "HPDF_CreateExtGState");
	if (HPDF_ExtGState_SetBlendMode(gs, HPDF_BM_MULTIPLY) != HPDF_OK ||
	    HPDF_ExtGState_SetAlphaFill(gs, SEAL_ALPHA) != HPDF_OK ||
	    HPDF_ExtGState_SetAlphaStroke(gs, SEAL_ALPHA) != HPDF_OK ||
	    HPDF_Page_SetExtGState(page, gs) != HPDF_OK ||
	    HPDF_Page_SetRGBFill(page, SEAL_RED_R, SEAL_RED_G, SEAL_RED_B) != HPDF_OK ||
	    HPDF_Page_SetRGBStroke(page, SEAL_RED_R, SEAL_RED_G, SEAL_RED_B) != HPDF_OK)
		return print_fail_hpdf(doc, "seal graphics state");
	return 0;
}

static int
star(struct print_doc *doc, HPDF_Page page, float cx, float cy, float r)
{
	float	a, rr;
	int	i;

	for (i = 0; i < 10; i++) {
		a = (float)(M_PI / 2 + i * M_PI / 5);
		rr = i % 2 == 0 ? r : r * 0.382f;
		if ((i == 0 ? HPDF_Page_MoveTo(page, cx + rr * cosf(a), cy + rr * sinf(a)) :
		    HPDF_Page_LineTo(page, cx + rr * cosf(a), cy + rr * sinf(a))) != HPDF_OK)
			return print_fail_hpdf(doc, "seal star");
	}
	if (HPDF_Page_ClosePath(page) != HPDF_OK || HPDF_Page_Fill(page) != HPDF_OK)
		return print_fail_hpdf(doc, "seal star");
	return 0;
}

/* One UTF-8 character at angle th (radians) on radius r, glyph upright outwards. */
static int
arc_glyph(struct print_doc *doc, HPDF_Page page, HPDF_Font font, float size,
    float cx, float cy, float r, float th, const char *ch)
{
	HPDF_TextWidth	tw;
	float		c = sinf(th), s = -cosf(th), w, x, y;

	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)ch, (HPDF_UINT)strlen(ch));
	if (doc->err.msgid != NULL)
		return -1;
	w = (float)tw.width * size / 1000.0f * SEAL_SQUEEZE;
	/* baseline point on the radius, moved back half a glyph along the tangent */
	x = cx + r * cosf(th) - c * w / 2.0f;
	y = cy + r * sinf(th) - s * w / 2.0f;
	if (HPDF_Page_SetTextMatrix(page, c * SEAL_SQUEEZE, s * SEAL_SQUEEZE, -s, c, x, y) != HPDF_OK ||
	    HPDF_Page_ShowText(page, ch) != HPDF_OK)
		return print_fail_hpdf(doc, "seal text");
	return 0;
}

/*
 * Stamp the seal centred at (cx, cy) on the current page.  Every seal
 * character must exist in the Song face (seals are set in one face, not
 * patched with a fallback).
 */
int
print_seal(struct print_doc *doc, float cx, float cy, const char *text,
    const char *second_line)
{
	HPDF_Page	 page = print_page(doc);
	HPDF_Font	 font;
	float		 R = PRINT_MM(SEAL_DIAMETER_MM / 2), size, r_text, step, th, start, w;
	size_t		 len = strlen(text), i, next, n = 0;
	uint32_t	 cp;
	char		 ch[8];
	int		 rc = -1;

	if (doc->err.msgid != NULL)
		return -1;
	if (page == NULL)
		return print_fail(doc, N_("drawing before the first page"));
	for (i = 0; i < len; i = next, n++) {
		next = print_utf8_next(text, len, i, &cp);
		if (!print_has_glyph(doc, PRINT_SONG, cp)) {
			doc->err.codepoint = cp;
			return print_fail(doc, N_("seal character U+%04X is not in the Song font"),
			    (unsigned int)cp);
		}
	}
	if (n == 0 || n > 24)
		return print_fail(doc, N_("seal text must have 1 to 24 characters"));
	if ((font = print_hpdf_font(doc, PRINT_SONG)) == NULL)
		return -1;

	if (HPDF_Page_GSave(page) != HPDF_OK)
		return print_fail_hpdf(doc, "HPDF_Page_GSave");
	if (seal_gstate(doc, page) != 0)
		goto out;
	if (HPDF_Page_SetLineWidth(page, PRINT_MM(SEAL_BORDER_MM)) != HPDF_OK ||
	    HPDF_Page_Circle(page, cx, cy, R - PRINT_MM(SEAL_BORDER_MM) / 2) != HPDF_OK ||
	    HPDF_Page_Stroke(page) != HPDF_OK) {
		print_fail_hpdf(doc, "seal circle");
		goto out;
	}
	if (star(doc, page, cx, cy, R * 0.30f) != 0)
		goto out;

	/*
	 * Glyphs as large as the band allows (0.3 R, like a real seal) but
	 * small enough that n squeezed glyphs still leave gaps on the arc.
	 */
	size = R * 0.30f;
	if (n > 1 && size * SEAL_SQUEEZE > R * 0.62f * (float)(SEAL_ARC_DEG * M_PI / 180.0) / (float)(n - 1) * 0.85f)
		size = R * 0.62f * (float)(SEAL_ARC_DEG * M_PI / 180.0) / (float)(n - 1) * 0.85f / SEAL_SQUEEZE;
	r_text = R - PRINT_MM(SEAL_BORDER_MM) - PRINT_MM(1.2f) - size * 0.88f;
	step = n > 1 ? (float)(SEAL_ARC_DEG * M_PI / 180.0) / (float)(n - 1) : 0;
	start = (float)(M_PI / 2 + (n > 1 ? SEAL_ARC_DEG * M_PI / 360.0 : 0));
	if (HPDF_Page_BeginText(page) != HPDF_OK) {
		print_fail_hpdf(doc, "HPDF_Page_BeginText");
		goto out;
	}
	if (HPDF_Page_SetFontAndSize(page, font, size) != HPDF_OK) {
		print_fail_hpdf(doc, "HPDF_Page_SetFontAndSize");
		HPDF_Page_EndText(page);
		goto out;
	}
	for (i = 0, n = 0; i < len; i = next, n++) {
		next = print_utf8_next(text, len, i, &cp);
		memcpy(ch, text + i, next - i);
		ch[next - i] = '\0';
		th = start - (float)n * step;	/* clockwise from the left */
		if (arc_glyph(doc, page, font, size, cx, cy, r_text, th, ch) != 0) {
			HPDF_Page_EndText(page);
			goto out;
		}
	}
	if (HPDF_Page_EndText(page) != HPDF_OK) {
		print_fail_hpdf(doc, "HPDF_Page_EndText");
		goto out;
	}
	if (second_line != NULL && second_line[0] != '\0') {
		float	 sz = R * 0.17f;

		if (print_text_width(doc, PRINT_SONG, sz, second_line, strlen(second_line), &w) != 0 ||
		    print_text_at(doc, PRINT_SONG, sz, cx - w / 2.0f, cy - R * 0.62f,
		    second_line, strlen(second_line)) != 0)
			goto out;
	}
	rc = 0;
out:
	return print_grestore(doc, page, rc);
}

/* A boxed red mark ("副本", "补打") in the top margin, left side. */
int
print_copy_mark(struct print_doc *doc, const char *mark)
{
	HPDF_Page	page;
	float		size = 14.0f, w, x = print_left(), y = print_top() + PRINT_MM(6);
	float		pad = PRINT_MM(1.5f);
	int		rc = -1;

	if (doc->npages == 0 && print_page_new(doc) != 0)
		return -1;
	page = print_page(doc);
	if (print_text_width(doc, PRINT_SONG, size, mark, strlen(mark), &w) != 0)
		return -1;
	if (HPDF_Page_GSave(page) != HPDF_OK)
		return print_fail_hpdf(doc, "HPDF_Page_GSave");
	if (HPDF_Page_SetRGBFill(page, SEAL_RED_R, SEAL_RED_G, SEAL_RED_B) != HPDF_OK ||
	    HPDF_Page_SetRGBStroke(page, SEAL_RED_R, SEAL_RED_G, SEAL_RED_B) != HPDF_OK ||
	    HPDF_Page_SetLineWidth(page, 1.2f) != HPDF_OK ||
	    HPDF_Page_Rectangle(page, x, y - size * 0.25f - pad, w + 2 * pad,
	    size * 1.1f + 2 * pad) != HPDF_OK ||
	    HPDF_Page_Stroke(page) != HPDF_OK) {
		print_fail_hpdf(doc, "copy mark");
		goto out;
	}
	if (print_text_at(doc, PRINT_SONG, size, x + pad, y, mark, strlen(mark)) != 0)
		goto out;
	rc = 0;
out:
	return print_grestore(doc, page, rc);
}
