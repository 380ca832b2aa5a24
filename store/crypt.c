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

#include "core/core.h"
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
	if ((fd = open(path, O_RDONLY)) < 0) {
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

/* Write the key file whole (core/afile.c: temporary, fsync, rename, fsync
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
static int
dir_lock(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	return fd;
}

static void
dir_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the lock */
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
	if ((kf = malloc(sizeof *kf)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if ((lk = dir_lock(st->dir)) < 0) {
		free(kf);
		return err_set(e, E_STORAGE, _("cannot lock %s: %s"), st->dir, strerror(errno));
	}
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
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (o + 1 >= RECOVERY_CODE_MAX)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o == 32 ? 0 : -1;
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

/* ---- the environment --------------------------------------------------- */

int
crypt_attach(struct store *st, int flags, const unsigned char *key, struct err *e)
{
	st->lockfd = -1;
	if ((flags & STORE_CREATE) && store_dir_encrypted(st->dir))
		return err_set(e, E_REFUSED, _("%s already holds a dibao database"), st->dir);
	if ((flags & STORE_CREATE) && (flags & STORE_ENCRYPT)) {
		randombytes_buf(st->key, sizeof st->key);
		st->enc = true;
	} else if (key != NULL) {
		memcpy(st->key, key, sizeof st->key);
		st->enc = true;
	} else if (!(flags & STORE_CREATE) && store_dir_encrypted(st->dir)) {
		return err_set(e, E_REFUSED, _("%s is encrypted: log in (user and password) to open it"), st->dir);
	}
	return 0;
}

/* The System V key of the regions: from the data directory's real path, so
 * two directories never share; a block of 64 keys for BDB's regions. */
static long
shm_key(const char *dir)
{
	char real[PATH_MAX];
	unsigned char h[8];
	uint32_t v;
	if (realpath(dir, real) == NULL)
		snprintf(real, sizeof real, "%s", dir);
	crypto_generichash(h, sizeof h, (const unsigned char *)real, strlen(real), NULL, 0);
	memcpy(&v, h, sizeof v);
	return 0x10000000L + (long)(v % 0x400000u) * 64; /* 0x10000000 .. 0x1fffffc0 */
}

/* Under the directory lock, before the open: __db.001 names the
 * environment's segment (its key is shm_key's base), and when that segment
 * is gone the file is stale — a process killed inside DB_ENV->remove, between
 * removing the segments and the files, or a segment removed by hand.  Every
 * later open would fail to join it (BDB1546, measured in crash.sh): the
 * region files go (not __db.register, which still tells a dead process and
 * so a recovery), and the open makes new regions. */
static void
stale_regions(struct store *st)
{
	char path[PATH_MAX];
	struct stat sb;

	if ((size_t)snprintf(path, sizeof path, "%s/__db.001", st->dir) >= sizeof path || stat(path, &sb) != 0)
		return;
	if (shmget((key_t)st->shmkey, 0, 0) >= 0 || errno != ENOENT)
		return;
	for (int i = 1; i < 100; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/__db.%03d", st->dir, i) >= sizeof path ||
		    (unlink(path) != 0 && errno == ENOENT))
			break;
	}
}

int
crypt_env_setup(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e)
{
	char pw[65];
	int ret;

	if (!st->enc)
		return 0;
	sodium_bin2hex(pw, sizeof pw, st->key, sizeof st->key);
	ret = env->set_encrypt(env, pw, DB_ENCRYPT_AES);
	sodium_memzero(pw, sizeof pw);
	st->shmkey = shm_key(st->dir);
	if (ret != 0 || (ret = env->set_shm_key(env, st->shmkey)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	*oflags |= DB_SYSTEM_MEM;
	/* env.c opens without DB_FAILCHK (issue 16), which an encrypted
	 * environment needs above all: Berkeley DB
	 * 5.3 hands the key to the regions once and then frees it
	 * (__crypto_region_init); with DB_REGISTER and DB_FAILCHK, an open that
	 * finds a dead process in the register attaches the regions a first
	 * time to run failchk, and then a second time without a key: "Invalid
	 * password" when failchk succeeded, and when it answered
	 * DB_RUNRECOVERY (the dead one held a mutex) the recovery's new
	 * regions are made with a null key, a SIGSEGV in memset (measured with
	 * a probe, tests/cli/crash.sh).  Without it, a dead process found in
	 * the register makes the open run recovery, as on a plain store before
	 * failure checking; the watchdog's failchk on an open environment
	 * (failchk.c) is unaffected. */
	/* so every dead process found makes a full recovery: before it, the
	 * survivors are told (panic) and given a moment to finish a commit
	 * they are writing, which the recovery must then see in the log */
	if ((ret = env->set_timeout(env, 300000, DB_SET_REG_TIMEOUT)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* the regions are memory, not files: written whole when made (DB_REGION_INIT,
	 * against SIGBUS on a sparse file of a full disk, failchk.c) they would
	 * only count whole in every process's RSS (measured: check of 10,000
	 * households 81 -> 41 MB, demo load 45 -> 36 MB) */
	if ((ret = env->set_flags(env, DB_REGION_INIT, 0)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* Berkeley DB decrypts a page each time it enters the cache: twice the
	 * plain cache halves the re-reads of check and of bulk loads (measured:
	 * check of 10,000 households 5.5 -> 3.5 s of CPU, peak RSS 28 -> 33 MB) */
	if ((ret = env->set_cachesize(env, 0, 16 * 1024 * 1024, 1)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* held until the environment is open: a process leaving may remove
	 * the regions only when nobody else is attached (crypt_env_release) */
	if (st->lockfd < 0 && (st->lockfd = dir_lock(st->dir)) < 0)
		return err_set(e, E_STORAGE, _("cannot lock %s: %s"), st->dir, strerror(errno));
	stale_regions(st);
	return 0;
}

void
crypt_env_opened(struct store *st)
{
	dir_unlock(st->lockfd);
	st->lockfd = -1;
}

/* The directory went away under us (a test's clean-up, a clerk deleting
 * it): our segments by their keys, those nobody is attached to. */
static void
shm_remove_keys(long base)
{
	for (int i = 0; i < 64; i++) {
		struct shmid_ds ds;
		int id = shmget((key_t)(base + i), 0, 0);
		if (id >= 0 && shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 0)
			shmctl(id, IPC_RMID, NULL);
	}
}

/* After the environment closed: the last process out removes the shared
 * regions (DB_ENV->remove without DB_FORCE refuses while others are
 * attached), so no segment outlives its users. */
void
crypt_env_release(struct store *st)
{
	DB_ENV *env;
	char pw[65];
	int lk;

	if (!st->enc)
		return;
	if (st->lockfd >= 0) {
		/* the open failed while holding the lock */
		lk = st->lockfd;
		st->lockfd = -1;
	} else if ((lk = dir_lock(st->dir)) < 0) {
		if (errno == ENOENT && st->shmkey != 0)
			shm_remove_keys(st->shmkey);
		return;
	}
	if (db_env_create(&env, 0) == 0) {
		sodium_bin2hex(pw, sizeof pw, st->key, sizeof st->key);
		env->set_encrypt(env, pw, DB_ENCRYPT_AES);
		sodium_memzero(pw, sizeof pw);
		env->set_shm_key(env, shm_key(st->dir));
		env->remove(env, st->dir, 0); /* EBUSY while others work: fine */
	}
	dir_unlock(lk);
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
crypt_check(struct store *st, problem_fn fn, void *baton)
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
		if (user_list(st, kc_user, b, &e) != 0) {
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

/* ---- login before the environment opens -------------------------------- */

/* A failed login cannot reach the audit chain of a store it could not
 * open: it is noted in dibao.logins (time and user name, no password) and
 * moved into the chain as "login.fail" by the next login that opens it. */
#define LOGINS "dibao.logins"
#define LOGINS_MAX 65536

static void
note_failure(const char *dir, const char *login)
{
	char path[PATH_MAX], line[128];
	struct stat sb;
	int lk, fd;
	bool name_ok = login != NULL && *login != '\0' && strlen(login) < USER_MAX_BYTES &&
	    strspn(login, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(login);

	if ((size_t)snprintf(path, sizeof path, "%s/" LOGINS, dir) >= sizeof path)
		return;
	int n = snprintf(line, sizeof line, "%lld %s\n", (long long)time(NULL), name_ok ? login : "?");
	if ((lk = dir_lock(dir)) < 0)
		return;
	if ((stat(path, &sb) != 0 || sb.st_size < LOGINS_MAX) &&
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600)) >= 0) {
		if (write(fd, line, (size_t)n) == n)
			fsync(fd);
		close(fd);
	}
	dir_unlock(lk);
}

struct fail_list {
	char *text;
};

static int
flush_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct fail_list *f = baton;
	char *save = NULL, *copy = strdup(f->text);

	if (copy == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		long long at;
		char who[USER_MAX_BYTES];
		if (sscanf(l, "%lld %31s", &at, who) != 2)
			continue;
		if (audit_appendj(st, txn, who, "login.fail", who, json_pack("{s:I}", "at", (json_int_t)at), e) != 0) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

static void
flush_failures(struct store *st)
{
	char path[PATH_MAX];
	struct fail_list f = {NULL};
	struct stat sb;
	struct err e;
	int lk, fd;

	if ((size_t)snprintf(path, sizeof path, "%s/" LOGINS, st->dir) >= sizeof path || stat(path, &sb) != 0)
		return;
	/* read under the directory lock, audit without it (a transaction
	 * rewriting the key file takes it), then drop what was audited */
	if ((lk = dir_lock(st->dir)) < 0)
		return;
	bool got = (fd = open(path, O_RDONLY)) >= 0 && fstat(fd, &sb) == 0 && sb.st_size <= LOGINS_MAX &&
	    (f.text = calloc(1, (size_t)sb.st_size + 1)) != NULL &&
	    read(fd, f.text, (size_t)sb.st_size) == sb.st_size;
	if (fd >= 0)
		close(fd);
	dir_unlock(lk);
	if (got && store_txn_run(st, flush_body, &f, &e) == 0 && (lk = dir_lock(st->dir)) >= 0) {
		struct stat now;
		if (stat(path, &now) == 0 && now.st_size == sb.st_size)
			unlink(path);
		else if (stat(path, &now) == 0 && (fd = open(path, O_RDWR)) >= 0) {
			/* more came meanwhile: keep only that */
			size_t rest = (size_t)(now.st_size - sb.st_size);
			char *tail = malloc(rest);
			if (tail != NULL && pread(fd, tail, rest, sb.st_size) == (ssize_t)rest &&
			    pwrite(fd, tail, rest, 0) == (ssize_t)rest)
				(void)ftruncate(fd, (off_t)rest);
			free(tail);
			close(fd);
		}
		dir_unlock(lk);
	}
	free(f.text);
}

int
store_open_login(struct store **out, const char *dir, int flags, const char *login, const char *password,
    struct user *u, struct err *e)
{
	unsigned char key[32];
	bool outdated = false;
	int ret;

	*out = NULL;
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, E_REFUSED, _("no data directory %s: run \"dibao init\" first"), dir);
	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (!store_dir_encrypted(dir)) {
		if (store_open(out, dir, flags, e) != 0)
			return -1;
		if (user_login(*out, login, password, u, e) != 0) {
			store_close(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
	if (crypt_unwrap(dir, WRAP_USER, login, password, key, &outdated, e) != 0) {
		if (e->code == E_REFUSED)
			note_failure(dir, login);
		return -1;
	}
	ret = store_open_key(out, dir, flags, key, e);
	sodium_memzero(key, sizeof key);
	if (ret != 0)
		return -1;
	/* the wrap opened: the password is right; user_login_checked sees to
	 * a disabled user and to hashes and wraps of an older profile */
	if (user_login_checked(*out, login, password, outdated, u, e) != 0) {
		store_close(*out);
		*out = NULL;
		return -1;
	}
	flush_failures(*out);
	return 0;
}

int
store_recover(const char *dir, const char *code, const char *login, const char *password, struct err *e)
{
	unsigned char key[32];
	struct store *st;
	int ret;

	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (!store_dir_encrypted(dir))
		return err_set(e, E_REFUSED, _("%s is not encrypted: it has no recovery code (an admin sets passwords with user passwd)"), dir);
	if (crypt_unwrap(dir, WRAP_RECOVERY, NULL, code, key, NULL, e) != 0)
		return -1;
	ret = store_open_key(&st, dir, 0, key, e);
	sodium_memzero(key, sizeof key);
	if (ret != 0)
		return -1;
	ret = user_recover(st, login, password, e);
	store_close(st);
	return ret;
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
	if ((kf = malloc(sizeof *kf)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if ((lk = dir_lock(st->dir)) < 0) {
		free(kf);
		return err_set(e, E_STORAGE, _("cannot lock %s: %s"), st->dir, strerror(errno));
	}
	ret = keys_read(st->dir, kf, e);
	dir_unlock(lk);
	if (ret == 0)
		ret = keys_write(dir, kf, e);
	free(kf);
	return ret;
}

/* ---- the county's key pair (sealed handover) ----------------------------- */

struct ck_baton {
	const struct user *actor;
	unsigned char pk[32], sk[32];
	bool made;
};

static int
ck_load(struct store *st, store_txn *txn, unsigned char pk[32], unsigned char sk[32], struct err *e)
{
	char hpk[65], hsk[65];
	if (meta_get(st, txn, "county.seal.pk", hpk, sizeof hpk, e) != 0 ||
	    meta_get(st, txn, "county.seal.sk", hsk, sizeof hsk, e) != 0)
		return -1;
	int r = sodium_hex2bin(pk, 32, hpk, 64, NULL, NULL, NULL) != 0 ||
	    sodium_hex2bin(sk, 32, hsk, 64, NULL, NULL, NULL) != 0;
	sodium_memzero(hsk, sizeof hsk);
	return r ? err_set(e, E_STORAGE, "%s", _("the county's key pair is damaged")) : 0;
}

static int
ck_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct ck_baton *b = baton;
	char hpk[65], hsk[65];

	if (ck_load(st, txn, b->pk, b->sk, e) == 0)
		return 0; /* another process made it just now */
	if (e->code != E_NOTFOUND)
		return -1;
	err_clear(e);
	crypto_box_keypair(b->pk, b->sk);
	sodium_bin2hex(hpk, sizeof hpk, b->pk, 32);
	sodium_bin2hex(hsk, sizeof hsk, b->sk, 32);
	int r = meta_put(st, txn, "county.seal.pk", hpk, e) != 0 || meta_put(st, txn, "county.seal.sk", hsk, e) != 0;
	sodium_memzero(hsk, sizeof hsk);
	if (r)
		return -1;
	b->made = true;
	return audit_appendj(st, txn, b->actor->login, "county.key", "county", json_pack("{s:s}", "public", hpk), e);
}

int
county_keypair(struct store *st, const struct user *actor, bool create, unsigned char pk[32], unsigned char sk[32],
    struct err *e)
{
	struct ck_baton b = {.actor = actor};
	char kind[32];
	int r;

	if (meta_get(st, NULL, "kind", kind, sizeof kind, e) != 0 || strcmp(kind, "county") != 0)
		return err_set(e, E_REFUSED, "%s", _("only a county database has a key pair (dibao init --county-code …)"));
	if (ck_load(st, NULL, pk, sk, e) == 0)
		return 0;
	if (e->code != E_NOTFOUND)
		return -1;
	if (!create)
		return err_set(e, E_REFUSED, "%s", _("this county has no key pair yet: its administrator runs dibao county key, and each township enters the key"));
	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	r = store_txn_run(st, ck_body, &b, e);
	memcpy(pk, b.pk, 32);
	memcpy(sk, b.sk, 32);
	sodium_memzero(b.sk, sizeof b.sk);
	return r;
}

/* ---- streams: attachments and sealed archives ---------------------------- */

#define STREAM_CHUNK 65536

/* Up to n bytes: how many (short only at the end), -1 error */
static ssize_t
fd_read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
crypt_stream_push(int in, int out, const unsigned char key[32], const unsigned char *ad, size_t adlen)
{
	crypto_secretstream_xchacha20poly1305_state s;
	unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	unsigned char *a = malloc(STREAM_CHUNK), *b = malloc(STREAM_CHUNK),
	    *c = malloc(STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
	int ret = -1;

	if (a == NULL || b == NULL || c == NULL) {
		errno = ENOMEM;
		goto out;
	}
	crypto_secretstream_xchacha20poly1305_init_push(&s, hdr, key);
	if (fd_write_all(out, hdr, sizeof hdr) != 0)
		goto out;
	/* a chunk read ahead: the last one carries TAG_FINAL */
	ssize_t len = fd_read_full(in, a, STREAM_CHUNK), nlen;
	for (bool first = true;; first = false) {
		unsigned long long clen;
		unsigned char be[4], *t;
		if (len < 0)
			goto out;
		nlen = len == STREAM_CHUNK ? fd_read_full(in, b, STREAM_CHUNK) : 0;
		if (nlen < 0)
			goto out;
		crypto_secretstream_xchacha20poly1305_push(&s, c, &clen, a, (unsigned long long)len,
		    first ? ad : NULL, first ? adlen : 0,
		    nlen == 0 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		be[0] = (unsigned char)(clen >> 24);
		be[1] = (unsigned char)(clen >> 16);
		be[2] = (unsigned char)(clen >> 8);
		be[3] = (unsigned char)clen;
		if (fd_write_all(out, be, 4) != 0 || fd_write_all(out, c, (size_t)clen) != 0)
			goto out;
		if (nlen == 0)
			break;
		t = a;
		a = b;
		b = t;
		len = nlen;
	}
	ret = 0;
out:
	if (a)
		sodium_memzero(a, STREAM_CHUNK);
	if (b)
		sodium_memzero(b, STREAM_CHUNK);
	free(a);
	free(b);
	free(c);
	return ret;
}

int
crypt_stream_pull(int in, int out, const unsigned char key[32], const unsigned char *ad, size_t adlen)
{
	crypto_secretstream_xchacha20poly1305_state s;
	unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES], be[4];
	unsigned char *m = malloc(STREAM_CHUNK), *c = malloc(STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
	int ret = -1;
	bool final = false;

	if (m == NULL || c == NULL) {
		free(m);
		free(c);
		return -2;
	}
	if (fd_read_full(in, hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
	    crypto_secretstream_xchacha20poly1305_init_pull(&s, hdr, key) != 0)
		goto out;
	for (bool first = true; !final; first = false) {
		unsigned long long mlen;
		unsigned char tag;
		if (fd_read_full(in, be, 4) != 4)
			goto out; /* ends before the final chunk: truncated */
		uint32_t clen = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 | be[3];
		if (clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
		    clen > STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES ||
		    fd_read_full(in, c, clen) != (ssize_t)clen ||
		    crypto_secretstream_xchacha20poly1305_pull(&s, m, &mlen, &tag, c, clen,
		    first ? ad : NULL, first ? adlen : 0) != 0)
			goto out;
		final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		if (fd_write_all(out, m, (size_t)mlen) != 0) {
			ret = -2;
			goto out;
		}
	}
	ret = fd_read_full(in, be, 1) == 0 ? 0 : -1; /* nothing after the final chunk */
out:
	sodium_memzero(m, STREAM_CHUNK);
	free(m);
	free(c);
	return ret;
}

void
crypt_attach_key(const struct store *st, unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, 1, "dibaoatt", st->key);
}
