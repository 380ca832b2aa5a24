/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * settings.c — the township's settings (checked against core's table),
 * the standards table (area, effective-from month, monthly amount) and the
 * list of villages with their groups and aliases.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/settings-defs.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit-int.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/user.h"

int
setting_put_raw(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e)
{
	DBT k, v;
	int ret;

	dbt_init(&k, key, strlen(key));
	dbt_init(&v, val, strlen(val));
	if ((ret = st->db[DBI_SETTINGS]->put(st->db[DBI_SETTINGS], txn, &k, &v, 0)) != 0)
		return store_dberr(st, ret, key, e);
	audit_track(st, DBI_SETTINGS, k.data, k.size, v.data, v.size); /* issue 16.5 */
	return 0;
}

int
setting_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e)
{
	const struct setting_def *d = setting_def_find(key);
	DBT k, v;
	int ret;

	if (d == NULL)
		return err_set(e, E_REFUSED, _("setting: unknown key %s (see dibao setting list)"), key);
	dbt_init(&k, key, strlen(key));
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_USERMEM;
	v.data = buf;
	v.ulen = (u_int32_t)(size - 1);
	ret = st->db[DBI_SETTINGS]->get(st->db[DBI_SETTINGS], txn, &k, &v, 0);
	if (ret == DB_NOTFOUND) {
		if (strlen(d->def) >= size)
			return err_set(e, E_STORAGE, _("setting %s: buffer too small"), key);
		strcpy(buf, d->def);
		return 0;
	}
	if (ret == DB_BUFFER_SMALL)
		return err_set(e, E_STORAGE, _("setting %s: buffer too small"), key);
	if (ret != 0)
		return store_dberr(st, ret, key, e);
	buf[v.size] = '\0';
	return 0;
}

int
setting_get_int(struct store *st, store_txn *txn, const char *key, int64_t *out, struct err *e)
{
	char buf[64];
	if (setting_get(st, txn, key, buf, sizeof buf, e) != 0)
		return -1;
	*out = strtoll(buf, NULL, 10);
	return 0;
}

struct set_baton {
	const struct user *actor;
	const char *key;
	char val[TEXT_LONG];
};

static int
set_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct set_baton *b = baton;
	char old[TEXT_LONG];

	if (setting_get(st, txn, b->key, old, sizeof old, e) != 0 ||
	    setting_put_raw(st, txn, b->key, b->val, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "setting.set", b->key,
	    json_pack("{s:s,s:s}", "old", old, "new", b->val), e);
}

int
setting_set(struct store *st, const struct user *actor, const char *key, const char *val, struct err *e)
{
	const struct setting_def *d = setting_def_find(key);
	struct set_baton b = {.actor = actor, .key = key};
	const char *why;

	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	if (d == NULL)
		return err_set(e, E_REFUSED, _("setting: unknown key %s (see dibao setting list)"), key);
	if (setting_validate(d, val, b.val, sizeof b.val, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", key, _(why));
	return store_txn_run(st, set_body, &b, e);
}

int
setting_list(struct store *st, setting_fn fn, void *baton, struct err *e)
{
	char val[TEXT_LONG];
	for (int i = 0; i < n_setting_defs; i++) {
		if (setting_get(st, NULL, setting_defs[i].key, val, sizeof val, e) != 0)
			return -1;
		if (fn(setting_defs[i].key, val, _(setting_defs[i].help), baton) != 0)
			break;
	}
	return 0;
}

/* ---- standards: key = area (1 byte) + month (4 bytes big-endian) ------- */

static void
std_key(enum area a, dbmonth_t m, unsigned char k[5])
{
	k[0] = (unsigned char)a;
	k[1] = (unsigned char)(m >> 24);
	k[2] = (unsigned char)(m >> 16);
	k[3] = (unsigned char)(m >> 8);
	k[4] = (unsigned char)m;
}

static dbmonth_t
std_key_month(const unsigned char *k)
{
	return (dbmonth_t)((uint32_t)k[1] << 24 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 8 | k[4]);
}

static fen_t
get_fen(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (fen_t)v;
}

struct std_baton {
	const struct user *actor;
	enum area a;
	dbmonth_t from;
	fen_t amount;
};

static int
std_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct std_baton *b = baton;
	unsigned char k[5], v[8];
	char m[8], amt[32];
	DBT key, val;
	int ret;

	std_key(b->a, b->from, k);
	for (int i = 0; i < 8; i++)
		v[i] = (unsigned char)((uint64_t)b->amount >> (56 - 8 * i));
	dbt_init(&key, k, 5);
	dbt_init(&val, v, 8);
	if ((ret = st->db[DBI_STANDARDS]->put(st->db[DBI_STANDARDS], txn, &key, &val, 0)) != 0)
		return store_dberr(st, ret, _("writing the standard"), e);
	audit_track(st, DBI_STANDARDS, key.data, key.size, val.data, val.size); /* issue 16.5 */
	month_format(b->from, m);
	money_format(b->amount, amt);
	return audit_appendj(st, txn, b->actor->login, "standard.set", area_terms[b->a].en,
	    json_pack("{s:s,s:s,s:I}", "area", area_terms[b->a].en, "from", m, "amount", (json_int_t)b->amount), e);
}

int
standard_set(struct store *st, const struct user *actor, enum area a, dbmonth_t from,
    fen_t amount, struct err *e)
{
	struct std_baton b = {.actor = actor, .a = a, .from = from, .amount = amount};

	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	if (a != AREA_URBAN && a != AREA_RURAL)
		return err_set(e, E_REFUSED, _("area: must be urban (城市) or rural (农村)"));
	if (amount <= 0 || amount > 10000000)
		return err_set(e, E_REFUSED, _("amount: the standard must be more than 0 and at most 100000 yuan"));
	return store_txn_run(st, std_body, &b, e);
}

int
standard_get(struct store *st, store_txn *txn, enum area a, dbmonth_t m, fen_t *out,
    dbmonth_t *from, struct err *e)
{
	unsigned char k[5];
	DBC *c;
	DBT key, val;
	int ret;

	if ((ret = st->db[DBI_STANDARDS]->cursor(st->db[DBI_STANDARDS], txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the standards"), e);
	/* the last entry of this area at or before m: seek past m, step back */
	std_key(a, m, k);
	dbt_init(&key, k, 5);
	key.ulen = 5;
	key.flags = DB_DBT_USERMEM;
	memset(&val, 0, sizeof val);
	ret = c->get(c, &key, &val, DB_SET_RANGE);
	if (ret == 0 && std_key_month(key.data) == m && ((unsigned char *)key.data)[0] == a) {
		/* exact month */
	} else {
		ret = ret == 0 ? c->get(c, &key, &val, DB_PREV) :
		    ret == DB_NOTFOUND ? c->get(c, &key, &val, DB_LAST) : ret;
	}
	if (ret == 0 && (key.size != 5 || ((unsigned char *)key.data)[0] != a || val.size != 8))
		ret = DB_NOTFOUND;
	if (ret == 0) {
		*out = get_fen(val.data);
		if (from)
			*from = std_key_month(key.data);
	}
	ret = store_cursor_close(c, ret);
	if (ret == DB_NOTFOUND) {
		char ms[8];
		month_format(m, ms);
		return err_set(e, E_NOTFOUND, _("no %s standard in force for %s: set it with dibao standard set"),
		    area_terms[a].zh, ms);
	}
	if (ret != 0)
		return store_dberr(st, ret, _("reading the standards"), e);
	return 0;
}

int
standard_list(struct store *st, standard_fn fn, void *baton, struct err *e)
{
	DBC *c;
	DBT key, val;
	int ret;

	if ((ret = st->db[DBI_STANDARDS]->cursor(st->db[DBI_STANDARDS], NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the standards"), e);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	while ((ret = c->get(c, &key, &val, DB_NEXT)) == 0) {
		if (key.size != 5 || val.size != 8)
			continue;
		if (fn((enum area)((unsigned char *)key.data)[0], std_key_month(key.data), get_fen(val.data), baton) != 0)
			break;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the standards"), e);
	return 0;
}
