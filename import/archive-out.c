/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-out.c — `dibao export archive`: the monthly handover archive for
 * the county (SPEC 9, docs/ARCHIVE.md).  Everything goes under one top
 * folder "<township code>-<YYYY-MM>/": the manifest, a Chinese README, the
 * monthly report, the roster, the filing register, the two ledgers, the
 * month's audit entries with the chain head, and each dossier changed in
 * the period with its record, forms, scans and checklist.
 *
 * The archive is written streaming (see "writing" below: two passes, the
 * entries outside the dossiers waiting in a temporary directory, scans read
 * in pieces), entries sorted, every time taken from the period's end, so
 * the same month exported twice gives the same bytes; memory depends on
 * neither the township's size nor the scans'.  Zip by default (the county opens it on Windows): names flagged
 * UTF-8, JPEGs/PNGs/PDFs/XLSX stored (already compressed), text deflated.
 * The file is written first; then one transaction records the manifest's
 * hash (the next month's `previous`), marks the carried filings reported
 * to the county and audits the export — if it fails, the file goes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "import/archive-pipe.h"
#include "import/import.h"
#include "print/forms.h"

#define ENTRY_MAX ((size_t)256 * 1024 * 1024)  /* one scan we are willing to carry */
#define CHUNK ((size_t)64 * 1024)              /* files are read and written in pieces of this */

/* An entry outside the changed dossiers (report, roster, ledgers, audit
 * entries, README…): its bytes wait in a file of the temporary directory
 * until the archive is written.  These are few, whatever the township's
 * size; the dossiers' entries are made again when written (below). */
struct aentry {
	char *path;             /* full path, top folder included */
	char *src;              /* the file holding the bytes */
	uint64_t len;
	char sha[65];
	bool store;             /* stored, not deflated */
};

/* One period's print of a form of a changed dossier: printed again into the
 * archive (pass 1 renders it into the temporary directory, pass 2 reads it). */
struct form_print {
	char no[DOSSIER_NO_LEN + 1];
	char form[TEXT_SHORT];
	bool rendered;          /* false: no longer applies, left out */
};

struct actx {
	struct store *st;
	const struct user *actor;
	const struct archive_export_opts *o;
	struct err *e;
	char top[64];
	char code[TOWNSHIP_CODE_LEN + 1], name[TEXT_SHORT];
	dbdate_t from, to;
	int64_t at;             /* the period's end, 23:59:59 local */
	struct aentry *v;
	size_t n, cap;
	size_t spooled;         /* names of the temporary files */
	/* the changed dossiers */
	char (*dossiers)[DOSSIER_NO_LEN + 1];
	size_t nd, capd;
	struct form_print *forms;
	size_t nf, capf;
	bool prints_failed;     /* out of memory inside the walk */
	FILE *lines;            /* the dossiers' entries as pass 1 found them (struct dline) */
	FILE *body;             /* the bytes pass 1 made of them, one after the other */
	uint64_t dossier_files;
	/* the month's audit entries, as JSON lines */
	FILE *audit;
	int audit_entries;
	bool audit_failed;      /* out of memory inside the walk (it stops quietly) */
	bool cancelled;         /* the clerk cancelled during the monthly report */
	/* filings carried (marked reported by this export) */
	char (*carry)[FILING_NO_LEN + 1];
	size_t nc, capc;
	char reported_before[4096];  /* meta archive.filings.M of an earlier export */
	char tmpdir[64];
	/* issue 16.5: the township's key, and the signature of the manifest */
	unsigned char sign_pk[32], sign_sk[64];
	char sig[129];
	struct seal_out *seal;  /* sealed handover (i14): NULL for a plain archive */
	struct manifest m;
	struct checklist_def defs[MAX_ITEMS];   /* the checklist's items */
	int ndefs;
};

static dbdate_t
local_date(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int
oom(struct actx *x)
{
	return err_set(x->e, E_STORAGE, "%s", _("out of memory"));
}

/* A new file name in the temporary directory. */
static void
spool_name(struct actx *x, char *buf, size_t size)
{
	snprintf(buf, size, "%s/e%zu", x->tmpdir, x->spooled++);
}

/* SHA-256 and size of a file, read in pieces. */
static int
file_sha(struct actx *x, const char *path, char sha[65], uint64_t *len)
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
		return oom(x);
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
static int
add_spooled(struct actx *x, const char *rel, const char *src, bool store)
{
	char path[1024], dst[128];
	struct aentry *en;

	if (snprintf(path, sizeof path, "%s/%s", x->top, rel) >= (int)sizeof path || !archive_path_safe(path)) {
		unlink(src);
		return err_set(x->e, E_STORAGE, _("archive: an unsafe entry name %s"), rel);
	}
	spool_name(x, dst, sizeof dst);
	if (strcmp(src, dst) != 0 && rename(src, dst) != 0) {
		int en2 = errno;
		unlink(src);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), dst, strerror(en2));
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct aentry *v = realloc(x->v, cap * sizeof *v);
		if (v == NULL) {
			unlink(dst);
			return oom(x);
		}
		x->v = v;
		x->cap = cap;
	}
	en = &x->v[x->n];
	memset(en, 0, sizeof *en);
	if ((en->path = strdup(path)) == NULL || (en->src = strdup(dst)) == NULL) {
		free(en->path);
		unlink(dst);
		return oom(x);
	}
	en->store = store;
	x->n++;
	if (file_sha(x, dst, en->sha, &en->len) != 0)
		return -1;
	return 0;
}

/* Add an entry under the top folder; data is taken over (and freed once
 * it is in the temporary directory). */
static int
add(struct actx *x, const char *rel, unsigned char *data, size_t len, bool store)
{
	char src[128];
	FILE *f;

	spool_name(x, src, sizeof src);
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
	return add_spooled(x, rel, src, store);
}

/* payment-archive.c's entries (issue 13) */
static int
payment_add(void *ctx, const char *rel, unsigned char *data, size_t len)
{
	return add(ctx, rel, data, len, false);
}

/* Add a file written in the temporary directory (a PDF, the roster). */
static int
add_file(struct actx *x, const char *rel, const char *path, bool store)
{
	return add_spooled(x, rel, path, store);
}

/* ---- CSV into a temporary file (UTF-8 with the BOM Excel and WPS need) -- */

struct memcsv {
	FILE *f;
	char *buf;              /* always NULL: the rows go to the file path */
	char path[128];
};

static int
csv_begin(struct actx *x, struct memcsv *c, const char *const *head, int n)
{
	c->buf = NULL;
	spool_name(x, c->path, sizeof c->path);
	if ((c->f = fopen(c->path, "wb")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), c->path, strerror(errno));
	fputs("\xEF\xBB\xBF", c->f);
	for (int i = 0; i < n; i++)
		csv_put_field(c->f, head[i], i == n - 1);
	return 0;
}

/* a CSV given up (an error on the way) */
static void
csv_abort(struct memcsv *c)
{
	if (c->f != NULL)
		fclose(c->f);
	c->f = NULL;
	unlink(c->path);
}

static void
csv_cells(struct memcsv *c, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		/* a leading = + - @ would be a formula in Excel */
		if (s[0] == '=' || s[0] == '+' || s[0] == '@' || (s[0] == '-' && (s[1] < '0' || s[1] > '9'))) {
			char q[TEXT_LONG + 2];
			snprintf(q, sizeof q, "'%s", s);
			csv_put_field(c->f, q, i == n - 1);
		} else {
			csv_put_field(c->f, s, i == n - 1);
		}
	}
}

static int
csv_end(struct actx *x, struct memcsv *c, const char *rel)
{
	int bad = ferror(c->f);
	if ((fclose(c->f) != 0) | bad) {
		c->f = NULL;
		unlink(c->path);
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), c->path, strerror(EIO));
	}
	c->f = NULL;
	return add_spooled(x, rel, c->path, false);
}

/* ---- the month's audit entries and the changed dossiers --------------- */

/* Noted as met; sorted and made unique once the walk is over (a search per
 * entry here made the export quadratic).  Runs of entries about one
 * dossier, the usual case, are noted once. */
static int
dossier_seen(struct actx *x, const char *no)
{
	if (x->nd > 0 && strcmp(x->dossiers[x->nd - 1], no) == 0)
		return 1;
	if (x->nd == x->capd) {
		size_t cap = x->capd ? 2 * x->capd : 32;
		void *v = realloc(x->dossiers, cap * sizeof *x->dossiers);
		if (v == NULL)
			return -1;
		x->dossiers = v;
		x->capd = cap;
	}
	snprintf(x->dossiers[x->nd++], DOSSIER_NO_LEN + 1, "%s", no);
	return 0;
}

/* What of an audit detail may leave the township: a clue's reporter never
 * does (the store keeps it out of the chain; this is the second lock). */
static void
scrub(json_t *j)
{
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(j, tmp, k, v) {
			if (strcmp(k, "reporter") == 0 || strcmp(k, "hiv") == 0 || strcmp(k, "confidential") == 0)
				json_object_del(j, k);
			else
				scrub(v);
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			scrub(v);
	}
}

static int
audit_one(const struct audit_entry *a, void *baton)
{
	struct actx *x = baton;
	dbdate_t d = local_date(a->time);
	char prev[65], hash[65], when[32];
	time_t tt = (time_t)a->time;
	struct tm tm;
	json_t *detail = NULL;

	if (d < x->from || d > x->to)
		return 0;
	if (a->detail != NULL && a->detail[0] != '\0') {
		if ((detail = json_loads(a->detail, 0, NULL)) != NULL)
			scrub(detail);
		else
			detail = json_string(a->detail);
	}
	hex32(a->prev, prev);
	hex32(a->hash, hash);
	if (localtime_r(&tt, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)a->time);
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "seq", (json_int_t)a->seq, "time", when,
	    "operator", a->op, "action", a->action, "object", a->object,
	    "detail", detail ? detail : json_null(), "prev", prev, "hash", hash);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL) {
		x->audit_failed = true;
		return 1;
	}
	fputs(s, x->audit);
	fputc('\n', x->audit);
	free(s);
	x->audit_entries++;
	/* an entry about a dossier of this township: the dossier changed */
	if (strlen(a->object) == DOSSIER_NO_LEN && strncmp(a->object, x->code, strlen(x->code)) == 0 &&
	    a->object[strlen(x->code)] == '-' && dossier_seen(x, a->object) < 0) {
		x->audit_failed = true;
		return 1;
	}
	return 0;
}

static int
no_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* ---- one dossier ------------------------------------------------------ */

/* The period's prints of dossier forms, collected in one walk of the print
 * records (a walk per dossier was quadratic), sorted by dossier and form;
 * at most 16 forms per dossier as before. */
static int
pick_print(const struct prints_entry *p, void *baton)
{
	struct actx *x = baton;
	dbdate_t d = local_date(p->time);

	if (d < x->from || d > x->to)
		return 0;
	if (x->nf == x->capf) {
		size_t cap = x->capf ? 2 * x->capf : 64;
		struct form_print *v = realloc(x->forms, cap * sizeof *v);
		if (v == NULL) {
			x->prints_failed = true;
			return 1;
		}
		x->forms = v;
		x->capf = cap;
	}
	memset(&x->forms[x->nf], 0, sizeof x->forms[x->nf]);
	snprintf(x->forms[x->nf].no, sizeof x->forms[x->nf].no, "%s", p->dossier);
	snprintf(x->forms[x->nf].form, sizeof x->forms[x->nf].form, "%s", p->form);
	x->nf++;
	return 0;
}

static int
form_print_cmp(const void *a, const void *b)
{
	const struct form_print *p = a, *q = b;
	int r = strcmp(p->no, q->no);
	return r ? r : strcmp(p->form, q->form);
}

static int
collect_prints(struct actx *x)
{
	if (prints_list(x->st, pick_print, x, x->e) != 0)
		return -1;
	if (x->prints_failed)
		return oom(x);
	if (x->nf > 1)
		qsort(x->forms, x->nf, sizeof *x->forms, form_print_cmp);
	/* unique, and no more than 16 forms of one dossier */
	size_t u = 0, run = 0;
	for (size_t i = 0; i < x->nf; i++) {
		if (u > 0 && strcmp(x->forms[u - 1].no, x->forms[i].no) == 0) {
			if (strcmp(x->forms[u - 1].form, x->forms[i].form) == 0 || run >= 16)
				continue;
			run++;
		} else {
			run = 1;
		}
		x->forms[u++] = x->forms[i];
	}
	x->nf = u;
	return 0;
}

/* One entry of a dossier: generated bytes (the record, the checklist) or
 * a file (a scan in files/, a form rendered into the temporary directory). */
struct dentry {
	char rel[512];          /* under the top folder */
	unsigned char *data;    /* generated; NULL for a file */
	size_t len;
	char src[4200];
	bool scan;              /* src is a scan: its name is its SHA-256 */
	char sha[65];
	bool store;
};

struct dvec {
	struct dentry *v;
	size_t n, cap;
};

static void
dvec_clear(struct dvec *dv)
{
	for (size_t i = 0; i < dv->n; i++)
		free(dv->v[i].data);
	dv->n = 0;
}

static struct dentry *
dvec_push(struct actx *x, struct dvec *dv)
{
	if (dv->n == dv->cap) {
		size_t cap = dv->cap ? 2 * dv->cap : 16;
		struct dentry *v = realloc(dv->v, cap * sizeof *v);
		if (v == NULL) {
			oom(x);
			return NULL;
		}
		dv->v = v;
		dv->cap = cap;
	}
	memset(&dv->v[dv->n], 0, sizeof dv->v[dv->n]);
	return &dv->v[dv->n++];
}

static int
dentry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dentry *)a)->rel, ((const struct dentry *)b)->rel);
}

/* The entries of dossier no, sorted by name.  Pass 1 (render) prints the
 * period's forms into the temporary directory; pass 2 takes them from
 * there.  0, 1 when no is no dossier of ours, -1 with x->e. */
static int
dossier_entries(struct actx *x, const char *no, const struct checklist_def *defs, int ndefs, bool render,
    struct dvec *dv)
{
	struct dossier *d = malloc(sizeof *d);
	struct dentry *en;
	FILE *cf;
	char buf[11], sc[16];
	int ret = -1;
	static const char *const head[] = {
		"材料代码", "材料名称", "需进入阶段", "收到日期", "收件人", "已签字", "已盖章", "扫描件数", "备注",
	};

	dvec_clear(dv);
	if (d == NULL)
		return oom(x);
	if (dossier_get(x->st, NULL, no, d, x->e) != 0) {
		if (x->e->code == E_NOTFOUND) {
			/* an object that only looks like one of our dossiers */
			err_clear(x->e);
			ret = 1;
		}
		goto out;
	}
	/* the record: what dossier show gives, without confidential flags */
	json_t *j = dossier_json(d, false);
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL || (en = dvec_push(x, dv)) == NULL) {
		free(s);
		if (s == NULL)
			oom(x);
		goto out;
	}
	snprintf(en->rel, sizeof en->rel, "户档案/%s/档案记录.json", no);
	en->data = (unsigned char *)s;
	en->len = strlen(s);

	/* the checklist */
	if ((en = dvec_push(x, dv)) == NULL)
		goto out;
	snprintf(en->rel, sizeof en->rel, "户档案/%s/材料清单.csv", no);
	struct memcsv c = {.f = open_memstream((char **)&en->data, &en->len)};
	if ((cf = c.f) == NULL) {
		oom(x);
		goto out;
	}
	fputs("\xEF\xBB\xBF", cf);
	for (int i = 0; i < 9; i++)
		csv_put_field(cf, head[i], i == 8);
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		const char *nm = "", *stage = "";
		for (int k = 0; k < ndefs; k++)
			if (strcmp(defs[k].code, it->code) == 0) {
				nm = defs[k].name;
				stage = status_terms[defs[k].stage].zh;
			}
		snprintf(sc, sizeof sc, "%d", it->n_scans);
		const char *cells[9] = {it->code, nm, stage, date_format(it->received, buf), it->received_by,
		    it->is_signed ? "是" : "否", it->stamped ? "是" : "否", sc, it->note};
		csv_cells(&c, cells, 9);
	}
	int bad = ferror(cf);
	if ((fclose(cf) != 0) | bad) {
		oom(x);
		goto out;
	}

	/* the scans, from files/ by their SHA-256: only the first bytes are
	 * read here (the kind names the entry); the rest when written */
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		for (int k = 0; k < it->n_scans; k++) {
			unsigned char magic[8];
			size_t got = 0;
			struct stat sb;
			FILE *f;
			if ((en = dvec_push(x, dv)) == NULL)
				goto out;
			if (attach_path(x->st, it->scans[k], en->src, sizeof en->src) != 0) {
				err_set(x->e, E_STORAGE, "%s", _("path too long"));
				goto out;
			}
			/* decrypted when the store is encrypted (i14) */
			if ((f = attach_fopen(x->st, it->scans[k])) == NULL || fstat(fileno(f), &sb) != 0 ||
			    (got = fread(magic, 1, sizeof magic, f), ferror(f))) {
				err_set(x->e, E_STORAGE, _("cannot read %s: %s"), en->src, strerror(errno ? errno : EIO));
				if (f != NULL)
					fclose(f);
				err_add(x->e, E_STORAGE, _("the scan %s of %s %s is missing from the files directory: run dibao check"),
				    it->scans[k], no, it->code);
				goto out;
			}
			fclose(f);
			if (sb.st_size < 0 || (size_t)sb.st_size > ENTRY_MAX) {
				err_set(x->e, E_STORAGE, _("cannot read %s: %s"), en->src, _("too large"));
				goto out;
			}
			const char *kind = scan_kind(magic, got);
			snprintf(en->rel, sizeof en->rel, "户档案/%s/扫描件/%s-%d.%s", no, it->code, k + 1,
			    kind == NULL ? "bin" : strcmp(kind, "jpeg") == 0 ? "jpg" : kind);
			en->scan = true;
			en->len = (size_t)sb.st_size;
			snprintf(en->sha, sizeof en->sha, "%s", it->scans[k]);
			en->store = kind != NULL;
		}
	}

	/* the forms printed in the period, printed again as archive copies
	 * (x->forms is sorted by dossier: its first one found by halving) */
	size_t lo = 0, hi = x->nf;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->forms[mid].no, no) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < x->nf && strcmp(x->forms[i].no, no) == 0; i++) {
		struct form_print *fp = &x->forms[i];
		const struct form_def *def = form_find(fp->form);
		char path[128];
		struct print_job job;
		if (def == NULL || def->needs != FORM_DOSSIER)
			continue;
		snprintf(path, sizeof path, "%s/form-%zu.pdf", x->tmpdir, i);
		if (render) {
			memset(&job, 0, sizeof job);
			job.form = def->name;
			job.dossier = no;
			job.copies = 1;
			job.out = path;
			job.opt = x->o->print_opt;
			job.archive_at = x->at;
			if (print_job_run(x->st, x->actor, &job, x->e) != 0) {
				if (x->e->code != E_REFUSED)
					goto out;
				/* no longer applies to the record as it stands: the print
				 * record in the audit entries still names it */
				err_clear(x->e);
				continue;
			}
			fp->rendered = true;
		} else if (!fp->rendered) {
			continue;
		}
		if ((en = dvec_push(x, dv)) == NULL)
			goto out;
		snprintf(en->rel, sizeof en->rel, "户档案/%s/表单/%s-%s.pdf", no, def->number, def->title); /* issue 15: the form number and title, as on the page */
		snprintf(en->src, sizeof en->src, "%s", path);
		en->store = true;
	}
	if (dv->n > 1)
		qsort(dv->v, dv->n, sizeof *dv->v, dentry_cmp);
	ret = 0;
out:
	free(d);
	return ret;
}

/* ---- the filing register and the ledgers ------------------------------ */

struct filing_out {
	struct actx *x;
	struct memcsv c;
	int rows;
	bool failed;
};

static int
filing_row(const struct kin_filing *f, void *baton)
{
	struct filing_out *o = baton;
	struct actx *x = o->x;
	char b1[11], b2[11], mask[ID_LEN + 1];
	dbdate_t confirmed = f->reviewed ? f->reviewed : f->filed;

	if (f->filed > x->to)
		return 0;	/* filed after the period: next month's */
	/* the status as of the period's end: reported by this (or an earlier)
	 * archive once it was filed by then, else still pending */
	bool done = f->status != FS_PENDING && confirmed <= x->to;
	if (f->status == FS_FILED && confirmed <= x->to) {
		if (x->nc == x->capc) {
			size_t cap = x->capc ? 2 * x->capc : 16;
			void *v = realloc(x->carry, cap * sizeof *x->carry);
			if (v == NULL) {
				o->failed = true;
				return 1;
			}
			x->carry = v;
			x->capc = cap;
		}
		snprintf(x->carry[x->nc++], FILING_NO_LEN + 1, "%s", f->no);
	}
	id_mask(f->member_id, mask);
	for (int i = 0; i < (f->n_staff ? f->n_staff : 1); i++) {
		const struct kin_filing_staff *s = f->n_staff ? &f->staff[i] : NULL;
		const char *cells[12] = {f->no, f->dossier, f->member_name, mask, s ? s->staff_name : "",
		    s ? kin_relation_term(s->relation)->zh : "", f->note,
		    done ? filing_status_terms[FS_REPORTED].zh : filing_status_terms[FS_PENDING].zh,
		    f->filed_by, date_format(f->filed, b1), done ? f->reviewed_by : "", done ? date_format(f->reviewed, b2) : ""};
		csv_cells(&o->c, cells, 12);
	}
	o->rows++;
	return 0;
}

static void
notes_text(const struct ledger_note *n, int count, dbdate_t to, char *buf, size_t size)
{
	size_t len = 0;
	char d[11];
	buf[0] = '\0';
	for (int i = 0; i < count && len < size; i++) {
		if (n[i].date > to)
			continue;
		int w = snprintf(buf + len, size - len, "%s%s %s：%s", len ? "；" : "", date_format(n[i].date, d), n[i].by,
		    n[i].text);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= size)
		buf[size - 1] = '\0';
}

struct ledger_out {
	struct actx *x;
	struct memcsv c;
};

static int
clue_row(const struct clue *c, void *baton)
{
	struct ledger_out *o = baton;
	dbdate_t to = o->x->to;
	char b1[11], b2[11], b3[11], notes[4096];
	bool closed = c->closed && c->closed <= to;

	if (c->received > to)
		return 0;
	notes_text(c->notes, c->n_notes, to, notes, sizeof notes);
	/* the reporter is never written: not even a mark that one exists */
	const char *cells[13] = {c->no, date_format(c->received, b1), clue_channel_terms[c->channel].zh, c->dossier,
	    c->content, clue_category_terms[c->category].zh, c->handler, date_format(c->deadline, b2), notes,
	    closed ? clue_finding_terms[c->finding].zh : "", closed ? c->action : "",
	    closed && c->transferred ? "是" : "否", closed ? date_format(c->closed, b3) : ""};
	csv_cells(&o->c, cells, 13);
	return 0;
}

static int
fix_row(const struct fix *f, void *baton)
{
	struct ledger_out *o = baton;
	dbdate_t to = o->x->to;
	char b1[11], b2[11], b3[11], notes[4096];
	bool closed = f->closed && f->closed <= to;

	if (f->recorded > to)
		return 0;
	notes_text(f->notes, f->n_notes, to, notes, sizeof notes);
	const char *cells[11] = {f->no, date_format(f->recorded, b1), f->problem, fix_source_terms[f->source].zh, f->measure,
	    f->owner, date_format(f->deadline, b2), notes, closed ? f->evidence : "", closed ? "已销号" : "整改中",
	    closed ? date_format(f->closed, b3) : ""};
	csv_cells(&o->c, cells, 11);
	return 0;
}

/* ---- the README --------------------------------------------------------- */

static int
readme(struct actx *x, const char *mon)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	char from[11], to[11];

	if (f == NULL)
		return oom(x);
	fprintf(f,
	    "%s 最低生活保障月度移交档案（%s）\r\n"
	    "====================================\r\n\r\n"
	    "乡镇代码：%s\r\n统计期间：%s 至 %s\r\n本档案由“低保台账终端”（dibao）导出，所有文字均为 UTF-8 编码。\r\n\r\n"
	    "文件说明\r\n--------\r\n"
	    "manifest.json          清单：格式版本、乡镇、期间、导出人、数量，以及其余每个文件的路径、大小和 SHA-256 哈希；\r\n"
	    "                       previous 为上月清单的 SHA-256，各月依次相连成链（首个档案为 null）。\r\n"
	    "说明.txt               本说明。\r\n"
	    "月报/动态管理月报.pdf  本期动态管理月报（盖章版式）；同名 .csv 为其数据。\r\n"
	    "花名册.xlsx            在保人员花名册（Excel），同名 .csv 为同一内容。\r\n"
	    "备案名册.csv           近亲属享受低保备案名册；本档案报送的备案状态为“已报县”。\r\n"
	    "举报线索台账.csv       举报线索台账（不含举报人信息）。\r\n"
	    "整改台账.csv           整改台账。\r\n"
	    "审计日志.jsonl         本期审计记录，每行一条（JSON），含前一条的哈希，可逐条核对哈希链。\r\n"
	    "审计链头.json          期末审计链的条数和链头哈希。\r\n"
	    "户档案/档案编号/       本期有变动的每户：档案记录.json（户档案记录，不含保密信息）、材料清单.csv、\r\n"
	    "                       表单/（本期打印过的表单，按档案现状重新生成的归档副本）、扫描件/。\r\n\r\n"
	    "CSV 文件为带 BOM 的 UTF-8，可直接用 Excel 或 WPS 打开。\r\n\r\n"
	    "核对方法\r\n--------\r\n"
	    "1. 县级系统：dibao import archive 本文件，自动核对每个文件的大小和哈希及月度链，任何不符整体拒收。\r\n"
	    "2. 手工核对：解压后在 Windows 命令行执行  certutil -hashfile 文件名 SHA256，\r\n"
	    "   或在 Linux 执行  sha256sum 文件名，结果应与 manifest.json 中该文件的 sha256 一致。\r\n"
	    "3. manifest.json 本身的 SHA-256 应与下月档案 manifest.json 中的 previous 一致。\r\n",
	    x->name, mon, x->code, date_format(x->from, from), date_format(x->to, to));
	if (ferror(f) | fclose(f)) {
		free(s);
		return oom(x);
	}
	return add(x, "说明.txt", (unsigned char *)s, len, false);
}

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

static int
entry_cmp(const void *a, const void *b)
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
			return f == NULL ? err_set(x->e, E_STORAGE, _("cannot read %s: %s"), src, strerror(errno)) : oom(x);
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

static int
dossiers_hash(struct actx *x, const struct checklist_def *defs, int ndefs)
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
		int r = dossier_entries(x, x->dossiers[i], defs, ndefs, true, &dv);
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
			else if (!en->scan && file_sha(x, en->src, en->sha, &len) != 0)
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
	dvec_clear(&dv);
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
		return oom(x);
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
			oom(x);
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
		oom(x);
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
		return oom(x);
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

static int
write_archive(struct actx *x, const char *path, const char *mpath, uint64_t mlen, const char *msha)
{
	struct archive *arc;
	struct apipe *a;
	char mname[128];
	size_t gi = 0;
	struct dline dl = {0};
	int lr;
	int ret = -1;

	if ((arc = archive_open_out(x, path)) == NULL) {
		unlink(path);
		return -1;
	}
	/* the formatting and deflating in a thread, beside the making */
	if ((a = apipe_start(arc, x->o->format == ARCHIVE_ZIP, x->at)) == NULL) {
		oom(x);
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

/* ---- the transaction ---------------------------------------------------- */

static int
record_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct actx *x = baton;
	char key[64], mon[8], list[4096];
	size_t len;

	month_format(x->o->month, mon);
	for (size_t i = 0; i < x->nc; i++)
		if (kin_mark_reported(st, txn, x->carry[i], e) != 0)
			return -1;
	/* the filings this month carries, for an export of the same month
	 * again (then they are reported already) */
	len = (size_t)snprintf(list, sizeof list, "%s", x->reported_before);
	for (size_t i = 0; i < x->nc && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? " " : "", x->carry[i]);
	snprintf(key, sizeof key, "archive.filings.%s", mon);
	return meta_put(st, txn, key, list, e);
}

struct rec2 {
	struct actx *x;
	const char *sha;
	const char *file;
};

static int
record_all(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rec2 *r = baton;
	struct actx *x = r->x;
	char key[64], mon[8];
	json_t *carried;

	if (record_body(st, txn, x, e) != 0)
		return -1;
	month_format(x->o->month, mon);
	snprintf(key, sizeof key, "archive.manifest.%s", mon);
	if (meta_put(st, txn, key, r->sha, e) != 0)
		return -1;
	if ((carried = json_array()) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	for (size_t i = 0; i < x->nc; i++)
		json_array_append_new(carried, json_string(x->carry[i]));
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:o}", "month", mon, "file", r->file,
	    "format", x->o->format == ARCHIVE_ZIP ? "zip" : "tar.gz", "manifest", r->sha,
	    "entries", x->m.files + 2, "dossiers", x->m.dossiers, "filings_reported", carried);
	char *detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (detail == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	int ret = audit_append(st, txn, x->actor->login, "archive.export", mon, detail, e);
	free(detail);
	return ret;
}

/* ---- the whole export ---------------------------------------------------- */

static void
actx_free(struct actx *x)
{
	archive_seal_free(x->seal); /* sealed handover (i14) */
	x->seal = NULL;
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].path);
		free(x->v[i].src);
	}
	free(x->v);
	free(x->dossiers);
	free(x->forms);
	free(x->carry);
	if (x->lines != NULL)
		fclose(x->lines);
	if (x->body != NULL)
		fclose(x->body);
	if (x->audit != NULL)
		fclose(x->audit);
	sodium_memzero(x->sign_sk, sizeof x->sign_sk);
	manifest_free(&x->m);
	if (x->tmpdir[0] != '\0') {
		/* everything in it is ours: the entries waiting, the forms */
		DIR *dir = opendir(x->tmpdir);
		struct dirent *de;
		char p[128];
		while (dir != NULL && (de = readdir(dir)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (snprintf(p, sizeof p, "%s/%s", x->tmpdir, de->d_name) < (int)sizeof p)
				unlink(p);
		}
		if (dir != NULL)
			closedir(dir);
		rmdir(x->tmpdir);
	}
}

static int
cancel(struct actx *x)
{
	return err_set(x->e, E_REFUSED, "%s", _("archive cancelled: nothing was written or recorded"));
}

/* The monthly report's progress is the archive's, and so is its cancel. */
static bool
report_progress(int done, int total, void *baton)
{
	struct actx *x = baton;
	const struct progress *pg = x->o->progress;

	x->cancelled = pg->fn(done, total, pg->baton);
	return x->cancelled;
}

static int
collect(struct actx *x, const char *mon)
{
	struct monthly_report r;
	char path[128], rel[256], prevkey[64], pmon[8];
	int hh, pp;

	/* the monthly report exactly as `report monthly` prints it */
	char rpdf[128], rcsv[128];
	snprintf(rpdf, sizeof rpdf, "%s/report.pdf", x->tmpdir);
	snprintf(rcsv, sizeof rcsv, "%s/report.csv", x->tmpdir);
	struct progress rpg = {report_progress, x};
	const struct progress *rp = x->o->progress && x->o->progress->fn ? &rpg : NULL;
	memset(&r, 0, sizeof r);
	if (report_monthly(x->st, x->o->month, &r, rp, x->e) != 0)
		return x->cancelled ? cancel(x) : -1;
	int rr = report_monthly_write_built(x->st, &r, rpdf, rcsv, x->e);
	if (rr == 0)
		rr = add_file(x, "月报/动态管理月报.pdf", rpdf, true) != 0 ||
		    add_file(x, "月报/动态管理月报.csv", rcsv, false) != 0 ? -1 : 0;
	unlink(rpdf);
	unlink(rcsv);
	if (rr != 0) {
		report_free(&r);
		return -1;
	}
	x->m.audit_count = r.audit_count;
	snprintf(x->m.audit_head, sizeof x->m.audit_head, "%s", r.head);
	for (size_t i = 0; i < r.added.n; i++) {
		struct manifest_case c;
		memset(&c, 0, sizeof c);
		snprintf(c.dossier, sizeof c.dossier, "%s", r.added.v[i].dossier);
		snprintf(c.head, sizeof c.head, "%s", r.added.v[i].name);
		snprintf(c.village, sizeof c.village, "%s", r.added.v[i].village);
		c.persons = r.added.v[i].persons;
		c.total = r.added.v[i].total;
		c.added = true;
		if (manifest_add_case(&x->m, &c) != 0) {
			report_free(&r);
			return oom(x);
		}
	}
	report_free(&r);

	/* the month's payment batch and its reconciliation (issue 13) */
	if (payment_archive_entries(x->st, x->o->month, x->to, payment_add, x, x->e) != 0)
		return -1;

	/* the month's audit entries, and from them the changed dossiers */
	char apath[128];
	spool_name(x, apath, sizeof apath);
	if ((x->audit = fopen(apath, "wb")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), apath, strerror(errno));
	int wr = audit_walk(x->st, NULL, audit_one, x, x->e);
	int bad = ferror(x->audit);
	if ((fclose(x->audit) != 0) | bad) {
		x->audit = NULL;
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), apath, strerror(EIO));
	}
	x->audit = NULL;
	if (wr != 0)
		return -1;
	if (x->audit_failed)
		return oom(x);
	if (add_spooled(x, "审计日志.jsonl", apath, false) != 0)
		return -1;
	json_t *head = json_pack("{s:I,s:s,s:s}", "count", (json_int_t)x->m.audit_count, "head", x->m.audit_head,
	    "as_of", x->m.exported);
	char *hs = head ? json_dumps(head, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(head);
	if (hs == NULL || add(x, "审计链头.json", (unsigned char *)hs, strlen(hs), false) != 0)
		return hs == NULL ? oom(x) : -1;

	/* each changed dossier */
	if (checklist_template(x->st, NULL, x->defs, MAX_ITEMS, &x->ndefs, x->e) != 0)
		return -1;
	if (x->nd > 1) {
		size_t u = 1;
		qsort(x->dossiers, x->nd, sizeof *x->dossiers, no_cmp);
		for (size_t i = 1; i < x->nd; i++)
			if (strcmp(x->dossiers[i], x->dossiers[u - 1]) != 0)
				memcpy(x->dossiers[u++], x->dossiers[i], sizeof *x->dossiers);
		x->nd = u;
	}
	/* pass 1 over them: hashed, the forms rendered (nothing kept) */
	if (collect_prints(x) != 0)
		return -1;
	if (spool_name(x, apath, sizeof apath), (x->lines = fopen(apath, "w+")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), apath, strerror(errno));
	unlink(apath);
	if (spool_name(x, apath, sizeof apath), (x->body = fopen(apath, "w+")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), apath, strerror(errno));
	unlink(apath);
	if (dossiers_hash(x, x->defs, x->ndefs) != 0)
		return -1;

	/* the filing register */
	static const char *const fhead[] = {
		"备案编号", "档案编号", "成员姓名", "成员身份证号", "关联人员", "关系", "情况说明", "状态",
		"备案人", "备案日期", "审核人", "审核日期",
	};
	snprintf(prevkey, sizeof prevkey, "archive.filings.%s", mon);
	if (meta_get(x->st, NULL, prevkey, x->reported_before, sizeof x->reported_before, x->e) != 0) {
		if (x->e->code != E_NOTFOUND)
			return -1;
		err_clear(x->e);
		x->reported_before[0] = '\0';
	}
	struct filing_out fo = {.x = x};
	if (csv_begin(x, &fo.c, fhead, 12) != 0)
		return -1;
	if (kin_filing_list(x->st, filing_row, &fo, x->e) != 0 || fo.failed) {
		csv_abort(&fo.c);
		return fo.failed ? oom(x) : -1;
	}
	x->m.filings = fo.rows;
	if (csv_end(x, &fo.c, "备案名册.csv") != 0)
		return -1;
	/* the kin-filing cases: those this archive reports (again) */
	{
		char all[8192];
		size_t len = (size_t)snprintf(all, sizeof all, "%s", x->reported_before);
		for (size_t i = 0; i < x->nc && len < sizeof all; i++)
			len += (size_t)snprintf(all + len, sizeof all - len, " %s", x->carry[i]);
		struct kin_filing f;
		for (char *tok = strtok(all, " "); tok != NULL; tok = strtok(NULL, " ")) {
			if (kin_filing_get(x->st, NULL, tok, &f, x->e) != 0)
				return -1;
			size_t k;
			for (k = 0; k < x->m.n_cases; k++)
				if (strcmp(x->m.cases[k].dossier, f.dossier) == 0)
					break;
			if (k < x->m.n_cases) {
				x->m.cases[k].kin = true;
				continue;
			}
			struct dossier *d = malloc(sizeof *d);
			if (d == NULL)
				return oom(x);
			if (dossier_get(x->st, NULL, f.dossier, d, x->e) != 0) {
				free(d);
				return -1;
			}
			struct manifest_case c;
			memset(&c, 0, sizeof c);
			snprintf(c.dossier, sizeof c.dossier, "%s", d->no);
			snprintf(c.head, sizeof c.head, "%s", d->members[d->head].name);
			snprintf(c.village, sizeof c.village, "%s", d->village);
			for (int m = 0; m < d->n_members; m++)
				c.persons += !d->members[m].death && !(d->members[m].flags & MF_NOT_GUARANTEED);
			c.total = d->total;
			c.kin = true;
			free(d);
			if (manifest_add_case(&x->m, &c) != 0)
				return oom(x);
		}
	}

	/* the ledgers */
	static const char *const chead[] = {
		"线索编号", "受理日期", "来源渠道", "关联档案", "反映内容", "问题类别", "承办人", "办理期限",
		"办理进展", "核查结论", "处理措施", "移交纪检", "销号日期",
	};
	struct ledger_out lo = {.x = x};
	if (csv_begin(x, &lo.c, chead, 13) != 0)
		return -1;
	if (clue_list(x->st, clue_row, &lo, x->e) != 0) {
		csv_abort(&lo.c);
		return -1;
	}
	if (csv_end(x, &lo.c, "举报线索台账.csv") != 0)
		return -1;
	static const char *const xhead[] = {
		"整改编号", "登记日期", "问题", "问题来源", "整改措施", "责任人", "整改期限", "整改进展",
		"整改证据", "状态", "销号日期",
	};
	if (csv_begin(x, &lo.c, xhead, 11) != 0)
		return -1;
	if (fix_list(x->st, fix_row, &lo, x->e) != 0) {
		csv_abort(&lo.c);
		return -1;
	}
	if (csv_end(x, &lo.c, "整改台账.csv") != 0)
		return -1;

	/* the roster, XLSX for the county's Excel and CSV for its import */
	snprintf(path, sizeof path, "%s/roster.xlsx", x->tmpdir);
	if (roster_export_at(x->st, x->actor, path, x->at, &hh, &pp, x->e) != 0)
		return -1;
	snprintf(rel, sizeof rel, "花名册.xlsx");
	int ar = add_file(x, rel, path, true);
	unlink(path);
	if (ar != 0)
		return -1;
	snprintf(path, sizeof path, "%s/roster.csv", x->tmpdir);
	if (roster_export_at(x->st, x->actor, path, x->at, &hh, &pp, x->e) != 0)
		return -1;
	ar = add_file(x, "花名册.csv", path, false);
	unlink(path);
	if (ar != 0)
		return -1;

	if (readme(x, mon) != 0)
		return -1;

	/* the chain: the manifest of the latest archive exported before this
	 * month (a month without an archive does not break the chain) */
	char thiskey[64];
	month_format(x->o->month, pmon);
	snprintf(thiskey, sizeof thiskey, "archive.manifest.%s", pmon);
	if (meta_last_before(x->st, NULL, "archive.manifest.", thiskey, prevkey, sizeof prevkey,
	    x->m.previous, sizeof x->m.previous, x->e) != 0) {
		if (x->e->code != E_NOTFOUND)
			return -1;
		err_clear(x->e);
		x->m.previous[0] = '\0';
	}
	return 0;
}

int
archive_export(struct store *st, const struct user *actor, const struct archive_export_opts *o,
    struct archive_export_result *res, struct err *e)
{
	struct actx x;
	char mon[8], kind[32];
	int64_t cutoff;
	struct tm tm;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.st = st;
	x.actor = actor;
	x.o = o;
	x.e = e;
	if (store_require(actor, ACT_EXPORT, e) != 0) /* whole ID numbers: clerks and admins (i14) */
		return -1;
	if (meta_get(st, NULL, "kind", kind, sizeof kind, e) == 0 && strcmp(kind, "county") == 0)
		return err_set(e, E_REFUSED, "%s", _("this is a county database: archives are exported by townships"));
	err_clear(e);
	if (setting_get(st, NULL, "township.code", x.code, sizeof x.code, e) != 0 ||
	    setting_get(st, NULL, "township.name", x.name, sizeof x.name, e) != 0 ||
	    setting_get_int(st, NULL, "report.cutoff.day", &cutoff, e) != 0)
		return -1;
	report_period(o->month, (int)cutoff, &x.from, &x.to);
	month_format(o->month, mon);
	if (store_today() < x.to) {
		char d[11];
		return err_set(e, E_REFUSED, _("the period of %s ends on %s: its archive can be exported from that day on"),
		    mon, date_format(x.to, d));
	}
	/* every time in the archive is the period's last second */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = date_year(x.to) - 1900;
	tm.tm_mon = date_month(x.to) - 1;
	tm.tm_mday = date_day(x.to);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	x.at = (int64_t)mktime(&tm);

	x.m.version = ARCHIVE_VERSION;
	snprintf(x.m.township_code, sizeof x.m.township_code, "%s", x.code);
	snprintf(x.m.township_name, sizeof x.m.township_name, "%s", x.name);
	x.m.period = o->month;
	x.m.from = x.from;
	x.m.to = x.to;
	snprintf(x.m.exported, sizeof x.m.exported, "%04d-%02d-%02dT23:59:59", date_year(x.to), date_month(x.to),
	    date_day(x.to));
	snprintf(x.m.op, sizeof x.m.op, "%s", actor->login);
	manifest_top(&x.m, x.top, sizeof x.top);

	const char *td = getenv("TMPDIR");
	snprintf(x.tmpdir, sizeof x.tmpdir, "%s/dibao-archive.XXXXXX", td && *td && strlen(td) < 40 ? td : "/tmp");
	if (mkdtemp(x.tmpdir) == NULL) {
		err_set(e, E_STORAGE, _("cannot create a temporary directory: %s"), strerror(errno));
		x.tmpdir[0] = '\0';
		goto fail;
	}
	/* issue 16.5: the township's signing key (made at the first export) */
	if (township_sign_key(st, actor, true, x.sign_pk, x.sign_sk, e) != 0)
		goto fail;
	if (collect(&x, mon) != 0)
		goto fail;
	unsigned char *pkhex = malloc(66);
	if (pkhex == NULL) {
		oom(&x);
		goto fail;
	}
	sodium_bin2hex((char *)pkhex, 65, x.sign_pk, 32);
	pkhex[64] = '\n';
	if (add(&x, ARCHIVE_SIGNER, pkhex, 65, false) != 0)
		goto fail;

	/* the entries outside the dossiers in name order; the manifest lists
	 * them and the dossiers' (pass 1), then the archive is written */
	if (x.n > 1)
		qsort(x.v, x.n, sizeof *x.v, entry_cmp);
	for (size_t i = 1; i < x.n; i++)
		if (strcmp(x.v[i - 1].path, x.v[i].path) == 0) {
			err_set(e, E_STORAGE, _("archive: %s twice"), x.v[i].path);
			goto fail;
		}
	char mpath[128];
	uint64_t mlen = 0;
	spool_name(&x, mpath, sizeof mpath);
	if (manifest_spool(&x, mpath, res->manifest_sha, &mlen) != 0)
		goto fail;
	/* issue 16.5: Ed25519 (deterministic: the same bytes every time) */
	char smsg[256];
	unsigned char sig[crypto_sign_BYTES];
	if (archive_sign_message(x.top, res->manifest_sha, smsg, sizeof smsg) != 0 ||
	    crypto_sign_detached(sig, NULL, (const unsigned char *)smsg, strlen(smsg), x.sign_sk) != 0) {
		err_set(e, E_STORAGE, "%s", _("archive: the signature cannot be made"));
		goto fail;
	}
	sodium_bin2hex(x.sig, sizeof x.sig, sig, sizeof sig);

	/* written beside the target, made durable and renamed into place
	 * (core/afile.c, 0600 whatever the umask), only then recorded */
	struct afile af;
	if (afile_reserve(&af, o->path, AFILE_PRIVATE) != 0) {
		err_set(e, E_STORAGE, _("cannot write %s: %s"), o->path, strerror(errno));
		goto fail;
	}
	/* sealed handover (i14): sealed to county.key while it is written */
	if (archive_seal_prepare(st, x.code, o->month, &x.seal, e) != 0 ||
	    write_archive(&x, af.tmp, mpath, mlen, res->manifest_sha) != 0) {
		afile_abort(&af);
		goto fail;
	}
	res->sealed = x.seal != NULL;
	if (afile_commit(&af) != 0) {
		err_set(e, E_STORAGE, _("cannot write %s (%s): %s"), o->path, af.what, strerror(errno));
		goto fail;
	}
	const char *base = strrchr(o->path, '/');
	struct rec2 r2 = {&x, res->manifest_sha, base ? base + 1 : o->path};
	if (store_txn_run(st, record_all, &r2, e) != 0) {
		unlink(o->path);
		goto fail;
	}
	snprintf(res->top, sizeof res->top, "%s", x.top);
	res->entries = x.m.files + 2; /* the manifest and its signature (issue 16.5) */
	res->dossiers = x.m.dossiers;
	res->filings_reported = (int)x.nc;
	actx_free(&x);
	return 0;
fail:
	actx_free(&x);
	return -1;
}
