/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * walk.c — one record by its key (read, with a write lock inside a
 * transaction; written, new or replacing) and every record of a database in
 * key order: the plain access behind the ledgers, registers and visits.
 */
#include "config.h"

#include <string.h>

#include "store/store-int.h"

int
store_walk(struct store *st, int dbi, walk_fn fn, void *baton, const char *damaged, struct err *e)
{
	DB *db = st->db[dbi];
	DBC *c;
	DBT k, v;
	int ret, r = 0;

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (r == 0 && (ret = c->get(c, &k, &v, DB_NEXT)) == 0)
		r = fn(v.data, v.size, baton);
	c->close(c);
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
	if (ret == DB_KEYEXIST)
		return err_set(e, E_STORAGE, _("%s: the record already exists"), db_tables[dbi].file);
	if (ret != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}
