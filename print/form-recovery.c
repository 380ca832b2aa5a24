/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-recovery.c — one-page sheets that carry a secret or a key: the
 * recovery sheet that `init` prints for the safe (township, date, the
 * recovery code and its QR), and the county's public key sheet (`county
 * key`).  The secret is printed as text in groups and as a QR code.
 */
#include "config.h"

#include <string.h>

#include "print/forms.h"

#include "store/err.h"

int
recovery_sheet_write(const char *path, const char *title, const char *const *lines, int nlines,
    const char *label, const char *secret, struct err *e)
{
	struct print_error perr;
	struct print_doc *doc;
	float qs = PRINT_MM(60);
	int rc = -1;

	if ((doc = print_doc_new(NULL, &perr)) == NULL)
		return err_set(e, E_STORAGE, _("printing %s: %s"), path, perr.msgid ? _(perr.msgid) : perr.text);
	if (print_page_new(doc) != 0 || print_title(doc, PRINT_SONG, title) != 0 || print_skip(doc, 12) != 0)
		goto fail;
	for (int i = 0; i < nlines; i++)
		if (print_paragraph(doc, PRINT_SONG, 12, 0, lines[i]) != 0)
			goto fail;
	if (print_skip(doc, 12) != 0 || print_paragraph(doc, PRINT_SONG, 14, 0, label) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 14, 0, secret) != 0 || print_skip(doc, 12) != 0 ||
	    print_need(doc, qs) != 0 ||
	    print_qr(doc, print_left(), print_cursor(doc) - qs, qs, secret) != 0)
		goto fail;
	print_set_cursor(doc, print_cursor(doc) - qs);
	if (print_doc_save(doc, path) != 0) {
		err_set(e, E_STORAGE, _("writing %s: %s"), path, print_doc_error(doc)->text);
		goto out;
	}
	rc = 0;
	goto out;
fail:
	err_set(e, E_STORAGE, _("printing %s: %s"), path,
	    print_doc_error(doc)->msgid ? _(print_doc_error(doc)->msgid) : print_doc_error(doc)->text);
out:
	print_doc_free(doc);
	return rc;
}
