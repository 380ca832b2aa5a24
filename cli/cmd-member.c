/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-member.c — `dibao member add|edit|death`, `income add`,
 * `expense add`, `asset set`: a dossier's members and finances.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/health.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"

struct member_opts {
	const char *name, *id, *relation, *disability, *illness, *labour, *occupation, *health;
	bool staff, hiv, confidential, not_guaranteed, guaranteed;
};

#define MEMBER_OPTS(o) \
	{"name", OPT_VALUE, &(o).name}, {"id", OPT_VALUE, &(o).id}, \
	{"relation", OPT_VALUE, &(o).relation}, {"disability", OPT_VALUE, &(o).disability}, \
	{"illness", OPT_VALUE, &(o).illness}, {"labour", OPT_VALUE, &(o).labour}, \
	{"health", OPT_VALUE, &(o).health}, \
	{"occupation", OPT_VALUE, &(o).occupation}, {"staff", OPT_FLAG, &(o).staff}, \
	{"hiv", OPT_FLAG, &(o).hiv}, {"confidential", OPT_FLAG, &(o).confidential}, \
	{"not-guaranteed", OPT_FLAG, &(o).not_guaranteed}

/* Fill m from the options; returns the MEMBER_F_* fields given, -1 refused */
static int
member_from_opts(struct cli *c, const struct member_opts *o, struct member *m, unsigned base_flags)
{
	unsigned fields = 0;
	const char *why;
	int r;

	if (o->name) {
		if (text_set(m->name, sizeof m->name, o->name, &why) != 0)
			return err_set(&c->e, E_REFUSED, "%s: %s", _("name"), _(why));
		fields |= MEMBER_F_NAME;
	}
	if (o->id) {
		struct id_info info;
		if (id_check(o->id, 99991231, &info, &why) != 0)
			return err_set(&c->e, E_REFUSED, "%s (%s)", _(why), o->id);
		memcpy(m->id, info.id, sizeof m->id);
		fields |= MEMBER_F_ID;
	}
	if (o->relation) {
		if ((r = cli_parse_term(c, _("relation"), relation_terms, REL__N, o->relation)) < 0)
			return -1;
		m->relation = (enum relation)r;
		fields |= MEMBER_F_RELATION;
	}
	if (o->disability) {
		/* KIND:GRADE, or 无/none */
		char kind[64];
		const char *colon = strchr(o->disability, ':');
		size_t n = colon ? (size_t)(colon - o->disability) : strlen(o->disability);
		long grade = 0;
		if (n >= sizeof kind)
			return err_set(&c->e, E_REFUSED, _("disability: use KIND:GRADE, e.g. 肢体:2"));
		memcpy(kind, o->disability, n);
		kind[n] = '\0';
		if ((r = cli_parse_term(c, _("disability"), disability_terms, DIS__N, kind)) < 0)
			return -1;
		if (r != DIS_NONE) {
			if (colon == NULL)
				return err_set(&c->e, E_REFUSED, _("disability: use KIND:GRADE, e.g. 肢体:2"));
			if (cli_parse_int(c, _("disability grade"), colon + 1, 1, 4, &grade) != 0)
				return -1;
		}
		m->disability = (enum disability)r;
		m->disability_grade = (int)grade;
		fields |= MEMBER_F_DISABILITY;
	}
	if (o->illness) {
		if (text_set(m->illness, sizeof m->illness, o->illness, &why) != 0)
			return err_set(&c->e, E_REFUSED, "%s: %s", _("illness"), _(why));
		m->health = health_of_illness(m->illness, HEALTH_GOOD);
		fields |= MEMBER_F_ILLNESS;
	}
	/* issue 15: --health 慢性病 (or 重病, 健康) says which an illness is */
	if (o->health) {
		int h = cli_parse_term(c, _("health"), health_terms, HEALTH__N, o->health);
		if (h < 0)
			return -1;
		m->health = (enum health)h;
		fields |= MEMBER_F_ILLNESS;
	}
	if (o->labour) {
		if ((r = cli_parse_term(c, _("labour capacity"), labour_terms, LABOUR__N, o->labour)) < 0)
			return -1;
		m->labour = (enum labour)r;
		fields |= MEMBER_F_LABOUR;
	}
	if (o->occupation) {
		if (text_set(m->occupation, sizeof m->occupation, o->occupation, &why) != 0)
			return err_set(&c->e, E_REFUSED, "%s: %s", _("occupation"), _(why));
		fields |= MEMBER_F_OCCUPATION;
	}
	unsigned flags = base_flags;
	bool any = o->staff || o->hiv || o->confidential || o->not_guaranteed || o->guaranteed;
	if (o->staff) flags |= MF_STAFF;
	if (o->hiv) flags |= MF_HIV;
	if (o->confidential) flags |= MF_CONFIDENTIAL;
	if (o->not_guaranteed) flags |= MF_NOT_GUARANTEED;
	if (o->guaranteed) flags &= ~MF_NOT_GUARANTEED;
	m->flags = flags;
	if (any)
		fields |= MEMBER_F_FLAGS;
	return (int)fields;
}

static int
add_exec(struct cli *c, int argc, char **argv)
{
	struct member_opts o = {0};
	const struct opt opts[] = {MEMBER_OPTS(o), {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	struct member m;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !o.name || !o.id || !o.relation)
		return cli_usage_cmd(c);
	memset(&m, 0, sizeof m);
	if (member_from_opts(c, &o, &m, 0) < 0 || member_add(c->st, &c->user, pos[0], &m, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("member %s added to %s\n"), m.name, pos[0]);
	return 0;
}

static int
edit_exec(struct cli *c, int argc, char **argv)
{
	struct member_opts o = {0};
	const struct opt opts[] = {MEMBER_OPTS(o), {"guaranteed", OPT_FLAG, &o.guaranteed}, {NULL, 0, NULL}};
	char *pos[2];
	int npos, fields;
	struct member m;
	struct dossier *d;
	struct id_info info;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2)
		return cli_usage_cmd(c);
	if (id_check(pos[1], 99991231, &info, &why) != 0)
		return cli_refuse(c, "%s (%s)", _(why), pos[1]);
	/* flags are edited relative to the member's current ones */
	if ((d = malloc(sizeof *d)) == NULL)
		return 3;
	if (dossier_get(c->st, NULL, pos[0], d, &c->e) != 0) {
		free(d);
		return cli_fail(c);
	}
	const struct member *cur = dossier_member_c(d, info.id);
	memset(&m, 0, sizeof m);
	fields = member_from_opts(c, &o, &m, cur ? cur->flags : 0);
	free(d);
	if (fields < 0)
		return cli_fail(c);
	if (fields == 0)
		return cli_usage_cmd(c);
	if (member_edit(c->st, &c->user, pos[0], info.id, &m, (unsigned)fields, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("member %s of %s changed\n"), cli_id(info.id, m.id), pos[0]);
	return 0;
}

static int
death_exec(struct cli *c, int argc, char **argv)
{
	const char *date = NULL, *cert = NULL, *cause = NULL;
	const struct opt opts[] = {
		{"date", OPT_VALUE, &date}, {"certificate", OPT_VALUE, &cert}, {"cause", OPT_VALUE, &cause},
		{NULL, 0, NULL},
	};
	char *pos[2];
	int npos;
	dbdate_t d;
	struct id_info info;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2 || !date)
		return cli_usage_cmd(c);
	if (id_check(pos[1], 99991231, &info, &why) != 0)
		return cli_refuse(c, "%s (%s)", _(why), pos[1]);
	if (cli_parse_date(c, _("death date"), date, &d) != 0 ||
	    member_death(c->st, &c->user, pos[0], info.id, d, cert, cause, &c->e) != 0)
		return cli_fail(c);
	char idm[ID_LEN + 1];
	if (!c->json)
		printf(_("death of %s recorded in %s\n"), cli_id(info.id, idm), pos[0]);
	/* the head's death: the dossier goes on under a new head */
	struct dossier *dd = malloc(sizeof *dd);
	if (dd != NULL && dossier_get(c->st, NULL, pos[0], dd, &c->e) == 0 && dd->n_members > 0 &&
	    strcmp(dd->members[dd->head].id, info.id) == 0 && dossier_living(dd, d) > 0)
		fprintf(stderr, _("dibao: the head has died: name a living member the new head (dibao member head %s ID)\n"), pos[0]);
	free(dd);
	return 0;
}

static int
income_exec(struct cli *c, int argc, char **argv)
{
	const char *kind = NULL, *amount = NULL, *member = NULL, *evidence = NULL;
	const struct opt opts[] = {
		{"kind", OPT_VALUE, &kind}, {"amount", OPT_VALUE, &amount}, {"member", OPT_VALUE, &member},
		{"evidence", OPT_VALUE, &evidence}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k;
	struct income_item it;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !kind || !amount)
		return cli_usage_cmd(c);
	memset(&it, 0, sizeof it);
	k = cli_parse_term(c, _("income kind"), income_terms, INC__N, kind);
	if (k < 0) {
		/* j12: a name the township lists in income.excluded.local */
		struct err e2;
		err_clear(&e2);
		int r = income_local_find(c->st, NULL, kind, it.name, &e2);
		if (r < 0)
			c->e = e2;
		if (r == 1) {
			k = INC_EX_LOCAL;
			err_clear(&c->e);
		}
	}
	if (k < 0 || cli_parse_money(c, _("amount"), amount, &it.amount) != 0)
		return cli_fail(c);
	it.kind = (enum income_kind)k;
	if (member) {
		struct id_info info;
		if (id_check(member, 99991231, &info, &why) != 0)
			return cli_refuse(c, "%s (%s)", _(why), member);
		memcpy(it.member_id, info.id, sizeof it.member_id);
	}
	if (evidence && text_set(it.evidence, sizeof it.evidence, evidence, &why) != 0)
		return cli_refuse(c, "%s: %s", _("evidence"), _(why));
	if (income_add(c->st, &c->user, pos[0], &it, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("income recorded in %s\n"), pos[0]);
	return 0;
}

static int
expense_exec(struct cli *c, int argc, char **argv)
{
	const char *kind = NULL, *amount = NULL, *note = NULL;
	const struct opt opts[] = {
		{"kind", OPT_VALUE, &kind}, {"amount", OPT_VALUE, &amount}, {"note", OPT_VALUE, &note},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos, k;
	struct expense_item it;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !kind || !amount)
		return cli_usage_cmd(c);
	memset(&it, 0, sizeof it);
	if ((k = cli_parse_term(c, _("expense kind"), expense_terms, EXP__N, kind)) < 0 ||
	    cli_parse_money(c, _("amount"), amount, &it.amount) != 0)
		return cli_fail(c);
	it.kind = (enum expense_kind)k;
	if (note && text_set(it.note, sizeof it.note, note, &why) != 0)
		return cli_refuse(c, "%s: %s", _("note"), _(why));
	if (expense_add(c->st, &c->user, pos[0], &it, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("expense recorded in %s\n"), pos[0]);
	return 0;
}

static int
asset_exec(struct cli *c, int argc, char **argv)
{
	const char *dep = NULL, *veh = NULL, *pveh = NULL, *houses = NULL, *biz = NULL;
	const struct opt opts[] = {
		{"deposits", OPT_VALUE, &dep}, {"vehicles", OPT_VALUE, &veh},
		{"production-vehicles", OPT_VALUE, &pveh}, {"houses", OPT_VALUE, &houses},
		{"businesses", OPT_VALUE, &biz}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	unsigned fields = 0;
	struct assets a;
	long v;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	memset(&a, 0, sizeof a);
	if (dep) {
		if (cli_parse_money(c, _("deposits"), dep, &a.deposits) != 0)
			return cli_fail(c);
		fields |= ASSET_F_DEPOSITS;
	}
	struct { const char *s; int *dst; unsigned f; const char *field; } n[] = {
		{veh, &a.vehicles, ASSET_F_VEHICLES, _("vehicles")},
		{pveh, &a.production_vehicles, ASSET_F_PROD_VEHICLES, _("production vehicles")},
		{houses, &a.houses, ASSET_F_HOUSES, _("houses")},
		{biz, &a.businesses, ASSET_F_BUSINESSES, _("businesses")},
	};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		if (n[i].s == NULL)
			continue;
		if (cli_parse_int(c, n[i].field, n[i].s, 0, 99, &v) != 0)
			return cli_fail(c);
		*n[i].dst = (int)v;
		fields |= n[i].f;
	}
	if (fields == 0)
		return cli_usage_cmd(c);
	if (asset_set(c->st, &c->user, pos[0], &a, fields, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("assets of %s recorded\n"), pos[0]);
	return 0;
}

const struct cmd_entry cmds_member[] = {
	{"member", "add", "member add DOSSIER --name NAME --id ID --relation REL [--disability KIND:GRADE]\n"
	    "      [--illness TEXT] [--health 健康|慢性病|重病] [--labour full|partial|none] [--occupation TEXT] [--staff] [--hiv]\n"
	    "      [--confidential] [--not-guaranteed]",
	    N_("add a member to a dossier (an ID number in another active dossier is refused, R7)"), NEEDS_USER, add_exec},
	{"member", "edit", "member edit DOSSIER ID [the options of member add] [--guaranteed]",
	    N_("change a member (the head too); --id gives a corrected ID number"), NEEDS_USER, edit_exec},
	{"member", "death", "member death DOSSIER ID --date YYYY-MM-DD [--certificate NO] [--cause TEXT]",
	    N_("record a member's death (never deleted)"), NEEDS_USER, death_exec},
	{"income", "add", "income add DOSSIER --kind KIND --amount YUAN [--member ID] [--evidence TEXT]",
	    N_("record a monthly income item"), NEEDS_USER, income_exec},
	{"expense", "add", "expense add DOSSIER --kind KIND --amount YUAN [--note TEXT]",
	    N_("record a monthly rigid expense (expenditure-based households)"), NEEDS_USER, expense_exec},
	{"asset", "set", "asset set DOSSIER [--deposits YUAN] [--vehicles N] [--production-vehicles N] [--houses N] [--businesses N]",
	    N_("record the household's assets"), NEEDS_USER, asset_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
