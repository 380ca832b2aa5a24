/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica-files.c — the standby PC (SPEC 12): the files a standby needs
 * besides the databases (scans, dibao.keys), kept in replica-files.db and
 * written into place by the standby's replication process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/replica-int.h"
#include "store/replica.h"
#include "store/afile.h"

/* ---- files the standby materialises (replica-files.db) --------------------- */

/* Berkeley DB replicates databases only.  The files of a data directory a
 * standby needs besides them — the scans under files/ and the key file
 * dibao.keys — are also kept, byte for byte as they lie on disk (a scan
 * sealed by secretstream in an encrypted store), in the database
 * replica-files.db: key = the file's path relative to the data directory,
 * a NUL, the chunk number (u32 big-endian); value = record type 70 (the
 * file's whole size, the chunk's bytes).  The engine replicates them with
 * everything else; the standby's replication process writes each file into
 * place (core/afile.c). */
#define RF_CHUNK (64 * 1024)
enum { RF_SIZE = 1, RF_BYTES = 2 };
#define KEYS_REL "dibao.keys"

static size_t
rf_key(unsigned char *k, size_t size, const char *rel, uint32_t chunk)
{
	size_t n = strlen(rel);
	if (n + 5 > size)
		return 0;
	memcpy(k, rel, n + 1);
	for (int i = 0; i < 4; i++)
		k[n + 1 + i] = (unsigned char)(chunk >> (24 - 8 * i));
	return n + 5;
}

/* A relative path the standby may write: dibao.keys, or files/XX/<sha>
 * whose XX are the first two of its 64 lowercase hex digits. */
static bool
rf_rel_ok(const char *rel)
{
	if (strcmp(rel, KEYS_REL) == 0)
		return true;
	if (strlen(rel) != 6 + 3 + 64 || strncmp(rel, "files/", 6) != 0 || rel[8] != '/' ||
	    strncmp(rel + 6, rel + 9, 2) != 0)
		return false;
	for (const char *p = rel + 9; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static int
rf_put_chunk(struct store *st, DB_TXN *txn, const char *rel, uint32_t i, uint64_t total, const void *p, size_t n)
{
	DB *db = st->db[DBI_REPLICA_FILES];
	unsigned char k[PATH_MAX];
	struct buf b;
	DBT key, val;
	size_t kn = rf_key(k, sizeof k, rel, i);
	if (kn == 0)
		return ENAMETOOLONG;
	buf_init(&b);
	rec_begin(&b, RT_REPLICA_CHUNK, 1);
	rec_int(&b, RF_SIZE, (int64_t)total);
	rec_blob(&b, RF_BYTES, p, n);
	dbt_init(&key, k, kn);
	dbt_init(&val, b.p, b.len);
	int ret = b.oom ? ENOMEM : db->put(db, txn, &key, &val, 0);
	if (ret == 0)
		audit_track(st, DBI_REPLICA_FILES, key.data, key.size, val.data, val.size); /* issue 16.5 */
	buf_free(&b);
	return ret;
}

/* Chunks from number `from` on (an older, longer version of the file) go. */
static int
rf_trim(struct store *st, DB_TXN *txn, const char *rel, uint32_t from)
{
	DB *db = st->db[DBI_REPLICA_FILES];
	unsigned char k[PATH_MAX];
	DBT key;
	for (uint32_t i = from;; i++) {
		size_t kn = rf_key(k, sizeof k, rel, i);
		dbt_init(&key, k, kn);
		int ret = db->del(db, txn, &key, 0);
		if (ret == DB_NOTFOUND)
			return 0;
		if (ret != 0)
			return ret;
		audit_track(st, DBI_REPLICA_FILES, key.data, key.size, NULL, 0); /* issue 16.5 */
	}
}

/* The file rel of the data directory, as it lies on disk, into the
 * database (streamed a chunk at a time). */
static int
rf_put_file(struct store *st, DB_TXN *txn, const char *rel, struct err *e)
{
	char path[PATH_MAX];
	unsigned char *chunk;
	struct stat sb;
	int fd, ret = 0;
	uint32_t i = 0;

	if (rep_path_in(st->dir, rel, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return err_set(e, E_STORAGE, _("cannot read %s: %s"), path, strerror(err));
	}
	if ((chunk = malloc(RF_CHUNK)) == NULL) {
		close(fd);
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	}
	uint64_t total = (uint64_t)sb.st_size, done = 0;
	do {
		size_t want = total - done < RF_CHUNK ? (size_t)(total - done) : RF_CHUNK, got = 0;
		while (got < want) {
			ssize_t r = read(fd, chunk + got, want - got);
			if (r <= 0) {
				int err = r < 0 ? errno : EIO;
				free(chunk);
				close(fd);
				return err_set(e, E_STORAGE, _("cannot read %s: %s"), path, strerror(err));
			}
			got += (size_t)r;
		}
		if ((ret = rf_put_chunk(st, txn, rel, i++, total, chunk, want)) != 0)
			break;
		done += want;
	} while (done < total);
	free(chunk);
	close(fd);
	if (ret == 0)
		ret = rf_trim(st, txn, rel, i);
	return ret == 0 ? 0 : store_dberr(st, ret, _("recording the attachment"), e);
}

/* The whole file rel from the database: 1 (*out malloc'd), 0 absent or
 * not complete yet, -1 a read error. */
static int
rf_get(DB *db, DB_TXN *txn, const char *rel, unsigned char **out, size_t *len)
{
	unsigned char k[PATH_MAX], *p = NULL;
	uint64_t total = 0, done = 0;
	*out = NULL;
	*len = 0;
	for (uint32_t i = 0; i == 0 || done < total; i++) {
		DBT key, val;
		struct rec_reader r;
		size_t kn = rf_key(k, sizeof k, rel, i);
		if (kn == 0)
			return -1;
		dbt_init(&key, k, kn);
		memset(&val, 0, sizeof val);
		val.flags = DB_DBT_MALLOC;
		int ret = db->get(db, txn, &key, &val, 0);
		if (ret != 0) {
			free(p);
			return ret == DB_NOTFOUND ? 0 : -1;
		}
		const unsigned char *bytes = NULL;
		uint32_t blen = 0;
		int64_t size = -1;
		if (rec_open(&r, val.data, val.size, RT_REPLICA_CHUNK, 1) == 0) {
			int f;
			while ((f = rec_next(&r)) == 1) {
				if (r.tag == RF_SIZE)
					size = rec_get_int(&r);
				else if (r.tag == RF_BYTES)
					bytes = r.val, blen = r.vlen;
			}
			if (f != 0)
				size = -1;
		}
		if (size < 0 || bytes == NULL || (i == 0 && size > (int64_t)1 << 32) || (i > 0 && (uint64_t)size != total) ||
		    done + blen > (uint64_t)size) {
			free(val.data);
			free(p);
			return -1;
		}
		if (i == 0) {
			total = (uint64_t)size;
			if ((p = malloc(total > 0 ? (size_t)total : 1)) == NULL) {
				free(val.data);
				return -1;
			}
		}
		memcpy(p + done, bytes, blen);
		done += blen;
		free(val.data);
		if (blen == 0 && done < total) {
			free(p);
			return -1;
		}
	}
	*out = p;
	*len = (size_t)total;
	return 1;
}

int
replica_attach_put(struct store *st, store_txn *txn, const char *sha_hex, struct err *e)
{
	char conf[PATH_MAX], rel[128];
	struct stat sb;
	if (rep_path_in(st->dir, CONF_FILE, conf, sizeof conf) != 0 || stat(conf, &sb) != 0)
		return 0; /* not a replication site */
	snprintf(rel, sizeof rel, "files/%.2s/%s", sha_hex, sha_hex);
	/* a scan attached again: its file, sealed once, is there already */
	unsigned char k[PATH_MAX];
	DBT key, val;
	size_t kn = rf_key(k, sizeof k, rel, 0);
	dbt_init(&key, k, kn);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_PARTIAL | DB_DBT_USERMEM; /* whether it is there, not its bytes */
	int ret = st->db[DBI_REPLICA_FILES]->get(st->db[DBI_REPLICA_FILES], txn, &key, &val, 0);
	if (ret == 0)
		return 0;
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("recording the attachment"), e);
	return rf_put_file(st, txn, rel, e);
}

/* replica init: the scans already there go into replica-files.db */
int
rep_rf_all_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	DBC *cur;
	DBT k, v;
	int ret;
	long *n = baton;
	*n = 0;
	if ((ret = st->db[DBI_ATTACH]->cursor(st->db[DBI_ATTACH], txn, &cur, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_ATTACH].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		char sha[65];
		if (k.size != 64)
			continue;
		memcpy(sha, k.data, 64);
		sha[64] = '\0';
		if (replica_attach_put(st, txn, sha, e) != 0) {
			cur->close(cur);
			return -1;
		}
		(*n)++;
	}
	cur->close(cur);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_ATTACH].file, e);
	return audit_appendj(st, txn, "dibao", "replica.files", st->dir, json_pack("{s:i}", "attachments", (int)*n), e);
}

/* The master's replication process: the key file, when it changed (a
 * user added, a password set), into replica-files.db, audited. */
struct keys_baton {
	const unsigned char *p;
	size_t n;
};

static int
keys_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct keys_baton *kb = baton;
	unsigned char h[32];
	char hex[65];
	int ret = rf_put_chunk(st, txn, KEYS_REL, 0, kb->n, kb->p, kb->n);
	if (ret == 0)
		ret = rf_trim(st, txn, KEYS_REL, 1);
	if (ret != 0)
		return store_dberr(st, ret, KEYS_REL, e);
	crypto_hash_sha256(h, kb->p, kb->n);
	hex32(h, hex);
	return audit_appendj(st, txn, "dibao", "replica.keys", KEYS_REL, json_pack("{s:i,s:s}", "bytes", (int)kb->n,
	    "sha256", hex), e);
}

static unsigned char *
read_small(const char *path, size_t *n)
{
	struct stat sb;
	unsigned char *p = NULL;
	FILE *f = fopen(path, "rbe");
	*n = 0;
	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && sb.st_size < RF_CHUNK &&
	    (p = malloc((size_t)sb.st_size)) != NULL && fread(p, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		free(p);
		p = NULL;
	}
	if (p != NULL)
		*n = (size_t)sb.st_size;
	fclose(f);
	return p;
}

void
rep_keys_mirror(struct store *st, void (*say)(const char *))
{
	char path[PATH_MAX];
	size_t n, dn;
	unsigned char *p, *d = NULL;
	struct err e;
	if (rep_path_in(st->dir, KEYS_REL, path, sizeof path) != 0 || (p = read_small(path, &n)) == NULL)
		return;
	int r = rf_get(st->db[DBI_REPLICA_FILES], NULL, KEYS_REL, &d, &dn);
	if (r == 0 || (r == 1 && (dn != n || memcmp(d, p, n) != 0))) {
		struct keys_baton kb = {p, n};
		if (store_txn_run(st, keys_body, &kb, &e) != 0)
			say(e.msg);
	}
	free(d);
	free(p);
}

/* A standby's replication process: the files the database holds and the
 * directory lacks (or, the key file, holds otherwise) are written into
 * place.  A fresh handle each time: the engine may have re-copied pages
 * (DB_REP_HANDLE_DEAD).  Returns the files written. */
int
rep_materialise(struct store *st, void (*say)(const char *))
{
	DB *db;
	DBC *cur;
	DBT k, v;
	int ret, written = 0;
	json_t *todo = json_array();

	if (db_create(&db, st->env, 0) != 0) {
		json_decref(todo);
		return 0;
	}
	if (db->open(db, NULL, db_tables[DBI_REPLICA_FILES].file, NULL, DB_BTREE, DB_THREAD | DB_RDONLY, 0) != 0 ||
	    db->cursor(db, NULL, &cur, 0) != 0) {
		db->close(db, 0);
		json_decref(todo);
		return 0;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_PARTIAL; /* the keys only */
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		const unsigned char *kp = k.data;
		char rel[PATH_MAX], path[PATH_MAX];
		struct stat sb;
		if (k.size < 6 || k.size - 4 > sizeof rel || kp[k.size - 5] != '\0' ||
		    kp[k.size - 4] | kp[k.size - 3] | kp[k.size - 2] | kp[k.size - 1])
			continue; /* not the first chunk of a file */
		memcpy(rel, kp, k.size - 4);
		if (!rf_rel_ok(rel) || rep_path_in(st->dir, rel, path, sizeof path) != 0)
			continue;
		if (strcmp(rel, KEYS_REL) == 0 || stat(path, &sb) != 0)
			json_array_append_new(todo, json_string(rel));
	}
	cur->close(cur);
	size_t i;
	json_t *j;
	json_array_foreach(todo, i, j) {
		const char *rel = json_string_value(j);
		char path[PATH_MAX], sub[PATH_MAX + 16];
		unsigned char *p, *old;
		size_t n, on;
		const char *what;
		if (rf_get(db, NULL, rel, &p, &n) != 1 || rep_path_in(st->dir, rel, path, sizeof path) != 0) {
			continue;
		}
		if (strcmp(rel, KEYS_REL) == 0) {
			old = read_small(path, &on);
			bool same = old != NULL && on == n && memcmp(old, p, n) == 0;
			free(old);
			if (same) {
				free(p);
				continue;
			}
		} else {
			/* files/ and files/XX/ */
			snprintf(sub, sizeof sub, "%s/files", st->dir);
			mkdir(sub, 0700);
			snprintf(sub, sizeof sub, "%s/files/%.2s", st->dir, rel + 6);
			mkdir(sub, 0700);
		}
		if (afile_write(path, p, n, AFILE_PRIVATE, &what) != 0) {
			char line[PATH_MAX + 100];
			snprintf(line, sizeof line, _("cannot write %s: %s"), path, strerror(errno));
			say(line);
		} else {
			written++;
		}
		free(p);
	}
	json_decref(todo);
	db->close(db, 0);
	return written;
}

