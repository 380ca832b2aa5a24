/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-init.c — `dibao init`: a new township (or county) database with its
 * administrator.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int
init_exec(struct cli *c, int argc, char **argv)
{
	const char *tcode = NULL, *tname = NULL, *ccode = NULL, *cname = NULL, *admin = NULL, *pw;
	const struct opt opts[] = {
		{"township-code", OPT_VALUE, &tcode}, {"township-name", OPT_VALUE, &tname},
		{"county-code", OPT_VALUE, &ccode}, {"county-name", OPT_VALUE, &cname},
		{"admin", OPT_VALUE, &admin}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, ret;
	bool county = ccode != NULL;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage(cmds_init[0].usage);
	county = ccode != NULL || cname != NULL;
	if (admin == NULL || (county ? (ccode == NULL || cname == NULL || tcode || tname) :
	    (tcode == NULL || tname == NULL)))
		return cli_usage(cmds_init[0].usage);
	if ((pw = cli_password(_("password of the new administrator: "), "DIBAO_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
	if (store_open(&c->st, c->data_dir, STORE_CREATE, &c->e) != 0)
		return cli_fail(c);
	ret = store_init(c->st, county ? ccode : tcode, county ? cname : tname, county, admin, pw, &c->e);
	if (ret != 0) {
		/* nothing committed: leave no half-made data directory behind */
		return cli_fail(c);
	}
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s}", "kind", county ? "county" : "township",
		    "code", county ? ccode : tcode, "data", c->data_dir));
	printf(_("initialised %s (%s) in %s\n"), county ? cname : tname, county ? ccode : tcode, c->data_dir);
	return 0;
}

const struct cmd_entry cmds_init[] = {
	{"init", NULL, "init --township-code CODE --township-name NAME --admin USER\n"
	    "  dibao init --county-code CODE --county-name NAME --admin USER",
	    N_("create a new township (or county) database; the admin's password comes from DIBAO_PASSWORD or the terminal"),
	    NEEDS_SELF, init_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
