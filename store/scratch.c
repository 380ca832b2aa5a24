/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scratch.c — a private temporary file whose bytes are enciphered.
 *
 * tmpfile(3): unlinked at once, mode 0600, gone when closed or when the
 * process dies.  Its blocks, once freed, stay on the disk until reused, so
 * what goes into it is enciphered with XChaCha20 (libsodium's stream,
 * addressed by the file offset so that any range reads back) under a key
 * made at random for the file and kept in this process's memory only.
 * The file is this process's own for one command and read by nobody else:
 * confidentiality is what it needs, not integrity.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "store/scratch.h"

/* p (len bytes at file offset off) enciphered or deciphered in place */
static void
scratch_xor(const struct scratch *s, unsigned char *p, size_t len, off_t off)
{
	uint64_t block = (uint64_t)off / 64;
	size_t skip = (size_t)((uint64_t)off % 64);
	if (skip != 0 && len > 0) {
		unsigned char pad[64] = {0};
		size_t n = 64 - skip < len ? 64 - skip : len;
		memcpy(pad + skip, p, n);
		crypto_stream_xchacha20_xor_ic(pad, pad, sizeof pad, s->nonce, block, s->key);
		memcpy(p, pad + skip, n);
		sodium_memzero(pad, sizeof pad);
		p += n;
		len -= n;
		block++;
	}
	if (len > 0)
		crypto_stream_xchacha20_xor_ic(p, p, len, s->nonce, block, s->key);
}

int
scratch_open(struct scratch *s)
{
	memset(s, 0, sizeof *s);
	if ((s->f = tmpfile()) == NULL) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	/* not inherited by a command run again (store/restart.c) */
	int fl = fcntl(fileno(s->f), F_GETFD);
	if (fl < 0 || fcntl(fileno(s->f), F_SETFD, fl | FD_CLOEXEC) != 0) {
		int err = errno;
		fclose(s->f);
		s->f = NULL;
		errno = err;
		return -1;
	}
	randombytes_buf(s->key, sizeof s->key);
	randombytes_buf(s->nonce, sizeof s->nonce);
	return 0;
}

int
scratch_write(struct scratch *s, const void *p, size_t len, off_t *at)
{
	unsigned char buf[4096];
	const unsigned char *q = p;

	if (at != NULL)
		*at = s->end;
	while (len > 0) {
		size_t n = len < sizeof buf ? len : sizeof buf;
		memcpy(buf, q, n);
		scratch_xor(s, buf, n, s->end);
		errno = 0;
		if (fwrite(buf, 1, n, s->f) != n) {
			sodium_memzero(buf, sizeof buf);
			if (errno == 0)
				errno = EIO;
			return -1;
		}
		s->end += (off_t)n;
		q += n;
		len -= n;
	}
	sodium_memzero(buf, sizeof buf);
	return 0;
}

int
scratch_read(const struct scratch *s, off_t off, void *p, size_t len)
{
	unsigned char *q = p;
	size_t done = 0;

	/* what the FILE still buffers first (nothing to do when it holds
	 * nothing) */
	if (fflush(s->f) != 0)
		return -1;
	while (done < len) {
		ssize_t got = pread(fileno(s->f), q + done, len - done, off + (off_t)done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)got;
	}
	scratch_xor(s, q, len, off);
	return 0;
}

ssize_t
scratch_cursor_read(struct scratch_cursor *c, void *p, size_t len)
{
	off_t left = c->s->end - c->at;
	size_t n = left < (off_t)len ? (size_t)left : len;

	if (n > 0 && scratch_read(c->s, c->at, p, n) != 0)
		return -1;
	c->at += (off_t)n;
	return (ssize_t)n;
}

off_t
scratch_cursor_seek(struct scratch_cursor *c, off_t off, int whence)
{
	off_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ? c->at + off : whence == SEEK_END ? c->s->end + off : -1;

	if (to < 0 || to > c->s->end) {
		errno = EINVAL;
		return -1;
	}
	return c->at = to;
}

void
scratch_close(struct scratch *s)
{
	if (s->f != NULL)
		fclose(s->f);
	sodium_memzero(s, sizeof *s);
}
