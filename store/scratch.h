/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/scratch.h — a private temporary file whose bytes are enciphered
 * (scratch.c): what a command spills to disk to stay within its memory
 * (the payment roster's rows, the audit entry's notes) holds names, ID
 * numbers and bank accounts, and $TMPDIR is on the same disk as the
 * encrypted store.
 */
#ifndef DIBAO_STORE_SCRATCH_H
#define DIBAO_STORE_SCRATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct scratch {
	FILE *f;                /* unlinked (tmpfile), NULL: not open */
	off_t end;              /* bytes written */
	unsigned char key[32], nonce[24];
};

/* Open s (all zero before): 0, or -1 with errno. */
int scratch_open(struct scratch *s);
/* Append len bytes; *at (if not NULL) their offset.  0, or -1 with errno. */
int scratch_write(struct scratch *s, const void *p, size_t len, off_t *at);
/* The len bytes at off, deciphered.  0, or -1 with errno (EIO when the
 * file is shorter). */
int scratch_read(const struct scratch *s, off_t off, void *p, size_t len);
/* A reader going through s (the county's unsealed archive, an archive's
 * roster), not beyond what was written. */
struct scratch_cursor {
	const struct scratch *s;
	off_t at;
};
/* At most len bytes from the cursor on, deciphered, the cursor moved past
 * them: their count (0 at the end), or -1 with errno. */
ssize_t scratch_cursor_read(struct scratch_cursor *c, void *p, size_t len);
/* The cursor moved as lseek(2) moves (SEEK_SET, SEEK_CUR, SEEK_END), never
 * outside the bytes written: its new place, or -1 with errno EINVAL. */
off_t scratch_cursor_seek(struct scratch_cursor *c, off_t off, int whence);
/* Close and forget the key (s all zero again); safe on a closed s. */
void scratch_close(struct scratch *s);

#endif
