/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c — the dibao command line (CLI.md): global options, the command
 * table, login, and dispatch.  With no command it starts the console.
 */
#include "config.h"

#include <errno.h>
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
 * process (store/failchk.c, issue 16).  Outside a commit, with nothing
 * committed and nothing printed yet, the command runs again from its start
 * (store/restart.c): the stuck transaction never committed, and the new
 * process's open recovers the environment.  Otherwise a re-run could
 * repeat what is done, or its outcome is unknown: it ends with exit 3 and
 * says what to check.  The messages are made before (a signal handler). */
static int finished = -1;   /* the command's status, once it ran */
static char said_restart[1024], said_limit[1024], said_commit[1536], said_part[1536], said_output[1024],
    said_settle[1024];

static void
say(const char *text)
{
	(void)!write(STDERR_FILENO, text, strlen(text));
}

static void
stuck(const struct store_stuck *s)
{
	/* in store_close: the command's work is done (all committed) */
	if (s->closing && finished >= 0)
		_exit(finished);
	if (!s->closing && !s->in_commit && s->commits == 0 && s->output == 0) {
		if (store_restart_count() < STORE_RESTARTS) {
			say(said_restart);
			store_restart(NULL);
		}
		say(said_limit);
	} else if (s->in_commit) {
		/* its outcome unknown here: the re-run looks for its audit entry
		 * first (store_settle_pending), so it is never done twice */
		if (s->pending != NULL && s->commits == 0 && s->output == 0 &&
		    store_restart_count() < STORE_RESTARTS) {
			say(said_settle);
			store_restart(s->pending);
		}
		say(said_commit);
	} else if (s->commits > 0) {
		say(said_part);
	} else {
		say(said_output);
	}
	_exit(3);
}

/* The messages of stuck(), naming the command ("dibao …" as typed). */
static void
stuck_messages(int argc, char **argv)
{
	char cmd[512] = "dibao";
	size_t n = strlen(cmd);
	const char *why = _("another dibao process died while holding the database's internal lock, and this one cannot continue");

	for (int k = 1; k < argc && n + 1 < sizeof cmd - 4; k++)
		n += (size_t)snprintf(cmd + n, sizeof cmd - n, " %s", argv[k]);
	if (n >= sizeof cmd - 4)
		snprintf(cmd + sizeof cmd - 4, 4, "…");
	snprintf(said_restart, sizeof said_restart, _("dibao: %s; nothing of this command was saved: it runs again from its start (restart %d of %d)\n"),
	    why, store_restart_count() + 1, STORE_RESTARTS);
	snprintf(said_settle, sizeof said_settle, _("dibao: %s while saving the change: it runs again from its start, which first looks in the audit chain whether the change was saved (restart %d of %d)\n"),
	    why, store_restart_count() + 1, STORE_RESTARTS);
	snprintf(said_limit, sizeof said_limit, "dibao: %s; %s\n", why,
	    _("it was already run again as often as allowed: nothing of it was saved; run \"dibao check\", then run the command again"));
	snprintf(said_commit, sizeof said_commit, _("dibao: %s while saving the change of \"%s\": whether it was saved is unknown. Before running it again, look at the last entries of \"dibao audit\" (or show the record it changed): if its change is there, it was saved\n"),
	    why, cmd);
	snprintf(said_part, sizeof said_part, _("dibao: %s; \"%s\" had already saved part of its work, which running it again would repeat: look at the last entries of \"dibao audit\" to see what was saved before doing the rest\n"),
	    why, cmd);
	snprintf(said_output, sizeof said_output, _("dibao: %s; \"%s\" did not finish and saved nothing (what it printed may be incomplete): run it again\n"),
	    why, cmd);
}

/* Standard output counted as it leaves the process (stuck above: output
 * sent would be sent twice by a re-run; output still in the buffer is
 * dropped by the exec and printed once by the re-run). */
static ssize_t
out_write(void *cookie, const char *buf, size_t size)
{
	size_t done = 0;
	(void)cookie;
	while (done < size) {
		ssize_t w = write(STDOUT_FILENO, buf + done, size - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return done > 0 ? (ssize_t)done : -1;
		store_note_output((unsigned long)w);
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static void
count_output(void)
{
	cookie_io_functions_t io = {.write = out_write};
	FILE *f = fopencookie(NULL, "w", io);

	if (f == NULL)
		return;   /* the plain stdout: a stuck command is then not run again */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
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

/* what an open says before it works at length (store_set_notice_handler) */
static void
notice(const char *msg, void *baton)
{
	(void)baton;
	fprintf(stderr, "dibao: %s\n", msg);
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
	store_restart_init(argc, argv);
	stuck_messages(argc, argv);
	store_set_stuck_handler(stuck);
	store_set_notice_handler(notice, NULL);
	c.login = getenv("DIBAO_USER");
	if ((ret = global_options(&c, argc, argv, &i)) >= 0)
		return ret;
	if (c.data_dir == NULL)
		c.data_dir = default_data_dir();
	if (i == argc)
		return tui_main(c.data_dir, c.login);
	count_output();   /* a command's (the console draws on the terminal) */

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
		/* run again after a commit stuck for good: was it saved? */
		bool saved = false;
		char entry[400] = "";
		if (store_settle_pending(c.st, &saved, entry, sizeof entry, &c.e) != 0 || saved) {
			ret = saved ? 0 : cli_fail(&c);
			if (saved)
				fprintf(stderr, _("dibao: the change this command was saving when it got stuck was saved (audit entry %s): it is not done again\n"), entry);
			finished = ret;
			store_close(c.st);
			return ret;
		}
		/* dossier show audits its reveal on the dossier itself */
		char what[64];
		snprintf(what, sizeof what, "%s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
		if (c.reveal && strcmp(what, "dossier show") != 0 && cli_reveal(&c, what) != 0) {
			ret = cli_fail(&c);
			fflush(stdout);
			finished = ret;
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
