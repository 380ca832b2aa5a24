/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-scratch.c — the private temporary file (store/scratch.c): what is
 * written reads back from any offset and length, across the cipher's
 * 64-byte blocks and the writer's 4 KB pieces; the file's own bytes never
 * show what was written; a read past the end is an error.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/scratch.h"

#define TEXT "姓名：张三，身份证号 330102195001010014，账号 6217000010001234567；"

static void
test_round_trip(void **state)
{
	(void)state;
	struct scratch s;
	size_t tl = strlen(TEXT), total = 0;
	char *all = malloc(20000 * 8);
	off_t at;

	assert_non_null(all);
	assert_int_equal(scratch_open(&s), 0);
	/* pieces of every length from 1 to 9000 bytes, so that writes start
	 * at every offset within a block */
	for (size_t len = 1; total + len < 20000 * 8; len = len * 3 + 1) {
		for (size_t i = 0; i < len; i++)
			all[total + i] = TEXT[(total + i) % tl];
		assert_int_equal(scratch_write(&s, all + total, len, &at), 0);
		assert_int_equal(at, (off_t)total);
		total += len;
	}
	assert_int_equal(s.end, (off_t)total);
	/* any range reads back */
	char buf[10000];
	for (size_t off = 0; off + 1 < total; off = off * 2 + 7) {
		size_t len = total - off < sizeof buf ? total - off : sizeof buf;
		for (size_t l = 1; l <= len; l = l * 5 + 3) {
			assert_int_equal(scratch_read(&s, (off_t)off, buf, l), 0);
			assert_memory_equal(buf, all + off, l);
		}
	}
	/* past the end: an error, EIO */
	errno = 0;
	assert_int_equal(scratch_read(&s, (off_t)total - 2, buf, 4), -1);
	assert_int_equal(errno, EIO);

	/* the file's bytes show none of it */
	struct stat sb;
	assert_int_equal(fflush(s.f), 0);
	assert_int_equal(fstat(fileno(s.f), &sb), 0);
	assert_int_equal(sb.st_size, (off_t)total);
	char *raw = malloc(total);
	assert_non_null(raw);
	assert_int_equal(pread(fileno(s.f), raw, total, 0), (ssize_t)total);
	assert_null(memmem(raw, total, "330102195001010014", 18));
	assert_null(memmem(raw, total, "张三", strlen("张三")));
	assert_true(memcmp(raw, all, total) != 0);
	free(raw);
	free(all);
	scratch_close(&s);
	assert_null(s.f);
	scratch_close(&s); /* safe twice */
}

/* two files never share a key: the same bytes differ on disk */
static void
test_own_key(void **state)
{
	(void)state;
	struct scratch a, b;
	char ra[64], rb[64];

	assert_int_equal(scratch_open(&a), 0);
	assert_int_equal(scratch_open(&b), 0);
	assert_int_equal(scratch_write(&a, TEXT, 64, NULL), 0);
	assert_int_equal(scratch_write(&b, TEXT, 64, NULL), 0);
	assert_int_equal(fflush(a.f), 0);
	assert_int_equal(fflush(b.f), 0);
	assert_int_equal(pread(fileno(a.f), ra, 64, 0), 64);
	assert_int_equal(pread(fileno(b.f), rb, 64, 0), 64);
	assert_true(memcmp(ra, rb, 64) != 0);
	scratch_close(&a);
	scratch_close(&b);
}

/* A cursor reads what was written, in pieces, and stops at its end; it
 * moves as lseek does and never outside the bytes written. */
static void
test_cursor(void **state)
{
	(void)state;
	struct scratch s = {0};
	unsigned char w[1000], r[400];
	for (size_t i = 0; i < sizeof w; i++)
		w[i] = (unsigned char)(i * 7 + 3);
	assert_int_equal(scratch_open(&s), 0);
	assert_int_equal(scratch_write(&s, w, sizeof w, NULL), 0);

	struct scratch_cursor c = {&s, 0};
	assert_int_equal(scratch_cursor_read(&c, r, 400), 400);
	assert_memory_equal(r, w, 400);
	assert_int_equal(scratch_cursor_read(&c, r, 400), 400);
	assert_memory_equal(r, w + 400, 400);
	assert_int_equal(scratch_cursor_read(&c, r, 400), 200);	/* the rest */
	assert_memory_equal(r, w + 800, 200);
	assert_int_equal(scratch_cursor_read(&c, r, 400), 0);	/* the end */
	assert_int_equal(c.at, 1000);

	assert_int_equal(scratch_cursor_seek(&c, 10, SEEK_SET), 10);
	assert_int_equal(scratch_cursor_seek(&c, 5, SEEK_CUR), 15);
	assert_int_equal(scratch_cursor_read(&c, r, 3), 3);
	assert_memory_equal(r, w + 15, 3);
	assert_int_equal(scratch_cursor_seek(&c, -22, SEEK_END), 978);
	assert_int_equal(scratch_cursor_read(&c, r, 100), 22);
	assert_memory_equal(r, w + 978, 22);
	errno = 0;
	assert_int_equal(scratch_cursor_seek(&c, 1, SEEK_END), -1);	/* past the end */
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scratch_cursor_seek(&c, -1, SEEK_SET), -1);
	assert_int_equal(c.at, 1000);	/* unmoved by a refused seek */
	scratch_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_own_key),
		cmocka_unit_test(test_cursor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
