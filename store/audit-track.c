/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * audit-track.c — the audit chain covers state (issue 16, point 5): every
 * record a transaction writes or deletes is noted here by the put helpers
 * (audit_track), with the SHA-256 of the bytes stored, and the notes are
 * encoded as the "state" fields of the transaction's audit entry (audit.c,
 * which also seals them before the commit).  It sits below the chain.
 */
#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/err.h"

/* Is this table's content covered?  Not meta (the chain's own head and
 * counters) nor the chain itself. */
bool
audit_tracked(int dbi)
{
	return dbi != DBI_META && dbi != DBI_AUDIT && dbi >= 0 && dbi < DBI__N && db_tables[dbi].primary < 0;
}

static void
writes_clear(struct audit_track *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	t->n = 0;
}

void
audit_track_begin(struct store *st)
{
	if (st->track == NULL && (st->track = calloc(1, sizeof *st->track)) == NULL)
		return; /* noted as oom at the first write */
	writes_clear(st->track);
	st->track->oom = false;
	st->track->entry = 0;
	st->track->order = 0;
}

void
audit_track_free(struct store *st)
{
	if (st->track == NULL)
		return;
	writes_clear(st->track);
	free(st->track->v);
	free(st->track);
	st->track = NULL;
}

void
audit_track(struct store *st, int dbi, const void *key, size_t klen, const void *val, size_t vlen)
{
	struct audit_track *t = st->track;

	if (!audit_tracked(dbi))
		return;
	if (t == NULL) {
		if ((t = st->track = calloc(1, sizeof *st->track)) == NULL)
			return;
		t->oom = true; /* a write outside store_txn_run's begin: refused at the seal */
	}
	struct awrite *v = array_grow(t->v, &t->cap, t->n + 1, sizeof *v);
	if (v == NULL) {
		t->oom = true;
		return;
	}
	t->v = v;
	struct awrite *w = &t->v[t->n];
	if ((w->key = malloc(klen ? klen : 1)) == NULL) {
		t->oom = true;
		return;
	}
	memcpy(w->key, key, klen);
	w->klen = klen;
	w->dbi = dbi;
	w->order = t->order++;
	w->del = val == NULL;
	if (val != NULL)
		crypto_hash_sha256(w->hash, val, vlen);
	else
		memset(w->hash, 0, 32);
	t->n++;
}

static int
write_cmp(const void *a, const void *b)
{
	const struct awrite *x = a, *y = b;
	if (x->dbi != y->dbi)
		return x->dbi < y->dbi ? -1 : 1;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	if (c != 0)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The pending writes as state fields (the last write of each record, in
 * table and key order), then forgotten. */
void
audit_track_encode(struct audit_track *t, struct buf *b)
{
	if (t->n > 1)
		qsort(t->v, t->n, sizeof *t->v, write_cmp);
	for (size_t i = 0; i < t->n; i++) {
		const struct awrite *w = &t->v[i];
		if (i + 1 < t->n && t->v[i + 1].dbi == w->dbi && t->v[i + 1].klen == w->klen &&
		    memcmp(t->v[i + 1].key, w->key, w->klen) == 0)
			continue; /* written again later in the transaction */
		struct buf s;
		buf_init(&s);
		rec_str(&s, ST_FILE, db_tables[w->dbi].file);
		rec_blob(&s, ST_KEY, w->key, w->klen);
		if (w->del)
			rec_int(&s, ST_DELETED, 1);
		else
			rec_blob(&s, ST_HASH, w->hash, 32);
		if (s.oom)
			b->oom = true;
		else
			rec_nested(b, AT_STATE, &s);
		buf_free(&s);
	}
	writes_clear(t);
}

int
audit_state_fields(struct store *st, struct buf *b, struct err *e)
{
	struct audit_track *t = st->track;
	if (t == NULL)
		return 0;
	if (t->oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	audit_track_encode(t, b);
	return 0;
}

void
audit_state_entry(struct store *st, uint64_t seq)
{
	if (st->track != NULL)
		st->track->entry = seq;
}

