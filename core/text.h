/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h — UTF-8 text that goes into records (text.c). */
#ifndef DIBAO_CORE_TEXT_H
#define DIBAO_CORE_TEXT_H

#include "core/base.h"

/* Valid UTF-8, no control characters, at most max_bytes bytes (excluding
 * NUL).  0 ok; -1 with *why. */
int text_check(const char *s, size_t max_bytes, const char **why);
/* Copy a checked text into a fixed field; -1 (no copy) if it does not fit:
 * text is never truncated silently. */
int text_set(char *dst, size_t dstsize, const char *src, const char **why);
/* Mask all but the last 4 characters (bank accounts). */
void text_mask_account(const char *acct, char *buf, size_t bufsize);
/* A printed form's verification code "XXXX-XXXX-XX" from a digest, and a
 * typed code normalised (0 ok, -1 not a code). */
void verify_code_format(const uint8_t hash[32], char out[13]);
int verify_code_parse(const char *in, char out[13]);

#endif
