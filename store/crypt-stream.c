/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crypt-stream.c — encryption at rest (SPEC 11), beyond the databases: the
 * county's key pair for the sealed handover, and the libsodium
 * secretstream that encrypts attachments and seals archives under keys
 * derived from the data key (crypt.c holds the key file and its wraps).
 */
#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/afile.h"
#include "store/audit-int.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/user.h"
#include "core/roles.h"

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

void
crypt_attach_key(const struct store *st, unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, 1, "dibaoatt", st->key);
}

/* ---- a stream read in place: an attachment without a decrypted copy ------ */

/* Decrypted into an anonymous memory file, a scan or a sealed archive was
 * held whole in memory while it was read (issue 17: memory must not grow
 * with the scans); the reader decrypts one chunk at a time as it is read. */
struct sreader {
	crypto_secretstream_xchacha20poly1305_state s;
	int fd;
	unsigned char *ad;	/* a copy: the caller's may be gone by the first read */
	size_t adlen;
	bool first, final, failed;
	unsigned char *m, *c;
	size_t have, at;	/* plaintext in m, and how much of it was read */
};

/* the next chunk into m; 0, or -1 with errno (EBADMSG: damaged, cut short,
 * altered, or bytes after the final chunk) */
static int
sreader_next(struct sreader *r)
{
	unsigned char be[4];
	unsigned long long mlen;
	unsigned char tag;
	ssize_t got = fd_read_full(r->fd, be, 4);

	if (got != 4)
		return errno = got < 0 ? errno : EBADMSG, -1;
	uint32_t clen = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 | be[3];
	if (clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
	    clen > STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)
		return errno = EBADMSG, -1;
	if ((got = fd_read_full(r->fd, r->c, clen)) != (ssize_t)clen)
		return errno = got < 0 ? errno : EBADMSG, -1;
	if (crypto_secretstream_xchacha20poly1305_pull(&r->s, r->m, &mlen, &tag, r->c, clen,
	    r->first ? r->ad : NULL, r->first ? r->adlen : 0) != 0)
		return errno = EBADMSG, -1;
	r->first = false;
	r->have = (size_t)mlen;
	r->at = 0;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		r->final = true;
		if ((got = fd_read_full(r->fd, be, 1)) != 0)
			return errno = got < 0 ? errno : EBADMSG, -1;
	}
	return 0;
}

static ssize_t
sreader_read(void *cookie, char *buf, size_t size)
{
	struct sreader *r = cookie;
	size_t done = 0;

	if (r->failed)
		return errno = EBADMSG, -1;
	while (done < size) {
		if (r->at == r->have) {
			if (r->final)
				break;
			if (sreader_next(r) != 0) {
				r->failed = true;
				return -1;
			}
			continue;
		}
		size_t n = r->have - r->at < size - done ? r->have - r->at : size - done;
		memcpy(buf + done, r->m + r->at, n);
		r->at += n;
		done += n;
	}
	return (ssize_t)done;
}

static int
sreader_close(void *cookie)
{
	struct sreader *r = cookie;
	int ret = close(r->fd);

	sodium_memzero(r->m, STREAM_CHUNK);
	sodium_memzero(&r->s, sizeof r->s);
	free(r->m);
	free(r->c);
	free(r->ad);
	free(r);
	return ret;
}

FILE *
crypt_stream_fopen(int fd, const unsigned char key[32], const unsigned char *ad, size_t adlen, off_t *plain)
{
	unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	const off_t unit = STREAM_CHUNK + 4 + crypto_secretstream_xchacha20poly1305_ABYTES;
	struct stat sb;
	struct sreader *r = NULL;
	FILE *f = NULL;
	int saved = EBADMSG;

	/* the plain size from the cipher's, from where fd stands: every chunk
	 * but the last is full (crypt_stream_push; a sealed archive may end in
	 * an empty one); the reader then meets exactly that many bytes or fails,
	 * so a size that fits no layout is damage */
	off_t start = lseek(fd, 0, SEEK_CUR);
	if (start < 0 || fstat(fd, &sb) != 0) {
		saved = errno;
		goto fail;
	}
	off_t body = sb.st_size - start - (off_t)sizeof hdr, rest = body % unit;
	if (body < unit - STREAM_CHUNK || (rest != 0 && rest < unit - STREAM_CHUNK))
		goto fail;
	if (plain != NULL)
		*plain = body / unit * STREAM_CHUNK + (rest != 0 ? rest - (unit - STREAM_CHUNK) : 0);
	if ((r = calloc(1, sizeof *r)) == NULL || (r->m = malloc(STREAM_CHUNK)) == NULL ||
	    (r->c = malloc(STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)) == NULL ||
	    (r->ad = malloc(adlen > 0 ? adlen : 1)) == NULL) {
		saved = ENOMEM;
		goto fail;
	}
	ssize_t got = fd_read_full(fd, hdr, sizeof hdr);
	if (got != (ssize_t)sizeof hdr || crypto_secretstream_xchacha20poly1305_init_pull(&r->s, hdr, key) != 0) {
		saved = got < 0 ? errno : EBADMSG;
		goto fail;
	}
	r->fd = fd;
	if (adlen > 0)
		memcpy(r->ad, ad, adlen);
	r->adlen = adlen;
	r->first = true;
	cookie_io_functions_t io = {.read = sreader_read, .close = sreader_close};
	if ((f = fopencookie(r, "rb", io)) == NULL) {
		saved = errno;
		goto fail;
	}
	return f;
fail:
	if (r != NULL) {
		free(r->m);
		free(r->c);
		free(r->ad);
		free(r);
	}
	close(fd);
	errno = saved;
	return NULL;
}
