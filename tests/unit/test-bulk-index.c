/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-bulk-index.c — a demo load's indexes put in after its households
 * (store/bulk-index.c, issue 17), in the two ways a load can go wrong: the
 * environment reopened under it (another process's recovery: its handle
 * gone, the rest of the load keeps its indexes as it goes and the end
 * completes them from the records), and the process dying mid-way (the
 * mark stays, the lock goes with the process, and the next open completes
 * the indexes).  Each time `check` finds the indexes exactly what the
 * records call for, and the mark is gone.  A load of one transaction sets
 * no mark at all.
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
#include <sys/wait.h>
#include <unistd.h>

#include "core/roles.h"
#include "store/check.h"
#include "store/demo.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/user.h"
#include "store/village.h"
#include "tests/unit/tmpstore.h"

static void
count(const char *msg, void *baton)
{
	(void)msg;
	++*(int *)baton;
}

/* the problems check finds, and the mark ("" when none) */
static int
problems(struct store *st, char mark[64])
{
	struct err e;
	int n = 0;
	int r = store_check(st, count, &n, &e);
	assert_int_equal(r, n);
	if (meta_get(st, NULL, "index.deferred", mark, 64, &e) != 0) {
		assert_int_equal(e.code, E_NOTFOUND);
		mark[0] = '\0';
	}
	return n;
}

/* the number of dossiers through the status index and through the records */
static void
counts(struct store *st, size_t *by_index, size_t *records)
{
	struct err e;
	size_t c[ST__N];
	DBC *cur;
	DBT k, v;

	assert_int_equal(dossier_count_by_status(st, c, &e), 0);
	*by_index = 0;
	for (int s = 0; s < ST__N; s++)
		*by_index += c[s];
	*records = 0;
	assert_int_equal(st->db[DBI_DOSSIERS]->cursor(st->db[DBI_DOSSIERS], NULL, &cur, 0), 0);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (cur->get(cur, &k, &v, DB_NEXT) == 0)
		++*records;
	cur->close(cur);
}

/* a new township for each test */
struct fx {
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	struct village v = {.name = "青石村", .groups = "一组"};
	tmpstore_open(x->dir, "bulk", &x->st, &x->admin, NULL, NULL, 0, &v);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;
	int r = tmpstore_close(x->st, x->dir);
	free(x);
	return r;
}

struct reopen {
	struct store *st;
	bool done;
};

static void
reopen_once(int done, int total, void *baton)
{
	struct reopen *r = baton;
	struct err e;
	(void)total;
	if (!r->done && done >= 400) {
		r->done = true;
		assert_int_equal(store_reopen(r->st, &e), 0);
	}
}

/* check finds nothing, the mark is gone, and the index counts n dossiers */
static void
complete(struct store *st, size_t n)
{
	char mark[64];
	size_t by_index, records;

	assert_int_equal(problems(st, mark), 0);
	assert_string_equal(mark, "");
	counts(st, &by_index, &records);
	assert_int_equal(records, n);
	assert_int_equal(by_index, n);
}

static void
test_reopened_under_the_load(void **state)
{
	struct fx *x = *state;
	struct err e;
	struct reopen r = {x->st, false};

	assert_int_equal(demo_load(x->st, &x->admin, 650, 5, reopen_once, &r, &e), 0);
	assert_true(r.done);
	complete(x->st, 650);
}

/* the child's progress: dies after its second transaction committed */
static void
die(int done, int total, void *baton)
{
	(void)total;
	(void)baton;
	if (done >= 400)
		_exit(0);
}

static void
test_killed_mid_load(void **state)
{
	struct fx *x = *state;
	struct err e;
	int status;

	assert_int_equal(demo_load(x->st, &x->admin, 120, 3, NULL, NULL, &e), 0);
	store_close(x->st);
	x->st = NULL;

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *cs;
		struct user ca;
		if (store_open(&cs, x->dir, 0, &e) != 0 || user_login(cs, "admin", "secret-admin", &ca, &e) != 0)
			_exit(2);
		demo_load(cs, &ca, 1000, 9, die, NULL, &e);
		_exit(3);   /* not reached: it died at 400 */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* the open finds the mark and no load: completes */
	assert_int_equal(store_open(&x->st, x->dir, 0, &e), 0);
	complete(x->st, 120 + 400);
}

static void
test_one_transaction_no_mark(void **state)
{
	struct fx *x = *state;
	char mark[64];
	struct err e;

	assert_int_equal(demo_load(x->st, &x->admin, 200, 4, NULL, NULL, &e), 0);
	assert_int_equal(meta_get(x->st, NULL, "index.deferred", mark, sizeof mark, &e), -1);
	assert_int_equal(e.code, E_NOTFOUND);
	complete(x->st, 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reopened_under_the_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_mid_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_transaction_no_mark, setup, teardown),
	};
	return cmocka_run_group_tests_name("bulk-index", tests, NULL, NULL);
}
