/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/crypt-int.h — inside the store only: the key file and the encrypted
 * environment (crypt.c, crypt-env.c, crypt-stream.c), and the directory lock
 * that serialises the processes opening or removing an encrypted
 * environment's regions and those rewriting its key file.
 */
#ifndef DIBAO_STORE_CRYPT_INT_H
#define DIBAO_STORE_CRYPT_INT_H

#include <jansson.h>

#include "store/check.h"
#include "store/env-int.h"
#include "store/user.h"
#include "core/roles.h"
#include "core/sizes.h"

/* ---- crypt.c (i14): the key file and the encrypted environment ---- */
/* WRAP_RESET (issue 14): a user of a store that `dibao encrypt` converted,
 * who has no wrap until an administrator sets a new password; what stays
 * is the old password's Argon2id string, so the login can tell them so */
enum { WRAP_USER = 1, WRAP_RECOVERY = 2, WRAP_DISABLED = 3, WRAP_RESET = 4 };
struct key_wrap {
	char login[USER_MAX_BYTES];
	int kind;
	unsigned char salt[16];            /* crypto_pwhash_SALTBYTES */
	uint64_t ops, mem;
	unsigned char nonce[24];           /* crypto_secretbox_NONCEBYTES */
	unsigned char box[16 + 32];        /* MAC + data key */
	unsigned char check[32];           /* BLAKE2b of the wrapping key */
	char pwhash[128];                  /* WRAP_RESET: the old Argon2id string */
};
int crypt_attach(struct store *st, int flags, const unsigned char *key, struct err *e);
int crypt_env_setup(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e);
void crypt_env_opened(struct store *st);
void crypt_env_release(struct store *st);
int crypt_wrap_make(const struct store *st, const char *secret, struct key_wrap *k, struct err *e);
int crypt_wrap_put(struct store *st, const char *login, const struct key_wrap *k, struct err *e);
int crypt_wrap_del(struct store *st, const char *login, struct err *e);
/* resets: the users of an encrypted conversion who need a new password
 * (login and old Argon2id string), n of them */
int crypt_keys_init(struct store *st, const char *admin, const char *password, const struct user *resets, int n,
    struct err *e);
int crypt_unwrap(const char *dir, int kind, const char *login, const char *secret, unsigned char key[32],
    bool *outdated, struct err *e);
/* The key file checked against the users: crypt_check (crypt-login.c)
 * passes crypt_check_users (crypt.c) the walk of the users (user.c). */
int crypt_check(struct store *st, problem_fn fn, void *baton);
int crypt_check_users(struct store *st, int (*walk)(struct store *, user_fn, void *, struct err *), problem_fn fn,
    void *baton);
int crypt_backup_keys(struct store *st, const char *dir, struct err *e);
void crypt_attach_key(const struct store *st, unsigned char out[32]);
int attach_copy_sealed(struct store *dst, const char *src_path, const char *sha_hex, struct err *e);
int user_lock_all_but(struct store *st, store_txn *txn, const char *login, json_t *locked, struct err *e);

/* the directory lock (crypt.c) */
int dir_lock(const char *dir);
void dir_unlock(int fd);
/* crypt-env.c: removes the unattached shared-memory segments of the
 * encrypted store in dir (which must still exist); how many went */
int crypt_regions_remove(const char *dir);

#endif
