/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * audit-state.c — the audit chain covers state (issue 16, point 5): the
 * check.  Every record a transaction writes or deletes is noted by the put
 * helpers (audit_track, audit-track.c) with the SHA-256 of the bytes
 * stored; the transaction's audit entry carries the notes (a "state" field
 * per record, audit entry format version 2, docs/FORMAT.md), and writes
 * made after its last entry are added to it just before the commit
 * (audit_state_seal in audit.c, from store_txn_run).
 *
 * `check` walks the chain, keeps each record's latest state, and compares
 * it with the record's current bytes: a record edited, added or removed
 * with the database files alone (db_load, a hex editor) is named.
 */
#include "config.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/check.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"

/* ---- check: current bytes against the latest state ----------------------- */

/* Each record's latest state, in a hash table by (table, key): the chain
 * is walked in sequence, so a later state replaces an earlier one, and
 * memory follows the number of records, not of writes.  32 bytes a record
 * (issue 17: 64 bytes and a key allocated apart took 18 MB at 100,000
 * households, over the 48 MB of a command): the key as a 64-bit SipHash of
 * table and key (a collision among a township's 10^6 records has odds of
 * 10^-7), the first 112 bits of the record's SHA-256.  The keys of records
 * gone, to name them, are found by a second walk of the chain, only when
 * there are any. */
#define SEEN_HASH 14
struct seen {
	uint64_t seq;           /* the entry */
	uint64_t kfp;           /* key_fp(dbi, key) */
	unsigned char hash[SEEN_HASH];
	uint8_t dbi;
	bool del;
};

struct audit_state {
	struct store *st;
	struct seen *v;
	size_t n, cap;
	unsigned char *found;   /* a bit per entry: the record is there now */
	bool naming;            /* the second walk: the records gone named */
	uint32_t *slot;         /* index + 1 into v, 0 empty; nslot a power of 2 */
	size_t nslot;
	bool oom;
	bool all_v2;            /* every entry of the chain carries state */
	bool any;
	bool off;               /* the chain could not be read: nothing checked */
	problem_fn fn;
	void *baton;
	int problems;
};

static int
dbi_of(const char *file)
{
	for (int i = 0; i < DBI__N; i++)
		if (strcmp(db_tables[i].file, file) == 0)
			return i;
	return -1;
}

static uint64_t
key_fp(int dbi, const unsigned char *k, size_t n)
{
	static const unsigned char sipkey[crypto_shorthash_KEYBYTES];   /* zero */
	unsigned char in[256], out[crypto_shorthash_BYTES];
	uint64_t fp;
	if (n + 1 <= sizeof in) {
		in[0] = (unsigned char)dbi;
		memcpy(in + 1, k, n);
		crypto_shorthash(out, in, n + 1, sipkey);
	} else {
		/* a long key: its SHA-256 stands for it */
		unsigned char h[1 + crypto_hash_sha256_BYTES];
		h[0] = (unsigned char)dbi;
		crypto_hash_sha256(h + 1, k, n);
		crypto_shorthash(out, h, sizeof h, sipkey);
	}
	memcpy(&fp, out, sizeof fp);
	return fp;
}

/* the slot of (dbi, key fp): its entry's, or the empty one it would take */
static size_t
seen_slot(const struct audit_state *c, int dbi, uint64_t fp)
{
	size_t m = c->nslot - 1, i = (size_t)fp & m;
	for (;; i = (i + 1) & m) {
		uint32_t s = c->slot[i];
		if (s == 0)
			return i;
		const struct seen *w = &c->v[s - 1];
		if (w->dbi == dbi && w->kfp == fp)
			return i;
	}
}

static int
seen_grow(struct audit_state *c)
{
	size_t nslot = c->nslot ? 2 * c->nslot : 1024;
	uint32_t *slot = calloc(nslot, sizeof *slot);
	if (slot == NULL)
		return -1;
	free(c->slot);
	c->slot = slot;
	c->nslot = nslot;
	for (size_t i = 0; i < c->n; i++)
		c->slot[seen_slot(c, c->v[i].dbi, c->v[i].kfp)] = (uint32_t)(i + 1);
	return 0;
}

static struct seen *
seen_find(const struct audit_state *c, int dbi, uint64_t fp)
{
	if (c->nslot == 0)
		return NULL;
	uint32_t s = c->slot[seen_slot(c, dbi, fp)];
	return s ? &c->v[s - 1] : NULL;
}

/* the state of (dbi, key) at entry seq: replaces the record's earlier one */
static int
seen_put(struct audit_state *c, int dbi, uint64_t fp, uint64_t seq, const unsigned char *hash, bool del)
{
	struct seen *w = seen_find(c, dbi, fp);
	if (w == NULL) {
		if ((c->n + 1) * 2 > c->nslot && seen_grow(c) != 0)
			return -1;
		/* at most INT_MAX entries: their uint32_t indices always fit */
		struct seen *v = array_grow(c->v, &c->cap, c->n + 1, sizeof *v);
		if (v == NULL || dbi < 0 || dbi > UINT8_MAX)
			return -1;
		c->v = v;
		w = &c->v[c->n];
		memset(w, 0, sizeof *w);
		w->kfp = fp;
		w->dbi = (uint8_t)dbi;
		c->slot[seen_slot(c, dbi, fp)] = (uint32_t)(c->n + 1);
		c->n++;
	}
	w->seq = seq;
	w->del = del;
	if (hash)
		memcpy(w->hash, hash, SEEN_HASH);
	return 0;
}

static void sproblem(struct audit_state *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The second walk: a state that is a gone record's latest names it. */
static void
seen_name(struct audit_state *c, int dbi, const unsigned char *key, size_t klen, uint64_t seq)
{
	struct seen *w = seen_find(c, dbi, key_fp(dbi, key, klen));
	size_t i = w ? (size_t)(w - c->v) : 0;
	char kt[160];

	if (w == NULL || w->seq != seq || w->del || (c->found[i / 8] >> (i % 8) & 1))
		return;
	c->found[i / 8] |= (unsigned char)(1u << (i % 8));
	store_key_text(key, klen, kt, sizeof kt);
	sproblem(c, _("%s: record %s: written by audit entry %llu, it is gone (it was removed outside dibao)"),
	    db_tables[dbi].file, kt, (unsigned long long)seq);
}

static int
state_one(const void *p, size_t len, void *baton)
{
	struct audit_state *c = baton;
	struct rec_reader r, s;
	int n;
	uint64_t seq = 0;

	if (rec_open(&r, p, len, RT_AUDIT, AUDIT_REC_VERSION) != 0)
		return 0; /* audit_verify names a damaged entry */
	if (!c->any)
		c->all_v2 = r.version >= 2;
	c->any = true;
	while ((n = rec_next(&r)) == 1) {
		if (r.tag == AT_SEQ)
			seq = (uint64_t)rec_get_int(&r);
		if (r.tag != AT_STATE)
			continue;
		char file[64] = "";
		const unsigned char *key = NULL, *hash = NULL;
		size_t klen = 0;
		bool del = false;
		rec_open_nested(&s, r.val, r.vlen);
		while (rec_next(&s) == 1) {
			switch (s.tag) {
			case ST_FILE: if (rec_get_str(&s, file, sizeof file) != 0) file[0] = '\0'; break;
			case ST_KEY: key = s.val; klen = s.vlen; break;
			case ST_HASH: if (s.vlen == 32) hash = s.val; break;
			case ST_DELETED: del = rec_get_int(&s) != 0; break;
			default: break;
			}
		}
		int dbi = dbi_of(file);
		if (dbi < 0 || key == NULL || (!del && hash == NULL))
			continue;
		if (c->naming) {
			seen_name(c, dbi, key, klen, seq);
			continue;
		}
		if (seen_put(c, dbi, key_fp(dbi, key, klen), seq, hash, del) != 0) {
			c->oom = true;
			return 1;
		}
	}
	return 0;
}

static void
sproblem(struct audit_state *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	store_problemv(c->fn, c->baton, &c->problems, fmt, ap);
	va_end(ap);
}

static int
state_walk_audit(struct store *st, struct audit_state *c)
{
	DBC *cur;
	DBT k, v;
	int ret, stop = 0;

	if ((ret = st->db[DBI_AUDIT]->cursor(st->db[DBI_AUDIT], NULL, &cur, 0)) != 0)
		return -1;
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (!stop && (ret = cur->get(cur, &k, &v, DB_NEXT)) == 0)
		stop = state_one(v.data, v.size, c);
	ret = store_cursor_close(cur, ret);
	return stop || (ret != 0 && ret != DB_NOTFOUND) ? -1 : 0;
}

/* The chain's latest state of every record: check.c hands over the
 * chain's entries in sequence as it walks audit.db for its index, then
 * each record of the tracked tables in the walk that compares their
 * indexes (dossiers.db and audit.db are read once for both). */
struct audit_state *
audit_state_new(struct store *st, problem_fn fn, void *baton)
{
	struct audit_state *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->st = st;
	c->fn = fn;
	c->baton = baton;
	return c;
}

void
audit_state_feed(struct audit_state *c, const void *p, size_t len)
{
	if (c != NULL && !c->oom)
		(void)state_one(p, len, c);
}

void
audit_state_loaded(struct audit_state *c, bool walked)
{
	if (c == NULL)
		return;
	if (!walked || c->oom) {
		sproblem(c, "%s", c->oom ? _("out of memory") : _("the audit chain cannot be read: the records' state is not checked"));
		c->off = true;
	} else if ((c->found = calloc(c->n / 8 + 1, 1)) == NULL) {
		sproblem(c, "%s", _("out of memory"));
		c->off = true;
	}
}

/* One record of table dbi, as it is now, against its latest state. */
void
audit_state_record(struct audit_state *c, int dbi, const void *key, size_t klen, const void *val, size_t vlen)
{
	char kt[160];

	if (c == NULL || c->off || !audit_tracked(dbi))
		return;
	struct seen *last = seen_find(c, dbi, key_fp(dbi, key, klen));
	if (last == NULL && !c->all_v2)
		return; /* written before the chain carried state */
	store_key_text(key, klen, kt, sizeof kt);
	if (last == NULL) {
		sproblem(c, _("%s: record %s: no hash in the audit chain (it was written outside dibao)"),
		    db_tables[dbi].file, kt);
		return;
	}
	size_t i = (size_t)(last - c->v);
	c->found[i / 8] |= (unsigned char)(1u << (i % 8));
	unsigned char h[32];
	crypto_hash_sha256(h, val, vlen);
	if (last->del)
		sproblem(c, _("%s: record %s: audit entry %llu deleted it, yet it is there (it was put back outside dibao)"),
		    db_tables[dbi].file, kt, (unsigned long long)last->seq);
	else if (memcmp(h, last->hash, SEEN_HASH) != 0)
		sproblem(c, _("%s: record %s: its bytes do not match audit entry %llu (it was changed outside dibao)"),
		    db_tables[dbi].file, kt, (unsigned long long)last->seq);
}

/* After every tracked table was walked: the records the chain says are
 * there and are not; the problems found, and c freed. */
int
audit_state_done(struct audit_state *c)
{
	int problems;
	bool gone = false;

	if (c == NULL)
		return 0;
	for (size_t i = 0; !c->off && i < c->n && !gone; i++)
		gone = !(c->found[i / 8] >> (i % 8) & 1) && !c->v[i].del;
	if (gone) {
		/* named from the chain, where their keys are */
		c->naming = true;
		if (state_walk_audit(c->st, c) != 0)
			sproblem(c, "%s", _("the audit chain cannot be read: the records' state is not checked"));
	}
	free(c->found);
	free(c->v);
	free(c->slot);
	problems = c->problems;
	free(c);
	return problems;
}
