/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h — UTF-8 text that goes into records (text.c). */
#ifndef DIBAO_CORE_TEXT_H
#define DIBAO_CORE_TEXT_H

#include "core/base.h"

/* The one UTF-8 decoder: the length (1..4) of the well-formed sequence at
 * s, within len bytes, with its code point in *cp; 0 when it is malformed
 * (a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate, past U+10FFFF: Unicode table 3-7).  Never reads past a NUL,
 * so a NUL-terminated string may pass SIZE_MAX. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* A character text may hold: not a C0 control, DEL or a C1 control
 * (invisible, and they break lists, prints and terminals). */
bool text_char_allowed(uint32_t cp);
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
/* A typed code without its dashes and spaces, in capitals, into out (size
 * bytes with the NUL): its length, or (size_t)-1 when it does not fit. */
size_t text_fold_code(const char *in, char *out, size_t size);

#endif
