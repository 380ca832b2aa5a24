/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tmpstore.h — for the unit tests that run against a real Berkeley DB
 * environment: a new township in a temporary directory with its admin and
 * the given users logged in and one village, and its removal.  Include
 * after <cmocka.h> and the store headers it uses.
 */
#ifndef DIBAO_TESTS_TMPSTORE_H
#define DIBAO_TESTS_TMPSTORE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "store/village.h"

/* users[i] is added with the password "secret-pass" and logged in into
 * *logged[i]. */
static inline void
tmpstore_open(char dir[PATH_MAX], const char *tag, struct store **st, struct user *admin,
    const struct user *users, struct user *const *logged, size_t n, const struct village *v)
{
	struct err e;

	snprintf(dir, PATH_MAX, "%s/dibao-%s.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag);
	assert_non_null(mkdtemp(dir));
	strcat(dir, "/data");
	assert_int_equal(store_open(st, dir, STORE_CREATE, &e), 0);
	assert_int_equal(store_init(*st, "330102001", "青石镇", false, "admin", "secret-admin", &e), 0);
	assert_int_equal(user_login(*st, "admin", "secret-admin", admin, &e), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(user_add(*st, admin, &users[i], "secret-pass", &e), 0);
		assert_int_equal(user_login(*st, users[i].login, "secret-pass", logged[i], &e), 0);
	}
	assert_int_equal(village_add(*st, admin, v, &e), 0);
}

/* Close the store and remove the temporary directory around dir/data. */
static inline int
tmpstore_close(struct store *st, char dir[PATH_MAX])
{
	char cmd[PATH_MAX + 16];
	store_close(st);
	dir[strlen(dir) - 5] = '\0';
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
