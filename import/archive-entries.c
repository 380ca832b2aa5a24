/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-entries.c — the bottom of `dibao export archive` (archive-int.h):
 * the entries outside the dossiers added to the export's context, their
 * bytes waiting in files of the temporary directory (ax_add and kin), the
 * CSV entries written there (UTF-8 with the BOM Excel and WPS need, the
 * one guarded CSV writer), and the small helpers the export's other files
 * share.  It calls none of them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "import/archive-int.h"
#include "import/manifest.h"
#include "store/audit.h"
#include "store/csv-write.h"
#include "store/err.h"
#include "core/base.h"
#include "core/date.h"
#include "core/array.h"

int
ax_oom(struct actx *x)
{
	return err_set(x->e, E_STORAGE, "%s", _("out of memory"));
}

/* A new file name in the temporary directory. */
void
ax_spool_name(struct actx *x, char *buf, size_t size)
{
	snprintf(buf, size, "%s/e%zu", x->tmpdir, x->spooled++);
}

/* SHA-256 and size of a file, read in pieces. */
int
ax_file_sha(struct actx *x, const char *path, char sha[65], uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	crypto_hash_sha256_state hs;
	unsigned char *buf, h[32];
	size_t n;
	uint64_t total = 0;

	if (f == NULL)
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), path, strerror(errno));
	if ((buf = malloc(CHUNK)) == NULL) {
		fclose(f);
		return ax_oom(x);
	}
	crypto_hash_sha256_init(&hs);
	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		crypto_hash_sha256_update(&hs, buf, n);
		total += n;
	}
	int bad = ferror(f);
	fclose(f);
	free(buf);
	if (bad)
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), path, strerror(EIO));
	crypto_hash_sha256_final(&hs, h);
	hex32(h, sha);
	*len = total;
	return 0;
}

/* Add the file src (in the temporary directory, taken over: moved to a
 * name of the archive's own) as the entry rel under the top folder. */
int
ax_add_spooled(struct actx *x, const char *rel, const char *src, bool store)
{
	char path[1024], dst[128];
	struct aentry *en;

	if (snprintf(path, sizeof path, "%s/%s", x->top, rel) >= (int)sizeof path || !archive_path_safe(path)) {
		unlink(src);
		return err_set(x->e, E_STORAGE, _("archive: an unsafe entry name %s"), rel);
	}
	ax_spool_name(x, dst, sizeof dst);
	if (strcmp(src, dst) != 0 && rename(src, dst) != 0) {
		int en2 = errno;
		unlink(src);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), dst, strerror(en2));
	}
	struct aentry *v = array_grow(x->v, &x->cap, x->n + 1, sizeof *v);
	if (v == NULL) {
		unlink(dst);
		return ax_oom(x);
	}
	x->v = v;
	en = &x->v[x->n];
	memset(en, 0, sizeof *en);
	if ((en->path = strdup(path)) == NULL || (en->src = strdup(dst)) == NULL) {
		free(en->path);
		unlink(dst);
		return ax_oom(x);
	}
	en->store = store;
	x->n++;
	if (ax_file_sha(x, dst, en->sha, &en->len) != 0)
		return -1;
	return 0;
}

/* Add an entry under the top folder; data is taken over (and freed once
 * it is in the temporary directory). */
int
ax_add(struct actx *x, const char *rel, unsigned char *data, size_t len, bool store)
{
	char src[128];
	FILE *f;

	ax_spool_name(x, src, sizeof src);
	if ((f = fopen(src, "wb")) == NULL) {
		free(data);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), src, strerror(errno));
	}
	size_t w = len ? fwrite(data, 1, len, f) : 0;
	int bad = ferror(f);
	free(data);
	if ((fclose(f) != 0) | bad || w != len) {
		unlink(src);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), src, strerror(errno ? errno : EIO));
	}
	return ax_add_spooled(x, rel, src, store);
}

/* Add a file written in the temporary directory (a PDF, the roster). */
int
ax_add_file(struct actx *x, const char *rel, const char *path, bool store)
{
	return ax_add_spooled(x, rel, path, store);
}

/* ---- CSV into a temporary file (UTF-8 with the BOM Excel and WPS need) -- */


int
ax_csv_begin(struct actx *x, struct memcsv *c, const char *const *head, int n)
{
	c->buf = NULL;
	ax_spool_name(x, c->path, sizeof c->path);
	if ((c->f = fopen(c->path, "wb")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), c->path, strerror(errno));
	fputs("\xEF\xBB\xBF", c->f);
	csv_write_row(c->f, head, n);
	return 0;
}

/* a CSV given up (an error on the way) */
void
ax_csv_abort(struct memcsv *c)
{
	if (c->f != NULL)
		fclose(c->f);
	c->f = NULL;
	unlink(c->path);
}

void
ax_csv_cells(struct memcsv *c, const char *const *cells, int n)
{
	/* the one CSV writer: quoted, guarded against formulas */
	csv_write_row(c->f, cells, n);
}

int
ax_csv_end(struct actx *x, struct memcsv *c, const char *rel)
{
	int bad = ferror(c->f);
	if ((fclose(c->f) != 0) | bad) {
		c->f = NULL;
		unlink(c->path);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), c->path, strerror(EIO));
	}
	c->f = NULL;
	return ax_add_spooled(x, rel, c->path, false);
}
