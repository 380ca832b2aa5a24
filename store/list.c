/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * list.c — finding dossiers through the indexes, never by loading them
 * all: by number prefix (primary), ID number (exact), name prefix, village
 * or status; the other conditions filter what the chosen index yields.
 * Paging by offset and limit, or (no search) by keyset: from a dossier
 * number, forward or backward, so a deep page costs what the first does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

/* A small open-addressing set of dossier numbers: one dossier found through
 * two members' names is listed once. */
struct seen {
	char (*slot)[DOSSIER_NO_LEN + 1];
	size_t cap, n;
};

static uint32_t
hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* 1 newly added, 0 already there, -1 out of memory */
static int
seen_add(struct seen *s, const char *no, size_t n)
{
	if (n > DOSSIER_NO_LEN)
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		struct seen bigger = {0};
		bigger.cap = s->cap ? s->cap * 2 : 256;
		if ((bigger.slot = calloc(bigger.cap, sizeof *bigger.slot)) == NULL)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i][0])
				seen_add(&bigger, s->slot[i], strlen(s->slot[i]));
		free(s->slot);
		*s = bigger;
	}
	size_t i = hash_str(no, n) & (s->cap - 1);
	while (s->slot[i][0]) {
		if (strlen(s->slot[i]) == n && memcmp(s->slot[i], no, n) == 0)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	memcpy(s->slot[i], no, n);
	s->slot[i][n] = '\0';
	s->n++;
	return 1;
}

static bool
is_id_like(const char *s)
{
	size_t n = strlen(s);
	return n == 18 && strspn(s, "0123456789") >= 17;
}

static bool
is_no_like(const char *s)
{
	size_t n = strlen(s);
	return n >= 4 && strspn(s, "0123456789-") == n;
}

struct walk {
	const char *contains;     /* issue 15: a number's part typed: keys holding it */
	const struct dossier_filter *f;
	dossier_fn fn;
	void *baton;
	size_t skipped, given;
	struct dossier *d;
	struct seen seen;
	bool stop;
	bool post_filter;  /* a condition the walked index does not apply */
	bool dedup;        /* the index may yield a dossier twice (names) */
};

/* Does the decoded dossier pass the filters the index did not apply? */
static bool
passes(const struct walk *w)
{
	const struct dossier_filter *f = w->f;
	if (f->status >= 0 && (int)w->d->status != f->status)
		return false;
	if (f->village && strcmp(w->d->village, f->village) != 0)
		return false;
	return true;
}

static int
visit(struct store *st, struct walk *w, const DBT *pk, const DBT *val, struct err *e)
{
	if (w->dedup) {
		int r = seen_add(&w->seen, pk->data, pk->size);
		if (r < 0)
			return err_set(e, E_STORAGE, _("out of memory"));
		if (r == 0)
			return 0;
	}
	/* skipping toward the offset needs no record when the index alone
	 * decides what is listed: count it without decoding (or reading) it */
	if (!w->post_filter && w->skipped < w->f->offset) {
		w->skipped++;
		return 0;
	}
	if (dossier_decode(val->data, val->size, w->d) != 0)
		return err_set(e, E_STORAGE, _("a dossier record is damaged"));
	if (!passes(w))
		return 0;
	if (w->skipped < w->f->offset) {
		w->skipped++;
		return 0;
	}
	if (w->f->limit && w->given >= w->f->limit) {
		w->stop = true;
		return 0;
	}
	w->given++;
	if (w->fn(w->d, w->baton) != 0)
		w->stop = true;
	return 0;
}

/* Where a walk starts.  A search walks from a prefix (DB_SET_RANGE); a
 * status or village walks one key's duplicates, sorted by dossier number;
 * the primary walks everything.  Keyset paging (f->start, f->backward)
 * positions inside that order by dossier number. */
struct walk_from {
	DB *db;
	bool secondary;
	const void *key;     /* NULL: the whole primary */
	size_t klen;
	bool prefix;         /* key is a prefix (a search), not one exact key */
};

static int
cursor_get(DBC *c, bool secondary, DBT *k, DBT *pk, DBT *v, u_int32_t op)
{
	return secondary ? c->pget(c, k, pk, v, op) : c->get(c, k, v, op);
}

/* The last entry of the walked range: the last duplicate of an exact key
 * (the entry before the next key, or the very last), or the primary's last. */
static int
position_last(DBC *c, const struct walk_from *w, DBT *k, DBT *pk, DBT *v)
{
	if (w->key == NULL)
		return c->get(c, k, v, DB_LAST);
	int ret = cursor_get(c, w->secondary, k, pk, v, DB_SET);
	if (ret != 0)
		return ret;
	ret = cursor_get(c, w->secondary, k, pk, v, DB_NEXT_NODUP);
	if (ret == 0)
		return cursor_get(c, w->secondary, k, pk, v, DB_PREV);
	return ret == DB_NOTFOUND ? cursor_get(c, w->secondary, k, pk, v, DB_LAST) : ret;
}

/* Put the cursor on the first entry to visit; *next is the step after it. */
static int
position(DBC *c, const struct walk_from *w, const struct dossier_filter *f, DBT *k, DBT *pk, DBT *v,
    u_int32_t *next)
{
	bool exact = w->key != NULL && !w->prefix;
	/* a search pages by offset: it may meet a dossier twice (two members'
	 * names), which only the set of those already listed can tell */
	bool keyset = !(f->search && *f->search) && (f->start != NULL || f->backward);
	int ret;

	if (!keyset) {
		*next = exact ? DB_NEXT_DUP : DB_NEXT;
		return cursor_get(c, w->secondary, k, pk, v, w->key == NULL ? DB_FIRST : w->prefix ? DB_SET_RANGE : DB_SET);
	}
	*next = f->backward ? (exact ? DB_PREV_DUP : DB_PREV) : (exact ? DB_NEXT_DUP : DB_NEXT);
	if (f->start == NULL)   /* backward from the end */
		return position_last(c, w, k, pk, v);
	/* the first entry at or after start: a dossier number in the primary,
	 * the (key, dossier number) pair in a sorted-duplicate index */
	DBT *at = exact ? pk : k;
	dbt_init(at, f->start, strlen(f->start));
	ret = cursor_get(c, w->secondary, k, pk, v, exact ? DB_GET_BOTH_RANGE : DB_SET_RANGE);
	if (!f->backward)
		return ret;
	if (ret == 0)
		return cursor_get(c, w->secondary, k, pk, v, *next);
	return ret == DB_NOTFOUND ? position_last(c, w, k, pk, v) : ret;
}

/* Walk one index as w describes, calling visit for each entry. */
static int
walk_index(struct store *st, struct walk *w, const struct walk_from *from, struct err *e)
{
	DB *db = from->db;
	bool secondary = from->secondary;
	DBC *c;
	DBT k, pk, v;
	int ret;
	char *kbuf = NULL;
	struct walk_from wf = *from;

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the dossiers"), e);
	memset(&k, 0, sizeof k);
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	if (from->key != NULL) {
		/* BDB may write into the key DBT: a private copy */
		if ((kbuf = malloc(from->klen + 1)) == NULL) {
			c->close(c);
			return err_set(e, E_STORAGE, _("out of memory"));
		}
		memcpy(kbuf, from->key, from->klen);
		dbt_init(&k, kbuf, from->klen);
		wf.key = kbuf;
	}
	/* while skipping, fetch no record bytes (a partial DBT of length 0) */
	bool partial = !w->post_filter && w->f->offset > 0;
	if (partial)
		v.flags = DB_DBT_PARTIAL;
	u_int32_t next;
	for (ret = position(c, &wf, w->f, &k, &pk, &v, &next); ret == 0 && !w->stop;
	    ret = cursor_get(c, secondary, &k, &pk, &v, next)) {
		if (from->prefix && (k.size < from->klen || memcmp(k.data, from->key, from->klen) != 0))
			break;
		if (w->contains && !memmem(k.data, k.size, w->contains, strlen(w->contains)))
			continue;
		if (partial) {
			/* the first record past the offset: read it again, whole */
			if (w->skipped >= w->f->offset) {
				partial = false;
				v.flags = 0;
				if ((ret = cursor_get(c, secondary, &k, &pk, &v, DB_CURRENT)) != 0)
					break;
			}
		}
		if (visit(st, w, secondary ? &pk : &k, &v, e) != 0) {
			c->close(c);
			free(kbuf);
			return -1;
		}
	}
	ret = store_cursor_close(c, ret);
	free(kbuf);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the dossiers"), e);
	return 0;
}

int
dossier_list(struct store *st, const struct dossier_filter *f, dossier_fn fn, void *baton, struct err *e)
{
	struct walk w = {.f = f, .fn = fn, .baton = baton};
	int ret;

	if ((w.d = malloc(sizeof *w.d)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	/* only the status index walked with no other condition, the village
	 * index with no status, and the whole primary need no post-filter */
	bool search = f->search && *f->search;
	w.post_filter = search ? (f->status >= 0 || f->village != NULL)
	    : f->village ? f->status >= 0 : false;
	/* the primary, status and village indexes hold each dossier once; a
	 * search may meet one dossier through two members */
	w.dedup = search;
	if (search) {
		const char *s = f->search;
		struct id_info info;
		const char *why;
		struct walk_from from = {st->db[DBI_DOSSIER_NAME], true, s, strlen(s), true};
		if (is_id_like(s) && id_check(s, 99991231, &info, &why) == 0)
			from = (struct walk_from){st->db[DBI_DOSSIER_IDNO], true, info.id, strlen(info.id), false};
		else if (is_no_like(s))
			from = (struct walk_from){st->db[DBI_DOSSIERS], false, s, strlen(s), true};
		ret = walk_index(st, &w, &from, e);
		/* part of a number ("00219"): the numbers that hold it anywhere */
		if (ret == 0 && w.given == 0 && w.skipped == 0 && is_no_like(s)) {
			from = (struct walk_from){st->db[DBI_DOSSIERS], false, NULL, 0, false};
			w.contains = s;
			ret = walk_index(st, &w, &from, e);
			w.contains = NULL;
		}
		/* a village name typed into search */
		if (ret == 0 && w.given == 0 && w.skipped == 0 && !is_no_like(s) && !is_id_like(s)) {
			from = (struct walk_from){st->db[DBI_DOSSIER_VILLAGE], true, s, strlen(s), true};
			ret = walk_index(st, &w, &from, e);
		}
	} else if (f->village) {
		struct walk_from from = {st->db[DBI_DOSSIER_VILLAGE], true, f->village, strlen(f->village), false};
		ret = walk_index(st, &w, &from, e);
	} else if (f->status >= 0) {
		unsigned char sb = (unsigned char)f->status;
		struct walk_from from = {st->db[DBI_DOSSIER_STATUS], true, &sb, 1, false};
		ret = walk_index(st, &w, &from, e);
	} else {
		struct walk_from from = {st->db[DBI_DOSSIERS], false, NULL, 0, false};
		ret = walk_index(st, &w, &from, e);
	}
	free(w.seen.slot);
	free(w.d);
	return ret;
}

int
dossier_count_by_status(struct store *st, size_t counts[ST__N], struct err *e)
{
	DB *db = st->db[DBI_DOSSIER_STATUS];
	DBC *c;
	DBT k, v;
	int ret;

	for (int i = 0; i < ST__N; i++)
		counts[i] = 0;
	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the dossiers"), e);
	for (int i = 0; i < ST__N; i++) {
		unsigned char sb = (unsigned char)i;
		db_recno_t n = 0;
		memset(&k, 0, sizeof k);
		memset(&v, 0, sizeof v);
		dbt_init(&k, &sb, 1);
		v.flags = DB_DBT_PARTIAL; /* position only: no record is read */
		ret = c->get(c, &k, &v, DB_SET);
		if (ret == DB_NOTFOUND)
			continue;
		if (ret == 0)
			ret = c->count(c, &n, 0);
		if (ret != 0) {
			c->close(c);
			return store_dberr(st, ret, _("reading the dossiers"), e);
		}
		counts[i] = n;
	}
	if ((ret = store_cursor_close(c, 0)) != 0)
		return store_dberr(st, ret, _("reading the dossiers"), e);
	return 0;
}

static int
count_one(const struct dossier *d, void *baton)
{
	(void)d;
	(*(size_t *)baton)++;
	return 0;
}

int
dossier_count(struct store *st, const struct dossier_filter *f, size_t *n, struct err *e)
{
	size_t counts[ST__N];
	bool search = f->search && *f->search;

	*n = 0;
	if (!search && f->village == NULL) {
		if (dossier_count_by_status(st, counts, e) != 0)
			return -1;
		for (int i = 0; i < ST__N; i++)
			if (f->status < 0 || f->status == i)
				*n += counts[i];
		return 0;
	}
	if (!search && f->status < 0) {
		/* one village: its duplicates in the village index, counted by BDB */
		DB *db = st->db[DBI_DOSSIER_VILLAGE];
		DBC *c;
		DBT k, v;
		db_recno_t dups = 0;
		int ret;
		if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
			return store_dberr(st, ret, _("reading the dossiers"), e);
		memset(&v, 0, sizeof v);
		dbt_init(&k, f->village, strlen(f->village));
		v.flags = DB_DBT_PARTIAL;
		ret = c->get(c, &k, &v, DB_SET);
		if (ret == 0)
			ret = c->count(c, &dups, 0);
		c->close(c);
		if (ret != 0 && ret != DB_NOTFOUND)
			return store_dberr(st, ret, _("reading the dossiers"), e);
		*n = ret == 0 ? dups : 0;
		return 0;
	}
	/* a search, or a village and a status: what the list yields */
	struct dossier_filter all = *f;
	all.offset = 0;
	all.limit = 0;
	all.start = NULL;
	all.backward = false;
	return dossier_list(st, &all, count_one, n, e);
}
