/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dossier.c — household dossiers and their members and finances: create,
 * read, and every change as dossier_update(): read under a write lock,
 * apply, bump the version, write, audit — one transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/card.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/calc.h"
#include "store/conflict.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"

/* integrity (i12, SPEC 3): the latest REJECTED or EXITED dossier holding
 * this ID number (the greatest number: numbers grow with time), other than
 * except_no; 1 with found, 0 none. */
static int
latest_closed(const char *no, int64_t status, void *baton)
{
	char *found = baton;
	if ((status == ST_REJECTED || status == ST_EXITED) && strcmp(no, found) > 0)
		memcpy(found, no, strlen(no) + 1);
	return 0;
}

static int
dossier_previous_of(struct store *st, store_txn *txn, const char *id, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e)
{
	found[0] = '\0';
	if (dossier_index_each(st, txn, DBI_DOSSIER_IDNO, id, except_no, latest_closed, found,
	    _("looking up the ID number"), e) != 0)
		return -1;
	return found[0] ? 1 : 0;
}

/* Link d to the household's latest rejected or exited dossier through
 * this member, unless a link is already there (SPEC 3). */
static int
link_previous(struct store *st, store_txn *txn, struct dossier *d, const char *id, struct err *e)
{
	char prev[DOSSIER_NO_LEN + 1];
	if (d->previous[0] != '\0')
		return 0;
	int r = dossier_previous_of(st, txn, id, d->no[0] ? d->no : NULL, prev, e);
	if (r > 0)
		snprintf(d->previous, sizeof d->previous, "%s", prev);
	return r < 0 ? -1 : 0;
}

/* R7 and the member's own checks; fills birth and sex from the ID. */
static int
check_member(struct store *st, store_txn *txn, const struct dossier *d, struct member *m,
    const char *old_id, struct err *e)
{
	struct id_info info;
	const char *why;
	char other[DOSSIER_NO_LEN + 1];
	dbdate_t today = store_today();

	if (id_check(m->id, today, &info, &why) != 0)
		return err_set(e, E_REFUSED, "%s (%s)", _(why), m->id);
	memcpy(m->id, info.id, sizeof m->id);
	m->birth = info.birth;
	m->sex = info.sex;
	if (member_validate(m, today, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	for (int i = 0; i < d->n_members; i++)
		if (&d->members[i] != m && strcmp(d->members[i].id, m->id) == 0 &&
		    (old_id == NULL || strcmp(d->members[i].id, old_id) != 0))
			return err_set(e, E_REFUSED, _("ID number: %s is already a member of this dossier"), m->id);
	int r = dossier_by_id(st, txn, m->id, d->no[0] ? d->no : NULL, other, e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_REFUSED,
		    _("R7: the ID number %s already belongs to a member of the active dossier %s (possible household splitting); close that dossier first"),
		    m->id, other);
	return 0;
}

struct create_baton {
	const struct user *actor;
	struct dossier *d;
};

static int
create_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct create_baton *b = baton;
	struct dossier *d = b->d;
	struct village v;
	dbdate_t today = store_today();

	if (village_resolve(st, txn, d->village, &v, e) != 0)
		return -1;
	if (d->group[0] && !village_has_group(&v, d->group))
		return err_set(e, E_REFUSED, _("group: %s is not a group of %s (%s)"), d->group, v.name, v.groups);
	strcpy(d->village, v.name);
	d->no[0] = '\0';
	if (check_member(st, txn, d, &d->members[0], NULL, e) != 0)
		return -1;
	if (dossier_next_no(st, txn, date_year(today), d->no, e) != 0)
		return -1;
	d->previous[0] = '\0';
	if (link_previous(st, txn, d, d->members[0].id, e) != 0)
		return -1;
	d->version = 1;
	d->status = ST_APPLIED;
	d->applied = d->status_date = today;
	if (dossier_put(st, txn, d, true, e) != 0 ||
	    audit_appendj(st, txn, b->actor->login, "dossier.new", d->no,
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "area", area_terms[d->area].en, "village", d->village,
	    "group", d->group, "head", d->members[0].name, "head_id", d->members[0].id,
	    "previous", d->previous[0] ? d->previous : NULL), e) != 0)
		return -1;
	/* 近亲属备案: a new member may be staff or a declared relative */
	return kin_match_dossier(st, txn, d, b->actor->login, e);
}

int
dossier_create(struct store *st, const struct user *actor, struct dossier *d, struct err *e)
{
	struct create_baton b = {.actor = actor, .d = d};

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	if (d->area != AREA_URBAN && d->area != AREA_RURAL)
		return err_set(e, E_REFUSED, _("area: must be urban (城市) or rural (农村)"));
	if (d->n_members != 1)
		return err_set(e, E_USAGE, _("a new dossier starts with its head only"));
	d->head = 0;
	d->members[0].relation = REL_SELF;
	if (d->account[0]) {
		/* the subsidy card (issue 13): digits only; its holder the head */
		char acct[ACCOUNT_MAX + 1];
		const char *why;
		if (account_normalize(d->account, acct, &why) != 0)
			return err_set(e, E_REFUSED, "%s: %s", _("account"), _(why));
		strcpy(d->account, acct);
		if (d->holder[0] == '\0')
			memcpy(d->holder, d->members[0].id, sizeof d->holder);
	}
	return store_txn_run(st, create_body, &b, e);
}

struct update_baton {
	const struct user *actor;
	const char *no;
	dossier_edit_fn fn;
	void *baton;
	const char *action;
	const char *detail;
	json_t *jdetail;     /* filled by fn, encoded after it (or NULL) */
};

static int
update_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct update_baton *u = baton;
	struct dossier *d = malloc(sizeof *d);
	int ret = -1;

	if (d == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (dossier_get(st, txn, u->no, d, e) != 0)
		goto out;
	/* integrity (i12): the version the clerk saw, under the write lock */
	if (st->expect_version != 0 && (st->expect_no[0] == '\0' || strcmp(st->expect_no, d->no) == 0) &&
	    d->version != st->expect_version) {
		err_set(e, E_CHANGED, _("dossier %s was changed by someone else meanwhile (version %u read, now %u): reload it"),
		    d->no, (unsigned)st->expect_version, (unsigned)d->version);
		goto out;
	}
	/* R11 on every write by that person (the procedure's steps list it
	 * among their reasons themselves; the monthly recalculation is no
	 * one's decision) */
	if (strncmp(u->action, "case.", 5) != 0 && dossier_conflict(st, txn, u->actor, d, e) != 0)
		goto out;
	if (u->fn(st, txn, d, u->baton, e) != 0)
		goto out;
	d->version++;
	if (dossier_put(st, txn, d, false, e) != 0)
		goto out;
	if (u->jdetail != NULL) {
		char *text = json_dumps(u->jdetail, JSON_COMPACT | JSON_SORT_KEYS);
		if (text == NULL) {
			err_set(e, E_STORAGE, _("out of memory"));
			goto out;
		}
		ret = audit_append(st, txn, u->actor->login, u->action, d->no, text, e);
		free(text);
	} else {
		ret = audit_append(st, txn, u->actor->login, u->action, d->no, u->detail, e);
	}
	if (ret != 0)
		goto out;
	/* 近亲属备案: the change may have added or corrected a member */
	ret = kin_match_dossier(st, txn, d, u->actor->login, e);
out:
	free(d);
	return ret;
}

void
store_expect_version(struct store *st, const char *no, uint32_t version)
{
	st->expect_version = version;
	snprintf(st->expect_no, sizeof st->expect_no, "%s", no && version ? no : "");
}

/* Both update entries: the edit in one transaction, or nothing when the
 * caller's audit detail failed to build (integrity, i12: every caller
 * builds one; NULL is a failed build); the expected version is used once */
static int
update_run(struct store *st, struct update_baton *u, bool have_detail, struct err *e)
{
	int ret = have_detail ? store_txn_run(st, update_body, u, e) :
	    err_set(e, E_STORAGE, "%s", _("audit entry: its detail could not be built (out of memory or text not UTF-8): nothing was written"));
	store_expect_version(st, NULL, 0);
	return ret;
}

int
dossier_update(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, const char *detail, struct err *e)
{
	struct update_baton u = {actor, no, fn, baton, action, detail, NULL};
	return update_run(st, &u, detail != NULL, e);
}

int
dossier_update_detail(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e)
{
	struct update_baton u = {actor, no, fn, baton, action, NULL, detail};
	return update_run(st, &u, detail != NULL, e);
}

int
dossier_update_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e)
{
	struct update_baton u = {actor, no, fn, baton, action, NULL, detail};
	return update_body(st, txn, &u, e);
}

static char *
detail_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* ---- members ---------------------------------------------------------- */

struct member_baton {
	struct member m;
	const char *id;     /* edit/death: the member addressed */
	unsigned fields;    /* edit: which fields to take from m */
	dbdate_t date;
	const char *cert, *cause;
	json_t *detail;     /* death: filled with what the death changed */
};

static int
madd_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct member_baton *b = baton;

	if (dossier_require_open(d, e) != 0)
		return -1;
	if (d->n_members >= MAX_MEMBERS)
		return err_set(e, E_REFUSED, _("members: at most %d per dossier"), MAX_MEMBERS);
	if (b->m.relation == REL_SELF)
		return err_set(e, E_REFUSED, _("relation: the dossier already has its head (本人)"));
	if (check_member(st, txn, d, &b->m, NULL, e) != 0)
		return -1;
	/* a re-application: any member links the household's earlier dossier */
	if (d->status != ST_APPROVED && link_previous(st, txn, d, b->m.id, e) != 0)
		return -1;
	d->members[d->n_members++] = b->m;
	return 0;
}

int
member_add(struct store *st, const struct user *actor, const char *no, const struct member *m, struct err *e)
{
	struct member_baton b = {.m = *m};
	char *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	detail = detail_json(json_pack("{s:s,s:s,s:s}", "name", m->name, "id", m->id,
	    "relation", relation_terms[m->relation].en));
	ret = dossier_update(st, actor, no, madd_fn, &b, "member.add", detail, e);
	free(detail);
	return ret;
}

static int
medit_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct member_baton *b = baton;
	struct member *old = dossier_member(d, b->id), m;

	if (dossier_require_open(d, e) != 0)
		return -1;
	if (old == NULL)
		return err_set(e, E_NOTFOUND, _("member: %s is not a member of dossier %s"), b->id, d->no);
	m = *old;
	if (b->fields & MEMBER_F_NAME) memcpy(m.name, b->m.name, sizeof m.name);
	if (b->fields & MEMBER_F_ID) memcpy(m.id, b->m.id, sizeof m.id);
	if (b->fields & MEMBER_F_RELATION) {
		bool is_head = old == &d->members[d->head];
		if ((b->m.relation == REL_SELF) != is_head)
			return err_set(e, E_REFUSED, _("relation: 本人 marks the head; change the head with the head change"));
		m.relation = b->m.relation;
	}
	if (b->fields & MEMBER_F_DISABILITY) { m.disability = b->m.disability; m.disability_grade = b->m.disability_grade; }
	if (b->fields & MEMBER_F_ILLNESS) {
		memcpy(m.illness, b->m.illness, sizeof m.illness);
		m.health = b->m.health;
	}
	if (b->fields & MEMBER_F_LABOUR) m.labour = b->m.labour;
	if (b->fields & MEMBER_F_OCCUPATION) memcpy(m.occupation, b->m.occupation, sizeof m.occupation);
	if (b->fields & MEMBER_F_FLAGS) m.flags = b->m.flags;
	if (check_member(st, txn, d, &m, old->id, e) != 0)
		return -1;
	*old = m;
	return 0;
}

int
member_edit(struct store *st, const struct user *actor, const char *no, const char *id,
    const struct member *m, unsigned fields, struct err *e)
{
	struct member_baton b = {.m = *m, .id = id, .fields = fields};
	char *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	detail = detail_json(json_pack("{s:s,s:I}", "id", id, "fields", (json_int_t)fields));
	ret = dossier_update(st, actor, no, medit_fn, &b, "member.edit", detail, e);
	free(detail);
	return ret;
}

static int
mdeath_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct member_baton *b = baton;
	struct member *m = dossier_member(d, b->id);
	dbdate_t today = store_today();
	const char *why;

	if (m == NULL)
		return err_set(e, E_NOTFOUND, _("member: %s is not a member of dossier %s"), b->id, d->no);
	if (m->death != 0)
		return err_set(e, E_REFUSED, _("death date: the death of %s is already recorded"), m->name);
	if (b->date > today)
		return err_set(e, E_REFUSED, _("death date: must not be in the future"));
	if (b->date < m->birth)
		return err_set(e, E_REFUSED, _("death date: must not be before the birth date"));
	if ((b->cert && text_set(m->death_cert, sizeof m->death_cert, b->cert, &why) != 0) ||
	    (b->cause && text_set(m->death_cause, sizeof m->death_cause, b->cause, &why) != 0))
		return err_set(e, E_REFUSED, _("death certificate or cause: too long"));
	m->death = b->date;
	/* the monthly report reads amount changes and exits from the chain */
	json_object_set_new(b->detail, "old_total", json_integer(d->total));
	json_object_set_new(b->detail, "status", json_string(status_terms[d->status].en));
	/* a household with no living members leaves the guarantee (SPEC 3) */
	if (dossier_living(d, today) == 0 && status_active(d->status)) {
		json_object_set_new(b->detail, "exited", json_true());
		d->status = ST_EXITED;
		d->exit_reason = EXIT_DEATH;
		d->status_date = today;
		return 0;
	}
	/* the member leaves the guarantee from the next month: recompute the
	 * survivors' amount for it and keep the record (a review follows
	 * within the death-review period, see dossier list --due) */
	if (d->status == ST_APPROVED) {
		struct calc_record *c = malloc(sizeof *c);
		const char *cwhy;
		uint32_t seq;
		if (c == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		dbmonth_t next = month_add(month_of(today), 1);
		int r = case_calc(st, txn, d, next, c, &cwhy, e);
		if (r >= 0 && calc_store(st, txn, d->no, c, &seq, e) == 0) {
			d->proc.calc_seq = seq;
			d->total = c->total;
			d->effective = next;
			json_object_set_new(b->detail, "total", json_integer(d->total));
			json_object_set_new(b->detail, "calc_seq", json_integer(seq));
			json_object_set_new(b->detail, "persons", json_integer(c->guaranteed));
			r = 0;
		} else {
			r = -1;
		}
		free(c);
		return r;
	}
	return 0;
}

int
member_death(struct store *st, const struct user *actor, const char *no, const char *id,
    dbdate_t date, const char *cert, const char *cause, struct err *e)
{
	struct member_baton b = {.id = id, .date = date, .cert = cert, .cause = cause};
	char ds[11];
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	date_format(date, ds);
	b.detail = json_pack("{s:s,s:s,s:s,s:s}", "id", id, "date", ds,
	    "certificate", cert ? cert : "", "cause", cause ? cause : "");
	if (b.detail == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	/* mdeath_fn sets its keys again when the transaction is retried */
	ret = dossier_update_detail(st, actor, no, mdeath_fn, &b, "member.death", b.detail, e);
	json_decref(b.detail);
	return ret;
}

/* ---- finances --------------------------------------------------------- */

struct fin_baton {
	const struct income_item *inc;
	const struct expense_item *exp;
	const struct assets *as;
	unsigned fields;
};

static int
amount_ok(fen_t a, struct err *e)
{
	if (a <= 0 || a > MONEY_MAX)
		return err_set(e, E_REFUSED, _("amount: must be more than 0"));
	return 0;
}

static int
fin_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct fin_baton *b = baton;

	if (dossier_require_open(d, e) != 0)
		return -1;
	if (b->inc) {
		if (d->n_incomes >= MAX_INCOMES)
			return err_set(e, E_REFUSED, _("income: at most %d items"), MAX_INCOMES);
		if (amount_ok(b->inc->amount, e) != 0)
			return -1;
		if (b->inc->member_id[0] && dossier_member(d, b->inc->member_id) == NULL)
			return err_set(e, E_REFUSED, _("member: %s is not a member of dossier %s"), b->inc->member_id, d->no);
		/* j12: a kind the township adds is one its setting names */
		if (b->inc->kind == INC_EX_LOCAL) {
			char name[TEXT_SHORT];
			int r = income_local_find(st, txn, b->inc->name, name, e);
			if (r < 0)
				return -1;
			if (r == 0)
				return err_set(e, E_REFUSED, _("income kind: %s is not an income the township excludes (setting income.excluded.local)"),
				    b->inc->name[0] ? b->inc->name : income_terms[INC_EX_LOCAL].zh);
		}
		d->incomes[d->n_incomes++] = *b->inc;
	}
	if (b->exp) {
		if (d->n_expenses >= MAX_EXPENSES)
			return err_set(e, E_REFUSED, _("expense: at most %d items"), MAX_EXPENSES);
		if (amount_ok(b->exp->amount, e) != 0)
			return -1;
		d->expenses[d->n_expenses++] = *b->exp;
	}
	if (b->as) {
		struct assets a = d->assets;
		if (b->fields & ASSET_F_DEPOSITS) a.deposits = b->as->deposits;
		if (b->fields & ASSET_F_VEHICLES) a.vehicles = b->as->vehicles;
		if (b->fields & ASSET_F_PROD_VEHICLES) a.production_vehicles = b->as->production_vehicles;
		if (b->fields & ASSET_F_HOUSES) a.houses = b->as->houses;
		if (b->fields & ASSET_F_BUSINESSES) a.businesses = b->as->businesses;
		if (a.deposits < 0 || a.deposits > MONEY_MAX)
			return err_set(e, E_REFUSED, _("deposits: must not be negative"));
		if (a.vehicles < 0 || a.production_vehicles < 0 || a.houses < 0 || a.businesses < 0 ||
		    a.vehicles > 99 || a.houses > 99 || a.businesses > 99)
			return err_set(e, E_REFUSED, _("assets: counts must be 0 to 99"));
		if (a.production_vehicles > a.vehicles)
			return err_set(e, E_REFUSED, _("production vehicles: cannot be more than all vehicles"));
		d->assets = a;
	}
	return 0;
}

int
income_add(struct store *st, const struct user *actor, const char *no, const struct income_item *it, struct err *e)
{
	struct fin_baton b = {.inc = it};
	char *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	detail = detail_json(json_pack("{s:s,s:I,s:s,s:o*}", "kind", income_terms[it->kind].en,
	    "amount", (json_int_t)it->amount, "member", it->member_id,
	    "name", it->kind == INC_EX_LOCAL ? json_string(it->name) : NULL));
	ret = dossier_update(st, actor, no, fin_fn, &b, "income.add", detail, e);
	free(detail);
	return ret;
}

int
expense_add(struct store *st, const struct user *actor, const char *no, const struct expense_item *it, struct err *e)
{
	struct fin_baton b = {.exp = it};
	char *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	detail = detail_json(json_pack("{s:s,s:I}", "kind", expense_terms[it->kind].en,
	    "amount", (json_int_t)it->amount));
	ret = dossier_update(st, actor, no, fin_fn, &b, "expense.add", detail, e);
	free(detail);
	return ret;
}

int
asset_set(struct store *st, const struct user *actor, const char *no, const struct assets *a, unsigned fields, struct err *e)
{
	struct fin_baton b = {.as = a, .fields = fields};
	char *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	detail = detail_json(json_pack("{s:I,s:i,s:i,s:i,s:i,s:I}", "deposits", (json_int_t)a->deposits,
	    "vehicles", a->vehicles, "production_vehicles", a->production_vehicles, "houses", a->houses,
	    "businesses", a->businesses, "fields", (json_int_t)fields));
	ret = dossier_update(st, actor, no, fin_fn, &b, "asset.set", detail, e);
	free(detail);
	return ret;
}

/* ---- bulk ------------------------------------------------------------- */

int
dossier_bulk_put(struct store *st, store_txn *txn, const struct user *actor, struct dossier *d,
    const char *action, struct err *e)
{
	if (d->no[0] == '\0' && dossier_next_no(st, txn, date_year(d->applied ? d->applied : store_today()), d->no, e) != 0)
		return -1;
	if (d->version == 0)
		d->version = 1;
	if (dossier_put(st, txn, d, true, e) != 0)
		return -1;
	return audit_appendj(st, txn, actor->login, action, d->no,
	    json_pack("{s:s,s:s,s:i}", "status", status_terms[d->status].en, "village", d->village,
	    "members", d->n_members), e);
}

/* ---- confidential reads ----------------------------------------------- */

struct reveal_baton {
	const struct user *actor;
	const char *no, *what;
};

static int
reveal_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct reveal_baton *b = baton;
	return audit_appendj(st, txn, b->actor->login, "read.confidential", b->no,
	    json_pack("{s:s}", "fields", b->what), e);
}

int
dossier_reveal(struct store *st, const struct user *actor, const char *no, const char *what, struct err *e)
{
	struct reveal_baton b = {actor, no, what};
	if (store_require(actor, ACT_READ_CONFIDENTIAL, e) != 0)
		return -1;
	return store_txn_run(st, reveal_body, &b, e);
}
