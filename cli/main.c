/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c — the dibao command line (CLI.md): global options, the command
 * table, login, and dispatch.  With no command it starts the console.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "cli/cli.h"

#include "core/kin-model.h"
#include "core/ledger-model.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/crypt.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"

static const struct cmd_entry *const tables[] = {
	cmds_init, cmds_user, cmds_id, cmds_setting, cmds_dossier, cmds_member, cmds_infocheck,
	cmds_case, cmds_kin, cmds_print, cmds_import, cmds_clue, cmds_report, cmds_screen, cmds_archive, cmds_audit,
	cmds_demo,
	cmds_payment, /* issue 13 */
	cmds_protect, /* issue 14 */
	cmds_replica, /* the standby PC */
	cmds_checklist, /* issue 15: checklist incomplete */
	NULL,
};

static void
usage_all(FILE *f)
{
	fprintf(f, "%s", _("usage: dibao [--data DIR] [--user USER] [--json] COMMAND [ARGS]\n"
	    "       dibao                 start the console\n"
	    "       dibao --version | --help | COMMAND --help\n\n"));
	fprintf(f, "%s\n", _("Commands:"));
	for (int t = 0; tables[t]; t++)
		for (const struct cmd_entry *c = tables[t]; c->name; c++)
			fprintf(f, "  dibao %s\n      %s\n", c->usage, _(c->help));
	fprintf(f, "\n%s", _("Data directory: --data, else $DIBAO_DATA, else $XDG_DATA_HOME/dibao.\n"
	    "User: --user, else $DIBAO_USER; password: $DIBAO_PASSWORD, else asked without echo.\n"
	    "Exit status: 0 done, 1 refused (reasons on stderr), 2 usage error, 3 storage or internal error.\n"
	    "Amounts are yuan with up to two decimals; JSON money is integer fen.\n"));
	/* integrity (i12) */
	fprintf(f, "%s", _("A command that changes a dossier takes --version N (the version `dossier show` printed):\n"
	    "it is refused, changing nothing, when someone else changed the dossier meanwhile.\n"));
	fprintf(f, "\n%s\n", _("Enumerated values (Chinese term or English alias):"));
	struct { const char *what; const struct term *t; int n; } en[] = {
		{"area", area_terms, AREA__N}, {"relation", relation_terms, REL__N},
		{"disability", disability_terms, DIS__N}, {"labour", labour_terms, LABOUR__N},
		{"income kind", income_terms, INC__N}, {"expense kind", expense_terms, EXP__N},
		{"agency", agency_terms, AG__N},
		{"exit reason", exit_terms, EXIT__N}, {"role", role_terms, ROLE__N},
		{"support", support_terms, SUPPORT__N}, {"poverty", poverty_terms, POVERTY__N},
		{"status", status_terms, ST__N}, {"staff kind", staff_kind_terms, SK__N},
		{"kin relation", kin_relation_terms, KREL__N}, {"filing status", filing_status_terms, FS__N},
		{"clue channel", clue_channel_terms, CH__N}, {"clue category", clue_category_terms, CC__N},
		{"clue finding", clue_finding_terms, FIND__N}, {"rectification source", fix_source_terms, FSRC__N},
		{"screening list", screen_terms, SCR__N},
	};
	for (size_t i = 0; i < sizeof en / sizeof en[0]; i++) {
		fprintf(f, "  %s:", en[i].what);
		for (int k = 0; k < en[i].n; k++)
			if (en[i].t[k].zh[0])
				fprintf(f, " %s=%s", en[i].t[k].zh, en[i].t[k].en);
		fputc('\n', f);
	}
}

static const char *
default_data_dir(void)
{
	static char buf[4096];
	const char *d = getenv("DIBAO_DATA"), *x = getenv("XDG_DATA_HOME"), *h = getenv("HOME");
	if (d && *d)
		return d;
	if (x && *x)
		snprintf(buf, sizeof buf, "%s/dibao", x);
	else
		snprintf(buf, sizeof buf, "%s/.local/share/dibao", h ? h : ".");
	return buf;
}

static const struct cmd_entry *
find(const char *name, const char *sub, bool *has_family)
{
	const struct cmd_entry *plain = NULL;

	/* "checklist mark X" is the subcommand; "checklist X" the plain one */
	*has_family = false;
	for (int t = 0; tables[t]; t++)
		for (const struct cmd_entry *c = tables[t]; c->name; c++) {
			if (strcmp(c->name, name) != 0)
				continue;
			*has_family = true;
			if (c->sub == NULL)
				plain = c;
			else if (sub && strcmp(c->sub, sub) == 0)
				return c;
		}
	return plain;
}

static void
family_usage(const char *name)
{
	fprintf(stderr, "%s", _("usage:\n"));
	for (int t = 0; tables[t]; t++)
		for (const struct cmd_entry *c = tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				fprintf(stderr, "  dibao %s\n      %s\n", c->usage, _(c->help));
}

int tui_main(const char *data_dir, const char *login);

/* The store's watchdog found this process stuck for good behind a crashed
 * process (store/failchk.c): say so and end, rather than hang (issue 16). */
static int finished = -1;   /* the command's status, once it ran */

static void
stuck(const char *msg)
{
	/* NULL: stuck in store_close, the command's work done (all committed) */
	if (msg == NULL && finished >= 0)
		_exit(finished);
	fprintf(stderr, "dibao: %s\n", msg != NULL ? msg : "");
	_exit(3);
}

/* The global options before the command (--data, --user, --json; --help
 * and --version answer at once): the exit status when dibao is done, -1
 * to go on with the command at *ip. */
static int
global_options(struct cli *c, int argc, char **argv, int *ip)
{
	for (*ip = 1; *ip < argc && argv[*ip][0] == '-'; (*ip)++) {
		const char *a = argv[*ip];
		if (strcmp(a, "--version") == 0) {
			printf("dibao %s\n", PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage_all(stdout);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			c->json = true;
		} else if ((strcmp(a, "--data") == 0 || strcmp(a, "--user") == 0) && *ip + 1 < argc) {
			if (a[2] == 'd')
				c->data_dir = argv[++*ip];
			else
				c->login = argv[++*ip];
		} else if (strncmp(a, "--data=", 7) == 0) {
			c->data_dir = a + 7;
		} else if (strncmp(a, "--user=", 7) == 0) {
			c->login = a + 7;
		} else {
			fprintf(stderr, _("dibao: unknown option %s\n"), a);
			usage_all(stderr);
			return 2;
		}
	}
	return -1;
}

/* integrity (i12): --version N after the command, the dossier version the
 * clerk saw, taken out of the arguments; checked inside the write's
 * transaction.  -1 (said why) when N is not a version. */
static int
take_version(char **args, int *nargs, long *expect)
{
	for (int k = 0; k < *nargs; k++) {
		const char *val = NULL;
		int take = 0;
		if (strcmp(args[k], "--") == 0)
			break;
		if (strcmp(args[k], "--version") == 0 && k + 1 < *nargs)
			val = args[k + 1], take = 2;
		else if (strncmp(args[k], "--version=", 10) == 0)
			val = args[k] + 10, take = 1;
		else if (strcmp(args[k], "--version") == 0)
			take = 1;
		if (take == 0)
			continue;
		char *end = NULL;
		*expect = val ? strtol(val, &end, 10) : 0;
		if (val == NULL || *val == '\0' || *end != '\0' || *expect <= 0 || *expect > 0x7fffffffL) {
			fprintf(stderr, "%s", _("dibao: --version: the dossier version, a whole number from 1 (dossier show prints it)\n"));
			return -1;
		}
		memmove(args + k, args + k + take, (size_t)(*nargs - k - take) * sizeof *args);
		*nargs -= take;
		k--;
	}
	return 0;
}

/* integrity (i12, SPEC 11): --reveal after any command shows ID numbers
 * whole, and the read is audited; without it they are masked.  Taken out
 * of the arguments. */
static bool
take_reveal(char **args, int *nargs)
{
	bool reveal = false;

	for (int k = 0; k < *nargs; k++) {
		if (strcmp(args[k], "--") == 0)
			break;
		if (strcmp(args[k], "--reveal") != 0)
			continue;
		reveal = true;
		memmove(args + k, args + k + 1, (size_t)(*nargs - k - 1) * sizeof *args);
		(*nargs)--;
		k--;
	}
	return reveal;
}

int
main(int argc, char **argv)
{
	struct cli c;
	int i, ret;

	setlocale(LC_ALL, "");
	bindtextdomain("dibao", cli_locale_dir());
	bind_textdomain_codeset("dibao", "UTF-8");
	textdomain("dibao");
	if (sodium_init() < 0) {
		fprintf(stderr, "dibao: libsodium\n");
		return 3;
	}
	memset(&c, 0, sizeof c);
	store_set_stuck_handler(stuck);
	c.login = getenv("DIBAO_USER");
	if ((ret = global_options(&c, argc, argv, &i)) >= 0)
		return ret;
	if (c.data_dir == NULL)
		c.data_dir = default_data_dir();
	if (i == argc)
		return tui_main(c.data_dir, c.login);

	const char *name = argv[i], *sub = i + 1 < argc ? argv[i + 1] : NULL;
	bool family;
	const struct cmd_entry *cmd = find(name, sub, &family);
	if (cmd == NULL) {
		if (family) {
			family_usage(name);
			return 2;
		}
		fprintf(stderr, _("dibao: unknown command %s (dibao --help lists them)\n"), name);
		return 2;
	}
	int skip = cmd->sub ? 2 : 1;
	for (int k = i + skip; k < argc; k++) {
		if (strcmp(argv[k], "--help") == 0) {
			printf("usage: dibao %s\n  %s\n", cmd->usage, _(cmd->help));
			return 0;
		}
	}
	int nargs = argc - i - skip;
	char **args = argv + i + skip;
	long expect = 0;
	if (take_version(args, &nargs, &expect) != 0)
		return 2;
	c.reveal = take_reveal(args, &nargs);
	if (cmd->needs == NEEDS_NOTHING)
		cli_ids_whole(true);   /* id check: the numbers typed */
	if (cmd->needs == NEEDS_STORE || cmd->needs == NEEDS_USER) {
		/* every command that reads the store logs in first (SPEC 11) */
		if (cli_login(&c) != 0)
			return cli_fail(&c);
		/* dossier show audits its reveal on the dossier itself */
		char what[64];
		snprintf(what, sizeof what, "%s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
		if (c.reveal && strcmp(what, "dossier show") != 0 && cli_reveal(&c, what) != 0) {
			ret = cli_fail(&c);
			store_close(c.st);
			return ret;
		}
	}
	if (expect > 0 && c.st != NULL)
		store_expect_version(c.st, NULL, (uint32_t)expect);
	c.cmd = cmd;
	ret = cmd->exec(&c, nargs, args);
	/* the output first: a close stuck behind a crashed process ends the
	 * process with this status (issue 16) */
	fflush(stdout);
	fflush(stderr);
	finished = ret;
	store_close(c.st);
	return ret;
}
