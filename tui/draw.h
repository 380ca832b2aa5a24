/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * draw.h — drawing text by display columns (draw.c): wide characters
 * never split, cut text ending in an ellipsis, tab-separated rows, the
 * hint line; and the screen's attributes (colour or monochrome).
 */
#ifndef DIBAO_TUI_DRAW_H
#define DIBAO_TUI_DRAW_H

#include <stddef.h>
#include <wchar.h>

/* ---- draw.c: text by display columns ------------------------------------ */

/* Display width of UTF-8 text (invalid bytes count as U+FFFD). */
int text_width(const char *s);
/* Draw s at (y, x) in exactly w columns: clipped without splitting a wide
 * character, padded with spaces.  Returns the columns used by text. */
int draw_text(int y, int x, int w, const char *s, int attr);
/* Draw s in w columns; cut, it ends in an ellipsis after whole
 * characters (issue 15 point 9) */
int draw_text_ellipsis(int y, int x, int w, const char *s, int attr);
/* A message wrapped over up to max_rows rows ending at row bottom: rows drawn */
int draw_message(int bottom, int w, const char *s, int attr, int max_rows);
/* Same, right-aligned. */
void draw_text_right(int y, int x, int w, const char *s, int attr);
/* Decode UTF-8 into wide characters (U+FFFD for invalid bytes). */
size_t utf8_to_wcs(const char *s, wchar_t *out, size_t max);
/* Width of one character as drawn (controls and unknowns count 1). */
int wc_cols(wchar_t c);
void draw_hline(int y, int x, int w, int attr);
int draw_tab_row(int y, const char *const *names, int n, int current, int also);
/* Rows of cells separated by tabs: each column as wide as its widest cell
 * plus two (at most max); draw_tabbed draws a row in those columns, the
 * last cell taking the rest of width. */
void tab_widths(char *const *rows, int n, int *w, int ncols, int max);
void draw_tabbed(int y, int x, int width, const char *s, const int *w, int ncols, int attr);
#define TAB_COLS 10
void draw_box_title(int y, const char *title);
/* The hint above the status line: what this screen's keys do and, when
 * the clerk's role may not use them, why (NULL: it may).  Both on one line
 * where they fit, else the reason on the line above: hint_lines says how
 * many lines that takes, so a list can stop short of it. */
int hint_lines(const char *help, const char *why);
void draw_hint(const char *help, const char *why, int attr);

/* attributes (colour or monochrome) */
enum { AT_TITLE, AT_SEL, AT_ERR, AT_BARKEY, AT_BARLBL, AT_LABEL, AT_FIELD, AT_FOCUS, AT_TAB, AT__N };
extern int attrs[AT__N];
void attrs_init(void);

#endif
