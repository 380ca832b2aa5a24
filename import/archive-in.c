/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-in.c — `dibao import archive` on the county's database: a
 * township's monthly handover archive, untrusted until proven otherwise.
 *
 * Nothing is extracted (TECHNOTES: archive_write_disk lets ../ names and
 * links land anywhere).  Only zip and tar (plain or gzip) are read, once,
 * as a stream (issue 17): each regular entry is hashed as it comes under
 * caps per entry, in total, in number and in inflation ratio
 * (archive_entry_size is the archive's word, not a fact), and forgotten;
 * only the few small ones the import reads (key, signature, payment
 * batch) are kept in memory, the audit entries checked as they come, the
 * manifest and the roster spooled to private enciphered temporary files
 * (the manifest read from its file a value at a time, the roster's people
 * by archive-roster.c).  An entry met before the
 * manifest (the exporter writes it last) waits as a line in a temporary
 * file until the manifest comes.  A link, a device, an unsafe name, an
 * entry the manifest does not list, a listed file missing, a size or
 * SHA-256 that differs, or a break in the month chain refuses the whole
 * archive; what passes is recorded in one transaction.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <sodium.h>

#include "import/archive.h"
#include "import/archive-int.h"
#include "import/manifest.h"
#include "import/payment-files.h"
#include "import/seal.h"

#include "core/roles.h"
#include "store/county.h"
#include "store/env.h"
#include "store/err.h"
#include "store/scratch.h"
#include "store/township-key.h"
#include "store/user.h"
#include "store/audit.h"
#include "core/array.h"

const struct archive_caps archive_default_caps = {
	.entry_max = (size_t)256 * 1024 * 1024,
	/* bombs, not large townships: 100,000 households send ~200,000 entries */
	.total_max = (size_t)(UINT64_C(32) << 30 < SIZE_MAX ? UINT64_C(32) << 30 : SIZE_MAX),
	.entries_max = 3000000,
	.ratio_max = 200,
};

/* An entry kept in memory: the few the import reads (the manifest, the
 * roster, the key, the signature, the audit entries, the payment batch).
 * Every other entry is hashed as it streams by and forgotten. */
struct ientry {
	char *path;
	unsigned char *data;
	size_t len;
	bool dir;
};

/* An entry met before the manifest that is kept (its bytes, or the audit
 * entries as checked); the others wait as lines in ictx.pends. */
struct ipend {
	char *path;
	bool dir;
	uint64_t len;
	char sha[65];
	unsigned char *data;    /* one of the kept, else NULL */
	struct alines *audit;   /* the audit entries' file: as checked */
};

/* issue 16.5: the month's audit entries (JSON lines) checked as they
 * stream by, linking one to the next; the end is checked against the
 * manifest afterwards (audit_lines_check). */
/* a waiting entry's line: its hash, size, kind and name (under 1100 bytes) */
#define PEND_LINE_MAX 1300

struct alines {
	char prev[65];          /* the last entry's hash */
	char first_prev[65];    /* what the first follows */
	int n;                  /* entries read */
	int bad;                /* 0, or 1 unreadable / 2 not following, at entry n + 1 */
	char *part;             /* a line begun in one piece, ended in the next */
	size_t plen, pcap;
	bool nomem;
};

static void
alines_line(struct alines *l, const char *p, size_t len)
{
	json_error_t je;

	if (len == 0 || l->bad)
		return;
	json_t *j = json_loadb(p, len, 0, &je);
	const char *pv = j ? json_string_value(json_object_get(j, "prev")) : NULL;
	const char *hv = j ? json_string_value(json_object_get(j, "hash")) : NULL;
	if (pv == NULL || hv == NULL || strlen(pv) != 64 || strlen(hv) != 64)
		l->bad = 1;
	else if (l->n == 0)
		snprintf(l->first_prev, sizeof l->first_prev, "%s", pv);
	else if (strcmp(pv, l->prev) != 0)
		l->bad = 2;
	if (!l->bad) {
		snprintf(l->prev, sizeof l->prev, "%s", hv);
		l->n++;
	}
	json_decref(j);
}

/* the next n bytes of the entry */
static void
alines_feed(struct alines *l, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end && !l->bad && !l->nomem) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool copy = nl == NULL || l->plen > 0;     /* a line in pieces */
		if (copy) {
			char *v = array_grow(l->part, &l->pcap, l->plen + len, 1);
			if (v == NULL) {
				l->nomem = true;
				return;
			}
			l->part = v;
		}
		if (copy) {
			memcpy(l->part + l->plen, p, len);
			l->plen += len;
		}
		if (nl != NULL) {
			if (l->plen > 0) {
				alines_line(l, l->part, l->plen);
				l->plen = 0;
			} else {
				alines_line(l, p, len);
			}
		}
		p += len + (nl != NULL);
	}
}

/* the end of the entry: its last line, if it has no newline */
static void
alines_end(struct alines *l)
{
	if (l->plen > 0)
		alines_line(l, l->part, l->plen);
	l->plen = 0;
	free(l->part);
	l->part = NULL;
	l->pcap = 0;
}

struct ictx {
	const char *path;       /* the archive, for messages */
	const struct archive_caps *caps;
	struct archive_import_result *res;
	struct err *e;
	size_t total;
	int count;
	struct manifest m;
	struct ientry mf;       /* the manifest's name (its bytes freed once parsed) */
	bool have_mf;           /* the manifest met */
	size_t n_files;         /* the manifest's files (its list freed once checked) */
	char top[64];
	size_t tl;
	char *seen;             /* per manifest file */
	struct ientry roster, signer, sig;   /* issue 16.5 */
	struct scratch rsp;     /* the roster's bytes (archive-roster.c) */
	struct scratch msp;     /* the manifest's bytes, while it is read */
	struct scratch csp;     /* its cases, as the county keeps them */
	size_t n_cases;
	struct alines audit;    /* the audit entries' file, checked as it came */
	bool have_audit;
	struct alines cur;      /* the entry being read, if it is that file */
	struct ipend *pend;
	size_t np, capp;
	struct scratch pends;   /* the other entries met before the manifest: a
	                         * line each (sha, size, folder?, path), its
	                         * length first in two bytes */
};

static void
ientry_free(struct ientry *en)
{
	free(en->path);
	free(en->data);
	memset(en, 0, sizeof *en);
}

static void
ictx_free(struct ictx *x)
{
	ientry_free(&x->mf);
	ientry_free(&x->roster);
	ientry_free(&x->signer);
	ientry_free(&x->sig);
	scratch_close(&x->rsp);
	scratch_close(&x->msp);
	scratch_close(&x->csp);
	alines_end(&x->audit);
	alines_end(&x->cur);
	for (size_t i = 0; i < x->np; i++) {
		free(x->pend[i].path);
		free(x->pend[i].data);
		free(x->pend[i].audit);
	}
	free(x->pend);
	scratch_close(&x->pends);
	free(x->seen);
	manifest_free(&x->m);
}

static int
oom(struct ictx *x)
{
	return err_set(x->e, E_STORAGE, "%s", _("out of memory"));
}

/* Whether the entry name is one of those kept in memory: named by what
 * follows the top folder. */
static bool
kept_name(const char *name)
{
	const char *sl = strchr(name, '/');
	if (sl == NULL)
		return false;
	sl++;
	return strcmp(sl, ARCHIVE_SIGNER) == 0 ||
	    strcmp(sl, ARCHIVE_SIGNATURE) == 0 || strcmp(sl, "发放/发放批次.json") == 0;
}

/* Read the current entry under the caps: hashed as it comes (sha), its
 * bytes kept in *out only when out is not NULL, or written to spool. */
static int
stream_entry(struct ictx *x, struct archive *a, const char *name, unsigned char **out, uint64_t *outlen, char sha[65],
    struct alines *al, struct scratch *spool)
{
	const struct archive_caps *caps = x->caps;
	crypto_hash_sha256_state hs;
	unsigned char *d = NULL, h[32];
	size_t len = 0, cap = 0;
	char buf[65536];

	crypto_hash_sha256_init(&hs);
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf, sizeof buf);
		if (n < 0) {
			free(d);
			return err_set(x->e, E_REFUSED, _("%s: %s is damaged: %s"), x->path, name, archive_error_string(a));
		}
		if (n == 0)
			break;
		x->total += (size_t)n;
		if (len + (size_t)n > caps->entry_max || x->total > caps->total_max) {
			free(d);
			return err_set(x->e, E_REFUSED, _("%s: %s is larger than an archive may hold (%zu MB): refused"),
			    x->path, name, (len + (size_t)n > caps->entry_max ? caps->entry_max : caps->total_max) >> 20);
		}
		/* a zip bomb inflates far beyond what was read from the file */
		la_int64_t raw = archive_filter_bytes(a, -1);
		if (x->total > ((size_t)1 << 20) && raw > 0 && x->total / (size_t)raw > caps->ratio_max) {
			free(d);
			return err_set(x->e, E_REFUSED, _("%s: %s inflates more than %u times: refused as a zip bomb"),
			    x->path, name, caps->ratio_max);
		}
		crypto_hash_sha256_update(&hs, (const unsigned char *)buf, (size_t)n);
		if (al != NULL)
			alines_feed(al, buf, (size_t)n);
		if (spool != NULL && scratch_write(spool, buf, (size_t)n, NULL) != 0) {
			free(d);
			return err_set(x->e, E_STORAGE, _("cannot write a temporary file: %s"), strerror(errno));
		}
		if (out != NULL) {
			unsigned char *nd = array_grow(d, &cap, len + (size_t)n, 1);
			if (nd == NULL) {
				free(d);
				return oom(x);
			}
			d = nd;
		}
		if (out != NULL)
			memcpy(d + len, buf, (size_t)n);
		len += (size_t)n;
	}
	crypto_hash_sha256_final(&hs, h);
	hex32(h, sha);
	if (out != NULL) {
		if (d == NULL && (d = malloc(1)) == NULL)
			return oom(x);
		*out = d;
	}
	*outlen = len;
	return 0;
}

static int
file_cmp(const void *k, const void *m)
{
	return strcmp((const char *)k, ((const struct manifest_file *)m)->path);
}

/* Keep data (taken over) as the entry en, refused if there twice. */
static int
keep(struct ictx *x, struct ientry *en, const char *path, unsigned char **data, uint64_t len)
{
	if (en->data != NULL)
		return err_set(x->e, E_REFUSED, _("%s: the entry %s appears twice: refused"), x->path, path);
	if ((en->path = strdup(path)) == NULL)
		return oom(x);
	en->data = *data;
	en->len = (size_t)len;
	*data = NULL;
	return 0;
}

/* One entry against the manifest: listed, once, unchanged; the kept ones
 * taken over from *data. */
static int
entry_check(struct ictx *x, const char *path, bool dir, uint64_t len, const char *sha, unsigned char **data,
    struct alines *al)
{
	const struct manifest *m = &x->m;
	size_t tl = x->tl;

	if (!dir && strncmp(path, x->top, tl) == 0 && path[tl] == '/' && strcmp(path + tl + 1, ARCHIVE_SIGNATURE) == 0)
		return keep(x, &x->sig, path, data, len);  /* issue 16.5: detached, listed nowhere */
	if (dir) {
		/* a folder is fine if it is the top or holds listed files */
		bool ok = strcmp(path, x->top) == 0;
		size_t pl = strlen(path);
		for (size_t k = 0; !ok && k < m->n_files; k++)
			ok = strncmp(m->f[k].path, path, pl) == 0 && m->f[k].path[pl] == '/';
		if (!ok)
			return err_set(x->e, E_REFUSED, _("%s: the folder %s is not in the manifest: refused"), x->path, path);
		return 0;
	}
	const struct manifest_file *f = bsearch(path, m->f, m->n_files, sizeof *m->f, file_cmp);
	if (f == NULL || strncmp(path, x->top, tl) != 0)
		return err_set(x->e, E_REFUSED, _("%s: the entry %s is not in the manifest: refused"), x->path, path);
	size_t k = (size_t)(f - m->f);
	if (x->seen[k])
		return err_set(x->e, E_REFUSED, _("%s: the entry %s appears twice: refused"), x->path, path);
	x->seen[k] = 1;
	if (len != f->size || strcmp(sha, f->sha256) != 0)
		return err_set(x->e, E_REFUSED, _("%s: %s does not match the manifest (size %zu, expected %llu; or its SHA-256 differs): the archive is damaged or was altered, refused"),
		    x->path, path, (size_t)len, (unsigned long long)f->size);
	if (strcmp(path + tl, "/花名册.csv") == 0)  /* its bytes spooled in x->rsp */
		return (x->roster.path = strdup(path)) == NULL ? oom(x) : 0;
	if (strcmp(path + tl, "/" ARCHIVE_SIGNER) == 0)
		return keep(x, &x->signer, path, data, len);
	if (strcmp(path + tl, "/审计日志.jsonl") == 0 && al != NULL) {
		x->audit = *al;     /* seen[] above: only once */
		x->have_audit = true;
		memset(al, 0, sizeof *al);
		return 0;
	}
	if (strcmp(path + tl, "/发放/发放批次.json") == 0 &&  /* issue 13 */
	    payment_archive_summary(*data, (size_t)len, &x->res->payment) != 0)
		return err_set(x->e, E_REFUSED, _("%s: %s is not a payment batch summary: refused"), x->path, path);
	return 0;
}

/* The entries waiting in x->pends against the manifest, then the file closed. */
static int
pend_lines_check(struct ictx *x)
{
	char line[PEND_LINE_MAX + 1], sha[65];
	int ret = 0, dir, off;
	unsigned long long len;
	unsigned char *none = NULL, be[2];

	for (off_t at = 0; ret == 0 && x->pends.f != NULL && at < x->pends.end;) {
		size_t n;
		if (scratch_read(&x->pends, at, be, 2) != 0 || (n = (size_t)be[0] << 8 | be[1]) > PEND_LINE_MAX ||
		    scratch_read(&x->pends, at + 2, line, n) != 0) {
			ret = err_set(x->e, E_STORAGE, _("cannot read a temporary file: %s"), strerror(errno ? errno : EIO));
			break;
		}
		at += 2 + (off_t)n;
		line[n] = '\0';
		off = 0;
		if (sscanf(line, "%64s %llu %d %n", sha, &len, &dir, &off) != 3 || off == 0)
			ret = err_set(x->e, E_STORAGE, "%s", strerror(EIO));
		else
			ret = entry_check(x, line + off, dir != 0, len, sha, &none, NULL);
	}
	scratch_close(&x->pends);
	return ret;
}

/* A case of the manifest, as the county keeps it, into x->csp (the
 * import's transaction reads them from there) */
static int
case_spool(const struct manifest *m, const struct manifest_case *mc, void *baton, struct err *e)
{
	struct ictx *x = baton;
	struct county_case c;

	memset(&c, 0, sizeof c);
	snprintf(c.township, sizeof c.township, "%s", m->township_code);
	c.period = m->period;
	snprintf(c.dossier, sizeof c.dossier, "%s", mc->dossier);
	snprintf(c.head, sizeof c.head, "%s", mc->head);
	snprintf(c.village, sizeof c.village, "%s", mc->village);
	c.persons = mc->persons;
	c.total = mc->total;
	c.kin = mc->kin;
	c.added = mc->added;
	if (x->csp.f == NULL && scratch_open(&x->csp) != 0)
		return err_set(e, E_STORAGE, _("cannot create a temporary file: %s"), strerror(errno));
	if (scratch_write(&x->csp, &c, sizeof c, NULL) != 0)
		return err_set(e, E_STORAGE, _("cannot write a temporary file: %s"), strerror(errno));
	x->n_cases++;
	return 0;
}

/* The manifest met: read, placed where it describes; the entries met
 * before it checked now. */
static int
manifest_met(struct ictx *x, const char *path, const char sha[65])
{
	char want[128];

	x->have_mf = true;
	if ((x->mf.path = strdup(path)) == NULL)
		return oom(x);
	int r = manifest_parse_scratch(&x->msp, case_spool, x, &x->m, x->e);
	scratch_close(&x->msp);
	if (r != 0)
		return err_add(x->e, E_REFUSED, _("%s: the manifest is refused"), x->path);
	manifest_top(&x->m, x->top, sizeof x->top);
	x->tl = strlen(x->top);
	snprintf(want, sizeof want, "%s/%s", x->top, ARCHIVE_MANIFEST);
	if (strcmp(x->mf.path, want) != 0)
		return err_set(x->e, E_REFUSED, _("%s: the manifest is at %s but describes %s"), x->path, x->mf.path, want);
	memcpy(x->res->manifest_sha, sha, 65);     /* for the chain */
	x->n_files = x->m.n_files;
	if ((x->seen = calloc(x->m.n_files ? x->m.n_files : 1, 1)) == NULL)
		return oom(x);
	for (size_t i = 0; i < x->np; i++) {
		struct ipend *p = &x->pend[i];
		if (entry_check(x, p->path, p->dir, p->len, p->sha, &p->data, p->audit) != 0)
			return -1;
	}
	return pend_lines_check(x);
}

/* An entry met before the manifest, kept for later (its name, size and
 * hash in x->pends; in memory with its bytes if it is one of the kept). */
static int
pend(struct ictx *x, const char *path, bool dir, uint64_t len, const char *sha, unsigned char **data,
    const struct alines *al)
{
	/* the name is safe (no control characters): one line, in the private
	 * enciphered temporary file (the paths name dossiers and their scans) */
	if (*data == NULL && al == NULL) {
		char line[PEND_LINE_MAX + 2];
		int n = snprintf(line + 2, sizeof line - 2, "%s %llu %d %s", sha[0] ? sha : "-", (unsigned long long)len,
		    dir ? 1 : 0, path);
		if (n < 0 || n > PEND_LINE_MAX)
			return err_set(x->e, E_REFUSED, _("%s: an entry without a usable name: refused"), x->path);
		line[0] = (char)(n >> 8);
		line[1] = (char)n;
		return ((x->pends.f == NULL && scratch_open(&x->pends) != 0) ||
		    scratch_write(&x->pends, line, (size_t)n + 2, NULL) != 0) ?
		    err_set(x->e, E_STORAGE, _("cannot create a temporary file: %s"), strerror(errno)) : 0;
	}
	struct ipend *v = array_grow(x->pend, &x->capp, x->np + 1, sizeof *v);
	if (v == NULL)
		return oom(x);
	x->pend = v;
	struct ipend *p = &x->pend[x->np];
	memset(p, 0, sizeof *p);
	if ((p->path = strdup(path)) == NULL)
		return oom(x);
	if (al != NULL) {
		if ((p->audit = malloc(sizeof *p->audit)) == NULL) {
			free(p->path);
			return oom(x);
		}
		*p->audit = *al;
	}
	p->dir = dir;
	p->len = len;
	snprintf(p->sha, sizeof p->sha, "%s", sha);
	p->data = *data;
	*data = NULL;
	x->np++;
	return 0;
}

/* One header of the archive: the entry's name and kind checked; its bytes
 * read (kept or hashed) and checked against the manifest, or kept for
 * that until the manifest comes. */
static int
one_entry(struct ictx *x, struct archive *a, struct archive_entry *ent)
{
	const char *name = archive_entry_pathname_utf8(ent);
	mode_t type = archive_entry_filetype(ent);
	char clean[1100], sha[65] = "";
	unsigned char *data = NULL;
	uint64_t len = 0;
	int r;

	if (name == NULL)
		name = archive_entry_pathname(ent);
	if (++x->count > x->caps->entries_max)
		return err_set(x->e, E_REFUSED, _("%s: more than %d entries: refused"), x->path, x->caps->entries_max);
	if (name == NULL || strlen(name) >= sizeof clean)
		return err_set(x->e, E_REFUSED, _("%s: an entry without a usable name: refused"), x->path);
	snprintf(clean, sizeof clean, "%s", name);
	if (type == AE_IFDIR && clean[0] && clean[strlen(clean) - 1] == '/')
		clean[strlen(clean) - 1] = '\0';
	if (archive_entry_hardlink(ent) != NULL || archive_entry_symlink(ent) != NULL ||
	    (type != AE_IFREG && type != AE_IFDIR))
		return err_set(x->e, E_REFUSED, _("%s: the entry %s is a link or a device: an archive holds only files, refused"),
		    x->path, name);
	if (!archive_path_safe(clean))
		return err_set(x->e, E_REFUSED, _("%s: the entry name %s is unsafe (absolute, or with ..): refused"), x->path,
		    name);
	if (type == AE_IFDIR) {
		if (archive_read_data_skip(a) != ARCHIVE_OK)
			return err_set(x->e, E_REFUSED, _("%s: damaged: %s"), x->path, archive_error_string(a));
	}
	const char *sl = strchr(clean, '/');
	bool audit = type != AE_IFDIR && sl != NULL && strcmp(sl + 1, "审计日志.jsonl") == 0;
	/* the roster (one, whatever its folder) spooled for archive-roster.c */
	bool roster = type != AE_IFDIR && sl != NULL && strcmp(sl + 1, "花名册.csv") == 0;
	if (roster && x->rsp.f != NULL)
		return err_set(x->e, E_REFUSED, _("%s: the entry %s appears twice: refused"), x->path, clean);
	/* the manifest (one) spooled while it comes, read once it is whole */
	bool mf = type != AE_IFDIR && sl != NULL && strcmp(sl + 1, ARCHIVE_MANIFEST) == 0;
	if (mf && x->have_mf)
		return err_set(x->e, E_REFUSED, _("%s: more than one manifest.json: refused"), x->path);
	struct scratch *spool = roster ? &x->rsp : mf ? &x->msp : NULL;
	if (spool != NULL && scratch_open(spool) != 0)
		return err_set(x->e, E_STORAGE, _("cannot create a temporary file: %s"), strerror(errno));
	memset(&x->cur, 0, sizeof x->cur);
	if (type != AE_IFDIR && stream_entry(x, a, clean, kept_name(clean) ? &data : NULL, &len, sha,
	    audit ? &x->cur : NULL, spool) != 0)
		return -1;
	alines_end(&x->cur);
	if (mf)
		r = manifest_met(x, clean, sha);
	else if (!x->have_mf)
		r = pend(x, clean, type == AE_IFDIR, len, sha, &data, audit ? &x->cur : NULL);
	else
		r = entry_check(x, clean, type == AE_IFDIR, len, sha, &data, audit ? &x->cur : NULL);
	free(data);
	return r;
}

/* The archive read through once, every entry checked. */
static int
read_all(struct ictx *x, const struct scratch *sealed)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	int r, ret = -1;

	if (a == NULL)
		return oom(x);
	/* zip and tar (plain or gzip): nothing else can be slipped in.  A zip
	 * by its central directory (kept till the read ends: 3 MB for 20,000
	 * entries), as Windows shows it, not by its local headers */
	if (archive_read_support_format_zip(a) != ARCHIVE_OK || archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK) {
		err_set(x->e, E_STORAGE, "libarchive: %s", archive_error_string(a));
		goto done;
	}
	if ((sealed != NULL ? seal_read_open(a, sealed) : archive_read_open_filename(a, x->path, 65536)) != ARCHIVE_OK) {
		err_set(x->e, E_REFUSED, _("%s: not a zip or tar.gz archive: %s"), x->path, archive_error_string(a));
		goto done;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK || r == ARCHIVE_WARN)
		if (one_entry(x, a, ent) != 0)
			goto done;
	if (r != ARCHIVE_EOF) {
		err_set(x->e, E_REFUSED, _("%s: damaged: %s"), x->path, archive_error_string(a));
		goto done;
	}
	ret = 0;
done:
	if (archive_read_free(a) != ARCHIVE_OK && ret == 0)
		ret = err_set(x->e, E_STORAGE, _("%s: closing the archive failed"), x->path);
	return ret;
}

/* After the whole archive: a manifest, every listed file met, a roster. */
static int
read_complete(struct ictx *x)
{
	if (!x->have_mf)
		return err_set(x->e, E_REFUSED, _("%s: no manifest.json under a top folder: not a dibao monthly archive"),
		    x->path);
	for (size_t k = 0; k < x->m.n_files; k++)
		if (!x->seen[k])
			return err_set(x->e, E_REFUSED, _("%s: %s is listed in the manifest but missing: refused"), x->path,
			    x->m.f[k].path);
	manifest_free_files(&x->m);     /* every file checked: before the roster is read */
	free(x->seen);
	x->seen = NULL;
	if (x->roster.path == NULL)
		return err_set(x->e, E_REFUSED, _("%s: the archive has no roster (花名册.csv): refused"), x->path);
	return 0;
}

/* issue 16.5: the township's signature over the manifest, by the key the
 * manifest lists: 0 and the key's hex into signer, or refused */
static int
signature_check(const char *path, const char *top, const struct ientry *key, const struct ientry *sig,
    const char *manifest_sha, char signer[65], struct err *e)
{
	unsigned char pk[32], s[crypto_sign_BYTES];
	char msg[256];

	if (key == NULL || sig == NULL)
		return err_set(e, E_REFUSED, _("%s: the archive is not signed by its township (no %s): refused"), path,
		    key == NULL ? ARCHIVE_SIGNER : ARCHIVE_SIGNATURE);
	if (key->len < 64 || sodium_hex2bin(pk, 32, (const char *)key->data, 64, NULL, NULL, NULL) != 0 ||
	    sig->len < 128 || sodium_hex2bin(s, sizeof s, (const char *)sig->data, 128, NULL, NULL, NULL) != 0 ||
	    archive_sign_message(top, manifest_sha, msg, sizeof msg) != 0)
		return err_set(e, E_REFUSED, _("%s: the township's key or signature is unreadable: refused"), path);
	if (crypto_sign_verify_detached(s, (const unsigned char *)msg, strlen(msg), pk) != 0)
		return err_set(e, E_REFUSED,
		    _("%s: the signature does not match the manifest: the archive was altered after the township signed it, refused"),
		    path);
	sodium_bin2hex(signer, 65, pk, 32);
	return 0;
}

/* issue 16.5: the month's audit entries (JSON lines, checked as they came:
 * struct alines) link one to the next and end at the manifest's head;
 * first_prev is what the first follows ("" when the month has none) */
static int
audit_lines_check(const char *path, const struct alines *l, const struct manifest *m, char first_prev[65],
    struct err *e)
{
	first_prev[0] = '\0';
	if (l == NULL)
		return err_set(e, E_REFUSED, _("%s: the archive has no audit entries file: refused"), path);
	if (l->nomem)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (l->bad == 1)
		return err_set(e, E_REFUSED, _("%s: audit entry %d of the month is unreadable: refused"), path, l->n + 1);
	if (l->bad == 2)
		return err_set(e, E_REFUSED, _("%s: audit entry %d of the month does not follow the one before: refused"),
		    path, l->n + 1);
	if (l->n > 0)
		snprintf(first_prev, 65, "%s", l->first_prev);
	if (l->n != m->audit_entries || (l->n > 0 && strcmp(l->prev, m->audit_head) != 0))
		return err_set(e, E_REFUSED,
		    _("%s: the month's audit entries (%d, ending at %.12s…) do not end at the manifest's head (%d, %.12s…): refused"),
		    path, l->n, l->prev, m->audit_entries, m->audit_head);
	return 0;
}

/* The county's import of what the archive x holds: the chain, the people
 * of its roster, the cases, the township's signature and audit entries. */
static int
import_prepare(struct store *st, const struct user *actor, struct ictx *x, bool accept_new_key,
    struct county_import *ci, struct scratch *people)
{
	struct archive_import_result *res = x->res;
	const struct manifest *m = &x->m;
	struct county_archive last;
	struct err *e = x->e;

	/* the chain, checked here for a clear message and again under lock */
	/* res->manifest_sha: computed when the manifest was met */
	int lr = county_last(st, NULL, m->township_code, &last, e);
	if (lr != 0 && e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	if (county_chain_check(lr == 0 ? &last : NULL, m->township_code, m->period, m->previous, res->manifest_sha, e) != 0)
		return -1;
	int pr = ax_roster_people(&x->rsp, x->roster.path, m, people, &ci->n_people, e);
	scratch_close(&x->rsp);
	if (pr != 0)
		return -1;
	ci->people = people;
	ci->cases = x->csp.f != NULL ? &x->csp : NULL;
	ci->n_cases = x->n_cases;
	/* issue 16.5: signed by the township (its key pinned or confirmed),
	 * its audit entries going on from last month's head; checked after
	 * the roster is read, so that a roster's refusal names its line */
	snprintf(ci->a.township, sizeof ci->a.township, "%s", m->township_code);
	snprintf(ci->a.audit_head, sizeof ci->a.audit_head, "%s", m->audit_head);
	ci->a.period = m->period;
	ci->accept_new_key = accept_new_key;
	if (signature_check(x->path, x->top, x->signer.data ? &x->signer : NULL, x->sig.data ? &x->sig : NULL,
	    res->manifest_sha, ci->a.signer, e) != 0 ||
	    audit_lines_check(x->path, x->have_audit ? &x->audit : NULL, m, ci->audit_first_prev, e) != 0 ||
	    county_audit_continues(lr == 0 ? &last : NULL, &ci->a, ci->audit_first_prev, e) != 0)
		return -1;
	struct json_t *dummy = NULL;
	if (county_signer_check(st, NULL, actor, ci, &dummy, e) != 0)
		return -1;

	snprintf(ci->a.township, sizeof ci->a.township, "%s", m->township_code);
	snprintf(ci->a.name, sizeof ci->a.name, "%s", m->township_name);
	ci->a.period = m->period;
	snprintf(ci->a.manifest, sizeof ci->a.manifest, "%s", res->manifest_sha);
	snprintf(ci->a.previous, sizeof ci->a.previous, "%s", m->previous);
	ci->a.dossiers = m->dossiers;
	ci->a.files = (int)x->n_files;
	ci->a.audit_entries = m->audit_entries;
	ci->a.filings = m->filings;
	if (res->payment.have) {  /* issue 13: the county stores the batch */
		const struct archive_payment *p = &res->payment;
		ci->have_payment = true;
		ci->payment = (struct county_payment){.households = p->households, .persons = p->persons,
		    .held = p->held, .recovery = p->recovery, .total = p->total, .arrears = p->arrears,
		    .held_amount = p->held_amount, .recovery_amount = p->recovery_amount, .reconciled = p->reconciled,
		    .paid = p->paid, .failed = p->failed, .mismatch = p->mismatch, .unknown = p->unknown,
		    .missing = p->missing};
		memcpy(ci->payment.sha256, p->sha256, sizeof ci->payment.sha256);
	}
	return 0;
}

int
archive_import(struct store *st, const struct user *actor, const char *path, const struct archive_caps *caps,
    struct archive_import_result *res, struct err *e)
{
	return archive_import_key(st, actor, path, caps, false, res, e);
}

int
archive_import_key(struct store *st, const struct user *actor, const char *path, const struct archive_caps *caps,
    bool accept_new_key, struct archive_import_result *res, struct err *e)
{
	struct ictx x;
	struct county_import ci;
	struct scratch people = {0};
	int ret = -1;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	memset(&ci, 0, sizeof ci);
	x.path = path;
	x.caps = caps != NULL ? caps : &archive_default_caps;
	x.res = res;
	x.e = e;
	if (store_require(actor, ACT_SETTINGS, e) != 0 || county_require(st, e) != 0)
		return -1;
	/* sealed handover (i14): a sealed archive is opened first */
	struct scratch sealed = {0};
	int rr = archive_unseal_hook(st, actor, path, &sealed, e);
	if (rr < 0)
		goto out;
	rr = read_all(&x, rr == 1 ? &sealed : NULL);
	scratch_close(&sealed);
	if (rr != 0 || read_complete(&x) != 0 || import_prepare(st, actor, &x, accept_new_key, &ci, &people) != 0 ||
	    county_import_run(st, actor, &ci, e) != 0)
		goto out;
	snprintf(res->township, sizeof res->township, "%s", x.m.township_code);
	snprintf(res->township_name, sizeof res->township_name, "%s", x.m.township_name);
	res->period = x.m.period;
	res->files = (int)x.n_files;
	res->people = (int)ci.n_people;
	res->cases = (int)ci.n_cases;
	/* issue 16.5: the key's fingerprint, to confirm by phone */
	if (sign_fingerprint_hex(ci.a.signer, res->fingerprint) != 0)
		res->fingerprint[0] = '\0';
	res->key_new = ci.key_new;
	res->key_changed = ci.key_changed;
	ret = 0;
out:
	scratch_close(&people);
	ictx_free(&x);
	return ret;
}
