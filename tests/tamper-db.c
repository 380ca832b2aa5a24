/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tamper-db — a test helper (tests/cli/tamper.sh, issue 16 point 5): edits a
 * plain (--no-encrypt) data directory the way someone going behind dibao's
 * back would, with Berkeley DB alone, in the database files.  Nothing of
 * dibao is linked: the record layout (docs/FORMAT.md section 2: "DB",
 * type, version, then tag/length varints and the value) is read here.
 *
 *   tamper-db DIR keys FILE                  every key, as K (text) or x:HEX
 *   tamper-db DIR set-int FILE KEY TAG N     a top-level integer field set
 *   tamper-db DIR set-str FILE KEY TAG TEXT  a top-level text field set
 *   tamper-db DIR del FILE KEY               the record removed
 *   tamper-db DIR copy FILE KEY NEWKEY       a record added: KEY's bytes
 *   tamper-db DIR audit-cut N                the audit entries after N
 *                                            removed, the head rewritten
 * KEY is the text of the key, or x: and its bytes in hex.
 */
#include <db.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static DB_ENV *env;

static void
die(const char *what, int ret)
{
	fprintf(stderr, "tamper-db: %s: %s\n", what, ret ? db_strerror(ret) : "bad arguments");
	exit(2);
}

static DB *
open_db(const char *file)
{
	DB *db;
	int ret;
	if ((ret = db_create(&db, env, 0)) != 0 ||
	    (ret = db->open(db, NULL, file, NULL, DB_UNKNOWN, DB_AUTO_COMMIT, 0)) != 0)
		die(file, ret);
	return db;
}

static size_t
key_arg(const char *s, unsigned char *out, size_t size)
{
	size_t n = 0;
	if (strncmp(s, "x:", 2) == 0) {
		for (s += 2; s[0] && s[1] && n < size; s += 2) {
			unsigned v;
			if (sscanf(s, "%2x", &v) != 1)
				die("key", 0);
			out[n++] = (unsigned char)v;
		}
		return n;
	}
	n = strlen(s);
	if (n > size)
		die("key", 0);
	memcpy(out, s, n);
	return n;
}

static size_t
varint_get(const unsigned char *p, size_t len, size_t *off, uint64_t *v)
{
	*v = 0;
	for (int sh = 0; *off < len && sh < 64; sh += 7) {
		unsigned char c = p[(*off)++];
		*v |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80))
			return 1;
	}
	die("record", 0);
	return 0;
}

static size_t
varint_put(unsigned char *out, uint64_t v)
{
	size_t n = 0;
	do {
		out[n] = v & 0x7f;
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

/* the record with field `tag` (top level) given the value val[0..vlen) */
static unsigned char *
rewrite(const unsigned char *p, size_t len, unsigned tag, const unsigned char *val, size_t vlen, size_t *outlen)
{
	unsigned char *o = malloc(len + vlen + 32);
	size_t on = 4, off = 4;
	int done = 0;
	if (o == NULL || len < 4 || p[0] != 'D' || p[1] != 'B')
		die("record", 0);
	memcpy(o, p, 4);
	while (off < len) {
		uint64_t t, l;
		varint_get(p, len, &off, &t);
		varint_get(p, len, &off, &l);
		if (off + l > len)
			die("record", 0);
		if (t == tag && !done) {
			on += varint_put(o + on, t);
			on += varint_put(o + on, vlen);
			memcpy(o + on, val, vlen);
			on += vlen;
			done = 1;
		} else {
			on += varint_put(o + on, t);
			on += varint_put(o + on, l);
			memcpy(o + on, p + off, l);
			on += l;
		}
		off += l;
	}
	if (!done)
		die("no such field", 0);
	*outlen = on;
	return o;
}

int
main(int argc, char **argv)
{
	int ret;
	if (argc < 3)
		die("usage", 0);
	if ((ret = db_env_create(&env, 0)) != 0 || (ret = env->open(env, argv[1], DB_JOINENV, 0)) != 0)
		die(argv[1], ret);
	const char *op = argv[2];
	DBT k, v;
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);

	if (strcmp(op, "keys") == 0 && argc == 4) {
		DB *db = open_db(argv[3]);
		DBC *c;
		if ((ret = db->cursor(db, NULL, &c, 0)) != 0)
			die("cursor", ret);
		while (c->get(c, &k, &v, DB_NEXT) == 0) {
			const unsigned char *b = k.data;
			printf("x:");
			for (u_int32_t i = 0; i < k.size; i++)
				printf("%02x", b[i]);
			printf(" %.*s\n", (int)k.size, (const char *)k.data);
		}
		c->close(c);
		db->close(db, 0);
	} else if ((strcmp(op, "set-int") == 0 || strcmp(op, "set-str") == 0) && argc == 7) {
		DB *db = open_db(argv[3]);
		unsigned char key[512], num[10];
		const unsigned char *val;
		size_t vlen, outlen;
		k.data = key;
		k.size = (u_int32_t)key_arg(argv[4], key, sizeof key);
		v.flags = DB_DBT_MALLOC;
		if ((ret = db->get(db, NULL, &k, &v, 0)) != 0)
			die("get", ret);
		if (op[4] == 'i') {
			int64_t n = strtoll(argv[6], NULL, 10);
			vlen = varint_put(num, ((uint64_t)n << 1) ^ (uint64_t)(n >> 63));
			val = num;
		} else {
			val = (const unsigned char *)argv[6];
			vlen = strlen(argv[6]);
		}
		unsigned char *o = rewrite(v.data, v.size, (unsigned)atoi(argv[5]), val, vlen, &outlen);
		DBT nv;
		memset(&nv, 0, sizeof nv);
		nv.data = o;
		nv.size = (u_int32_t)outlen;
		if ((ret = db->put(db, NULL, &k, &nv, DB_AUTO_COMMIT)) != 0)
			die("put", ret);
		free(o);
		free(v.data);
		db->close(db, 0);
	} else if (strcmp(op, "copy") == 0 && argc == 6) {
		DB *db = open_db(argv[3]);
		unsigned char key[512], nkey[512];
		k.data = key;
		k.size = (u_int32_t)key_arg(argv[4], key, sizeof key);
		v.flags = DB_DBT_MALLOC;
		if ((ret = db->get(db, NULL, &k, &v, 0)) != 0)
			die("get", ret);
		k.data = nkey;
		k.size = (u_int32_t)key_arg(argv[5], nkey, sizeof nkey);
		v.flags = 0;
		if ((ret = db->put(db, NULL, &k, &v, DB_AUTO_COMMIT | DB_NOOVERWRITE)) != 0)
			die("put", ret);
		free(v.data);
		db->close(db, 0);
	} else if (strcmp(op, "del") == 0 && argc == 5) {
		DB *db = open_db(argv[3]);
		unsigned char key[512];
		k.data = key;
		k.size = (u_int32_t)key_arg(argv[4], key, sizeof key);
		if ((ret = db->del(db, NULL, &k, DB_AUTO_COMMIT)) != 0)
			die("del", ret);
		db->close(db, 0);
	} else if (strcmp(op, "audit-cut") == 0 && argc == 4) {
		uint64_t keep = strtoull(argv[3], NULL, 10);
		DB *audit = open_db("audit.db"), *meta = open_db("meta.db");
		DBC *c;
		DB_TXN *txn;
		unsigned char last[32];
		char head[128];
		int have = 0;
		if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0 || (ret = audit->cursor(audit, txn, &c, 0)) != 0)
			die("cursor", ret);
		while (c->get(c, &k, &v, DB_NEXT) == 0) {
			uint64_t seq = 0;
			for (u_int32_t i = 0; i < k.size; i++)
				seq = seq << 8 | ((unsigned char *)k.data)[i];
			if (seq <= keep) {
				if (v.size < 32)
					die("audit entry", 0);
				memcpy(last, (unsigned char *)v.data + v.size - 32, 32);
				have = seq == keep;
			} else if ((ret = c->del(c, 0)) != 0) {
				die("del", ret);
			}
		}
		c->close(c);
		if (!have)
			die("no such entry", 0);
		if ((ret = txn->commit(txn, 0)) != 0)
			die("commit", ret);
		int n = snprintf(head, sizeof head, "%llu:", (unsigned long long)keep);
		for (int i = 0; i < 32; i++)
			n += snprintf(head + n, sizeof head - (size_t)n, "%02x", last[i]);
		memset(&k, 0, sizeof k);
		memset(&v, 0, sizeof v);
		k.data = "audit.head";
		k.size = (u_int32_t)strlen("audit.head");
		v.data = head;
		v.size = (u_int32_t)strlen(head);
		if ((ret = meta->put(meta, NULL, &k, &v, DB_AUTO_COMMIT)) != 0)
			die("put", ret);
		audit->close(audit, 0);
		meta->close(meta, 0);
	} else {
		die("usage", 0);
	}
	env->close(env, 0);
	return 0;
}
