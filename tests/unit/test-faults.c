/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-faults.c — issue 16 against a real environment: a read outside a
 * transaction that meets a deadlock or another process's recovery runs
 * again (store_read_again), a walk interrupted mid-way goes on after the
 * last record it handed out (each record seen once), and a failed cursor
 * close is an error.
 *
 * Faults are injected by replacing the DB handle's cursor method with one
 * whose cursor's get fails once with the code under test.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/roles.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/village.h"
#include "store/afile.h"
#include "tests/unit/tmpstore.h"

/* ---- fault injection on one DB handle ----------------------------------- */

static int (*real_cursor)(DB *, DB_TXN *, DBC **, u_int32_t);
static int (*real_get)(DBC *, DBT *, DBT *, u_int32_t);
static int (*real_close)(DBC *);
static int fail_at;        /* the get call (1-based, over all cursors) that fails */
static int fail_code;
static int gets;
static int close_code;     /* a cursor close that fails with this, once */

static int
faulty_get(DBC *c, DBT *k, DBT *v, u_int32_t flags)
{
	if (++gets == fail_at)
		return fail_code;
	return real_get(c, k, v, flags);
}

static int
faulty_close(DBC *c)
{
	int r = real_close(c);
	if (r == 0 && close_code != 0) {
		r = close_code;
		close_code = 0;
	}
	return r;
}

static int
faulty_cursor(DB *db, DB_TXN *txn, DBC **c, u_int32_t flags)
{
	int r = real_cursor(db, txn, c, flags);
	/* BDB reuses a closed cursor's struct: wrap each method once */
	if (r == 0 && (*c)->get != faulty_get) {
		real_get = (*c)->get;
		(*c)->get = faulty_get;
	}
	if (r == 0 && (*c)->close != faulty_close) {
		real_close = (*c)->close;
		(*c)->close = faulty_close;
	}
	return r;
}

static void
inject(struct store *st, int dbi, int at, int code)
{
	DB *db = st->db[dbi];
	if (db->cursor != faulty_cursor) {
		real_cursor = db->cursor;
		db->cursor = faulty_cursor;
	}
	gets = 0;
	fail_at = at;
	fail_code = code;
}

static void
uninject(struct store *st, int dbi)
{
	if (st->db[dbi] != NULL && st->db[dbi]->cursor == faulty_cursor)
		st->db[dbi]->cursor = real_cursor;
	fail_at = 0;
}

/* ---- the walk ------------------------------------------------------------ */

struct seen {
	int n;
	unsigned char rec[16][256];   /* each record's bytes as handed out */
	size_t len[16];
};

static int
collect(const void *p, size_t len, void *baton)
{
	struct seen *s = baton;
	if (s->n == 16 || len > sizeof s->rec[0])
		return -1;
	memcpy(s->rec[s->n], p, len);
	s->len[s->n++] = len;
	return 0;
}

static void
add_villages(struct store *st, const struct user *admin)
{
	static const char *names[] = {"东岭社区", "白沙村", "石门村", "南坞村"};
	struct err e;
	for (size_t i = 0; i < 4; i++) {
		struct village v;
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", names[i]);
		assert_int_equal(village_add(st, admin, &v, &e), 0);
	}
}

static void
test_walk_resumes_after_deadlock(void **state)
{
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct village v = {"青石村", "一组", ""};
	struct seen all = {0}, again = {0};
	struct err e;

	(void)state;
	tmpstore_open(dir, "faults", &st, &admin, NULL, NULL, 0, &v);
	add_villages(st, &admin);
	assert_int_equal(store_walk(st, DBI_VILLAGES, collect, &all, "damaged", &e), 0);
	assert_int_equal(all.n, 5);

	/* the third get of the walk is chosen as a deadlock victim: the walk
	 * waits and goes on after the second village, each seen once */
	inject(st, DBI_VILLAGES, 3, DB_LOCK_DEADLOCK);
	assert_int_equal(store_walk(st, DBI_VILLAGES, collect, &again, "damaged", &e), 0);
	uninject(st, DBI_VILLAGES);
	assert_int_equal(again.n, all.n);
	for (int i = 0; i < all.n; i++) {
		assert_int_equal(again.len[i], all.len[i]);
		assert_memory_equal(again.rec[i], all.rec[i], all.len[i]);
	}

	/* the very first get fails: the walk starts again from the top */
	memset(&again, 0, sizeof again);
	inject(st, DBI_VILLAGES, 1, DB_LOCK_DEADLOCK);
	assert_int_equal(store_walk(st, DBI_VILLAGES, collect, &again, "damaged", &e), 0);
	uninject(st, DBI_VILLAGES);
	assert_int_equal(again.n, all.n);

	/* another code is an error, not retried */
	memset(&again, 0, sizeof again);
	inject(st, DBI_VILLAGES, 2, EIO);
	assert_int_equal(store_walk(st, DBI_VILLAGES, collect, &again, "damaged", &e), -1);
	uninject(st, DBI_VILLAGES);
	assert_int_equal(e.code, E_STORAGE);

	/* a cursor close that fails is an error too */
	memset(&again, 0, sizeof again);
	inject(st, DBI_VILLAGES, 0, 0);
	close_code = EIO;
	assert_int_equal(store_walk(st, DBI_VILLAGES, collect, &again, "damaged", &e), -1);
	uninject(st, DBI_VILLAGES);
	assert_int_equal(close_code, 0);
	assert_int_equal(tmpstore_close(st, dir), 0);
}

static void
test_read_again(void **state)
{
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct village v = {"青石村", "一组", ""};
	struct err e;
	int tries = 0;
	char buf[64];

	(void)state;
	tmpstore_open(dir, "faults", &st, &admin, NULL, NULL, 0, &v);
	assert_true(store_read_again(st, DB_LOCK_DEADLOCK, &tries));
	assert_int_equal(tries, 1);
	assert_false(store_read_again(st, DB_NOTFOUND, &tries));
	assert_false(store_read_again(st, EIO, &tries));
	/* another process's recovery: reopened, and the store still reads */
	assert_true(store_read_again(st, DB_RUNRECOVERY, &tries));
	assert_int_equal(meta_get(st, NULL, "format", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "1");
	/* bounded */
	tries = 0;
	while (store_read_again(st, DB_LOCK_DEADLOCK, &tries))
		assert_true(tries <= 20);
	assert_int_equal(tries, 20);
	assert_int_equal(tmpstore_close(st, dir), 0);
}


/* ---- store/afile.c: whole or not at all ----------------------------------- */

/* --wrap=fsync: fail_fsync > 0 makes the fail_fsync-th call fail with EIO
 * (the contract: every other call goes to the real fsync). */
int __real_fsync(int fd);
int __wrap_fsync(int fd);
static int fail_fsync, fsyncs;

int
__wrap_fsync(int fd)
{
	if (fail_fsync > 0 && ++fsyncs == fail_fsync) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

static int
count_entries(const char *dir)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void
test_afile(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], got[64];
	const char *what = NULL;
	struct stat sb;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "%s/dibao-afile.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/roster.csv", dir);

	/* private whatever the umask */
	mode_t old = umask(0);
	assert_int_equal(afile_write(path, "first", 5, AFILE_PRIVATE, &what), 0);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* the file's fsync fails (the first call), then the directory's
	 * (the second): the old content stays whole, no temporary is left */
	for (int n = 1; n <= 2; n++) {
		fsyncs = 0;
		fail_fsync = n;
		int r = afile_write(path, "second!", 7, AFILE_PRIVATE, &what);
		fail_fsync = 0;
		assert_int_equal(r, -1);
		assert_string_equal(what, "fsync");
		assert_int_equal(count_entries(dir), 1);
		if (n == 1) {
			assert_non_null(f = fopen(path, "r"));
			assert_non_null(fgets(got, sizeof got, f));
			fclose(f);
			assert_string_equal(got, "first");
		}
	}
	/* an aborted write leaves the target as it was */
	struct afile a;
	assert_int_equal(afile_open(&a, path, AFILE_PRIVATE), 0);
	fputs("half", a.f);
	afile_abort(&a);
	assert_int_equal(count_entries(dir), 1);
	/* a folder that is not there */
	snprintf(path, sizeof path, "%s/none/x.csv", dir);
	assert_int_equal(afile_write(path, "x", 1, AFILE_PRIVATE, &what), -1);
	assert_string_equal(what, "create");

	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* issue 20: a file copied through the one atomic write (attachments,
 * backups) arrives whole, or not at all when its fsync fails */
static void
test_afile_copy(void **state)
{
	char dir[PATH_MAX], src[PATH_MAX + 16], dst[PATH_MAX + 16];
	static char data[200000], back[200001];
	struct afile a;
	FILE *f;
	int in;

	(void)state;
	snprintf(dir, sizeof dir, "%s/dibao-copy.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof src, "%s/scan.jpg", dir);
	snprintf(dst, sizeof dst, "%s/copy.jpg", dir);
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_non_null(f = fopen(src, "wb"));
	assert_int_equal(fwrite(data, 1, sizeof data, f), sizeof data);
	assert_int_equal(fclose(f), 0);

	/* the fsync fails: nothing at dst, no temporary left */
	assert_true((in = open(src, O_RDONLY)) >= 0);
	assert_int_equal(afile_reserve(&a, dst, AFILE_PRIVATE), 0);
	assert_int_equal(fd_copy(in, a.fd), 0);
	fsyncs = 0;
	fail_fsync = 1;
	assert_int_equal(afile_commit(&a), -1);
	fail_fsync = 0;
	close(in);
	assert_int_equal(count_entries(dir), 1);

	/* then whole, byte for byte, across several reads */
	assert_true((in = open(src, O_RDONLY)) >= 0);
	assert_int_equal(afile_reserve(&a, dst, AFILE_PRIVATE), 0);
	assert_int_equal(fd_copy(in, a.fd), 0);
	assert_int_equal(afile_commit(&a), 0);
	close(in);
	assert_non_null(f = fopen(dst, "rb"));
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof data);
	fclose(f);
	assert_memory_equal(back, data, sizeof data);

	snprintf(src, sizeof src, "rm -rf '%s'", dir);
	assert_int_equal(system(src), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_resumes_after_deadlock),
		cmocka_unit_test(test_read_again),
		cmocka_unit_test(test_afile),
		cmocka_unit_test(test_afile_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
