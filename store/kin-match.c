/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin-match.c — kin matches: a member of an active dossier whose ID number
 * is a serving staff member's own or a declared (not removed) relative's.
 *
 * Matching always goes through an index, never a scan of the dossiers:
 * a dossier write looks each member up in the registry (the staff primary
 * and the relative-ID index); a registry change looks its ID number up in
 * the dossier ID index.  The full re-scan walks the registry (thousands of
 * records), not the dossiers (a hundred thousand).  Index cursors inside a
 * write transaction read with DB_READ_COMMITTED, so a re-scan does not
 * hold a read lock on every index page it has passed.
 */
#include "config.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/kin-int.h"

#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/user.h"

static void
match_key(char key[KIN_MATCH_KEY_LEN], const char *dossier, const char *member_id, const char *staff_id)
{
	/* dossier numbers and ID numbers have fixed widths (checked on entry) */
	memset(key, ' ', KIN_MATCH_KEY_LEN);
	memcpy(key, dossier, strnlen(dossier, DOSSIER_NO_LEN));
	memcpy(key + DOSSIER_NO_LEN, member_id, strnlen(member_id, ID_LEN));
	memcpy(key + DOSSIER_NO_LEN + ID_LEN, staff_id, strnlen(staff_id, ID_LEN));
}

int
kin_match_put(struct store *st, store_txn *txn, const struct kin_match *m, bool create, struct err *e)
{
	char key[KIN_MATCH_KEY_LEN];
	struct buf b;
	int ret;

	match_key(key, m->dossier, m->member_id, m->staff_id);
	buf_init(&b);
	kin_match_encode(m, &b);
	ret = record_put(st, txn, DBI_KIN_MATCHES, key, sizeof key, &b, create, e);
	buf_free(&b);
	return ret;
}

/* Record one match unless it exists; audited. */
static int
record_match(struct store *st, store_txn *txn, const char *dossier, const struct member *m,
    const char *staff_id, const char *staff_name, int relation, const char *login, int *found,
    struct err *e)
{
	char key[KIN_MATCH_KEY_LEN], ds[11];
	struct kin_match km;
	DBT v;
	int r;

	match_key(key, dossier, m->id, staff_id);
	if ((r = record_get(st, txn, DBI_KIN_MATCHES, key, sizeof key, &v, true, e)) < 0)
		return -1;
	if (r == 0) {
		free(v.data);
		return 0;
	}
	memset(&km, 0, sizeof km);
	memcpy(km.dossier, dossier, strnlen(dossier, DOSSIER_NO_LEN));
	memcpy(km.member_id, m->id, sizeof km.member_id);
	memcpy(km.staff_id, staff_id, strnlen(staff_id, ID_LEN));
	km.relation = relation;
	memcpy(km.member_name, m->name, sizeof km.member_name);
	if (tset(km.staff_name, sizeof km.staff_name, staff_name) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	km.found = store_today();
	date_format(km.found, ds);
	if (kin_match_put(st, txn, &km, true, e) != 0)
		return -1;
	(*found)++;
	return audit_appendj(st, txn, login, "kin.match", km.dossier,
	    json_pack("{s:s,s:s,s:s,s:s}", "member", km.member_id, "staff", km.staff_id,
	    "relation", kin_relation_term(relation)->en, "found", ds), e);
}

int
kin_dossier_peek(struct store *st, store_txn *txn, const char *no, struct dossier *d, struct err *e)
{
	DBT k, v;
	int ret;

	dbt_init(&k, no, strlen(no));
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_MALLOC;
	ret = st->db[DBI_DOSSIERS]->get(st->db[DBI_DOSSIERS], txn, &k, &v, txn ? DB_READ_COMMITTED : 0);
	if (ret == DB_NOTFOUND)
		return err_set(e, E_NOTFOUND, _("dossier: no dossier %s"), no);
	if (ret != 0)
		return store_dberr(st, ret, no, e);
	ret = dossier_decode(v.data, v.size, d);
	free(v.data);
	if (ret != 0)
		return err_set(e, E_STORAGE, _("the record of dossier %s is damaged"), no);
	return 0;
}

/* A list read through a cursor ran out of memory: the cursor closed, the
 * list freed; -1 with e. */
static int
out_of_room(DBC *c, void **list, struct err *e)
{
	c->close(c);
	free(*list);
	*list = NULL;
	return err_set(e, E_STORAGE, _("out of memory"));
}

/* The dossiers (numbers) holding an ID number, through the index. */
static int
dossiers_with_id(struct store *st, store_txn *txn, const char *id, char (**out)[DOSSIER_NO_LEN + 1],
    int *n, struct err *e)
{
	DB *idx = st->db[DBI_DOSSIER_IDNO];
	DBC *c;
	DBT k, pk, v;
	int ret;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if ((ret = idx->cursor(idx, txn, &c, txn ? DB_READ_COMMITTED : 0)) != 0)
		return store_dberr(st, ret, _("looking up the ID number"), e);
	dbt_init(&k, id, strlen(id));
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	/* the primary keys only: the records are read afterwards */
	v.flags = DB_DBT_PARTIAL;
	for (ret = c->pget(c, &k, &pk, &v, DB_SET); ret == 0; ret = c->pget(c, &k, &pk, &v, DB_NEXT_DUP)) {
		if (pk.size == 0 || pk.size > DOSSIER_NO_LEN)
			continue;
		void *p = array_grow(*out, &cap, (size_t)*n + 1, sizeof **out);
		if (p == NULL)
			return out_of_room(c, (void **)out, e);
		*out = p;
		memcpy((*out)[*n], pk.data, pk.size);
		(*out)[*n][pk.size] = '\0';
		(*n)++;
	}
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND) {
		free(*out);
		*out = NULL;
		return store_dberr(st, ret, _("looking up the ID number"), e);
	}
	return 0;
}

int
kin_match_id(struct store *st, store_txn *txn, const char *id, const char *staff_id,
    const char *staff_name, int relation, const char *login, int *found, struct err *e)
{
	char (*nos)[DOSSIER_NO_LEN + 1];
	struct dossier *d;
	int n, ret = 0;

	if (dossiers_with_id(st, txn, id, &nos, &n, e) != 0)
		return -1;
	if (n == 0)
		return 0;
	if ((d = malloc(sizeof *d)) == NULL) {
		free(nos);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	for (int i = 0; i < n && ret == 0; i++) {
		/* read without keeping a lock: the dossier is not changed here */
		if (kin_dossier_peek(st, txn, nos[i], d, e) != 0) {
			ret = -1;
			break;
		}
		if (!status_active(d->status))
			continue;
		const struct member *m = dossier_member_c(d, id);
		if (m != NULL)
			ret = record_match(st, txn, d->no, m, staff_id, staff_name, relation, login, found, e);
	}
	free(d);
	free(nos);
	return ret;
}

/* The not-removed declarations of an ID number (relative-ID index). */
static int
relatives_with_id(struct store *st, store_txn *txn, const char *id, struct kin_relative **out, int *n,
    struct err *e)
{
	DB *idx = st->db[DBI_KIN_RELATIVE_IDNO];
	DBC *c;
	DBT k, pk, v;
	int ret;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if ((ret = idx->cursor(idx, txn, &c, txn ? DB_READ_COMMITTED : 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVE_IDNO].file, e);
	dbt_init(&k, id, strlen(id));
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	for (ret = c->pget(c, &k, &pk, &v, DB_SET); ret == 0; ret = c->pget(c, &k, &pk, &v, DB_NEXT_DUP)) {
		struct kin_relative r;
		if (kin_relative_decode(v.data, v.size, &r) != 0) {
			c->close(c);
			free(*out);
			*out = NULL;
			return err_set(e, E_STORAGE, _("a record of the kin registry is damaged"));
		}
		if (r.removed)
			continue;
		void *p = array_grow(*out, &cap, (size_t)*n + 1, sizeof **out);
		if (p == NULL)
			return out_of_room(c, (void **)out, e);
		*out = p;
		(*out)[(*n)++] = r;
	}
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND) {
		free(*out);
		*out = NULL;
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVE_IDNO].file, e);
	}
	return 0;
}

/* A serving staff member: 1 (s filled), 0 none or ended, -1 error. */
static int
serving_staff(struct store *st, store_txn *txn, const char *id, struct kin_staff *s, struct err *e)
{
	DBT v;
	int r;

	/* no write lock: the registry record is only read */
	if ((r = record_get(st, txn, DBI_KIN_STAFF, id, strlen(id), &v, false, e)) != 0)
		return r < 0 ? -1 : 0;
	r = kin_staff_decode(v.data, v.size, s);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the registry record of %s is damaged"), id);
	return s->ended ? 0 : 1;
}

int
kin_match_dossier(struct store *st, store_txn *txn, const struct dossier *d,
    const char *actor_login, struct err *e)
{
	struct kin_staff s;
	struct kin_relative *rs;
	int n, r, found = 0;

	if (!status_active(d->status))
		return 0;
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		if (m->id[0] == '\0')
			continue;
		if ((r = serving_staff(st, txn, m->id, &s, e)) < 0)
			return -1;
		if (r > 0 && record_match(st, txn, d->no, m, s.id, s.name, KREL_SELF, actor_login, &found, e) != 0)
			return -1;
		if (relatives_with_id(st, txn, m->id, &rs, &n, e) != 0)
			return -1;
		for (int k = 0; k < n; k++) {
			/* the relatives of a staff member who has left are no
			 * longer relatives of staff */
			if ((r = serving_staff(st, txn, rs[k].staff_id, &s, e)) < 0 ||
			    (r > 0 && record_match(st, txn, d->no, m, s.id, s.name, (int)rs[k].relation,
			    actor_login, &found, e) != 0)) {
				free(rs);
				return -1;
			}
		}
		free(rs);
	}
	return 0;
}

/* ---- the full re-scan ------------------------------------------------- */

/* Tell the progress every so many registry records: a redraw for each
 * would cost more than the lookups. */
#define PROGRESS_EVERY 1024

struct rescan {
	struct store *st;
	store_txn *txn;
	const char *login;
	int found;
	struct err *e;
	const struct progress *pg;   /* NULL: none */
	int done, total;             /* staff and relatives read, of all */
	/* relatives come in staff order: the last staff member read */
	struct kin_staff s;
	int s_serving;
};

/* The records of a registry database, counted by key without reading
 * them (a partial read of length 0); thousands, not a hundred thousand. */
static int
count_records(struct store *st, store_txn *txn, int dbi, int *n, struct err *e)
{
	DB *db = st->db[dbi];
	DBC *c;
	DBT k, v;
	int ret;

	*n = 0;
	if ((ret = db->cursor(db, txn, &c, DB_READ_COMMITTED)) != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_PARTIAL;
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0)
		if (*n < INT_MAX)
			(*n)++;
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}

/* One more record read: -1 (e set) when the clerk cancels, which aborts
 * the transaction, so nothing found so far is recorded. */
static int
rescan_step(struct rescan *rs)
{
	const struct progress *pg = rs->pg;
	int done = rs->done++;

	if (pg == NULL || pg->fn == NULL || done % PROGRESS_EVERY != 0)
		return 0;
	/* records added since they were counted are read too */
	if (!pg->fn(done, rs->total > done ? rs->total : done, pg->baton))
		return 0;
	/* never retried as a deadlock would be */
	rs->st->last_ret = 0;
	return err_set(rs->e, E_REFUSED, "%s", _("re-scan cancelled: no match was recorded"));
}

static int
rescan_relative(const struct kin_relative *r, void *baton)
{
	struct rescan *rs = baton;

	if (rescan_step(rs) != 0)
		return -1;
	if (r->removed)
		return 0;
	if (strcmp(rs->s.id, r->staff_id) != 0) {
		memset(&rs->s, 0, sizeof rs->s);
		if ((rs->s_serving = serving_staff(rs->st, rs->txn, r->staff_id, &rs->s, rs->e)) < 0)
			return -1;
		memcpy(rs->s.id, r->staff_id, sizeof rs->s.id);
	}
	if (!rs->s_serving)
		return 0;
	return kin_match_id(rs->st, rs->txn, r->id, rs->s.id, rs->s.name, (int)r->relation, rs->login,
	    &rs->found, rs->e) != 0 ? -1 : 0;
}

static int
rescan_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rescan *rs = baton;
	DB *db = st->db[DBI_KIN_STAFF];
	DBC *c;
	DBT k, v;
	int ret;

	/* a body retried after a deadlock starts again: its progress too */
	rs->st = st;
	rs->txn = txn;
	rs->e = e;
	rs->found = 0;
	rs->done = rs->total = 0;
	memset(&rs->s, 0, sizeof rs->s);
	if (rs->pg != NULL) {
		int ns, nr;
		if (count_records(st, txn, DBI_KIN_STAFF, &ns, e) != 0 ||
		    count_records(st, txn, DBI_KIN_RELATIVES, &nr, e) != 0)
			return -1;
		rs->total = ns > INT_MAX - nr ? INT_MAX : ns + nr;
	}
	if ((ret = db->cursor(db, txn, &c, DB_READ_COMMITTED)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_STAFF].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		struct kin_staff s;
		if (rescan_step(rs) != 0) {
			c->close(c);
			return -1;
		}
		if (kin_staff_decode(v.data, v.size, &s) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a record of the kin registry is damaged"));
		}
		if (s.ended)
			continue;
		if (kin_match_id(st, txn, s.id, s.id, s.name, KREL_SELF, rs->login, &rs->found, e) != 0) {
			c->close(c);
			return -1;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_KIN_STAFF].file, e);
	return kin_relative_walk(st, txn, NULL, rescan_relative, rs, e);
}

int
kin_rescan(struct store *st, const struct user *actor, int *found, const struct progress *pg,
    struct err *e)
{
	struct rescan rs = {.login = actor->login, .pg = pg};
	int ret;

	if (store_require(actor, ACT_READ, e) != 0)
		return -1;
	ret = store_txn_run(st, rescan_body, &rs, e);
	if (found)
		*found = ret == 0 ? rs.found : 0;
	return ret;
}

/* ---- reading matches -------------------------------------------------- */

/* Walk the matches under a key prefix (none: all). fn returns nonzero to
 * stop, -1 on error. */
typedef int (*match_walk_fn)(const struct kin_match *m, void *baton);

static int
match_walk(struct store *st, store_txn *txn, const char *prefix, size_t plen, match_walk_fn fn,
    void *baton, struct err *e)
{
	DB *db = st->db[DBI_KIN_MATCHES];
	DBC *c;
	DBT k, v;
	int ret, stop = 0;
	u_int32_t flag = DB_NEXT;

	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_MATCHES].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (plen > 0) {
		dbt_init(&k, prefix, plen);
		flag = DB_SET_RANGE;
	}
	while (!stop && (ret = c->get(c, &k, &v, flag)) == 0) {
		struct kin_match m;
		flag = DB_NEXT;
		if (plen > 0 && (k.size < plen || memcmp(k.data, prefix, plen) != 0))
			break;
		if (kin_match_decode(v.data, v.size, &m) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a kin match record is damaged"));
		}
		if ((stop = fn(&m, baton)) < 0) {
			c->close(c);
			return -1;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_KIN_MATCHES].file, e);
	return 0;
}

static int
dossier_prefix(const char *dossier, char key[KIN_MATCH_KEY_LEN], struct err *e)
{
	size_t n = strlen(dossier);
	if (n == 0 || n > DOSSIER_NO_LEN)
		return err_set(e, E_REFUSED, _("dossier: %s is not a dossier number"), dossier);
	match_key(key, dossier, "", "");
	return 0;
}

struct collect {
	struct kin_match *v;
	int n;
	size_t cap;
};

static int
collect_fn(const struct kin_match *m, void *baton)
{
	struct collect *c = baton;
	void *p = array_grow(c->v, &c->cap, (size_t)c->n + 1, sizeof *c->v);
	if (p == NULL)
		return -1;
	c->v = p;
	c->v[c->n++] = *m;
	return 0;
}

int
kin_matches_of(struct store *st, store_txn *txn, const char *dossier, const char *member_id,
    struct kin_match **out, int *n, struct err *e)
{
	char key[KIN_MATCH_KEY_LEN];
	struct collect c = {0};

	if (dossier_prefix(dossier, key, e) != 0)
		return -1;
	match_key(key, dossier, member_id, "");
	if (match_walk(st, txn, key, DOSSIER_NO_LEN + ID_LEN, collect_fn, &c, e) != 0) {
		free(c.v);
		if (e->code == E_OK)
			err_set(e, E_STORAGE, _("out of memory"));
		return -1;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

/* The status of a match's filing, -1 when it has none. */
static int
filing_status(struct store *st, store_txn *txn, const struct kin_match *m, int *status, struct err *e)
{
	struct kin_filing *f;

	*status = -1;
	if (m->filing[0] == '\0')
		return 0;
	if ((f = malloc(sizeof *f)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	/* the rules read without taking write locks */
	DBT v;
	int r = record_get(st, txn, DBI_KIN_FILINGS, m->filing, strlen(m->filing), &v, false, e);
	if (r != 0) {
		free(f);
		if (r > 0)
			return err_set(e, E_STORAGE, _("filing: no filing %s"), m->filing);
		return -1;
	}
	r = kin_filing_decode(v.data, v.size, f);
	free(v.data);
	if (r == 0)
		*status = (int)f->status;
	free(f);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the record of filing %s is damaged"), m->filing);
	return 0;
}

struct list_baton {
	struct store *st;
	store_txn *txn;
	kin_match_fn fn;
	void *baton;
	struct err *e;
	int count;
};

static int
list_fn(const struct kin_match *m, void *baton)
{
	struct list_baton *b = baton;
	int status;

	if (filing_status(b->st, NULL, m, &status, b->e) != 0)
		return -1;
	return b->fn(m, status, b->baton);
}

int
kin_match_list(struct store *st, const char *dossier, kin_match_fn fn, void *baton, struct err *e)
{
	char key[KIN_MATCH_KEY_LEN];
	struct list_baton b = {st, NULL, fn, baton, e, 0};

	if (dossier != NULL && dossier_prefix(dossier, key, e) != 0)
		return -1;
	return match_walk(st, NULL, key, dossier ? DOSSIER_NO_LEN : 0, list_fn, &b, e);
}

/* ---- the rules -------------------------------------------------------- */

static int
unfiled_fn(const struct kin_match *m, void *baton)
{
	struct list_baton *b = baton;
	int status;

	if (filing_status(b->st, b->txn, m, &status, b->e) != 0)
		return -1;
	if (status != FS_FILED && status != FS_REPORTED)
		b->count++;
	return 0;
}

int
kin_unfiled(struct store *st, store_txn *txn, const char *dossier, int *count, struct err *e)
{
	char key[KIN_MATCH_KEY_LEN];
	struct list_baton b = {st, txn, NULL, NULL, e, 0};

	*count = 0;
	if (dossier_prefix(dossier, key, e) != 0 ||
	    match_walk(st, txn, key, DOSSIER_NO_LEN, unfiled_fn, &b, e) != 0)
		return -1;
	*count = b.count;
	return 0;
}

static int
any_fn(const struct kin_match *m, void *baton)
{
	*(bool *)baton = true;
	return 1;
}

int
kin_has_match(struct store *st, store_txn *txn, const char *dossier, bool *yes, struct err *e)
{
	char key[KIN_MATCH_KEY_LEN];

	*yes = false;
	if (dossier_prefix(dossier, key, e) != 0)
		return -1;
	return match_walk(st, txn, key, DOSSIER_NO_LEN, any_fn, yes, e);
}

struct conflict {
	const struct dossier *d;
	char *why;
	size_t whysize;
	int hit;
};

static int
conflict_fn(const struct kin_relative *r, void *baton)
{
	struct conflict *c = baton;
	const struct member *m;

	if (r->removed || (m = dossier_member_c(c->d, r->id)) == NULL)
		return 0;
	snprintf(c->why, c->whysize, _("R11: you are a close relative (%2$s) of %1$s, a member of this household: you must recuse yourself"),
	    m->name, kin_relation_terms[r->relation].zh);
	c->hit = 1;
	return 1;
}

int
kin_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t whysize, struct err *e)
{
	struct conflict c = {d, why, whysize, 0};
	const struct member *m;
	struct kin_relative *rs;
	int n;

	if (whysize > 0)
		why[0] = '\0';
	if (actor == NULL || actor->id[0] == '\0')
		return 0;
	if ((m = dossier_member_c(d, actor->id)) != NULL) {
		snprintf(why, whysize, _("R11: you are %s, a member of this household: you must recuse yourself"), m->name);
		return 1;
	}
	/* the actor's own declared relatives among the members */
	if (kin_relative_walk(st, txn, actor->id, conflict_fn, &c, e) != 0)
		return -1;
	if (c.hit)
		return 1;
	/* the actor declared as the relative of a staff member who is a member */
	if (relatives_with_id(st, txn, actor->id, &rs, &n, e) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if ((m = dossier_member_c(d, rs[i].staff_id)) != NULL) {
			snprintf(why, whysize, _("R11: you are a close relative (%2$s) of %1$s, a member of this household: you must recuse yourself"),
			    m->name, kin_relation_terms[rs[i].relation].zh);
			free(rs);
			return 1;
		}
	}
	free(rs);
	return 0;
}

/* ---- views ------------------------------------------------------------ */

struct involve {
	struct store *st;
	kin_involve_fn fn;
	void *baton;
	struct err *e;
	struct dossier *d;
};

static int
involve_id(struct involve *iv, const char *id, int relation, bool removed)
{
	char (*nos)[DOSSIER_NO_LEN + 1];
	int n, stop = 0;

	if (dossiers_with_id(iv->st, NULL, id, &nos, &n, iv->e) != 0)
		return -1;
	for (int i = 0; i < n && !stop; i++) {
		if (kin_dossier_peek(iv->st, NULL, nos[i], iv->d, iv->e) != 0) {
			free(nos);
			return -1;
		}
		const struct member *m = dossier_member_c(iv->d, id);
		if (m != NULL)
			stop = iv->fn(iv->d, m, relation, removed, iv->baton);
	}
	free(nos);
	return stop;
}

static int
involve_relative(const struct kin_relative *r, void *baton)
{
	return involve_id(baton, r->id, (int)r->relation, r->removed != 0);
}

int
kin_staff_dossiers(struct store *st, const char *staff_id, kin_involve_fn fn, void *baton, struct err *e)
{
	struct kin_staff s;
	struct involve iv = {st, fn, baton, e, NULL};
	int r;

	if (kin_staff_get(st, NULL, staff_id, &s, e) != 0)
		return -1;
	if ((iv.d = malloc(sizeof *iv.d)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	r = involve_id(&iv, s.id, KREL_SELF, false);
	if (r == 0)
		r = kin_relative_walk(st, NULL, s.id, involve_relative, &iv, e);
	free(iv.d);
	return r < 0 ? -1 : 0;
}
