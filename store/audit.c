/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * audit.c — the audit chain of SPEC section 10.  Every write appends an
 * entry in its own transaction; each entry holds the SHA-256 of its
 * predecessor and its own hash over everything else, so an edited, removed
 * or reordered entry breaks the chain at that point.  The head (last
 * sequence and hash) is kept in meta and read with a write lock, which
 * also serialises writers into one order.
 */
#include "config.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "core/text.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"

#define HEAD_KEY "audit.head"

void
hex32(const unsigned char h[32], char out[65])
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hx[h[i] >> 4];
		out[2 * i + 1] = hx[h[i] & 15];
	}
	out[64] = '\0';
}

int
unhex32(const char *s, unsigned char h[32])
{
	size_t bin_len;
	if (strlen(s) != 64 || sodium_hex2bin(h, 32, s, 64, NULL, &bin_len, NULL) != 0 || bin_len != 32)
		return -1;
	return 0;
}

/* The hashed part: every field but the hash itself. */
static void
encode_body(struct buf *b, const struct audit_entry *a)
{
	rec_begin(b, RT_AUDIT, AUDIT_REC_VERSION);
	rec_int(b, AT_SEQ, (int64_t)a->seq);
	rec_int(b, AT_TIME, a->time);
	rec_str(b, AT_OP, a->op);
	rec_str(b, AT_OBJECT, a->object);
	rec_str(b, AT_ACTION, a->action);
	rec_str(b, AT_DETAIL, a->detail ? a->detail : "");
	rec_blob(b, AT_PREV, a->prev, 32);
}

static void
seq_key(uint64_t seq, unsigned char k[8])
{
	for (int i = 0; i < 8; i++)
		k[i] = (unsigned char)(seq >> (56 - 8 * i));
}

static int
read_head(struct store *st, store_txn *txn, uint64_t *seq, unsigned char hash[32], struct err *e)
{
	char buf[128], *colon;

	if (meta_get(st, txn, HEAD_KEY, buf, sizeof buf, e) != 0) {
		if (e->code != E_NOTFOUND)
			return -1;
		err_clear(e);
		*seq = 0;
		memset(hash, 0, 32);
		return 0;
	}
	colon = strchr(buf, ':');
	if (colon == NULL || unhex32(colon + 1, hash) != 0)
		return err_set(e, E_STORAGE, _("the audit chain head is damaged"));
	*seq = strtoull(buf, NULL, 10);
	return 0;
}

int
audit_append(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, const char *detail, struct err *e)
{
	struct audit_entry a;
	struct buf b;
	char head[128], hx[65];
	unsigned char k[8];
	DBT key, val;
	int ret;

	memset(&a, 0, sizeof a);
	/* the chain must be readable back: refuse what would not fit or is not
	 * text rather than cut it */
	const char *why;
	if (strlen(op) >= sizeof a.op || strlen(action) >= sizeof a.action ||
	    (object && strlen(object) >= sizeof a.object) ||
	    text_check(op, sizeof a.op - 1, &why) != 0 || (object && text_check(object, sizeof a.object - 1, &why) != 0))
		return err_set(e, E_STORAGE, _("audit entry: operator or object not storable"));
	if (read_head(st, txn, &a.seq, a.prev, e) != 0)
		return -1;
	a.seq++;
	a.time = (int64_t)time(NULL);
	snprintf(a.op, sizeof a.op, "%s", op);
	snprintf(a.action, sizeof a.action, "%s", action);
	snprintf(a.object, sizeof a.object, "%s", object ? object : "");
	a.detail = (char *)detail;

	buf_init(&b);
	encode_body(&b, &a);
	/* issue 16.5: the records this transaction wrote so far, hashed */
	if (audit_state_fields(st, &b, e) != 0) {
		buf_free(&b);
		return -1;
	}
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	crypto_hash_sha256(a.hash, b.p, b.len);
	rec_blob(&b, AT_HASH, a.hash, 32);
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	seq_key(a.seq, k);
	dbt_init(&key, k, 8);
	dbt_init(&val, b.p, b.len);
	ret = st->db[DBI_AUDIT]->put(st->db[DBI_AUDIT], txn, &key, &val, DB_NOOVERWRITE);
	buf_free(&b);
	if (ret != 0)
		return store_dberr(st, ret, _("writing the audit entry"), e);
	audit_state_entry(st, a.seq);
	st->txn_audit_seq = a.seq;
	memcpy(st->txn_audit_hash, a.hash, 32);
	hex32(a.hash, hx);
	snprintf(head, sizeof head, "%llu:%s", (unsigned long long)a.seq, hx);
	return meta_put(st, txn, HEAD_KEY, head, e);
}

int
audit_appendj(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, json_t *detail, struct err *e)
{
	char *text = NULL;
	int ret;

	/* integrity (i12): a detail that failed to build (json_pack gives NULL)
	 * refuses the write rather than audit it without its detail */
	if (detail == NULL)
		return err_set(e, E_STORAGE, "%s", _("audit entry: its detail could not be built (out of memory or text not UTF-8): nothing was written"));
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (text == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	ret = audit_append(st, txn, op, action, object, text, e);
	free(text);
	return ret;
}

static int
decode(const void *p, size_t len, struct audit_entry *a)
{
	struct rec_reader r;
	int got = 0, n;

	memset(a, 0, sizeof *a);
	if (rec_open(&r, p, len, RT_AUDIT, AUDIT_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case AT_SEQ: a->seq = (uint64_t)rec_get_int(&r); got |= 1; break;
		case AT_TIME: a->time = rec_get_int(&r); break;
		case AT_OP: if (rec_get_str(&r, a->op, sizeof a->op)) goto bad; break;
		case AT_OBJECT: if (rec_get_str(&r, a->object, sizeof a->object)) goto bad; break;
		case AT_ACTION: if (rec_get_str(&r, a->action, sizeof a->action)) goto bad; break;
		case AT_DETAIL:
			free(a->detail);
			if ((a->detail = malloc(r.vlen + 1)) == NULL)
				goto bad;
			memcpy(a->detail, r.val, r.vlen);
			a->detail[r.vlen] = '\0';
			break;
		case AT_PREV: if (r.vlen != 32) goto bad; memcpy(a->prev, r.val, 32); got |= 2; break;
		case AT_HASH: if (r.vlen != 32) goto bad; memcpy(a->hash, r.val, 32); got |= 4; break;
		default: break;
		}
	}
	if (n < 0 || got != 7)
		goto bad;
	return 0;
bad:
	free(a->detail);
	a->detail = NULL;
	return -1;
}

int
audit_entry_is(struct store *st, uint64_t seq, const unsigned char hash[32], bool *found,
    char *what, size_t size, struct err *e)
{
	struct audit_entry a;
	unsigned char k[8];
	DBT key, val;
	int ret;

	*found = false;
	seq_key(seq, k);
	dbt_init(&key, k, 8);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_MALLOC;
	ret = st->db[DBI_AUDIT]->get(st->db[DBI_AUDIT], NULL, &key, &val, 0);
	if (ret == DB_NOTFOUND)
		return 0;
	if (ret != 0)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	if (decode(val.data, val.size, &a) != 0) {
		free(val.data);
		return err_set(e, E_STORAGE, _("audit entry %llu: the record is damaged"), (unsigned long long)seq);
	}
	*found = memcmp(a.hash, hash, 32) == 0;
	if (*found && what != NULL)
		snprintf(what, size, "%llu: %s %s", (unsigned long long)seq, a.action, a.object);
	audit_entry_free(&a);
	free(val.data);
	return 0;
}

void
audit_entry_free(struct audit_entry *a)
{
	free(a->detail);
	a->detail = NULL;
}

int
audit_length(struct store *st, store_txn *txn, uint64_t *n, struct err *e)
{
	unsigned char hash[32];

	/* entries are numbered from 1 without a gap (audit_verify checks) */
	return read_head(st, txn, n, hash, e);
}

int
audit_walk(struct store *st, const char *object, audit_fn fn, void *baton, struct err *e)
{
	DBC *c;
	DBT key, pkey, val;
	int ret, stop = 0;
	u_int32_t first, next;
	DB *db = object ? st->db[DBI_AUDIT_OBJECT] : st->db[DBI_AUDIT];

	if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	memset(&key, 0, sizeof key);
	memset(&pkey, 0, sizeof pkey);
	memset(&val, 0, sizeof val);
	if (object) {
		dbt_init(&key, object, strlen(object));
		first = DB_SET;
		next = DB_NEXT_DUP;
	} else {
		first = DB_FIRST;
		next = DB_NEXT;
	}
	for (ret = object ? c->pget(c, &key, &pkey, &val, first) : c->get(c, &key, &val, first);
	    ret == 0 && !stop;
	    ret = object ? c->pget(c, &key, &pkey, &val, next) : c->get(c, &key, &val, next)) {
		struct audit_entry a;
		if (decode(val.data, val.size, &a) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("an audit entry is damaged"));
		}
		stop = fn(&a, baton);
		audit_entry_free(&a);
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND && !stop)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	return 0;
}

void
audit_chain_begin(struct audit_chain *ch)
{
	memset(ch, 0, sizeof *ch);
	ch->expect = 1;
}

/* One entry, in key order: its sequence, its link to the one before and
 * its hash.  After the first bad entry the rest are not looked at. */
void
audit_chain_feed(struct audit_chain *ch, const void *kp, size_t klen, const void *vp, size_t vlen)
{
	struct audit_entry a;
	unsigned char h[32];
	uint64_t kseq = 0;
	const unsigned char *key = kp, *raw = vp;

	if (ch->bad)
		return;
	for (size_t i = 0; i < klen && i < 8; i++)
		kseq = kseq << 8 | key[i];
	if (decode(vp, vlen, &a) != 0) {
		ch->bad = true;
		err_set(&ch->e, E_REFUSED, _("audit entry %llu: the record is damaged"), (unsigned long long)kseq);
		return;
	}
	/* the hash covers the stored bytes themselves, everything before
	 * the hash field (which is last: tag, length 32, 32 bytes), so
	 * no byte of an entry can change unseen */
	const char *bad = NULL;
	if (vlen < 34 || raw[vlen - 34] != AT_HASH || raw[vlen - 33] != 32)
		bad = _("its hash field is misplaced (it was altered)");
	else
		crypto_hash_sha256(h, raw, vlen - 34);
	if (bad != NULL)
		;
	else if (a.seq != ch->expect || kseq != a.seq)
		bad = _("the sequence is broken (an entry was removed or inserted)");
	else if (memcmp(a.prev, ch->prev, 32) != 0)
		bad = _("it does not hold the hash of its predecessor");
	else if (memcmp(h, a.hash, 32) != 0)
		bad = _("its content does not match its hash (it was altered)");
	if (bad != NULL) {
		ch->bad = true;
		err_set(&ch->e, E_REFUSED, _("audit entry %llu (%s, %s): %s"), (unsigned long long)kseq, a.action,
		    a.object, bad);
	} else {
		memcpy(ch->prev, a.hash, 32);
		ch->expect++;
		ch->count++;
	}
	audit_entry_free(&a);
}

int
audit_chain_end(struct store *st, struct audit_chain *ch, uint64_t *count, unsigned char head[32], struct err *e)
{
	uint64_t head_seq;
	unsigned char meta_hash[32];

	*count = ch->count;
	if (ch->bad) {
		*e = ch->e;
		return -1;
	}
	if (read_head(st, NULL, &head_seq, meta_hash, e) != 0)
		return -1;
	if (head_seq != ch->count || memcmp(meta_hash, ch->prev, 32) != 0)
		return err_set(e, E_REFUSED,
		    _("the audit chain ends at entry %llu but its recorded head is entry %llu: entries were cut off"),
		    (unsigned long long)ch->count, (unsigned long long)head_seq);
	memcpy(head, ch->prev, 32);
	return 0;
}

int
audit_verify(struct store *st, uint64_t *count, unsigned char head[32], struct err *e)
{
	DBC *c;
	DBT key, val;
	int ret;
	struct audit_chain ch;

	*count = 0;
	audit_chain_begin(&ch);
	if ((ret = st->db[DBI_AUDIT]->cursor(st->db[DBI_AUDIT], NULL, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	while (!ch.bad && (ret = c->get(c, &key, &val, DB_NEXT)) == 0)
		audit_chain_feed(&ch, key.data, key.size, val.data, val.size);
	ret = store_cursor_close(c, ch.bad ? DB_NOTFOUND : ret);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	return audit_chain_end(st, &ch, count, head, e);
}

int
audit_state_seal(struct store *st, store_txn *txn, struct err *e)
{
	struct audit_track *t = st->track;
	DBT key, val;
	unsigned char k[8], h[32];
	char head[128], hx[65];
	struct buf b;
	int ret;

	if (t == NULL || (t->n == 0 && !t->oom))
		return 0;
	if (t->oom)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (t->entry == 0) {
		/* records written with no audit entry in the transaction (a bulk
		 * load): an entry of its own carries their state, so no write
		 * goes uncovered (FORMAT.md 4.7, action store.write) */
		char detail[64];
		snprintf(detail, sizeof detail, "{\"records\":%zu}", t->n);
		return audit_append(st, txn, "dibao", "store.write", db_tables[t->first_dbi].file, detail, e);
	}
	/* the transaction's last entry (still the head: its lock is ours)
	 * gets the later writes, and a new hash */
	for (int i = 0; i < 8; i++)
		k[i] = (unsigned char)(t->entry >> (56 - 8 * i));
	dbt_init(&key, k, 8);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_MALLOC;
	if ((ret = st->db[DBI_AUDIT]->get(st->db[DBI_AUDIT], txn, &key, &val, DB_RMW)) != 0)
		return store_dberr(st, ret, _("reading the audit chain"), e);
	const unsigned char *raw = val.data;
	if (val.size < 38 || raw[val.size - 34] != AT_HASH || raw[val.size - 33] != 32) {
		free(val.data);
		return err_set(e, E_STORAGE, "%s", _("an audit entry is damaged"));
	}
	buf_init(&b);
	buf_put_bytes(&b, raw, val.size - 34);
	free(val.data);
	if (audit_track_encode(t, &b, e) != 0) {
		buf_free(&b);
		return -1;
	}
	crypto_hash_sha256(h, b.p, b.len);
	rec_blob(&b, AT_HASH, h, 32);
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	dbt_init(&val, b.p, b.len);
	ret = st->db[DBI_AUDIT]->put(st->db[DBI_AUDIT], txn, &key, &val, 0);
	buf_free(&b);
	if (ret != 0)
		return store_dberr(st, ret, _("writing the audit entry"), e);
	hex32(h, hx);
	snprintf(head, sizeof head, "%llu:%s", (unsigned long long)t->entry, hx);
	return meta_put(st, txn, "audit.head", head, e);
}
