/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seal.c — the sealed handover (SPEC 11): a stream wrapper around the
 * finished archive's bytes.  The township seals the monthly archive to the
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
 * The county opens it into memory (a memfd) and imports that as any
 * archive: the manifest and its chain are what they were.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/import.h"

#define SEAL_MAGIC "DIBAO-SEALED 1\n"
#define SEAL_HEAD_MAX 256

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
seal_file(const char *in, const char *out, const unsigned char pk[32], const char *township,
    const char *month, struct err *e)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[crypto_box_SEALBYTES + 32];
	char head[SEAL_HEAD_MAX], kid[17];
	int fi = -1, fo = -1, ret = -1;

	key_id_hex(pk, kid);
	int hl = snprintf(head, sizeof head, SEAL_MAGIC "township %s\nmonth %s\ncounty-key %s\n\n", township, month, kid);
	if (hl < 0 || (size_t)hl >= sizeof head)
		return err_set(e, E_STORAGE, "%s", _("sealing: the head is too long"));
	if ((fi = open(in, O_RDONLY)) < 0 || (fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		err_set(e, E_STORAGE, _("sealing %s: %s"), out, strerror(errno));
		goto out;
	}
	/* a key for this archive only, sealed to the county */
	crypto_secretstream_xchacha20poly1305_keygen(key);
	if (crypto_box_seal(sealed, key, sizeof key, pk) != 0) {
		err_set(e, E_REFUSED, "%s", _("county.key: not a valid public key"));
		goto out;
	}
	if (fd_write_all(fo, head, (size_t)hl) != 0 || fd_write_all(fo, sealed, sizeof sealed) != 0 ||
	    crypt_stream_push(fi, fo, key, (const unsigned char *)head, (size_t)hl) != 0 || fsync(fo) != 0) {
		err_set(e, E_STORAGE, _("sealing %s: %s"), out, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(key, sizeof key);
	if (fi >= 0)
		close(fi);
	if (fo >= 0 && close(fo) != 0 && ret == 0)
		ret = err_set(e, E_STORAGE, _("sealing %s: %s"), out, strerror(errno));
	if (ret != 0 && fo >= 0)
		unlink(out);
	return ret;
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
seal_open(const char *path, const unsigned char pk[32], const unsigned char sk[32], int *out_fd, struct err *e)
{
	struct seal_head h;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[crypto_box_SEALBYTES + 32];
	char head[SEAL_HEAD_MAX], kid[17];
	int fd = -1, mfd = -1, ret = -1, r;

	*out_fd = -1;
	if ((r = seal_peek(path, &h, e)) <= 0)
		return r < 0 ? -1 : err_set(e, E_REFUSED, _("%s is not a sealed archive"), path);
	key_id_hex(pk, kid);
	if (strcmp(kid, h.county_key) != 0)
		return err_set(e, E_REFUSED,
		    _("%s was sealed for another county (key %s; this county's key is %s): it cannot be opened here"),
		    path, h.county_key, kid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	if (read_exact(fd, head, h.head_len) != 0 || read_exact(fd, sealed, sizeof sealed) != 0)
		goto damaged;
	if (crypto_box_seal_open(key, sealed, sizeof sealed, pk, sk) != 0)
		goto damaged;
	/* opened in memory, never on the disk */
	if ((mfd = memfd_create("dibao-archive", MFD_CLOEXEC)) < 0) {
		err_set(e, E_STORAGE, "%s", strerror(errno));
		goto out;
	}
	r = crypt_stream_pull(fd, mfd, key, (const unsigned char *)head, h.head_len);
	if (r == -2) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	if (r != 0)
		goto damaged;
	if (lseek(mfd, 0, SEEK_SET) != 0) {
		err_set(e, E_STORAGE, "%s", strerror(errno));
		goto out;
	}
	*out_fd = mfd;
	mfd = -1;
	ret = 0;
	goto out;
damaged:
	err_set(e, E_REFUSED, _("%s: the sealed archive is damaged, truncated or altered: ask the township for it again"), path);
out:
	sodium_memzero(key, sizeof key);
	if (fd >= 0)
		close(fd);
	if (mfd >= 0)
		close(mfd);
	return ret;
}

/* ---- the hooks in archive-out.c and archive-in.c ------------------------- */

int
archive_seal_hook(struct store *st, const char *tmp, const char *township, dbmonth_t month, bool *sealed,
    struct err *e)
{
	char hex[128], mon[8], out[4300];
	unsigned char pk[32];

	*sealed = false;
	if (setting_get(st, NULL, "county.key", hex, sizeof hex, e) != 0)
		return -1;
	if (hex[0] == '\0')
		return 0; /* no county key: the plain archive, and the caller warns */
	if (sodium_hex2bin(pk, sizeof pk, hex, strlen(hex), NULL, NULL, NULL) != 0)
		return err_set(e, E_REFUSED, "%s", _("county.key: must be 64 hexadecimal digits, as dibao county key prints them"));
	month_format(month, mon);
	if ((size_t)snprintf(out, sizeof out, "%s.seal", tmp) >= sizeof out)
		return err_set(e, E_USAGE, "%s", _("path too long"));
	if (seal_file(tmp, out, pk, township, mon, e) != 0)
		return -1;
	if (rename(out, tmp) != 0) {
		int saved = errno;
		unlink(out);
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), tmp, strerror(saved));
	}
	*sealed = true;
	return 0;
}

const char *
archive_unseal_hook(struct store *st, const struct user *actor, const char *path, char buf[64], int *fd,
    struct err *e)
{
	struct seal_head h;
	unsigned char pk[32], sk[32];
	int r;

	*fd = -1;
	if ((r = seal_peek(path, &h, e)) < 0)
		return NULL;
	if (r == 0)
		return path;
	if (county_keypair(st, actor, false, pk, sk, e) != 0)
		return NULL;
	r = seal_open(path, pk, sk, fd, e);
	sodium_memzero(sk, sizeof sk);
	if (r != 0)
		return NULL;
	snprintf(buf, 64, "/proc/self/fd/%d", *fd);
	return buf;
}
