/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * save.c — the end of a document: its footers ("第 x 页 共 y 页" is known
 * only now, layout.c draws them), then the PDF written whole or not at all.
 * Above pdf.c and layout.c, so the document's life (pdf.c) needs nothing
 * drawn.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base.h"
#include "store/afile.h"
#include "print/print-int.h"

int
print_doc_spool(struct print_doc *doc)
{
	if (doc->spool == NULL && (doc->spool = print_spool_new()) == NULL)
		return print_fail(doc, N_("cannot spool a page: %s"), strerror(errno ? errno : ENOMEM));
	return 0;
}

/*
 * A spooled document is written by libharu straight to the temporary
 * beside path (the whole PDF in memory again would undo the spool).  A
 * FILE * swallows the error of its last flush, so the file must end with
 * libharu's last bytes ("%%EOF") before it is synced and renamed.
 */
static int
spooled_save(struct print_doc *doc, const char *path)
{
	struct afile af;
	char tail[8];
	int fd, saved;
	ssize_t n = -1;

	if (afile_reserve(&af, path, AFILE_PRIVATE) != 0) {
		saved = errno;
		return print_fail(doc, N_("cannot write %s (%s): %s"), path, af.what, strerror(saved));
	}
	if (HPDF_SaveToFile(doc->pdf, af.tmp) != HPDF_OK) {
		afile_abort(&af);
		return print_fail_hpdf(doc, "HPDF_SaveToFile");
	}
	if ((fd = open(af.tmp, O_RDONLY | O_CLOEXEC)) >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);
		if (end >= (off_t)sizeof tail)
			n = pread(fd, tail, sizeof tail, end - (off_t)sizeof tail);
		close(fd);
	}
	if (n != (ssize_t)sizeof tail || memcmp(tail + 1, "\n%%EOF\n", 7) != 0) {
		afile_abort(&af);
		return print_fail(doc, N_("cannot write %s (%s): %s"), path, "write", strerror(ENOSPC));
	}
	if (afile_commit(&af) != 0) {
		saved = errno;
		return print_fail(doc, N_("cannot write %s (%s): %s"), path, af.what, strerror(saved));
	}
	return 0;
}

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
	if (doc->spool != NULL)
		return spooled_save(doc, path);
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
