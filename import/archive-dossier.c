/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-dossier.c — one changed dossier's entries in the monthly archive
 * (archive-int.h): its record, its checklist, its scans, the forms printed
 * in the period printed again.
 */
#include "config.h"

#include <stdio.h>
#include <stdio_ext.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "import/dossier-json.h"
#include "import/scans.h"
#include "import/archive-int.h"
#include "store/attach.h"
#include "store/csv-write.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/prints.h"
#include "core/base.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/terms.h"
#include "core/array.h"

/* ---- one dossier ------------------------------------------------------ */

/* The period's prints of dossier forms, collected in one walk of the print
 * records (a walk per dossier was quadratic), sorted by dossier and form;
 * at most 16 forms per dossier as before. */
static int
pick_print(const struct prints_entry *p, void *baton)
{
	struct actx *x = baton;
	dbdate_t d = store_date_of(p->time);

	if (d < x->from || d > x->to)
		return 0;
	struct form_print *v = array_grow(x->forms, &x->capf, x->nf + 1, sizeof *v);
	if (v == NULL) {
		x->prints_failed = true;
		return 1;
	}
	x->forms = v;
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

int
ax_collect_prints(struct actx *x)
{
	if (prints_list(x->st, pick_print, x, x->e) != 0)
		return -1;
	if (x->prints_failed)
		return ax_oom(x);
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

void
ax_dvec_clear(struct dvec *dv)
{
	for (size_t i = 0; i < dv->n; i++)
		free(dv->v[i].data);
	dv->n = 0;
}

static struct dentry *
dvec_push(struct actx *x, struct dvec *dv)
{
	struct dentry *v = array_grow(dv->v, &dv->cap, dv->n + 1, sizeof *v);
	if (v == NULL) {
		ax_oom(x);
		return NULL;
	}
	dv->v = v;
	memset(&dv->v[dv->n], 0, sizeof dv->v[dv->n]);
	return &dv->v[dv->n++];
}

static int
dentry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dentry *)a)->rel, ((const struct dentry *)b)->rel);
}

/* the record: what dossier show gives, without confidential flags */
static int
dossier_record(struct actx *x, const struct dossier *d, struct dvec *dv)
{
	struct dentry *en;
	size_t len;
	/* dossier_json(d, false) as jansson dumps it, written directly */
	char *s = dossier_record_text(d, &len);

	if (s == NULL || (en = dvec_push(x, dv)) == NULL) {
		free(s);
		return s == NULL ? ax_oom(x) : -1;
	}
	snprintf(en->rel, sizeof en->rel, "户档案/%s/档案记录.json", d->no);
	en->data = (unsigned char *)s;
	en->len = len;
	return 0;
}

/* the checklist, a CSV made in memory */
static int
dossier_checklist(struct actx *x, const struct dossier *d, const struct checklist_def *defs, int ndefs,
    struct dvec *dv)
{
	struct dentry *en;
	FILE *cf;
	char buf[11], sc[16];
	static const char *const head[] = {
		"材料代码", "材料名称", "需进入阶段", "收到日期", "收件人", "已签字", "已盖章", "扫描件数", "备注",
	};

	if ((en = dvec_push(x, dv)) == NULL)
		return -1;
	snprintf(en->rel, sizeof en->rel, "户档案/%s/材料清单.csv", d->no);
	struct memcsv c = {.f = open_memstream((char **)&en->data, &en->len)};
	if ((cf = c.f) == NULL)
		return ax_oom(x);
	/* this thread's alone: no lock taken for every character */
	__fsetlocking(cf, FSETLOCKING_BYCALLER);
	fputs("\xEF\xBB\xBF", cf);
	csv_write_row(cf, head, 9);
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
		ax_csv_cells(&c, cells, 9);
	}
	int bad = ferror(cf);
	if ((fclose(cf) != 0) | bad)
		return ax_oom(x);
	return 0;
}

static int
dossier_scans(struct actx *x, const struct dossier *d, struct dvec *dv)
{
	struct dentry *en;

	/* the scans, from files/ by their SHA-256: only the first bytes are
	 * read here (the kind names the entry); the rest when written */
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		for (int k = 0; k < it->n_scans; k++) {
			unsigned char magic[8];
			size_t got = 0;
			off_t size = 0;
			FILE *f;
			if ((en = dvec_push(x, dv)) == NULL)
				return -1;
			if (attach_path(x->st, it->scans[k], en->src, sizeof en->src) != 0) {
				err_set(x->e, E_STORAGE, "%s", _("path too long"));
				return -1;
			}
			/* decrypted when the store is encrypted (i14) */
			if ((f = attach_fopen(x->st, it->scans[k], &size)) == NULL ||
			    (got = fread(magic, 1, sizeof magic, f), ferror(f))) {
				err_set(x->e, E_STORAGE, _("cannot read %s: %s"), en->src, strerror(errno ? errno : EIO));
				if (f != NULL)
					fclose(f);
				err_add(x->e, E_STORAGE, _("the scan %s of %s %s is missing from the files directory: run dibao check"),
				    it->scans[k], d->no, it->code);
				return -1;
			}
			fclose(f);
			if (size < 0 || (uint64_t)size > ENTRY_MAX) {
				err_set(x->e, E_STORAGE, _("cannot read %s: %s"), en->src, _("too large"));
				return -1;
			}
			const char *kind = scan_kind(magic, got);
			snprintf(en->rel, sizeof en->rel, "户档案/%s/扫描件/%s-%d.%s", d->no, it->code, k + 1,
			    kind == NULL ? "bin" : strcmp(kind, "jpeg") == 0 ? "jpg" : kind);
			en->scan = true;
			en->len = (size_t)size;
			snprintf(en->sha, sizeof en->sha, "%s", it->scans[k]);
			en->store = kind != NULL;
		}
	}
	return 0;
}

static int
dossier_forms(struct actx *x, const char *no, struct dvec *dv)
{
	struct dentry *en;

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
		memset(&job, 0, sizeof job);
		job.form = def->name;
		job.dossier = no;
		job.copies = 1;
		job.out = path;
		job.opt = x->o->print_opt;
		job.archive_at = x->at;
		if (print_job_run(x->st, x->actor, &job, x->e) != 0) {
			if (x->e->code != E_REFUSED)
				return -1;
			/* no longer applies to the record as it stands: the print
			 * record in the audit entries still names it */
			err_clear(x->e);
			continue;
		}
		fp->rendered = true;
		if ((en = dvec_push(x, dv)) == NULL)
			return -1;
		snprintf(en->rel, sizeof en->rel, "户档案/%s/表单/%s-%s.pdf", no, def->number, def->title); /* issue 15: the form number and title, as on the page */
		snprintf(en->src, sizeof en->src, "%s", path);
		en->store = true;
	}
	return 0;
}

/* The entries of dossier no, sorted by name; the period's forms printed
 * into the temporary directory.  0, 1 when no is no dossier of ours, -1
 * with x->e. */
int
ax_dossier_entries(struct actx *x, const char *no, const struct checklist_def *defs, int ndefs, struct dvec *dv)
{
	struct dossier *d = malloc(sizeof *d);
	int ret = -1;

	ax_dvec_clear(dv);
	if (d == NULL)
		return ax_oom(x);
	if (dossier_get(x->st, NULL, no, d, x->e) != 0) {
		if (x->e->code == E_NOTFOUND) {
			/* an object that only looks like one of our dossiers */
			err_clear(x->e);
			ret = 1;
		}
		goto out;
	}
	if (dossier_record(x, d, dv) != 0 || dossier_checklist(x, d, defs, ndefs, dv) != 0 ||
	    dossier_scans(x, d, dv) != 0 || dossier_forms(x, no, dv) != 0)
		goto out;
	if (dv->n > 1)
		qsort(dv->v, dv->n, sizeof *dv->v, dentry_cmp);
	ret = 0;
out:
	free(d);
	return ret;
}
