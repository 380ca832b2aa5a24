/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c — `dibao check`: every database file verified by Berkeley DB,
 * every secondary index compared with its primary in both directions, the
 * audit chain walked, and every attachment re-hashed.  Each problem is
 * reported; the count is returned.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

struct ctx {
	problem_fn fn;
	void *baton;
	int problems;
};

static void
problem(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
problem(struct ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->problems++;
	c->fn(msg, c->baton);
}

static void
verify_files(struct store *st, struct ctx *c)
{
	for (int i = 0; i < DBI__N; i++) {
		DB *h;
		int ret;
		if ((ret = db_create(&h, st->env, 0)) != 0) {
			problem(c, "%s: %s", db_tables[i].file, db_strerror(ret));
			continue;
		}
		st->bdb_msg[0] = '\0';
		/* DB->verify always destroys the handle */
		if ((ret = h->verify(h, db_tables[i].file, NULL, NULL, 0)) != 0)
			problem(c, _("%s: damaged (%s%s%s)"), db_tables[i].file, db_strerror(ret),
			    st->bdb_msg[0] ? ": " : "", st->bdb_msg);
	}
}

/* Every key the extractor gives for each primary record must be in the
 * secondary, pointing back; and the secondary must hold no other entry. */
static void
compare_index(struct store *st, int si, struct ctx *c)
{
	const struct db_table *t = &db_tables[si];
	DB *pri = st->db[t->primary], *sec = st->db[si];
	DBC *pc = NULL, *sc = NULL;
	DBT k, v, sk, pk, sv;
	size_t expected = 0, found = 0;
	int ret;

	if (pri->cursor(pri, NULL, &pc, 0) != 0 || sec->cursor(sec, NULL, &sc, 0) != 0) {
		problem(c, _("%s: cannot be read"), t->file);
		goto out;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = pc->get(pc, &k, &v, DB_NEXT)) == 0) {
		DBT res;
		memset(&res, 0, sizeof res);
		int r = t->extract(sec, &k, &v, &res);
		if (r == DB_DONOTINDEX)
			continue;
		if (r != 0) {
			problem(c, _("%s: record %.*s cannot be indexed"), t->file, (int)k.size, (char *)k.data);
			continue;
		}
		DBT *keys = (res.flags & DB_DBT_MULTIPLE) ? res.data : &res;
		u_int32_t nk = (res.flags & DB_DBT_MULTIPLE) ? res.size : 1;
		for (u_int32_t i = 0; i < nk; i++) {
			/* duplicate keys from one record are stored once */
			bool dup = false;
			for (u_int32_t j = 0; j < i; j++)
				if (keys[j].size == keys[i].size && memcmp(keys[j].data, keys[i].data, keys[i].size) == 0)
					dup = true;
			if (dup)
				continue;
			expected++;
			dbt_init(&sk, keys[i].data, keys[i].size);
			dbt_init(&pk, k.data, k.size);
			memset(&sv, 0, sizeof sv);
			if (sc->pget(sc, &sk, &pk, &sv, DB_GET_BOTH) != 0)
				problem(c, _("%s: entry \"%.*s\" of %.*s is missing (run dibao check after restore, or rebuild)"),
				    t->file, (int)keys[i].size, (char *)keys[i].data, (int)k.size, (char *)k.data);
		}
		if (res.flags & DB_DBT_APPMALLOC)
			free(res.data);
	}
	if (ret != DB_NOTFOUND)
		problem(c, "%s: %s", db_tables[t->primary].file, db_strerror(ret));
	memset(&sk, 0, sizeof sk);
	memset(&pk, 0, sizeof pk);
	memset(&sv, 0, sizeof sv);
	/* the cursor was left positioned by the lookups above: start over */
	for (ret = sc->pget(sc, &sk, &pk, &sv, DB_FIRST); ret == 0; ret = sc->pget(sc, &sk, &pk, &sv, DB_NEXT))
		found++;
	if (ret != DB_NOTFOUND)
		problem(c, _("%s: an entry points to no record (%s)"), t->file, db_strerror(ret));
	if (found != expected)
		problem(c, _("%s: %zu entries, but the records need %zu"), t->file, found, expected);
out:
	if (sc)
		sc->close(sc);
	if (pc)
		pc->close(pc);
}

static void
check_attachments(struct store *st, struct ctx *c)
{
	DBC *cur;
	DBT k, v;
	int ret;

	if (st->db[DBI_ATTACH]->cursor(st->db[DBI_ATTACH], NULL, &cur, 0) != 0) {
		problem(c, _("%s: cannot be read"), db_tables[DBI_ATTACH].file);
		return;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		char hexs[65], path[PATH_MAX], got[65];
		unsigned char h[32];
		off_t size;
		if (k.size != 64) {
			problem(c, _("attachments: a bad key"));
			continue;
		}
		memcpy(hexs, k.data, 64);
		hexs[64] = '\0';
		if (attach_path(st, hexs, path, sizeof path) != 0)
			continue;
		if (attach_hash_file(path, h, &size) != 0) {
			problem(c, _("attachment %s: %s"), hexs, strerror(errno));
			continue;
		}
		hex32(h, got);
		if (strcmp(got, hexs) != 0)
			problem(c, _("attachment %s: the file was altered (its SHA-256 is now %s)"), hexs, got);
	}
	cur->close(cur);
}

int
store_check(struct store *st, problem_fn fn, void *baton, struct err *e)
{
	struct ctx c = {fn, baton, 0};
	uint64_t n;
	unsigned char head[32];
	struct err ae;

	verify_files(st, &c);
	for (int i = 0; i < DBI__N; i++)
		if (db_tables[i].primary >= 0)
			compare_index(st, i, &c);
	if (audit_verify(st, &n, head, &ae) != 0)
		problem(&c, "%s", ae.msg);
	check_attachments(st, &c);
	return c.problems;
}
