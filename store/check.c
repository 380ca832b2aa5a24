/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c — `dibao check`: every database file verified by Berkeley DB,
 * every secondary index compared with its primary in both directions (one
 * walk of each and a sort, no primary read per entry), the audit chain
 * walked — all three on a consistent snapshot (check-snapshot.c) — and
 * every attachment re-hashed.  Each problem is reported; the count is
 * returned.
 */
#include "config.h"

#include <errno.h>
#include <sodium.h>
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

/* The index entries the primary records call for, packed one after the
 * other as (secondary key length, primary key length, secondary key,
 * primary key), and sorted in the order Berkeley DB keeps them (its
 * default comparison: bytes, then length, for keys and for sorted
 * duplicates), so the secondary is compared in one cursor walk without
 * reading a primary record per entry. */
struct want {
	unsigned char *arena;
	size_t len, cap;
	size_t *off;
	size_t n, ncap;
};

static int
want_add(struct want *w, const DBT *sk, const DBT *pk)
{
	size_t need = 8 + (size_t)sk->size + pk->size;
	if (w->len + need > w->cap) {
		size_t cap = w->cap ? w->cap : 65536;
		while (w->len + need > cap)
			cap *= 2;
		unsigned char *a = realloc(w->arena, cap);
		if (a == NULL)
			return -1;
		w->arena = a;
		w->cap = cap;
	}
	if (w->n == w->ncap) {
		size_t cap = w->ncap ? 2 * w->ncap : 4096;
		size_t *o = realloc(w->off, cap * sizeof *o);
		if (o == NULL)
			return -1;
		w->off = o;
		w->ncap = cap;
	}
	unsigned char *p = w->arena + w->len;
	uint32_t a = sk->size, b = pk->size;
	memcpy(p, &a, 4);
	memcpy(p + 4, &b, 4);
	memcpy(p + 8, sk->data, sk->size);
	memcpy(p + 8 + sk->size, pk->data, pk->size);
	w->off[w->n++] = w->len;
	w->len += need;
	return 0;
}

static void
want_get(const struct want *w, size_t i, DBT *sk, DBT *pk)
{
	const unsigned char *p = w->arena + w->off[i];
	uint32_t a, b;
	memcpy(&a, p, 4);
	memcpy(&b, p + 4, 4);
	memset(sk, 0, sizeof *sk);
	memset(pk, 0, sizeof *pk);
	sk->data = (void *)(p + 8);
	sk->size = a;
	pk->data = (void *)(p + 8 + a);
	pk->size = b;
}

/* Berkeley DB's default btree comparison (__bam_defcmp) */
static int
bytes_cmp(const DBT *x, const DBT *y)
{
	size_t n = x->size < y->size ? x->size : y->size;
	int r = n ? memcmp(x->data, y->data, n) : 0;
	if (r != 0)
		return r;
	return x->size < y->size ? -1 : x->size > y->size;
}

static int
pair_cmp(const DBT *sk1, const DBT *pk1, const DBT *sk2, const DBT *pk2)
{
	int r = bytes_cmp(sk1, sk2);
	return r != 0 ? r : bytes_cmp(pk1, pk2);
}

static const struct want *sort_w;	/* qsort has no baton */

static int
off_cmp(const void *a, const void *b)
{
	DBT s1, p1, s2, p2;
	const unsigned char *base = sort_w->arena;
	struct want one = {.arena = (unsigned char *)base, .off = (size_t *)a};
	struct want two = {.arena = (unsigned char *)base, .off = (size_t *)b};
	want_get(&one, 0, &s1, &p1);
	want_get(&two, 0, &s2, &p2);
	return pair_cmp(&s1, &p1, &s2, &p2);
}

/* Every key the extractor gives for each primary record must be in the
 * secondary, pointing back; and the secondary must hold no other entry.
 * One walk of the primary, one sort, one walk of the secondary. */
static void
compare_index(struct store *st, int si, struct ctx *c)
{
	const struct db_table *t = &db_tables[si];
	DB *pri = st->db[t->primary], *raw = NULL;
	DBC *pc = NULL, *sc = NULL;
	DBT k, v, sk, pk;
	struct want w;
	DBT bulk = {0};
	size_t expected = 0, found = 0, i = 0;
	int ret;

	memset(&w, 0, sizeof w);
	/* the secondary's file through a handle of its own, not associated:
	 * a cursor on the associated one returns the primary's record */
	if (pri->cursor(pri, NULL, &pc, 0) != 0 || db_create(&raw, st->env, 0) != 0) {
		problem(c, _("%s: cannot be read"), t->file);
		goto out;
	}
	if (raw->set_flags(raw, t->flags) != 0 || raw->open(raw, NULL, t->file, NULL, t->type, DB_RDONLY, 0) != 0 ||
	    raw->cursor(raw, NULL, &sc, 0) != 0) {
		problem(c, _("%s: cannot be read"), t->file);
		goto out;
	}
	/* issue 17: the primary read a page of records at a time (a bulk
	 * get: one page pinned per page, not per record) */
	void *bp = NULL;
	bulk.ulen = 1024 * 1024;
	bulk.flags = DB_DBT_USERMEM;
	if ((bulk.data = malloc(bulk.ulen)) == NULL) {
		problem(c, "%s: %s", t->file, _("out of memory"));
		goto out;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	for (;;) {
		if (bp == NULL) {
			DBT bk;
			memset(&bk, 0, sizeof bk);
			ret = pc->get(pc, &bk, &bulk, DB_MULTIPLE_KEY | DB_NEXT);
			if (ret == DB_BUFFER_SMALL) {
				/* one record larger than the buffer */
				void *nb = realloc(bulk.data, bulk.size + 65536);
				if (nb == NULL) {
					problem(c, "%s: %s", t->file, _("out of memory"));
					goto out;
				}
				bulk.data = nb;
				bulk.ulen = bulk.size + 65536;
				continue;
			}
			if (ret != 0)
				break;
			DB_MULTIPLE_INIT(bp, &bulk);
		}
		void *kd, *vd;
		u_int32_t ks, vs;
		DB_MULTIPLE_KEY_NEXT(bp, &bulk, kd, ks, vd, vs);
		if (bp == NULL)
			continue;
		k.data = kd;
		k.size = ks;
		v.data = vd;
		v.size = vs;
		DBT res;
		memset(&res, 0, sizeof res);
		int r = t->extract(st->db[si], &k, &v, &res);
		if (r == DB_DONOTINDEX)
			continue;
		if (r != 0) {
			problem(c, _("%s: record %.*s cannot be indexed"), t->file, (int)k.size, (char *)k.data);
			continue;
		}
		DBT *keys = (res.flags & DB_DBT_MULTIPLE) ? res.data : &res;
		u_int32_t nk = (res.flags & DB_DBT_MULTIPLE) ? res.size : 1;
		for (u_int32_t j = 0; j < nk; j++)
			if (want_add(&w, &keys[j], &k) != 0) {
				problem(c, "%s: %s", t->file, _("out of memory"));
				if (res.flags & DB_DBT_APPMALLOC)
					free(res.data);
				goto out;
			}
		if (res.flags & DB_DBT_APPMALLOC)
			free(res.data);
	}
	free(bulk.data);
	bulk.data = NULL;
	if (ret != DB_NOTFOUND)
		problem(c, "%s: %s", db_tables[t->primary].file, db_strerror(ret));
	sort_w = &w;
	if (w.n > 1)
		qsort(w.off, w.n, sizeof *w.off, off_cmp);
	/* duplicate keys from one record are stored once */
	if (w.n > 1) {
		size_t u = 1;
		for (size_t j = 1; j < w.n; j++) {
			DBT s1, p1, s2, p2;
			want_get(&w, u - 1, &s1, &p1);
			want_get(&w, j, &s2, &p2);
			if (pair_cmp(&s1, &p1, &s2, &p2) != 0)
				w.off[u++] = w.off[j];
		}
		w.n = u;
	}
	expected = w.n;

	/* the secondary's entries in its own order (key, primary key): a get,
	 * not a pget, so no primary record is read */
	memset(&sk, 0, sizeof sk);
	memset(&pk, 0, sizeof pk);
	ret = sc->get(sc, &sk, &pk, DB_FIRST);
	for (;;) {
		DBT es = {0}, ep = {0};
		bool have_found = ret == 0, have_want = i < w.n;
		if (!have_found && !have_want)
			break;
		int r;
		if (have_want)
			want_get(&w, i, &es, &ep);
		if (!have_found)
			r = -1;
		else if (!have_want)
			r = 1;
		else
			r = pair_cmp(&es, &ep, &sk, &pk);
		if (r < 0) {
			problem(c, _("%s: entry \"%.*s\" of %.*s is missing (run dibao check after restore, or rebuild)"),
			    t->file, (int)es.size, (char *)es.data, (int)ep.size, (char *)ep.data);
			i++;
			continue;
		}
		if (r > 0)
			problem(c, _("%s: entry \"%.*s\" points to %.*s, whose record gives no such entry"), t->file,
			    (int)sk.size, (char *)sk.data, (int)pk.size, (char *)pk.data);
		else
			i++;
		found++;
		ret = sc->get(sc, &sk, &pk, DB_NEXT);
	}
	if (ret != 0 && ret != DB_NOTFOUND)
		problem(c, _("%s: an entry points to no record (%s)"), t->file, db_strerror(ret));
	if (found != expected)
		problem(c, _("%s: %zu entries, but the records need %zu"), t->file, found, expected);
out:
	free(bulk.data);
	free(w.arena);
	free(w.off);
	if (sc)
		sc->close(sc);
	if (raw)
		raw->close(raw, 0);
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
		if (st->enc) {
			/* encrypted (i14): the scan's own bytes must hash to its name */
			unsigned char *data;
			size_t len;
			if (attach_read(st, hexs, &data, &len) != 0) {
				if (errno == EBADMSG)
					problem(c, _("attachment %s: the file was altered (it no longer decrypts)"), hexs);
				else
					problem(c, _("attachment %s: %s"), hexs, strerror(errno));
				continue;
			}
			crypto_hash_sha256(h, data, len);
			free(data);
		} else if (attach_hash_file(path, h, &size) != 0) {
			problem(c, _("attachment %s: %s"), hexs, strerror(errno));
			continue;
		}
		hex32(h, got);
		if (strcmp(got, hexs) != 0)
			problem(c, _("attachment %s: the file was altered (its SHA-256 is now %s)"), hexs, got);
	}
	if ((ret = store_cursor_close(cur, ret)) != DB_NOTFOUND)
		problem(c, _("%s: cannot be read"), db_tables[DBI_ATTACH].file);
}

int
store_check(struct store *st, problem_fn fn, void *baton, struct err *e)
{
	struct ctx c = {fn, baton, 0};
	uint64_t n;
	unsigned char head[32];
	struct err ae;

	/* the databases, indexes and chain of a consistent snapshot, never
	 * files in use (check-snapshot.c); the attachments where they are */
	struct store *snap;
	char sdir[PATH_MAX];
	if (store_snapshot_open(st, &snap, sdir, &ae) != 0) {
		problem(&c, "%s", ae.msg);
	} else {
		verify_files(snap, &c);
		for (int i = 0; i < DBI__N; i++)
			if (db_tables[i].primary >= 0)
				compare_index(snap, i, &c);
		if (audit_verify(snap, &n, head, &ae) != 0)
			problem(&c, "%s", ae.msg);
		store_snapshot_close(snap, sdir);
	}
	check_attachments(st, &c);
	c.problems += crypt_check(st, fn, baton); /* the key file (i14) */
	return c.problems;
}
