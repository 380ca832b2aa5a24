/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pdf.c — the life of a printed document: an HPDF_Doc whose errors come
 * back as return codes with a message (libharu's default handler would
 * print and carry on; we never exit), UTF-8 encodings, full compression,
 * A4 pages with GB/T 9704-like margins.  save.c draws the footers and
 * saves atomically (FILE.tmp, fsync, rename) so a power cut never leaves a
 * half-written form behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base.h"
#include "print/print-int.h"
#include "core/array.h"
#include "store/afile.h"
#include "print/print.h"

/* What the libharu codes we have met mean, so the clerk's message says more than a number. */
static const struct {
	unsigned long	 code;
	const char	*msgid;
} hpdf_codes[] = {
	{ 0x1015, N_("failed to allocate memory") },
	{ 0x1017, N_("cannot open a file (font missing or output not writable)") },
	{ 0x102B, N_("UTF-8 encoder used before it was enabled") },
	{ 0x1040, N_("bad font index in a font collection") },
	{ 0x1050, N_("font size out of range") },
	{ 0x1051, N_("text drawn outside a text object") },
	{ 0x1060, N_("unsupported font format") },
	{ 0x1076, N_("text does not fit the rectangle") },
};

static const char *
hpdf_code_msgid(unsigned long code)
{
	size_t	i;

	for (i = 0; i < sizeof hpdf_codes / sizeof hpdf_codes[0]; i++) {
		if (hpdf_codes[i].code == code)
			return hpdf_codes[i].msgid;
	}
	return N_("PDF library error");
}

/*
 * libharu calls this on every error.  We record the first one and let the
 * failing call return its status: every call is checked, so the error
 * travels up as -1 without longjmp (no volatile locals to get wrong).
 */
static void
hpdf_error(HPDF_STATUS status, HPDF_STATUS detail, void *arg)
{
	struct print_doc	*doc = arg;

	if (doc->err.msgid != NULL)
		return;
	doc->err.msgid = hpdf_code_msgid(status);
	doc->err.status = status;
	doc->err.detail = detail;
	snprintf(doc->err.text, sizeof doc->err.text, "%s (libharu 0x%04lX, detail %lu)",
	    doc->err.msgid, (unsigned long)status, (unsigned long)detail);
}

/* Record a failure of our own; keeps the first.  Always returns -1. */
int
print_fail(struct print_doc *doc, const char *msgid, ...)
{
	va_list	ap;

	if (doc->err.msgid != NULL)
		return -1;
	doc->err.msgid = msgid;
	va_start(ap, msgid);
	vsnprintf(doc->err.text, sizeof doc->err.text, msgid, ap);
	va_end(ap);
	return -1;
}

/* A libharu call returned failure; the handler normally said why already. */
int
print_fail_hpdf(struct print_doc *doc, const char *what)
{
	if (doc->err.msgid == NULL) {
		doc->err.status = HPDF_GetError(doc->pdf);
		return print_fail(doc, N_("PDF library call failed: %s"), what);
	}
	return -1;
}

/* The end of a drawing between HPDF_Page_GSave and HPDF_Page_GRestore:
 * the state restored in every case; rc, or the failure of the restore
 * when everything before it went well. */
int
print_grestore(struct print_doc *doc, HPDF_Page page, int rc)
{
	if (HPDF_Page_GRestore(page) != HPDF_OK && rc == 0)
		rc = print_fail_hpdf(doc, "HPDF_Page_GRestore");
	return rc;
}

const struct print_error *
print_doc_error(const struct print_doc *doc)
{
	return &doc->err;
}

HPDF_Doc
print_doc_hpdf(struct print_doc *doc)
{
	return doc->pdf;
}

static bool landscape;   /* print_set_landscape() */

struct print_doc *
print_doc_new(const struct print_options *opt, struct print_error *err)
{
	struct print_doc	*doc;
	const char		*path[PRINT_NFACES] = { NULL };
	int			 index[PRINT_NFACES] = { 0 }, i;

	memset(err, 0, sizeof *err);
	landscape = false;
	if (opt != NULL) {
		path[PRINT_SONG] = opt->font_song;
		path[PRINT_KAI] = opt->font_kai;
		path[PRINT_FALLBACK] = opt->font_fallback;
	}
	if ((doc = calloc(1, sizeof *doc)) == NULL) {
		err->msgid = N_("out of memory");
		snprintf(err->text, sizeof err->text, "%s", err->msgid);
		return NULL;
	}

	/* Find the faces and read their cmaps now: a missing font is found
	 * before any drawing. */
	for (i = 0; i < PRINT_NFACES; i++) {
		if (path[i] == NULL && print_font_find(i, &path[i], &index[i], err) != 0)
			goto fail;
		doc->font[i] = print_font_open(path[i], (unsigned int)index[i],
		    print_font_package(i), err);
		if (doc->font[i] == NULL)
			goto fail;
	}

	doc->pdf = HPDF_New(hpdf_error, doc);
	if (doc->pdf == NULL) {
		err->msgid = N_("cannot create a PDF document");
		snprintf(err->text, sizeof err->text, "%s", err->msgid);
		goto fail;
	}
	/* Order matters: the UTF-8 encoder exists only after this (0x102B). */
	if (HPDF_UseUTFEncodings(doc->pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(doc->pdf, "UTF-8") != HPDF_OK ||
	    HPDF_SetCompressionMode(doc->pdf, HPDF_COMP_ALL) != HPDF_OK) {
		print_fail_hpdf(doc, "setup");
		*err = doc->err;
		goto fail;
	}
	return doc;

fail:
	print_doc_free(doc);
	return NULL;
}

void
print_doc_free(struct print_doc *doc)
{
	int	i;

	landscape = false;
	if (doc == NULL)
		return;
	if (doc->pdf != NULL)
		HPDF_Free(doc->pdf);
	print_spool_free(doc->spool);
	for (i = 0; i < PRINT_NFACES; i++) {
		print_font_close(doc->font[i]);
		free(doc->widths[i]);
	}
	free(doc->township);
	free(doc->operator_name);
	free(doc->when);
	free(doc->pages);
	free(doc->sections);
	free(doc);
}

/* A4 landscape for wide lists (the payment roster, issue 13): set by the
 * form before its first page, cleared when a document is made or freed. */
void print_set_landscape(bool on) { landscape = on; }
#define PAGE_W_MM (landscape ? PRINT_PAGE_H_MM : PRINT_PAGE_W_MM)
#define PAGE_H_MM (landscape ? PRINT_PAGE_W_MM : PRINT_PAGE_H_MM)
float print_page_width(void)  { return PRINT_MM(PAGE_W_MM); }
float print_page_height(void) { return PRINT_MM(PAGE_H_MM); }
float print_left(void)   { return PRINT_MM(PRINT_MARGIN_LEFT_MM); }
float print_right(void)  { return PRINT_MM(PAGE_W_MM - PRINT_MARGIN_RIGHT_MM); }
float print_top(void)    { return PRINT_MM(PAGE_H_MM - (landscape ? 25.0f : PRINT_MARGIN_TOP_MM)); }
float print_bottom(void) { return PRINT_MM(PRINT_MARGIN_BOTTOM_MM); }

/* Start a new A4 page; the cursor goes to the top margin. */
int
print_page_new(struct print_doc *doc)
{
	HPDF_Page	page;

	if (doc->err.msgid != NULL)
		return -1;
	if (doc->npages == PRINT_MAX_PAGES)
		return print_fail(doc, N_("document longer than %d pages"), PRINT_MAX_PAGES);
	size_t n = (size_t)doc->apages;
	HPDF_Page *p = array_grow(doc->pages, &n, (size_t)doc->npages + 1, sizeof *p);
	if (p == NULL)
		return print_fail(doc, N_("out of memory"));
	doc->pages = p;
	doc->apages = (int)n;
	if ((page = HPDF_AddPage(doc->pdf)) == NULL)
		return print_fail_hpdf(doc, "HPDF_AddPage");
	if (HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT) != HPDF_OK)
		return print_fail_hpdf(doc, "HPDF_Page_SetSize");
	if (doc->spool != NULL && print_spool_page(doc->spool, page) != 0)
		return print_fail(doc, N_("cannot spool a page: %s"), strerror(errno ? errno : ENOMEM));
	doc->pages[doc->npages++] = page;
	doc->y = print_top();
	return 0;
}

HPDF_Page
print_page(struct print_doc *doc)
{
	if (doc->on != NULL)
		return doc->on;
	return doc->npages == 0 ? NULL : doc->pages[doc->npages - 1];
}

int
print_page_count(const struct print_doc *doc)
{
	return doc->npages;
}

HPDF_Page
print_page_at(struct print_doc *doc, int i)
{
	return i < 0 || i >= doc->npages ? NULL : doc->pages[i];
}

float
print_cursor(const struct print_doc *doc)
{
	return doc->y;
}

void
print_set_cursor(struct print_doc *doc, float y)
{
	doc->y = y;
}

/* Make room for height points below the cursor, starting a page if needed. */
int
print_need(struct print_doc *doc, float height)
{
	if (doc->npages == 0 || doc->y - height < print_bottom())
		return print_page_new(doc);
	return 0;
}

static char *
xstrdup_or_empty(const char *s)
{
	return strdup(s == NULL ? "" : s);
}

void
print_set_footer(struct print_doc *doc, const char *township,
    const char *operator_name, const char *when)
{
	free(doc->township);
	free(doc->operator_name);
	free(doc->when);
	doc->township = xstrdup_or_empty(township);
	doc->operator_name = xstrdup_or_empty(operator_name);
	doc->when = xstrdup_or_empty(when);
	if (doc->township == NULL || doc->operator_name == NULL || doc->when == NULL)
		print_fail(doc, N_("out of memory"));
}

/* The verification code repeated under every page's footer, so any one
 * sheet of a multi-page form can be checked on its own. */
void
print_set_footer_code(struct print_doc *doc, const char *code)
{
	snprintf(doc->code, sizeof doc->code, "%s", code == NULL ? "" : code);
}

int
print_section_begin(struct print_doc *doc, const char *code)
{
	size_t n = (size_t)doc->asections;
	struct print_section *p = array_grow(doc->sections, &n, (size_t)doc->nsections + 1, sizeof *p);
	if (p == NULL)
		return print_fail(doc, N_("out of memory"));
	doc->sections = p;
	doc->asections = (int)n;
	doc->sections[doc->nsections].first = doc->npages;
	snprintf(doc->sections[doc->nsections].code, sizeof doc->sections[0].code, "%s", code ? code : "");
	doc->nsections++;
	return 0;
}
