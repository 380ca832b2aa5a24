/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin.c — the registry of related staff (关联人员) and their declared close
 * relatives, and the filings (备案记录) of SPEC section 4: records, commands
 * of the store, and the rules' questions (R8, R11, the JQBA checklist item).
 *
 * Nothing here is deleted: a staff member's end and a relative's removal
 * are recorded dates.  Every change runs the matching (kin-match.c) and is
 * audited in its own transaction.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/core.h"
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

/* ---- codecs ----------------------------------------------------------- */

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

int
kin_staff_encode(const struct kin_staff *s, struct buf *b)
{
	rec_begin(b, RT_KIN_STAFF, KIN_REC_VERSION);
	rec_str(b, KS_ID, s->id);
	rec_str(b, KS_NAME, s->name);
	rec_int(b, KS_KIND, s->kind);
	rec_str(b, KS_UNIT, s->unit);
	rec_str(b, KS_POSITION, s->position);
	rec_int(b, KS_FROM, s->from);
	rec_int(b, KS_TO, s->to);
	rec_int(b, KS_ENDED, s->ended);
	rec_int(b, KS_REGISTERED, s->registered);
	rec_str(b, KS_REGISTERED_BY, s->registered_by);
	return b->oom ? -1 : 0;
}

int
kin_staff_decode(const void *p, size_t len, struct kin_staff *s)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(s, 0, sizeof *s);
	if (rec_open(&r, p, len, RT_KIN_STAFF, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KS_ID: bad |= rec_get_str(&r, s->id, sizeof s->id); break;
		case KS_NAME: bad |= rec_get_str(&r, s->name, sizeof s->name); break;
		case KS_KIND: v = rec_get_int(&r); bad |= !ENUM_IN(v, SK__N); s->kind = (enum staff_kind)v; break;
		case KS_UNIT: bad |= rec_get_str(&r, s->unit, sizeof s->unit); break;
		case KS_POSITION: bad |= rec_get_str(&r, s->position, sizeof s->position); break;
		case KS_FROM: s->from = (dbdate_t)rec_get_int(&r); break;
		case KS_TO: s->to = (dbdate_t)rec_get_int(&r); break;
		case KS_ENDED: s->ended = (dbdate_t)rec_get_int(&r); break;
		case KS_REGISTERED: s->registered = (dbdate_t)rec_get_int(&r); break;
		case KS_REGISTERED_BY: bad |= rec_get_str(&r, s->registered_by, sizeof s->registered_by); break;
		default: break; /* a newer field: ignored by this version */
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_relative_encode(const struct kin_relative *k, struct buf *b)
{
	rec_begin(b, RT_KIN_RELATIVE, KIN_REC_VERSION);
	rec_str(b, KR_STAFF, k->staff_id);
	rec_str(b, KR_ID, k->id);
	rec_str(b, KR_NAME, k->name);
	rec_int(b, KR_RELATION, k->relation);
	rec_int(b, KR_DECLARED, k->declared);
	rec_int(b, KR_REMOVED, k->removed);
	rec_str(b, KR_DECLARED_BY, k->declared_by);
	return b->oom ? -1 : 0;
}

int
kin_relative_decode(const void *p, size_t len, struct kin_relative *k)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(k, 0, sizeof *k);
	if (rec_open(&r, p, len, RT_KIN_RELATIVE, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KR_STAFF: bad |= rec_get_str(&r, k->staff_id, sizeof k->staff_id); break;
		case KR_ID: bad |= rec_get_str(&r, k->id, sizeof k->id); break;
		case KR_NAME: bad |= rec_get_str(&r, k->name, sizeof k->name); break;
		case KR_RELATION: v = rec_get_int(&r); bad |= !ENUM_IN(v, KREL__N); k->relation = (enum kin_relation)v; break;
		case KR_DECLARED: k->declared = (dbdate_t)rec_get_int(&r); break;
		case KR_REMOVED: k->removed = (dbdate_t)rec_get_int(&r); break;
		case KR_DECLARED_BY: bad |= rec_get_str(&r, k->declared_by, sizeof k->declared_by); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_match_encode(const struct kin_match *m, struct buf *b)
{
	rec_begin(b, RT_KIN_MATCH, KIN_REC_VERSION);
	rec_str(b, KM_DOSSIER, m->dossier);
	rec_str(b, KM_MEMBER, m->member_id);
	rec_str(b, KM_STAFF, m->staff_id);
	rec_int(b, KM_RELATION, m->relation);
	rec_str(b, KM_MEMBER_NAME, m->member_name);
	rec_str(b, KM_STAFF_NAME, m->staff_name);
	rec_int(b, KM_FOUND, m->found);
	rec_str(b, KM_FILING, m->filing);
	return b->oom ? -1 : 0;
}

int
kin_match_decode(const void *p, size_t len, struct kin_match *m)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(m, 0, sizeof *m);
	if (rec_open(&r, p, len, RT_KIN_MATCH, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KM_DOSSIER: bad |= rec_get_str(&r, m->dossier, sizeof m->dossier); break;
		case KM_MEMBER: bad |= rec_get_str(&r, m->member_id, sizeof m->member_id); break;
		case KM_STAFF: bad |= rec_get_str(&r, m->staff_id, sizeof m->staff_id); break;
		case KM_RELATION: v = rec_get_int(&r); bad |= !ENUM_IN(v, KREL__N + 1); m->relation = (int)v; break;
		case KM_MEMBER_NAME: bad |= rec_get_str(&r, m->member_name, sizeof m->member_name); break;
		case KM_STAFF_NAME: bad |= rec_get_str(&r, m->staff_name, sizeof m->staff_name); break;
		case KM_FOUND: m->found = (dbdate_t)rec_get_int(&r); break;
		case KM_FILING: bad |= rec_get_str(&r, m->filing, sizeof m->filing); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_filing_encode(const struct kin_filing *f, struct buf *b)
{
	struct buf in;

	rec_begin(b, RT_KIN_FILING, KIN_REC_VERSION);
	rec_str(b, KF_NO, f->no);
	rec_str(b, KF_DOSSIER, f->dossier);
	rec_str(b, KF_MEMBER, f->member_id);
	rec_str(b, KF_MEMBER_NAME, f->member_name);
	rec_str(b, KF_NOTE, f->note);
	rec_int(b, KF_STATUS, f->status);
	rec_str(b, KF_FILED_BY, f->filed_by);
	rec_int(b, KF_FILED, f->filed);
	rec_str(b, KF_REVIEWED_BY, f->reviewed_by);
	rec_int(b, KF_REVIEWED, f->reviewed);
	rec_int(b, KF_REPORTED, f->reported);
	for (int i = 0; i < f->n_staff; i++) {
		buf_init(&in);
		rec_str(&in, KFS_ID, f->staff[i].staff_id);
		rec_str(&in, KFS_NAME, f->staff[i].staff_name);
		rec_int(&in, KFS_RELATION, f->staff[i].relation);
		rec_nested(b, KF_STAFF, &in);
		if (in.oom)
			b->oom = true;
		buf_free(&in);
	}
	return b->oom ? -1 : 0;
}

int
kin_filing_decode(const void *p, size_t len, struct kin_filing *f)
{
	struct rec_reader r, s;
	int n, m, bad = 0;
	int64_t v;

	memset(f, 0, sizeof *f);
	if (rec_open(&r, p, len, RT_KIN_FILING, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KF_NO: bad |= rec_get_str(&r, f->no, sizeof f->no); break;
		case KF_DOSSIER: bad |= rec_get_str(&r, f->dossier, sizeof f->dossier); break;
		case KF_MEMBER: bad |= rec_get_str(&r, f->member_id, sizeof f->member_id); break;
		case KF_MEMBER_NAME: bad |= rec_get_str(&r, f->member_name, sizeof f->member_name); break;
		case KF_NOTE: bad |= rec_get_str(&r, f->note, sizeof f->note); break;
		case KF_STATUS: v = rec_get_int(&r); bad |= !ENUM_IN(v, FS__N); f->status = (enum filing_status)v; break;
		case KF_FILED_BY: bad |= rec_get_str(&r, f->filed_by, sizeof f->filed_by); break;
		case KF_FILED: f->filed = (dbdate_t)rec_get_int(&r); break;
		case KF_REVIEWED_BY: bad |= rec_get_str(&r, f->reviewed_by, sizeof f->reviewed_by); break;
		case KF_REVIEWED: f->reviewed = (dbdate_t)rec_get_int(&r); break;
		case KF_REPORTED: f->reported = (dbdate_t)rec_get_int(&r); break;
		case KF_STAFF: {
			struct kin_filing_staff *fs;
			if (f->n_staff >= MAX_FILING_STAFF)
				return -1;
			fs = &f->staff[f->n_staff++];
			rec_open_nested(&s, r.val, r.vlen);
			while ((m = rec_next(&s)) == 1) {
				switch (s.tag) {
				case KFS_ID: bad |= rec_get_str(&s, fs->staff_id, sizeof fs->staff_id); break;
				case KFS_NAME: bad |= rec_get_str(&s, fs->staff_name, sizeof fs->staff_name); break;
				case KFS_RELATION: v = rec_get_int(&s); bad |= !ENUM_IN(v, KREL__N + 1); fs->relation = (int)v; break;
				default: break;
				}
			}
			bad |= m < 0;
			break;
		}
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* ---- generic get/put -------------------------------------------------- */

int
kin_staff_get(struct store *st, store_txn *txn, const char *id, struct kin_staff *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_KIN_STAFF, id, strlen(id), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("staff: %s is not in the kin registry"), id);
	r = kin_staff_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the registry record of %s is damaged"), id);
	return 0;
}

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

/* Walk relatives: all, or those of one staff member (a key prefix). */
int
kin_relative_walk(struct store *st, store_txn *txn, const char *staff_id, kin_relative_fn fn,
    void *baton, struct err *e)
{
	DB *db = st->db[DBI_KIN_RELATIVES];
	DBC *c;
	DBT k, v;
	int ret, stop = 0;
	u_int32_t flag = DB_NEXT;

	if ((ret = db->cursor(db, txn, &c, txn ? DB_READ_COMMITTED : 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVES].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (staff_id != NULL) {
		dbt_init(&k, staff_id, strlen(staff_id));
		flag = DB_SET_RANGE;
	}
	while (!stop && (ret = c->get(c, &k, &v, flag)) == 0) {
		struct kin_relative r;
		flag = DB_NEXT;
		if (staff_id != NULL && (k.size < ID_LEN || memcmp(k.data, staff_id, ID_LEN) != 0))
			break;
		if (kin_relative_decode(v.data, v.size, &r) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a record of the kin registry is damaged"));
		}
		stop = fn(&r, baton);
		if (stop < 0) {
			c->close(c);
			return -1;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVES].file, e);
	return 0;
}

int
kin_relative_list(struct store *st, const char *staff_id, kin_relative_fn fn, void *baton, struct err *e)
{
	if (staff_id != NULL && strlen(staff_id) != ID_LEN)
		return err_set(e, E_REFUSED, _("ID number: must have 18 characters"));
	return kin_relative_walk(st, NULL, staff_id, fn, baton, e);
}

/* ---- filings ---------------------------------------------------------- */

int
kin_filing_get(struct store *st, store_txn *txn, const char *no, struct kin_filing *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_KIN_FILINGS, no, strlen(no), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("filing: no filing %s"), no);
	r = kin_filing_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the record of filing %s is damaged"), no);
	return 0;
}

static int
filing_put(struct store *st, store_txn *txn, const struct kin_filing *f, bool create, struct err *e)
{
	struct buf b;
	int ret;

	buf_init(&b);
	if (kin_filing_encode(f, &b) != 0) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	ret = record_put(st, txn, DBI_KIN_FILINGS, f->no, strlen(f->no), &b, create, e);
	buf_free(&b);
	return ret;
}

struct file_baton {
	const struct user *actor;
	const char *dossier, *member_id, *note, *no;
	char *out;
};

static int
file_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct file_baton *b = baton;
	struct dossier *d = malloc(sizeof *d);
	struct kin_match *ms = NULL;
	struct kin_filing *f = calloc(1, sizeof *f);
	int n = 0, ret = -1;
	uint32_t seq;
	char key[32];
	dbdate_t today = store_today();

	if (d == NULL || f == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	if (dossier_get(st, txn, b->dossier, d, e) != 0)
		goto out;
	const struct member *m = dossier_member_c(d, b->member_id);
	if (m == NULL) {
		err_set(e, E_NOTFOUND, _("member: %s is not a member of dossier %s"), b->member_id, d->no);
		goto out;
	}
	if (kin_matches_of(st, txn, d->no, m->id, &ms, &n, e) != 0)
		goto out;
	if (n == 0) {
		err_set(e, E_REFUSED, _("member: %s (%s) of dossier %s has no kin match to file"), m->name, m->id, d->no);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (ms[i].filing[0] != '\0')
			continue;
		if (f->n_staff >= MAX_FILING_STAFF) {
			err_set(e, E_REFUSED, _("filing: at most %d staff members in one filing"), MAX_FILING_STAFF);
			goto out;
		}
		struct kin_filing_staff *fs = &f->staff[f->n_staff++];
		memcpy(fs->staff_id, ms[i].staff_id, sizeof fs->staff_id);
		memcpy(fs->staff_name, ms[i].staff_name, sizeof fs->staff_name);
		fs->relation = ms[i].relation;
	}
	if (f->n_staff == 0) {
		err_set(e, E_REFUSED, _("member: every kin match of %s (%s) already has a filing (%s)"),
		    m->name, m->id, ms[0].filing);
		goto out;
	}
	snprintf(key, sizeof key, "seq.kin.%04d", date_year(today));
	if (meta_next(st, txn, key, &seq, e) != 0)
		goto out;
	if (snprintf(f->no, sizeof f->no, "BA-%04d-%04u", date_year(today), (unsigned)seq) >= (int)sizeof f->no) {
		err_set(e, E_STORAGE, _("filing numbers of the year are used up"));
		goto out;
	}
	memcpy(f->dossier, d->no, sizeof f->dossier);
	memcpy(f->member_id, m->id, sizeof f->member_id);
	memcpy(f->member_name, m->name, sizeof f->member_name);
	if (b->note && tset(f->note, sizeof f->note, b->note) != 0) {
		err_set(e, E_REFUSED, _("note: too long (at most %zu bytes)"), sizeof f->note - 1);
		goto out;
	}
	f->status = FS_PENDING;
	if (tset(f->filed_by, sizeof f->filed_by, b->actor->login) != 0) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	f->filed = today;
	if (filing_put(st, txn, f, true, e) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (ms[i].filing[0] != '\0')
			continue;
		memcpy(ms[i].filing, f->no, sizeof ms[i].filing);
		if (kin_match_put(st, txn, &ms[i], false, e) != 0)
			goto out;
	}
	json_t *staff = json_array();
	for (int i = 0; i < f->n_staff; i++)
		json_array_append_new(staff, json_pack("{s:s,s:s}", "staff", f->staff[i].staff_id,
		    "relation", kin_relation_term(f->staff[i].relation)->en));
	if (audit_appendj(st, txn, b->actor->login, "kin.file", d->no,
	    json_pack("{s:s,s:s,s:s,s:o}", "number", f->no, "member", f->member_id, "note", f->note,
	    "staff", staff), e) != 0)
		goto out;
	memcpy(b->out, f->no, sizeof f->no);
	ret = 0;
out:
	free(ms);
	free(f);
	free(d);
	return ret;
}

int
kin_file(struct store *st, const struct user *actor, const char *dossier, const char *member_id,
    const char *note, char no[FILING_NO_LEN + 1], struct err *e)
{
	struct file_baton b = {.actor = actor, .dossier = dossier, .member_id = member_id, .note = note, .out = no};

	no[0] = '\0';
	if (store_require(actor, ACT_KIN_FILE, e) != 0)
		return -1;
	if (note && strlen(note) >= TEXT_MEDIUM)
		return err_set(e, E_REFUSED, _("note: too long (at most %d bytes)"), TEXT_MEDIUM - 1);
	return store_txn_run(st, file_body, &b, e);
}

static int
confirm_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct file_baton *b = baton;
	struct kin_filing f;
	char ds[11];
	int bad = 0;

	if (kin_filing_get(st, txn, b->no, &f, e) != 0)
		return -1;
	if (f.status != FS_PENDING)
		return err_set(e, E_REFUSED, _("filing: %s is already %s"), f.no, filing_status_terms[f.status].zh);
	/* separation of duties: every reason is listed */
	if (strcmp(f.filed_by, b->actor->login) == 0)
		bad = err_add(e, E_REFUSED, _("filing: %s was recorded by %s, who may not confirm it; another reviewer or approver must"),
		    f.no, f.filed_by);
	if (!role_may(b->actor->role, ACT_KIN_CONFIRM) || b->actor->disabled)
		bad = err_add(e, E_REFUSED, _("not allowed: the role %s may not %s"),
		    role_terms[b->actor->role].zh, _(action_names[ACT_KIN_CONFIRM]));
	if (bad)
		return -1;
	f.status = FS_FILED;
	if (tset(f.reviewed_by, sizeof f.reviewed_by, b->actor->login) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	f.reviewed = store_today();
	date_format(f.reviewed, ds);
	if (filing_put(st, txn, &f, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "kin.confirm", f.dossier,
	    json_pack("{s:s,s:s,s:s}", "number", f.no, "member", f.member_id, "reviewed", ds), e);
}

int
kin_confirm(struct store *st, const struct user *actor, const char *no, struct err *e)
{
	struct file_baton b = {.actor = actor, .no = no};

	if (actor == NULL)
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	return store_txn_run(st, confirm_body, &b, e);
}

int
kin_mark_reported(struct store *st, store_txn *txn, const char *filing_no, struct err *e)
{
	struct kin_filing f;
	char ds[11];

	if (kin_filing_get(st, txn, filing_no, &f, e) != 0)
		return -1;
	if (f.status != FS_FILED)
		return err_set(e, E_REFUSED, _("filing: %s is %s; only a filed (已备案) filing is reported to the county"),
		    f.no, filing_status_terms[f.status].zh);
	f.status = FS_REPORTED;
	f.reported = store_today();
	date_format(f.reported, ds);
	if (filing_put(st, txn, &f, false, e) != 0)
		return -1;
	/* the archive runs on behalf of whoever exports it; the export itself
	 * is audited with its user, this entry names the filing */
	return audit_appendj(st, txn, "archive", "kin.reported", f.dossier,
	    json_pack("{s:s,s:s}", "number", f.no, "reported", ds), e);
}

struct filing_walk {
	struct kin_filing f;
	kin_filing_fn fn;
	void *baton;
};

static int
filing_one(const void *p, size_t len, void *baton)
{
	struct filing_walk *w = baton;
	if (kin_filing_decode(p, len, &w->f) != 0)
		return -1;
	return w->fn(&w->f, w->baton) ? 1 : 0;
}

int
kin_filing_list(struct store *st, kin_filing_fn fn, void *baton, struct err *e)
{
	struct filing_walk *w = malloc(sizeof *w);
	int ret;

	if (w == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	w->fn = fn;
	w->baton = baton;
	ret = store_walk(st, DBI_KIN_FILINGS, filing_one, w, _("a filing record is damaged"), e);
	free(w);
	return ret;
}
