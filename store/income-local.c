/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * income-local.c — income a township leaves out of the calculation besides
 * the national list (SPEC 3: "the township can extend the list"), issue 12
 * point 13.  The setting income.excluded.local names them, separated by
 * commas (, ， or 、); an income item of such a name is recorded as
 * INC_EX_LOCAL carrying the name, and the calculation lists it as excluded.
 */
#include "config.h"

#include <string.h>

#include "core/sizes.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"
#include "store/env-int.h"

/* The next name of the list at *p (spaces around dropped); 0 at the end. */
static size_t
next_name(const char **p, const char **start)
{
	static const char *const seps[] = {",", "，", "、"};
	const char *s = *p;

	for (;;) {
		while (*s == ' ')
			s++;
		size_t n = 0;
		const char *end = NULL;
		for (const char *q = s; *q && end == NULL; q++)
			for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++)
				if (strncmp(q, seps[k], strlen(seps[k])) == 0) {
					end = q;
					n = strlen(seps[k]);
					break;
				}
		const char *stop = end ? end : s + strlen(s);
		size_t len = (size_t)(stop - s);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		*p = end ? end + n : stop;
		if (len > 0) {
			*start = s;
			return len;
		}
		if (end == NULL)
			return 0;
		s = *p;
	}
}

int
income_local_find(struct store *st, store_txn *txn, const char *text, char name[TEXT_SHORT], struct err *e)
{
	char list[TEXT_MEDIUM * 4];
	const char *p = list, *s;
	size_t len, tl;

	if (text == NULL || (tl = strlen(text)) == 0 || tl >= TEXT_SHORT)
		return 0;
	if (setting_get(st, txn, "income.excluded.local", list, sizeof list, e) != 0)
		return -1;
	while ((len = next_name(&p, &s)) > 0)
		if (len == tl && memcmp(s, text, len) == 0) {
			memcpy(name, text, tl + 1);
			return 1;
		}
	return 0;
}
