/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-audit.c — `dibao audit [--verify]`, `check`, `backup DIR`,
 * `restore DIR`: tracing back, verifying, and keeping the data safe.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

#include "core/base.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/check.h"
#include "store/err.h"

struct audit_ctx {
	json_t *arr;
	bool oom;             /* a line could not be masked: stopped (i12) */
};

static int
audit_one(const struct audit_entry *a, void *baton)
{
	struct audit_ctx *x = baton;
	char hx[65], when[32];
	time_t t = (time_t)a->time;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	hex32(a->hash, hx);
	if (x->arr) {
		json_array_append_new(x->arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)a->seq,
		    "time", when, "operator", a->op, "action", a->action, "object", a->object,
		    "detail", a->detail ? a->detail : "", "hash", hx));
		return 0;
	}
	/* integrity (i12, SPEC 11): ID numbers in the object and detail masked
	 * unless --reveal (the JSON is masked by cli_print_json) */
	char *obj = strdup(a->object), *det = strdup(a->detail ? a->detail : "");
	if (obj == NULL || det == NULL) {
		free(obj);
		free(det);
		x->oom = true;
		return 1;
	}
	cli_mask_text(obj);
	cli_mask_text(det);
	printf("%6llu  %s  %-10s %-18s %-22s %s\n", (unsigned long long)a->seq, when, a->op, a->action, obj, det);
	free(obj);
	free(det);
	return 0;
}

static int
audit_exec(struct cli *c, int argc, char **argv)
{
	bool verify = false;
	const char *object = NULL;
	const struct opt opts[] = {{"verify", OPT_FLAG, &verify}, {"object", OPT_VALUE, &object}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	if (verify) {
		uint64_t n;
		unsigned char head[32];
		char hx[65];
		if (audit_verify(c->st, &n, head, &c->e) != 0)
			return cli_fail(c);
		hex32(head, hx);
		if (c->json)
			return cli_print_json(json_pack("{s:b,s:I,s:s}", "intact", 1, "entries", (json_int_t)n, "head", hx));
		printf(_("audit chain intact: %llu entries, head %s\n"), (unsigned long long)n, hx);
		return 0;
	}
	struct audit_ctx x = {c->json ? json_array() : NULL, false};
	if (audit_walk(c->st, object, audit_one, &x, &c->e) != 0) {
		json_decref(x.arr);
		return cli_fail(c);
	}
	if (x.oom) {
		fprintf(stderr, "dibao: %s\n", _("out of memory"));
		return 3;
	}
	return x.arr ? cli_print_json(x.arr) : 0;
}

static void
report(const char *msg, void *baton)
{
	json_t *arr = baton;
	if (arr)
		json_array_append_new(arr, json_string(msg));
	else
		fprintf(stderr, "dibao: %s\n", msg);
}

static int
check_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	int n;

	if (argc != 0)
		return cli_usage_cmd(c);
	n = store_check(c->st, report, arr, &c->e);
	if (n < 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	if (arr)
		cli_print_json(json_pack("{s:i,s:o}", "problems", n, "details", arr));
	else if (n == 0)
		printf("%s\n", _("check: no problems found (databases, indexes, audit chain, attachments)"));
	else
		fprintf(stderr, _("dibao: check found %d problem(s)\n"), n);
	return n == 0 ? 0 : 1;
}

static int
backup_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage_cmd(c);
	if (store_backup(c->st, &c->user, argv[0], &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("backup written to %s\n"), argv[0]);
	return 0;
}

static int
restore_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage_cmd(c);
	const char *pw;
	if (c->login == NULL || *c->login == '\0')
		return cli_refuse(c, "%s", _("a user is needed: give --user or DIBAO_USER"));
	if ((pw = cli_password(_("password: "), "DIBAO_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
	/* a user of the backup logs in: an encrypted backup opens only so */
	if (store_restore(argv[0], c->data_dir, c->login, pw, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("restored %s into %s\n"), argv[0], c->data_dir);
	return 0;
}

const struct cmd_entry cmds_audit[] = {
	{"audit", NULL, "audit [--verify] [--object DOSSIER]",
	    N_("list the audit trail (of one object), or verify its hash chain"), NEEDS_STORE, audit_exec},
	{"check", NULL, "check", N_("verify databases, indexes, the audit chain and attachments; exit 1 on any problem"),
	    NEEDS_STORE, check_exec},
	{"backup", NULL, "backup DIR", N_("consistent hot backup of the data directory into DIR"), NEEDS_USER, backup_exec},
	{"restore", NULL, "restore DIR", N_("restore a backup into a new, empty data directory (catastrophic recovery)"),
	    NEEDS_SELF, restore_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
