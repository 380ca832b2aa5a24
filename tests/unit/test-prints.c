/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-prints.c — the print record and its verification code without a
 * database: the record's round trip, the code index's extractor, that a
 * code is a pure function of (township, subject, form, hash) and changes
 * with each, and that a code typed loosely off paper is read back.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/text.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/prints.h"

static void
test_round_trip_and_index(void **state)
{
	struct prints_entry p, q;
	struct buf b;
	DBT k, v, out;
	unsigned char key[4] = {0, 0, 0, 7};

	(void)state;
	memset(&p, 0, sizeof p);
	p.seq = 7;
	strcpy(p.code, "7Q4K-M2XD-P9");
	strcpy(p.form, "approval");
	strcpy(p.dossier, "330102001-2026-00001");
	p.version = 22;
	for (int i = 0; i < 32; i++)
		p.hash[i] = (unsigned char)(i * 7);
	strcpy(p.op, "clerk");
	p.time = 1773655200;
	p.copies = 2;
	p.reprint_of = 5;
	buf_init(&b);
	assert_int_equal(prints_encode(&p, &b), 0);
	assert_int_equal(prints_decode(b.p, b.len, &q), 0);
	assert_memory_equal(&p, &q, sizeof p);
	dbt_init(&k, key, 4);
	dbt_init(&v, b.p, b.len);
	memset(&out, 0, sizeof out);
	assert_int_equal(idx_print_code(NULL, &k, &v, &out), 0);
	assert_int_equal(out.size, 12);
	assert_memory_equal(out.data, "7Q4K-M2XD-P9", 12);
	/* a damaged record is an error, never a silently short one */
	assert_int_not_equal(prints_decode(b.p, 5, &q), 0);
	buf_free(&b);
}

static void
test_code_derivation(void **state)
{
	unsigned char h[32], h2[32];
	char a[13], c[13];

	(void)state;
	memset(h, 1, sizeof h);
	memcpy(h2, h, sizeof h);
	h2[31] ^= 1;
	prints_code_derive("330102001", "330102001-2026-00001", "approval", h, a);
	assert_int_equal(strlen(a), 12);
	assert_int_equal(a[4], '-');
	assert_int_equal(a[9], '-');
	prints_code_derive("330102001", "330102001-2026-00001", "approval", h, c);
	assert_string_equal(a, c);                      /* same version: same code */
	prints_code_derive("330102001", "330102001-2026-00001", "approval", h2, c);
	assert_string_not_equal(a, c);                  /* any change: a new code */
	prints_code_derive("330102001", "330102001-2026-00001", "survey", h, c);
	assert_string_not_equal(a, c);
	prints_code_derive("330102002", "330102001-2026-00001", "approval", h, c);
	assert_string_not_equal(a, c);
	prints_code_derive("330102001", "330102001-2026-00002", "approval", h, c);
	assert_string_not_equal(a, c);
}

static void
test_code_parse(void **state)
{
	char out[13];

	(void)state;
	assert_int_equal(verify_code_parse("7q4k m2xd p9", out), 0);
	assert_string_equal(out, "7Q4K-M2XD-P9");
	assert_int_equal(verify_code_parse("7Q4KM2XDP9", out), 0);
	assert_string_equal(out, "7Q4K-M2XD-P9");
	assert_int_equal(verify_code_parse("O1IL-0000-00", out), 0);   /* misread letters */
	assert_string_equal(out, "0111-0000-00");
	assert_int_not_equal(verify_code_parse("7Q4K-M2XD-P", out), 0);
	assert_int_not_equal(verify_code_parse("7Q4K-M2XD-P99", out), 0);
	assert_int_not_equal(verify_code_parse("7Q4K-M2XD-PU", out), 0);
	assert_int_not_equal(verify_code_parse("", out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_index),
		cmocka_unit_test(test_code_derivation),
		cmocka_unit_test(test_code_parse),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
