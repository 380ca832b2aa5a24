/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * print-int.h — the inside of print/: the document's fields and the
 * functions that hand out libharu's own types.  Only the files of print/
 * include this (and so hpdf.h); the front ends see the document through
 * print.h's functions.  tests/hpdf-contained.sh checks that no file
 * outside print/ includes hpdf.h or this header.
 *
 * The files read bottom-up: font.c (face files, no document) <- pdf.c
 * (the document, its pages and errors) <- text.c (text drawn with the
 * faces) <- layout.c (wrapping, tables, footers) <- save.c, seal.c, qr.c
 * <- the forms.
 */
#ifndef DIBAO_PRINT_INT_H
#define DIBAO_PRINT_INT_H

#include <hpdf.h>

#include "print/print.h"

struct print_font;	/* font.c: one face file and its parsed cmap */

/*
 * A document being laid out.  The layout cursor y is the top of the next
 * thing to draw on the current page; footers are drawn at save time
 * because "共 y 页" is known only then.
 */
struct print_doc {
	HPDF_Doc		 pdf;
	struct print_error	 err;
	struct print_font	*font[PRINT_NFACES];
	HPDF_Font		 hfont[PRINT_NFACES];	/* loaded on first use */
	HPDF_Page		*pages;		/* grown as pages are added */
	int			 npages, apages;
	/* a batch holds several forms: each a section with its own code and
	 * its own "第 x 页 共 y 页" (none: the whole document is one) */
	struct print_section {
		int	 first;		/* its first page */
		char	 code[32];
	}			*sections;
	int			 nsections, asections;
	HPDF_Page		 on;	/* draw here instead of the last page */
	float			 y;
	char			*township;
	char			*operator_name;
	char			*when;
	char			 code[32];	/* verification code under the footer, "" none */
	bool			 footers_drawn;
	/* each face's advance widths (1/1000 em) of the BMP as libharu gives
	 * them, asked once per character (issue 13: libharu looks a glyph up
	 * by scanning the font's cmap, the payment roster's main cost) */
	uint16_t		*widths[PRINT_NFACES];
	struct print_spool	*spool;	/* page contents on disk (print/pdf-spool.c) */
};

/* pdf-spool.c (issue 13): the spool of page contents behind print_doc_spool */
struct print_spool *print_spool_new(void);
void	 print_spool_free(struct print_spool *);
int	 print_spool_page(struct print_spool *, HPDF_Page);

/* font.c: a face file and which characters it has (no document) */
struct print_font {	/* text.c loads it into libharu by path and index */
	char		*path;
	unsigned int	 index;		/* in a .ttc */
	bool		 ttc;
	int		 format;	/* 4 or 12: the cmap subtable kept */
	unsigned char	*cmap;		/* that subtable */
	size_t		 cmap_len;
	size_t		 nglyphs;
};

struct print_font *print_font_open(const char *path, unsigned int ttc_index,
	     const char *package, struct print_error *);
void	 print_font_close(struct print_font *);
bool	 print_font_has(const struct print_font *, uint32_t cp);
size_t	 print_font_glyph_count(const struct print_font *);

/* pdf.c */
int	 print_fail_hpdf(struct print_doc *, const char *what);
int	 print_grestore(struct print_doc *, HPDF_Page, int rc);
HPDF_Doc print_doc_hpdf(struct print_doc *);
HPDF_Page print_page(struct print_doc *);
HPDF_Page print_page_at(struct print_doc *, int);

/* text.c */
HPDF_Font print_hpdf_font(struct print_doc *, enum print_face);

#endif
