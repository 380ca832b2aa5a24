/*
 * out.c — the files the reports and lists write: CSV as UTF-8 with a byte
 * order mark (Excel and WPS on the clerks' PCs take BOM-less UTF-8 for
 * GBK) and A4 list PDFs over print/, with a fixed creation date so that a
 * report printed again comes out byte for byte the same.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "print/print.h"

FILE *
csv_open(struct cli *c, const char *path, const char *const *head, int n)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		err_set(&c->e, E_REFUSED, _("cannot write %s"), path);
		return NULL;
	}
	fputs(csv_bom, f);
	csv_row(f, head, n);
	return f;
}

void
csv_row(FILE *f, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		if (i)
			fputc(',', f);
		/* RFC 4180 quoting; a leading = + - @ would be a formula in Excel */
		bool quote = strpbrk(s, ",\"\r\n") != NULL;
		if (quote)
			fputc('"', f);
		if (s[0] == '=' || s[0] == '+' || s[0] == '@' || (s[0] == '-' && (s[1] < '0' || s[1] > '9')))
			fputc('\'', f);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		if (quote)
			fputc('"', f);
	}
	fputs("\r\n", f);
}

int
csv_close(struct cli *c, FILE *f, const char *path)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return err_set(&c->e, E_STORAGE, _("cannot write %s"), path);
	return 0;
}

/* ---- PDF --------------------------------------------------------------- */

struct print_doc *
pdf_begin(struct cli *c, const char *title, const char *form_no, const char *operator_name,
    dbdate_t fixed, const char *when)
{
	struct print_error pe;
	struct print_doc *doc = print_doc_new(NULL, &pe);
	char township[TEXT_SHORT] = "";

	if (doc == NULL) {
		err_set(&c->e, E_STORAGE, "PDF: %s", pe.text);
		return NULL;
	}
	if (setting_get(c->st, NULL, "township.name", township, sizeof township, &c->e) != 0)
		err_clear(&c->e);
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
	err_set(&c->e, E_STORAGE, "PDF: %s", print_doc_error(doc)->text);
	print_doc_free(doc);
	return NULL;
}

int
pdf_fail(struct cli *c, struct print_doc *doc)
{
	err_set(&c->e, E_STORAGE, "PDF: %s", print_doc_error(doc)->text);
	print_doc_free(doc);
	return -1;
}

/* Signature lines for each role and the township seal on the last. */
int
pdf_sign_and_seal(struct cli *c, struct print_doc *doc, const char *const *roles, int n)
{
	char seal[TEXT_SHORT] = "", township[TEXT_SHORT] = "";
	float x = 0, y = 0;

	if (setting_get(c->st, NULL, "seal.text", seal, sizeof seal, &c->e) != 0)
		err_clear(&c->e);
	if (setting_get(c->st, NULL, "township.name", township, sizeof township, &c->e) != 0)
		err_clear(&c->e);
	if (print_skip(doc, 12) != 0)
		return pdf_fail(c, doc);
	for (int i = 0; i < n; i++)
		if (print_sign_line(doc, 12, roles[i], &x, &y) != 0)
			return pdf_fail(c, doc);
	if (print_seal(doc, x, y, seal[0] ? seal : township[0] ? township : "民政办", "民政办") != 0)
		return pdf_fail(c, doc);
	return 0;
}

int
pdf_end(struct cli *c, struct print_doc *doc, const char *path)
{
	if (print_doc_save(doc, path) != 0)
		return pdf_fail(c, doc);
	print_doc_free(doc);
	return 0;
}
