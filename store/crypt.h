/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/crypt.h — encryption at rest, login before the environment opens (i14):
 * crypt.c and encrypt.c.
 */
#ifndef DIBAO_STORE_CRYPT_H
#define DIBAO_STORE_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"

/* ---- crypt.c: encryption at rest, login before the environment opens (i14) */

/* Argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): the
 * password hashes and the key wraps */
#define DIBAO_PWHASH_OPS 2
#define DIBAO_PWHASH_MEM (19u * 1024 * 1024)
#define RECOVERY_CODE_MAX 48
/* Has dir a key file, i.e. is it encrypted? */
bool store_dir_encrypted(const char *dir);
/* Open dir as login: an encrypted directory's data key is unwrapped with
 * the password first; then user_login.  0, or -1 with *out NULL. */
int store_open_login(struct store **out, const char *dir, int flags, const char *login,
    const char *password, struct user *u, struct err *e);
/* Open with a data key already unwrapped (NULL: a plaintext directory). */
int store_open_key(struct store **out, const char *dir, int flags, const unsigned char *key, struct err *e);
bool store_encrypted(const struct store *st);
/* After store_init of an encrypted directory: the recovery code (for the
 * recovery sheet), else NULL. */
const char *store_recovery_code(const struct store *st);
/* An active user with no password, hence no key (after dibao encrypt):
 * an administrator sets a new one (user passwd) */
bool user_needs_key(const struct user *u);
/* The recovery sheet's code opens dir; login (an admin) gets password. */
int store_recover(const char *dir, const char *code, const char *login, const char *password, struct err *e);
/* libsodium secretstream over file descriptors, 64 KiB chunks, each with a
 * 4-byte big-endian length; ad authenticates the first chunk.  0 or -1
 * (errno). */
int crypt_stream_push(int in, int out, const unsigned char key[32], const unsigned char *ad, size_t adlen);
/* The stream read in place, one chunk in memory at a time: fd (owned
 * by the stream from now on, closed on failure too) from where it stands; *plain
 * (if not NULL) the plaintext's size, from the layout.  A read that meets
 * damage, a cut or an alteration fails with errno EBADMSG.  NULL with errno. */
FILE *crypt_stream_fopen(int fd, const unsigned char key[32], const unsigned char *ad, size_t adlen, off_t *plain);
/* encrypt.c: convert the plaintext data directory dir (SPEC 11); login is
 * an administrator of it.  The old directory is kept (res->old_dir). */
struct encrypt_result {
	uint64_t records, files;
	char recovery[RECOVERY_CODE_MAX];
	char old_dir[4200];
	char locked[64][USER_MAX_BYTES]; /* users who need a new password */
	int n_locked;
};
int store_encrypt(const char *dir, const char *login, const char *password, struct encrypt_result *res,
    struct err *e);
/* The county's key pair for sealed archives (meta, encrypted at rest);
 * create: made if missing (admin, audited "county.key"). */
int county_keypair(struct store *st, const struct user *actor, bool create, unsigned char pk[32],
    unsigned char sk[32], struct err *e);

#endif
