/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qr.c — the verification marks of SPEC section 8: a QR code drawn as
 * vector rectangles (each horizontal run of dark modules is one
 * rectangle: a fraction of the size of one square per module), and the
 * short human verification code, the first 50 bits of a SHA-256 in
 * Crockford base32 ("7Q4K-M2XD-P9": no I, L, O, U to misread).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "core/base.h"
#include "print/print-int.h"
#include "core/text.h"
#include "print/print.h"

#define QR_QUIET	4	/* modules of white border the standard asks for */

/*
 * Draw data as a QR code (level M, 8-bit mode so UTF-8 goes in as is)
 * with its lower-left corner at (x, y), size points square including the
 * quiet zone, on the current page.
 */
int
print_qr(struct print_doc *doc, float x, float y, float size, const char *data)
{
	HPDF_Page	 page = print_page(doc);
	QRcode		*qr;
	float		 m;
	int		 row, col, start, rc = -1;

	if (doc->err.msgid != NULL)
		return -1;
	if (page == NULL)
		return print_fail(doc, N_("drawing before the first page"));
	errno = 0;
	qr = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		return print_fail(doc, N_("cannot make a QR code: %s"),
		    errno == ERANGE ? "data too long" : strerror(errno));
	}
	m = size / (float)(qr->width + 2 * QR_QUIET);
	if (HPDF_Page_GSave(page) != HPDF_OK) {
		print_fail_hpdf(doc, "HPDF_Page_GSave");
		goto out;
	}
	/* White background: the quiet zone must be clear even over a rule. */
	if (HPDF_Page_SetRGBFill(page, 1, 1, 1) != HPDF_OK ||
	    HPDF_Page_Rectangle(page, x, y, size, size) != HPDF_OK ||
	    HPDF_Page_Fill(page) != HPDF_OK ||
	    HPDF_Page_SetRGBFill(page, 0, 0, 0) != HPDF_OK) {
		print_fail_hpdf(doc, "QR background");
		goto restore;
	}
	for (row = 0; row < qr->width; row++) {
		for (col = 0; col < qr->width; col++) {
			if (!(qr->data[row * qr->width + col] & 1))
				continue;
			start = col;
			while (col + 1 < qr->width && (qr->data[row * qr->width + col + 1] & 1))
				col++;
			/* Row 0 is the top; PDF y grows upwards. */
			if (HPDF_Page_Rectangle(page, x + (float)(QR_QUIET + start) * m,
			    y + size - (float)(QR_QUIET + row + 1) * m,
			    (float)(col - start + 1) * m, m) != HPDF_OK) {
				print_fail_hpdf(doc, "QR module");
				goto restore;
			}
		}
	}
	if (HPDF_Page_Fill(page) != HPDF_OK) {
		print_fail_hpdf(doc, "QR fill");
		goto restore;
	}
	rc = 0;
restore:
	rc = print_grestore(doc, page, rc);
out:
	QRcode_free(qr);
	return rc;
}

/* "XXXX-XXXX-XX" from the first 50 bits of hash; out has room for 13.
 * The formatter lives in core/ because `dibao verify` and the store's
 * print records need the same code without the PDF layer. */
void
print_verify_code(const uint8_t hash[32], char out[13])
{
	verify_code_format(hash, out);
}
