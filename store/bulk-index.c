/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bulk-index.c — the dossiers' indexes of a load built after its records,
 * in key order (issue 17; the why and the rules: bulk-index.h).  An entry
 * is one fixed-size record (the index, its key, the dossier's number) so
 * that spill.c sorts it; zero padding sorts as Berkeley DB's default
 * comparison does (bytes, then the shorter first), keys holding no NUL.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <jansson.h>

#include "core/array.h"
#include "core/sizes.h"
#include "store/audit-int.h"
#include "store/bulk-index.h"
#include "store/check.h"
#include "store/env-int.h"
#include "store/meta.h"
#include "store/scratch.h"
#include "store/spill.h"

#define MARK_KEY "index.deferred"
#define LOCK_FILE "dibao.bulk"
/* an entry: the index (its DBI), the key and the dossier's number, each
 * zero-padded, then their lengths; sorted on all but the lengths */
#define E_KEY 64                 /* char[64] fields: 63 bytes at most */
#define E_PKEY DOSSIER_NO_LEN
#define E_SORTED (1 + E_KEY + E_PKEY)
#define E_SIZE (E_SORTED + 2)
/* entries put by one transaction: sequential, so a few hundred pages */
#define BUILD_CHUNK 20000
/* a transaction's entries kept in memory at most; a bigger one (a roster
 * import in one transaction) spills them as they come */
#define PEND_MAX ((size_t)1 << 20)
/* records completed by one transaction after a crash: their entries go
 * to random places, each page locked until the commit */
#define RECOVER_CHUNK 500

struct bulk {
	int fd;                  /* LOCK_FILE, flock'd */
	DB *primary;             /* dossiers.db without its indexes; NULL after a reopen */
	struct scratch sc;
	struct spill sp;
	unsigned char *pend;     /* the running transaction's entries */
	size_t npend, cappend;
	bool lost;               /* an entry not kept: complete from the records */
	bool unsure;             /* the spill holds entries of a transaction not committed */
	bool committed;          /* a transaction of the load committed */
	/* one transaction (store_bulk_begin_txn): no mark, no lock; its body
	 * puts the entries in before it commits (store_bulk_build_txn) */
	bool intxn;
	DB *idx[DBI__N];         /* then, the indexes' files, opened before it */
};

static int
entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, E_SORTED);
}

/* the indexes of dossiers.db: every one is deferred */
static bool
deferred(int si)
{
	return db_tables[si].primary == DBI_DOSSIERS;
}

/* the entries a record calls for, appended to *out (grown): 0, or the
 * extractor's or ENOMEM or E2BIG (a key longer than an entry holds) */
static int
entries_of(struct store *st, const DBT *k, const DBT *v, unsigned char **out, size_t *n, size_t *cap)
{
	if (k->size > E_PKEY)
		return E2BIG;
	for (int si = 0; si < DBI__N; si++) {
		if (!deferred(si))
			continue;
		DBT res, *keys;
		u_int32_t nk;
		int r = idx_keys(st, si, k, v, &res, &keys, &nk);
		if (r != 0)
			return r;
		for (u_int32_t j = 0; j < nk && r == 0; j++) {
			if (keys[j].size > E_KEY) {
				r = E2BIG;
				break;
			}
			unsigned char *p = array_grow(*out, cap, *n + 1, E_SIZE);
			if (p == NULL) {
				r = ENOMEM;
				break;
			}
			*out = p;
			p += *n * E_SIZE;
			memset(p, 0, E_SIZE);
			p[0] = (unsigned char)si;
			memcpy(p + 1, keys[j].data, keys[j].size);
			memcpy(p + 1 + E_KEY, k->data, k->size);
			p[E_SORTED] = (unsigned char)keys[j].size;
			p[E_SORTED + 1] = (unsigned char)k->size;
			(*n)++;
		}
		idx_keys_done(&res);
		if (r != 0)
			return r;
	}
	return 0;
}

/* ---- while the load runs (env-int.h) ------------------------------------ */

DB *
store_bulk_primary(struct store *st)
{
	return st->bulk != NULL ? st->bulk->primary : NULL;
}

/* the entries waiting in memory into the spill */
static void
pend_flush(struct bulk *b)
{
	struct err e = {0};
	for (size_t i = 0; i < b->npend && !b->lost; i++)
		if (spill_add(&b->sp, b->pend + i * E_SIZE, &e) != 0)
			b->lost = true;
	b->npend = 0;
}

/* the spill empty again */
static void
spill_restart(struct bulk *b)
{
	spill_free(&b->sp);
	spill_init(&b->sp, &b->sc, E_SIZE, entry_cmp);
}

/* A transaction that spilled entries did not commit: with nothing of the
 * load committed the spill starts again; else the entries cannot be told
 * apart, and the end completes from the records. */
static void
unsure_drop(struct bulk *b)
{
	if (!b->unsure)
		return;
	b->unsure = false;
	if (b->committed) {
		b->lost = true;
		return;
	}
	spill_restart(b);
	b->lost = false;
}

void
store_bulk_note(struct store *st, const DBT *k, const DBT *v)
{
	struct bulk *b = st->bulk;
	if (b == NULL || b->lost)
		return;
	if (entries_of(st, k, v, &b->pend, &b->npend, &b->cappend) != 0) {
		b->lost = true;
		return;
	}
	if (b->npend * E_SIZE >= PEND_MAX) {
		b->unsure = true;
		pend_flush(b);
	}
}

void
store_bulk_txn_begin(struct store *st)
{
	struct bulk *b = st->bulk;

	if (b == NULL)
		return;
	b->npend = 0;
	if (b->intxn) {
		/* the one transaction again (a deadlock): from nothing */
		spill_restart(b);
		b->unsure = b->lost = false;
		return;
	}
	unsure_drop(b);
}

void
store_bulk_txn_committed(struct store *st)
{
	struct bulk *b = st->bulk;

	if (b == NULL)
		return;
	if (!b->intxn)
		pend_flush(b);   /* (one transaction: put in by its body) */
	b->npend = 0;
	b->unsure = false;
	b->committed = true;
}

void
store_bulk_handles_close(struct store *st)
{
	/* the environment goes (another process's recovery): the dossiers
	 * written from now on keep their indexes as they go, and the end
	 * completes the indexes from the records (a transaction's entries may
	 * have been lost with its commit's answer) */
	if (st->bulk != NULL && st->bulk->primary != NULL) {
		st->bulk->primary->close(st->bulk->primary, 0);
		st->bulk->primary = NULL;
		st->bulk->lost = true;
	}
}

/* ---- what an open says (env.h) ----------------------------------------- */

static store_notice_fn notice_fn;
static void *notice_baton;

void
store_set_notice_handler(store_notice_fn fn, void *baton)
{
	notice_fn = fn;
	notice_baton = baton;
}

/* ---- the mark and the lock ---------------------------------------------- */

/* the mark set (build_end empties it) */
static int
mark_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	(void)baton;
	if (meta_put(st, txn, MARK_KEY, "dossiers", e) != 0)
		return -1;
	json_t *names = json_array();
	for (int si = 0; si < DBI__N; si++)
		if (deferred(si))
			json_array_append_new(names, json_string(db_tables[si].file));
	return audit_appendj(st, txn, "dibao", "store.index-defer", db_tables[DBI_DOSSIERS].file,
	    json_pack("{s:o}", "indexes", names), e);
}

/* 1 when the mark is set, 0 not, -1 with e */
static int
marked(struct store *st, struct err *e)
{
	char v[64];
	if (meta_get(st, NULL, MARK_KEY, v, sizeof v, e) == 0)
		return v[0] != '\0';
	if (e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	return 0;
}

/* the lock file, locked: its descriptor, -2 when another process holds
 * it, -1 with e */
static int
lock_take(struct store *st, struct err *e)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof path, "%s/%s", st->dir, LOCK_FILE);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return err_set(e, E_STORAGE, "%s: %s", path, strerror(errno));
	/* flock, not fcntl: closing another descriptor of the file in this
	 * process must not drop it; the kernel drops it with the process */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		close(fd);
		if (err == EWOULDBLOCK)
			return -2;
		return err_set(e, E_STORAGE, "%s: %s", path, strerror(err));
	}
	return fd;
}

bool
store_bulk_lagging(struct store *st, int p)
{
	struct err e;
	return p == DBI_DOSSIERS && marked(st, &e) == 1;
}

/* ---- putting entries into the indexes ----------------------------------- */

struct build {
	struct spill *sp;
	DB *idx[DBI__N];         /* the deferred indexes' files, not associated */
	const char *why;
	unsigned long long base; /* entries put by the transactions committed */
	/* what the running transaction did, taken when it commits */
	unsigned long long put;
	bool done;
};

static int
open_indexes(struct store *st, DB *idx[DBI__N], struct err *e)
{
	for (int si = 0; si < DBI__N; si++)
		idx[si] = NULL;
	for (int si = 0; si < DBI__N; si++)
		if (deferred(si) && store_table_plain(st, si, DB_THREAD | DB_AUTO_COMMIT, &idx[si], e) != 0)
			return -1;
	return 0;
}

static void
close_indexes(DB *idx[DBI__N])
{
	for (int si = 0; si < DBI__N; si++)
		if (idx[si] != NULL) {
			idx[si]->close(idx[si], 0);
			idx[si] = NULL;
		}
}

/* one entry into its index; an entry there already is left (a record
 * completed twice, or whose index another process kept) */
static int
entry_put(struct store *st, store_txn *txn, DB *idx[DBI__N], const unsigned char *p, struct err *e)
{
	DBT sk, pk;
	int si = p[0], ret;

	if (si >= DBI__N || idx[si] == NULL)
		return err_set(e, E_STORAGE, "%s", _("a temporary file for sorting: damaged"));
	dbt_init(&sk, p + 1, p[E_SORTED]);
	dbt_init(&pk, p + 1 + E_KEY, p[E_SORTED + 1]);
	ret = idx[si]->put(idx[si], txn, &sk, &pk, DB_NODUPDATA);
	if (ret != 0 && ret != DB_KEYEXIST)
		return store_dberr(st, ret, db_tables[si].file, e);
	return 0;
}

/* at most max entries from the spill's merge into their indexes, *put
 * counting them: 0, or -1 with e */
static int
put_sorted(struct store *st, store_txn *txn, DB *idx[DBI__N], struct spill *sp, unsigned long long max,
    unsigned long long *put, struct err *e)
{
	const unsigned char *p;

	for (unsigned long long i = 0; i < max && (p = spill_peek(sp)) != NULL; i++, ++*put)
		if (entry_put(st, txn, idx, p, e) != 0 || spill_pop(sp, e) != 0)
			return -1;
	return 0;
}

/* the end: the mark removed and the work in the chain, with the last
 * entries */
static int
build_end(struct store *st, store_txn *txn, struct build *b, struct err *e)
{
	b->done = true;
	if (meta_put(st, txn, MARK_KEY, "", e) != 0)
		return -1;
	return audit_appendj(st, txn, "dibao", "store.index-build", "dossiers.db",
	    json_pack("{s:s,s:I}", "why", b->why, "entries", (json_int_t)b->put), e);
}

static int
build_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct build *b = baton;

	/* a retried transaction puts its entries again, from the mark */
	b->done = false;
	b->put = b->base;
	if (spill_rewind(b->sp, e) != 0 || put_sorted(st, txn, b->idx, b->sp, BUILD_CHUNK, &b->put, e) != 0)
		return -1;
	if (spill_peek(b->sp) == NULL)
		return build_end(st, txn, b, e);
	return 0;
}

/* the sorted entries into the indexes, a chunk a transaction */
static int
build_sorted(struct store *st, struct spill *sp, struct err *e)
{
	struct build b = {.sp = sp, .why = "load"};
	int ret = 0;

	if (open_indexes(st, b.idx, e) != 0 || spill_merge(sp, e) != 0) {
		close_indexes(b.idx);
		return -1;
	}
	while (!b.done && ret == 0) {
		spill_mark(sp);
		if ((ret = store_txn_run(st, build_body, &b, e)) == 0)
			b.base = b.put;
	}
	close_indexes(b.idx);
	return ret;
}

/* ---- completing the indexes from the records ---------------------------- */

struct complete {
	struct build b;
	/* the last record of the chunks committed ("" before the first), and
	 * of the running transaction's */
	char last[E_PKEY + 1], next[E_PKEY + 1];
	size_t nlast, nnext;
	unsigned char *ents;
	size_t n, cap;
};

static int
complete_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct complete *c = baton;
	DB *db = st->db[DBI_DOSSIERS];
	DBC *cur = NULL;
	DBT k, v;
	int ret, got = 0;
	char last[E_PKEY + 1];
	size_t nlast = c->nlast;

	memcpy(last, c->last, sizeof last);
	c->n = 0;
	c->b.done = false;
	c->b.put = c->b.base;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_DOSSIERS].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (nlast == 0) {
		ret = cur->get(cur, &k, &v, DB_FIRST);
	} else {
		dbt_init(&k, last, (u_int32_t)nlast);
		ret = cur->get(cur, &k, &v, DB_SET_RANGE);
		if (ret == 0 && k.size == nlast && memcmp(k.data, last, nlast) == 0)
			ret = cur->get(cur, &k, &v, DB_NEXT);
	}
	/* the records read stay locked to the commit: a change by another
	 * process waits, and then finds its index complete */
	for (; ret == 0 && got < RECOVER_CHUNK; got++) {
		int r = entries_of(st, &k, &v, &c->ents, &c->n, &c->cap);
		if (r != 0) {
			char ks[160];
			store_key_text(k.data, k.size, ks, sizeof ks);
			cur->close(cur);
			return err_set(e, E_STORAGE, _("%s: record %s cannot be indexed"), db_tables[DBI_DOSSIERS].file, ks);
		}
		memcpy(last, k.data, k.size);
		nlast = k.size;
		ret = cur->get(cur, &k, &v, DB_NEXT);
	}
	cur->close(cur);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_DOSSIERS].file, e);
	/* each chunk's entries in their order: fewer pages to and fro */
	qsort(c->ents, c->n, E_SIZE, entry_cmp);
	for (size_t i = 0; i < c->n; i++)
		if (entry_put(st, txn, c->b.idx, c->ents + i * E_SIZE, e) != 0)
			return -1;
	c->b.put += c->n;
	if (ret == DB_NOTFOUND)
		return build_end(st, txn, &c->b, e);
	memcpy(c->next, last, sizeof last);
	c->nnext = nlast;
	return 0;
}

static int
complete_from_records(struct store *st, const char *why, struct err *e)
{
	struct complete c = {.b = {.why = why}};
	int ret = 0;

	if (open_indexes(st, c.b.idx, e) != 0) {
		close_indexes(c.b.idx);
		return -1;
	}
	/* a retried chunk starts again where the last commit left */
	while (!c.b.done && ret == 0)
		if ((ret = store_txn_run(st, complete_body, &c, e)) == 0) {
			c.b.base = c.b.put;
			memcpy(c.last, c.next, sizeof c.last);
			c.nlast = c.nnext;
		}
	close_indexes(c.b.idx);
	free(c.ents);
	return ret;
}

/* ---- the load's start and end ------------------------------------------- */

static void
bulk_free(struct bulk *b)
{
	close_indexes(b->idx);
	if (b->primary != NULL)
		b->primary->close(b->primary, 0);
	spill_free(&b->sp);
	scratch_close(&b->sc);
	free(b->pend);
	if (b->fd >= 0)
		close(b->fd);   /* drops the lock */
	free(b);
}

/* a new bulk, its scratch file open: NULL with e */
static struct bulk *
bulk_new(struct store *st, struct err *e)
{
	struct bulk *b;

	if (st->bulk != NULL) {
		err_set(e, E_STORAGE, "%s", _("a load is running already"));
		return NULL;
	}
	if ((b = calloc(1, sizeof *b)) == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		return NULL;
	}
	b->fd = -1;
	if (scratch_open(&b->sc) != 0) {
		err_set(e, E_STORAGE, _("a temporary file for sorting: %s"), strerror(errno));
		free(b);
		return NULL;
	}
	spill_init(&b->sp, &b->sc, E_SIZE, entry_cmp);
	return b;
}

int
store_bulk_begin_txn(struct store *st, struct err *e)
{
	struct bulk *b = bulk_new(st, e);

	if (b == NULL)
		return -1;
	b->intxn = true;
	/* the indexes' handles before the transaction: an open inside it
	 * would be a transaction of its own beside it */
	if (open_indexes(st, b->idx, e) != 0 || store_table_plain(st, DBI_DOSSIERS, DB_THREAD | DB_AUTO_COMMIT, &b->primary, e) != 0) {
		bulk_free(b);
		return -1;
	}
	st->bulk = b;
	return 0;
}

int
store_bulk_build_txn(struct store *st, store_txn *txn, struct err *e)
{
	struct bulk *b = st->bulk;
	unsigned long long put = 0;

	if (b == NULL || !b->intxn)
		return 0;
	pend_flush(b);
	if (b->lost)
		return err_set(e, E_STORAGE, _("a temporary file for sorting: %s"), strerror(EIO));
	if (spill_merge(&b->sp, e) != 0)
		return -1;
	return put_sorted(st, txn, b->idx, &b->sp, ULLONG_MAX, &put, e);
}

int
store_bulk_begin(struct store *st, struct err *e)
{
	struct bulk *b;

	if ((b = bulk_new(st, e)) == NULL)
		return -1;
	if ((b->fd = lock_take(st, e)) < 0) {
		int held = b->fd == -2;
		b->fd = -1;
		bulk_free(b);
		/* another load defers its indexes: this one keeps them as it
		 * goes, as every other writer does */
		return held ? 0 : -1;
	}
	/* the mark before any household: a crash from here on is completed */
	if (store_txn_run(st, mark_body, NULL, e) != 0) {
		bulk_free(b);
		return -1;
	}
	if (store_table_plain(st, DBI_DOSSIERS, DB_THREAD | DB_AUTO_COMMIT, &b->primary, e) != 0) {
		/* the mark stays set and the lock held: the end completes */
		b->lost = true;
		st->bulk = b;
		struct err e2 = {0};
		(void)store_bulk_end(st, &e2);
		return -1;
	}
	st->bulk = b;
	return 0;
}

int
store_bulk_end(struct store *st, struct err *e)
{
	struct bulk *b = st->bulk;
	int ret;

	if (b == NULL)
		return 0;
	st->bulk = NULL;    /* the build's own transactions note nothing */
	if (b->intxn) {
		/* its entries went in with it, or nothing did */
		bulk_free(b);
		return 0;
	}
	b->npend = 0;       /* a transaction that failed last */
	unsure_drop(b);
	if (b->primary != NULL) {
		b->primary->close(b->primary, 0);
		b->primary = NULL;
	}
	if (!b->lost)
		ret = build_sorted(st, &b->sp, e);   /* nothing committed: only the mark goes */
	else
		ret = complete_from_records(st, "load", e);
	bulk_free(b);
	return ret;
}

int
store_bulk_recover(struct store *st, int flags, struct err *e)
{
	struct err e2 = {0};
	int m, fd, ret;

	/* our own load (a reopen inside it), a restore's catastrophic
	 * recovery, a read-only copy: not here */
	if (st->bulk != NULL || (flags & (STORE_FATAL | STORE_CREATE)))
		return 0;
	if ((m = marked(st, e)) <= 0)
		return m;
	if ((fd = lock_take(st, e)) == -2)
		return 0;      /* its load still runs */
	if (fd < 0)
		return -1;
	/* a standby PC cannot write: its master completes, and the
	 * replication brings the entries */
	if (st->hooks != NULL && st->hooks->write_check != NULL && st->hooks->write_check(st, &e2) != 0) {
		close(fd);
		return 0;
	}
	/* looked at again under the lock: a load that just ended removed it */
	if ((m = marked(st, e)) <= 0) {
		close(fd);
		return m;
	}
	if (notice_fn != NULL)
		notice_fn(_("a load of households did not end: its index entries are being put in (at 100,000 households about half a minute)"),
		    notice_baton);
	ret = complete_from_records(st, "recovery", e);
	close(fd);
	return ret;
}
