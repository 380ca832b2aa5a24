/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-setting.c — `dibao setting`, `dibao standard`, `dibao village`: the
 * township's settings, the standards table and the villages.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/village.h"

static int
get_exec(struct cli *c, int argc, char **argv)
{
	char val[TEXT_LONG];
	if (argc != 1)
		return cli_usage_cmd(c);
	if (setting_get(c->st, NULL, argv[0], val, sizeof val, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s}", "key", argv[0], "value", val));
	printf("%s\n", val);
	return 0;
}

static int
set_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage_cmd(c);
	if (setting_set(c->st, &c->user, argv[0], argv[1], &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("%s = %s\n"), argv[0], argv[1]);
	return 0;
}

static int
list_one(const char *key, const char *val, const char *help, void *baton)
{
	json_t *obj = baton;
	if (obj)
		json_object_set_new(obj, key, json_string(val));
	else
		printf("%-28s %-20s  %s\n", key, val, help);
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	json_t *obj = c->json ? json_object() : NULL;
	if (argc != 0)
		return cli_usage_cmd(c);
	if (setting_list(c->st, list_one, obj, &c->e) != 0) {
		json_decref(obj);
		return cli_fail(c);
	}
	return obj ? cli_print_json(obj) : 0;
}

static int
std_set_exec(struct cli *c, int argc, char **argv)
{
	const char *area = NULL, *from = NULL, *amount = NULL;
	const struct opt opts[] = {
		{"area", OPT_VALUE, &area}, {"from", OPT_VALUE, &from}, {"amount", OPT_VALUE, &amount},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos, a;
	dbmonth_t m;
	fen_t f;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !area || !from || !amount)
		return cli_usage_cmd(c);
	if ((a = cli_parse_term(c, _("area"), area_terms, AREA__N, area)) <= 0) {
		if (a == 0)
			err_set(&c->e, E_REFUSED, "%s", _("area: must be urban (城市) or rural (农村)"));
		return cli_fail(c);
	}
	if (cli_parse_month(c, _("from"), from, &m) != 0 || cli_parse_money(c, _("amount"), amount, &f) != 0)
		return cli_fail(c);
	if (standard_set(c->st, &c->user, (enum area)a, m, f, &c->e) != 0)
		return cli_fail(c);
	if (!c->json) {
		char ms[8], fs[32];
		month_format(m, ms);
		money_format(f, fs);
		printf(_("standard %s from %s: %s yuan per person per month\n"), area_terms[a].zh, ms, fs);
	}
	return 0;
}

static int
std_list_one(enum area a, dbmonth_t from, fen_t amount, void *baton)
{
	json_t *arr = baton;
	char ms[8], fs[32];
	month_format(from, ms);
	money_format(amount, fs);
	if (arr)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I}", "area", area_terms[a].en, "from", ms,
		    "amount", (json_int_t)amount));
	else
		printf("%s  %s  %s\n", area_terms[a].zh, ms, fs);
	return 0;
}

static int
std_list_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	if (standard_list(c->st, std_list_one, arr, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	return arr ? cli_print_json(arr) : 0;
}

static int
join(struct cli *c, const char *field, const struct opt_multi *m, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < m->n; i++) {
		size_t n = strlen(m->v[i]);
		if (used + n + 2 > size)
			return err_set(&c->e, E_REFUSED, _("%s: too long"), field);
		if (used)
			out[used++] = ',';
		memcpy(out + used, m->v[i], n + 1);
		used += n;
	}
	return 0;
}

static int
village_add_exec(struct cli *c, int argc, char **argv)
{
	const char *groups = NULL;
	struct opt_multi aliases = {0};
	const struct opt opts[] = {
		{"groups", OPT_VALUE, &groups}, {"alias", OPT_MULTI, &aliases}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	struct village v;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	memset(&v, 0, sizeof v);
	if (text_set(v.name, sizeof v.name, pos[0], &why) != 0 ||
	    (groups && text_set(v.groups, sizeof v.groups, groups, &why) != 0))
		return cli_refuse(c, "%s", _(why));
	/* accept both , and ， between groups */
	for (char *p; (p = strstr(v.groups, "，")) != NULL;) {
		*p = ',';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	if (join(c, _("alias"), &aliases, v.aliases, sizeof v.aliases) != 0)
		return cli_fail(c);
	if (village_add(c->st, &c->user, &v, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("village %s added\n"), v.name);
	return 0;
}

static int
village_one(const struct village *v, void *baton)
{
	json_t *arr = baton;
	if (arr)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "name", v->name, "groups", v->groups,
		    "aliases", v->aliases));
	else
		printf("%s  %s%s%s\n", v->name, v->groups, v->aliases[0] ? "  " : "", v->aliases);
	return 0;
}

static int
village_list_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	if (village_list(c->st, village_one, arr, &c->e) != 0) {
		json_decref(arr);
		return cli_fail(c);
	}
	return arr ? cli_print_json(arr) : 0;
}

const struct cmd_entry cmds_setting[] = {
	{"setting", "get", "setting get KEY", N_("show a setting"), NEEDS_STORE, get_exec},
	{"setting", "set", "setting set KEY VALUE", N_("change a setting (admin)"), NEEDS_USER, set_exec},
	{"setting", "list", "setting list", N_("list all settings with their values"), NEEDS_STORE, list_exec},
	{"standard", "set", "standard set --area rural|urban --from YYYY-MM --amount YUAN",
	    N_("set the guarantee standard of an area from a month on (admin)"), NEEDS_USER, std_set_exec},
	{"standard", "list", "standard list", N_("list the standards"), NEEDS_STORE, std_list_exec},
	{"village", "add", "village add NAME [--groups G1,G2,...] [--alias OTHER]...",
	    N_("add a village or community with its groups and accepted aliases (admin)"), NEEDS_USER, village_add_exec},
	{"village", "list", "village list", N_("list the villages"), NEEDS_STORE, village_list_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
