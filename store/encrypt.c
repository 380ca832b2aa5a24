/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * encrypt.c — `dibao encrypt`: an existing plaintext data directory becomes
 * an encrypted one (SPEC 11).
 *
 * The records are copied into a new encrypted environment beside the old
 * one (DIR.encrypting), the indexes rebuilt from them, the scans sealed
 * under the new key; the copy is verified (every database's record count,
 * `check`, the audit chain's length and head) and only then do the two
 * directories change places in one renameat2(RENAME_EXCHANGE).  The old
 * directory is kept as DIR.unencrypted-YYYYMMDDHHMMSS until the clerk
 * removes it.  A power cut before the exchange leaves the original as it
 * was (and a DIR.encrypting that the next run removes); after it, the
 * encrypted copy, complete and verified.
 *
 * The key file holds the wrap of the administrator who converts, and the
 * recovery code's; the other users get a new password from the
 * administrator (user passwd), since their passwords are known to nobody.
 * Till then the key file keeps their old password's Argon2id string, so
 * that their login says why it cannot open (WRAP_RESET, crypt.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "core/array.h"
#include "core/roles.h"
#include "store/afile.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/check.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

#define BATCH 500

static void
remove_tree(const char *path)
{
	if (afile_empty_tree(path) != 0)
		unlink(path);
	else
		rmdir(path);
}

static int
count_db(struct store *st, int i, uint64_t *n, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;

	*n = 0;
	if ((ret = st->db[i]->cursor(st->db[i], NULL, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[i].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_PARTIAL; /* keys only */
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0)
		(*n)++;
	c->close(c);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[i].file, e);
	return 0;
}

struct copy_baton {
	struct store *src;
	int dbi;
	DBT last;          /* the last key copied; empty: from the start */
	bool done;
	uint64_t copied;
};

/* One batch of a primary database, in one transaction of the new store. */
static int
copy_batch(struct store *dst, store_txn *txn, void *baton, struct err *e)
{
	struct copy_baton *b = baton;
	DB *from = b->src->db[b->dbi], *to = dst->db[b->dbi];
	DBC *c;
	DBT k, v;
	int ret, n = 0;
	uint64_t copied = 0;

	if ((ret = from->cursor(from, NULL, &c, 0)) != 0)
		return store_dberr(b->src, ret, db_tables[b->dbi].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.flags = DB_DBT_REALLOC;
	v.flags = DB_DBT_REALLOC;
	if (b->last.size > 0) {
		if ((k.data = malloc(b->last.size)) == NULL) {
			c->close(c);
			return err_set(e, E_STORAGE, _("out of memory"));
		}
		memcpy(k.data, b->last.data, b->last.size);
		k.size = b->last.size;
		ret = c->get(c, &k, &v, DB_SET);
		if (ret == 0)
			ret = c->get(c, &k, &v, DB_NEXT);
	} else {
		ret = c->get(c, &k, &v, DB_FIRST);
	}
	for (; ret == 0 && n < BATCH; n++) {
		if ((ret = to->put(to, txn, &k, &v, DB_NOOVERWRITE)) != 0)
			break;
		copied++;
		if (n + 1 < BATCH)
			ret = c->get(c, &k, &v, DB_NEXT);
	}
	c->close(c);
	if (ret != 0 && ret != DB_NOTFOUND) {
		free(k.data);
		free(v.data);
		return store_dberr(dst, ret, db_tables[b->dbi].file, e);
	}
	free(b->last.data);
	b->last = k;            /* keeps the buffer */
	b->last.flags = 0;
	free(v.data);
	b->done = ret == DB_NOTFOUND;
	b->copied += copied;
	return 0;
}

/* The scans, sealed under the new key (named by their SHA-256 as before). */
static int
copy_files(struct store *src, struct store *dst, uint64_t *n, struct err *e)
{
	char top[PATH_MAX + 16];
	DIR *d;
	struct dirent *de;

	*n = 0;
	snprintf(top, sizeof top, "%s/files", src->dir);
	if ((d = opendir(top)) == NULL)
		return errno == ENOENT ? 0 : err_set(e, E_STORAGE, "%s: %s", top, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		char sub[PATH_MAX + 300];
		DIR *d2;
		struct dirent *f;
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", top, de->d_name) >= sizeof sub || (d2 = opendir(sub)) == NULL)
			continue;
		while ((f = readdir(d2)) != NULL) {
			char path[PATH_MAX + 400];
			if (strlen(f->d_name) != 64 || strspn(f->d_name, "0123456789abcdef") != 64)
				continue;
			snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
			/* attach_put_file hashes, seals and renames it into place;
			 * its record is in attachments.db already */
			if (attach_copy_sealed(dst, path, f->d_name, e) != 0) {
				closedir(d2);
				closedir(d);
				return -1;
			}
			(*n)++;
		}
		closedir(d2);
	}
	closedir(d);
	return 0;
}

static void
problem_count(const char *msg, void *baton)
{
	struct err *e = baton;
	if (e->code == 0)
		err_set(e, E_STORAGE, "%s", msg);
	else
		err_add(e, E_STORAGE, "%s", msg);
}

struct enc_audit {
	const char *login;
	uint64_t records, files;
	json_t *locked;
	struct user *resets;    /* the users locked, with their old hash */
	int n_resets;
	bool oom;
	size_t cap_resets;      /* room in resets (array_grow) */
};

/* The active users but the administrator: their old hashes, before the
 * lock below replaces them */
static int
reset_one(const struct user *u, void *baton)
{
	struct enc_audit *a = baton;
	if (strcmp(u->login, a->login) == 0 || u->disabled || strcmp(u->pwhash, "!") == 0)
		return 0;
	struct user *r = array_grow(a->resets, &a->cap_resets, (size_t)a->n_resets + 1, sizeof *r);
	if (r == NULL) {
		a->oom = true;
		return -1;
	}
	a->resets = r;
	r[a->n_resets++] = *u;
	return 0;
}

static int
enc_audit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct enc_audit *a = baton;
	json_array_clear(a->locked);
	if (user_lock_all_but(st, txn, a->login, a->locked, e) != 0)
		return -1;
	return audit_appendj(st, txn, a->login, "store.encrypt", st->dir,
	    json_pack("{s:I,s:I,s:O}", "records", (json_int_t)a->records, "files", (json_int_t)a->files,
	    "new_password_needed", a->locked), e);
}

/* The key file of the copy, made while no environment is open: a store
 * handle with the key only (crypt_keys_init reads dir, key and enc). */
static int
keys_cold(const char *dir, const unsigned char key[32], const char *login, const char *password,
    const struct user *resets, int n, char *recovery, size_t rsize, struct err *e)
{
	struct store *ks = calloc(1, sizeof *ks);
	int r;

	if (ks == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	snprintf(ks->dir, sizeof ks->dir, "%s", dir);
	memcpy(ks->key, key, sizeof ks->key);
	ks->enc = true;
	ks->lockfd = -1;
	r = crypt_keys_init(ks, login, password, resets, n, e);
	snprintf(recovery, rsize, "%s", ks->recovery);
	sodium_memzero(ks, sizeof *ks);
	free(ks);
	return r;
}

/* Has another process the (plaintext) environment of dir open?  Without
 * DB_FORCE, DB_ENV->remove refuses while others are attached. */
static bool
store_env_busy(const char *dir)
{
	DB_ENV *env;
	if (db_env_create(&env, 0) != 0)
		return true;
	return env->remove(env, dir, 0) == EBUSY;
}

/* The primaries copied record for record (their indexes fill
 * themselves) and the attachments; then verified before anything changes
 * places: the same records in every database, the same audit chain */
static int
copy_verify(struct store *src, struct store *dst, struct encrypt_result *res, struct err *e)
{
	uint64_t n_src[DBI__N], n_dst[DBI__N], count_a, count_b;
	unsigned char head_a[32], head_b[32];

	/* the primaries, record for record; their indexes fill themselves */
	for (int i = 0; i < DBI__N; i++) {
		if (db_tables[i].primary >= 0)
			continue;
		struct copy_baton b = {.src = src, .dbi = i};
		while (!b.done)
			if (store_txn_run(dst, copy_batch, &b, e) != 0) {
				free(b.last.data);
				return -1;
			}
		free(b.last.data);
		res->records += b.copied;
	}
	if (copy_files(src, dst, &res->files, e) != 0)
		return -1;

	/* verified before anything changes places */
	for (int i = 0; i < DBI__N; i++)
		if (count_db(src, i, &n_src[i], e) != 0 || count_db(dst, i, &n_dst[i], e) != 0)
			return -1;
	for (int i = 0; i < DBI__N; i++)
		if (n_src[i] != n_dst[i]) {
			err_set(e, E_STORAGE, _("the encrypted copy differs: %s has %llu records, the original %llu; nothing changed"),
			    db_tables[i].file, (unsigned long long)n_dst[i], (unsigned long long)n_src[i]);
			return -1;
		}
	if (audit_verify(src, &count_a, head_a, e) != 0 || audit_verify(dst, &count_b, head_b, e) != 0)
		return -1;
	if (count_a != count_b || memcmp(head_a, head_b, 32) != 0) {
		err_set(e, E_STORAGE, "%s", _("the encrypted copy's audit chain differs from the original's; nothing changed"));
		return -1;
	}
	return 0;
}

/* The verified copy (tmp) and the original (dir) exchange places
 * atomically; the original is kept as old */
static int
swap_dirs(const char *dir, const char *tmp, const char *old, struct encrypt_result *res, struct err *e)
{
	char parent[PATH_MAX];

	/* nobody else may have the original open while it changes places */
	if (store_env_busy(dir)) {
		err_set(e, E_REFUSED, _("another dibao has %s open: close it and run dibao encrypt again"), dir);
		return -1;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0) {
		err_set(e, E_STORAGE, _("cannot exchange %s and %s: %s"), tmp, dir, strerror(errno));
		return -1;
	}
	snprintf(parent, sizeof parent, "%s", dir);
	char *sl = strrchr(parent, '/');
	if (sl == parent)
		sl[1] = '\0';
	else if (sl != NULL)
		*sl = '\0';
	else
		snprintf(parent, sizeof parent, ".");
	/* the exchange is done; the name of the old one is only tidiness */
	if (rename(tmp, old) != 0)
		snprintf(res->old_dir, sizeof res->old_dir, "%s", tmp);
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0) {
		fsync(pfd);
		close(pfd);
	}
	return 0;
}

int
store_encrypt(const char *dir, const char *login, const char *password, struct encrypt_result *res, struct err *e)
{
	char tmp[PATH_MAX], old[PATH_MAX], stamp[32];
	struct store *src = NULL, *dst = NULL;
	struct user u;
	time_t now = time(NULL);
	struct tm tm;
	int ret = -1;

	memset(res, 0, sizeof *res);
	if (store_dir_encrypted(dir))
		return err_set(e, E_REFUSED, _("%s is encrypted already"), dir);
	if (localtime_r(&now, &tm) == NULL || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm) == 0)
		snprintf(stamp, sizeof stamp, "%lld", (long long)now);
	if (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		return err_set(e, E_USAGE, _("data directory: give it without a trailing /"));
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.encrypting", dir) >= sizeof tmp ||
	    (size_t)snprintf(old, sizeof old, "%s.unencrypted-%s", dir, stamp) >= sizeof old)
		return err_set(e, E_USAGE, _("path too long"));
	if (store_open_login(&src, dir, 0, login, password, &u, e) != 0)
		return -1;
	if (store_require(&u, ACT_USERS, e) != 0)
		goto out;
	/* a copy a power cut left behind is ours: start again */
	remove_tree(tmp);
	if (store_open(&dst, tmp, STORE_CREATE | STORE_ENCRYPT, e) != 0)
		goto out;

	if (copy_verify(src, dst, res, e) != 0)
		goto out;
	/* the original is done with (and its cache leaves memory before the
	 * key file's Argon2id runs) */
	store_close(src);
	src = NULL;
	/* the other users locked, the conversion audited, the key file made;
	 * then the whole copy must pass check */
	struct enc_audit a = {login, res->records, res->files, json_array(), NULL, 0, false, 0};
	int r = a.locked == NULL ? err_set(e, E_STORAGE, _("out of memory")) : user_list(dst, reset_one, &a, e);
	if (r == 0 && a.oom)
		r = err_set(e, E_STORAGE, _("out of memory"));
	if (r == 0)
		r = store_txn_run(dst, enc_audit_body, &a, e);
	if (r == 0) {
		for (size_t i = 0; i < json_array_size(a.locked) && i < sizeof res->locked / sizeof res->locked[0]; i++)
			snprintf(res->locked[i], sizeof res->locked[i], "%s", json_string_value(json_array_get(a.locked, i)));
		res->n_locked = (int)json_array_size(a.locked);
	}
	json_decref(a.locked);
	/* the key file's Argon2id runs (19 MiB each) with no environment open,
	 * and the copy's cache, full of its pages, is gone before check opens
	 * a second encrypted environment (its snapshot): opened again cold
	 * (measured at 10,000 households: peak RSS 63 -> 48 MB) */
	unsigned char key[32];
	memcpy(key, dst->key, sizeof key);
	store_close(dst);
	dst = NULL;
	if (r == 0)
		r = keys_cold(tmp, key, login, password, a.resets, a.n_resets, res->recovery, sizeof res->recovery, e);
	if (a.resets != NULL)
		sodium_memzero(a.resets, (size_t)a.n_resets * sizeof *a.resets);
	free(a.resets);
	if (r == 0)
		r = store_open_key(&dst, tmp, 0, key, e);
	sodium_memzero(key, sizeof key);
	if (r != 0)
		goto out;
	struct err ce;
	err_clear(&ce);
	if (store_check(dst, problem_count, &ce, e) != 0) {
		*e = ce;
		err_add(e, E_STORAGE, "%s", _("the encrypted copy does not pass check; nothing changed"));
		goto out;
	}
	snprintf(res->old_dir, sizeof res->old_dir, "%s", old);
	store_close(dst);
	dst = NULL;

	if (swap_dirs(dir, tmp, old, res, e) != 0)
		goto out;
	ret = 0;
out:
	if (dst != NULL)
		store_close(dst);
	if (src != NULL)
		store_close(src);
	if (ret != 0)
		remove_tree(tmp);
	return ret;
}
