/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dossier-record.c — the dossier record as stored: read, write (with its
 * indexes and the audit state), find by an index, number a new one.  It
 * sits below the kin matching and the dossier edits (dossier.c), which
 * both build on it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/settings.h"

dbdate_t
store_date_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

dbdate_t
store_today(void)
{
	return store_date_of((int64_t)time(NULL));
}

int
dossier_put(struct store *st, store_txn *txn, const struct dossier *d, bool create, struct err *e)
{
	struct buf b;
	DBT k, v;
	int ret;

	buf_init(&b);
	if (dossier_encode(d, &b) != 0) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	dbt_init(&k, d->no, strlen(d->no));
	dbt_init(&v, b.p, b.len);
	/* a load's new dossier: its indexes come at the load's end */
	DB *bulk = create ? store_bulk_primary(st) : NULL;
	DB *db = bulk != NULL ? bulk : st->db[DBI_DOSSIERS];
	ret = db->put(db, txn, &k, &v, create ? DB_NOOVERWRITE : 0);
	if (ret == 0) {
		audit_track(st, DBI_DOSSIERS, k.data, k.size, v.data, v.size); /* issue 16.5 */
		if (bulk != NULL)
			store_bulk_note(st, &k, &v);
	}
	buf_free(&b);
	if (ret == DB_KEYEXIST)
		return err_set(e, E_STORAGE, _("dossier %s already exists"), d->no);
	if (ret != 0)
		return store_dberr(st, ret, d->no, e);
	return 0;
}

int
dossier_get_raw(struct store *st, store_txn *txn, const char *no, DBT *v, struct err *e)
{
	DBT k;
	int ret;

	dbt_init(&k, no, strlen(no));
	memset(v, 0, sizeof *v);
	v->flags = DB_DBT_MALLOC;
	ret = st->db[DBI_DOSSIERS]->get(st->db[DBI_DOSSIERS], txn, &k, v, txn ? DB_RMW : 0);
	/* outside a transaction a read runs again after a deadlock (a seeded
	 * back-off) or another process's recovery (reopened); inside one,
	 * store_txn_run retries the whole transaction */
	for (int tries = 0; ret != 0 && ret != DB_NOTFOUND && txn == NULL && store_read_again(st, ret, &tries);)
		ret = st->db[DBI_DOSSIERS]->get(st->db[DBI_DOSSIERS], NULL, &k, v, 0);
	if (ret == DB_NOTFOUND)
		return err_set(e, E_NOTFOUND, _("dossier: no dossier %s"), no);
	if (ret != 0)
		return store_dberr(st, ret, no, e);
	return 0;
}

int
dossier_get(struct store *st, store_txn *txn, const char *no, struct dossier *out, struct err *e)
{
	DBT v;
	int ret;

	if (dossier_get_raw(st, txn, no, &v, e) != 0)
		return -1;
	ret = dossier_decode(v.data, v.size, out);
	free(v.data);
	if (ret != 0)
		return err_set(e, E_STORAGE, _("the record of dossier %s is damaged"), no);
	return 0;
}

/* The first active dossier (by number) that the index dbi lists under key,
 * other than except_no: 1 with found, 0 none; what names the lookup in an
 * error.  The ID number's index here, the card account's (R14) in
 * payment.c. */
int
dossier_index_each(struct store *st, store_txn *txn, int dbi, const char *key, const char *except_no,
    dossier_status_fn fn, void *baton, const char *what, struct err *e)
{
	DB *idx = st->db[dbi];
	DBC *c;
	DBT k, pk, v;
	int ret;

	if ((ret = idx->cursor(idx, txn, &c, 0)) != 0)
		return store_dberr(st, ret, what, e);
	dbt_init(&k, key, strlen(key));
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	for (ret = c->pget(c, &k, &pk, &v, DB_SET); ret == 0; ret = c->pget(c, &k, &pk, &v, DB_NEXT_DUP)) {
		struct rec_reader r;
		int64_t status = -1;
		char no[DOSSIER_NO_LEN + 1];
		if (pk.size > DOSSIER_NO_LEN)
			continue;
		memcpy(no, pk.data, pk.size);
		no[pk.size] = '\0';
		if (except_no && strcmp(no, except_no) == 0)
			continue;
		if (rec_open(&r, v.data, v.size, RT_DOSSIER, DOSSIER_REC_VERSION) != 0)
			continue;
		while (rec_next(&r) == 1)
			if (r.tag == DT_STATUS)
				status = rec_get_int(&r);
		if (fn(no, status, baton) != 0)
			break;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, what, e);
	return 0;
}

static int
first_active(const char *no, int64_t status, void *baton)
{
	char *found = baton;
	if (status < 0 || !status_active((enum status)status))
		return 0;
	memcpy(found, no, strlen(no) + 1);
	return 1;
}

int
dossier_active_by_index(struct store *st, store_txn *txn, int dbi, const char *key, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], const char *what, struct err *e)
{
	found[0] = '\0';
	if (dossier_index_each(st, txn, dbi, key, except_no, first_active, found, what, e) != 0)
		return -1;
	return found[0] ? 1 : 0;
}

int
dossier_by_id(struct store *st, store_txn *txn, const char *id, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e)
{
	return dossier_active_by_index(st, txn, DBI_DOSSIER_IDNO, id, except_no, found,
	    _("looking up the ID number"), e);
}

int
dossier_next_no(struct store *st, store_txn *txn, int year, char no[DOSSIER_NO_LEN + 1], struct err *e)
{
	char code[32], key[32];
	uint32_t seq;

	if (setting_get(st, txn, "township.code", code, sizeof code, e) != 0)
		return -1;
	if (!township_code_valid(code))
		return err_set(e, E_REFUSED, _("this database has no township code (a county database cannot hold dossiers)"));
	snprintf(key, sizeof key, "seq.dossier.%04d", year);
	if (meta_next(st, txn, key, &seq, e) != 0)
		return -1;
	if (dossier_no_format(no, code, year, seq) != 0)
		return err_set(e, E_REFUSED, _("dossier numbers of %d are used up (99999)"), year);
	return 0;
}

/* Changes to members and finances are allowed while the case is open. */
int
dossier_require_open(const struct dossier *d, struct err *e)
{
	if (!status_active(d->status))
		return err_set(e, E_REFUSED, _("dossier %s is closed (%s): apply again as a new dossier"),
		    d->no, status_terms[d->status].zh);
	return 0;
}
