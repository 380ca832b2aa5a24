/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-write.c — the monthly archive written (archive-int.h), in one
 * pass: every entry in name order, the changed dossiers' made on the way,
 * then the manifest and its signature.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "import/archive.h"
#include "import/manifest.h"
#include "import/seal.h"
#include "import/archive-int.h"
#include "import/archive-pipe.h"
#include "store/attach.h"
#include "store/audit.h"
#include "store/err.h"
#include "core/checklist.h"
#include "core/dossier-model.h"

/* ---- writing ------------------------------------------------------------ */

/*
 * The archive is written in one pass, every entry sorted by name, then the
 * manifest and its signature last (the manifest lists what came before it):
 *   before: every entry outside the dossiers is in the temporary directory
 *           (add, add_file, the CSVs), hashed, sorted;
 *   then:   archive_open_out opens the output stream (the one place); each
 *           changed dossier's entries are made in turn, hashed as they go
 *           into the archive (a line each in x->lines: struct dline), the
 *           entries outside the dossiers written between them in name order;
 *           files and scans read in pieces (a scan checked against its
 *           name); libarchive's formatting and deflate run in a thread
 *           (archive-pipe.c), so the making of one dossier overlaps the
 *           deflate of the one before;
 *   last:   the manifest, from the two sorted lists, and its signature.
 * Memory depends on neither the number of households nor a file's size.
 */

int
ax_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aentry *)a)->path, ((const struct aentry *)b)->path);
}

/* One dossier entry as written: a line "sha size path" in x->lines. */
struct dline {
	char sha[65];
	uint64_t size;
	char *path;
	char *buf;              /* getline's */
	size_t cap;
};

static int
dline_read(struct actx *x, struct dline *l)
{
	unsigned long long size;
	int off = 0;
	ssize_t n = getline(&l->buf, &l->cap, x->lines);
	if (n <= 0)
		return ferror(x->lines) ? err_set(x->e, E_STORAGE, "%s", strerror(EIO)) : 1;
	l->buf[n - 1] = '\0';
	if (sscanf(l->buf, "%64s %llu %n", l->sha, &size, &off) != 2 || off == 0)
		return err_set(x->e, E_STORAGE, "%s", _("archive: the temporary list of entries is damaged"));
	l->size = size;
	l->path = l->buf + off;
	return 0;
}

/* the writer thread's failure, as the error */
static int
pipe_failed(struct actx *x, struct apipe *p)
{
	const char *path;
	const char *msg = apipe_error(p, &path);
	if (*path == '\0')
		return err_set(x->e, E_STORAGE, "%s: %s", x->o->path, msg);
	return err_set(x->e, E_STORAGE, "%s: %s: %s", x->o->path, path, msg);
}

/* The header of an entry, stored or deflated; listed: a dossier's, hashed
 * by the writer thread, which writes its line in x->lines. */
static int
write_header(struct actx *x, struct apipe *p, const char *path, uint64_t len, bool store, bool listed)
{
	return apipe_header(p, path, len, store, listed) != 0 ? pipe_failed(x, p) : 0;
}

static int
write_bytes(struct actx *x, struct apipe *p, const unsigned char *data, size_t len)
{
	return apipe_data(p, data, len) != 0 ? pipe_failed(x, p) : 0;
}

static int
changed_meanwhile(struct actx *x, const char *path)
{
	return err_set(x->e, E_CHANGED, _("archive: %s changed while the archive was written: export again"), path);
}

/* An entry from the file src, read in pieces, len bytes: a scan (sha
 * given) must hash to sha, its name; a file of our temporary directory
 * (sha NULL). */
static int
write_entry(struct actx *x, struct apipe *a, const char *path, const char *src, uint64_t len, const char *sha,
    bool store, bool listed)
{
	crypto_hash_sha256_state hs;
	unsigned char h[32];
	char got[65];
	uint64_t total = 0;
	size_t n;

	if (write_header(x, a, path, len, store, listed) != 0)
		return -1;
	crypto_hash_sha256_init(&hs);
	/* a scan through the store: decrypted when encrypted */
	FILE *f = sha != NULL ? attach_fopen(x->st, sha, NULL) : fopen(src, "rb");
	unsigned char *buf = malloc(CHUNK);
	if (f == NULL || buf == NULL) {
		if (f != NULL)
			fclose(f);
		free(buf);
		return f == NULL ? err_set(x->e, E_STORAGE, _("cannot read %s: %s"), src, strerror(errno)) : ax_oom(x);
	}
	int failed = 0;
	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		if (sha != NULL)
			crypto_hash_sha256_update(&hs, buf, n);
		total += n;
		if (total > len)
			break;	/* grown since it was measured */
		if (write_bytes(x, a, buf, n) != 0) {
			failed = 1;
			break;
		}
	}
	int bad = ferror(f), saved = errno;
	fclose(f);
	free(buf);
	if (failed)
		return -1;
	if (bad && saved == EBADMSG && sha != NULL)
		return err_set(x->e, E_STORAGE, _("attachment %s: the file was altered (it no longer decrypts)"), sha);
	if (bad)
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), src, strerror(saved ? saved : EIO));
	if (total != len)
		return changed_meanwhile(x, path);
	if (sha != NULL) {
		crypto_hash_sha256_final(&hs, h);
		hex32(h, got);
		if (strcmp(got, sha) != 0)
			return changed_meanwhile(x, path);
	}
	return 0;
}

/* the entries outside the dossiers that sort before path (all: NULL) */
static int
write_global_before(struct actx *x, struct apipe *a, size_t *gi, const char *path)
{
	for (; *gi < x->n && (path == NULL || strcmp(x->v[*gi].path, path) < 0); (*gi)++) {
		const struct aentry *en = &x->v[*gi];
		if (write_entry(x, a, en->path, en->src, en->len, NULL, en->store, false) != 0)
			return -1;
	}
	return 0;
}

/* One entry of a dossier into the archive (after the entries outside the
 * dossiers that sort before it); the writer thread hashes it and writes
 * its line. */
static int
write_dentry(struct actx *x, struct apipe *a, size_t *gi, struct dentry *en)
{
	char path[1100];
	struct stat sb;

	if (snprintf(path, sizeof path, "%s/%s", x->top, en->rel) >= (int)sizeof path || !archive_path_safe(path))
		return err_set(x->e, E_STORAGE, _("archive: an unsafe entry name %s"), en->rel);
	if (write_global_before(x, a, gi, path) != 0)
		return -1;
	x->dossier_files++;
	if (en->data != NULL)
		return write_header(x, a, path, en->len, en->store, true) != 0 ||
		    write_bytes(x, a, en->data, en->len) != 0 ? -1 : 0;
	if (en->scan)
		return write_entry(x, a, path, en->src, en->len, en->sha, en->store, true);
	/* a form rendered into the temporary directory */
	if (stat(en->src, &sb) != 0)
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), en->src, strerror(errno));
	return write_entry(x, a, path, en->src, (uint64_t)sb.st_size, NULL, en->store, true);
}

/* The changed dossiers' entries, made in turn and written. */
static int
write_dossiers(struct actx *x, struct apipe *a, size_t *gi)
{
	struct dvec dv = {0};
	int kept = 0, ret = -1;

	for (size_t i = 0; i < x->nd; i++) {
		/* the changed dossiers (forms re-rendered, scans read) are the long
		 * part: tell how far, and stop if asked (the file is removed) */
		const struct progress *pg = x->o->progress;
		if (pg && pg->fn && i % 20 == 0 && pg->fn((int)i, (int)x->nd, pg->baton)) {
			err_set(x->e, E_REFUSED, "%s", _("archive cancelled: nothing was written or recorded"));
			goto out;
		}
		char no[DOSSIER_NO_LEN + 1];      /* from the number (archive-collect.c) */
		if (dossier_no_format(no, x->code, (int)(x->dossiers[i] / 100000), x->dossiers[i] % 100000) != 0)
			continue; /* not one dossier_no_parse gave: never */
		int r = ax_dossier_entries(x, no, x->defs, x->ndefs, &dv);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		kept++;
		for (size_t k = 0; k < dv.n; k++)
			if (write_dentry(x, a, gi, &dv.v[k]) != 0)
				goto out;
	}
	x->m.dossiers = kept;
	ret = 0;
out:
	ax_dvec_clear(&dv);
	free(dv.v);
	return ret;
}

/* The manifest as manifest_dump gives it, its files listed from the two
 * sorted lists; written to the file mpath, its SHA-256 into sha. */
static int
manifest_spool(struct actx *x, const char *mpath, char sha[65], uint64_t *mlen)
{
	static const char marker[] = "\n  \"files\": [],\n";
	crypto_hash_sha256_state hs;
	unsigned char h[32];
	size_t hlen, gi = 0, count = 0;
	struct dline dl = {0};
	int have, ret = -1;
	FILE *f = NULL;

	x->m.files = (int)(x->n + x->dossier_files);
	x->m.audit_entries = x->audit_entries;
	char *head = manifest_dump(&x->m, &hlen);
	if (head == NULL)
		return ax_oom(x);
	char *cut = strstr(head, marker);
	if (cut == NULL) {
		free(head);
		return err_set(x->e, E_STORAGE, "%s", _("archive: the manifest cannot be made"));
	}
	if ((f = fopen(mpath, "wb")) == NULL) {
		err_set(x->e, E_STORAGE, _("cannot write %s: %s"), mpath, strerror(errno));
		goto out;
	}
	crypto_hash_sha256_init(&hs);
	*mlen = 0;
#define MPUT(p, n) do { \
	crypto_hash_sha256_update(&hs, (const unsigned char *)(p), (n)); \
	if (fwrite((p), 1, (n), f) != (n)) goto io; \
	*mlen += (n); \
} while (0)
	MPUT(head, (size_t)(cut - head));
	MPUT("\n  \"files\": [\n", strlen("\n  \"files\": [\n"));
	if (fflush(x->lines) != 0 || fseek(x->lines, 0, SEEK_SET) != 0) {
		err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->tmpdir, strerror(errno));
		goto out;
	}
	have = dline_read(x, &dl);
	for (;;) {
		const char *path, *fsha;
		uint64_t size;
		if (have < 0)
			goto out;
		if (have > 0 && gi == x->n)
			break;
		if (have == 0 && (gi == x->n || strcmp(dl.path, x->v[gi].path) < 0)) {
			path = dl.path;
			fsha = dl.sha;
			size = dl.size;
		} else {
			if (have == 0 && strcmp(dl.path, x->v[gi].path) == 0) {
				err_set(x->e, E_STORAGE, _("archive: %s twice"), dl.path);
				goto out;
			}
			path = x->v[gi].path;
			fsha = x->v[gi].sha;
			size = x->v[gi].len;
			gi++;
		}
		json_t *js = json_string(path);
		char *q = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
		json_decref(js);
		if (q == NULL) {
			ax_oom(x);
			goto out;
		}
		char one[256];
		int w = snprintf(one, sizeof one, "%s    {\n      \"path\": ", count ? ",\n" : "");
		MPUT(one, (size_t)w);
		MPUT(q, strlen(q));
		free(q);
		w = snprintf(one, sizeof one, ",\n      \"sha256\": \"%s\",\n      \"size\": %llu\n    }", fsha,
		    (unsigned long long)size);
		MPUT(one, (size_t)w);
		count++;
		if (path == dl.path)
			have = dline_read(x, &dl);
	}
	MPUT("\n  ],\n", strlen("\n  ],\n"));
	MPUT(cut + strlen(marker), hlen - (size_t)(cut - head) - strlen(marker));
#undef MPUT
	if (fclose(f) != 0) {
		f = NULL;
		goto io;
	}
	f = NULL;
	crypto_hash_sha256_final(&hs, h);
	hex32(h, sha);
	ret = 0;
	goto out;
io:
	err_set(x->e, E_STORAGE, _("cannot write %s: %s"), mpath, strerror(errno ? errno : EIO));
out:
	if (f != NULL)
		fclose(f);
	free(dl.buf);
	free(head);
	return ret;
}

/* issue 16.5: the manifest's signature, Ed25519 (deterministic: the same
 * bytes every time), as hex into x->sig */
static int
manifest_sign(struct actx *x, const char *sha)
{
	char smsg[256];
	unsigned char sig[crypto_sign_BYTES];

	if (archive_sign_message(x->top, sha, smsg, sizeof smsg) != 0 ||
	    crypto_sign_detached(sig, NULL, (const unsigned char *)smsg, strlen(smsg), x->sign_sk) != 0)
		return err_set(x->e, E_STORAGE, "%s", _("archive: the signature cannot be made"));
	sodium_bin2hex(x->sig, sizeof x->sig, sig, sizeof sig);
	return 0;
}

/* ---- the archive ------------------------------------------------------- */

/* The one place the output stream is opened: the format and its options
 * (before the first header), then the file. */
static struct archive *
archive_open_out(struct actx *x, const char *path)
{
	struct archive *a = archive_write_new();

	if (a == NULL) {
		ax_oom(x);
		return NULL;
	}
	if (x->o->format == ARCHIVE_ZIP) {
		/* before the first header: the UTF-8 flag on every name, so
		 * Windows shows the Chinese names */
		if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
		    archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK)
			goto fail;
	} else {
		/* pax: UTF-8 names in the extended headers; no time in the gzip
		 * header, so the bytes depend on the content only */
		if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK)
			goto fail;
	}
	/* sealed handover (i14): through the seal as the bytes come */
	if ((x->seal != NULL ? archive_seal_open(a, x->seal, path) : archive_write_open_filename(a, path)) != ARCHIVE_OK)
		goto fail;
	return a;
fail:
	err_set(x->e, E_STORAGE, "%s: %s", path, archive_error_string(a));
	archive_write_free(a);
	return NULL;
}

/* The manifest and its signature, the last two entries. */
static int
write_manifest(struct actx *x, struct apipe *a, char msha[65])
{
	char mpath[128], mname[128], sname[128], sline[131];
	uint64_t mlen = 0;

	/* the dossiers' lines, all written by the thread */
	if (apipe_drain(a) != 0)
		return pipe_failed(x, a);
	ax_spool_name(x, mpath, sizeof mpath);
	if (manifest_spool(x, mpath, msha, &mlen) != 0 || manifest_sign(x, msha) != 0)
		return -1;
	snprintf(mname, sizeof mname, "%s/%s", x->top, ARCHIVE_MANIFEST);
	if (write_entry(x, a, mname, mpath, mlen, NULL, false, false) != 0)
		return -1;
	/* issue 16.5: the signature after it, detached (the manifest lists the key) */
	snprintf(sname, sizeof sname, "%s/%s", x->top, ARCHIVE_SIGNATURE);
	size_t slen = (size_t)snprintf(sline, sizeof sline, "%s\n", x->sig);
	if (write_header(x, a, sname, slen, false, false) != 0 || write_bytes(x, a, (const unsigned char *)sline, slen) != 0)
		return -1;
	return 0;
}

int
ax_write_archive(struct actx *x, const char *path, char msha[65])
{
	struct archive *arc;
	struct apipe *a;
	size_t gi = 0;
	int ret = -1;

	/* what making the entries outside the dossiers freed (the month's
	 * report, the roster) goes back to the system before libarchive's zip
	 * writer grows its central directory (about 135 bytes an entry) */
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	if ((arc = archive_open_out(x, path)) == NULL) {
		unlink(path);
		return -1;
	}
	/* the formatting and deflating in a thread, beside the making */
	if ((a = apipe_start(arc, x->o->format == ARCHIVE_ZIP, x->at, x->lines)) == NULL) {
		ax_oom(x);
		archive_write_free(arc);
		unlink(path);
		return -1;
	}
	/* every entry in name order, the dossiers' made on the way; then the
	 * manifest listing them all */
	if (write_dossiers(x, a, &gi) != 0 || write_global_before(x, a, &gi, NULL) != 0 ||
	    write_manifest(x, a, msha) != 0)
		goto out;
	if (apipe_end(a) != 0) {
		pipe_failed(x, a);
		goto out;
	}
	if (archive_write_close(arc) != ARCHIVE_OK) {
		err_set(x->e, E_STORAGE, "%s: %s", path, archive_error_string(arc));
		goto out;
	}
	ret = 0;
out:
	apipe_free(a);      /* the thread ended: the handle is ours again */
	if (archive_write_free(arc) != ARCHIVE_OK && ret == 0)
		ret = err_set(x->e, E_STORAGE, _("%s: closing the archive failed"), path);
	if (ret != 0)
		unlink(path);
	return ret;
}
