/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * array.c — the one growable array (issue 20: nineteen were written by
 * hand): capacity doubled, overflow checked, the old block kept on
 * failure.
 */
#include "core/array.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

void *
array_grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap;
	void *nv;

	if (need <= n && v != NULL)
		return v;
	if (n == 0)
		n = 16;
	while (n < need && n <= (size_t)INT_MAX / 2)
		n *= 2;
	if (n < need || n > (size_t)INT_MAX || size == 0 || n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if ((nv = realloc(v, n * size)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = n;
	return nv;
}
