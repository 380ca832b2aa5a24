/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-archive.c — the monthly handover to the county (SPEC 9): `dibao
 * export archive` on a township's database; `dibao import archive`,
 * `dibao county list|duplicates|sample` on the county's.  The work is in
 * import/archive-*.c and store/county.c; this file parses, writes the
 * monthly report the archive carries (as `report monthly` writes it), and
 * prints the results and the county's visit list.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "import/archive.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/money.h"
#include "store/county.h"
#include "store/err.h"
#include "store/township-key.h"

#define EXPORT_USAGE "export archive --month YYYY-MM -o FILE [--format zip|tar.gz]"
#define IMPORT_USAGE "import archive FILE [--accept-new-key]"
#define COUNTY_IMPORT_USAGE "county import FILE [--accept-new-key]"
#define SAMPLE_USAGE "county sample --period YYYY-MM [--seed S] [--pdf FILE] [--csv FILE]"

static int
export_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL, *out = NULL, *format = NULL;
	struct archive_export_opts o;
	struct archive_export_result res;
	int ret;

	/* -o FILE as CLI.md writes it; opts.c knows long options only */
	for (int k = 0; k < argc; k++) {
		if ((strcmp(argv[k], "-o") == 0 || strcmp(argv[k], "--output") == 0) && k + 1 < argc)
			out = argv[++k];
		else if (strcmp(argv[k], "--month") == 0 && k + 1 < argc)
			month = argv[++k];
		else if (strcmp(argv[k], "--format") == 0 && k + 1 < argc)
			format = argv[++k];
		else
			return cli_usage(EXPORT_USAGE);
	}
	if (out == NULL || month == NULL)
		return cli_usage(EXPORT_USAGE);
	memset(&o, 0, sizeof o);
	if (cli_parse_month(c, "--month", month, &o.month) != 0)
		return cli_fail(c);
	if (format == NULL || strcmp(format, "zip") == 0)
		o.format = ARCHIVE_ZIP;
	else if (strcmp(format, "tar.gz") == 0 || strcmp(format, "tgz") == 0)
		o.format = ARCHIVE_TGZ;
	else
		return cli_refuse(c, _("--format: %s is not zip or tar.gz"), format);
	o.path = out;

	ret = archive_export(c->st, &c->user, &o, &res, &c->e);
	if (ret != 0)
		return cli_fail(c);
	if (!res.sealed) /* sealed handover (i14) */
		fprintf(stderr, "dibao: %s\n", _("warning: no county key is set (setting county.key): the archive is NOT sealed and shows every person to whoever finds it"));
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:b}", "file", out, "top", res.top,
		    "manifest_sha256", res.manifest_sha, "entries", res.entries, "dossiers", res.dossiers,
		    "filings_reported", res.filings_reported, "sealed", res.sealed));
	printf(_("%s: %d entries under %s/, %d changed dossiers, %d filings reported to the county\n"), out,
	    res.entries, res.top, res.dossiers, res.filings_reported);
	printf(_("manifest SHA-256 %s\n"), res.manifest_sha);
	return 0;
}

static int
import_exec(struct cli *c, int argc, char **argv)
{
	struct archive_import_result res;
	char mon[8];
	bool accept = false;   /* issue 16.5: a township's changed signing key */
	const struct opt opts[] = {{"accept-new-key", OPT_FLAG, &accept}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(IMPORT_USAGE);
	if (archive_import_key(c->st, &c->user, pos[0], NULL, accept, &res, &c->e) != 0)
		return cli_fail(c);
	month_format(res.period, mon);
	/* the township's payment batch and reconciliation (issue 13) */
	const struct archive_payment *p = &res.payment;
	json_t *pay = !p->have ? json_null() : json_pack("{s:i,s:i,s:I,s:i,s:i,s:b}", "households", p->households,
	    "persons", p->persons, "total", (json_int_t)p->total, "held", p->held, "recovery", p->recovery,
	    "reconciled", p->reconciled);
	if (p->have && p->reconciled && pay)
		json_object_set_new(pay, "reconciliation", json_pack("{s:i,s:i,s:i,s:i,s:i}", "paid", p->paid, "failed",
		    p->failed, "mismatch", p->mismatch, "unknown", p->unknown, "missing", p->missing));
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:i}", "township", res.township,
		    "name", res.township_name, "period", mon, "manifest_sha256", res.manifest_sha, "files", res.files,
		    "people", res.people, "cases", res.cases);
		if (j)
			json_object_set_new(j, "payment", pay);
		if (j) /* issue 16.5 */
			json_object_set_new(j, "signer", json_pack("{s:s,s:b,s:b}", "fingerprint", res.fingerprint,
			    "new", res.key_new, "changed", res.key_changed));
		return cli_print_json(j);
	}
	json_decref(pay);
	printf(_("%s %s %s: imported, %d files verified, %d people, %d cases to visit or sample\n"),
	    res.township, res.township_name, mon, res.files, res.people, res.cases);
	/* issue 16.5: the signing key's fingerprint, to confirm by phone */
	if (res.key_new)
		printf(_("  signing key fingerprint %s: first import of this township, key pinned; confirm this fingerprint with the township by phone\n"),
		    res.fingerprint);
	else if (res.key_changed)
		printf(_("  signing key fingerprint %s: the township's NEW key, accepted and pinned (audited)\n"), res.fingerprint);
	else
		printf(_("  signed with the township's pinned key, fingerprint %s\n"), res.fingerprint);
	if (p->have) {
		char a[32];
		printf("  低保金发放：%d户 %d人 %s元，暂停发放%d户，追缴%d户", p->households, p->persons,
		    money_format(p->total, a), p->held, p->recovery);
		if (p->reconciled)
			printf("；回盘：成功%d 失败%d 金额不符%d 账户不在批次%d 回盘缺失%d", p->paid, p->failed, p->mismatch,
			    p->unknown, p->missing);
		printf("\n");
	}
	return 0;
}

/* ---- county list ------------------------------------------------------ */

/* the township's payment batch of the month, as stored (issue 13) */
static json_t *
list_payment_json(const struct county_payment *p)
{
	json_t *j = json_pack("{s:i,s:i,s:I,s:I,s:i,s:I,s:i,s:I,s:s,s:b}", "households", p->households,
	    "persons", p->persons, "total", (json_int_t)p->total, "arrears", (json_int_t)p->arrears,
	    "held", p->held, "held_amount", (json_int_t)p->held_amount, "recovery", p->recovery,
	    "recovery_amount", (json_int_t)p->recovery_amount, "sha256", p->sha256, "reconciled", p->reconciled);
	if (j != NULL && p->reconciled)
		json_object_set_new(j, "reconciliation", json_pack("{s:i,s:i,s:i,s:i,s:i}", "paid", p->paid,
		    "failed", p->failed, "mismatch", p->mismatch, "unknown", p->unknown, "missing", p->missing));
	return j;
}

struct list_baton {
	struct cli *c;
	json_t *arr;
	int ret;
};

static int
list_one(const struct county_archive *a, void *baton)
{
	struct list_baton *lb = baton;
	json_t *arr = lb->arr;
	struct county_payment p;
	char mon[8], t[32], fpr[SIGN_FPR_LEN] = "";
	int have = county_payment_get(lb->c->st, a->township, a->period, &p, &lb->c->e);
	if (have < 0) {
		lb->ret = -1;
		return 1;
	}
	month_format(a->period, mon);
	/* issue 16.5: the key the archive was signed with */
	if (a->signer[0] && sign_fingerprint_hex(a->signer, fpr) != 0)
		fpr[0] = '\0';
	if (arr != NULL) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:i,s:i,s:i,s:i}", "township", a->township,
		    "name", a->name, "period", mon, "manifest", a->manifest,
		    "previous", a->previous[0] ? a->previous : NULL, "files", a->files, "dossiers", a->dossiers,
		    "people", a->people, "cases", a->cases);
		if (o != NULL) {
			json_object_set_new(o, "payment", have == 0 ? list_payment_json(&p) : json_null());
			json_object_set_new(o, "signer_fingerprint", fpr[0] ? json_string(fpr) : json_null());
		}
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%s  ", a->township);
	cli_printf_cols(a->name, 14);
	printf("%s  %.16s…  %5d %5d %6d  %s\n", mon, a->manifest, a->files, a->people, a->cases, fpr[0] ? fpr : "-");
	if (have == 0) {
		printf("    低保金发放：%d户 %d人 %s元，暂停发放%d户，追缴%d户", p.households, p.persons,
		    money_format(p.total, t), p.held, p.recovery);
		if (p.reconciled)
			printf("；回盘：成功%d 失败%d 金额不符%d 账户不在批次%d 回盘缺失%d", p.paid, p.failed, p.mismatch,
			    p.unknown, p.missing);
		printf("\n");
	}
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	(void)argv;
	if (argc != 0)
		return cli_usage("county list");
	if (county_require(c->st, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	if (!c->json)
		printf("%s\n", _("township   name          period   manifest              files people  cases  signing key fingerprint"));
	struct list_baton lb = {c, arr, 0};
	if (county_archive_list(c->st, list_one, &lb, &c->e) != 0 || lb.ret != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	return arr ? cli_print_json(arr) : 0;
}

/* ---- county duplicates ------------------------------------------------ */

static int
dup_one(const struct county_person *v, int n, void *baton)
{
	json_t *arr = baton;
	char mon[8];
	if (arr != NULL) {
		json_t *where = json_array();
		for (int i = 0; i < n; i++) {
			month_format(v[i].period, mon);
			json_array_append_new(where, json_pack("{s:s,s:s,s:s,s:s,s:s}", "township", v[i].township,
			    "dossier", v[i].dossier, "name", v[i].name, "period", mon, "status", v[i].status));
		}
		json_array_append_new(arr, json_pack("{s:s,s:o}", "id", v[0].id, "enrolled", where));
		return 0;
	}
	char idm[ID_LEN + 1];
	printf("%s\n", cli_id(v[0].id, idm));   /* masked unless --reveal (i12) */
	for (int i = 0; i < n; i++) {
		month_format(v[i].period, mon);
		printf("    %s  %s  %s  %s  %s\n", v[i].township, v[i].dossier, v[i].name, mon, v[i].status);
	}
	return 0;
}

static int
dup_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	int count;
	(void)argv;
	if (argc != 0)
		return cli_usage("county duplicates");
	if (county_require(c->st, &c->e) != 0 || county_duplicates(c->st, dup_one, arr, &count, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	if (arr)
		return cli_print_json(arr);
	if (count == 0)
		printf("%s\n", _("no one is enrolled in two townships"));
	else
		printf(_("%d people enrolled in two or more townships at once\n"), count);
	return 0;
}

/* ---- county sample: the visit list (print/form-sample.c writes it) ------- */

static int
sample_exec(struct cli *c, int argc, char **argv)
{
	const char *period = NULL, *seed = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"period", OPT_VALUE, &period}, {"seed", OPT_VALUE, &seed}, {"pdf", OPT_VALUE, &pdf},
		{"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, ret = 0;
	dbmonth_t m;
	struct county_sample s;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || period == NULL)
		return cli_usage(SAMPLE_USAGE);
	if (cli_parse_month(c, "--period", period, &m) != 0)
		return cli_fail(c);
	if (county_sample(c->st, &c->user, m, seed, &s, &c->e) != 0)
		return cli_fail(c);
	if (sample_write(c->st, &c->user, &s, pdf, csv, &c->e) != 0) {
		county_sample_free(&s);
		return cli_fail(c);
	}
	char mon[8], money[32];
	month_format(m, mon);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < s.n; i++)
			if (s.v[i].sampled)
				json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:b,s:b}", "township",
				    s.v[i].township, "dossier", s.v[i].dossier, "village", s.v[i].village, "head", s.v[i].head,
				    "persons", s.v[i].persons, "total", (json_int_t)s.v[i].total, "kin", s.v[i].kin,
				    "new", s.v[i].added));
		ret = cli_print_json(json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", "period", mon, "seed", s.seed,
		    "new", s.n_new, "kin", s.n_kin, "drawn", s.n_drawn, "visits", arr));
	} else {
		printf(_("%s: %d kin-filing cases (all visited), %d new cases, %d drawn; seed %s\n"), mon, s.n_kin,
		    s.n_new, s.n_drawn, s.seed);
		for (size_t i = 0; i < s.n; i++) {
			const struct county_case *k = &s.v[i];
			if (!k->sampled)
				continue;
			money_format(k->total, money);
			printf("  %s  %s  ", k->township, k->dossier);
			cli_printf_cols(k->village, 12);
			cli_printf_cols(k->head, 10);
			printf("%d  %s  %s\n", k->persons, money, sample_why(k));
		}
	}
	county_sample_free(&s);
	return ret;
}

const struct cmd_entry cmds_archive[] = {
	{"export", "archive", EXPORT_USAGE,
	    N_("the month's handover archive for the county (zip by default): manifest with hashes chained to the previous month, report, roster, filings, ledgers, audit entries, changed dossiers; carried filings become reported"),
	    NEEDS_USER, export_exec},
	{"import", "archive", IMPORT_USAGE,
	    N_("import a township's monthly archive into a county database: every hash and the month chain verified, all or nothing"),
	    NEEDS_USER, import_exec},
	/* issue 16.5: the county's import under its own name */
	{"county", "import", COUNTY_IMPORT_USAGE,
	    N_("import a township's monthly archive (as import archive): signature, pinned key and audit chain verified; --accept-new-key takes a changed key (admin, after confirming its fingerprint by phone; audited)"),
	    NEEDS_USER, import_exec},
	{"county", "list", "county list", N_("the archives imported, by township and month (county database)"),
	    NEEDS_STORE, list_exec},
	{"county", "duplicates", "county duplicates",
	    N_("people enrolled in two townships at once (the same ID number in their latest archives)"),
	    NEEDS_STORE, dup_exec},
	{"county", "sample", SAMPLE_USAGE,
	    N_("draw the visit list of a period: every kin-filing case and at least 30 percent of the new cases, reproducibly; recorded"),
	    NEEDS_USER, sample_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
