/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * print.h — a small layout layer over libharu for A4 Chinese official
 * forms (SPEC section 8): a document with GB/T 9704 margins, embedded
 * Song/Kai faces with a per-run fallback for rare name characters,
 * Chinese line breaking, ruled tables that continue over pages, footers
 * with "第 x 页 共 y 页", the township seal, QR codes and verification
 * codes.  The forms themselves (print/form-*.c) build on this.  The
 * document is opaque here: libharu's types stay in print-int.h, inside
 * print/.
 *
 * Errors: functions return 0 on success and -1 on failure; the document
 * keeps the first failure in its struct print_error (an English msgid
 * marked N_ plus a formatted English text) for the caller to show.
 * Nothing here exits.  Lengths are in PDF points unless named _mm.
 */
#ifndef DIBAO_PRINT_H
#define DIBAO_PRINT_H

#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef N_
#define N_(s) (s)	/* marks a msgid for xgettext; translated at the edge */
#endif

#define PRINT_MM(mm) ((float)(mm) * 72.0f / 25.4f)

/* A4 and GB/T 9704-like margins. */
#define PRINT_PAGE_W_MM		210.0f
#define PRINT_PAGE_H_MM		297.0f
#define PRINT_MARGIN_TOP_MM	37.0f
#define PRINT_MARGIN_BOTTOM_MM	35.0f
#define PRINT_MARGIN_LEFT_MM	28.0f
#define PRINT_MARGIN_RIGHT_MM	26.0f

#define PRINT_LINE_PITCH	1.6f	/* line pitch in em: fonts' ascents differ */
#define PRINT_MAX_PAGES		20000	/* a batch of forms in one document */
#define PRINT_MAX_COLS		16

enum print_face {
	PRINT_SONG = 0,		/* body text, tables, titles */
	PRINT_KAI,		/* hand-written looking parts */
	PRINT_FALLBACK,		/* uming.ttc 0, only for characters the others lack */
	PRINT_NFACES
};

struct print_error {
	const char	*msgid;		/* English msgid (N_), NULL when no error */
	unsigned long	 status;	/* libharu error code, 0 if not from libharu */
	unsigned long	 detail;	/* libharu detail code */
	uint32_t	 codepoint;	/* the unprintable character, if that was it */
	char		 text[512];	/* msgid with its arguments filled in */
};

/* Optional font files (tests point them elsewhere; index 0 of a .ttc);
 * NULL = found through fontconfig (font-find.c). */
struct print_options {
	const char	*font_song;
	const char	*font_kai;
	const char	*font_fallback;
};

/* A document being laid out (pdf.c; its fields in print-int.h, libharu's
 * types with them: nothing above print/ compiles against libharu). */
struct print_doc;

/* One wrapped line: a byte range of the source text. */
struct print_line {
	size_t	start;
	size_t	len;
	float	width;
};

struct print_lines {
	struct print_line	*v;
	size_t			 n;
	size_t			 alloc;
};

/* A run of text drawn with one font. */
struct print_run {
	size_t		 start;
	size_t		 len;
	enum print_face	 face;
};

struct print_table {
	int			 ncols;
	float			 width_mm[PRINT_MAX_COLS];	/* column widths */
	const char		*header[PRINT_MAX_COLS];
	float			 size;		/* font size, points */
	float			 pad_mm;	/* cell padding */
};

/* pdf.c */
struct print_doc *print_doc_new(const struct print_options *, struct print_error *);
void	 print_doc_free(struct print_doc *);
const struct print_error *print_doc_error(const struct print_doc *);
int	 print_fail(struct print_doc *, const char *msgid, ...)
	     __attribute__((format(printf, 2, 3)));
int	 print_page_new(struct print_doc *);
int	 print_page_count(const struct print_doc *);
void	 print_set_landscape(bool on);	/* A4 landscape pages from the next one (issue 13) */
float	 print_page_width(void);
float	 print_page_height(void);
float	 print_left(void);
float	 print_right(void);
float	 print_top(void);
float	 print_bottom(void);
float	 print_cursor(const struct print_doc *);
void	 print_set_cursor(struct print_doc *, float y);
int	 print_need(struct print_doc *, float height);
void	 print_set_footer(struct print_doc *, const char *township,
	     const char *operator_name, const char *when);
/* save.c: the footers drawn, the PDF written whole or not at all */
int	 print_doc_save(struct print_doc *, const char *path);
/* pdf-spool.c (issue 13): the pages from the next one keep their contents
 * in an unlinked temporary file, not in memory, and the PDF is written
 * straight to its file: for documents of thousands of pages */
int	 print_doc_spool(struct print_doc *);
void	 print_set_footer_code(struct print_doc *, const char *code);
/* Start a new form in a batch: the pages from the next one on are numbered
 * anew and carry this code. */
int	 print_section_begin(struct print_doc *, const char *code);

/* font.c */
size_t	 print_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp);
/* font-find.c: the face's file and .ttc index, through fontconfig (found
 * once per process); a missing face names its Debian package */
int	 print_font_find(enum print_face, const char **path, int *index,
	     struct print_error *);
const char *print_font_package(enum print_face);
/* text.c: text on a document's pages, each character by a face that has it */
bool	 print_has_glyph(struct print_doc *, enum print_face, uint32_t cp);
int	 print_split_runs(struct print_doc *, enum print_face, const char *text,
	     size_t len, struct print_run **runs, size_t *nruns, uint32_t *bad);
int	 print_check_text(struct print_doc *, enum print_face, const char *text,
	     uint32_t *bad);
int	 print_text_width(struct print_doc *, enum print_face, float size,
	     const char *text, size_t len, float *width);
int	 print_text_at(struct print_doc *, enum print_face, float size,
	     float x, float y, const char *text, size_t len);

/* layout.c */
int	 print_wrap(struct print_doc *, enum print_face, float size,
	     const char *text, float width, struct print_lines *);
void	 print_lines_free(struct print_lines *);
bool	 print_no_line_start(uint32_t cp);
bool	 print_no_line_end(uint32_t cp);
int	 print_form_number(struct print_doc *, const char *number);
int	 print_title(struct print_doc *, enum print_face, const char *title);
int	 print_paragraph(struct print_doc *, enum print_face, float size,
	     float indent_em, const char *text);
int	 print_skip(struct print_doc *, float points);
int	 print_table_header(struct print_doc *, const struct print_table *);
int	 print_table_row(struct print_doc *, const struct print_table *,
	     const char *const *cells);
int	 print_sign_line(struct print_doc *, float size, const char *role,
	     float *date_x, float *date_y);
int	 print_draw_footers(struct print_doc *);
int	 print_sign_line_filled(struct print_doc *, float size, const char *role,
	     const char *name, const char *date, float *date_x, float *date_y);

/* seal.c */
int	 print_seal(struct print_doc *, float cx, float cy, const char *text,
	     const char *second_line);
int	 print_copy_mark(struct print_doc *, const char *mark);

/* qr.c */
int	 print_qr(struct print_doc *, float x, float y, float size,
	     const char *data);
void	 print_verify_code(const uint8_t hash[32], char out[13]);

#endif
