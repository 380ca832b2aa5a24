/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-out.c — `dibao export archive`: the monthly handover archive for
 * the county (SPEC 9, docs/ARCHIVE.md).  Everything goes under one top
 * folder "<township code>-<YYYY-MM>/": the manifest, a Chinese README, the
 * monthly report, the roster, the filing register, the two ledgers, the
 * month's audit entries with the chain head, and each dossier changed in
 * the period with its record, forms, scans and checklist.
 *
 * The archive is written streaming (archive-write.c: one pass, the entries
 * outside the dossiers waiting in a temporary directory, the dossiers'
 * made on the way, scans read in pieces, the manifest last), entries sorted, every time taken from the period's end, so
 * the same month exported twice gives the same bytes; memory depends on
 * neither the township's size nor the scans'.  Zip by default (the county opens it on Windows): names flagged
 * UTF-8, JPEGs/PNGs/PDFs/XLSX stored (already compressed), text deflated.
 * The file is written first; then one transaction records the manifest's
 * hash (the next month's `previous`), marks the carried filings reported
 * to the county and audits the export — if it fails, the file goes.
 */
#include "config.h"

#include <stdio.h>
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
#include <jansson.h>

#include "import/archive.h"
#include "import/manifest.h"
#include "import/seal.h"
#include "import/archive-int.h"
#include "store/afile.h"
#include "store/audit.h"
#include "store/csv-write.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/meta.h"
#include "store/settings.h"
#include "store/township-key.h"
#include "store/user.h"
#include "core/base.h"
#include "core/date.h"
#include "core/report.h"
#include "core/roles.h"

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
	if (x->xlsx_later != NULL) {
		/* a failure before the roster's XLSX was packed: wait for it */
		struct err scratch;
		memset(&scratch, 0, sizeof scratch);
		roster_close_end(x->st, x->xlsx_later, &scratch);
		x->xlsx_later = NULL;
	}
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

/* The export's context: the township and the period (refused before its
 * end, or on a county database), the manifest's head.  mon: "YYYY-MM". */
static int
export_begin(struct actx *x, char mon[8])
{
	char kind[32];
	int64_t cutoff;
	struct tm tm;

	if (store_require(x->actor, ACT_EXPORT, x->e) != 0) /* whole ID numbers: clerks and admins (i14) */
		return -1;
	if (meta_get(x->st, NULL, "kind", kind, sizeof kind, x->e) == 0 && strcmp(kind, "county") == 0)
		return err_set(x->e, E_REFUSED, "%s", _("this is a county database: archives are exported by townships"));
	err_clear(x->e);
	if (setting_get(x->st, NULL, "township.code", x->code, sizeof x->code, x->e) != 0 ||
	    setting_get(x->st, NULL, "township.name", x->name, sizeof x->name, x->e) != 0 ||
	    setting_get_int(x->st, NULL, "report.cutoff.day", &cutoff, x->e) != 0)
		return -1;
	report_period(x->o->month, (int)cutoff, &x->from, &x->to);
	month_format(x->o->month, mon);
	if (store_today() < x->to) {
		char d[11];
		return err_set(x->e, E_REFUSED, _("the period of %s ends on %s: its archive can be exported from that day on"),
		    mon, date_format(x->to, d));
	}
	/* every time in the archive is the period's last second */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = date_year(x->to) - 1900;
	tm.tm_mon = date_month(x->to) - 1;
	tm.tm_mday = date_day(x->to);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	x->at = (int64_t)mktime(&tm);

	x->m.version = ARCHIVE_VERSION;
	snprintf(x->m.township_code, sizeof x->m.township_code, "%s", x->code);
	snprintf(x->m.township_name, sizeof x->m.township_name, "%s", x->name);
	x->m.period = x->o->month;
	x->m.from = x->from;
	x->m.to = x->to;
	snprintf(x->m.exported, sizeof x->m.exported, "%04d-%02d-%02dT23:59:59", date_year(x->to), date_month(x->to),
	    date_day(x->to));
	snprintf(x->m.op, sizeof x->m.op, "%s", x->actor->login);
	manifest_top(&x->m, x->top, sizeof x->top);
	return 0;
}

/* The signer's entry, then the entries outside the dossiers in name
 * order: the archive writes the dossiers' between them, then the manifest
 * (archive-write.c). */
static int
export_globals(struct actx *x)
{
	unsigned char *pkhex = malloc(66);
	if (pkhex == NULL)
		return ax_oom(x);
	sodium_bin2hex((char *)pkhex, 65, x->sign_pk, 32);
	pkhex[64] = '\n';
	if (ax_add(x, ARCHIVE_SIGNER, pkhex, 65, false) != 0)
		return -1;
	if (x->n > 1)
		qsort(x->v, x->n, sizeof *x->v, ax_entry_cmp);
	for (size_t i = 1; i < x->n; i++)
		if (strcmp(x->v[i - 1].path, x->v[i].path) == 0) {
			err_set(x->e, E_STORAGE, _("archive: %s twice"), x->v[i].path);
			return -1;
		}
	return 0;
}

/* The archive written beside the target, sealed if the county's key is
 * set, renamed into place, then recorded in one transaction. */
static int
export_write(struct actx *x, struct archive_export_result *res)
{
	/* written beside the target, made durable and renamed into place
	 * (core/afile.c, 0600 whatever the umask), only then recorded */
	struct afile af;
	if (afile_reserve(&af, x->o->path, AFILE_PRIVATE) != 0) {
		err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->o->path, strerror(errno));
		return -1;
	}
	/* sealed handover (i14): sealed to county.key while it is written */
	if (archive_seal_prepare(x->st, x->code, x->o->month, &x->seal, x->e) != 0 ||
	    ax_write_archive(x, af.tmp, res->manifest_sha) != 0) {
		afile_abort(&af);
		return -1;
	}
	res->sealed = x->seal != NULL;
	if (afile_commit(&af) != 0) {
		err_set(x->e, E_STORAGE, _("cannot write %s (%s): %s"), x->o->path, af.what, strerror(errno));
		return -1;
	}
	const char *base = strrchr(x->o->path, '/');
	struct rec2 r2 = {x, res->manifest_sha, base ? base + 1 : x->o->path};
	if (store_txn_run(x->st, record_all, &r2, x->e) != 0) {
		unlink(x->o->path);
		return -1;
	}
	return 0;
}

int
archive_export(struct store *st, const struct user *actor, const struct archive_export_opts *o,
    struct archive_export_result *res, struct err *e)
{
	struct actx x;
	char mon[8];

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.st = st;
	x.actor = actor;
	x.o = o;
	x.e = e;
	if (export_begin(&x, mon) != 0)
		return -1;
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
	if (ax_collect(&x, mon) != 0)
		goto fail;
	if (export_globals(&x) != 0 || export_write(&x, res) != 0)
		goto fail;
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
