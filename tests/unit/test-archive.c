/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-archive.c — the monthly archive's manifest and the county's chain:
 * a manifest dumped and parsed back is the same and dumps to the same
 * bytes (whatever order files were added in); unsafe paths, a file outside
 * the top folder, a bad hash or an unknown newer version are refused; the
 * chain accepts a first archive without `previous` and the next month that
 * names it, and refuses a gap, a replay, a restart and an older month; the
 * county records round-trip through the codec.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/manifest.h"

#include "store/codec.h"
#include "store/county.h"
#include "store/err.h"

static void
sample(struct manifest *m, bool reverse)
{
	static const char *const paths[] = {
		"330102001-2026-03/说明.txt", "330102001-2026-03/户档案/330102001-2026-00001/档案记录.json",
		"330102001-2026-03/备案名册.csv",
	};
	memset(m, 0, sizeof *m);
	m->version = ARCHIVE_VERSION;
	strcpy(m->township_code, "330102001");
	strcpy(m->township_name, "青石镇");
	m->period = 202603;
	m->from = 20260226;
	m->to = 20260325;
	strcpy(m->exported, "2026-03-25T23:59:59");
	strcpy(m->op, "admin");
	m->dossiers = 1;
	m->audit_entries = 7;
	m->filings = 1;
	m->audit_count = 42;
	memset(m->audit_head, 'a', 64);
	for (int i = 0; i < 3; i++) {
		int k = reverse ? 2 - i : i;
		assert_int_equal(manifest_add_file(m, paths[k], paths[k], strlen(paths[k])), 0);
	}
	m->files = 3;
	struct manifest_case c;
	memset(&c, 0, sizeof c);
	strcpy(c.dossier, "330102001-2026-00001");
	strcpy(c.head, "张三");
	strcpy(c.village, "青石村");
	c.persons = 2;
	c.total = 130000;
	c.added = true;
	c.kin = true;
	assert_int_equal(manifest_add_case(m, &c), 0);
}

static void
test_round_trip(void **state)
{
	struct manifest a, b, c;
	struct err e;
	size_t la, lb, lc;
	char *ta, *tb, *tc;

	(void)state;
	sample(&a, false);
	sample(&c, true);
	ta = manifest_dump(&a, &la);
	tc = manifest_dump(&c, &lc);
	assert_non_null(ta);
	assert_non_null(tc);
	/* the order files were added in does not show */
	assert_int_equal(la, lc);
	assert_memory_equal(ta, tc, la);
	assert_non_null(strstr(ta, "\"previous\": null"));
	err_clear(&e);
	assert_int_equal(manifest_parse(ta, la, &b, &e), 0);
	assert_string_equal(b.township_code, "330102001");
	assert_string_equal(b.township_name, "青石镇");
	assert_int_equal(b.period, 202603);
	assert_int_equal(b.to, 20260325);
	assert_int_equal(b.n_files, 3);
	assert_int_equal(b.n_cases, 1);
	assert_true(b.cases[0].kin && b.cases[0].added);
	assert_int_equal(b.cases[0].total, 130000);
	assert_string_equal(b.previous, "");
	tb = manifest_dump(&b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	/* with a previous manifest */
	sha256_hex(ta, la, b.previous);
	free(tb);
	tb = manifest_dump(&b, &lb);
	manifest_free(&c);
	assert_int_equal(manifest_parse(tb, lb, &c, &e), 0);
	assert_string_equal(c.previous, b.previous);
	free(ta);
	free(tb);
	free(tc);
	manifest_free(&a);
	manifest_free(&b);
	manifest_free(&c);
}

static void
refuse(const char *from, const char *to)
{
	struct manifest a, b;
	struct err e;
	size_t len;
	char *t, *p, *u;

	sample(&a, false);
	t = manifest_dump(&a, &len);
	assert_non_null(t);
	p = strstr(t, from);
	assert_non_null(p);
	u = malloc(len + strlen(to) + 1);
	memcpy(u, t, (size_t)(p - t));
	strcpy(u + (p - t), to);
	strcat(u, p + strlen(from));
	err_clear(&e);
	assert_int_equal(manifest_parse(u, strlen(u), &b, &e), -1);
	assert_int_equal(e.code, E_REFUSED);
	free(t);
	free(u);
	manifest_free(&a);
}

static void
test_refused(void **state)
{
	(void)state;
	refuse("330102001-2026-03/说明.txt", "330102001-2026-03/../说明.txt");
	refuse("330102001-2026-03/说明.txt", "/etc/passwd");
	refuse("330102001-2026-03/说明.txt", "330102002-2026-03/说明.txt");
	refuse("\"version\": 1", "\"version\": 9");
	refuse("\"format\": \"dibao-archive\"", "\"format\": \"zip\"");
	refuse("\"previous\": null", "\"previous\": \"xyz\"");
	refuse("\"files\": 3", "\"files\": 4");
	assert_false(archive_path_safe("a/../b"));
	assert_false(archive_path_safe("a//b"));
	assert_false(archive_path_safe("a\\b"));
	assert_false(archive_path_safe("./a"));
	assert_true(archive_path_safe("330102001-2026-03/户档案/x.json"));
}

static void
test_chain(void **state)
{
	struct county_archive last;
	struct err e;
	char h1[65], h2[65], h3[65];

	(void)state;
	memset(h1, '1', 64);
	memset(h2, '2', 64);
	memset(h3, '3', 64);
	h1[64] = h2[64] = h3[64] = '\0';
	err_clear(&e);
	/* the first archive: accepted without previous, refused with one */
	assert_int_equal(county_chain_check(NULL, "330102001", 202603, "", h1, &e), 0);
	assert_int_equal(county_chain_check(NULL, "330102001", 202604, h1, h2, &e), -1);
	assert_non_null(strstr(e.msg, "330102001"));
	memset(&last, 0, sizeof last);
	strcpy(last.township, "330102001");
	last.period = 202603;
	strcpy(last.manifest, h1);
	err_clear(&e);
	assert_int_equal(county_chain_check(&last, "330102001", 202604, h1, h2, &e), 0);
	/* a gap or a substituted month */
	assert_int_equal(county_chain_check(&last, "330102001", 202605, h2, h3, &e), -1);
	/* the same again, an older one, a restart */
	assert_int_equal(county_chain_check(&last, "330102001", 202603, "", h1, &e), -1);
	assert_int_equal(county_chain_check(&last, "330102001", 202602, "", h3, &e), -1);
	assert_int_equal(county_chain_check(&last, "330102001", 202604, "", h2, &e), -1);
}

static void
test_codec(void **state)
{
	struct county_archive a, a2;
	struct county_person p, p2;
	struct county_case c, c2;
	struct buf b;

	(void)state;
	memset(&a, 0, sizeof a);
	strcpy(a.township, "330102001");
	strcpy(a.name, "青石镇");
	a.period = 202603;
	memset(a.manifest, 'f', 64);
	a.files = 12;
	a.people = 3;
	a.imported = 1774000000;
	strcpy(a.by, "admin");
	buf_init(&b);
	assert_int_equal(county_archive_encode(&a, &b), 0);
	assert_int_equal(county_archive_decode(b.p, b.len, &a2), 0);
	assert_memory_equal(&a, &a2, sizeof a);
	buf_free(&b);

	memset(&p, 0, sizeof p);
	strcpy(p.id, "330102195001010014");
	strcpy(p.township, "330102001");
	strcpy(p.dossier, "330102001-2026-00001");
	strcpy(p.name, "张三");
	p.period = 202603;
	strcpy(p.status, "在保");
	buf_init(&b);
	assert_int_equal(county_person_encode(&p, &b), 0);
	assert_int_equal(county_person_decode(b.p, b.len, &p2), 0);
	assert_memory_equal(&p, &p2, sizeof p);
	buf_free(&b);

	memset(&c, 0, sizeof c);
	strcpy(c.township, "330102001");
	c.period = 202603;
	strcpy(c.dossier, "330102001-2026-00001");
	strcpy(c.head, "张三");
	strcpy(c.village, "青石村");
	c.persons = 2;
	c.total = 130000;
	c.kin = true;
	buf_init(&b);
	assert_int_equal(county_case_encode(&c, &b), 0);
	assert_int_equal(county_case_decode(b.p, b.len, &c2), 0);
	assert_memory_equal(&c, &c2, sizeof c);
	/* a record of another type is refused */
	assert_int_equal(county_person_decode(b.p, b.len, &p2), -1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_codec),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
