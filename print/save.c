/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * save.c — the end of a document: its footers ("第 x 页 共 y 页" is known
 * only now, layout.c draws them), then the PDF written whole or not at all.
 * Above pdf.c and layout.c, so the document's life (pdf.c) needs nothing
 * drawn.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/afile.h"
#include "print/print-int.h"

/*
 * Draw the footers, then write path atomically (store/afile.c: a temporary
 * beside it, fsync, rename, fsync of the directory).  The PDF is built in memory by libharu so write
 * errors (a full disk) are ours to see, not swallowed in a FILE *.
 */
int
print_doc_save(struct print_doc *doc, const char *path)
{
	HPDF_UINT32	 size;
	unsigned char	*buf = NULL;
	int		 saved;

	if (doc->err.msgid != NULL)
		return -1;
	if (doc->npages == 0 && print_page_new(doc) != 0)
		return -1;
	if (!doc->footers_drawn) {
		if (print_draw_footers(doc) != 0)
			return -1;
		doc->footers_drawn = true;
	}
	if (HPDF_SaveToStream(doc->pdf) != HPDF_OK)
		return print_fail_hpdf(doc, "HPDF_SaveToStream");
	size = HPDF_GetStreamSize(doc->pdf);
	if (size == 0)
		return print_fail(doc, N_("the PDF came out empty"));
	if ((buf = malloc(size)) == NULL)
		return print_fail(doc, N_("out of memory"));
	if (HPDF_ReadFromStream(doc->pdf, buf, &size) != HPDF_OK) {
		/* HPDF_STREAM_EOF with the whole stream read is success. */
		if (HPDF_GetError(doc->pdf) != HPDF_STREAM_EOF) {
			free(buf);
			return print_fail_hpdf(doc, "HPDF_ReadFromStream");
		}
		HPDF_ResetError(doc->pdf);
		memset(&doc->err, 0, sizeof doc->err);
	}

	/* whole or not at all, 0600 whatever the umask (store/afile.c) */
	const char *what = NULL;
	if (afile_write(path, buf, size, AFILE_PRIVATE, &what) != 0) {
		saved = errno;
		free(buf);
		print_fail(doc, N_("cannot write %s (%s): %s"), path, what, strerror(saved));
		return -1;
	}
	free(buf);
	return 0;
}
