/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * list-out.c — the files the reports and lists write: CSV as UTF-8 with a
 * byte order mark (Excel and WPS on the clerks' PCs take BOM-less UTF-8
 * for GBK), A4 list PDFs with a fixed creation date so that a report
 * printed again comes out byte for byte the same, and a growing table of
 * rows that a list's CSV, its PDF and its verification hash share.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/array.h"
#include "print/forms.h"
#include "print/print-int.h"	/* the document information libharu writes */
#include "store/afile.h"
#include "store/csv-write.h"

#include "core/base.h"
#include "core/date.h"
#include "core/report.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"

/* A CSV is written whole or not at all (store/afile.c): the FILE * handed
 * out writes a temporary beside path; list_csv_close makes it durable and
 * renames it into place.  A few may be open at once (a list and its PDF). */
#define OPEN_CSV_MAX 8
static struct afile open_csv[OPEN_CSV_MAX];

FILE *
list_csv_create(struct err *e, const char *path)
{
	for (int i = 0; i < OPEN_CSV_MAX; i++) {
		if (open_csv[i].f != NULL)
			continue;
		if (afile_open(&open_csv[i], path, AFILE_PRIVATE) != 0) {
			err_set(e, E_REFUSED, _("cannot write %s: %s"), path, strerror(errno));
			return NULL;
		}
		return open_csv[i].f;
	}
	err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(EMFILE));
	return NULL;
}

FILE *
list_csv_open(struct err *e, const char *path, const char *const *head, int n)
{
	FILE *f = list_csv_create(e, path);
	if (f != NULL)
		list_csv_head(f, head, n);
	return f;
}

void
list_csv_head(FILE *f, const char *const *head, int n)
{
	fputs(csv_bom, f);
	list_csv_row(f, head, n);
}

void
list_csv_row(FILE *f, const char *const *cells, int n)
{
	/* the one CSV writer: quoted, guarded against formulas */
	csv_write_row(f, cells, n);
}

int
list_csv_close(struct err *e, FILE *f, const char *path)
{
	for (int i = 0; i < OPEN_CSV_MAX; i++) {
		if (open_csv[i].f != f)
			continue;
		if (afile_commit(&open_csv[i]) != 0)
			return err_set(e, E_STORAGE, _("cannot write %s (%s): %s"), path, open_csv[i].what,
			    strerror(errno));
		return 0;
	}
	int bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return err_set(e, E_STORAGE, _("cannot write %s"), path);
	return 0;
}

/* issue 15: a CSV given up (the command failed): nothing left behind */
void
list_csv_abort(FILE *f)
{
	for (int i = 0; i < OPEN_CSV_MAX; i++)
		if (open_csv[i].f == f) {
			afile_abort(&open_csv[i]);
			return;
		}
	fclose(f);
}

/* ---- PDF --------------------------------------------------------------- */

struct print_doc *
list_pdf_begin(struct store *st, struct err *e, const char *title, const char *form_no,
    const char *operator_name, dbdate_t fixed, const char *when)
{
	struct print_error pe;
	struct print_doc *doc = print_doc_new(NULL, &pe);
	char township[TEXT_SHORT] = "";

	if (doc == NULL) {
		err_set(e, E_STORAGE, "PDF: %s", pe.text);
		return NULL;
	}
	if (setting_get(st, NULL, "township.name", township, sizeof township, e) != 0)
		err_clear(e);
	/* libharu writes no date unless told; a fixed one keeps reprints identical */
	if (fixed != 0) {
		HPDF_Date hd;
		memset(&hd, 0, sizeof hd);
		hd.year = date_year(fixed);
		hd.month = date_month(fixed);
		hd.day = date_day(fixed);
		hd.ind = 'Z';
		if (HPDF_SetInfoDateAttr(print_doc_hpdf(doc), HPDF_INFO_CREATION_DATE, hd) != HPDF_OK ||
		    HPDF_SetInfoAttr(print_doc_hpdf(doc), HPDF_INFO_TITLE, title) != HPDF_OK) {
			print_fail_hpdf(doc, "info");
			goto fail;
		}
	}
	print_set_footer(doc, township, operator_name, when);
	if (print_page_new(doc) != 0 || (form_no && print_form_number(doc, form_no) != 0) ||
	    print_title(doc, PRINT_SONG, title) != 0)
		goto fail;
	return doc;
fail:
	err_set(e, E_STORAGE, "PDF: %s", print_doc_error(doc)->text);
	print_doc_free(doc);
	return NULL;
}

int
list_pdf_fail(struct err *e, struct print_doc *doc)
{
	err_set(e, E_STORAGE, "PDF: %s", print_doc_error(doc)->text);
	print_doc_free(doc);
	return -1;
}

/* Signature lines for each role and the township seal on the last; the
 * document stays the caller's (freed on failure only by list_pdf_*). */
/* issue 15: the room above n signature lines the seal's upper half needs
 * when full-width text (a table) stands right above them */
static float
seal_room_above(int n)
{
	float above = PRINT_MM(SEAL_MM / 2 + 7) - ((float)n - 0.5f) * PRINT_LINE_PITCH * 12 * 1.5f;
	return above > 0 ? above : 0;
}

float
list_sign_height(int n, bool after_table)
{
	/* the seal's lower half reaches 14 mm below the last line's middle
	 * (form_sign_seal_column asks the same) */
	const float pitch = PRINT_LINE_PITCH * 12 * 1.5f;
	return 6 + (after_table ? seal_room_above(n) : 0) + (float)(n - 1) * pitch + pitch / 2 +
	    PRINT_MM(SEAL_MM / 2 - 7 + 2);
}

static int
sign_and_seal(struct store *st, struct err *e, struct print_doc *doc, const char *const *roles, int n, bool after_table);

int
list_sign_and_seal(struct store *st, struct err *e, struct print_doc *doc, const char *const *roles, int n)
{
	return sign_and_seal(st, e, doc, roles, n, true);
}

/* the same below short lines of text, which end left of the seal */
int
list_sign_and_seal_after_text(struct store *st, struct err *e, struct print_doc *doc, const char *const *roles, int n)
{
	return sign_and_seal(st, e, doc, roles, n, false);
}

static int
sign_and_seal(struct store *st, struct err *e, struct print_doc *doc, const char *const *roles, int n, bool after_table)
{
	char seal[TEXT_SHORT] = "";
	float x = 0, y = 0;

	if (form_seal_text(st, seal, sizeof seal, e) != 0)
		return -1;
	/* the lines together on one page, the seal beside the last date,
	 * never on text */
	(void)x;
	(void)y;
	/* issue 15: room above the lines for the seal's upper half, so that
	 * it never covers the table's last rows (form_sign_seal_column puts
	 * its centre 7 mm above the last line's middle) */
	float above = after_table ? seal_room_above(n) : 0;
	if (print_need(doc, list_sign_height(n, after_table)) != 0 || print_skip(doc, 6 + above) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (form_sign_seal_column(doc, i == n - 1 ? seal : NULL, roles[i], "", 0) != 0)
			return -1;
	return 0;
}

int
list_pdf_sign_and_seal(struct store *st, struct err *e, struct print_doc *doc, const char *const *roles, int n)
{
	return list_sign_and_seal(st, e, doc, roles, n) != 0 ? list_pdf_fail(e, doc) : 0;
}

int
list_pdf_end(struct err *e, struct print_doc *doc, const char *path)
{
	if (print_doc_save(doc, path) != 0)
		return list_pdf_fail(e, doc);
	print_doc_free(doc);
	return 0;
}

/* ---- a list's rows ------------------------------------------------------ */

int
list_add(struct list_table *t, const char *const *cells)
{
	/* rows of ncols cells: the array's element is a whole row */
	char **nv = array_grow(t->cells, &t->cap, t->n + 1, (size_t)t->ncols * sizeof *nv);
	if (nv == NULL) {
		t->oom = true;
		return -1;
	}
	t->cells = nv;
	char **row = t->cells + t->n * (size_t)t->ncols;
	for (int i = 0; i < t->ncols; i++)
		if ((row[i] = strdup(cells[i] ? cells[i] : "")) == NULL) {
			for (int k = 0; k < i; k++)
				free(row[k]);
			t->oom = true;
			return -1;
		}
	t->n++;
	return 0;
}

const char *const *
list_row(const struct list_table *t, size_t i)
{
	return (const char *const *)(t->cells + i * (size_t)t->ncols);
}

void
list_free(struct list_table *t)
{
	for (size_t i = 0; i < t->n * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->n = t->cap = 0;
}

/* The SHA-256 of what fn writes to a stream: the content a print claims.
 * Hashed as it is written, never kept (issue 17: the payment roster of
 * 100,000 households was 25 MB of memory in an open_memstream). */
static ssize_t
hash_write(void *cookie, const char *buf, size_t size)
{
	crypto_hash_sha256_update(cookie, (const unsigned char *)buf, size);
	return (ssize_t)size;
}

int
list_digest(int (*fn)(FILE *, void *), void *arg, unsigned char hash[32], struct err *e)
{
	crypto_hash_sha256_state sha;
	cookie_io_functions_t io = {.write = hash_write};
	FILE *f;
	int rc;

	crypto_hash_sha256_init(&sha);
	if ((f = fopencookie(&sha, "w", io)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	rc = fn(f, arg);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (rc == 0)
		crypto_hash_sha256_final(&sha, hash);
	return rc;
}
