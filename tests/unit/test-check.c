/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-check.c — `dibao check` compares each secondary index with its
 * primary in one walk of each (issue 17): a clean store has no problem; an
 * index entry removed behind the store's back, or one added that no record
 * calls for, is reported by name.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "store/check.h"
#include "store/demo.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/village.h"
#include "tests/unit/tmpstore.h"

struct seen {
	int n;
	char text[4096];
};

static void
collect(const char *msg, void *baton)
{
	struct seen *s = baton;
	size_t len = strlen(s->text);
	s->n++;
	snprintf(s->text + len, sizeof s->text - len, "%s\n", msg);
}

/* the secondary's file through a handle of its own (not associated) */
static DB *
raw_open(struct store *st, const char *file)
{
	DB *h;
	assert_int_equal(db_create(&h, st->env, 0), 0);
	assert_int_equal(h->set_flags(h, DB_DUPSORT), 0);
	assert_int_equal(h->open(h, NULL, file, NULL, DB_BTREE, DB_AUTO_COMMIT, 0), 0);
	return h;
}

static void
test_check_indexes(void **state)
{
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct village v = {.name = "青石村", .groups = "一组"};
	struct err e;
	struct seen s;
	DB *h;
	DBC *c;
	DBT k, d;
	char key[64], data[64];

	(void)state;
	tmpstore_open(dir, "check", &st, &admin, NULL, NULL, 0, &v);
	assert_int_equal(demo_load(st, &admin, 40, 7, NULL, NULL, &e), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_check(st, collect, &s, &e), 0);
	assert_int_equal(s.n, 0);

	/* remove the first entry of the status index */
	h = raw_open(st, db_tables[DBI_DOSSIER_STATUS].file);
	DB_TXN *t;
	assert_int_equal(st->env->txn_begin(st->env, NULL, &t, 0), 0);
	assert_int_equal(h->cursor(h, t, &c, 0), 0);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	assert_int_equal(c->get(c, &k, &d, DB_FIRST), 0);
	assert_true(k.size < sizeof key && d.size < sizeof data);
	memcpy(key, k.data, k.size);
	key[k.size] = '\0';
	memcpy(data, d.data, d.size);
	data[d.size] = '\0';
	assert_int_equal(c->del(c, 0), 0);
	assert_int_equal(c->close(c), 0);
	assert_int_equal(t->commit(t, 0), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_check(st, collect, &s, &e), 2);
	assert_non_null(strstr(s.text, db_tables[DBI_DOSSIER_STATUS].file));
	assert_non_null(strstr(s.text, data));          /* the dossier named */
	assert_non_null(strstr(s.text, "is missing"));

	/* put it back, and add one no record calls for */
	k.data = key;
	k.size = (u_int32_t)strlen(key);
	d.data = data;
	d.size = (u_int32_t)strlen(data);
	assert_int_equal(h->put(h, NULL, &k, &d, DB_AUTO_COMMIT), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_check(st, collect, &s, &e), 0);
	char bogus[] = "330102001-2099-99999";
	d.data = bogus;
	d.size = (u_int32_t)strlen(bogus);
	assert_int_equal(h->put(h, NULL, &k, &d, DB_AUTO_COMMIT), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_check(st, collect, &s, &e), 2);
	assert_non_null(strstr(s.text, bogus));
	assert_non_null(strstr(s.text, "points to"));
	assert_int_equal(h->close(h, 0), 0);
	assert_int_equal(tmpstore_close(st, dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_indexes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
