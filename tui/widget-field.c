/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * widget-field.c — a one-line text field for Chinese: the text is a
 * wchar_t array edited by character (get_wch brings one character at a
 * time), the cursor moves by character but is placed by display column,
 * and the field scrolls horizontally without ever showing half of a
 * double-width character at either edge.  A field of several rows wraps
 * its text instead (a paragraph) and scrolls by rows.
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"

void
field_init(struct field *f, int maxlen)
{
	memset(f, 0, sizeof *f);
	f->maxlen = maxlen > 0 && maxlen <= FIELD_MAX ? maxlen : FIELD_MAX;
}

void
field_set(struct field *f, const char *utf8)
{
	f->len = (int)utf8_to_wcs(utf8 ? utf8 : "", f->buf, (size_t)f->maxlen);
	f->buf[f->len] = 0;
	f->cur = f->len;
	f->scroll = 0;
}

int
field_get(const struct field *f, char *out, size_t size)
{
	mbstate_t ps;
	char mb[MB_LEN_MAX];
	size_t n = 0;
	memset(&ps, 0, sizeof ps);
	for (int i = 0; i < f->len; i++) {
		size_t r = wcrtomb(mb, f->buf[i], &ps);
		if (r == (size_t)-1)
			continue;
		if (n + r + 1 > size) {
			out[n] = '\0';
			return -1;
		}
		memcpy(out + n, mb, r);
		n += r;
	}
	out[n] = '\0';
	return (int)n;
}

bool
field_key(struct field *f, enum action_id a, wint_t ch)
{
	switch (a) {
	case K_LEFT:
		if (f->cur > 0)
			f->cur--;
		return false;
	case K_RIGHT:
		if (f->cur < f->len)
			f->cur++;
		return false;
	case K_HOME:
		f->cur = 0;
		return false;
	case K_END:
		f->cur = f->len;
		return false;
	case K_BACKSPACE:
		if (f->cur == 0)
			return false;
		f->cur--;
		/* FALLTHROUGH */
	case K_DELETE:
		if (f->cur >= f->len)
			return false;
		memmove(f->buf + f->cur, f->buf + f->cur + 1, (size_t)(f->len - f->cur) * sizeof f->buf[0]);
		f->len--;
		return true;
	case K_CHAR:
		if (f->len >= f->maxlen || wcwidth((wchar_t)ch) < 0)
			return false;
		if (f->digits && !((ch >= '0' && ch <= '9') || ch == 'X' || ch == 'x' || ch == '-'))
			return false;
		memmove(f->buf + f->cur + 1, f->buf + f->cur, (size_t)(f->len - f->cur + 1) * sizeof f->buf[0]);
		f->buf[f->cur++] = (wchar_t)ch;
		f->len++;
		return true;
	default:
		return false;
	}
}

static int
cell(const struct field *f, int i)
{
	return f->secret ? 1 : wc_cols(f->buf[i]);
}

int
field_draw(struct field *f, int y, int x, int w, bool focused)
{
	int attr = focused ? attrs[AT_FOCUS] : attrs[AT_FIELD];
	if (w <= 0)
		return -1;
	if (!focused)
		f->scroll = 0; /* a field not being edited shows its beginning */
	/* keep the cursor (and the cell it sits on) inside the window */
	if (f->cur < f->scroll)
		f->scroll = f->cur;
	for (; focused;) {
		int cols = 0;
		for (int i = f->scroll; i < f->cur; i++)
			cols += cell(f, i);
		cols += f->cur < f->len ? cell(f, f->cur) : 1;
		if (cols <= w || f->scroll >= f->cur)
			break;
		f->scroll++;
	}
	wchar_t out[FIELD_MAX + 1];
	int n = 0, cols = 0, curx = -1;
	/* issue 15: a field not being edited and longer than its window shows
	 * its beginning and an ellipsis, never a silent cut */
	int total = 0;
	for (int i = 0; !focused && i < f->len; i++)
		total += cell(f, i);
	int room = !focused && total > w ? w - wc_cols(L'…') : w;
	for (int i = f->scroll; i < f->len; i++) {
		int cw = cell(f, i);
		if (cols + cw > room)
			break; /* never half a wide character at the right edge */
		if (i == f->cur)
			curx = x + cols;
		out[n++] = f->secret ? L'*' : f->buf[i];
		cols += cw;
	}
	if (curx < 0)
		curx = x + cols;
	if (room < w && n < FIELD_MAX) {
		out[n++] = L'…';
		cols += wc_cols(L'…');
	}
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset((attr_t)attr);
	move(y, x);
	if (n > 0)
		addnwstr(out, n);
	for (int i = cols; i < w; i++)
		addch(' ');
	attr_set(old, pair, NULL);
	if (curx >= x + w)
		curx = x + w - 1;
	return focused ? curx : -1;
}

/* The row and column (relative) of character i when the text wraps at w
 * columns: a character that does not fit goes whole to the next row. */
static void
wrap_pos(const struct field *f, int i, int w, int *row, int *col)
{
	int r = 0, c = 0;
	for (int k = 0; k < i; k++) {
		int cw = cell(f, k);
		if (c + cw > w) {
			r++;
			c = 0;
		}
		c += cw;
	}
	/* the cursor after the last character of a full row starts the next */
	if (i < f->len ? c + cell(f, i) > w : c + 1 > w) {
		r++;
		c = 0;
	}
	*row = r;
	*col = c;
}

int
field_draw_rows(struct field *f, int y, int x, int w, bool focused, int *cy, int *cx)
{
	int attr = focused ? attrs[AT_FOCUS] : attrs[AT_FIELD];
	int rows = f->rows > 1 ? f->rows : 1;
	if (w <= 0)
		return -1;
	int crow, ccol;
	wrap_pos(f, f->cur, w, &crow, &ccol);
	/* f->scroll counts rows here */
	if (!focused)
		f->scroll = 0;
	if (crow < f->scroll)
		f->scroll = crow;
	if (crow >= f->scroll + rows)
		f->scroll = crow - rows + 1;
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset((attr_t)attr);
	for (int r = 0; r < rows; r++) {
		move(y + r, x);
		for (int i = 0; i < w; i++)
			addch(' ');
	}
	int r = 0, c = 0;
	for (int k = 0; k < f->len; k++) {
		int cw = cell(f, k);
		if (c + cw > w) {
			r++;
			c = 0;
		}
		if (r >= f->scroll + rows)
			break;
		if (r >= f->scroll) {
			wchar_t ch = f->secret ? L'*' : f->buf[k];
			mvaddnwstr(y + r - f->scroll, x + c, &ch, 1);
		}
		c += cw;
	}
	attr_set(old, pair, NULL);
	if (!focused)
		return -1;
	*cy = y + crow - f->scroll;
	*cx = x + (ccol < w ? ccol : w - 1);
	return 0;
}
