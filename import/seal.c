/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seal.c — the sealed handover (SPEC 11): a stream wrapper around the
 * archive's bytes as libarchive produces them (no plaintext copy of the
 * archive ever reaches the disk).  The township seals the monthly archive to the
 * county's public key (setting county.key); a lost USB stick shows the
 * township code and the month, nothing else.
 *
 * The file (docs/ARCHIVE.md, "Sealed archive"):
 *
 *   DIBAO-SEALED 1\n
 *   township 330102001\n
 *   month 2026-03\n
 *   county-key 0123456789abcdef\n      (BLAKE2b-64 of the county's public key)
 *   \n
 *   crypto_box_seal(archive key)          80 bytes
 *   secretstream header                   24 bytes
 *   chunks: 4-byte big-endian length, then the chunk (at most 64 KiB of
 *   archive + 17 bytes); the text head is the first chunk's additional
 *   data; the last chunk carries TAG_FINAL and nothing follows it.
 *
 * The county opens it into a private enciphered temporary file
 * (store/scratch.c) and imports that as any archive: the manifest and its
 * chain are what they were.
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

#include <archive.h>

#include "import/seal.h"
#include "store/afile.h"

#include "core/base.h"
#include "core/date.h"
#include "core/roles.h"
#include "store/crypt.h"
#include "store/env.h"
#include "store/err.h"
#include "store/scratch.h"
#include "store/settings.h"

#define SEAL_MAGIC "DIBAO-SEALED 1\n"
#define SEAL_HEAD_MAX 256
#define SEAL_CHUNK 65536

static void
key_id_hex(const unsigned char pk[32], char out[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	sodium_bin2hex(out, 17, h, sizeof h);
}

static int
read_exact(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int
seal_peek(const char *path, struct seal_head *h, struct err *e)
{
	char head[SEAL_HEAD_MAX + 1];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	memset(h, 0, sizeof *h);
	if (fd < 0)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	n = read(fd, head, SEAL_HEAD_MAX);
	close(fd);
	if (n < 0)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	head[n] = '\0';
	if ((size_t)n < strlen(SEAL_MAGIC) || memcmp(head, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0)
		return 0;
	char *end = strstr(head, "\n\n");
	if (end == NULL || sscanf(head, SEAL_MAGIC "township %15s month %7s county-key %16s", h->township, h->month,
	    h->county_key) != 3 || strlen(h->county_key) != 16)
		return err_set(e, E_REFUSED, _("%s: a damaged sealed archive (its head)"), path);
	h->head_len = (size_t)(end - head) + 2;
	return 1;
}

int
seal_open(const char *path, const unsigned char pk[32], const unsigned char sk[32], struct scratch *out,
    struct err *e)
{
	struct seal_head h;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[crypto_box_SEALBYTES + 32];
	char head[SEAL_HEAD_MAX], kid[17];
	unsigned char *buf = NULL;
	FILE *f = NULL;
	int fd = -1, ret = -1, r;

	if ((r = seal_peek(path, &h, e)) <= 0)
		return r < 0 ? -1 : err_set(e, E_REFUSED, _("%s is not a sealed archive"), path);
	key_id_hex(pk, kid);
	if (strcmp(kid, h.county_key) != 0)
		return err_set(e, E_REFUSED,
		    _("%s was sealed for another county (key %s; this county's key is %s): it cannot be opened here"),
		    path, h.county_key, kid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	if (read_exact(fd, head, h.head_len) != 0 || read_exact(fd, sealed, sizeof sealed) != 0)
		goto damaged;
	if (crypto_box_seal_open(key, sealed, sizeof sealed, pk, sk) != 0)
		goto damaged;
	/* opened into a private enciphered temporary file (issue 17: a
	 * township's archive with its scans may be larger than the county
	 * PC's memory), never in clear on the disk; read a chunk at a time */
	f = crypt_stream_fopen(fd, key, (const unsigned char *)head, h.head_len, NULL);
	fd = -1;	/* the stream's now */
	if (f == NULL) {
		if (errno == EBADMSG)
			goto damaged;
		err_set(e, E_STORAGE, "%s", strerror(errno));
		goto out;
	}
	if (scratch_open(out) != 0 || (buf = malloc(SEAL_CHUNK)) == NULL) {
		err_set(e, E_STORAGE, "%s", strerror(errno ? errno : ENOMEM));
		goto out;
	}
	size_t n;
	while ((n = fread(buf, 1, SEAL_CHUNK, f)) > 0)
		if (scratch_write(out, buf, n, NULL) != 0) {
			err_set(e, E_STORAGE, _("%s: %s"), path, strerror(errno));
			goto out;
		}
	if (ferror(f)) {
		if (errno == EBADMSG)
			goto damaged;
		err_set(e, E_STORAGE, _("%s: %s"), path, strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
damaged:
	err_set(e, E_REFUSED, _("%s: the sealed archive is damaged, truncated or altered: ask the township for it again"), path);
out:
	sodium_memzero(key, sizeof key);
	if (buf != NULL)
		sodium_memzero(buf, SEAL_CHUNK);
	free(buf);
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (ret != 0)
		scratch_close(out);
	return ret;
}

/* ---- the unsealed archive as libarchive's input -------------------------- */

struct seal_in {
	struct scratch_cursor c;
	unsigned char buf[SEAL_CHUNK];
};

static ssize_t
seal_read_cb(struct archive *a, void *cd, const void **out)
{
	struct seal_in *in = cd;
	ssize_t n = scratch_cursor_read(&in->c, in->buf, sizeof in->buf);

	*out = in->buf;
	if (n < 0)
		archive_set_error(a, errno, "%s", strerror(errno));
	return n;
}

static la_int64_t
seal_skip_cb(struct archive *a, void *cd, la_int64_t request)
{
	struct seal_in *in = cd;
	off_t from = in->c.at, left = in->c.s->end - from;
	(void)a;
	if (request <= 0)
		return 0;
	return scratch_cursor_seek(&in->c, request < left ? request : left, SEEK_CUR) - from;
}

static la_int64_t
seal_seek_cb(struct archive *a, void *cd, la_int64_t offset, int whence)
{
	struct seal_in *in = cd;
	off_t to = scratch_cursor_seek(&in->c, offset, whence);

	if (to < 0) {
		archive_set_error(a, EINVAL, "seek outside the archive");
		return ARCHIVE_FATAL;
	}
	return to;
}

static int
seal_close_in(struct archive *a, void *cd)
{
	(void)a;
	if (cd != NULL)
		sodium_memzero(((struct seal_in *)cd)->buf, SEAL_CHUNK);
	free(cd);
	return ARCHIVE_OK;
}

int
seal_read_open(struct archive *a, const struct scratch *s)
{
	struct seal_in *in = calloc(1, sizeof *in);

	if (in == NULL) {
		archive_set_error(a, ENOMEM, "%s", strerror(ENOMEM));
		return ARCHIVE_FATAL;
	}
	in->c.s = s;
	if (archive_read_set_read_callback(a, seal_read_cb) != ARCHIVE_OK ||
	    archive_read_set_skip_callback(a, seal_skip_cb) != ARCHIVE_OK ||
	    archive_read_set_seek_callback(a, seal_seek_cb) != ARCHIVE_OK ||
	    archive_read_set_close_callback(a, seal_close_in) != ARCHIVE_OK ||
	    archive_read_set_callback_data(a, in) != ARCHIVE_OK) {
		free(in);
		return ARCHIVE_FATAL;
	}
	return archive_read_open1(a);
}

/* ---- the hooks in archive-out.c and archive-in.c ------------------------- */

/* The seal as a libarchive client: the head and the sealed key when the
 * archive opens, a secretstream chunk per 64 KiB of archive as they come,
 * the last (TAG_FINAL, possibly empty) when it closes; the reader is
 * seal_open. */
struct seal_out {
	unsigned char pk[32];
	char head[SEAL_HEAD_MAX];
	size_t hl;
	int fd;
	bool first;
	crypto_secretstream_xchacha20poly1305_state s;
	unsigned char buf[SEAL_CHUNK];
	size_t len;
	unsigned char c[4 + SEAL_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES];
	char path[4300];
};

int
archive_seal_prepare(struct store *st, const char *township, dbmonth_t month, struct seal_out **out,
    struct err *e)
{
	char hex[128], mon[8];
	unsigned char pk[32];

	*out = NULL;
	if (setting_get(st, NULL, "county.key", hex, sizeof hex, e) != 0)
		return -1;
	if (hex[0] == '\0')
		return 0; /* no county key: the plain archive, and the caller warns */
	if (sodium_hex2bin(pk, sizeof pk, hex, strlen(hex), NULL, NULL, NULL) != 0)
		return err_set(e, E_REFUSED, "%s", _("county.key: must be 64 hexadecimal digits, as dibao county key prints them"));
	month_format(month, mon);
	return (*out = seal_out_new(pk, township, mon, e)) == NULL ? -1 : 0;
}

struct seal_out *
seal_out_new(const unsigned char pk[32], const char *township, const char *mon, struct err *e)
{
	char kid[17];
	struct seal_out *s;

	if ((s = sodium_malloc(sizeof *s)) == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		return NULL;
	}
	memset(s, 0, sizeof *s);
	s->fd = -1;
	memcpy(s->pk, pk, sizeof s->pk);
	key_id_hex(s->pk, kid);
	int hl = snprintf(s->head, sizeof s->head, SEAL_MAGIC "township %s\nmonth %s\ncounty-key %s\n\n", township, mon, kid);
	if (hl < 0 || (size_t)hl >= sizeof s->head) {
		sodium_free(s);
		err_set(e, E_STORAGE, "%s", _("sealing: the head is too long"));
		return NULL;
	}
	s->hl = (size_t)hl;
	return s;
}

void
archive_seal_free(struct seal_out *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	sodium_free(s); /* zeroed */
}

static int
seal_fail(struct archive *a, struct seal_out *s, int err)
{
	archive_set_error(a, err, _("sealing %s: %s"), s->path, strerror(err));
	return ARCHIVE_FATAL;
}

/* the chunk in buf, with its length */
static int
seal_push(struct seal_out *s, unsigned char tag)
{
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(&s->s, s->c + 4, &clen, s->buf, s->len,
	    s->first ? (const unsigned char *)s->head : NULL, s->first ? s->hl : 0, tag);
	s->c[0] = (unsigned char)(clen >> 24);
	s->c[1] = (unsigned char)(clen >> 16);
	s->c[2] = (unsigned char)(clen >> 8);
	s->c[3] = (unsigned char)clen;
	s->first = false;
	sodium_memzero(s->buf, s->len);
	s->len = 0;
	return fd_write_all(s->fd, s->c, 4 + (size_t)clen);
}

static int
seal_open_cb(struct archive *a, void *cd)
{
	struct seal_out *s = cd;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[crypto_box_SEALBYTES + 32];
	unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES];

	if ((s->fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return seal_fail(a, s, errno);
	/* a key for this archive only, sealed to the county */
	crypto_secretstream_xchacha20poly1305_keygen(key);
	if (crypto_box_seal(sealed, key, sizeof key, s->pk) != 0) {
		sodium_memzero(key, sizeof key);
		archive_set_error(a, EINVAL, "%s", _("county.key: not a valid public key"));
		return ARCHIVE_FATAL;
	}
	crypto_secretstream_xchacha20poly1305_init_push(&s->s, hdr, key);
	sodium_memzero(key, sizeof key);
	s->first = true;
	s->len = 0;
	if (fd_write_all(s->fd, s->head, s->hl) != 0 || fd_write_all(s->fd, sealed, sizeof sealed) != 0 ||
	    fd_write_all(s->fd, hdr, sizeof hdr) != 0)
		return seal_fail(a, s, errno);
	return ARCHIVE_OK;
}

static la_ssize_t
seal_write_cb(struct archive *a, void *cd, const void *p, size_t n)
{
	struct seal_out *s = cd;
	const unsigned char *b = p;
	size_t left = n;

	while (left > 0) {
		/* a full chunk goes only when more follows: the last one is final */
		if (s->len == SEAL_CHUNK && seal_push(s, 0) != 0) {
			seal_fail(a, s, errno);
			return -1;
		}
		size_t take = SEAL_CHUNK - s->len < left ? SEAL_CHUNK - s->len : left;
		memcpy(s->buf + s->len, b, take);
		s->len += take;
		b += take;
		left -= take;
	}
	return (la_ssize_t)n;
}

static int
seal_close_cb(struct archive *a, void *cd)
{
	struct seal_out *s = cd;
	int r = ARCHIVE_OK;

	if (s->fd < 0)
		return ARCHIVE_OK;
	if (seal_push(s, crypto_secretstream_xchacha20poly1305_TAG_FINAL) != 0)
		r = seal_fail(a, s, errno);
	if (close(s->fd) != 0 && r == ARCHIVE_OK)
		r = seal_fail(a, s, errno);
	s->fd = -1;
	return r;
}

int
archive_seal_open(struct archive *a, struct seal_out *s, const char *path)
{
	if (snprintf(s->path, sizeof s->path, "%s", path) >= (int)sizeof s->path) {
		archive_set_error(a, ENAMETOOLONG, "%s", _("path too long"));
		return ARCHIVE_FATAL;
	}
	/* no padding of the last block, as archive_write_open_filename does
	 * for a regular file: the archive's bytes are the same */
	if (archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK)
		return ARCHIVE_FATAL;
	return archive_write_open(a, s, seal_open_cb, seal_write_cb, seal_close_cb);
}

int
archive_unseal_hook(struct store *st, const struct user *actor, const char *path, struct scratch *s, struct err *e)
{
	struct seal_head h;
	unsigned char pk[32], sk[32];
	int r;

	if ((r = seal_peek(path, &h, e)) <= 0)
		return r;
	if (county_keypair(st, actor, false, pk, sk, e) != 0)
		return -1;
	r = seal_open(path, pk, sk, s, e);
	sodium_memzero(sk, sizeof sk);
	return r != 0 ? -1 : 1;
}
