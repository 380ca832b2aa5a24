/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * forms.c — the table of printed forms and the print job.
 *
 * A job reads the dossier's stored record and its SHA-256, derives the
 * verification code, lays the whole form out in memory (an unprintable
 * character refuses here, before anything is recorded), then in one
 * transaction records the print (and audits it) and writes the PDF
 * (fsync + rename): a PDF that could not be written aborts the record.
 * Village and month forms register here too (another file's table rows).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/prints.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"

/* integrity (i12, SPEC 3): from REVIEWED on (待审批 before approval) */
static bool approved_once(const struct dossier *d)
{
	return d->proc.calc_seq != 0 || d->status == ST_REVIEWED || d->status == ST_NOTICED;
}
static bool rejected(const struct dossier *d) { return d->status == ST_REJECTED; }
static bool exited(const struct dossier *d) { return d->status == ST_EXITED; }

const struct form_def form_table[] = {
	{"application", "最低生活保障申请书", "DB-01", FORM_DOSSIER, form_application, NULL, NULL},
	{"authorisation", "家庭经济状况核对授权书", "DB-02", FORM_DOSSIER, form_authorisation, NULL, NULL},
	{"survey", "最低生活保障入户调查表", "DB-03", FORM_DOSSIER, form_survey, NULL, NULL},
	{"evaluation", "民主评议记录", "DB-04", FORM_DOSSIER, form_evaluation, NULL, NULL},
	{"approval", "最低生活保障审核审批表", "DB-05", FORM_DOSSIER, form_approval, approved_once, NULL},
	{"kin-filing", "近亲属享受低保备案表", "DB-06", FORM_DOSSIER, form_kin_filing, NULL, NULL},
	{"refusal", "不予受理/不予批准通知书", "DB-07", FORM_DOSSIER, form_refusal, rejected, NULL},
	{"exit", "停保/退出通知书", "DB-08", FORM_DOSSIER, form_exit, exited, NULL},
	{"cover", "档案封面及卷内目录", "DB-09", FORM_DOSSIER, form_cover, NULL, NULL},
	{"separators", "材料分隔页", "DB-10", FORM_DOSSIER, form_separators, NULL, NULL},
	{"notice", "最低生活保障公示名单", "DB-GS", FORM_VILLAGE, form_notice, NULL, digest_notice},
	{"monthly", "最低生活保障动态管理月报", "DB-YB", FORM_MONTH, form_monthly, NULL, digest_monthly},
	{"screen-disabled", "重点筛查名单（重度残疾未纳入）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-ill", "重点筛查名单（重病未纳入）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-exited", "重点筛查名单（已退出）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-rejected", "重点筛查名单（未获批准）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-poor", "重点筛查名单（建档立卡未纳入）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-visit", "重点筛查名单（逐一走访）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"screen-overdue", "重点筛查名单（复核逾期）", "DB-SC", FORM_VILLAGE, form_screen, NULL, digest_screen},
	{"clues", "举报线索台账", "DB-JB", FORM_MONTH, form_clues, NULL, digest_clues},
	{"fixes", "整改台账", "DB-ZG", FORM_MONTH, form_fixes, NULL, digest_fixes},
	{"payment", "最低生活保障金发放花名册", "DB-FF", FORM_MONTH, form_payment, NULL, digest_payment}, /* issue 13 */
	/* issue 15: the incomplete checklists (a village, or the township) */
	{"incomplete", "材料不全档案清单", "DB-QL", FORM_VILLAGE, form_incomplete, NULL, digest_incomplete},
	{NULL, NULL, NULL, 0, NULL, NULL, NULL},
};

/* A form by its name (approval), its number as the console and the
 * printed page show it (DB-05; a number several list forms share names
 * none of them), or its Chinese title. */
const struct form_def *
form_find(const char *name)
{
	const struct form_def *by_no = NULL;
	int n_no = 0;
	for (const struct form_def *f = form_table; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	for (const struct form_def *f = form_table; f->name; f++) {
		if (strcmp(f->title, name) == 0)
			return f;
		if (strcasecmp(f->number, name) == 0) {
			by_no = f;
			n_no++;
		}
	}
	return n_no == 1 ? by_no : NULL;
}

static int
fail_doc(struct print_doc *doc, const char *form, struct err *e)
{
	const struct print_error *pe = print_doc_error(doc);

	if (e->code != E_OK)
		return -1;	/* a store error inside the form */
	if (pe->codepoint != 0)
		return err_set(e, E_REFUSED, _("cannot print %s: the character U+%04X is in no installed font; "
		    "correct the text or install a font that has it"), form, (unsigned)pe->codepoint);
	return err_set(e, E_STORAGE, _("printing %s: %s"), form, pe->msgid ? _(pe->msgid) : pe->text);
}

struct save_baton {
	const struct user *actor;
	struct print_job *job;
	struct print_doc *doc;
};

static int
record_and_save(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct save_baton *b = baton;

	if (prints_record(st, txn, b->actor, &b->job->rec, e) != 0)
		return -1;
	/* the file is written before the commit: a failed write leaves no
	 * record of a print that never came out */
	if (print_doc_save(b->doc, b->job->out) != 0)
		return err_set(e, E_STORAGE, _("writing %s: %s"), b->job->out, print_doc_error(b->doc)->text);
	return 0;
}

static int
settings_load(struct store *st, struct form_ctx *c, struct err *e)
{
	if (setting_get(st, NULL, "township.name", c->township, sizeof c->township, e) != 0 ||
	    setting_get(st, NULL, "township.code", c->township_code, sizeof c->township_code, e) != 0 ||
	    setting_get(st, NULL, "county.name", c->county, sizeof c->county, e) != 0 ||
	    form_seal_text(st, c->seal, sizeof c->seal, e) != 0)
		return -1;
	return 0;
}

/* The record as printed: the dossier, its hash, the code derived from them. */
static int
dossier_ctx(struct store *st, struct form_ctx *c, const char *no, unsigned char hash[32], struct err *e)
{
	if (dossier_get_hashed(st, NULL, no, c->d, hash, e) != 0)
		return -1;
	c->version = c->d->version;
	prints_code_derive(c->township_code, c->d->no, c->def->name, hash, c->code);
	snprintf(c->qr, sizeof c->qr, "DIBAO|%s|%s|%s|v%u|%s", c->township_code, c->d->no, c->def->name,
	    c->version, c->code);
	return 0;
}

/* A village or month form: the subject ("village:NAME", "month:YYYY-MM")
 * is the print's scope; the hash is of the content as printed. */
static int
scope_ctx(struct store *st, struct form_ctx *c, const char *scope, unsigned char hash[32], struct err *e)
{
	const char *why;

	if (c->def->needs == FORM_VILLAGE && strncmp(scope, "village:", 8) == 0) {
		/* scope outlives the form; "village:" alone is the whole township
		 * (the screening lists, i12) */
		c->village = scope[8] ? scope + 8 : NULL;
	} else if (c->def->needs == FORM_MONTH && strncmp(scope, "month:", 6) == 0) {
		if (month_parse(scope + 6, &c->month, &why) != 0)
			return err_set(e, E_USAGE, "%s", _(why));
	} else {
		return err_set(e, E_USAGE, _("%s is printed for one dossier: give the dossier number"), c->def->title);
	}
	if (c->def->digest(c, hash) != 0)
		return -1;
	prints_code_derive(c->township_code, scope, c->def->name, hash, c->code);
	snprintf(c->qr, sizeof c->qr, "DIBAO|%s|%s|%s|%s", c->township_code, scope, c->def->name, c->code);
	return 0;
}

static int
list_ctx(struct store *st, struct form_ctx *c, const struct print_job *job, char scope[TEXT_SHORT],
    unsigned char hash[32], struct err *e)
{
	if (c->def->needs == FORM_VILLAGE && job->village == NULL) {
		snprintf(scope, TEXT_SHORT, "%s", "village:");   /* a screening list of every village */
	} else if (c->def->needs == FORM_VILLAGE) {
		struct village v;
		if (village_resolve(st, NULL, job->village, &v, e) != 0)
			return -1;
		if (strlen(v.name) + 8 >= TEXT_SHORT)
			return err_set(e, E_REFUSED, _("village name too long: %s"), v.name);
		memcpy(scope, "village:", 8);
		memcpy(scope + 8, v.name, strlen(v.name) + 1);
	} else {
		char mon[8];
		month_format(job->month, mon);
		snprintf(scope, TEXT_SHORT, "month:%s", mon);
	}
	return scope_ctx(st, c, scope, hash, e);
}

int
print_list_digest(struct store *st, const char *form, const char *scope, unsigned char hash[32], struct err *e)
{
	const struct form_def *def = form_find(form);
	struct form_ctx c;

	if (def == NULL || def->needs == FORM_DOSSIER)
		return err_set(e, E_NOTFOUND, _("no form %s (dibao print --list lists them)"), form);
	memset(&c, 0, sizeof c);
	c.st = st;
	c.def = def;
	c.e = e;
	c.today = store_today();
	if (settings_load(st, &c, e) != 0)
		return -1;
	return scope_ctx(st, &c, scope, hash, e);
}

/* What a print job asks must fit its form: a dossier, a village or a month. */
static int
job_check(const struct form_def *def, const struct print_job *job, struct err *e)
{
	if (def == NULL)
		return err_set(e, E_USAGE, _("no form %s (dibao print --list lists them)"), job->form);
	if (def->needs == FORM_DOSSIER && job->dossier == NULL)
		return err_set(e, E_USAGE, _("%s is printed for one dossier: give the dossier number"), def->title);
	bool township = strncmp(def->name, "screen-", 7) == 0 ||   /* i12: the screening lists may cover all */
	    strcmp(def->name, "incomplete") == 0;                   /* issue 15 */
	if (def->needs == FORM_VILLAGE && ((job->village == NULL && !township) || job->dossier != NULL))
		return err_set(e, E_USAGE, _("%s is printed for a village: give the village"), def->title);
	if (def->needs == FORM_MONTH && (job->month == 0 || job->dossier != NULL || job->village != NULL))
		return err_set(e, E_USAGE, _("%s is printed for a month: give the month"), def->title);
	if (def->needs != FORM_DOSSIER && job->archive_at != 0)
		return err_set(e, E_USAGE, _("%s is printed for one dossier: give the dossier number"), def->title);
	return 0;
}

/* A reprint (补打): the same version again (same code), or a new one of a
 * form printed before; never a first print. */
static int
job_reprint(struct store *st, struct form_ctx *c, const char *subject, const char *scope,
    struct print_job *job, struct err *e)
{
	struct prints_entry prev;
	char ds[40];

	if (prints_find(st, NULL, c->def->name, subject, scope, c->code, &prev, e) == 0) {
		struct tm pt;
		time_t t = (time_t)prev.time;
		if (localtime_r(&t, &pt) == NULL)
			memset(&pt, 0, sizeof pt);
		snprintf(ds, sizeof ds, "%04d-%02d-%02d", (pt.tm_year + 1900) % 10000,
		    (pt.tm_mon + 1) % 100, pt.tm_mday % 100);
		snprintf(job->reprint_note, sizeof job->reprint_note, "补打（原件 %s 打印，版本 %u）",
		    ds, prev.version);
	} else if (e->code == E_NOTFOUND &&
	    prints_find(st, NULL, c->def->name, subject, scope, NULL, &prev, e) == 0) {
		snprintf(job->reprint_note, sizeof job->reprint_note, "补打（新版本）");
	} else {
		if (e->code == E_NOTFOUND) {
			/* the form and subject in words, the choice as a choice:
			 * the console and the command line word the same store
			 * message (issue 15) */
			char words[TEXT_SHORT + 32];
			print_scope_words(scope, words, sizeof words);
			err_set(e, E_REFUSED, _("%s of %s was never printed: there is nothing to reprint; print it first, not as a reprint"),
			    c->def->title, subject[0] ? subject : words);
		}
		return -1;
	}
	err_clear(e);
	job->rec.reprint_of = prev.seq;
	snprintf(c->reprint_note, sizeof c->reprint_note, "%s", job->reprint_note);
	return 0;
}

/* A new document with the footer of every page (township, who printed,
 * when); NULL and e set when it cannot open. */
static struct print_doc *
doc_open(struct form_ctx *c, const struct print_options *opt, const char *login, time_t now, struct err *e)
{
	struct print_doc *doc;
	struct print_error perr;
	char when[32], opname[NAME_MAX_BYTES];
	struct tm tm;

	if ((doc = print_doc_new(opt, &perr)) == NULL) {
		err_set(e, E_STORAGE, _("printing %s: %s"), c->def->name, perr.msgid ? _(perr.msgid) : perr.text);
		return NULL;
	}
	if (localtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(when, sizeof when, "?");
	form_user_name(c, login, opname, sizeof opname);
	print_set_footer(doc, c->township, opname, when);
	return doc;
}

int
print_job_run(struct store *st, const struct user *actor, struct print_job *job, struct err *e)
{
	const struct form_def *def = form_find(job->form);
	struct form_ctx c;
	struct print_doc *doc = NULL;
	struct save_baton sb;
	unsigned char hash[32];
	char scope[TEXT_SHORT] = "";
	const char *subject = "";
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	if (job_check(def, job, e) != 0)
		return -1;
	memset(&c, 0, sizeof c);
	c.st = st;
	c.def = def;
	c.e = e;
	c.today = store_today();
	if (def->needs == FORM_MONTH && job->monthly != NULL && job->monthly->month == job->month)
		c.monthly = job->monthly;	/* issue 17: built once */
	if (def->needs == FORM_MONTH && job->month != 0)
		c.payment = job->payment;	/* issue 13: read once */
	if (job->archive_at != 0) {
		now = (time_t)job->archive_at;
		if (localtime_r(&now, &tm) == NULL)
			return err_set(e, E_USAGE, "%s", _("archive copy: invalid time"));
		c.today = date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	if (settings_load(st, &c, e) != 0)
		return -1;
	if (def->needs != FORM_DOSSIER) {
		if (list_ctx(st, &c, job, scope, hash, e) != 0)
			return -1;
	} else {
		if ((c.d = malloc(sizeof *c.d)) == NULL)
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		if (dossier_ctx(st, &c, job->dossier, hash, e) != 0)
			goto out;
	}
	subject = c.d ? c.d->no : "";

	memset(&job->rec, 0, sizeof job->rec);
	job->reprint_note[0] = '\0';
	if (job->reprint && job_reprint(st, &c, subject, scope, job, e) != 0)
		goto out;

	if ((doc = doc_open(&c, job->opt, actor->login, now, e)) == NULL)
		goto out;
	print_set_footer_code(doc, c.code);
	if (def->fn(doc, &c) != 0) {
		fail_doc(doc, def->name, e);
		goto out;
	}

	snprintf(job->rec.code, sizeof job->rec.code, "%s", c.code);
	snprintf(job->rec.form, sizeof job->rec.form, "%s", def->name);
	snprintf(job->rec.dossier, sizeof job->rec.dossier, "%s", subject);
	snprintf(job->rec.scope, sizeof job->rec.scope, "%s", scope);
	job->rec.version = c.version;
	memcpy(job->rec.hash, hash, 32);
	job->rec.copies = job->copies > 0 ? job->copies : 1;
	sb.actor = actor;
	sb.job = job;
	sb.doc = doc;
	if (job->archive_at != 0) {
		if (print_doc_save(doc, job->out) != 0) {
			err_set(e, E_STORAGE, _("writing %s: %s"), job->out, print_doc_error(doc)->text);
			goto out;
		}
	} else if (store_txn_run(st, record_and_save, &sb, e) != 0) {
		goto out;
	}
	rc = 0;
out:
	print_doc_free(doc);
	free(c.d);
	return rc;
}

/* ---- a batch: one form for many dossiers in one document ----------------- */

struct batch_baton {
	const struct user *actor;
	struct prints_entry *recs;
	int n;
	struct print_doc *doc;
	const char *out;
};

static int
batch_record_and_save(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct batch_baton *b = baton;

	for (int i = 0; i < b->n; i++)
		if (prints_record(st, txn, b->actor, &b->recs[i], e) != 0)
			return -1;
	if (print_doc_save(b->doc, b->out) != 0)
		return err_set(e, E_STORAGE, _("writing %s: %s"), b->out, print_doc_error(b->doc)->text);
	return 0;
}

int
print_batch_run(struct store *st, const struct user *actor, const char *form, const char *const *nos,
    int n, const char *out, const struct print_options *opt, int *printed,
    const struct progress *progress, struct err *e)
{
	const struct form_def *def = form_find(form);
	struct form_ctx c;
	struct print_doc *doc = NULL;
	struct batch_baton bb;
	unsigned char hash[32];
	time_t now = time(NULL);
	int rc = -1;

	if (def == NULL)
		return err_set(e, E_USAGE, _("no form %s (dibao print --list lists them)"), form);
	if (def->needs != FORM_DOSSIER)
		return err_set(e, E_USAGE, _("%s is printed for one dossier: give the dossier number"), def->title);
	if (n < 1)
		return err_set(e, E_REFUSED, "%s", _("no dossier to print"));
	memset(&c, 0, sizeof c);
	c.st = st;
	c.def = def;
	c.e = e;
	c.today = store_today();
	struct prints_entry *recs = calloc((size_t)n, sizeof *recs);
	if (recs == NULL || (c.d = malloc(sizeof *c.d)) == NULL) {
		free(recs);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	if (settings_load(st, &c, e) != 0)
		goto out;
	if ((doc = doc_open(&c, opt, actor->login, now, e)) == NULL)
		goto out;
	/* the fonts are loaded once for the whole batch: that is its point */
	int done = 0;
	for (int i = 0; i < n; i++) {
		if (progress && progress->fn && (i % 10 == 0) && progress->fn(i, n, progress->baton)) {
			err_set(e, E_REFUSED, "%s", _("printing cancelled: nothing was printed or recorded"));
			goto out;
		}
		if (dossier_ctx(st, &c, nos[i], hash, e) != 0)
			goto out;
		if (def->applies != NULL && !def->applies(c.d))
			continue;
		if (print_section_begin(doc, c.code) != 0 || def->fn(doc, &c) != 0) {
			/* name the dossier: the clerk corrects it and prints again */
			fail_doc(doc, def->name, e);
			struct err named;
			err_set(&named, e->code, "%s: %s", c.d->no, e->msg);
			*e = named;
			goto out;
		}
		struct prints_entry *r = &recs[done++];
		snprintf(r->code, sizeof r->code, "%s", c.code);
		snprintf(r->form, sizeof r->form, "%s", def->name);
		snprintf(r->dossier, sizeof r->dossier, "%s", c.d->no);
		r->version = c.version;
		memcpy(r->hash, hash, 32);
		r->copies = 1;
	}
	if (done == 0) {
		err_set(e, E_REFUSED, _("form %s applies to none of these dossiers"), def->name);
		goto out;
	}
	if (printed)
		*printed = done;
	bb = (struct batch_baton){actor, recs, done, doc, out};
	if (store_txn_run(st, batch_record_and_save, &bb, e) != 0)
		goto out;
	rc = 0;
out:
	print_doc_free(doc);
	free(c.d);
	free(recs);
	return rc;
}

/* ---- a print in words (issue 15) ------------------------------------- */

void
form_label(const char *form, char *buf, size_t size)
{
	const struct form_def *f = form_find(form);

	if (f == NULL)
		snprintf(buf, size, "%s", form);
	else
		snprintf(buf, size, _("%s (%s)"), f->title, f->number);
}

void
print_scope_words(const char *scope, char *buf, size_t size)
{
	if (strcmp(scope, "village:") == 0)
		snprintf(buf, size, "%s", _("the whole township"));
	else if (strncmp(scope, "village:", 8) == 0)
		snprintf(buf, size, "%s", scope + 8);
	else if (strncmp(scope, "month:", 6) == 0 && strlen(scope + 6) == 7)
		snprintf(buf, size, _("the month %.4s-%.2s"), scope + 6, scope + 11);
	else
		snprintf(buf, size, "%s", scope);
}
