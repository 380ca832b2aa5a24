/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * township-key.c — the township's own signing key (issue 16, point 5).
 *
 * The monthly archive carries the audit chain's head; signed with a key
 * of the township's, it anchors the chain outside the PC: the county
 * keeps every month's head, so entries removed or rehashed after a month
 * left are noticed with the next month.  The key pair is Ed25519
 * (libsodium crypto_sign), made at the first export.  Its 32-byte seed is
 * kept in the file dibao.sign beside the environment, mode 0600, written
 * atomically; on an encrypted store the seed is sealed (crypto_secretbox)
 * under a key derived from the data key, as the attachments are, so the
 * file alone gives nothing away (docs/FORMAT.md "the signing key").
 *
 * On the county's side: the key each township signed with, pinned at its
 * first import (meta "county.signer.<township>").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "core/roles.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/township-key.h"
#include "store/afile.h"

#define SIGN_FILE "dibao.sign"
#define SIGN_MAGIC "dibao-sign-key 1"

static int
sign_path(const struct store *st, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/" SIGN_FILE, st->dir);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static void
seal_key(const struct store *st, unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, 2, "dibaosig", st->key);
}

void
sign_fingerprint(const unsigned char pk[32], char out[SIGN_FPR_LEN])
{
	unsigned char h[32];
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	/* the first 128 bits of the key's SHA-256, read aloud in groups of 4 */
	crypto_hash_sha256(h, pk, 32);
	for (int i = 0; i < 16; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hx[h[i] >> 4];
		out[o++] = hx[h[i] & 15];
	}
	out[o] = '\0';
}

int
sign_fingerprint_hex(const char *hexpk, char out[SIGN_FPR_LEN])
{
	unsigned char pk[32];
	if (strlen(hexpk) != 64 || sodium_hex2bin(pk, 32, hexpk, 64, NULL, NULL, NULL) != 0)
		return -1;
	sign_fingerprint(pk, out);
	return 0;
}

/* 0 loaded, 1 no key file, -1 error (e) */
static int
sign_load(struct store *st, unsigned char seed[32], struct err *e)
{
	char path[PATH_MAX], text[512], kind[16], a[200], b[200];
	FILE *f;
	size_t n;

	if (sign_path(st, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, "%s", _("data directory path too long"));
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 1;
		return err_set(e, E_STORAGE, _("the signing key %s: %s"), path, strerror(errno));
	}
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	a[0] = b[0] = '\0';
	if (strncmp(text, SIGN_MAGIC "\n", strlen(SIGN_MAGIC) + 1) != 0 ||
	    sscanf(text + strlen(SIGN_MAGIC) + 1, "%15s %199s %199s", kind, a, b) < 2)
		goto damaged;
	if (strcmp(kind, "plain") == 0) {
		if (st->enc)
			return err_set(e, E_REFUSED,
			    _("the signing key %s is not sealed, but this store is encrypted: it was put there by hand, refused"), path);
		if (strlen(a) != 64 || sodium_hex2bin(seed, 32, a, 64, NULL, NULL, NULL) != 0)
			goto damaged;
		return 0;
	}
	if (strcmp(kind, "sealed") == 0 && st->enc) {
		unsigned char nonce[crypto_secretbox_NONCEBYTES], box[32 + crypto_secretbox_MACBYTES], k[32];
		if (strlen(a) != 2 * sizeof nonce || strlen(b) != 2 * sizeof box ||
		    sodium_hex2bin(nonce, sizeof nonce, a, strlen(a), NULL, NULL, NULL) != 0 ||
		    sodium_hex2bin(box, sizeof box, b, strlen(b), NULL, NULL, NULL) != 0)
			goto damaged;
		seal_key(st, k);
		int r = crypto_secretbox_open_easy(seed, box, sizeof box, nonce, k);
		sodium_memzero(k, sizeof k);
		if (r != 0)
			goto damaged;
		return 0;
	}
damaged:
	return err_set(e, E_STORAGE, _("the signing key %s is damaged: restore it from a backup"), path);
}

static int
sign_save(struct store *st, const unsigned char seed[32], struct err *e)
{
	char path[PATH_MAX], text[512], hx[2 * 48 + 1];
	const char *what = NULL;
	int n;

	if (sign_path(st, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, "%s", _("data directory path too long"));
	if (st->enc) {
		unsigned char nonce[crypto_secretbox_NONCEBYTES], box[32 + crypto_secretbox_MACBYTES], k[32];
		char hn[2 * sizeof nonce + 1];
		randombytes_buf(nonce, sizeof nonce);
		seal_key(st, k);
		crypto_secretbox_easy(box, seed, 32, nonce, k);
		sodium_memzero(k, sizeof k);
		sodium_bin2hex(hn, sizeof hn, nonce, sizeof nonce);
		sodium_bin2hex(hx, sizeof hx, box, sizeof box);
		n = snprintf(text, sizeof text, SIGN_MAGIC "\nsealed %s %s\n", hn, hx);
	} else {
		sodium_bin2hex(hx, sizeof hx, seed, 32);
		n = snprintf(text, sizeof text, SIGN_MAGIC "\nplain %s\n", hx);
	}
	int r = afile_write(path, text, (size_t)n, AFILE_PRIVATE, &what);
	sodium_memzero(text, sizeof text);
	sodium_memzero(hx, sizeof hx);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the signing key %s: %s (%s)"), path, strerror(errno), what ? what : "");
	return 0;
}

struct mk_baton {
	const struct user *actor;
	unsigned char seed[32];
};

static int
make_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct mk_baton *b = baton;
	unsigned char pk[32], sk[64];
	char fpr[SIGN_FPR_LEN], hpk[65];
	int r;

	uint64_t seq;
	/* the audit head's lock, taken first, orders two exports making the
	 * key at once: the second finds the first's file */
	if (audit_length(st, txn, &seq, e) != 0)
		return -1;
	if ((r = sign_load(st, b->seed, e)) <= 0)
		return r; /* made meanwhile (0), or an error */
	randombytes_buf(b->seed, 32);
	crypto_sign_seed_keypair(pk, sk, b->seed);
	sodium_memzero(sk, sizeof sk);
	sign_fingerprint(pk, fpr);
	sodium_bin2hex(hpk, sizeof hpk, pk, 32);
	if (audit_appendj(st, txn, b->actor->login, "township.key", "township",
	    json_pack("{s:s,s:s}", "public", hpk, "fingerprint", fpr), e) != 0)
		return -1;
	return sign_save(st, b->seed, e);
}

int
township_sign_key(struct store *st, const struct user *actor, bool create, unsigned char pk[32],
    unsigned char sk[64], struct err *e)
{
	struct mk_baton b = {.actor = actor};
	int r = sign_load(st, b.seed, e);

	if (r == 1 && !create)
		r = err_set(e, E_NOTFOUND, "%s", _("this township has no signing key yet (it is made at the first export)"));
	else if (r == 1)
		r = store_txn_run(st, make_body, &b, e);
	if (r == 0)
		crypto_sign_seed_keypair(pk, sk, b.seed);
	sodium_memzero(b.seed, sizeof b.seed);
	return r;
}

int
township_sign_backup(struct store *st, const char *dir, struct err *e)
{
	char from[PATH_MAX], to[PATH_MAX], text[512];
	const char *what = NULL;
	FILE *f;
	size_t n;

	if (sign_path(st, from, sizeof from) != 0 || snprintf(to, sizeof to, "%s/" SIGN_FILE, dir) >= (int)sizeof to)
		return err_set(e, E_STORAGE, "%s", _("data directory path too long"));
	if ((f = fopen(from, "re")) == NULL)
		return errno == ENOENT ? 0 : err_set(e, E_STORAGE, _("the signing key %s: %s"), from, strerror(errno));
	n = fread(text, 1, sizeof text, f);
	fclose(f);
	int r = afile_write(to, text, n, AFILE_PRIVATE, &what);
	sodium_memzero(text, sizeof text);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the signing key %s: %s (%s)"), to, strerror(errno), what ? what : "");
	return 0;
}

/* ---- the county: keys pinned ---------------------------------------------- */

int
county_pinned_key(struct store *st, store_txn *txn, const char *township, unsigned char pk[32], struct err *e)
{
	char key[64], hx[80];

	snprintf(key, sizeof key, "county.signer.%s", township);
	if (meta_get(st, txn, key, hx, sizeof hx, e) != 0) {
		if (e->code != E_NOTFOUND)
			return -1;
		err_clear(e);
		return 1;
	}
	if (strlen(hx) != 64 || sodium_hex2bin(pk, 32, hx, 64, NULL, NULL, NULL) != 0)
		return err_set(e, E_STORAGE, _("the signing key pinned for township %s is damaged"), township);
	return 0;
}

int
county_pin_key(struct store *st, store_txn *txn, const char *township, const unsigned char pk[32], struct err *e)
{
	char key[64], hx[65];

	snprintf(key, sizeof key, "county.signer.%s", township);
	sodium_bin2hex(hx, sizeof hx, pk, 32);
	return meta_put(st, txn, key, hx, e);
}
