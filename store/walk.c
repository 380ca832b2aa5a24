/*
 * walk.c — every record of one primary database in key order, decoded by
 * the caller: the one cursor loop behind the ledgers' and registers' lists.
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
