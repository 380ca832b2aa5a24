/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * county.c — the county civil-affairs bureau's database (meta kind
 * "county"): the townships' monthly archives as imported, the people each
 * township's latest roster enrols, and the new and kin-filing cases the
 * county must visit (SPEC 9).
 *
 * Each township's data stays apart: every key starts with its township
 * code.  The archives of one township form a chain (each manifest names
 * the previous one's hash); an archive that does not continue the chain is
 * refused, so a missing or substituted month is noticed.  The people are
 * replaced, township by township, by the latest archive's roster, and an
 * index by ID number finds a person enrolled in two townships at once.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include <jansson.h>

#include "core/array.h"
#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/county-int.h"
#include "store/county.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/scratch.h"
#include "store/township-key.h"
#include "store/user.h"

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

/* ---- codec ------------------------------------------------------------ */

int
county_archive_encode(const struct county_archive *a, struct buf *b)
{
	rec_begin(b, RT_COUNTY_ARCHIVE, COUNTY_REC_VERSION);
	rec_str(b, CA_TOWNSHIP, a->township);
	rec_str(b, CA_NAME, a->name);
	rec_int(b, CA_PERIOD, a->period);
	rec_str(b, CA_MANIFEST, a->manifest);
	rec_str(b, CA_PREVIOUS, a->previous);
	rec_int(b, CA_DOSSIERS, a->dossiers);
	rec_int(b, CA_FILES, a->files);
	rec_int(b, CA_AUDIT, a->audit_entries);
	rec_int(b, CA_FILINGS, a->filings);
	rec_int(b, CA_PEOPLE, a->people);
	rec_int(b, CA_CASES, a->cases);
	rec_int(b, CA_IMPORTED, a->imported);
	rec_str(b, CA_BY, a->by);
	if (a->audit_head[0])
		rec_str(b, CA_AUDIT_HEAD, a->audit_head);
	if (a->signer[0])
		rec_str(b, CA_SIGNER, a->signer);
	return b->oom ? -1 : 0;
}

int
county_archive_decode(const void *p, size_t len, struct county_archive *a)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(a, 0, sizeof *a);
	if (rec_open(&r, p, len, RT_COUNTY_ARCHIVE, COUNTY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CA_TOWNSHIP: bad |= rec_get_str(&r, a->township, sizeof a->township); break;
		case CA_NAME: bad |= rec_get_str(&r, a->name, sizeof a->name); break;
		case CA_PERIOD: a->period = (dbmonth_t)rec_get_int(&r); break;
		case CA_MANIFEST: bad |= rec_get_str(&r, a->manifest, sizeof a->manifest); break;
		case CA_PREVIOUS: bad |= rec_get_str(&r, a->previous, sizeof a->previous); break;
		case CA_DOSSIERS: a->dossiers = (int)rec_get_int(&r); break;
		case CA_FILES: a->files = (int)rec_get_int(&r); break;
		case CA_AUDIT: a->audit_entries = (int)rec_get_int(&r); break;
		case CA_FILINGS: a->filings = (int)rec_get_int(&r); break;
		case CA_PEOPLE: a->people = (int)rec_get_int(&r); break;
		case CA_CASES: a->cases = (int)rec_get_int(&r); break;
		case CA_IMPORTED: a->imported = rec_get_int(&r); break;
		case CA_BY: bad |= rec_get_str(&r, a->by, sizeof a->by); break;
		case CA_AUDIT_HEAD: bad |= rec_get_str(&r, a->audit_head, sizeof a->audit_head); break;
		case CA_SIGNER: bad |= rec_get_str(&r, a->signer, sizeof a->signer); break;
		default: break;	/* a newer minor field: skipped */
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
county_person_encode(const struct county_person *p, struct buf *b)
{
	rec_begin(b, RT_COUNTY_PERSON, COUNTY_REC_VERSION);
	rec_str(b, CP_ID, p->id);
	rec_str(b, CP_TOWNSHIP, p->township);
	rec_str(b, CP_DOSSIER, p->dossier);
	rec_str(b, CP_NAME, p->name);
	rec_int(b, CP_PERIOD, p->period);
	rec_str(b, CP_STATUS, p->status);
	return b->oom ? -1 : 0;
}

int
county_person_decode(const void *d, size_t len, struct county_person *p)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(p, 0, sizeof *p);
	if (rec_open(&r, d, len, RT_COUNTY_PERSON, COUNTY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CP_ID: bad |= rec_get_str(&r, p->id, sizeof p->id); break;
		case CP_TOWNSHIP: bad |= rec_get_str(&r, p->township, sizeof p->township); break;
		case CP_DOSSIER: bad |= rec_get_str(&r, p->dossier, sizeof p->dossier); break;
		case CP_NAME: bad |= rec_get_str(&r, p->name, sizeof p->name); break;
		case CP_PERIOD: p->period = (dbmonth_t)rec_get_int(&r); break;
		case CP_STATUS: bad |= rec_get_str(&r, p->status, sizeof p->status); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
county_case_encode(const struct county_case *c, struct buf *b)
{
	rec_begin(b, RT_COUNTY_CASE, COUNTY_REC_VERSION);
	rec_str(b, CC_TOWNSHIP, c->township);
	rec_int(b, CC_PERIOD, c->period);
	rec_str(b, CC_DOSSIER, c->dossier);
	rec_str(b, CC_HEAD, c->head);
	rec_str(b, CC_VILLAGE, c->village);
	rec_int(b, CC_PERSONS, c->persons);
	rec_int(b, CC_TOTAL, c->total);
	rec_int(b, CC_KIN, c->kin);
	rec_int(b, CC_ADDED, c->added);
	return b->oom ? -1 : 0;
}

int
county_case_decode(const void *p, size_t len, struct county_case *c)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t x;

	memset(c, 0, sizeof *c);
	if (rec_open(&r, p, len, RT_COUNTY_CASE, COUNTY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CC_TOWNSHIP: bad |= rec_get_str(&r, c->township, sizeof c->township); break;
		case CC_PERIOD: c->period = (dbmonth_t)rec_get_int(&r); break;
		case CC_DOSSIER: bad |= rec_get_str(&r, c->dossier, sizeof c->dossier); break;
		case CC_HEAD: bad |= rec_get_str(&r, c->head, sizeof c->head); break;
		case CC_VILLAGE: bad |= rec_get_str(&r, c->village, sizeof c->village); break;
		case CC_PERSONS: x = rec_get_int(&r); bad |= !ENUM_IN(x, MAX_MEMBERS + 1); c->persons = (int)x; break;
		case CC_TOTAL: c->total = (fen_t)rec_get_int(&r); break;
		case CC_KIN: c->kin = rec_get_int(&r) != 0; break;
		case CC_ADDED: c->added = rec_get_int(&r) != 0; break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* The secondary index: the ID number is the primary key after the
 * township code. */
int
idx_county_people_idno(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	(void)sec;
	(void)data;
	if (key->size != TOWNSHIP_CODE_LEN + ID_LEN)
		return DB_DONOTINDEX;
	memset(result, 0, sizeof *result);
	result->data = (char *)key->data + TOWNSHIP_CODE_LEN;
	result->size = ID_LEN;
	return 0;
}

/* ---- the chain -------------------------------------------------------- */

int
county_require(struct store *st, struct err *e)
{
	char kind[32];
	if (meta_get(st, NULL, "kind", kind, sizeof kind, e) != 0) {
		if (e->code != E_NOTFOUND)
			return -1;
		kind[0] = '\0';
	}
	err_clear(e);
	if (strcmp(kind, "county") != 0)
		return err_set(e, E_REFUSED, "%s",
		    _("this is a township database: archives are imported into a county database (dibao init --county-code …)"));
	return 0;
}

int
county_chain_check(const struct county_archive *last, const char *township, dbmonth_t period,
    const char *previous, const char *sha, struct err *e)
{
	char mon[8], lmon[8];

	month_format(period, mon);
	if (last == NULL) {
		if (previous[0] == '\0')
			return 0;
		return err_set(e, E_REFUSED,
		    _("chain: the archive %s of township %s follows an earlier archive (manifest %.12s…) that was never imported here: import that township's archives in order, from its first"),
		    mon, township, previous);
	}
	month_format(last->period, lmon);
	if (strcmp(last->manifest, sha) == 0 || last->period == period)
		return err_set(e, E_REFUSED, _("chain: the archive %s of township %s is already imported"), mon, township);
	if (period < last->period)
		return err_set(e, E_REFUSED,
		    _("chain: the archive %s of township %s is older than the last one imported (%s)"), mon, township, lmon);
	if (previous[0] == '\0')
		return err_set(e, E_REFUSED,
		    _("chain: the archive %s of township %s starts a new chain, but archives up to %s are already imported from it"),
		    mon, township, lmon);
	if (strcmp(previous, last->manifest) != 0)
		return err_set(e, E_REFUSED,
		    _("chain: the archive %s of township %s follows manifest %.12s…, but the last archive imported from it (%s) has manifest %.12s…: a month is missing or an archive was replaced"),
		    mon, township, previous, lmon, last->manifest);
	return 0;
}

static void
archive_key(char *key, size_t size, const char *township, dbmonth_t period)
{
	char mon[8];
	month_format(period, mon);
	snprintf(key, size, "%s-%s", township, mon);
}

int
county_last(struct store *st, store_txn *txn, const char *township, struct county_archive *out, struct err *e)
{
	DB *db = st->db[DBI_COUNTY_ARCHIVES];
	DBC *c;
	DBT k, v;
	char prefix[TOWNSHIP_CODE_LEN + 2];
	int ret, found = 0;

	snprintf(prefix, sizeof prefix, "%s-", township);
	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_ARCHIVES].file, e);
	dbt_init(&k, prefix, strlen(prefix));
	memset(&v, 0, sizeof v);
	/* keys sort by period within a township: the last with the prefix */
	for (ret = c->get(c, &k, &v, DB_SET_RANGE | (txn ? DB_RMW : 0)); ret == 0;
	    ret = c->get(c, &k, &v, DB_NEXT | (txn ? DB_RMW : 0))) {
		if (k.size < strlen(prefix) || memcmp(k.data, prefix, strlen(prefix)) != 0)
			break;
		if (county_archive_decode(v.data, v.size, out) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("the county archive record %.*s is damaged"), (int)k.size,
			    (const char *)k.data);
		}
		found = 1;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_ARCHIVES].file, e);
	if (!found)
		return err_set(e, E_NOTFOUND, _("no archive of township %s imported"), township);
	return 0;
}

static int
put_rec(struct store *st, store_txn *txn, int dbi, const void *key, size_t klen, const struct buf *b,
    struct err *e)
{
	DBT k, v;
	int ret;
	if (b->oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	dbt_init(&k, key, klen);
	dbt_init(&v, b->p, b->len);
	if ((ret = st->db[dbi]->put(st->db[dbi], txn, &k, &v, 0)) != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	audit_track(st, dbi, k.data, k.size, v.data, v.size); /* issue 16.5 */
	return 0;
}

/* Remove every key of DBI_COUNTY_PEOPLE that starts with the township. */
static int
people_clear(struct store *st, store_txn *txn, const char *township, struct err *e)
{
	DB *db = st->db[DBI_COUNTY_PEOPLE];
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_PEOPLE].file, e);
	dbt_init(&k, township, TOWNSHIP_CODE_LEN);
	memset(&v, 0, sizeof v);
	for (ret = c->get(c, &k, &v, DB_SET_RANGE | DB_RMW); ret == 0; ret = c->get(c, &k, &v, DB_NEXT | DB_RMW)) {
		if (k.size < TOWNSHIP_CODE_LEN || memcmp(k.data, township, TOWNSHIP_CODE_LEN) != 0)
			break;
		if ((ret = c->del(c, 0)) != 0)
			break;
		audit_track(st, DBI_COUNTY_PEOPLE, k.data, k.size, NULL, 0); /* issue 16.5 */
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_PEOPLE].file, e);
	return 0;
}

struct import_baton {
	const struct user *actor;
	struct county_import *ci;
};

int
county_audit_continues(const struct county_archive *last, const struct county_archive *a, const char *first_prev,
    struct err *e)
{
	char mon[8], lmon[8];

	if (last == NULL || last->audit_head[0] == '\0')
		return 0; /* the first month, or one imported before heads were kept */
	/* a month exported by no archive leaves a gap whose entries the
	 * county never sees: continuity is checked month to next month */
	if (a->period != month_add(last->period, 1))
		return 0;
	/* a month without entries keeps the head; else its first entry
	 * follows the head the last month ended with */
	const char *follows = first_prev[0] ? first_prev : a->audit_head;
	if (strcmp(follows, last->audit_head) == 0)
		return 0;
	month_format(a->period, mon);
	month_format(last->period, lmon);
	return err_set(e, E_REFUSED,
	    _("audit chain: the entries of %s of township %s follow the head %s, but %s ended at the head %s: entries were removed or rewritten after %s left the township, or a month is missing"),
	    mon, a->township, follows, lmon, last->audit_head, lmon);
}

int
county_signer_check(struct store *st, store_txn *txn, const struct user *actor, struct county_import *ci,
    struct json_t **accepted, struct err *e)
{
	unsigned char pinned[32], pk[32];
	char fnew[SIGN_FPR_LEN], fold[SIGN_FPR_LEN];
	int r;

	*accepted = NULL;
	ci->key_new = ci->key_changed = false;
	if (strlen(ci->a.signer) != 64 || sodium_hex2bin(pk, 32, ci->a.signer, 64, NULL, NULL, NULL) != 0)
		return err_set(e, E_REFUSED, "%s", _("the archive is not signed by its township: refused"));
	sign_fingerprint(pk, fnew);
	if ((r = county_pinned_key(st, txn, ci->a.township, pinned, e)) < 0)
		return -1;
	if (r == 1) {
		ci->key_new = true;
		return txn ? county_pin_key(st, txn, ci->a.township, pk, e) : 0;
	}
	if (sodium_memcmp(pinned, pk, 32) == 0)
		return 0;
	sign_fingerprint(pinned, fold);
	if (!ci->accept_new_key)
		return err_set(e, E_REFUSED,
		    _("township %s signed this archive with a new key (fingerprint %s), not the key it signed with before (%s): confirm the new fingerprint with the township by phone, then an administrator imports it with --accept-new-key"),
		    ci->a.township, fnew, fold);
	if (actor->role != ROLE_ADMIN)
		return err_set(e, E_REFUSED, "%s", _("only an administrator accepts a township's new signing key"));
	ci->key_changed = true;
	if (txn == NULL)
		return 0;
	*accepted = json_pack("{s:s,s:s,s:s}", "township", ci->a.township, "old", fold, "new", fnew);
	if (*accepted == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (county_pin_key(st, txn, ci->a.township, pk, e) != 0) {
		json_decref(*accepted);
		*accepted = NULL;
		return -1;
	}
	return 0;
}

static int
import_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct import_baton *b = baton;
	struct county_import *ci = b->ci;
	struct county_archive last, a = ci->a;
	char key[128], mon[8];
	struct buf buf;
	int r;

	/* checked again under the lock: two clerks importing at once */
	r = county_last(st, txn, a.township, &last, e);
	if (r != 0 && e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	if (county_chain_check(r == 0 ? &last : NULL, a.township, a.period, a.previous, a.manifest, e) != 0)
		return -1;
	/* issue 16.5: the month's audit entries go on from the last month's
	 * head; the archive is signed with the key pinned for the township */
	if (county_audit_continues(r == 0 ? &last : NULL, &a, ci->audit_first_prev, e) != 0)
		return -1;
	json_t *keyj = NULL;
	if (county_signer_check(st, txn, b->actor, ci, &keyj, e) != 0)
		return -1;
	if (keyj != NULL && audit_appendj(st, txn, b->actor->login, "county.key.accept", a.township, keyj, e) != 0)
		return -1;
	a.imported = (int64_t)time(NULL);
	snprintf(a.by, sizeof a.by, "%s", b->actor->login);
	a.people = (int)ci->n_people;
	a.cases = (int)ci->n_cases;
	archive_key(key, sizeof key, a.township, a.period);
	buf_init(&buf);
	county_archive_encode(&a, &buf);
	r = put_rec(st, txn, DBI_COUNTY_ARCHIVES, key, strlen(key), &buf, e);
	buf_free(&buf);
	if (r != 0 || people_clear(st, txn, a.township, e) != 0)
		return -1;
	for (size_t i = 0; i < ci->n_people; i++) {
		struct county_person pv;
		const struct county_person *p = &pv;
		if (scratch_read(ci->people, (off_t)(i * sizeof pv), &pv, sizeof pv) != 0)
			return err_set(e, E_STORAGE, _("cannot read a temporary file: %s"), strerror(errno));
		if (strcmp(p->township, a.township) != 0 || strlen(p->id) != ID_LEN)
			return err_set(e, E_REFUSED, _("person %s: not of township %s"), p->id, a.township);
		snprintf(key, sizeof key, "%.*s%.*s", TOWNSHIP_CODE_LEN, p->township, ID_LEN, p->id);
		buf_init(&buf);
		county_person_encode(p, &buf);
		r = put_rec(st, txn, DBI_COUNTY_PEOPLE, key, strlen(key), &buf, e);
		buf_free(&buf);
		if (r != 0)
			return -1;
	}
	for (size_t i = 0; i < ci->n_cases; i++) {
		struct county_case cv;
		const struct county_case *c = &cv;
		if (scratch_read(ci->cases, (off_t)(i * sizeof cv), &cv, sizeof cv) != 0)
			return err_set(e, E_STORAGE, _("cannot read a temporary file: %s"), strerror(errno));
		month_format(c->period, mon);
		snprintf(key, sizeof key, "%.*s-%s-%.*s", TOWNSHIP_CODE_LEN, c->township, mon, DOSSIER_NO_LEN, c->dossier);
		buf_init(&buf);
		county_case_encode(c, &buf);
		r = put_rec(st, txn, DBI_COUNTY_CASES, key, strlen(key), &buf, e);
		buf_free(&buf);
		if (r != 0)
			return -1;
	}
	/* the township's payment batch of the month (issue 13) */
	json_t *pay = NULL;
	if (ci->have_payment) {
		struct county_payment p = ci->payment;
		snprintf(p.township, sizeof p.township, "%s", a.township);
		p.period = a.period;
		if (county_payment_put(st, txn, &p, e) != 0)
			return -1;
		pay = json_pack("{s:i,s:i,s:I,s:i,s:s}", "households", p.households, "persons", p.persons,
		    "total", (json_int_t)p.total, "held", p.held, "sha256", p.sha256);
	}
	month_format(a.period, mon);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:i}", "township", a.township, "period", mon,
	    "manifest", a.manifest, "previous", a.previous, "files", a.files, "people", a.people,
	    "cases", a.cases);
	if (j != NULL && pay != NULL)
		json_object_set_new(j, "payment", pay);
	else
		json_decref(pay);
	return audit_appendj(st, txn, b->actor->login, "county.import", a.township, j, e);
}

int
county_import_run(struct store *st, const struct user *actor, struct county_import *ci, struct err *e)
{
	struct import_baton b = {actor, ci};

	if (store_require(actor, ACT_SETTINGS, e) != 0 || county_require(st, e) != 0)
		return -1;
	return store_txn_run(st, import_body, &b, e);
}

int
county_archive_list(struct store *st, county_archive_fn fn, void *baton, struct err *e)
{
	DB *db = st->db[DBI_COUNTY_ARCHIVES];
	DBC *c;
	DBT k, v;
	struct county_archive a;
	int ret, stop = 0;

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_ARCHIVES].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (!stop && (ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		if (county_archive_decode(v.data, v.size, &a) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("the county archive record %.*s is damaged"), (int)k.size,
			    (const char *)k.data);
		}
		stop = fn(&a, baton);
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_ARCHIVES].file, e);
	return 0;
}

/* ---- duplicates ------------------------------------------------------- */

#define DUP_MAX 16
static int
dup_flush(struct county_person *g, int n, county_dup_fn fn, void *baton, int *count)
{
	for (int i = 1; i < n; i++)
		if (strcmp(g[i].township, g[0].township) != 0) {
			(*count)++;
			return fn ? fn(g, n, baton) : 0;
		}
	return 0;
}

int
county_duplicates(struct store *st, county_dup_fn fn, void *baton, int *count, struct err *e)
{
	DB *db = st->db[DBI_COUNTY_PEOPLE_IDNO];
	DBC *c;
	DBT k, pk, v;
	struct county_person g[DUP_MAX];
	int ret, n = 0, stop = 0;

	*count = 0;
	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_PEOPLE_IDNO].file, e);
	memset(&k, 0, sizeof k);
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	/* the index sorts by ID number: a group of equal IDs is consecutive */
	while (!stop && (ret = c->pget(c, &k, &pk, &v, DB_NEXT)) == 0) {
		struct county_person p;
		if (county_person_decode(v.data, v.size, &p) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, "%s", _("a county person record is damaged"));
		}
		if (n > 0 && strcmp(g[0].id, p.id) != 0) {
			stop = dup_flush(g, n, fn, baton, count);
			n = 0;
		}
		if (n < DUP_MAX)
			g[n++] = p;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_PEOPLE_IDNO].file, e);
	if (!stop && n > 0)
		dup_flush(g, n, fn, baton, count);
	return 0;
}

/* ---- the visit sample ------------------------------------------------- */

struct cases_acc {
	dbmonth_t period;
	struct county_case *v;
	size_t n, cap;
	crypto_hash_sha256_state h;	/* the period's manifests, in key order */
	int archives;
};

static int
cases_of_period(struct store *st, struct cases_acc *acc, struct err *e)
{
	DB *db = st->db[DBI_COUNTY_CASES];
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_CASES].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	/* key order (township, period, dossier) is the draw's fixed order */
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		struct county_case cc;
		if (county_case_decode(v.data, v.size, &cc) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, "%s", _("a county case record is damaged"));
		}
		if (cc.period != acc->period)
			continue;
		struct county_case *nv = array_grow(acc->v, &acc->cap, acc->n + 1, sizeof *nv);
		if (nv == NULL) {
			c->close(c);
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		}
		acc->v = nv;
		acc->v[acc->n++] = cc;
	}
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_COUNTY_CASES].file, e);
	return 0;
}

static int
seed_archive(const struct county_archive *a, void *baton)
{
	struct cases_acc *acc = baton;
	if (a->period == acc->period) {
		crypto_hash_sha256_update(&acc->h, (const unsigned char *)a->manifest, strlen(a->manifest));
		acc->archives++;
	}
	return 0;
}

/* A uniform number below n from the seed and a counter (rejection keeps
 * it unbiased). */
static uint64_t
draw(const unsigned char seed[32], uint64_t *counter, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;
	do {
		unsigned char in[40], out[32];
		memcpy(in, seed, 32);
		for (int i = 0; i < 8; i++)
			in[32 + i] = (unsigned char)(*counter >> (8 * i));
		(*counter)++;
		crypto_hash_sha256(out, in, sizeof in);
		x = 0;
		for (int i = 0; i < 8; i++)
			x = (x << 8) | out[i];
	} while (x >= limit);
	return x % n;
}

struct sample_baton {
	const struct user *actor;
	struct county_sample *s;
};

static int
sample_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct sample_baton *b = baton;
	struct county_sample *s = b->s;
	char mon[8], key[64], dk[DOSSIER_NO_LEN + TOWNSHIP_CODE_LEN + 2];
	json_t *drawn = json_array(), *kin = json_array();
	char *text;
	int r;

	month_format(s->period, mon);
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].sampled)
			continue;
		snprintf(dk, sizeof dk, "%s", s->v[i].dossier);
		json_array_append_new(s->v[i].kin ? kin : drawn, json_string(dk));
	}
	json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:i,s:o,s:o}", "period", mon, "seed", s->seed,
	    "new", s->n_new, "kin", s->n_kin, "drawn", s->n_drawn, "drawn_cases", drawn, "kin_cases", kin);
	if (j == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(key, sizeof key, "county.sample.%s", mon);
	r = text ? meta_put(st, txn, key, text, e) : err_set(e, E_STORAGE, "%s", _("out of memory"));
	free(text);
	if (r != 0) {
		json_decref(j);
		return -1;
	}
	return audit_appendj(st, txn, b->actor->login, "county.sample", mon, j, e);
}

int
county_sample(struct store *st, const struct user *actor, dbmonth_t period, const char *seed_text,
    struct county_sample *out, struct err *e)
{
	struct cases_acc acc;
	unsigned char seed[32];
	size_t *pool = NULL, np = 0;
	uint64_t counter = 0;

	memset(out, 0, sizeof *out);
	if (store_require(actor, ACT_SETTINGS, e) != 0 || county_require(st, e) != 0)
		return -1;
	memset(&acc, 0, sizeof acc);
	acc.period = period;
	crypto_hash_sha256_init(&acc.h);
	if (county_archive_list(st, seed_archive, &acc, e) != 0 || cases_of_period(st, &acc, e) != 0)
		goto fail;
	if (acc.archives == 0) {
		char mon[8];
		month_format(period, mon);
		err_set(e, E_REFUSED, _("no archive of %s has been imported"), mon);
		goto fail;
	}
	/* the default seed is what the townships sent: anyone holding the
	 * archives can redraw the same sample and see it was not chosen */
	if (seed_text != NULL)
		crypto_hash_sha256(seed, (const unsigned char *)seed_text, strlen(seed_text));
	else
		crypto_hash_sha256_final(&acc.h, seed);
	hex32(seed, out->seed);
	out->period = period;
	out->v = acc.v;
	out->n = acc.n;
	if (acc.n > 0 && (pool = malloc(acc.n * sizeof *pool)) == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		goto fail;
	}
	for (size_t i = 0; i < acc.n; i++) {
		struct county_case *c = &acc.v[i];
		if (c->added)
			out->n_new++;
		if (c->kin) {
			c->sampled = true;	/* every kin-filing case is visited */
			out->n_kin++;
		} else if (c->added) {
			pool[np++] = i;
		}
	}
	/* at least 30% of the new cases, rounded up, drawn from those not
	 * already visited as kin-filing cases */
	size_t want = ((size_t)out->n_new * 3 + 9) / 10;
	if (want > np)
		want = np;
	for (size_t i = 0; i < want; i++) {
		size_t j = i + (size_t)draw(seed, &counter, np - i);
		size_t t = pool[i];
		pool[i] = pool[j];
		pool[j] = t;
		acc.v[pool[i]].sampled = true;
	}
	out->n_drawn = (int)want;
	free(pool);
	struct sample_baton sb = {actor, out};
	if (store_txn_run(st, sample_body, &sb, e) != 0) {
		county_sample_free(out);
		return -1;
	}
	return 0;
fail:
	free(acc.v);
	memset(out, 0, sizeof *out);
	return -1;
}

void
county_sample_free(struct county_sample *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
