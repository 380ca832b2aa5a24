/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-dossier.c — `dibao dossier new|show|list`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "import/dossier-json.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/due.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/due.h"
#include "store/err.h"
#include "store/village.h"

static int
new_exec(struct cli *c, int argc, char **argv)
{
	const char *area = NULL, *village = NULL, *group = NULL, *address = NULL, *phone = NULL,
	    *head = NULL, *head_id = NULL, *support = NULL, *poverty = NULL, *bank = NULL, *account = NULL;
	const struct opt opts[] = {
		{"area", OPT_VALUE, &area}, {"village", OPT_VALUE, &village}, {"group", OPT_VALUE, &group},
		{"address", OPT_VALUE, &address}, {"phone", OPT_VALUE, &phone},
		{"head-name", OPT_VALUE, &head}, {"head-id", OPT_VALUE, &head_id},
		{"support", OPT_VALUE, &support}, {"poverty", OPT_VALUE, &poverty},
		{"bank", OPT_VALUE, &bank}, {"account", OPT_VALUE, &account}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, r;
	struct dossier *d;
	const char *why;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !area || !village || !head || !head_id)
		return cli_usage_cmd(c);
	if ((d = calloc(1, sizeof *d)) == NULL)
		return 3;
	dossier_init(d);
	if ((r = cli_parse_term(c, _("area"), area_terms, AREA__N, area)) <= 0)
		goto refused;
	d->area = (enum area)r;
	if (support) {
		if ((r = cli_parse_term(c, _("support"), support_terms, SUPPORT__N, support)) < 0)
			goto refused;
		d->support = (enum support)r;
	}
	if (poverty) {
		if ((r = cli_parse_term(c, _("poverty type"), poverty_terms, POVERTY__N, poverty)) < 0)
			goto refused;
		d->poverty = (enum poverty)r;
	}
	struct { char *dst; size_t size; const char *src; const char *field; } t[] = {
		{d->village, sizeof d->village, village, _("village")},
		{d->group, sizeof d->group, group, _("group")},
		{d->address, sizeof d->address, address, _("address")},
		{d->phone, sizeof d->phone, phone, _("phone")},
		{d->bank, sizeof d->bank, bank, _("bank")},
		{d->account, sizeof d->account, account, _("account")},
		{d->members[0].name, sizeof d->members[0].name, head, _("head name")},
		{d->members[0].id, sizeof d->members[0].id + 8, head_id, _("head ID number")},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].src == NULL)
			continue;
		if (t[i].dst == d->members[0].id) {
			/* the ID is normalised (full-width digits) by the store */
			struct id_info info;
			if (id_check(t[i].src, 99991231, &info, &why) != 0) {
				err_set(&c->e, E_REFUSED, "%s: %s (%s)", t[i].field, _(why), t[i].src);
				goto refused;
			}
			memcpy(d->members[0].id, info.id, sizeof d->members[0].id);
			continue;
		}
		if (text_set(t[i].dst, t[i].size, t[i].src, &why) != 0) {
			err_set(&c->e, E_REFUSED, "%s: %s", t[i].field, _(why));
			goto refused;
		}
	}
	d->n_members = 1;
	if (dossier_create(c->st, &c->user, d, &c->e) != 0)
		goto refused;
	if (c->json)
		r = cli_print_json(json_pack("{s:s}", "dossier", d->no));
	else
		printf("%s\n", d->no), r = 0;
	free(d);
	return r;
refused:
	if (c->e.code == E_OK)
		err_set(&c->e, E_REFUSED, "%s", _("area: must be urban (城市) or rural (农村)"));
	free(d);
	return cli_fail(c);
}

static void
show_text(const struct dossier *d, bool reveal)
{
	char buf[64], acct[TEXT_SHORT], money[32];

	printf(_("dossier   %s  (version %u)\n"), d->no, d->version);
	printf(_("status    %s (%s)\n"), status_terms[d->status].zh, status_terms[d->status].en);
	if (d->previous[0])   /* a re-application (i12) */
		printf(_("previous  %s\n"), d->previous);
	printf(_("area      %s   village %s %s\n"), area_terms[d->area].zh, d->village, d->group);
	if (d->address[0] || d->phone[0])
		printf(_("address   %s   phone %s\n"), d->address, d->phone);
	printf(_("support   %s   %s   category %c\n"), support_terms[d->support].zh,
	    poverty_terms[d->poverty].zh, d->category ? d->category : '-');
	if (d->account[0]) {
		text_mask_account(d->account, acct, sizeof acct);
		printf(_("account   %s %s\n"), d->bank, reveal ? d->account : acct);
		/* issue 13: the card's holder, or that one is needed */
		const struct member *h = d->holder[0] ? dossier_member_c(d, d->holder) : NULL;
		if (d->holder[0] == '\0')
			printf("%s\n", _("holder    none recorded: name one (dossier edit --holder ID)"));
		else
			printf(_("holder    %s\n"), h ? h->name : d->holder);
	}
	date_format(d->applied, buf);
	printf(_("applied   %s"), buf);
	date_format(d->status_date, buf);
	printf(_("   status since %s\n"), buf);
	money_format(d->total, money);
	printf(_("monthly   %s yuan\n"), money);
	printf(_("members   %d\n"), d->n_members);
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		char mask[ID_LEN + 1];
		id_mask(m->id, mask);
		printf("  ");
		cli_printf_cols(m->name, 10);
		cli_printf_cols(relation_terms[m->relation].zh, 10);
		printf("%s  %s", reveal ? m->id : mask, m->sex == 'M' ? _("male") : _("female"));
		if (m->disability)
			printf(_("  disability %s grade %d"), disability_terms[m->disability].zh, m->disability_grade);
		if (m->health != HEALTH_GOOD)
			printf("  %s %s", health_terms[m->health].zh, m->illness);
		if (m->flags & MF_STAFF)
			printf(_("  government-funded staff"));
		if (m->death) {
			date_format(m->death, buf);
			printf(_("  died %s"), buf);
		}
		if (reveal && (m->flags & (MF_HIV | MF_CONFIDENTIAL)))
			printf(_("  [confidential]"));
		printf("\n");
	}
	for (int i = 0; i < d->n_incomes; i++) {
		money_format(d->incomes[i].amount, money);
		char mid[ID_LEN + 1];
		if (reveal || d->incomes[i].member_id[0] == '\0')
			snprintf(mid, sizeof mid, "%s", d->incomes[i].member_id);
		else
			id_mask(d->incomes[i].member_id, mid);
		printf(_("income    %s %s yuan/month %s\n"), income_name(&d->incomes[i]), money, mid);
	}
	for (int i = 0; i < d->n_expenses; i++) {
		money_format(d->expenses[i].amount, money);
		printf(_("expense   %s %s yuan/month\n"), expense_terms[d->expenses[i].kind].zh, money);
	}
	money_format(d->assets.deposits, money);
	printf(_("assets    deposits %s yuan, vehicles %d (production %d), houses %d, businesses %d\n"), money,
	    d->assets.vehicles, d->assets.production_vehicles, d->assets.houses, d->assets.businesses);
	cli_print_checks(d, _("checked   "), false);
}

static int
show_exec(struct cli *c, int argc, char **argv)
{
	bool reveal = false;
	const struct opt opts[] = {{"reveal", OPT_FLAG, &reveal}, {NULL, 0, NULL}};
	int r;
	struct dossier *d;

	if ((r = cli_dossier_arg(c, argc, argv, opts, &d)) != 0)
		return r;
	reveal = reveal || c->reveal;   /* main takes --reveal off every command (i12) */
	if (reveal) {
		/* reading confidential fields is audited (the user logged in) */
		if (dossier_reveal(c->st, &c->user, d->no, "account,hiv,confidential,id", &c->e) != 0) {
			free(d);
			return cli_fail(c);
		}
		cli_ids_whole(true);
	}
	/* ID numbers masked (first 6, last 4) unless --reveal (audited): the
	 * JSON by cli_print_json, as every command's (i12, SPEC 11) */
	if (c->json)
		r = cli_print_json(dossier_json(d, reveal));
	else
		show_text(d, reveal);
	free(d);
	return r;
}

struct list_ctx {
	json_t *arr;
	int n;
};

static int
list_one(const struct dossier *d, void *baton)
{
	struct list_ctx *l = baton;
	char money[32];
	const char *head = d->n_members ? d->members[d->head].name : "";

	l->n++;
	if (l->arr) {
		json_array_append_new(l->arr, json_pack("{s:s,s:s,s:s,s:s,s:I}", "dossier", d->no,
		    "head_name", head, "village", d->village, "status", status_terms[d->status].en,
		    "total", (json_int_t)d->total));
		return 0;
	}
	money_format(d->total, money);
	printf("%s  ", d->no);
	cli_printf_cols(head, 10);
	cli_printf_cols(d->village, 12);
	cli_printf_cols(status_terms[d->status].en, 10);
	printf("%10s\n", money);
	return 0;
}

static int
due_one(const struct dossier *d, const struct due *due, int n, void *baton)
{
	json_t *arr = baton;
	const char *head = d->n_members ? d->members[d->head].name : "";
	char ds[11];

	if (arr) {
		json_t *items = json_array();
		for (int i = 0; i < n; i++) {
			date_format(due[i].date, ds);
			json_array_append_new(items, json_pack("{s:s,s:s,s:b}", "kind", due_terms[due[i].kind].en,
			    "date", ds, "overdue", due[i].past));
		}
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o}", "dossier", d->no, "head_name", head,
		    "village", d->village, "status", status_terms[d->status].en, "due", items));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		date_format(due[i].date, ds);
		printf("%s  ", d->no);
		cli_printf_cols(head, 10);
		cli_printf_cols(status_terms[d->status].zh, 10);
		cli_printf_cols(due_terms[due[i].kind].zh, 18);
		printf("%s  %s\n", ds, due[i].past ? _("overdue") : _("near"));
	}
	return 0;
}

static int
list_exec(struct cli *c, int argc, char **argv)
{
	const char *status = NULL, *village = NULL, *search = NULL, *limit = NULL, *offset = NULL;
	bool due = false;
	const struct opt opts[] = {
		{"status", OPT_VALUE, &status}, {"village", OPT_VALUE, &village}, {"search", OPT_VALUE, &search},
		{"limit", OPT_VALUE, &limit}, {"offset", OPT_VALUE, &offset}, {"due", OPT_FLAG, &due}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	long v;
	struct dossier_filter f = {.status = -1};
	struct list_ctx l = {0};
	struct village vl;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	if (due) {
		/* deadlines, notices, reviews and gradual exits near or past */
		json_t *arr = c->json ? json_array() : NULL;
		if (status || village || search || limit || offset)
			return cli_usage_cmd(c);
		if (dossier_list_due(c->st, due_one, arr, &c->e) != 0) {
			json_decref(arr);
			return cli_fail(c);
		}
		return arr ? cli_print_json(arr) : 0;
	}
	if (cli_dossier_filter(c, status, village, &f, &vl) != 0)
		return cli_fail(c);
	f.search = search;
	if (limit) {
		if (cli_parse_int(c, "--limit", limit, 1, 1000000, &v) != 0)
			return cli_fail(c);
		f.limit = (size_t)v;
	}
	if (offset) {
		if (cli_parse_int(c, "--offset", offset, 0, 100000000, &v) != 0)
			return cli_fail(c);
		f.offset = (size_t)v;
	}
	l.arr = c->json ? json_array() : NULL;
	int r = dossier_list(c->st, &f, list_one, &l, &c->e);
	if (r != 0) {
		json_decref(l.arr);
		return cli_fail(c);
	}
	return l.arr ? cli_print_json(l.arr) : 0;
}

static int
yes_no(struct cli *c, const char *field, const char *s, int *out)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "yes") == 0 || strcmp(s, "是") == 0)
		*out = 1;
	else if (strcmp(s, "no") == 0 || strcmp(s, "否") == 0)
		*out = 0;
	else
		return err_set(&c->e, E_REFUSED, _("%s: yes or no (是/否)"), field);
	return 0;
}

static int
edit_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *group = NULL, *address = NULL, *phone = NULL, *bank = NULL, *account = NULL,
	    *support = NULL, *poverty = NULL, *poor = NULL, *extreme = NULL, *holder = NULL;
	const struct opt opts[] = {
		{"holder", OPT_VALUE, &holder},
		{"village", OPT_VALUE, &village}, {"group", OPT_VALUE, &group}, {"address", OPT_VALUE, &address},
		{"phone", OPT_VALUE, &phone}, {"bank", OPT_VALUE, &bank}, {"account", OPT_VALUE, &account},
		{"support", OPT_VALUE, &support}, {"poverty", OPT_VALUE, &poverty},
		{"registered-poor", OPT_VALUE, &poor}, {"extreme-poverty", OPT_VALUE, &extreme}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	struct household_edit h = {.support = -1, .poverty = -1, .registered_poor = -1, .extreme_poverty = -1};

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	h.village = village;
	h.group = group;
	h.address = address;
	h.phone = phone;
	h.bank = bank;
	h.account = account;
	h.holder = holder;
	if ((support && (h.support = cli_parse_term(c, _("support"), support_terms, SUPPORT__N, support)) < 0) ||
	    (poverty && (h.poverty = cli_parse_term(c, _("poverty type"), poverty_terms, POVERTY__N, poverty)) < 0) ||
	    yes_no(c, "--registered-poor", poor, &h.registered_poor) != 0 ||
	    yes_no(c, "--extreme-poverty", extreme, &h.extreme_poverty) != 0)
		return cli_fail(c);
	if (household_edit(c->st, &c->user, pos[0], &h, 0, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("dossier %s changed\n"), pos[0]);
	return 0;
}

const struct cmd_entry cmds_dossier[] = {
	{"dossier", "new", "dossier new --area rural|urban --village NAME [--group NAME] [--address TEXT] [--phone TEXT]\n"
	    "      --head-name NAME --head-id ID [--support household|single] [--poverty income|expense]\n"
	    "      [--bank NAME --account NUMBER]",
	    N_("open a new dossier on application; prints its number"), NEEDS_USER, new_exec},
	{"dossier", "show", "dossier show DOSSIER [--reveal]",
	    N_("the whole record (account and ID numbers masked; --reveal shows them and is audited)"), NEEDS_STORE, show_exec},
	{"dossier", "list", "dossier list [--status S] [--village V] [--search TEXT] [--limit N] [--offset N] | --due",
	    N_("list dossiers; search by number, ID number, name or name prefix, village; --due: deadlines, notices, reviews and gradual exits near or past"), NEEDS_STORE, list_exec},
	{"dossier", "edit", "dossier edit DOSSIER [--village V] [--group G] [--address TEXT] [--phone TEXT] [--bank NAME]\n"
	    "      [--account NUMBER] [--holder ID] [--support household|single] [--poverty income|expense]\n"
	    "      [--registered-poor yes|no] [--extreme-poverty yes|no]",
	    N_("change the household's own fields while the case is open (the account change is audited without the number); --holder: the subsidy card's holder, a living member (default the head)"),
	    NEEDS_USER, edit_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
