/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scans.c — a folder of JPEG/PNG/PDF files from the document camera.  A
 * file named <dossier>_<item>[_anything].<ext> attaches itself to that
 * checklist item; the rest are listed for manual assignment.  The content
 * must be what the name says (magic bytes), since a renamed text or
 * program file must never sit in a dossier as a "scan".  Source files are
 * only read: each is copied into the store once, by its SHA-256.
 */
#include "config.h"

#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/array.h"
#include "import/scans.h"

#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/checklist.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

const char *
scan_kind(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1A\n", 8) == 0)
		return "png";
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "pdf";
	return NULL;
}

/* The kind the name claims, or NULL when it is no scan at all. */
static const char *
ext_kind(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot == NULL)
		return NULL;
	if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
		return "jpeg";
	if (strcasecmp(dot, ".png") == 0)
		return "png";
	if (strcasecmp(dot, ".pdf") == 0)
		return "pdf";
	return NULL;
}

/* Is the file's content what its name says?  0 yes, -1 with why. */
static int
check_content(const char *path, const char *want, const char **why)
{
	unsigned char magic[8];
	size_t n;
	FILE *f = fopen(path, "rb");
	const char *got;

	if (f == NULL) {
		*why = strerror(errno);
		return -1;
	}
	n = fread(magic, 1, sizeof magic, f);
	fclose(f);
	got = scan_kind(magic, n);
	if (got == NULL) {
		*why = _("not a JPEG, PNG or PDF file (its first bytes say otherwise)");
		return -1;
	}
	if (strcmp(got, want) != 0) {
		*why = _("its content does not match its extension");
		return -1;
	}
	return 0;
}

/* <dossier>_<item>[_…]: 0 with no/item filled, -1 when the name is not so */
static int
parse_name(const char *name, char no[DOSSIER_NO_LEN + 1], char item[ITEM_CODE_MAX])
{
	const char *u = strchr(name, '_'), *dot = strrchr(name, '.');
	if (u == NULL || dot == NULL || u > dot || (size_t)(u - name) != DOSSIER_NO_LEN)
		return -1;
	memcpy(no, name, DOSSIER_NO_LEN);
	no[DOSSIER_NO_LEN] = '\0';
	if (!dossier_no_valid(no))
		return -1;
	const char *s = u + 1, *end = s + strcspn(s, "_.");
	if (end == s || end - s >= ITEM_CODE_MAX)
		return -1;
	for (int i = 0; i < end - s; i++)
		item[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	item[end - s] = '\0';
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
scans_assign(struct store *st, const struct user *actor, const char *file, const char *dossier,
    const char *item, struct err *e)
{
	const char *want = ext_kind(file), *why;
	struct stat sb;

	if (stat(file, &sb) != 0)
		return err_set(e, E_REFUSED, _("%s: %s"), file, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return err_set(e, E_REFUSED, _("%s: not a regular file"), file);
	if (want == NULL)
		return err_set(e, E_REFUSED, _("%s: a scan is a .jpg, .jpeg, .png or .pdf file"), file);
	if (check_content(file, want, &why) != 0)
		return err_set(e, E_REFUSED, _("%s: %s"), file, why);
	return checklist_mark(st, actor, dossier, item, 0, -1, -1, file, NULL, e);
}

int
scans_import(struct store *st, const struct user *actor, const char *dir, scan_fn fn, void *baton,
    int counts[4], struct err *e)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	int ret = 0;

	memset(counts, 0, 4 * sizeof counts[0]);
	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return err_set(e, E_REFUSED, _("%s: %s"), dir, strerror(errno));
	/* sorted, so the report reads the same however the disk orders them */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char **r = array_grow(names, &cap, n + 1, sizeof *r);
		if (r == NULL) {
			ret = err_set(e, E_STORAGE, _("out of memory"));
			break;
		}
		names = r;
		if ((names[n] = strdup(de->d_name)) == NULL) {
			ret = err_set(e, E_STORAGE, _("out of memory"));
			break;
		}
		n++;
	}
	closedir(d);
	if (ret == 0 && n > 0)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		const char *name = names[i], *want = ext_kind(name), *why;
		char no[DOSSIER_NO_LEN + 1], item[ITEM_CODE_MAX];
		struct stat sb;

		snprintf(path, sizeof path, "%s/%s", dir, name);
		/* lstat: a symlink could point anywhere; scans are plain files */
		if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || want == NULL) {
			counts[SCAN_SKIPPED]++;
			fn(SCAN_SKIPPED, name, NULL, NULL, _("not a .jpg, .png or .pdf file"), baton);
			continue;
		}
		if (check_content(path, want, &why) != 0) {
			counts[SCAN_REFUSED]++;
			fn(SCAN_REFUSED, name, NULL, NULL, why, baton);
			continue;
		}
		if (parse_name(name, no, item) != 0) {
			counts[SCAN_UNASSIGNED]++;
			fn(SCAN_UNASSIGNED, name, NULL, NULL, _("the name does not say <dossier>_<item>"), baton);
			continue;
		}
		if (checklist_mark(st, actor, no, item, 0, -1, -1, path, NULL, e) != 0) {
			if (e->code == E_STORAGE) {
				ret = -1;
				break;
			}
			/* no such dossier or item: the clerk assigns it by hand */
			counts[SCAN_UNASSIGNED]++;
			fn(SCAN_UNASSIGNED, name, no, item, e->msg, baton);
			err_clear(e);
			continue;
		}
		counts[SCAN_ATTACHED]++;
		fn(SCAN_ATTACHED, name, no, item, NULL, baton);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}
