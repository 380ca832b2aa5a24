/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin.c — the registry of related staff (关联人员) and their declared close
 * relatives of SPEC section 4: the commands of the store.  The records and
 * their codecs are in kin-record.c, the filings in kin-filing.c.
 *
 * Nothing here is deleted: a staff member's end and a relative's removal
 * are recorded dates.  Every change runs the matching (kin-match.c) and is
 * audited in its own transaction.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/user.h"
#include "store/kin-int.h"

/* ---- generic get/put -------------------------------------------------- */

static int
staff_put(struct store *st, store_txn *txn, const struct kin_staff *s, bool create, struct err *e)
{
	struct buf b;
	int ret;

	buf_init(&b);
	kin_staff_encode(s, &b);
	ret = record_put(st, txn, DBI_KIN_STAFF, s->id, strlen(s->id), &b, create, e);
	buf_free(&b);
	return ret;
}

static void
rel_key(char key[KIN_REL_KEY_LEN], const char *staff_id, const char *id)
{
	memcpy(key, staff_id, ID_LEN);
	memcpy(key + ID_LEN, id, ID_LEN);
}

static int
relative_put(struct store *st, store_txn *txn, const struct kin_relative *k, struct err *e)
{
	char key[KIN_REL_KEY_LEN];
	struct buf b;
	int ret;

	rel_key(key, k->staff_id, k->id);
	buf_init(&b);
	kin_relative_encode(k, &b);
	ret = record_put(st, txn, DBI_KIN_RELATIVES, key, sizeof key, &b, false, e);
	buf_free(&b);
	return ret;
}

/* 1 found, 0 none, -1 error */
static int
relative_get(struct store *st, store_txn *txn, const char *staff_id, const char *id,
    struct kin_relative *out, struct err *e)
{
	char key[KIN_REL_KEY_LEN];
	DBT v;
	int r;

	rel_key(key, staff_id, id);
	if ((r = record_get(st, txn, DBI_KIN_RELATIVES, key, sizeof key, &v, true, e)) != 0)
		return r < 0 ? -1 : 0;
	r = kin_relative_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the registry record of %s is damaged"), id);
	return 1;
}

/* ---- validation ------------------------------------------------------- */

/* Normalise an ID number in place; the field name goes into the reason. */
static int
check_id(char id[ID_LEN + 1], const char *field, struct err *e)
{
	struct id_info info;
	const char *why;

	if (id_check(id, store_today(), &info, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s (%s)", field, _(why), id);
	memcpy(id, info.id, ID_LEN + 1);
	return 0;
}

static int
validate_staff(struct kin_staff *s, struct err *e)
{
	int bad = 0;

	if (s->name[0] == '\0')
		bad = err_add(e, E_REFUSED, _("name: must be given"));
	if (s->unit[0] == '\0')
		bad = err_add(e, E_REFUSED, _("unit: the unit or village must be given"));
	if ((int)s->kind < 0 || s->kind >= SK__N)
		bad = err_add(e, E_REFUSED, _("kind: not a staff kind"));
	if (s->from && s->to && s->to < s->from)
		bad = err_add(e, E_REFUSED, _("term: the end of the term is before its start"));
	return bad;
}

/* ---- staff ------------------------------------------------------------ */

struct staff_baton {
	const struct user *actor;
	struct kin_staff *s;
	const char *id;
	unsigned fields;
	dbdate_t date;
};

static json_t *
staff_json(const struct kin_staff *s)
{
	char f[11], t[11];
	date_format(s->from, f);
	date_format(s->to, t);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", s->name, "kind", staff_kind_terms[s->kind].en,
	    "unit", s->unit, "position", s->position, "from", f, "to", t);
}

static int
staff_add_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct staff_baton *b = baton;
	struct kin_staff old;
	int found = 0;

	if (kin_staff_get(st, txn, b->s->id, &old, e) == 0)
		return err_set(e, E_REFUSED, _("ID number: %s is already in the kin registry (%s)"), b->s->id, old.name);
	if (e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	b->s->registered = store_today();
	b->s->ended = 0;
	if (tset(b->s->registered_by, sizeof b->s->registered_by, b->actor->login) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (staff_put(st, txn, b->s, true, e) != 0 ||
	    audit_appendj(st, txn, b->actor->login, "kin.staff.add", b->s->id, staff_json(b->s), e) != 0)
		return -1;
	return kin_match_id(st, txn, b->s->id, b->s->id, b->s->name, KREL_SELF, b->actor->login, &found, e);
}

int
kin_staff_add(struct store *st, const struct user *actor, struct kin_staff *s, struct err *e)
{
	struct staff_baton b = {.actor = actor, .s = s};

	if (store_require(actor, ACT_KIN_REGISTRY, e) != 0 || check_id(s->id, _("ID number"), e) != 0 ||
	    validate_staff(s, e) != 0)
		return -1;
	return store_txn_run(st, staff_add_body, &b, e);
}

static int
staff_edit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct staff_baton *b = baton;
	struct kin_staff s;
	int found = 0;

	if (kin_staff_get(st, txn, b->id, &s, e) != 0)
		return -1;
	if (b->fields & KIN_F_NAME) memcpy(s.name, b->s->name, sizeof s.name);
	if (b->fields & KIN_F_KIND) s.kind = b->s->kind;
	if (b->fields & KIN_F_UNIT) memcpy(s.unit, b->s->unit, sizeof s.unit);
	if (b->fields & KIN_F_POSITION) memcpy(s.position, b->s->position, sizeof s.position);
	if (b->fields & KIN_F_FROM) s.from = b->s->from;
	if (b->fields & KIN_F_TO) s.to = b->s->to;
	if (validate_staff(&s, e) != 0)
		return -1;
	json_t *j = staff_json(&s);
	json_object_set_new(j, "fields", json_integer(b->fields));
	if (staff_put(st, txn, &s, false, e) != 0 ||
	    audit_appendj(st, txn, b->actor->login, "kin.staff.edit", s.id, j, e) != 0)
		return -1;
	if (s.ended)
		return 0;
	return kin_match_id(st, txn, s.id, s.id, s.name, KREL_SELF, b->actor->login, &found, e);
}

int
kin_staff_edit(struct store *st, const struct user *actor, const char *id,
    const struct kin_staff *s, unsigned fields, struct err *e)
{
	struct kin_staff copy = *s;
	struct staff_baton b = {.actor = actor, .s = &copy, .id = id, .fields = fields};

	if (store_require(actor, ACT_KIN_REGISTRY, e) != 0)
		return -1;
	if (fields == 0)
		return err_set(e, E_USAGE, _("nothing to change"));
	return store_txn_run(st, staff_edit_body, &b, e);
}

static int
staff_end_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct staff_baton *b = baton;
	struct kin_staff s;
	char ds[11];

	if (kin_staff_get(st, txn, b->id, &s, e) != 0)
		return -1;
	if (s.ended) {
		date_format(s.ended, ds);
		return err_set(e, E_REFUSED, _("staff: %s (%s) already left on %s"), s.name, s.id, ds);
	}
	if (s.from && b->date < s.from)
		return err_set(e, E_REFUSED, _("date: the end is before the start of the term"));
	s.ended = b->date;
	date_format(s.ended, ds);
	if (staff_put(st, txn, &s, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "kin.staff.end", s.id, json_pack("{s:s}", "ended", ds), e);
}

int
kin_staff_end(struct store *st, const struct user *actor, const char *id, dbdate_t date, struct err *e)
{
	struct staff_baton b = {.actor = actor, .id = id, .date = date ? date : store_today()};

	if (store_require(actor, ACT_KIN_REGISTRY, e) != 0)
		return -1;
	if (b.date > store_today())
		return err_set(e, E_REFUSED, _("date: must not be in the future"));
	return store_txn_run(st, staff_end_body, &b, e);
}

int
kin_staff_list(struct store *st, kin_staff_fn fn, void *baton, struct err *e)
{
	DB *db = st->db[DBI_KIN_STAFF];
	DBC *c;
	DBT k, v;
	int ret, stop = 0;

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_STAFF].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (!stop && (ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		struct kin_staff s;
		if (kin_staff_decode(v.data, v.size, &s) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a record of the kin registry is damaged"));
		}
		stop = fn(&s, baton);
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_KIN_STAFF].file, e);
	return 0;
}

/* ---- relatives -------------------------------------------------------- */

struct rel_baton {
	const struct user *actor;
	struct kin_relative *k;
	const char *staff_id, *id;
	dbdate_t date;
};

static int
relative_add_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rel_baton *b = baton;
	struct kin_relative old;
	struct kin_staff s;
	char ds[11];
	int r, found = 0;

	if (kin_staff_get(st, txn, b->k->staff_id, &s, e) != 0)
		return -1;
	if ((r = relative_get(st, txn, b->k->staff_id, b->k->id, &old, e)) < 0)
		return -1;
	if (r > 0 && old.removed == 0)
		return err_set(e, E_REFUSED, _("ID number: %s is already declared as a relative of %s (%s)"),
		    b->k->id, s.name, kin_relation_terms[old.relation].zh);
	b->k->declared = b->k->declared ? b->k->declared : store_today();
	b->k->removed = 0;
	if (tset(b->k->declared_by, sizeof b->k->declared_by, b->actor->login) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	date_format(b->k->declared, ds);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "staff", s.id, "name", b->k->name,
	    "relation", kin_relation_terms[b->k->relation].en, "declared", ds);
	if (r > 0) {
		/* declared again after a removal: the earlier removal stays in the
		 * audit chain, the record shows the declaration now in force */
		char rs[11];
		date_format(old.removed, rs);
		json_object_set_new(j, "removed_before", json_string(rs));
	}
	if (relative_put(st, txn, b->k, e) != 0 ||
	    audit_appendj(st, txn, b->actor->login, "kin.relative.add", b->k->id, j, e) != 0)
		return -1;
	if (s.ended)
		return 0;
	return kin_match_id(st, txn, b->k->id, s.id, s.name, (int)b->k->relation, b->actor->login, &found, e);
}

int
kin_relative_add(struct store *st, const struct user *actor, struct kin_relative *k, struct err *e)
{
	struct rel_baton b = {.actor = actor, .k = k};

	if (store_require(actor, ACT_KIN_REGISTRY, e) != 0 ||
	    check_id(k->staff_id, _("staff"), e) != 0 || check_id(k->id, _("ID number"), e) != 0)
		return -1;
	if (k->name[0] == '\0')
		return err_set(e, E_REFUSED, _("name: must be given"));
	if ((int)k->relation < 0 || k->relation >= KREL__N)
		return err_set(e, E_REFUSED, _("relation: not a declarable relation"));
	if (strcmp(k->staff_id, k->id) == 0)
		return err_set(e, E_REFUSED, _("ID number: a staff member is not their own relative"));
	if (k->declared > store_today())
		return err_set(e, E_REFUSED, _("date: must not be in the future"));
	return store_txn_run(st, relative_add_body, &b, e);
}

static int
relative_remove_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rel_baton *b = baton;
	struct kin_relative k;
	char ds[11];
	int r;

	if ((r = relative_get(st, txn, b->staff_id, b->id, &k, e)) < 0)
		return -1;
	if (r == 0)
		return err_set(e, E_NOTFOUND, _("relative: %s is not a declared relative of %s"), b->id, b->staff_id);
	if (k.removed) {
		date_format(k.removed, ds);
		return err_set(e, E_REFUSED, _("relative: %s (%s) was already removed on %s"), k.name, k.id, ds);
	}
	if (b->date < k.declared)
		return err_set(e, E_REFUSED, _("date: the removal is before the declaration"));
	k.removed = b->date;
	date_format(k.removed, ds);
	if (relative_put(st, txn, &k, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "kin.relative.remove", k.id,
	    json_pack("{s:s,s:s}", "staff", k.staff_id, "removed", ds), e);
}

int
kin_relative_remove(struct store *st, const struct user *actor, const char *staff_id,
    const char *relative_id, dbdate_t date, struct err *e)
{
	struct rel_baton b = {.actor = actor, .staff_id = staff_id, .id = relative_id,
	    .date = date ? date : store_today()};

	if (store_require(actor, ACT_KIN_REGISTRY, e) != 0)
		return -1;
	if (strlen(staff_id) != ID_LEN || strlen(relative_id) != ID_LEN)
		return err_set(e, E_REFUSED, _("ID number: must have 18 characters"));
	if (b.date > store_today())
		return err_set(e, E_REFUSED, _("date: must not be in the future"));
	return store_txn_run(st, relative_remove_body, &b, e);
}

int
kin_relative_list(struct store *st, const char *staff_id, kin_relative_fn fn, void *baton, struct err *e)
{
	if (staff_id != NULL && strlen(staff_id) != ID_LEN)
		return err_set(e, E_REFUSED, _("ID number: must have 18 characters"));
	return kin_relative_walk(st, NULL, staff_id, fn, baton, e);
}
