/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * problem.c — `dibao check`'s one problem reporter: a problem formatted,
 * counted and handed to the caller's problem_fn, and the one way its
 * messages show a record's key.  Below every check (check.c,
 * audit-state.c), which all report through it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

#include "store/check.h"

void
store_problemv(problem_fn fn, void *baton, int *count, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	(*count)++;
	fn(msg, baton);
}

/* Text as is when it is well-formed UTF-8 without control characters (a
 * dossier number, a name, an ID number); otherwise its printable ASCII
 * head and the rest in hex after '#': a damaged key's bytes never go to
 * the terminal.  Cut short with "…" when out is too small. */
void
store_key_text(const void *key, size_t n, char *out, size_t size)
{
	const unsigned char *k = key;
	size_t i = 0, o = 0;
	uint32_t cp;
	size_t len = 0;

	if (size < 8) {
		if (size > 0)
			out[0] = '\0';
		return;
	}
	while (i < n && (len = utf8_decode((const char *)k + i, n - i, &cp)) > 0 && text_char_allowed(cp))
		i += len;
	if (i == n) {
		if (n < size) {
			memcpy(out, k, n);
			out[n] = '\0';
			return;
		}
		/* cut at a character's start, with room for "…" */
		for (i = 0; i < n;) {
			len = utf8_decode((const char *)k + i, n - i, &cp);
			if (i + len + 4 > size)
				break;
			i += len;
		}
		memcpy(out, k, i);
		memcpy(out + i, "\xe2\x80\xa6", 4);
		return;
	}
	/* a printable head (a dossier number) and the rest in hex */
	for (i = 0; i < n && k[i] >= 0x20 && k[i] < 0x7f && o + 8 < size; i++)
		out[o++] = (char)k[i];
	out[o++] = '#';
	for (; i < n && o + 6 < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%02x", k[i]);
	if (i < n)
		memcpy(out + o, "\xe2\x80\xa6", 4), o += 3;
	out[o] = '\0';
}
