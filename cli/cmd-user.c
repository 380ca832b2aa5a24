/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-user.c — `dibao user add|list|passwd|disable`.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/roles.h"
#include "core/text.h"
#include "store/crypt.h"
#include "store/err.h"
#include "store/user.h"

static int
add_exec(struct cli *c, int argc, char **argv)
{
	const char *role = NULL, *name = NULL, *id = NULL, *pw;
	const struct opt opts[] = {
		{"role", OPT_VALUE, &role}, {"name", OPT_VALUE, &name}, {"id", OPT_VALUE, &id},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos, r;
	struct user u;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || role == NULL || name == NULL)
		return cli_usage_cmd(c);
	memset(&u, 0, sizeof u);
	if ((r = cli_parse_term(c, _("role"), role_terms, ROLE__N, role)) < 0)
		return cli_fail(c);
	u.role = (enum role)r;
	if (text_set(u.login, sizeof u.login, pos[0], &why) != 0 ||
	    text_set(u.name, sizeof u.name, name, &why) != 0 ||
	    (id && text_set(u.id, sizeof u.id, id, &why) != 0))
		return cli_refuse(c, "%s", _(why));
	/* DIBAO_PASSWORD is the actor's; a new user's comes from DIBAO_NEW_PASSWORD */
	if ((pw = cli_password(_("password of the new user: "), "DIBAO_NEW_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_NEW_PASSWORD or run in a terminal)"));
	if (user_add(c->st, &c->user, &u, pw, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s}", "user", u.login, "role", role_terms[u.role].en));
	printf(_("user %s (%s) added\n"), u.login, role_terms[u.role].zh);
	return 0;
}

static int
list_one(const struct user *u, void *baton)
{
	json_t *arr = baton;
	if (arr) {
		/* needs_password (issue 14): after dibao encrypt, till an admin
		 * sets a new one */
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "user", u->login, "name", u->name,
		    "role", role_terms[u->role].en, "id", u->id, "disabled", u->disabled,
		    "needs_password", user_needs_key(u)));
		return 0;
	}
	cli_printf_cols(u->login, 16);
	cli_printf_cols(u->name, 16);
	cli_printf_cols(role_terms[u->role].zh, 10);
	printf("%s\n", u->disabled ? _("disabled") :
	    user_needs_key(u) ? _("needs a new password from an administrator (dibao user passwd)") : "");
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	if (argc != 0)
		return cli_usage_cmd(c);
	if (user_list(c->st, list_one, arr, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	return arr ? cli_print_json(arr) : 0;
}

static int
passwd_exec(struct cli *c, int argc, char **argv)
{
	const char *np;
	if (argc != 1)
		return cli_usage_cmd(c);
	if ((np = cli_password(_("new password: "), "DIBAO_NEW_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_NEW_PASSWORD or run in a terminal)"));
	if (user_passwd(c->st, &c->user, argv[0], np, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("password of %s changed\n"), argv[0]);
	return 0;
}

static int
disable_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage_cmd(c);
	if (user_disable(c->st, &c->user, argv[0], &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("user %s disabled\n"), argv[0]);
	return 0;
}

const struct cmd_entry cmds_user[] = {
	{"user", "add", "user add USER --role clerk|reviewer|approver|inspector|admin --name NAME [--id ID]",
	    N_("add a user (admin); the new user's password comes from DIBAO_NEW_PASSWORD or the terminal"),
	    NEEDS_USER, add_exec},
	{"user", "list", "user list", N_("list the users"), NEEDS_STORE, list_exec},
	{"user", "passwd", "user passwd USER", N_("change a password (admin, or your own); new one from DIBAO_NEW_PASSWORD or the terminal"),
	    NEEDS_USER, passwd_exec},
	{"user", "disable", "user disable USER", N_("disable a user (admin); nothing is deleted"), NEEDS_USER, disable_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
