/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c — `dibao check`: every database file verified by Berkeley DB
 * (in a thread beside the rest: check-verify.c),
 * every secondary index compared with its primary in both directions (one
 * walk of each primary for all its indexes and a fingerprint of each side;
 * entry by entry only where they differ), the audit chain
 * walked — all three on a consistent snapshot (check-snapshot.c) — and
 * every attachment re-hashed.  Each problem is reported; the count is
 * returned.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/attach.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/bulk-index.h"
#include "store/check.h"
#include "store/check-int.h"
#include "store/crypt-int.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "core/array.h"

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
	va_list ap;
	va_start(ap, fmt);
	store_problemv(c->fn, c->baton, &c->problems, fmt, ap);
	va_end(ap);
}

/* A line that sums up problems already counted: shown, not counted. */
static void
note(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	int uncounted = 0;
	va_start(ap, fmt);
	store_problemv(c->fn, c->baton, &uncounted, fmt, ap);
	va_end(ap);
}

/* Entries of one index that differ from the records, shown one by one;
 * the rest are counted and summed up in a line.  One damaged page of
 * dossiers.db made 439 lines, most of them the same few records' entries
 * in each index. */
#define DIFFER_SHOWN 20

/* What the walk finds, held while the files are verified beside it and
 * shown after their damage (which explains it); held, not lost, when out
 * of memory: then the count stays right and the lines are said missing. */
struct held {
	char **v;
	size_t n, cap;
	bool lost;
};

static void
hold(const char *msg, void *baton)
{
	struct held *h = baton;
	char *copy = strdup(msg);
	char **v = copy ? array_grow(h->v, &h->cap, h->n + 1, sizeof *v) : NULL;
	if (v == NULL) {
		free(copy);
		h->lost = true;
		return;
	}
	h->v = v;
	h->v[h->n++] = copy;
}

static void
held_show(struct held *h, problem_fn fn, void *baton)
{
	for (size_t i = 0; i < h->n; i++) {
		fn(h->v[i], baton);
		free(h->v[i]);
	}
	if (h->lost)
		fn(_("out of memory: some problems found are not shown (they are counted)"), baton);
	free(h->v);
}

/* The index entries the primary records call for, packed one after the
 * other as (secondary key length, ordinal, secondary key), the ordinal
 * being the primary record's place in the one walk of the primary (its
 * keys are kept once, in that order, in a list of their own: the walk
 * gives them in Berkeley DB's default order, so ordinals sort as the keys
 * do).  Sorted in the order Berkeley DB keeps the secondary (its default
 * comparison: bytes, then length, for keys and for sorted duplicates), so
 * each secondary is compared in one cursor walk without reading a primary
 * record per entry, and the primary is walked once for all its indexes
 * (issue 17: dossiers.db was walked once per index, five times). */
struct want {
	unsigned char *arena;
	size_t len, cap;
	size_t *off;
	size_t n, ncap;
};

static int
want_add(struct want *w, const DBT *sk, uint32_t ord)
{
	size_t need = 8 + (size_t)sk->size;
	unsigned char *arena = array_grow(w->arena, &w->cap, w->len + need, 1);
	if (arena == NULL)
		return -1;
	w->arena = arena;
	size_t *o = array_grow(w->off, &w->ncap, w->n + 1, sizeof *o);
	if (o == NULL)
		return -1;
	w->off = o;
	unsigned char *p = w->arena + w->len;
	uint32_t a = sk->size;
	memcpy(p, &a, 4);
	memcpy(p + 4, &ord, 4);
	memcpy(p + 8, sk->data, sk->size);
	w->off[w->n++] = w->len;
	w->len += need;
	return 0;
}

static void
want_at(const unsigned char *p, DBT *sk, uint32_t *ord)
{
	uint32_t a;
	memcpy(&a, p, 4);
	memcpy(ord, p + 4, 4);
	memset(sk, 0, sizeof *sk);
	sk->data = (void *)(p + 8);
	sk->size = a;
}

static void
want_get(const struct want *w, size_t i, DBT *sk, uint32_t *ord)
{
	want_at(w->arena + w->off[i], sk, ord);
}

static void
want_free(struct want *w)
{
	free(w->arena);
	free(w->off);
	memset(w, 0, sizeof *w);
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

static const unsigned char *sort_base;	/* qsort has no baton */

static int
off_cmp(const void *a, const void *b)
{
	DBT s1, s2;
	uint32_t o1, o2;
	want_at(sort_base + *(const size_t *)a, &s1, &o1);
	want_at(sort_base + *(const size_t *)b, &s2, &o2);
	int r = bytes_cmp(&s1, &s2);
	return r != 0 ? r : (o1 > o2) - (o1 < o2);
}

/* Every key the extractor gave (w) must be in the secondary si, pointing
 * back; and the secondary must hold no other entry.  One sort, one walk
 * of the secondary's own file. */
static void
compare_one(struct store *st, int si, struct want *w, const struct want *keys, struct ctx *c)
{
	const struct db_table *t = &db_tables[si];
	DB *raw = NULL;
	DBC *sc = NULL;
	DBT sk, pk;
	size_t expected = 0, found = 0, i = 0, differ = 0;
	int ret;

	/* the secondary's file through a handle of its own, not associated:
	 * a cursor on the associated one returns the primary's record */
	struct err oe;
	if (store_table_plain(st, si, DB_RDONLY, &raw, &oe) != 0 || raw->cursor(raw, NULL, &sc, 0) != 0) {
		problem(c, _("%s: cannot be read"), t->file);
		goto out;
	}
	sort_base = w->arena;
	if (w->n > 1)
		qsort(w->off, w->n, sizeof *w->off, off_cmp);
	/* duplicate keys from one record are stored once */
	if (w->n > 1) {
		size_t u = 1;
		for (size_t j = 1; j < w->n; j++) {
			DBT s1, s2;
			uint32_t o1, o2;
			want_get(w, u - 1, &s1, &o1);
			want_get(w, j, &s2, &o2);
			if (o1 != o2 || bytes_cmp(&s1, &s2) != 0)
				w->off[u++] = w->off[j];
		}
		w->n = u;
	}
	expected = w->n;

	/* the secondary's entries in its own order (key, primary key): a get,
	 * not a pget, so no primary record is read */
	memset(&sk, 0, sizeof sk);
	memset(&pk, 0, sizeof pk);
	ret = sc->get(sc, &sk, &pk, DB_FIRST);
	for (;;) {
		DBT es = {0}, ep = {0};
		uint32_t ord, unused;
		bool have_found = ret == 0, have_want = i < w->n;
		if (!have_found && !have_want)
			break;
		int r;
		if (have_want) {
			want_get(w, i, &es, &ord);
			want_get(keys, ord, &ep, &unused);
		}
		if (!have_found)
			r = -1;
		else if (!have_want)
			r = 1;
		else
			r = pair_cmp(&es, &ep, &sk, &pk);
		if (r != 0 && ++differ > DIFFER_SHOWN) {
			c->problems++;  /* counted, not shown (summed up below) */
		} else if (r != 0) {
			char ks[160], ps[160];
			store_key_text(r < 0 ? es.data : sk.data, r < 0 ? es.size : sk.size, ks, sizeof ks);
			store_key_text(r < 0 ? ep.data : pk.data, r < 0 ? ep.size : pk.size, ps, sizeof ps);
			if (r < 0)
				problem(c, _("%s: entry \"%s\" of %s is missing (run dibao check after restore, or rebuild)"),
				    t->file, ks, ps);
			else
				problem(c, _("%s: entry \"%s\" points to %s, whose record gives no such entry"), t->file, ks, ps);
		}
		if (r < 0) {
			i++;
			continue;
		}
		if (r == 0)
			i++;
		found++;
		ret = sc->get(sc, &sk, &pk, DB_NEXT);
	}
	if (differ > DIFFER_SHOWN)
		note(c, _("%s: %zu more entries differ from the records (not listed one by one)"), t->file,
		    differ - DIFFER_SHOWN);
	if (ret != 0 && ret != DB_NOTFOUND)
		problem(c, _("%s: an entry points to no record (%s)"), t->file, db_strerror(ret));
	if (found != expected)
		problem(c, _("%s: %zu entries, but the records need %zu"), t->file, found, expected);
out:
	if (sc)
		sc->close(sc);
	if (raw)
		raw->close(raw, 0);
}

/* A walk of a database a page of records at a time (a bulk get: one page
 * pinned per page, not per record): fn on each record with its ordinal;
 * fn's non-zero ends the walk with it.  0, or Berkeley DB's error. */
static int
walk_bulk(DB *db, int (*fn)(const DBT *k, const DBT *v, uint32_t ord, void *baton), void *baton)
{
	DBC *cur = NULL;
	DBT bulk = {0}, k, v;
	void *bp = NULL;
	uint32_t ord = 0;
	int ret;

	if ((ret = db->cursor(db, NULL, &cur, 0)) != 0)
		return ret;
	bulk.ulen = 1024 * 1024;
	bulk.flags = DB_DBT_USERMEM;
	if ((bulk.data = malloc(bulk.ulen)) == NULL) {
		cur->close(cur);
		return ENOMEM;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	for (;;) {
		if (bp == NULL) {
			DBT bk;
			memset(&bk, 0, sizeof bk);
			ret = cur->get(cur, &bk, &bulk, DB_MULTIPLE_KEY | DB_NEXT);
			if (ret == DB_BUFFER_SMALL) {
				/* one record larger than the buffer */
				void *nb = realloc(bulk.data, bulk.size + 65536);
				if (nb == NULL) {
					ret = ENOMEM;
					break;
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
		if (ord == UINT32_MAX) {
			ret = ENOMEM;
			break;
		}
		if ((ret = fn(&k, &v, ord++, baton)) != 0)
			break;
	}
	free(bulk.data);
	cur->close(cur);
	return ret == DB_NOTFOUND ? 0 : ret;
}

/* The index keys the extractor of si gives for one primary record, in
 * *keys (n of them) with res to free by idx_keys_done; a record that
 * cannot be indexed is a problem, with none. */
static void
extract_keys(struct store *st, int si, const DBT *k, const DBT *v, DBT *res, DBT **keys, u_int32_t *n,
    struct ctx *c)
{
	if (idx_keys(st, si, k, v, res, keys, n) != 0) {
		char ks[160];
		store_key_text(k->data, k->size, ks, sizeof ks);
		problem(c, _("%s: record %s cannot be indexed"), db_tables[si].file, ks);
		*n = 0;
	}
}

/* ---- the fast comparison: a fingerprint of each side -------------------
 * The sum (two 64-bit lanes) of a 128-bit BLAKE2b of every (key, primary
 * key) pair, and their count: the entries the records call for against
 * the entries the secondary holds, in memory that does not grow with the
 * township.  Only an index whose fingerprints differ is compared entry by
 * entry (below), to name what is wrong. */
struct fp {
	uint64_t a, b, n;
};

static void
fp_add(struct fp *f, const DBT *sk, const DBT *pk)
{
	crypto_generichash_state hs;
	unsigned char h[16];
	uint32_t len = sk->size;
	uint64_t x, y;

	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	crypto_generichash_update(&hs, (const unsigned char *)&len, sizeof len);
	crypto_generichash_update(&hs, sk->data, sk->size);
	crypto_generichash_update(&hs, pk->data, pk->size);
	crypto_generichash_final(&hs, h, sizeof h);
	memcpy(&x, h, 8);
	memcpy(&y, h + 8, 8);
	f->a += x;
	f->b += y;
	f->n++;
}

struct fpwalk {
	struct store *st;
	struct ctx *c;
	const int *sis;
	int ns;
	struct fp *f;
	int p;
	struct audit_state *as;
	bool chain;             /* p is audit.db: its entries feed as */
	struct audit_chain *links;     /* and are verified, in the same walk */
};

static int
fp_primary_one(const DBT *k, const DBT *v, uint32_t ord, void *baton)
{
	struct fpwalk *w = baton;
	(void)ord;
	/* the record's bytes against the audit chain, in the same walk; the
	 * chain's own entries give the states */
	if (w->chain) {
		audit_state_feed(w->as, v->data, v->size);
		if (w->links != NULL)
			audit_chain_feed(w->links, k->data, k->size, v->data, v->size);
	} else
		audit_state_record(w->as, w->p, k->data, k->size, v->data, v->size);
	for (int j = 0; j < w->ns; j++) {
		DBT res, *keys = NULL;
		u_int32_t n;
		extract_keys(w->st, w->sis[j], k, v, &res, &keys, &n, w->c);
		for (u_int32_t m = 0; m < n; m++) {
			/* a key given twice by one record is stored once */
			u_int32_t q;
			for (q = 0; q < m && bytes_cmp(&keys[q], &keys[m]) != 0; q++)
				;
			if (q == m)
				fp_add(&w->f[j], &keys[m], k);
		}
		idx_keys_done(&res);
	}
	return 0;
}

static int
fp_secondary_one(const DBT *k, const DBT *v, uint32_t ord, void *baton)
{
	(void)ord;
	fp_add(baton, k, v);
	return 0;
}

/* 0 when the secondary si's fingerprint is want's */
static int
fp_secondary_differs(struct store *st, int si, const struct fp *want)
{
	DB *raw = NULL;
	struct fp got = {0, 0, 0};
	struct err oe;

	/* the secondary's file through a handle of its own, not associated:
	 * a cursor on the associated one returns the primary's record */
	if (store_table_plain(st, si, DB_RDONLY, &raw, &oe) != 0 || walk_bulk(raw, fp_secondary_one, &got) != 0) {
		if (raw)
			raw->close(raw, 0);
		return 1;
	}
	raw->close(raw, 0);
	return got.a != want->a || got.b != want->b || got.n != want->n;
}

/* ---- the exact comparison, naming each entry wrong ---------------------- */

struct exwalk {
	struct store *st;
	struct ctx *c;
	const int *sis;
	int ns;
	struct want *w, *keys;
};

static int
exact_one(const DBT *k, const DBT *v, uint32_t ord, void *baton)
{
	struct exwalk *x = baton;
	if (want_add(x->keys, k, 0) != 0)
		return ENOMEM;
	for (int j = 0; j < x->ns; j++) {
		DBT res, *keys = NULL;
		u_int32_t n;
		int bad = 0;
		extract_keys(x->st, x->sis[j], k, v, &res, &keys, &n, x->c);
		for (u_int32_t m = 0; m < n && !bad; m++)
			bad = want_add(&x->w[j], &keys[m], ord);
		idx_keys_done(&res);
		if (bad)
			return ENOMEM;
	}
	return 0;
}

/* The table p's records against the audit chain (as) and its indexes:
 * one walk of p for all of them (issue 17: dossiers.db was walked once
 * per index, then once more for the chain), the fingerprints compared; an
 * index that differs is compared entry by entry (one more walk of p, a
 * sort, a walk of the index) to name what is missing or extra. */
static int
compare_indexes(struct store *st, int p, struct ctx *c, struct audit_state *as, struct audit_chain *links)
{
	int sis[DBI__N], ns = 0, bad[DBI__N], nbad = 0, ret;
	struct fp f[DBI__N];

	for (int i = 0; i < DBI__N; i++)
		if (db_tables[i].primary == p)
			sis[ns++] = i;
	if (ns == 0 && !audit_tracked(p) && p != DBI_AUDIT)
		return 0;
	memset(f, 0, sizeof f);
	struct fpwalk fw = {st, c, sis, ns, f, p, as, p == DBI_AUDIT, links};
	int problems_before = c->problems;
	if ((ret = walk_bulk(st->db[p], fp_primary_one, &fw)) != 0) {
		problem(c, _("%s: %s"), db_tables[p].file, db_strerror(ret));
		return -1;
	}
	if (c->problems != problems_before)
		return 0;	/* records that cannot be indexed: named already */
	if (ns > 0 && store_bulk_lagging(st, p)) {
		/* the load's households are in, their entries come at its end */
		note(c, _("%s: its indexes are not compared: a load of households is running, and puts their entries in at its end"),
		    db_tables[p].file);
		return 0;
	}
	for (int j = 0; j < ns; j++)
		if (fp_secondary_differs(st, sis[j], &f[j]))
			bad[nbad++] = sis[j];
	if (nbad == 0)
		return 0;

	struct want w[DBI__N], keys;
	memset(w, 0, sizeof w);
	memset(&keys, 0, sizeof keys);
	struct exwalk xw = {st, c, bad, nbad, w, &keys};
	if ((ret = walk_bulk(st->db[p], exact_one, &xw)) != 0) {
		problem(c, _("%s: %s"), db_tables[p].file, ret == ENOMEM ? _("out of memory") : db_strerror(ret));
	} else {
		for (int j = 0; j < nbad; j++) {
			compare_one(st, bad[j], &w[j], &keys, c);
			want_free(&w[j]);
		}
	}
	for (int j = 0; j < nbad; j++)
		want_free(&w[j]);
	want_free(&keys);
	return 0;
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
			/* encrypted (i14): the scan's own bytes must hash to its name;
			 * read in pieces, decrypted as read (issue 17) */
			FILE *f = attach_fopen(st, hexs, NULL);
			crypto_hash_sha256_state hs;
			unsigned char buf[65536];
			size_t n;
			int bad = f == NULL;
			crypto_hash_sha256_init(&hs);
			if (f != NULL) {
				while ((n = fread(buf, 1, sizeof buf, f)) > 0)
					crypto_hash_sha256_update(&hs, buf, n);
				bad = ferror(f);
				int saved = errno;
				fclose(f);
				errno = saved;
			}
			if (bad) {
				if (errno == EBADMSG)
					problem(c, _("attachment %s: the file was altered (it no longer decrypts)"), hexs);
				else
					problem(c, _("attachment %s: %s"), hexs, strerror(errno));
				continue;
			}
			crypto_hash_sha256_final(&hs, h);
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
		/* every file verified in a thread beside the walk below
		 * (check-verify.c), its damage reported after it */
		struct check_verify *v = check_verify_start(snap, sdir);
		if (v == NULL)
			problem(&c, "%s", _("out of memory"));
		struct held held = {0};
		c.fn = hold;
		c.baton = &held;
		/* issue 16.5: each record's bytes against its latest audit
		 * entry, in the walk that compares the indexes */
		struct audit_state *as = audit_state_new(snap, hold, &held);
		if (as == NULL)
			problem(&c, "%s", _("out of memory"));
		/* the chain first: its walk gives the states, and verifies
		 * its links (one walk of audit.db less: issue 17) */
		struct audit_chain links;
		audit_chain_begin(&links);
		bool walked = compare_indexes(snap, DBI_AUDIT, &c, as, &links) == 0;
		audit_state_loaded(as, walked);
		for (int i = 0; i < DBI__N; i++)
			if (i != DBI_AUDIT)
				compare_indexes(snap, i, &c, as, NULL);	/* its indexes, if any */
		if ((walked ? audit_chain_end(snap, &links, &n, head, &ae) : audit_verify(snap, &n, head, &ae)) != 0)
			problem(&c, "%s", ae.msg);
		c.problems += audit_state_done(as);
		c.problems += check_verify_finish(v, fn, baton);
		held_show(&held, fn, baton);
		c.fn = fn;
		c.baton = baton;
		store_snapshot_close(snap, sdir);
	}
	check_attachments(st, &c);
	c.problems += crypt_check(st, fn, baton); /* the key file (i14) */
	return c.problems;
}
