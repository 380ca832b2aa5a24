/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-write.c — the monthly archive written (archive-int.h): pass 1
 * over the changed dossiers and the manifest, pass 2 the archive itself.
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

/* ---- writing ------------------------------------------------------------ */

/*
 * The archive is written in two passes, in the order the county reads it:
 * the manifest first, then every other entry sorted by name.
 *   pass 1: every entry outside the dossiers is in the temporary directory
 *           (add, add_file, the CSVs); each changed dossier's entries are
 *           made in turn and hashed, a line each in x->lines (struct dline)
 *           and the bytes made in x->body (making them again in pass 2 cost
 *           as much as deflating them); the manifest is then written from
 *           both lists into the temporary directory.
 *   pass 2: archive_open_out opens the output stream (the one place); the
 *           manifest, then the entries in name order through write_header
 *           and write_bytes: the dossiers' from x->body, files and scans
 *           read in pieces (a scan checked against its name).  libarchive's
 *           formatting and deflate run in a thread (archive-pipe.c).
 * Memory depends on neither the number of households nor a file's size;
 * the temporary directory holds the dossiers' entries uncompressed (about
 * 14 KB a changed household).
 */

int
ax_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aentry *)a)->path, ((const struct aentry *)b)->path);
}

/* One dossier entry as pass 1 made it: a line "sha size KS path", K its
 * kind ('d': bytes made, kept in x->body in turn; 's': a scan, its name
 * sha; 'f': a file of the temporary directory), S 1 for stored; a scan or
 * a file has a second line, the file it is read from. */
struct dline {
	char sha[65];
	uint64_t size;
	char kind;
	bool store;
	char *path;
	char *src;
	char *buf, *sbuf;       /* getline's */
	size_t cap, scap;
};

static uint64_t
fnv64(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static int
dline_read(struct actx *x, struct dline *l)
{
	unsigned long long size;
	char kind, store;
	int off = 0;
	ssize_t n = getline(&l->buf, &l->cap, x->lines);
	if (n <= 0)
		return ferror(x->lines) ? err_set(x->e, E_STORAGE, "%s", strerror(EIO)) : 1;
	l->buf[n - 1] = '\0';
	if (sscanf(l->buf, "%64s %llu %c%c %n", l->sha, &size, &kind, &store, &off) != 4 || off == 0 ||
	    !strchr("dsf", kind))
		goto bad;
	l->size = size;
	l->kind = kind;
	l->store = store == '1';
	l->path = l->buf + off;
	l->src = NULL;
	if (kind != 'd') {
		if ((n = getline(&l->sbuf, &l->scap, x->lines)) <= 0)
			goto bad;
		l->sbuf[n - 1] = '\0';
		l->src = l->sbuf;
	}
	return 0;
bad:
	return err_set(x->e, E_STORAGE, "%s", _("archive: the temporary list of entries is damaged"));
}

static void
dline_free(struct dline *l)
{
	free(l->buf);
	free(l->sbuf);
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

/* The header of an entry, stored or deflated. */
static int
write_header(struct actx *x, struct apipe *p, const char *path, uint64_t len, bool store)
{
	return apipe_header(p, path, len, store) != 0 ? pipe_failed(x, p) : 0;
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

/* The one place an entry goes into the archive: its bytes from memory
 * (data, made again: their FNV-1a hash must be fast, pass 1's) or from the
 * file src, read in pieces (a scan: they must hash to sha, its name; a
 * file of our temporary directory: sha NULL); len bytes in all. */
static int
write_entry(struct actx *x, struct apipe *a, const char *path, const unsigned char *data, const char *src,
    uint64_t len, const char *sha, uint64_t fast, bool store)
{
	crypto_hash_sha256_state hs;
	unsigned char h[32];
	char got[65];
	uint64_t total = 0;

	if (write_header(x, a, path, len, store) != 0)
		return -1;
	crypto_hash_sha256_init(&hs);
	if (src == NULL) {
		if (fnv64(data, (size_t)len) != fast)
			return changed_meanwhile(x, path);
		return write_bytes(x, a, data, (size_t)len);
	} else {
		/* a scan (sha given) through the store: decrypted when encrypted */
		FILE *f = sha != NULL ? attach_fopen(x->st, sha) : fopen(src, "rb");
		unsigned char *buf = malloc(CHUNK);
		size_t n;
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
				break;	/* grown since it was hashed */
			if (write_bytes(x, a, buf, n) != 0) {
				failed = 1;
				break;
			}
		}
		int bad = ferror(f);
		fclose(f);
		free(buf);
		if (failed)
			return -1;
		if (bad)
			return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), src, strerror(EIO));
	}
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

/* ---- pass 1: the dossiers' entries hashed, the manifest made ------------ */

int
ax_dossiers_hash(struct actx *x, const struct checklist_def *defs, int ndefs)
{
	struct dvec dv = {0};
	int kept = 0, ret = -1;
	char path[1100];

	for (size_t i = 0; i < x->nd; i++) {
		/* the changed dossiers (forms re-rendered, scans read) are the long
		 * part: tell how far, and stop if asked (nothing written yet) */
		const struct progress *pg = x->o->progress;
		if (pg && pg->fn && i % 20 == 0 && pg->fn((int)i, (int)x->nd, pg->baton)) {
			err_set(x->e, E_REFUSED, "%s", _("archive cancelled: nothing was written or recorded"));
			goto out;
		}
		int r = ax_dossier_entries(x, x->dossiers[i], defs, ndefs, &dv);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		kept++;
		for (size_t k = 0; k < dv.n; k++) {
			struct dentry *en = &dv.v[k];
			uint64_t len = en->len;
			if (snprintf(path, sizeof path, "%s/%s", x->top, en->rel) >= (int)sizeof path ||
			    !archive_path_safe(path)) {
				err_set(x->e, E_STORAGE, _("archive: an unsafe entry name %s"), en->rel);
				goto out;
			}
			if (en->data != NULL)
				sha256_hex(en->data, en->len, en->sha);
			else if (!en->scan && ax_file_sha(x, en->src, en->sha, &len) != 0)
				goto out;
			char kind = en->data != NULL ? 'd' : en->scan ? 's' : 'f';
			if (fprintf(x->lines, "%s %llu %c%d %s\n", en->sha, (unsigned long long)len, kind,
			    en->store ? 1 : 0, path) < 0 || (kind != 'd' && fprintf(x->lines, "%s\n", en->src) < 0) ||
			    (kind == 'd' && en->len > 0 && fwrite(en->data, 1, en->len, x->body) != en->len)) {
				err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->tmpdir, strerror(errno));
				goto out;
			}
			x->dossier_files++;
		}
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
int
ax_manifest_spool(struct actx *x, const char *mpath, char sha[65], uint64_t *mlen)
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
	rewind(x->lines);
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
	dline_free(&dl);
	free(head);
	return ret;
}

/* ---- pass 2: the archive ------------------------------------------------ */

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

/* A dossier's entry made in pass 1: its len bytes, next in x->body. */
static int
write_made(struct actx *x, struct apipe *a, const char *path, uint64_t len, bool store)
{
	unsigned char *buf;

	if (write_header(x, a, path, len, store) != 0)
		return -1;
	if ((buf = malloc(CHUNK)) == NULL)
		return ax_oom(x);
	for (uint64_t left = len; left > 0;) {
		size_t n = fread(buf, 1, left < CHUNK ? (size_t)left : CHUNK, x->body);
		if (n == 0 || write_bytes(x, a, buf, n) != 0) {
			if (n == 0)
				err_set(x->e, E_STORAGE, _("cannot read %s: %s"), x->tmpdir, strerror(EIO));
			free(buf);
			return -1;
		}
		left -= n;
	}
	free(buf);
	return 0;
}

/* the entries outside the dossiers that sort before path (all: NULL) */
static int
write_global_before(struct actx *x, struct apipe *a, size_t *gi, const char *path)
{
	for (; *gi < x->n && (path == NULL || strcmp(x->v[*gi].path, path) < 0); (*gi)++) {
		const struct aentry *en = &x->v[*gi];
		if (write_entry(x, a, en->path, NULL, en->src, en->len, NULL, 0, en->store) != 0)
			return -1;
	}
	return 0;
}

int
ax_write_archive(struct actx *x, const char *path, const char *mpath, uint64_t mlen, const char *msha)
{
	struct archive *arc;
	struct apipe *a;
	char mname[128];
	size_t gi = 0;
	struct dline dl = {0};
	int lr;
	int ret = -1;

	/* issue 17: pass 2 reads nothing more from the store and neither list
	 * (pass 1 kept what it made): the memory goes back before libarchive's
	 * zip writer grows its central directory (about 140 bytes an entry) */
	free(x->dossiers);
	x->dossiers = NULL;
	x->nd = x->capd = 0;
	free(x->forms);
	x->forms = NULL;
	x->nf = x->capf = 0;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	if ((arc = archive_open_out(x, path)) == NULL) {
		unlink(path);
		return -1;
	}
	/* the formatting and deflating in a thread, beside the making */
	if ((a = apipe_start(arc, x->o->format == ARCHIVE_ZIP, x->at)) == NULL) {
		ax_oom(x);
		archive_write_free(arc);
		unlink(path);
		return -1;
	}
	/* the manifest first: a reader sees what to expect before the rest */
	snprintf(mname, sizeof mname, "%s/%s", x->top, ARCHIVE_MANIFEST);
	if (write_entry(x, a, mname, NULL, mpath, mlen, NULL, 0, false) != 0)
		goto out;
	/* issue 16.5: the signature next, detached (the manifest lists the key) */
	char sname[128], sline[131];
	snprintf(sname, sizeof sname, "%s/%s", x->top, ARCHIVE_SIGNATURE);
	size_t slen = (size_t)snprintf(sline, sizeof sline, "%s\n", x->sig);
	if (write_entry(x, a, sname, (const unsigned char *)sline, NULL, slen, NULL,
	    fnv64((const unsigned char *)sline, slen), false) != 0)
		goto out;
	/* the dossiers' entries as pass 1 made them, the others between */
	rewind(x->lines);
	if (fflush(x->body) != 0) {
		err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->tmpdir, strerror(errno));
		goto out;
	}
	rewind(x->body);
	while ((lr = dline_read(x, &dl)) == 0)
		if (write_global_before(x, a, &gi, dl.path) != 0 ||
		    (dl.kind == 'd' ? write_made(x, a, dl.path, dl.size, dl.store) :
		    write_entry(x, a, dl.path, NULL, dl.src, dl.size, dl.kind == 's' ? dl.sha : NULL, 0, dl.store)) != 0)
			goto out;
	if (lr < 0)
		goto out;
	if (write_global_before(x, a, &gi, NULL) != 0)
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
	dline_free(&dl);
	return ret;
}

