/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/seal.h — the sealed handover (i14, seal.c): the monthly archive
 * sealed to the county's public key as it is written, and opened into
 * memory by the county's import.
 */
#ifndef DIBAO_IMPORT_SEAL_H
#define DIBAO_IMPORT_SEAL_H

#include <stddef.h>

#include "core/base.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

struct seal_head {
	char township[16], month[8], county_key[17];
	size_t head_len;
};
/* 1 sealed (h filled), 0 not sealed, -1 unreadable or a damaged head */
int seal_peek(const char *path, struct seal_head *h, struct err *e);
/* Open a sealed archive into s (closed before: all zero), a private
 * enciphered temporary file (store/scratch.h): never whole in memory, never
 * in clear on the disk.  0, or -1 with e (s closed). */
struct archive;
struct scratch;
int seal_open(const char *path, const unsigned char pk[32], const unsigned char sk[32], struct scratch *s,
    struct err *e);
/* libarchive's reader opened on seal_open's s (which must outlive it):
 * ARCHIVE_OK or an archive error. */
int seal_read_open(struct archive *a, const struct scratch *s);
/* archive-out: sealed as the archive's bytes are produced, so that no
 * plaintext copy touches the disk.  prepare: *out NULL when county.key is
 * not set (the plain archive); open: libarchive's writer opened on path
 * through the seal (in place of archive_write_open_filename); free after
 * the archive is freed. */
struct seal_out;
int archive_seal_prepare(struct store *st, const char *township, dbmonth_t month, struct seal_out **out,
    struct err *e);
int archive_seal_open(struct archive *a, struct seal_out *s, const char *path);
/* the seal for the county's public key pk (prepare's, and the tests') */
struct seal_out *seal_out_new(const unsigned char pk[32], const char *township, const char *month, struct err *e);
void archive_seal_free(struct seal_out *s);
/* archive-in: 1 path was sealed and is opened into s (seal_open), 0 it is
 * a plain archive to read by its path, -1 error (e) */
int archive_unseal_hook(struct store *st, const struct user *actor, const char *path, struct scratch *s,
    struct err *e);

#endif
