/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/attach.h — files kept by SHA-256 beside the environment (attach.c).
 */
#ifndef DIBAO_STORE_ATTACH_H
#define DIBAO_STORE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "store/env.h"

/* ---- attach.c: files kept by SHA-256 beside the environment ----------- */

int attach_put_file(struct store *st, store_txn *txn, const char *path, char sha_hex[65], struct err *e);
int attach_path(const struct store *st, const char *sha_hex, char *buf, size_t size);
/* The kept file's plain bytes as a stream to read from the start, and
 * their number in *size if not NULL; or NULL with errno.  An encrypted
 * store's scan is decrypted as it is read: a read that meets an altered or
 * cut file fails with errno EBADMSG. */
FILE *attach_fopen(struct store *st, const char *sha_hex, off_t *size);

/* attach.c */
int attach_hash_file(const char *path, unsigned char out[32], off_t *size);

#endif
