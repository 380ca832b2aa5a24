/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * layout.c — putting text on A4 the way Chinese forms expect: a centred
 * title, the form number at the top right, paragraphs wrapped by width
 * with the line-breaking rules of Chinese typesetting (break between
 * hanzi, never inside a Latin word or a number, never start a line with
 * closing punctuation nor end one with opening punctuation), a fixed
 * line pitch, ruled tables whose rows grow to fit and continue on a new
 * page under a repeated header, signature lines and page footers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/print-int.h"
#include "core/array.h"
#include "print/print.h"
#include "core/base.h"

#define TITLE_SIZE	22.0f	/* 二号, the GB/T 9704 title size */
#define FORMNO_SIZE	10.5f	/* 五号 */
#define FOOTER_SIZE	9.0f
#define RULE_WIDTH	0.6f

/* Characters that must not begin a line (行首禁则). */
bool
print_no_line_start(uint32_t cp)
{
	static const uint32_t	 v[] = {
		0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B,
		0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x3017, 0x201D, 0x2019, 0x2026,
		0x2014, 0xFF05, 0x00B7, 0x30FB, 0xFF0E, 0xFF3D, 0xFF5D, 0x3003, 0x2030,
		',', '.', ';', ':', '!', '?', ')', ']', '}', '%',
	};
	size_t			 i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (v[i] == cp)
			return true;
	}
	return false;
}

/* Characters that must not end a line (行尾禁则). */
bool
print_no_line_end(uint32_t cp)
{
	static const uint32_t	 v[] = {
		0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x3016, 0x201C,
		0x2018, 0xFF3B, 0xFF5B, '(', '[', '{',
	};
	size_t			 i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (v[i] == cp)
			return true;
	}
	return false;
}

static int
lines_add(struct print_doc *doc, struct print_lines *lines, size_t start,
    size_t len, float width)
{
	struct print_line	*nv;

	if ((nv = array_grow(lines->v, &lines->alloc, lines->n + 1, sizeof *nv)) == NULL)
		return print_fail(doc, N_("out of memory"));
	lines->v = nv;
	lines->v[lines->n].start = start;
	lines->v[lines->n].len = len;
	lines->v[lines->n].width = width;
	lines->n++;
	return 0;
}

void
print_lines_free(struct print_lines *lines)
{
	free(lines->v);
	lines->v = NULL;
	lines->n = lines->alloc = 0;
}

static bool
is_word_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7F;
}

/*
 * The next unbreakable cluster starting at text[i]: a Latin word or
 * number (a run of printable ASCII: "650.05", "ID:12"), one space, or one
 * other character; closing punctuation is glued to what precedes it and
 * opening punctuation to what follows.  Returns the end index.
 */
static size_t
cluster_end(const char *text, size_t len, size_t i)
{
	size_t		 j, k;
	uint32_t	 cp, last = 0;

	for (;;) {
		/* the base: a word, a space or one character */
		if (is_word_byte((unsigned char)text[i])) {
			j = i;
			while (j < len && is_word_byte((unsigned char)text[j]))
				j++;
			last = (unsigned char)text[j - 1];
		} else {
			j = print_utf8_next(text, len, i, &cp);
			last = cp;
			if (cp == ' ' || cp == '\n')
				return j;
		}
		/* an opening bracket must take the next unit along */
		if (print_no_line_end(last) && j < len && text[j] != '\n' && text[j] != ' ') {
			i = j;
			continue;
		}
		break;
	}
	/* closing punctuation hangs on */
	while (j < len) {
		k = print_utf8_next(text, len, j, &cp);
		if (!print_no_line_start(cp))
			break;
		j = k;
	}
	return j;
}

static int
wrap_ex(struct print_doc *doc, enum print_face face, float size,
    const char *text, float first_width, float width, struct print_lines *lines)
{
	size_t		len = strlen(text), i = 0, end, line_start = 0, line_end = 0;
	size_t		k, c;
	float		line_w = 0, cw, chw, avail = first_width, pending = 0;
	uint32_t	cp;
	bool		empty = true;

	lines->n = 0;
	while (i < len) {
		if (text[i] == '\n') {
			if (lines_add(doc, lines, line_start, line_end - line_start, line_w) != 0)
				return -1;
			i++;
			line_start = line_end = i;
			line_w = pending = 0;
			empty = true;
			avail = width;
			continue;
		}
		end = cluster_end(text, len, i);
		if (text[i] == ' ' && empty) {
			/* no leading spaces on a wrapped line */
			i = end;
			line_start = line_end = i;
			continue;
		}
		if (print_text_width(doc, face, size, text + i, end - i, &cw) != 0)
			return -1;
		if (text[i] == ' ') {
			/* a space counts only if a word follows it on this line */
			pending += cw;
			i = end;
			continue;
		}
		if (!empty && line_w + pending + cw > avail) {
			if (lines_add(doc, lines, line_start, line_end - line_start, line_w) != 0)
				return -1;
			avail = width;
			line_w = pending = 0;
			empty = true;
			line_start = line_end = i;
		}
		if (empty && cw > avail) {
			/* Wider than a whole line (a long code): only now split it. */
			for (k = i; k < end; k = c) {
				c = print_utf8_next(text, len, k, &cp);
				if (print_text_width(doc, face, size, text + k, c - k, &chw) != 0)
					return -1;
				if (!empty && line_w + chw > avail) {
					if (lines_add(doc, lines, line_start, k - line_start, line_w) != 0)
						return -1;
					avail = width;
					line_start = k;
					line_w = 0;
				}
				line_w += chw;
				empty = false;
			}
			line_end = i = end;
			continue;
		}
		line_w += pending + cw;
		pending = 0;
		line_end = i = end;
		empty = false;
	}
	if (!empty || lines->n == 0)
		return lines_add(doc, lines, line_start, line_end - line_start, line_w);
	return 0;
}

/* Wrap text to width points; lines refer to byte ranges of text. */
int
print_wrap(struct print_doc *doc, enum print_face face, float size,
    const char *text, float width, struct print_lines *lines)
{
	if (doc->err.msgid != NULL)
		return -1;
	return wrap_ex(doc, face, size, text, width, width, lines);
}

static int
ensure_page(struct print_doc *doc)
{
	return doc->npages == 0 ? print_page_new(doc) : 0;
}

/* Baseline of a line whose box of one pitch starts at top. */
static float
baseline(float top, float size)
{
	return top - (PRINT_LINE_PITCH * size - size) / 2.0f - size * 0.86f;
}

/* The form number, right-aligned in the top margin of the current page. */
int
print_form_number(struct print_doc *doc, const char *number)
{
	float	w;

	if (ensure_page(doc) != 0 ||
	    print_text_width(doc, PRINT_SONG, FORMNO_SIZE, number, strlen(number), &w) != 0)
		return -1;
	return print_text_at(doc, PRINT_SONG, FORMNO_SIZE, print_right() - w,
	    print_top() + PRINT_MM(6), number, strlen(number));
}

/* The title, centred, wrapped if long, with room below it. */
int
print_title(struct print_doc *doc, enum print_face face, const char *title)
{
	struct print_lines	 lines = { 0 };
	float			 pitch = TITLE_SIZE * 1.4f, x;
	size_t			 i;
	int			 rc = -1;

	if (ensure_page(doc) != 0 ||
	    print_wrap(doc, face, TITLE_SIZE, title, print_right() - print_left(), &lines) != 0)
		goto out;
	for (i = 0; i < lines.n; i++) {
		if (print_need(doc, pitch) != 0)
			goto out;
		x = (print_left() + print_right() - lines.v[i].width) / 2.0f;
		if (print_text_at(doc, face, TITLE_SIZE, x, doc->y - TITLE_SIZE,
		    title + lines.v[i].start, lines.v[i].len) != 0)
			goto out;
		doc->y -= pitch;
	}
	doc->y -= TITLE_SIZE * 0.6f;
	rc = 0;
out:
	print_lines_free(&lines);
	return rc;
}

/* A paragraph, first line indented by indent_em, continuing over pages. */
int
print_paragraph(struct print_doc *doc, enum print_face face, float size,
    float indent_em, const char *text)
{
	struct print_lines	 lines = { 0 };
	float			 width = print_right() - print_left(), pitch = PRINT_LINE_PITCH * size;
	float			 indent = indent_em * size;
	size_t			 i;
	int			 rc = -1;

	if (ensure_page(doc) != 0 ||
	    wrap_ex(doc, face, size, text, width - indent, width, &lines) != 0)
		goto out;
	for (i = 0; i < lines.n; i++) {
		if (print_need(doc, pitch) != 0)
			goto out;
		if (print_text_at(doc, face, size, print_left() + (i == 0 ? indent : 0),
		    baseline(doc->y, size), text + lines.v[i].start, lines.v[i].len) != 0)
			goto out;
		doc->y -= pitch;
	}
	rc = 0;
out:
	print_lines_free(&lines);
	return rc;
}

int
print_skip(struct print_doc *doc, float points)
{
	if (ensure_page(doc) != 0)
		return -1;
	if (doc->y - points < print_bottom())
		return print_page_new(doc);
	doc->y -= points;
	return 0;
}

static float
table_width(const struct print_table *t)
{
	float	w = 0;
	int	i;

	for (i = 0; i < t->ncols; i++)
		w += PRINT_MM(t->width_mm[i]);
	return w;
}

/*
 * One row: wrap every cell, grow the row to the tallest, and move to a
 * new page (repeating the header) if it does not fit.  A row taller than
 * a whole page is an error rather than text running off the paper.
 */
static int
table_row(struct print_doc *doc, const struct print_table *t,
    const char *const *cells, bool header)
{
	struct print_lines	 lines[PRINT_MAX_COLS];
	HPDF_Page		 page;
	float			 pad = PRINT_MM(t->pad_mm), pitch = PRINT_LINE_PITCH * t->size;
	float			 h, x, cw, tx;
	size_t			 maxl = 1, k;
	int			 i, rc = -1;

	memset(lines, 0, sizeof lines);
	if (t->ncols < 1 || t->ncols > PRINT_MAX_COLS)
		return print_fail(doc, N_("a table needs 1 to %d columns"), PRINT_MAX_COLS);
	if (ensure_page(doc) != 0)
		return -1;
	for (i = 0; i < t->ncols; i++) {
		const char	*s = cells[i] == NULL ? "" : cells[i];

		if (print_wrap(doc, PRINT_SONG, t->size, s,
		    PRINT_MM(t->width_mm[i]) - 2 * pad, &lines[i]) != 0)
			goto out;
		if (lines[i].n > maxl)
			maxl = lines[i].n;
	}
	h = (float)maxl * pitch + 2 * pad;
	if (h > print_top() - print_bottom()) {
		print_fail(doc, N_("a table row is taller than a page"));
		goto out;
	}
	if (doc->y - h < print_bottom()) {
		if (header) {
			if (print_page_new(doc) != 0)
				goto out;
		} else if (print_page_new(doc) != 0 || print_table_header(doc, t) != 0)
			goto out;
	}
	page = print_page(doc);
	x = print_left() + (print_right() - print_left() - table_width(t)) / 2.0f;
	if (HPDF_Page_SetLineWidth(page, RULE_WIDTH) != HPDF_OK ||
	    HPDF_Page_SetRGBStroke(page, 0, 0, 0) != HPDF_OK ||
	    HPDF_Page_SetRGBFill(page, 0, 0, 0) != HPDF_OK) {
		print_fail_hpdf(doc, "table rules");
		goto out;
	}
	for (i = 0; i < t->ncols; i++) {
		const char	*s = cells[i] == NULL ? "" : cells[i];

		cw = PRINT_MM(t->width_mm[i]);
		if (HPDF_Page_Rectangle(page, x, doc->y - h, cw, h) != HPDF_OK ||
		    HPDF_Page_Stroke(page) != HPDF_OK) {
			print_fail_hpdf(doc, "table cell");
			goto out;
		}
		for (k = 0; k < lines[i].n; k++) {
			tx = x + pad;
			if (header)	/* headers are centred, data starts at the left */
				tx = x + (cw - lines[i].v[k].width) / 2.0f;
			if (print_text_at(doc, PRINT_SONG, t->size, tx,
			    baseline(doc->y - pad - (float)k * pitch, t->size),
			    s + lines[i].v[k].start, lines[i].v[k].len) != 0)
				goto out;
		}
		x += cw;
	}
	doc->y -= h;
	rc = 0;
out:
	for (i = 0; i < t->ncols; i++)
		print_lines_free(&lines[i]);
	return rc;
}

int
print_table_header(struct print_doc *doc, const struct print_table *t)
{
	return table_row(doc, t, t->header, true);
}

int
print_table_row(struct print_doc *doc, const struct print_table *t,
    const char *const *cells)
{
	return table_row(doc, t, cells, false);
}

/* The blank date of a signature line; its width fixes the date column. */
static const char sign_date[] = "日期：______年____月____日";

/*
 * One signature line: left (the role and a name or blank) at the left
 * margin, right (the date or blank) in the date column, which keeps room
 * for a 42 mm seal centred on the date inside the margins.  Returns where
 * the date sits so a seal can be stamped over it.
 */
static int
sign_line(struct print_doc *doc, float size, const char *left, const char *right,
    float *date_x, float *date_y)
{
	float	 pitch = PRINT_LINE_PITCH * size * 1.5f, wd, wmax, x, y;

	if (print_need(doc, pitch) != 0 ||
	    print_text_width(doc, PRINT_SONG, size, right, strlen(right), &wd) != 0 ||
	    print_text_width(doc, PRINT_SONG, size, sign_date, strlen(sign_date), &wmax) != 0)
		return -1;
	y = baseline(doc->y - (pitch - PRINT_LINE_PITCH * size) / 2, size);
	x = print_right() - wmax - PRINT_MM(8);
	if (print_text_at(doc, PRINT_SONG, size, print_left() + 2 * size, y, left, strlen(left)) != 0 ||
	    print_text_at(doc, PRINT_SONG, size, x, y, right, strlen(right)) != 0)
		return -1;
	if (date_x != NULL)
		*date_x = x + wd / 2.0f;
	if (date_y != NULL)
		*date_y = y + size * 0.35f;
	doc->y -= pitch;
	return 0;
}

/*
 * "经办人：____________    日期：______年____月____日" on one line.
 * Returns where the date sits so a seal can be stamped over it.
 */
int
print_sign_line(struct print_doc *doc, float size, const char *role,
    float *date_x, float *date_y)
{
	char	 buf[256];

	if (strlen(role) > sizeof buf - 32)
		return print_fail(doc, N_("signature label too long"));
	snprintf(buf, sizeof buf, "%s：____________", role);
	return sign_line(doc, size, buf, sign_date, date_x, date_y);
}

/*
 * A signature line with what the record already knows: the person's name
 * and the date ("审核人：李四    日期：2026年03月16日"); blanks stay ruled
 * for a hand to fill.  Returns where the date sits, for the seal.
 */
int
print_sign_line_filled(struct print_doc *doc, float size, const char *role,
    const char *name, const char *date, float *date_x, float *date_y)
{
	char	 left[256], right[128];

	if (strlen(role) + strlen(name) > sizeof left - 32 || strlen(date) > sizeof right - 32)
		return print_fail(doc, N_("signature label too long"));
	snprintf(left, sizeof left, "%.120s：%.120s", role, name[0] ? name : "____________");
	snprintf(right, sizeof right, "日期：%.80s", date[0] ? date : "______年____月____日");
	return sign_line(doc, size, left, right, date_x, date_y);
}

/* Footer of every page; called at save time when the page count is known. */
int
print_draw_footers(struct print_doc *doc)
{
	char		 num[64], who[512];
	float		 y = print_bottom() - PRINT_MM(12), w;
	HPDF_Page	 page;
	int		 i;

	who[0] = '\0';
	if (doc->operator_name != NULL && doc->operator_name[0] != '\0')
		snprintf(who, sizeof who, "打印：%s  %s", doc->operator_name, doc->when);
	int sec = -1;
	for (i = 0; i < doc->npages; i++) {
		/* the section (form of a batch) this page belongs to */
		while (sec + 1 < doc->nsections && doc->sections[sec + 1].first <= i)
			sec++;
		int first = sec >= 0 ? doc->sections[sec].first : 0;
		int last = sec >= 0 && sec + 1 < doc->nsections ? doc->sections[sec + 1].first : doc->npages;
		const char *code = sec >= 0 ? doc->sections[sec].code : doc->code;
		page = doc->pages[i];
		doc->on = page;	/* print_text_at draws here, not on the last page */
		snprintf(num, sizeof num, "第 %d 页 共 %d 页", i - first + 1, last - first);
		if (HPDF_Page_SetLineWidth(page, 0.4f) != HPDF_OK ||
		    HPDF_Page_SetRGBStroke(page, 0, 0, 0) != HPDF_OK ||
		    HPDF_Page_MoveTo(page, print_left(), y + FOOTER_SIZE * 1.5f) != HPDF_OK ||
		    HPDF_Page_LineTo(page, print_right(), y + FOOTER_SIZE * 1.5f) != HPDF_OK ||
		    HPDF_Page_Stroke(page) != HPDF_OK)
			return print_fail_hpdf(doc, "footer rule");
		if (doc->township != NULL && print_text_at(doc, PRINT_SONG, FOOTER_SIZE,
		    print_left(), y, doc->township, strlen(doc->township)) != 0)
			return -1;
		if (who[0] != '\0') {
			if (print_text_width(doc, PRINT_SONG, FOOTER_SIZE, who, strlen(who), &w) != 0 ||
			    print_text_at(doc, PRINT_SONG, FOOTER_SIZE,
			    (print_left() + print_right() - w) / 2.0f, y, who, strlen(who)) != 0)
				return -1;
		}
		if (print_text_width(doc, PRINT_SONG, FOOTER_SIZE, num, strlen(num), &w) != 0 ||
		    print_text_at(doc, PRINT_SONG, FOOTER_SIZE, print_right() - w, y,
		    num, strlen(num)) != 0)
			return -1;
		if (code[0] != '\0') {
			char	 line[160];

			/* the code and the QR: no command for a clerk to type */
			snprintf(line, sizeof line, "核验码：%s", code);
			if (print_text_at(doc, PRINT_SONG, FOOTER_SIZE, print_left(),
			    y - FOOTER_SIZE * 1.6f, line, strlen(line)) != 0)
				return -1;
		}
	}
	doc->on = NULL;
	return 0;
}
