/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * money.c — amounts of money as integer fen: parsing what a clerk types
 * (half- or full-width, with 元 and thousands separators), formatting,
 * the rounding settings of SPEC section 4 and rate arithmetic.
 * Never floating point: 0.1 yuan has no exact binary value.
 */
#include "core/money.h"
#include "core/base.h"

#include <stdio.h>
#include <string.h>

/* Longest amount text we look at, after normalisation to ASCII; anything
 * longer cannot be a valid amount below MONEY_MAX anyway. */
#define MONEY_TEXT_MAX 64

/*
 * Full-width forms U+FF01..U+FF5E are ASCII 0x21..0x7E shifted by 0xFEE0;
 * in UTF-8 they are EF BC 81..BF and EF BD 80..9E.  Return the ASCII
 * character for the one at *p and advance, or 0 if it is not one.
 */
static char
fullwidth_ascii(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned int cp;

	if (s[0] != 0xef || (s[1] != 0xbc && s[1] != 0xbd) || s[2] < 0x80 || s[2] > 0xbf)
		return 0;
	cp = 0xf000 | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	if (cp < 0xff01 || cp > 0xff5e)
		return 0;
	*p += 3;
	return (char)(cp - 0xfee0);
}

/* Spaces a clerk may leave around an amount: ASCII blanks and U+3000. */
static size_t
space_len(const unsigned char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* The end of s..end without the spaces (as space_len) it ends with. */
static const unsigned char *
spaces_before(const unsigned char *s, const unsigned char *end)
{
	for (;;) {
		if (end - s >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - s >= 3 && end[-3] == 0xe3 && end[-2] == 0x80 && end[-1] == 0x80)
			end -= 3;
		else
			return end;
	}
}

/*
 * Reduce the text to ASCII: drop surrounding spaces and one trailing 元,
 * map full-width digits, signs, point and comma (also the ideographic
 * comma-like ， U+FF0C) to ASCII.  Anything else stays as a '?' so the
 * parser refuses it.  -1 if the text is too long.
 */
static int
money_normalise(const char *in, char *out, size_t outsize)
{
	const unsigned char *s = (const unsigned char *)in;
	const unsigned char *end = s + strlen(in);
	size_t n = 0, k;
	char c;

	while ((k = space_len(s)) != 0)
		s += k;
	end = spaces_before(s, end);
	/* 元 is E5 85 83; spaces may stand between the number and it. */
	if (end - s >= 3 && end[-3] == 0xe5 && end[-2] == 0x85 && end[-1] == 0x83)
		end = spaces_before(s, end - 3);
	while (s < end) {
		if (*s < 0x80) {
			c = (char)*s++;
		} else if ((c = fullwidth_ascii(&s)) == 0) {
			/* Skip the rest of this UTF-8 sequence. */
			s++;
			while (s < end && (*s & 0xc0) == 0x80)
				s++;
			c = '?';
		}
		if (n + 1 >= outsize)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

int
money_parse(const char *s, fen_t *out, const char **why)
{
	char buf[MONEY_TEXT_MAX];
	const char *p;
	bool neg = false, seen_comma = false;
	int group = 0, ndigits = 0, ndec = 0;
	fen_t v = 0;

	if (s == NULL) {
		*why = N_("amount: must not be empty");
		return -1;
	}
	if (money_normalise(s, buf, sizeof buf) != 0) {
		*why = N_("amount: too large");
		return -1;
	}
	p = buf;
	if (*p == '\0') {
		*why = N_("amount: must not be empty");
		return -1;
	}
	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');

	/* Whole yuan, with commas only between complete groups of three. */
	for (; *p != '\0' && *p != '.'; p++) {
		if (*p == ',') {
			if (ndigits == 0 || (seen_comma ? group != 3 : group > 3)) {
				*why = N_("amount: thousands separators must group three digits");
				return -1;
			}
			seen_comma = true;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9') {
			*why = N_("amount: only digits, a sign and a decimal point are allowed");
			return -1;
		}
		if (v > (MONEY_MAX / 100 - (*p - '0')) / 10) {
			*why = N_("amount: too large");
			return -1;
		}
		v = v * 10 + (*p - '0');
		ndigits++;
		group++;
	}
	if (seen_comma && group != 3) {
		*why = N_("amount: thousands separators must group three digits");
		return -1;
	}
	v *= 100;

	if (*p == '.') {
		for (p++; *p != '\0'; p++) {
			if (*p < '0' || *p > '9') {
				*why = N_("amount: only digits, a sign and a decimal point are allowed");
				return -1;
			}
			if (++ndec > 2) {
				*why = N_("amount: at most two decimal places (fen)");
				return -1;
			}
			v += (*p - '0') * (ndec == 1 ? 10 : 1);
		}
	}
	if (ndigits == 0 && ndec == 0) {
		*why = N_("amount: only digits, a sign and a decimal point are allowed");
		return -1;
	}
	if (v > MONEY_MAX) {
		*why = N_("amount: too large");
		return -1;
	}
	*out = neg ? -v : v;
	return 0;
}

char *
money_format(fen_t f, char buf[32])
{
	/* Magnitude as unsigned so INT64_MIN does not overflow. */
	uint64_t u = f < 0 ? -(uint64_t)f : (uint64_t)f;

	snprintf(buf, 32, "%s%llu.%02llu", f < 0 ? "-" : "",
	    (unsigned long long)(u / 100), (unsigned long long)(u % 100));
	return buf;
}

/*
 * Rounding works on the magnitude and puts the sign back, so it is
 * symmetric: half up means half away from zero (-650.50 becomes -651.00)
 * and "always up" means away from zero (-3.20 becomes -4.00).  Negative
 * amounts are corrections of overpayments; rounding them like the
 * positive amount they correct keeps the two cancelling exactly.
 */
static fen_t
round_to(fen_t f, fen_t unit, bool always_up)
{
	uint64_t u = f < 0 ? -(uint64_t)f : (uint64_t)f;
	uint64_t r = u % (uint64_t)unit;

	u -= r;
	if (r != 0 && (always_up || r * 2 >= (uint64_t)unit)) {
		/* Out of range only far beyond MONEY_MAX: then stay unrounded. */
		if (u > (uint64_t)INT64_MAX - (uint64_t)unit)
			return f;
		u += (uint64_t)unit;
	}
	return f < 0 ? -(fen_t)u : (fen_t)u;
}

fen_t
money_round(fen_t f, enum rounding r)
{
	switch (r) {
	case ROUND_YUAN_HALF_UP:
		return round_to(f, 100, false);
	case ROUND_JIAO_HALF_UP:
		return round_to(f, 10, false);
	case ROUND_YUAN_UP:
		return round_to(f, 100, true);
	case ROUND_FEN:
		break;
	}
	return f;
}

/*
 * a * num / den, half away from zero like money_round.  The product is
 * taken in 128 bits: 10^11 fen times a rate of 10^6 needs 57 bits, but a
 * wider num must not overflow silently either.  den <= 0 is a caller
 * error and gives 0; a quotient beyond int64 saturates.
 */
fen_t
money_mul_div_half_up(fen_t a, int64_t num, int64_t den)
{
	__extension__ typedef __int128 i128;
	i128 p, q, r;

	if (den <= 0)
		return 0;
	p = (i128)a * num;
	q = p / den;
	r = p % den;
	if (r < 0)
		r = -r;
	if (r * 2 >= den)
		q += p < 0 ? -1 : 1;
	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < INT64_MIN)
		return INT64_MIN;
	return (fen_t)q;
}
