/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * out-path.c — where a file goes when the clerk leaves its path empty: the
 * folder 低保输出 in the home folder (made if missing), the file named after
 * what it holds, never over an earlier one (…-2.pdf, …-3.pdf).  A clerk
 * who never typed a path in a terminal still gets the PDF, and is told
 * where it is.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/views.h"

#include "store/err.h"

#define OUT_DIR "低保输出"

int
default_out_path(const char *stem, const char *ext, char *out, size_t size, struct err *e)
{
	const char *home = getenv("HOME");
	char dir[1024], name[256];
	int n;

	n = snprintf(dir, sizeof dir, "%s/%s", home && *home ? home : ".", OUT_DIR);
	if (n < 0 || (size_t)n >= sizeof dir)
		return err_set(e, E_REFUSED, "%s", _("the home folder's path is too long"));
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(e, E_REFUSED, _("%s: %s"), dir, strerror(errno));
	/* the stem names a dossier, a village or a month: no '/' in a file name */
	snprintf(name, sizeof name, "%s", stem);
	for (char *p = name; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			*p = '-';
	for (int k = 1; k < 1000; k++) {
		if (k == 1)
			n = snprintf(out, size, "%s/%s.%s", dir, name, ext);
		else
			n = snprintf(out, size, "%s/%s-%d.%s", dir, name, k, ext);
		if (n < 0 || (size_t)n >= size)
			return err_set(e, E_REFUSED, "%s", _("the home folder's path is too long"));
		if (access(out, F_OK) != 0)
			return 0;
	}
	return err_set(e, E_REFUSED, _("%s: too many files of that name"), dir);
}
