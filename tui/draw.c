/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * draw.c — text output by display columns: UTF-8 decoded with mbrtowc
 * (U+FFFD for invalid bytes), measured with wcwidth, fitted to a column
 * budget without ever splitting a double-width character, and padded, so
 * that ncurses never wraps or half-overwrites a wide character.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"

#include "store/err.h"

int attrs[AT__N];

void
attrs_init(void)
{
	bool colour = has_colors() && getenv("NO_COLOR") == NULL;
	if (colour && start_color() == OK) {
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_RED, -1);
		init_pair(4, COLOR_YELLOW, -1);
		attrs[AT_TITLE] = COLOR_PAIR(1) | A_BOLD;
		attrs[AT_SEL] = COLOR_PAIR(2);
		attrs[AT_ERR] = COLOR_PAIR(3) | A_BOLD;
		attrs[AT_BARKEY] = A_BOLD;
		attrs[AT_BARLBL] = COLOR_PAIR(2);
		attrs[AT_LABEL] = A_NORMAL;
		attrs[AT_FIELD] = A_UNDERLINE;
		attrs[AT_FOCUS] = COLOR_PAIR(2);
		attrs[AT_TAB] = COLOR_PAIR(1) | A_BOLD;
	} else {
		attrs[AT_TITLE] = A_REVERSE;
		attrs[AT_SEL] = A_REVERSE;
		attrs[AT_ERR] = A_BOLD;
		attrs[AT_BARKEY] = A_BOLD;
		attrs[AT_BARLBL] = A_REVERSE;
		attrs[AT_LABEL] = A_NORMAL;
		attrs[AT_FIELD] = A_UNDERLINE;
		attrs[AT_FOCUS] = A_REVERSE;
		attrs[AT_TAB] = A_REVERSE | A_BOLD;
	}
}

int
wc_cols(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

size_t
utf8_to_wcs(const char *s, wchar_t *out, size_t max)
{
	mbstate_t ps;
	size_t n = 0, len = strlen(s);
	memset(&ps, 0, sizeof ps);
	while (len > 0 && n < max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, len, &ps);
		if (r == (size_t)-1 || r == (size_t)-2) {
			wc = 0xFFFD;
			r = 1;
			memset(&ps, 0, sizeof ps);
		} else if (r == 0) {
			break;
		}
		if (wcwidth(wc) < 0)
			wc = 0xFFFD; /* control characters never reach the terminal */
		out[n++] = wc;
		s += r;
		len -= r;
	}
	return n;
}

int
text_width(const char *s)
{
	wchar_t w[512];
	size_t n = utf8_to_wcs(s, w, 512);
	int cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += wc_cols(w[i]);
	return cols;
}

static int
put_fitted(int y, int x, int w, const wchar_t *s, size_t n, int attr, bool right)
{
	int cols = 0;
	size_t k = 0;
	while (k < n && cols + wc_cols(s[k]) <= w)
		cols += wc_cols(s[k++]);
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset((attr_t)attr);
	move(y, x);
	if (right)
		for (int i = cols; i < w; i++)
			addch(' ');
	if (k > 0)
		addnwstr(s, (int)k);
	if (!right)
		for (int i = cols; i < w; i++)
			addch(' ');
	attr_set(old, pair, NULL);
	return cols;
}

int
draw_text(int y, int x, int w, const char *s, int attr)
{
	wchar_t buf[1024];
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	size_t n = utf8_to_wcs(s ? s : "", buf, 1024);
	return put_fitted(y, x, w, buf, n, attr, false);
}

void
draw_text_right(int y, int x, int w, const char *s, int attr)
{
	wchar_t buf[256];
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	size_t n = utf8_to_wcs(s ? s : "", buf, 256);
	put_fitted(y, x, w, buf, n, attr, true);
}

void
draw_hline(int y, int x, int w, int attr)
{
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset((attr_t)attr);
	/* U+2500 rather than ACS_HLINE: the same on every UTF-8 terminal,
	 * whatever its terminfo says about line drawing */
	move(y, x);
	for (int i = 0; i < w && x + i < COLS; i++)
		addwstr(L"\u2500");
	attr_set(old, pair, NULL);
}

/* A heading on its own row: the title centred between rules */
void
draw_box_title(int y, const char *title)
{
	int tw = text_width(title) + 2;
	int x = (COLS - tw) / 2;
	draw_hline(y, 0, COLS, A_NORMAL);
	char b[512];
	snprintf(b, sizeof b, " %s ", title);
	draw_text(y, x < 0 ? 0 : x, tw, b, A_BOLD);
}

void
tab_widths(char *const *rows, int n, int *w, int ncols, int max)
{
	for (int c = 0; c < ncols; c++)
		w[c] = 0;
	for (int i = 0; i < n; i++) {
		const char *p = rows[i];
		for (int c = 0; c < ncols && p; c++) {
			const char *tab = strchr(p, '\t');
			char cell[512];
			size_t len = tab ? (size_t)(tab - p) : strlen(p);
			if (len >= sizeof cell)
				len = sizeof cell - 1;
			memcpy(cell, p, len);
			cell[len] = '\0';
			int cw = text_width(cell) + 2;
			if (cw > max)
				cw = max;
			/* a row's last cell takes the rest of the line (draw_tabbed):
			 * a sentence with no tab (a total under a list) must not
			 * widen a column */
			if (tab && cw > w[c])
				w[c] = cw;
			p = tab ? tab + 1 : NULL;
		}
	}
}

/* Draw s in w columns; when it does not fit, as much as fits whole
 * before an ellipsis (issue 15: never a cut character without a mark) */
int
draw_text_ellipsis(int y, int x, int w, const char *s, int attr)
{
	if (w <= 0)
		return 0;
	if (text_width(s) <= w)
		return draw_text(y, x, w, s, attr);
	wchar_t wc[1024];
	size_t n = utf8_to_wcs(s, wc, sizeof wc / sizeof wc[0] - 1);
	char out[4096];
	size_t used = 0;
	int cols = 0;
	mbstate_t ms;
	memset(&ms, 0, sizeof ms);
	for (size_t i = 0; i < n; i++) {
		int cw = wc_cols(wc[i]);
		char mb[8];
		if (cols + cw > w - wc_cols(L'…'))
			break;
		size_t k = wcrtomb(mb, wc[i], &ms);
		if (k == (size_t)-1 || used + k + 4 >= sizeof out)
			break;
		memcpy(out + used, mb, k);
		used += k;
		cols += cw;
	}
	memcpy(out + used, "…", strlen("…") + 1);
	return draw_text(y, x, w, out, attr);
}

/* The status line's message, whole (issue 15: a refusal's every reason,
 * not the first line cut at 80 columns): its lines ('\n') wrapped at w
 * columns, never a wide character split, drawn upwards from row bottom over
 * the view's last rows, at most max_rows (the last then ends in an
 * ellipsis).  Returns the rows drawn. */
int
draw_message(int bottom, int w, const char *s, int attr, int max_rows)
{
	static wchar_t wc[4096];
	static char para[16384];
	char rows[8][1024];
	int n = 0;
	bool more = false;
	mbstate_t ms;

	if (max_rows > 8)
		max_rows = 8;
	if (w <= 0 || max_rows <= 0)
		return 0;
	memset(&ms, 0, sizeof ms);
	/* paragraph by paragraph (utf8_to_wcs turns a '\n' into U+FFFD) */
	for (const char *p = s; n <= max_rows && !more;) {
		const char *nl = strchr(p, '\n');
		size_t plen = nl ? (size_t)(nl - p) : strlen(p);
		if (plen >= sizeof para)
			plen = sizeof para - 1;
		memcpy(para, p, plen);
		para[plen] = '\0';
		size_t len = utf8_to_wcs(para, wc, sizeof wc / sizeof wc[0] - 1), i = 0;
		do {
			/* one row: as many whole characters as fit in w columns */
			size_t used = 0;
			int cols = 0;
			if (n == max_rows) {
				more = true;
				break;
			}
			for (; i < len; i++) {
				int cw = wc_cols(wc[i]);
				char mb[8];
				if (cols + cw > w && cols > 0)
					break;
				size_t k = wcrtomb(mb, wc[i], &ms);
				if (k == (size_t)-1 || used + k + 4 >= sizeof rows[n])
					continue;
				memcpy(rows[n] + used, mb, k);
				used += k;
				cols += cw;
			}
			rows[n++][used] = '\0';
		} while (i < len);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (more) {
		/* more than fits: the last row says so */
		size_t l = strlen(rows[n - 1]);
		if (l + 4 < sizeof rows[n - 1])
			memcpy(rows[n - 1] + l, "…", sizeof "…");
	}
	for (int r = 0; r < n; r++)
		draw_text_ellipsis(bottom - n + 1 + r, 0, w, rows[r], attr);
	return n;
}

void
draw_tabbed(int y, int x, int width, const char *s, const int *w, int ncols, int attr)
{
	int end = x + width;
	for (int c = 0; x < end; c++) {
		const char *tab = strchr(s, '\t');
		char cell[1024];
		size_t len = tab ? (size_t)(tab - s) : strlen(s);
		if (len >= sizeof cell)
			len = sizeof cell - 1;
		memcpy(cell, s, len);
		cell[len] = '\0';
		int cw = tab && c < ncols && w[c] > 0 ? w[c] : end - x;
		if (cw > end - x)
			cw = end - x;
		/* a cell cut: an ellipsis says so, and a column's cell keeps a
		 * space before the next */
		if (tab && c < ncols && text_width(cell) > cw - 1 && cw > 2) {
			draw_text_ellipsis(y, x, cw - 1, cell, attr);
			draw_text(y, x + cw - 1, 1, "", attr);
		} else {
			draw_text_ellipsis(y, x, cw, cell, attr);
		}
		x += cw;
		if (!tab)
			break;
		s = tab + 1;
	}
	if (x < end)
		draw_text(y, x, end - x, "", attr);
}

/* A row of tab names on line y, the current one (and `also`, -1 none)
 * highlighted; names that do not fit are left off.  Returns the column
 * after the last one drawn. */
int
draw_tab_row(int y, const char *const *names, int n, int current, int also)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		char b[128];
		snprintf(b, sizeof b, " %s ", _(names[i]));
		int w = text_width(b);
		if (x + w > COLS)
			break;
		draw_text(y, x, w, b, i == current || i == also ? attrs[AT_TAB] : (int)A_NORMAL);
		x += w + 1;
	}
	return x;
}

int
hint_lines(const char *help, const char *why)
{
	if (why == NULL)
		return 1;
	return text_width(help) + 4 + text_width(why) <= COLS ? 1 : 2;
}

void
draw_hint(const char *help, const char *why, int attr)
{
	char m[600];
	if (why == NULL) {
		draw_text(LINES - 3, 0, COLS, help, attr);
		return;
	}
	if (hint_lines(help, why) == 1) {
		snprintf(m, sizeof m, "%s  — %s", help, why);
		draw_text(LINES - 3, 0, COLS, m, attr);
		return;
	}
	snprintf(m, sizeof m, "— %s", why);
	draw_text(LINES - 4, 0, COLS, m, attr);
	draw_text(LINES - 3, 0, COLS, help, attr);
}
