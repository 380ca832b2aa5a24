/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crypt.c — encryption at rest (SPEC 11).
 *
 * A data directory made by `init` is encrypted: Berkeley DB encrypts every
 * database page and log record with AES under a random data key, and the
 * environment's regions live in system shared memory (mode 0600, gone at
 * power-off), so no clear page reaches a __db.* file (TECHNOTES).  The data
 * key itself is kept only wrapped: once per user under a key derived from
 * that user's password (Argon2id, crypto_secretbox), and once under the
 * recovery code printed at init.  The wraps live in the key file
 * dibao.keys beside the environment, because the login has to unwrap the
 * key before the environment can open.  The key file is written to a
 * temporary name, fsync'ed and renamed; its last field is a BLAKE2b sum of
 * what precedes it (docs/FORMAT.md).
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "core/roles.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/check.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/user.h"
#include "store/afile.h"

#define KEYFILE "dibao.keys"
#define KEY_REC_VERSION 1
#define MAX_WRAPS 512
#define KEYFILE_MAX (MAX_WRAPS * 400 + 1024)

enum keyfile_tag { KF_CREATED = 1, KF_KEYID, KF_WRAP, KF_SUM = 15 };
enum wrap_tag { KW_LOGIN = 1, KW_KIND, KW_SALT, KW_OPS, KW_MEM, KW_NONCE, KW_BOX, KW_CHECK, KW_PWHASH };

struct key_file {
	int64_t created;
	unsigned char keyid[16];
	int n;
	struct key_wrap w[MAX_WRAPS];
};

static int
keys_path(const char *dir, const char *suffix, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/" KEYFILE "%s", dir, suffix);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

bool
store_dir_encrypted(const char *dir)
{
	char p[PATH_MAX];
	struct stat sb;
	return keys_path(dir, "", p, sizeof p) == 0 && stat(p, &sb) == 0;
}

static void
key_id(const unsigned char key[32], unsigned char id[16])
{
	static const unsigned char ctx[] = "dibao key id";
	crypto_generichash(id, 16, key, 32, ctx, sizeof ctx - 1);
}

/* Read and check the key file: 0, or -1 with E_NOTFOUND (a plaintext data
 * directory) or E_STORAGE (damaged). */
static int
keys_read(const char *dir, struct key_file *kf, struct err *e)
{
	char path[PATH_MAX];
	unsigned char *p = NULL, sum[32];
	struct rec_reader r, w;
	ssize_t got;
	size_t len = 0;
	int fd, n;
	bool have_sum = false;

	memset(kf, 0, sizeof *kf);
	if (keys_path(dir, "", path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return err_set(e, E_NOTFOUND, _("%s: no key file"), dir);
		return err_set(e, E_STORAGE, _("key file %s: %s"), path, strerror(errno));
	}
	if ((p = malloc(KEYFILE_MAX)) == NULL) {
		close(fd);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	while (len < KEYFILE_MAX && (got = read(fd, p + len, KEYFILE_MAX - len)) > 0)
		len += (size_t)got;
	close(fd);
	if (rec_open(&r, p, len, RT_KEYFILE, KEY_REC_VERSION) != 0)
		goto bad;
	while ((n = rec_next(&r)) == 1) {
		if (have_sum)
			goto bad; /* nothing may follow the sum */
		switch (r.tag) {
		case KF_CREATED: kf->created = rec_get_int(&r); break;
		case KF_KEYID:
			if (r.vlen != sizeof kf->keyid)
				goto bad;
			memcpy(kf->keyid, r.val, r.vlen);
			break;
		case KF_WRAP: {
			struct key_wrap *k;
			if (kf->n == MAX_WRAPS)
				goto bad;
			k = &kf->w[kf->n++];
			rec_open_nested(&w, r.val, r.vlen);
			while ((n = rec_next(&w)) == 1) {
				switch (w.tag) {
				case KW_LOGIN:
					if (rec_get_str(&w, k->login, sizeof k->login) != 0)
						goto bad;
					break;
				case KW_KIND: k->kind = (int)rec_get_int(&w); break;
				case KW_OPS: k->ops = (uint64_t)rec_get_int(&w); break;
				case KW_MEM: k->mem = (uint64_t)rec_get_int(&w); break;
				case KW_PWHASH:
					if (rec_get_str(&w, k->pwhash, sizeof k->pwhash) != 0)
						goto bad;
					break;
#define FIXED(tag, field) case tag: if (w.vlen != sizeof k->field) goto bad; memcpy(k->field, w.val, w.vlen); break
				FIXED(KW_SALT, salt);
				FIXED(KW_NONCE, nonce);
				FIXED(KW_BOX, box);
				FIXED(KW_CHECK, check);
#undef FIXED
				default: break;
				}
			}
			if (n < 0 || k->kind < WRAP_USER || k->kind > WRAP_RESET ||
			    (k->kind == WRAP_RESET ? k->pwhash[0] == '\0' : k->ops == 0 || k->mem == 0))
				goto bad;
			break;
		}
		case KF_SUM:
			if (r.vlen != sizeof sum)
				goto bad;
			crypto_generichash(sum, sizeof sum, p, (size_t)(r.val - p) - 2, NULL, 0);
			if (sodium_memcmp(sum, r.val, sizeof sum) != 0)
				goto bad;
			have_sum = true;
			break;
		default: break;
		}
	}
	if (n < 0 || !have_sum)
		goto bad;
	free(p);
	return 0;
bad:
	free(p);
	return err_set(e, E_STORAGE,
	    _("the key file %s is damaged: restore it from a backup (or use the recovery sheet with a backup's key file)"),
	    path);
}

/* Write the key file whole (store/afile.c: temporary, fsync, rename, fsync
 * of the directory). */
static int
keys_write(const char *dir, const struct key_file *kf, struct err *e)
{
	char path[PATH_MAX];
	struct buf b, w;
	unsigned char sum[32];
	const char *what = "";
	int ret = -1;

	if (keys_path(dir, "", path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	buf_init(&b);
	rec_begin(&b, RT_KEYFILE, KEY_REC_VERSION);
	rec_int(&b, KF_CREATED, kf->created);
	rec_blob(&b, KF_KEYID, kf->keyid, sizeof kf->keyid);
	for (int i = 0; i < kf->n; i++) {
		const struct key_wrap *k = &kf->w[i];
		buf_init(&w);
		rec_str(&w, KW_LOGIN, k->login);
		rec_int(&w, KW_KIND, k->kind);
		if (k->kind == WRAP_RESET) {
			/* no key: the old password's string only */
			rec_str(&w, KW_PWHASH, k->pwhash);
			rec_nested(&b, KF_WRAP, &w);
			buf_free(&w);
			continue;
		}
		rec_blob(&w, KW_SALT, k->salt, sizeof k->salt);
		rec_int(&w, KW_OPS, (int64_t)k->ops);
		rec_int(&w, KW_MEM, (int64_t)k->mem);
		rec_blob(&w, KW_NONCE, k->nonce, sizeof k->nonce);
		if (k->kind != WRAP_DISABLED)
			rec_blob(&w, KW_BOX, k->box, sizeof k->box);
		rec_blob(&w, KW_CHECK, k->check, sizeof k->check);
		rec_nested(&b, KF_WRAP, &w);
		buf_free(&w);
	}
	/* the sum covers every byte before this field's head (tag and length,
	 * two bytes for a 32-byte value) */
	crypto_generichash(sum, sizeof sum, b.p, b.len, NULL, 0);
	rec_blob(&b, KF_SUM, sum, sizeof sum);
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	if (afile_write(path, b.p, b.len, AFILE_PRIVATE, &what) != 0)
		err_set(e, E_STORAGE, _("key file %s: %s (%s)"), path, strerror(errno), what);
	else
		ret = 0;
	sodium_memzero(b.p, b.len);
	buf_free(&b);
	return ret;
}

/* The key that wraps the data key, from a password or the recovery code. */
static int
wrap_key(const struct key_wrap *k, const char *secret, unsigned char out[32])
{
	return crypto_pwhash(out, 32, secret, strlen(secret), k->salt, k->ops, (size_t)k->mem,
	    crypto_pwhash_ALG_ARGON2ID13);
}

/* What tells a disabled user's password apart once the wrap is gone: a
 * hash of the wrapping key (guessing it costs an Argon2id run, as the wrap). */
static void
kek_check(const unsigned char kek[32], unsigned char out[32])
{
	static const unsigned char ctx[] = "dibao disabled-user check";
	crypto_generichash(out, 32, ctx, sizeof ctx - 1, kek, 32);
}

int
crypt_wrap_make(const struct store *st, const char *secret, struct key_wrap *k, struct err *e)
{
	unsigned char kek[32];

	memset(k, 0, sizeof *k);
	randombytes_buf(k->salt, sizeof k->salt);
	randombytes_buf(k->nonce, sizeof k->nonce);
	k->ops = DIBAO_PWHASH_OPS;
	k->mem = DIBAO_PWHASH_MEM;
	k->kind = WRAP_USER;
	if (wrap_key(k, secret, kek) != 0)
		return err_set(e, E_STORAGE, _("password hashing failed (out of memory)"));
	crypto_secretbox_easy(k->box, st->key, 32, k->nonce, kek);
	kek_check(kek, k->check);
	sodium_memzero(kek, sizeof kek);
	return 0;
}

static int
wrap_open(const struct key_wrap *k, const char *secret, unsigned char key[32])
{
	unsigned char kek[32];
	int r;

	/* a wrap whose cost was tampered up must not eat the machine */
	if (k->ops > 16 || k->mem > 1024u * 1024 * 1024)
		return -1;
	if (wrap_key(k, secret, kek) != 0)
		return -1;
	r = crypto_secretbox_open_easy(key, k->box, sizeof k->box, k->nonce, kek);
	sodium_memzero(kek, sizeof kek);
	return r;
}

static struct key_wrap *
find_wrap(struct key_file *kf, int kind, const char *login)
{
	for (int i = 0; i < kf->n; i++)
		if (kf->w[i].kind == kind && (kind == WRAP_RECOVERY || strcmp(kf->w[i].login, login) == 0))
			return &kf->w[i];
	return NULL;
}

/* Serialises the processes that open or remove the environment's shared
 * regions and those that rewrite the key file: a lock on the directory. */
int
dir_lock(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	return fd;
}

void
dir_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the lock */
}

/* Room for the key file, and the directory lock taken (*lk): NULL with e
 * when memory or the lock fails. */
static struct key_file *
keys_lock(const struct store *st, int *lk, struct err *e)
{
	struct key_file *kf = malloc(sizeof *kf);

	if (kf == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		return NULL;
	}
	if ((*lk = dir_lock(st->dir)) < 0) {
		int err = errno;
		free(kf);
		err_set(e, E_STORAGE, _("cannot lock %s: %s"), st->dir, strerror(err));
		return NULL;
	}
	return kf;
}

/* Read-modify-write of one wrap under the directory lock.  k NULL deletes
 * the login's wrap. */
static int
keys_update(struct store *st, const char *login, const struct key_wrap *k, struct err *e)
{
	struct key_file *kf;
	int lk, ret = -1;

	if (!st->enc)
		return 0;
	if ((kf = keys_lock(st, &lk, e)) == NULL)
		return -1;
	if (keys_read(st->dir, kf, e) != 0)
		goto out;
	struct key_wrap *old = find_wrap(kf, WRAP_USER, login);
	if (k == NULL) {
		/* disabling deletes the wrap: what stays tells the login that the
		 * user is disabled, and opens nothing */
		if (old != NULL) {
			old->kind = WRAP_DISABLED;
			sodium_memzero(old->nonce, sizeof old->nonce);
			sodium_memzero(old->box, sizeof old->box);
		} else if ((old = find_wrap(kf, WRAP_RESET, login)) != NULL) {
			/* waiting for a new password, now disabled: nothing stays */
			*old = kf->w[--kf->n];
		}
	} else {
		if (old == NULL && (old = find_wrap(kf, WRAP_DISABLED, login)) != NULL)
			old->kind = WRAP_USER;
		if (old == NULL)
			old = find_wrap(kf, WRAP_RESET, login); /* the new password's wrap */
		if (old == NULL) {
			if (kf->n == MAX_WRAPS) {
				err_set(e, E_REFUSED, _("key file: at most %d users"), MAX_WRAPS - 1);
				goto out;
			}
			old = &kf->w[kf->n++];
		}
		*old = *k;
		snprintf(old->login, sizeof old->login, "%s", login);
		old->kind = WRAP_USER;
	}
	ret = keys_write(st->dir, kf, e);
out:
	dir_unlock(lk);
	sodium_memzero(kf, sizeof *kf);
	free(kf);
	return ret;
}

int
crypt_wrap_put(struct store *st, const char *login, const struct key_wrap *k, struct err *e)
{
	return keys_update(st, login, k, e);
}

int
crypt_wrap_del(struct store *st, const char *login, struct err *e)
{
	return keys_update(st, login, NULL, e);
}

/* The recovery code: 20 random bytes in base32, in groups of four. */
static void
recovery_code(char out[RECOVERY_CODE_MAX])
{
	static const char a[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* no I, O, 0, 1 */
	unsigned char r[20];
	size_t o = 0;

	randombytes_buf(r, sizeof r);
	for (int i = 0; i < 32; i++) {
		int bit = i * 5, v = 0;
		for (int b = 0; b < 5; b++)
			v = v << 1 | ((r[(bit + b) / 8] >> (7 - (bit + b) % 8)) & 1);
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = a[v];
	}
	out[o] = '\0';
	sodium_memzero(r, sizeof r);
}

/* What the clerk types: case, spaces and dashes do not matter. */
static int
code_normalise(const char *in, char out[RECOVERY_CODE_MAX])
{
	return text_fold_code(in, out, RECOVERY_CODE_MAX) == 32 ? 0 : -1;
}

int
crypt_keys_init(struct store *st, const char *admin, const char *password, const struct user *resets, int n,
    struct err *e)
{
	struct key_file *kf;
	char norm[RECOVERY_CODE_MAX];
	int ret = -1;

	if (!st->enc)
		return 0;
	if ((kf = calloc(1, sizeof *kf)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	kf->created = (int64_t)time(NULL);
	key_id(st->key, kf->keyid);
	recovery_code(st->recovery);
	code_normalise(st->recovery, norm);
	if (crypt_wrap_make(st, password, &kf->w[0], e) != 0 || crypt_wrap_make(st, norm, &kf->w[1], e) != 0)
		goto out;
	snprintf(kf->w[0].login, sizeof kf->w[0].login, "%s", admin);
	kf->w[1].kind = WRAP_RECOVERY;
	kf->n = 2;
	for (int i = 0; i < n && kf->n < MAX_WRAPS; i++) {
		struct key_wrap *k = &kf->w[kf->n++];
		k->kind = WRAP_RESET;
		snprintf(k->login, sizeof k->login, "%s", resets[i].login);
		snprintf(k->pwhash, sizeof k->pwhash, "%s", resets[i].pwhash);
	}
	ret = keys_write(st->dir, kf, e);
out:
	sodium_memzero(norm, sizeof norm);
	sodium_memzero(kf, sizeof *kf);
	free(kf);
	return ret;
}

const char *
store_recovery_code(const struct store *st)
{
	return st->enc && st->recovery[0] ? st->recovery : NULL;
}

bool
store_encrypted(const struct store *st)
{
	return st->enc;
}

/* The old password of a user waiting for a new one (WRAP_RESET): right?
 * A string whose cost was tampered up is not tried. */
static bool
reset_password_right(const char *pwhash, const char *secret)
{
	unsigned m = 0, t = 0, p = 0;
	if (sscanf(pwhash, "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p) != 3 || m > 1024u * 1024 || t > 16)
		return false;
	return crypto_pwhash_str_verify(pwhash, secret, strlen(secret)) == 0;
}

bool
user_needs_key(const struct user *u)
{
	return !u->disabled && strcmp(u->pwhash, "!") == 0;
}

/* Unwrap the data key of dir with a user's password (kind WRAP_USER) or
 * the recovery code.  The same refusal for an unknown user and a wrong
 * password. */
int
crypt_unwrap(const char *dir, int kind, const char *login, const char *secret, unsigned char key[32],
    bool *outdated, struct err *e)
{
	struct key_file *kf;
	struct key_wrap *k;
	unsigned char id[16];
	char norm[RECOVERY_CODE_MAX];
	int ret = -1;

	if ((kf = malloc(sizeof *kf)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (keys_read(dir, kf, e) != 0)
		goto out;
	if (kind == WRAP_RECOVERY) {
		if (code_normalise(secret, norm) != 0) {
			err_set(e, E_REFUSED, "%s", _("recovery code: 32 letters and digits, as printed on the recovery sheet"));
			goto out;
		}
		secret = norm;
	}
	k = find_wrap(kf, kind, login);
	if (k == NULL && kind == WRAP_USER && secret != NULL && (k = find_wrap(kf, WRAP_DISABLED, login)) != NULL) {
		unsigned char kek[32], chk[32];
		bool right = k->ops <= 16 && k->mem <= 1024u * 1024 * 1024 && wrap_key(k, secret, kek) == 0;
		if (right) {
			kek_check(kek, chk);
			right = sodium_memcmp(chk, k->check, sizeof chk) == 0;
		}
		sodium_memzero(kek, sizeof kek);
		if (right)
			err_set(e, E_REFUSED, _("user %s is disabled"), login);
		else
			err_set(e, E_REFUSED, "%s", _("login: wrong user name or password"));
		goto out;
	}
	if (k == NULL && kind == WRAP_USER && secret != NULL && (k = find_wrap(kf, WRAP_RESET, login)) != NULL) {
		if (reset_password_right(k->pwhash, secret))
			err_set(e, E_REFUSED,
			    _("user %s has no key since the data was encrypted: an administrator sets a new password (dibao user passwd %s)"),
			    login, login);
		else
			err_set(e, E_REFUSED, "%s", _("login: wrong user name or password"));
		goto out;
	}
	if (k == NULL || secret == NULL || wrap_open(k, secret, key) != 0) {
		err_set(e, E_REFUSED, "%s", kind == WRAP_RECOVERY ? _("recovery code: wrong code for this data directory") :
		    _("login: wrong user name or password"));
		goto out;
	}
	key_id(key, id);
	if (sodium_memcmp(id, kf->keyid, sizeof id) != 0) {
		sodium_memzero(key, 32);
		err_set(e, E_STORAGE, _("the key file of %s is damaged (a wrap opens to another key)"), dir);
		goto out;
	}
	if (outdated)
		*outdated = k->ops != DIBAO_PWHASH_OPS || k->mem != DIBAO_PWHASH_MEM;
	ret = 0;
out:
	sodium_memzero(norm, sizeof norm);
	sodium_memzero(kf, sizeof *kf);
	free(kf);
	return ret;
}

/* ---- check ------------------------------------------------------------- */

struct kc_baton {
	struct key_file *kf;
	bool seen[MAX_WRAPS];
	problem_fn fn;
	void *baton;
	int problems;
};

static int
kc_user(const struct user *u, void *baton)
{
	struct kc_baton *b = baton;
	char msg[512];
	struct key_wrap *k = find_wrap(b->kf, WRAP_USER, u->login);

	if (k == NULL)
		k = find_wrap(b->kf, WRAP_DISABLED, u->login);
	if (k == NULL)
		k = find_wrap(b->kf, WRAP_RESET, u->login);
	if (k != NULL)
		b->seen[k - b->kf->w] = true;
	if (u->disabled && k != NULL && k->kind == WRAP_USER) {
		snprintf(msg, sizeof msg, _("key file: the disabled user %s still has a key"), u->login);
		b->fn(msg, b->baton);
		b->problems++;
	} else if (!u->disabled && strcmp(u->pwhash, "!") != 0 && k == NULL) {
		snprintf(msg, sizeof msg, _("key file: user %s has no key (an admin sets the password again)"), u->login);
		b->fn(msg, b->baton);
		b->problems++;
	}
	return 0;
}

int
crypt_check_users(struct store *st, int (*walk)(struct store *, user_fn, void *, struct err *), problem_fn fn,
    void *baton)
{
	struct kc_baton *b;
	struct err e;
	int n = 0;

	if (!st->enc)
		return 0;
	if ((b = calloc(1, sizeof *b)) == NULL || (b->kf = malloc(sizeof *b->kf)) == NULL) {
		free(b);
		fn(_("out of memory"), baton);
		return 1;
	}
	b->fn = fn;
	b->baton = baton;
	if (keys_read(st->dir, b->kf, &e) != 0) {
		fn(e.msg, baton);
		b->problems++;
	} else {
		unsigned char id[16];
		key_id(st->key, id);
		if (sodium_memcmp(id, b->kf->keyid, sizeof id) != 0) {
			fn(_("key file: it belongs to another data key"), baton);
			b->problems++;
		}
		if (find_wrap(b->kf, WRAP_RECOVERY, NULL) == NULL) {
			fn(_("key file: the recovery code's key is missing"), baton);
			b->problems++;
		}
		if (walk(st, kc_user, b, &e) != 0) {
			fn(e.msg, baton);
			b->problems++;
		}
		for (int i = 0; i < b->kf->n; i++)
			if (b->kf->w[i].kind != WRAP_RECOVERY && !b->seen[i]) {
				char msg[512];
				snprintf(msg, sizeof msg, _("key file: a key for %s, who is no user"), b->kf->w[i].login);
				fn(msg, baton);
				b->problems++;
			}
	}
	n = b->problems;
	sodium_memzero(b->kf, sizeof *b->kf);
	free(b->kf);
	free(b);
	return n;
}

/* The backup's key file goes with it: the copy stays encrypted, and opens
 * with the same passwords (or the recovery code). */
int
crypt_backup_keys(struct store *st, const char *dir, struct err *e)
{
	struct key_file *kf;
	int lk, ret;

	if (!st->enc)
		return 0;
	if ((kf = keys_lock(st, &lk, e)) == NULL)
		return -1;
	ret = keys_read(st->dir, kf, e);
	dir_unlock(lk);
	if (ret == 0)
		ret = keys_write(dir, kf, e);
	free(kf);
	return ret;
}

