/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * meta.c — small named values of the data directory: the format version,
 * the township's identity, counters (dossier sequences) and the audit
 * chain's head.  Keys and values are UTF-8 strings.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"

int
meta_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e)
{
	DBT k, v;
	int ret;

	dbt_init(&k, key, strlen(key));
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_USERMEM;
	v.data = buf;
	v.ulen = (u_int32_t)(size - 1);
	ret = st->db[DBI_META]->get(st->db[DBI_META], txn, &k, &v, txn ? DB_RMW : 0);
	if (ret != 0)
		return store_dberr(st, ret, key, e);
	buf[v.size] = '\0';
	return 0;
}

int
meta_put(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e)
{
	DBT k, v;
	int ret;

	dbt_init(&k, key, strlen(key));
	dbt_init(&v, val, strlen(val));
	if ((ret = st->db[DBI_META]->put(st->db[DBI_META], txn, &k, &v, 0)) != 0)
		return store_dberr(st, ret, key, e);
	return 0;
}

int
meta_next(struct store *st, store_txn *txn, const char *key, uint32_t *out, struct err *e)
{
	char buf[32];
	unsigned long n = 0;

	if (meta_get(st, txn, key, buf, sizeof buf, e) == 0)
		n = strtoul(buf, NULL, 10);
	else if (e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	n++;
	snprintf(buf, sizeof buf, "%lu", n);
	if (meta_put(st, txn, key, buf, e) != 0)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

int
meta_last_before(struct store *st, store_txn *txn, const char *prefix, const char *key,
    char *kbuf, size_t ksize, char *vbuf, size_t vsize, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;
	size_t plen = strlen(prefix);

	if ((ret = st->db[DBI_META]->cursor(st->db[DBI_META], txn, &c, 0)) != 0)
		return store_dberr(st, ret, prefix, e);
	dbt_init(&k, key, strlen(key));
	memset(&v, 0, sizeof v);
	/* the first key at or after `key`, then one step back; or the last */
	ret = c->get(c, &k, &v, DB_SET_RANGE);
	ret = ret == 0 ? c->get(c, &k, &v, DB_PREV) : ret == DB_NOTFOUND ? c->get(c, &k, &v, DB_LAST) : ret;
	if (ret == 0 && (k.size < plen || memcmp(k.data, prefix, plen) != 0 || k.size >= ksize || v.size >= vsize))
		ret = DB_NOTFOUND;
	if (ret == 0) {
		memcpy(kbuf, k.data, k.size);
		kbuf[k.size] = '\0';
		memcpy(vbuf, v.data, v.size);
		vbuf[v.size] = '\0';
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0)
		return store_dberr(st, ret, prefix, e);
	return 0;
}
