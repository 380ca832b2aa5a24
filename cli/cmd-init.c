/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-init.c — `dibao init`: a new township (or county) database with its
 * administrator.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "print/forms.h"

#include "core/base.h"
#include "store/crypt.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

/* The recovery sheet (i14): --sheet FILE, else ~/低保输出/恢复页-CODE.pdf */
int
cli_recovery_sheet(struct cli *c, const char *sheet, const char *code, const char *name, const char *rcode,
    char *path, size_t size)
{
	char when[32], l1[256], l2[256], l3[512];
	time_t now = time(NULL);
	struct tm tm;
	const char *home = getenv("HOME");

	if (sheet != NULL) {
		snprintf(path, size, "%s", sheet);
	} else {
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/低保输出", home && *home ? home : ".");
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return err_set(&c->e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
		snprintf(path, size, "%s/恢复页-%s.pdf", dir, code);
	}
	if (localtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%d", &tm) == 0)
		snprintf(when, sizeof when, "?");
	snprintf(l1, sizeof l1, _("Township: %s (%s)"), name, code);
	snprintf(l2, sizeof l2, _("Made on: %s, data directory %s"), when, c->data_dir);
	snprintf(l3, sizeof l3, "%s", _("With this code (dibao recover --code CODE) an administrator gets a new password when every password is lost. Keep this sheet in the safe, never beside the computer."));
	const char *lines[] = {l1, l2, l3};
	return recovery_sheet_write(path, _("Recovery sheet of the dibao database"), lines, 3,
	    _("Recovery code:"), rcode, &c->e);
}

static int
init_exec(struct cli *c, int argc, char **argv)
{
	const char *tcode = NULL, *tname = NULL, *ccode = NULL, *cname = NULL, *admin = NULL, *pw;
	const char *sheet = NULL;
	bool noenc = false;
	char sheet_path[1200] = "";
	const struct opt opts[] = {
		{"township-code", OPT_VALUE, &tcode}, {"township-name", OPT_VALUE, &tname},
		{"county-code", OPT_VALUE, &ccode}, {"county-name", OPT_VALUE, &cname},
		{"admin", OPT_VALUE, &admin}, {"sheet", OPT_VALUE, &sheet},
		{"no-encrypt", OPT_FLAG, &noenc}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, ret;
	bool county = ccode != NULL;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	county = ccode != NULL || cname != NULL;
	if (admin == NULL || (county ? (ccode == NULL || cname == NULL || tcode || tname) :
	    (tcode == NULL || tname == NULL)))
		return cli_usage_cmd(c);
	if ((pw = cli_password(_("password of the new administrator: "), "DIBAO_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
	/* encrypted unless --no-encrypt (tests that read raw files) */
	if (store_open(&c->st, c->data_dir, STORE_CREATE | (noenc ? 0 : STORE_ENCRYPT), &c->e) != 0)
		return cli_fail(c);
	ret = store_init(c->st, county ? ccode : tcode, county ? cname : tname, county, admin, pw, &c->e);
	if (ret != 0) {
		/* nothing committed: leave no half-made data directory behind */
		return cli_fail(c);
	}
	if (store_recovery_code(c->st) != NULL &&
	    cli_recovery_sheet(c, sheet, county ? ccode : tcode, county ? cname : tname, store_recovery_code(c->st),
	    sheet_path, sizeof sheet_path) != 0) {
		/* the database is made; the code is still shown below */
		cli_fail(c);
		sheet_path[0] = '\0';
	}
	const char *rc = store_recovery_code(c->st);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s,s:b,s:s?,s:s?}", "kind", county ? "county" : "township",
		    "code", county ? ccode : tcode, "data", c->data_dir, "encrypted", rc != NULL,
		    "recovery_code", rc, "recovery_sheet", sheet_path[0] ? sheet_path : NULL));
	printf(_("initialised %s (%s) in %s\n"), county ? cname : tname, county ? ccode : tcode, c->data_dir);
	if (rc != NULL) {
		printf(_("recovery code: %s\n"), rc);
		if (sheet_path[0])
			printf(_("recovery sheet: %s (print it and keep it in the safe, then delete the file)\n"), sheet_path);
	}
	return 0;
}

const struct cmd_entry cmds_init[] = {
	{"init", NULL, "init --township-code CODE --township-name NAME --admin USER [--sheet FILE.pdf] [--no-encrypt]\n"
	    "  dibao init --county-code CODE --county-name NAME --admin USER [--sheet FILE.pdf] [--no-encrypt]",
	    N_("create a new township (or county) database; the admin's password comes from DIBAO_PASSWORD or the terminal"),
	    NEEDS_SELF, init_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
