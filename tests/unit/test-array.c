/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-array.c — the one growable array (issue 20): room made by
 * doubling, the array kept when it has room, the old block kept (and the
 * capacity unchanged) when the size would overflow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "core/array.h"

static void
test_grows(void **state)
{
	(void)state;
	int *v = NULL, *nv;
	size_t cap = 0;

	for (int i = 0; i < 1000; i++) {
		nv = array_grow(v, &cap, (size_t)i + 1, sizeof *v);
		assert_non_null(nv);
		v = nv;
		v[i] = i;
		assert_true(cap >= (size_t)i + 1);
	}
	assert_int_equal(cap, 1024);   /* 16 doubled six times */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	/* room enough: the same block, capacity unchanged */
	assert_ptr_equal(array_grow(v, &cap, 1000, sizeof *v), v);
	assert_int_equal(cap, 1024);
	/* a jump past double: doubled until it fits */
	v = array_grow(v, &cap, 5000, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 8192);
	assert_int_equal(v[999], 999);
	free(v);
}

static void
test_overflow(void **state)
{
	(void)state;
	char *v = malloc(16);
	size_t cap = 16;

	assert_non_null(v);
	errno = 0;
	assert_null(array_grow(v, &cap, (size_t)INT_MAX + 1, 1));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, 16);
	errno = 0;
	assert_null(array_grow(v, &cap, 1u << 20, SIZE_MAX / 1024));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, 16);
	v[15] = 'x';   /* still the caller's */
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
