/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/encoding.h — text from outside as UTF-8 (encoding.c): valid UTF-8
 * as is, else GB18030 (what Excel on a Chinese Windows writes).
 */
#ifndef DIBAO_IMPORT_ENCODING_H
#define DIBAO_IMPORT_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "store/err.h"

enum text_enc { ENC_UTF8 = 0, ENC_GB18030 };

bool utf8_valid(const char *p, size_t len);
/* Valid UTF-8 is taken as is (copied); else the text is converted from
 * GB18030 (a superset of GBK and GB2312).  Text that is neither is
 * refused.  *out is malloc'd and NUL-terminated. */
int text_to_utf8(const char *in, size_t len, char **out, size_t *outlen, enum text_enc *enc,
    struct err *e);

#endif
