/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * encoding.c — CSV files come as UTF-8 (WPS, newer Excel) or GBK (Excel's
 * "CSV" on a Chinese Windows).  Nothing in the file says which, so: text
 * that is valid UTF-8 is UTF-8 (GBK text of any length is almost never
 * valid UTF-8), anything else is converted from GB18030, the superset of
 * GBK and GB2312; text that is neither is refused, never guessed at.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "import/encoding.h"

#include "store/err.h"

bool
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	/* core's one decoder: overlong forms, surrogates and beyond U+10FFFF
	 * are not UTF-8 */
	for (; i < len; i += n)
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
	return true;
}

int
text_to_utf8(const char *in, size_t len, char **out, size_t *outlen, enum text_enc *enc,
    struct err *e)
{
	iconv_t cd;
	char *buf, *ip = (char *)in, *op;
	size_t cap, il = len, ol;

	*out = NULL;
	if (utf8_valid(in, len)) {
		if ((buf = malloc(len + 1)) == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		memcpy(buf, in, len);
		buf[len] = '\0';
		*out = buf;
		*outlen = len;
		*enc = ENC_UTF8;
		return 0;
	}
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return err_set(e, E_STORAGE, _("cannot convert from GB18030: %s"), strerror(errno));
	/* a GB18030 character of 2 bytes becomes at most 3 in UTF-8, one of 4
	 * at most 4: 2x is always enough */
	if (len > SIZE_MAX / 2 - 1 || (buf = malloc((cap = 2 * len + 1))) == NULL) {
		iconv_close(cd);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	op = buf;
	ol = cap - 1;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		size_t at = (size_t)(ip - in);
		int line = 1;
		for (size_t k = 0; k < at; k++)
			line += in[k] == '\n';
		iconv_close(cd);
		free(buf);
		return err_set(e, E_REFUSED,
		    _("the file is neither UTF-8 nor GBK/GB18030 text (line %d, byte %zu); save it again as CSV UTF-8"),
		    line, at + 1);
	}
	iconv_close(cd);
	*op = '\0';
	*out = buf;
	*outlen = (size_t)(op - buf);
	*enc = ENC_GB18030;
	return 0;
}
