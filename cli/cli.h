/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h — the command line: one cmd-*.c per command family, each exporting
 * its table entries; shared option parsing, login and output helpers.
 * No rule lives here: commands parse, call core/store, and print.
 */
#ifndef DIBAO_CLI_H
#define DIBAO_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

struct cmd_entry;
struct cli {
	const char *data_dir;
	const char *login;
	bool json;
	struct store *st;
	struct user user;
	bool logged_in;
	struct err e;
	bool reveal;          /* --reveal given (i12): ID numbers whole, audited */
	const struct cmd_entry *cmd; /* the command running (main.c sets it) */
};

enum cmd_needs {
	NEEDS_NOTHING = 0, /* id check */
	NEEDS_STORE,       /* reads */
	NEEDS_USER,        /* writes: store and a logged-in user */
	NEEDS_SELF,        /* opens the store itself (init, restore) */
};

struct cmd_entry {
	const char *name;     /* "dossier" */
	const char *sub;      /* "new", or NULL */
	const char *usage;
	const char *help;     /* msgid */
	enum cmd_needs needs;
	int (*exec)(struct cli *c, int argc, char **argv);
};

/* util.c: log in (once) as --user / DIBAO_USER; 0 or -1 with c->e */
int cli_login(struct cli *c);

/* opts.c: --name VALUE / --name=VALUE / --flag; positional args kept */
struct opt {
	const char *name;
	int kind;             /* OPT_VALUE, OPT_FLAG, OPT_MULTI */
	void *out;            /* const char **, bool *, or struct opt_multi * */
};
enum { OPT_VALUE, OPT_FLAG, OPT_MULTI };
struct opt_multi {
	const char *v[16];
	int n;
};
/* 0 ok; -1 usage error printed.  pos gets the positional arguments. */
int opts_parse(int argc, char **argv, const struct opt *opts, char **pos, int *npos, int maxpos);

/* util.c */
int cli_usage(const char *usage);
int cli_usage_cmd(const struct cli *c);     /* the running command's usage */
int cli_fail(struct cli *c);                 /* print c->e, return exit status */
int cli_refuse(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_print_json(json_t *j);               /* steals j */
/* The password in $envname, else asked on the terminal without echo. */
const char *cli_password(const char *prompt, const char *envname);
int cli_parse_money(struct cli *c, const char *field, const char *s, fen_t *out);
int cli_parse_date(struct cli *c, const char *field, const char *s, dbdate_t *out);
int cli_parse_month(struct cli *c, const char *field, const char *s, dbmonth_t *out);
int cli_parse_term(struct cli *c, const char *field, const struct term *t, int n, const char *s);
int cli_parse_int(struct cli *c, const char *field, const char *s, long min, long max, long *out);
void cli_printf_cols(const char *s, int width); /* pad by display width */
/* A text table, one line a row: each column its head (msgid) and width
 * in display columns; the last column (width 0) ends the line. */
struct cli_col { const char *head; int width; };
void cli_table_head(const struct cli_col *cols, int n);
void cli_table_row(const struct cli_col *cols, int n, const char *const *cells);
#define CLI_NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))
/* integrity (i12, SPEC 11): ID numbers are masked wherever a person is
 * shown, text or JSON (cli_print_json masks every ID-shaped string), unless
 * --reveal, which cli_reveal audits (read.confidential on object).  cli_id
 * gives the ID as it may be shown; cli_ids_whole for commands whose output
 * is the typed number itself (id check). */
int cli_reveal(struct cli *c, const char *object);
void cli_ids_whole(bool whole);
const char *cli_id(const char *id, char buf[ID_LEN + 1]);
void cli_mask_text(char *s);
/* A command of options and one dossier number: the dossier loaded into *d
 * (the caller frees it) and 0; else *d NULL and the exit status, the usage
 * or the reason printed. */
int cli_dossier_arg(struct cli *c, int argc, char **argv, const struct opt *opts, struct dossier **d);
/* --status and --village (either NULL) into f; vl holds the village whose
 * name f points at.  -1 with the reason in c->e. */
struct dossier_filter;
struct village;
int cli_dossier_filter(struct cli *c, const char *status, const char *village, struct dossier_filter *f,
    struct village *vl);
/* locale-dir.c: the message catalogue's directory (build tree or installed) */
const char *cli_locale_dir(void);

/* the command tables */
extern const struct cmd_entry cmds_init[], cmds_user[], cmds_id[], cmds_setting[],
    cmds_dossier[], cmds_member[], cmds_audit[], cmds_demo[], cmds_case[], cmds_kin[], cmds_print[],
    cmds_import[], cmds_clue[], cmds_report[], cmds_screen[], cmds_archive[], cmds_infocheck[];
/* cmd-protect.c (i14): recover, and what protects the data */
extern const struct cmd_entry cmds_protect[];
/* cmd-init.c: the recovery sheet PDF (--sheet FILE, else ~/低保输出) */
int cli_recovery_sheet(struct cli *c, const char *sheet, const char *code, const char *name, const char *rcode,
    char *path, size_t size);

/* cmd-payment.c (issue 13) */
extern const struct cmd_entry cmds_payment[];
/* the standby PC (cmd-replica.c) */
extern const struct cmd_entry cmds_replica[];
extern const struct cmd_entry cmds_checklist[]; /* issue 15: checklist incomplete */

/* cmd-infocheck.c: the information-check results, one line per agency
 * after label (all: the agencies without a result too) */
void cli_print_checks(const struct dossier *d, const char *label, bool all);

/* dossier JSON (import/dossier-json.c): include "import/dossier-json.h" */

/* the list writers and report_monthly_write: "print/forms.h" */

#endif
