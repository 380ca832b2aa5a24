/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * walk.c — one record by its key (read, with a write lock inside a
 * transaction; written, new or replacing) and every record of a database in
 * key order: the plain access behind the ledgers, registers and visits.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/audit-int.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

int
store_walk(struct store *st, int dbi, walk_fn fn, void *baton, const char *damaged, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret, r = 0, tries = 0;
	unsigned char *last = NULL;   /* the key last handed to fn */
	size_t last_len = 0;

	/* a deadlock or another process's recovery mid-walk: wait (or reopen)
	 * and go on after the last record seen, so fn sees each record once */
again:
	if ((ret = st->db[dbi]->cursor(st->db[dbi], NULL, &c, 0)) != 0) {
		if (store_read_again(st, ret, &tries))
			goto again;
		free(last);
		return store_dberr(st, ret, db_tables[dbi].file, e);
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (last != NULL) {
		/* BDB points k at its own copy of the key found */
		k.data = last;
		k.size = (u_int32_t)last_len;
		ret = c->get(c, &k, &v, DB_SET_RANGE);
		/* the last one seen is still there: step past it */
		if (ret == 0 && k.size == last_len && memcmp(k.data, last, last_len) == 0)
			ret = c->get(c, &k, &v, DB_NEXT);
	} else {
		ret = c->get(c, &k, &v, DB_NEXT);
	}
	for (; r == 0 && ret == 0; ret = c->get(c, &k, &v, DB_NEXT)) {
		r = fn(v.data, v.size, baton);
		unsigned char *nl = realloc(last, k.size ? k.size : 1);
		if (nl == NULL) {
			(void)c->close(c);
			free(last);
			return err_set(e, E_STORAGE, "%s", _("out of memory"));
		}
		last = nl;
		memcpy(last, k.data, k.size);
		last_len = k.size;
	}
	ret = store_cursor_close(c, r == 0 ? ret : 0);
	if (r == 0 && ret != 0 && ret != DB_NOTFOUND && store_read_again(st, ret, &tries))
		goto again;
	free(last);
	if (r < 0)
		return err_set(e, E_STORAGE, "%s", damaged);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}

int
record_get(struct store *st, store_txn *txn, int dbi, const void *key, size_t klen, DBT *out, bool rmw,
    struct err *e)
{
	DBT k;
	int ret;

	dbt_init(&k, key, klen);
	memset(out, 0, sizeof *out);
	out->flags = DB_DBT_MALLOC;
	ret = st->db[dbi]->get(st->db[dbi], txn, &k, out, txn && rmw ? DB_RMW : 0);
	/* outside a transaction a read simply runs again (inside one,
	 * store_txn_run retries the whole transaction) */
	for (int tries = 0; ret != 0 && ret != DB_NOTFOUND && txn == NULL && store_read_again(st, ret, &tries);)
		ret = st->db[dbi]->get(st->db[dbi], NULL, &k, out, 0);
	if (ret == DB_NOTFOUND)
		return 1;
	if (ret != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}

int
record_put(struct store *st, store_txn *txn, int dbi, const void *key, size_t klen, const struct buf *b,
    bool create, struct err *e)
{
	DBT k, v;
	int ret;

	if (b->oom)
		return err_set(e, E_STORAGE, _("out of memory"));
	dbt_init(&k, key, klen);
	dbt_init(&v, b->p, b->len);
	ret = st->db[dbi]->put(st->db[dbi], txn, &k, &v, create ? DB_NOOVERWRITE : 0);
	if (ret == 0)
		audit_track(st, dbi, k.data, k.size, v.data, v.size); /* issue 16.5 */
	if (ret == DB_KEYEXIST)
		return err_set(e, E_STORAGE, _("%s: the record already exists"), db_tables[dbi].file);
	if (ret != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}
