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
/* Close and forget the key (s all zero again); safe on a closed s. */
void scratch_close(struct scratch *s);

#endif
