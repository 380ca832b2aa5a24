/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * text.c — the text that goes into records: strict UTF-8 (what the store,
 * the printouts and the exports all assume), no control characters, a
 * length limit that refuses rather than truncates, and masking of bank
 * account numbers.
 */
#include "core/text.h"
#include "core/base.h"

#include <string.h>

/*
 * The one UTF-8 decoder (issue 20): the checks follow Unicode table 3-7
 * byte by byte and stop at the first bad one, so a sequence is never read
 * past len, nor past a NUL (never a continuation byte) whatever len is.
 */
size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		if (len < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;

		if (len < 2 || s[1] < lo || s[1] > hi || len < 3 || (s[2] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;

		if (len < 2 || s[1] < lo || s[1] > hi || len < 3 || (s[2] & 0xc0) != 0x80 ||
		    len < 4 || (s[3] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

/* A NUL-terminated string's next character (see above: never past the NUL). */
static size_t
decode_z(const unsigned char *s, uint32_t *cp)
{
	return utf8_decode((const char *)s, SIZE_MAX, cp);
}

bool
text_char_allowed(uint32_t cp)
{
	return !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f));
}

/*
 * The checks above stop at the first bad byte, and a NUL is never a
 * continuation byte, so reading s[1..3] never runs past the terminator.
 */
int
text_check(const char *s, size_t max_bytes, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k;
	uint32_t cp;

	if (s == NULL) {
		*why = N_("text: missing");
		return -1;
	}
	while (*p != '\0') {
		if ((k = decode_z(p, &cp)) == 0) {
			*why = N_("text: not valid UTF-8");
			return -1;
		}
		if (!text_char_allowed(cp)) {
			*why = N_("text: control characters are not allowed");
			return -1;
		}
		p += k;
		if ((size_t)(p - (const unsigned char *)s) > max_bytes) {
			*why = N_("text: too long");
			return -1;
		}
	}
	return 0;
}

int
text_set(char *dst, size_t dstsize, const char *src, const char **why)
{
	if (dstsize == 0) {
		*why = N_("text: too long");
		return -1;
	}
	if (text_check(src, dstsize - 1, why) != 0)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/*
 * Every character but the last four becomes one '*' (accounts are
 * digits, but a pasted one may hold anything).  A malformed byte counts
 * as one character and is never copied: it shows as '?'.  If buf is too
 * small, stars are dropped first, so the last four stay readable; if even
 * they do not fit, buf is empty.
 */
void
text_mask_account(const char *acct, char *buf, size_t bufsize)
{
	const unsigned char *p, *tail;
	size_t nchars = 0, stars, taillen = 0, k, o = 0;
	uint32_t cp;

	if (bufsize == 0)
		return;
	buf[0] = '\0';
	if (acct == NULL)
		return;
	for (p = (const unsigned char *)acct; *p != '\0'; p += k, nchars++)
		if ((k = decode_z(p, &cp)) == 0)
			k = 1;
	stars = nchars > 4 ? nchars - 4 : 0;
	/* Find the start of the shown tail and its output size. */
	tail = (const unsigned char *)acct;
	for (size_t i = 0; i < stars; i++, tail += k)
		if ((k = decode_z(tail, &cp)) == 0)
			k = 1;
	for (p = tail; *p != '\0'; p += k)
		taillen += (k = decode_z(p, &cp)) == 0 ? (k = 1) : k;
	if (taillen + 1 > bufsize)
		return;
	if (stars > bufsize - 1 - taillen)
		stars = bufsize - 1 - taillen;
	memset(buf, '*', stars);
	o = stars;
	for (p = tail; *p != '\0'; p += k) {
		if ((k = decode_z(p, &cp)) == 0) {
			k = 1;
			buf[o++] = '?';
		} else {
			memcpy(buf + o, p, k);
			o += k;
		}
	}
	buf[o] = '\0';
}

/* "XXXX-XXXX-XX" from the first 50 bits of a digest, in Crockford's
 * base-32 alphabet (no I, L, O, U: nothing a clerk misreads when typing a
 * code off paper).  Shared by the printed sheet and `dibao verify`. */
void
verify_code_format(const uint8_t hash[32], char out[13])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint64_t bits = 0;
	int i, o = 0;

	for (i = 0; i < 7; i++)
		bits = bits << 8 | hash[i];
	bits >>= 6; /* 56 bits read, keep the top 50 */
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 8)
			out[o++] = '-';
		out[o++] = alphabet[(bits >> (45 - 5 * i)) & 31];
	}
	out[o] = '\0';
}

size_t
text_fold_code(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (o + 1 >= size)
			return (size_t)-1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* Normalise a typed code: case, spaces, missing dashes, O for 0 and I/L
 * for 1.  0 ok, -1 if it cannot be a code. */
int
verify_code_parse(const char *in, char out[13])
{
	char d[11];

	if (text_fold_code(in, d, sizeof d) != 10)
		return -1;
	for (int i = 0; i < 10; i++) {
		char c = d[i];
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) || c == 'U')
			return -1;
		d[i] = c;
	}
	memcpy(out, d, 4);
	out[4] = '-';
	memcpy(out + 5, d + 4, 4);
	out[9] = '-';
	memcpy(out + 10, d + 8, 2);
	out[12] = '\0';
	return 0;
}
