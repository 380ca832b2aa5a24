/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-audit-track.c — the audit entry's state fields (FORMAT.md 4.7) as
 * audit-track.c encodes them from a transaction's writes: the bytes of a
 * small transaction written out by hand (a record written twice, one
 * deleted, two tables), and a transaction large enough to spill its notes
 * in sorted runs to the temporary file, against the final state of each
 * record kept in a plain array.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store/audit-int.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/err.h"

static struct store *
new_store(void)
{
	struct store *st = calloc(1, sizeof *st);
	assert_non_null(st);
	audit_track_begin(st);
	assert_non_null(st->track);
	return st;
}

static void
put(struct store *st, int dbi, const char *key, const char *val)
{
	audit_track(st, dbi, key, strlen(key), val, val ? strlen(val) : 0);
}

/* "villages.db" or "dossiers.db" (11 bytes), a one-byte key, and either
 * the SHA-256 of val or the deleted flag, as one state field */
static size_t
field(unsigned char *out, const char *file, char key, const char *val)
{
	size_t n = 0;
	out[n++] = 9;                          /* AT_STATE */
	out[n++] = val ? 13 + 3 + 34 : 13 + 3 + 3;
	out[n++] = 1;                          /* ST_FILE */
	out[n++] = 11;
	memcpy(out + n, file, 11);
	n += 11;
	out[n++] = 2;                          /* ST_KEY */
	out[n++] = 1;
	out[n++] = (unsigned char)key;
	if (val) {
		out[n++] = 3;                  /* ST_HASH */
		out[n++] = 32;
		crypto_hash_sha256(out + n, (const unsigned char *)val, strlen(val));
		n += 32;
	} else {
		out[n++] = 4;                  /* ST_DELETED, zigzag 1 */
		out[n++] = 1;
		out[n++] = 2;
	}
	return n;
}

/* The last write of each record, in table order (villages before
 * dossiers) then key order, after what b already held */
static void
test_small_bytes(void **state)
{
	(void)state;
	struct store *st = new_store();
	struct err e;
	struct buf b;
	unsigned char want[256];
	size_t n = 0;

	err_clear(&e);
	put(st, DBI_DOSSIERS, "k", "dossier");
	put(st, DBI_VILLAGES, "b", "first");
	put(st, DBI_VILLAGES, "a", "gone soon");
	put(st, DBI_VILLAGES, "b", "second");
	put(st, DBI_VILLAGES, "a", NULL);
	put(st, DBI_META, "audit.head", "not covered");
	assert_int_equal(st->track->n, 5);
	assert_int_equal(st->track->first_dbi, DBI_DOSSIERS);

	want[n++] = 'D';
	want[n++] = 'B';
	n += field(want + n, "villages.db", 'a', NULL);
	n += field(want + n, "villages.db", 'b', "second");
	n += field(want + n, "dossiers.db", 'k', "dossier");

	buf_init(&b);
	buf_put_bytes(&b, "DB", 2);
	assert_int_equal(audit_track_encode(st->track, &b, &e), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.p, want, n);
	assert_true(b.cap - b.len >= 34); /* the hash field fits without a copy */
	assert_int_equal(st->track->n, 0);
	/* forgotten: a second entry of the transaction carries nothing */
	b.len = 2;
	assert_int_equal(audit_track_encode(st->track, &b, &e), 0);
	assert_int_equal(b.len, 2);
	buf_free(&b);
	audit_track_free(st);
	free(st);
}

#define BIG 30000

static void
key4(unsigned char k[4], unsigned i)
{
	k[0] = (unsigned char)(i >> 24);
	k[1] = (unsigned char)(i >> 16);
	k[2] = (unsigned char)(i >> 8);
	k[3] = (unsigned char)i;
}

static void
value(char *out, size_t size, int pass, unsigned i)
{
	snprintf(out, size, "pass %d, record %u", pass, i);
}

/* 30,000 records in a scrambled order, a third written again, a fifth
 * deleted, a tenth written again after its deletion: 49,000 writes, about
 * 1.9 MB of notes, so seven runs on the temporary file and one in memory */
static void
test_spilled_runs(void **state)
{
	(void)state;
	struct store *st = new_store();
	static int last[BIG]; /* the pass of the record's last write, 0: deleted */
	unsigned char k[4];
	char v[64];
	struct err e;
	struct buf b, want, s;

	err_clear(&e);
	for (int pass = 1; pass <= 4; pass++)
		for (unsigned j = 0; j < BIG; j++) {
			unsigned i = (unsigned)(((unsigned long)j * 7919) % BIG);
			if ((pass == 2 && i % 3 != 0) || (pass == 3 && i % 5 != 0) || (pass == 4 && i % 10 != 0))
				continue;
			key4(k, i);
			value(v, sizeof v, pass, i);
			audit_track(st, DBI_CALCS, k, 4, pass == 3 ? NULL : v, strlen(v));
			last[i] = pass == 3 ? 0 : pass;
		}
	assert_int_equal(st->track->n, BIG + BIG / 3 + BIG / 5 + BIG / 10);
	assert_int_equal(st->track->nruns, 7);
	/* the temporary file holds the keys enciphered: in clear all 1,000
	 * would show; by chance a 4-byte pattern shows in 1.7 MB of cipher
	 * about once in 2,500, 0.4 of the 1,000 on average, and more than 10
	 * once in 10^13 runs (3 or more, the bound this test had, failed it
	 * once in about 130 runs) */
	{
		int fd = fileno(st->track->spill.f);
		struct stat sb;
		assert_int_equal(fflush(st->track->spill.f), 0);
		assert_int_equal(fstat(fd, &sb), 0);
		off_t size = sb.st_size;
		assert_true(size > 1000000);
		unsigned char *raw = malloc((size_t)size);
		assert_non_null(raw);
		assert_int_equal(pread(fd, raw, (size_t)size, 0), (ssize_t)size);
		int shown = 0;
		for (unsigned i = 0; i < 1000; i++) {
			key4(k, (unsigned)(((unsigned long)i * 7919) % BIG));
			shown += memmem(raw, (size_t)size, k, 4) != NULL;
		}
		assert_true(shown <= 10);
		free(raw);
	}

	buf_init(&want);
	buf_init(&s);
	for (unsigned i = 0; i < BIG; i++) {
		unsigned char h[32];
		key4(k, i);
		s.len = 0;
		rec_str(&s, ST_FILE, "calcs.db");
		rec_blob(&s, ST_KEY, k, 4);
		if (last[i] == 0) {
			rec_int(&s, ST_DELETED, 1);
		} else {
			value(v, sizeof v, last[i], i);
			crypto_hash_sha256(h, (const unsigned char *)v, strlen(v));
			rec_blob(&s, ST_HASH, h, 32);
		}
		rec_nested(&want, AT_STATE, &s);
	}
	assert_false(want.oom);

	buf_init(&b);
	assert_int_equal(audit_track_encode(st->track, &b, &e), 0);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.p, want.p, want.len);
	assert_null(st->track->spill.f);
	buf_free(&b);
	buf_free(&want);
	buf_free(&s);
	audit_track_free(st);
	free(st);
}

/* The temporary file full (a file size limit of 64 KB): the entry is
 * refused, naming the file, and the next transaction starts clean */
static void
test_spill_fails(void **state)
{
	(void)state;
	struct store *st = new_store();
	struct rlimit old, lim;
	unsigned char k[4];
	struct err e;
	struct buf b;

	err_clear(&e);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 64 * 1024;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (unsigned i = 0; i < BIG; i++) {
		key4(k, i);
		audit_track(st, DBI_CALCS, k, 4, "v", 1);
	}
	buf_init(&b);
	assert_int_equal(audit_track_encode(st->track, &b, &e), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(e.code, E_STORAGE);
	assert_non_null(strstr(e.msg, strerror(EFBIG)));
	assert_int_equal(st->track->n, 0);

	audit_track_begin(st);
	err_clear(&e);
	put(st, DBI_VILLAGES, "a", NULL);
	b.len = 0;
	assert_int_equal(audit_track_encode(st->track, &b, &e), 0);
	assert_int_equal(b.len, 21); /* one state field: a deletion (see above) */
	buf_free(&b);
	audit_track_free(st);
	free(st);
}

/* A write outside a transaction's begin is refused at the encode */
static void
test_outside_txn(void **state)
{
	(void)state;
	struct store *st = calloc(1, sizeof *st);
	struct err e;
	struct buf b;

	assert_non_null(st);
	err_clear(&e);
	put(st, DBI_VILLAGES, "a", "x");
	assert_non_null(st->track);
	buf_init(&b);
	assert_int_equal(audit_track_encode(st->track, &b, &e), -1);
	assert_int_equal(e.code, E_STORAGE);
	buf_free(&b);
	audit_track_free(st);
	free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_bytes),
		cmocka_unit_test(test_spilled_runs),
		cmocka_unit_test(test_spill_fails),
		cmocka_unit_test(test_outside_txn),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
