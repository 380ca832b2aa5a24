/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idno.h — resident ID numbers, GB 11643 (id.c). */
#ifndef DIBAO_CORE_IDNO_H
#define DIBAO_CORE_IDNO_H

#include "core/base.h"

#define ID_LEN 18

struct id_info {
	char id[ID_LEN + 1]; /* normalised: ASCII digits, capital X */
	dbdate_t birth;
	char sex;            /* 'M' or 'F' */
	char region[7];      /* the six region digits */
};

/* Normalise (trim, full-width digits, x -> X) and validate.  today bounds
 * the birth date.  0 ok with *out filled; -1 with *why naming the reason. */
int id_check(const char *in, dbdate_t today, struct id_info *out, const char **why);
/* The MOD 11-2 check character for the first 17 digits. */
char id_check_char(const char digits17[17]);
/* "330102********1234"-style mask for lists: first 6 and last 4 shown. */
void id_mask(const char *id, char buf[ID_LEN + 1]);
/* Province name for the first two region digits, or NULL. */
const char *id_province(const char *region);
/* integrity (i12, SPEC 11): mask in place every ID-shaped run in s (17
 * digits and a digit or X, not part of a longer word) as id_mask does;
 * for free text such as an audit entry's detail.  Returns how many. */
int id_mask_text(char *s);

#endif
