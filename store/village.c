/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * village.c — the township's villages/communities with their groups and
 * accepted aliases.  A typed village must resolve to one of them, so
 * notices and statistics never split over a typo.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/roles.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/user.h"
#include "store/village.h"

enum village_tag { VT_NAME = 1, VT_GROUPS, VT_ALIASES };

static int
village_decode(const void *p, size_t len, struct village *v)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(v, 0, sizeof *v);
	if (rec_open(&r, p, len, RT_VILLAGE, 1) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case VT_NAME: bad |= rec_get_str(&r, v->name, sizeof v->name); break;
		case VT_GROUPS: bad |= rec_get_str(&r, v->groups, sizeof v->groups); break;
		case VT_ALIASES: bad |= rec_get_str(&r, v->aliases, sizeof v->aliases); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* Is word one of the comma-separated items of list? */
static bool
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p != '\0';) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, word, n) == 0)
			return true;
		p += k;
		if (*p == ',')
			p++;
	}
	return false;
}

struct vadd_baton {
	const struct user *actor;
	struct village v;
};

static int
vadd_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct vadd_baton *b = baton;
	struct village old;
	struct buf buf;
	DBT k, v;
	int ret;

	/* an alias may not already name another village */
	if (village_resolve(st, txn, b->v.name, &old, e) == 0 && strcmp(old.name, b->v.name) != 0)
		return err_set(e, E_REFUSED, _("village: %s is already an alias of %s"), b->v.name, old.name);
	err_clear(e);
	buf_init(&buf);
	rec_begin(&buf, RT_VILLAGE, 1);
	rec_str(&buf, VT_NAME, b->v.name);
	rec_str(&buf, VT_GROUPS, b->v.groups);
	rec_str(&buf, VT_ALIASES, b->v.aliases);
	if (buf.oom) {
		buf_free(&buf);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	dbt_init(&k, b->v.name, strlen(b->v.name));
	dbt_init(&v, buf.p, buf.len);
	ret = st->db[DBI_VILLAGES]->put(st->db[DBI_VILLAGES], txn, &k, &v, 0);
	if (ret == 0)
		audit_track(st, DBI_VILLAGES, k.data, k.size, v.data, v.size); /* issue 16.5 */
	buf_free(&buf);
	if (ret != 0)
		return store_dberr(st, ret, _("writing the village"), e);
	return audit_appendj(st, txn, b->actor->login, "village.add", b->v.name,
	    json_pack("{s:s,s:s}", "groups", b->v.groups, "aliases", b->v.aliases), e);
}

/* The check both ways of adding a village make before the write. */
static int
village_add_check(const struct user *actor, const struct village *v, struct err *e)
{
	const char *why;

	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	if (v->name[0] == '\0' || strchr(v->name, ',') != NULL || text_check(v->name, sizeof v->name - 1, &why) != 0)
		return err_set(e, E_REFUSED, _("village: the name must not be empty or contain a comma"));
	return 0;
}

int
village_add(struct store *st, const struct user *actor, const struct village *v, struct err *e)
{
	struct vadd_baton b = {.actor = actor, .v = *v};

	if (village_add_check(actor, v, e) != 0)
		return -1;
	return store_txn_run(st, vadd_body, &b, e);
}

int
village_add_txn(struct store *st, store_txn *txn, const struct user *actor, const struct village *v,
    struct err *e)
{
	struct vadd_baton b = {.actor = actor, .v = *v};

	if (village_add_check(actor, v, e) != 0)
		return -1;
	return vadd_body(st, txn, &b, e);
}

int
village_resolve(struct store *st, store_txn *txn, const char *typed, struct village *out, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;

	if (typed == NULL || *typed == '\0')
		return err_set(e, E_REFUSED, _("village: must not be empty"));
	dbt_init(&k, typed, strlen(typed));
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_MALLOC;
	ret = st->db[DBI_VILLAGES]->get(st->db[DBI_VILLAGES], txn, &k, &v, 0);
	if (ret == 0) {
		ret = village_decode(v.data, v.size, out);
		free(v.data);
		return ret == 0 ? 0 : err_set(e, E_STORAGE, _("the record of village %s is damaged"), typed);
	}
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the villages"), e);
	/* aliases: the list is short (tens of villages) */
	if ((ret = st->db[DBI_VILLAGES]->cursor(st->db[DBI_VILLAGES], txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the villages"), e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		if (village_decode(v.data, v.size, out) == 0 && in_list(out->aliases, typed)) {
			c->close(c);
			return 0;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the villages"), e);
	return err_set(e, E_REFUSED, _("village: %s is not one of the township's villages (dibao village list; an admin adds one with dibao village add)"), typed);
}

int
village_list(struct store *st, village_fn fn, void *baton, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = st->db[DBI_VILLAGES]->cursor(st->db[DBI_VILLAGES], NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the villages"), e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		struct village vl;
		if (village_decode(v.data, v.size, &vl) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a village record is damaged"));
		}
		if (fn(&vl, baton) != 0)
			break;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the villages"), e);
	return 0;
}

bool
village_has_group(const struct village *v, const char *group)
{
	return v->groups[0] == '\0' || in_list(v->groups, group);
}
