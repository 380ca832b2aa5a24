/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/township-key.h — the township's signing key (issue 16 point 5;
 * township-key.c).
 */
#ifndef DIBAO_STORE_TOWNSHIP_KEY_H
#define DIBAO_STORE_TOWNSHIP_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

/* ---- township-key.c: the township's signing key (issue 16 point 5) ---- */
#define SIGN_FPR_LEN 40
/* The township's Ed25519 key pair (crypto_sign): its seed in dibao.sign
 * beside the environment (0600; sealed under the data key on an encrypted
 * store).  create: made when missing, audited "township.key". */
int township_sign_key(struct store *st, const struct user *actor, bool create, unsigned char pk[32],
    unsigned char sk[64], struct err *e);
/* A copy of dibao.sign into a backup directory (none: nothing to copy). */
int township_sign_backup(struct store *st, const char *dir, struct err *e);
/* The fingerprint read out by phone: 128 bits of SHA-256(pk) in hex groups. */
void sign_fingerprint(const unsigned char pk[32], char out[SIGN_FPR_LEN]);
/* the same from the key in hex: -1 if it is not 64 hex digits */
int sign_fingerprint_hex(const char *hexpk, char out[SIGN_FPR_LEN]);
/* county: the key pinned for a township: 0 found, 1 none yet, -1 error */
int county_pinned_key(struct store *st, store_txn *txn, const char *township, unsigned char pk[32], struct err *e);
int county_pin_key(struct store *st, store_txn *txn, const char *township, const unsigned char pk[32], struct err *e);

#endif
