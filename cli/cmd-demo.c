/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-demo.c — `dibao demo --households N [--seed S]`: a deterministic,
 * realistic synthetic township for trying, testing and benchmarking.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

#include "core/base.h"
#include "store/demo.h"
#include "store/err.h"

static void
progress(int done, int total, void *baton)
{
	if (isatty(2))
		fprintf(stderr, "\r%d / %d", done, total);
	if (done == total && isatty(2))
		fputc('\n', stderr);
}

static int
demo_exec(struct cli *c, int argc, char **argv)
{
	const char *n = NULL, *seed = "1";
	const struct opt opts[] = {{"households", OPT_VALUE, &n}, {"seed", OPT_VALUE, &seed}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	long hh, sd;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || n == NULL)
		return cli_usage_cmd(c);
	if (cli_parse_int(c, "--households", n, 1, 1000000, &hh) != 0 ||
	    cli_parse_int(c, "--seed", seed, 0, 2147483647, &sd) != 0)
		return cli_fail(c);
	if (demo_load(c->st, &c->user, (int)hh, (uint64_t)sd, progress, NULL, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:i,s:i}", "households", (int)hh, "seed", (int)sd));
	printf(_("%ld demo households loaded (seed %ld)\n"), hh, sd);
	return 0;
}

const struct cmd_entry cmds_demo[] = {
	{"demo", NULL, "demo --households N [--seed S]",
	    N_("load N synthetic, realistic households (admin); the same seed gives the same data"),
	    NEEDS_USER, demo_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
