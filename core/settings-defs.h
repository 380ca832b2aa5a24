/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings-defs.h — the township's settings, their defaults and checks (settings.c). */
#ifndef DIBAO_CORE_SETTINGS_DEFS_H
#define DIBAO_CORE_SETTINGS_DEFS_H

#include "core/base.h"
#include "core/money.h"

struct setting_def {
	const char *key;
	const char *def;       /* default value */
	const char *help;      /* msgid */
	int kind;              /* SET_TEXT, SET_INT, SET_ROUNDING, SET_DATES */
	long min, max;         /* for SET_INT */
};
enum { SET_TEXT = 0, SET_INT, SET_ROUNDING, SET_DATES, SET_READONLY, SET_MONEY,
	SET_KEY32, /* a 32-byte key as 64 hex digits, or empty (i14) */
};
extern const struct setting_def setting_defs[];
extern const int n_setting_defs;
const struct setting_def *setting_def_find(const char *key);
/* Validate (and normalise into out) a value for a setting; 0 or -1 *why */
int setting_validate(const struct setting_def *d, const char *val, char *out, size_t outsize,
    const char **why);
int rounding_parse(const char *s, enum rounding *out);
extern const char *const rounding_names[];

#endif
