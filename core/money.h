/* SPDX-License-Identifier: GPL-3.0-or-later */
/* money.h — amounts in integer fen, their text and rounding (money.c). */
#ifndef DIBAO_CORE_MONEY_H
#define DIBAO_CORE_MONEY_H

#include "core/base.h"

#define MONEY_MAX ((fen_t)100000000000LL) /* 10^9 yuan: far beyond any real amount */

/* Yuan text with up to two decimals: "650", "650.5", "650.05", "-3.2",
 * full-width digits, an optional trailing 元, thousands separators "1,200".
 * 0 ok, -1 with *why. */
int money_parse(const char *s, fen_t *out, const char **why);
/* "650.05", "-3.20", "0.00"; returns buf */
char *money_format(fen_t f, char buf[32]);

enum rounding {
	ROUND_YUAN_HALF_UP = 0, /* whole yuan, half up (the default) */
	ROUND_JIAO_HALF_UP,     /* to 0.1 yuan, half up */
	ROUND_FEN,              /* no rounding */
	ROUND_YUAN_UP,          /* whole yuan, always up */
};
fen_t money_round(fen_t f, enum rounding r);
/* a * num / den rounded half up (rates in per-mille, etc.); den > 0 */
fen_t money_mul_div_half_up(fen_t a, int64_t num, int64_t den);

#endif
