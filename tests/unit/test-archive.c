/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-archive.c — the monthly archive's manifest and the county's chain:
 * a manifest dumped and parsed back is the same and dumps to the same
 * bytes (whatever order files were added in); unsafe paths, a file outside
 * the top folder, a bad hash or an unknown newer version are refused; the
 * chain accepts a first archive without `previous` and the next month that
 * names it, and refuses a gap, a replay, a restart and an older month; the
 * county records round-trip through the codec; a dossier's record written
 * directly has the bytes jansson dumps (every kind of field, strings that
 * need escaping, empty lists, a string that is not UTF-8).
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

#include <jansson.h>

#include "import/dossier-json.h"
#include "import/manifest.h"

#include "store/codec.h"
#include "store/county.h"
#include "store/err.h"
#include "store/scratch.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/terms.h"

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
	/* the same, read from a private temporary file (the county's import) */
	struct scratch sc = {0};
	struct manifest d;
	assert_int_equal(scratch_open(&sc), 0);
	assert_int_equal(scratch_write(&sc, ta, la, NULL), 0);
	assert_int_equal(manifest_parse_scratch(&sc, NULL, NULL, &d, &e), 0);
	scratch_close(&sc);
	free(tb);
	tb = manifest_dump(&d, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	manifest_free(&d);
	/* the same without a blank between the values (a number ends at the
	 * comma or brace that follows it) */
	json_error_t je;
	json_t *jj = json_loadb(ta, la, 0, &je);
	assert_non_null(jj);
	char *compact = json_dumps(jj, JSON_COMPACT);
	json_decref(jj);
	assert_non_null(compact);
	assert_null(strstr(compact, ": "));
	assert_int_equal(manifest_parse(compact, strlen(compact), &d, &e), 0);
	free(compact);
	free(tb);
	tb = manifest_dump(&d, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	manifest_free(&d);
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

/* A manifest of 1,000 files (130 KB) read from a private temporary file
 * through its 16 KiB window: every file, and a break far into it named by
 * its line */
static int
count_case(const struct manifest *m, const struct manifest_case *c, void *baton, struct err *e)
{
	(void)m;
	(void)e;
	assert_string_equal(c->dossier, "330102001-2026-00001");
	(*(int *)baton)++;
	return 0;
}

static void
test_long_scratch(void **state)
{
	struct manifest a, b;
	struct scratch sc = {0};
	struct err e;
	char path[128];
	size_t len;
	int cases = 0;

	(void)state;
	sample(&a, false);
	for (int i = 0; i < 997; i++) {
		snprintf(path, sizeof path, "330102001-2026-03/户档案/330102001-2025-%05d/档案记录.json", i);
		assert_int_equal(manifest_add_file(&a, path, path, strlen(path)), 0);
	}
	a.files = 1000;
	char *t = manifest_dump(&a, &len);
	assert_non_null(t);
	assert_true(len > 100000);
	err_clear(&e);
	assert_int_equal(scratch_open(&sc), 0);
	assert_int_equal(scratch_write(&sc, t, len, NULL), 0);
	assert_int_equal(manifest_parse_scratch(&sc, count_case, &cases, &b, &e), 0);
	scratch_close(&sc);
	assert_int_equal(b.n_files, 1000);
	assert_int_equal(b.n_cases, 0);
	assert_int_equal(cases, 1);
	assert_string_equal(b.f[999].path, "330102001-2026-03/说明.txt");
	manifest_free(&b);
	/* a colon lost on the 900th file's line: that line named */
	char *p = strstr(t, "330102001-2025-00899/");
	assert_non_null(p);
	p = strstr(p, "\"sha256\":");
	int line = 1;
	for (const char *q = t; q < p; q++)
		line += *q == '\n';
	p[8] = ' ';
	char want[64];
	snprintf(want, sizeof want, "line %d", line);
	assert_int_equal(scratch_open(&sc), 0);
	assert_int_equal(scratch_write(&sc, t, len, NULL), 0);
	assert_int_equal(manifest_parse_scratch(&sc, NULL, NULL, &b, &e), -1);
	scratch_close(&sc);
	assert_int_equal(e.code, E_REFUSED);
	assert_non_null(strstr(e.msg, want));
	free(t);
	manifest_free(&a);
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
	/* read a value at a time: the JSON around the values still checked */
	refuse("\"format\": ", "\"files\": [], \"format\": ");
	refuse("\"format\": ", "\"format\" ");
	refuse("\"sha256\": ", "\"sha256\" ");
	refuse("\"version\": 1", "\"version\": 1}, {\"a\": 1");
	refuse("\"version\": 1", "\"version\": 1 2");
	refuse("\"cases\": [", "\"cases\": [1 2, ");
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


/* dossier_record_text(d) against jansson's dump of dossier_json(d, false) */
static void
same_record(const struct dossier *d)
{
	json_t *j = dossier_json(d, false);
	char *want = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	size_t len = 0;
	char *got = dossier_record_text(d, &len);

	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	json_decref(j);
	free(want);
	free(got);
}

static void
test_record_text(void **state)
{
	(void)state;
	struct dossier *d = calloc(1, sizeof *d);
	assert_non_null(d);
	dossier_init(d);
	/* nothing in it: empty lists, nulls, empty strings */
	same_record(d);

	strcpy(d->no, "330102001-2026-00042");
	strcpy(d->village, "青石村");
	strcpy(d->group, "三组 \"东\" \\ 片");
	strcpy(d->address, "路\n号\t\r\b\f\x01\x1f\x7f /斜线 😀");
	strcpy(d->phone, "13800000000");
	strcpy(d->bank, "农商银行");
	strcpy(d->account, "6228480012345678");
	d->category = 'B';
	d->version = 7;
	d->area = AREA_RURAL;
	d->flags = DF_REGISTERED_POOR | DF_EXTREME_POVERTY;
	d->status = ST_APPROVED;
	d->applied = date_make(2026, 1, 5);
	d->status_date = date_make(2026, 2, 28);
	d->total = 123456;
	d->effective = 202603;
	d->next_review = date_make(2027, 2, 28);
	d->exit_reason = 1;
	strcpy(d->previous, "330102001-2025-00007");
	d->n_members = 2;
	d->head = 1;
	strcpy(d->members[0].name, "张三");
	strcpy(d->members[0].id, "330102195001011234");
	d->members[0].birth = date_make(1950, 1, 1);
	d->members[0].sex = 'M';
	d->members[0].disability_grade = 2;
	d->members[0].death = date_make(2026, 3, 1);
	d->members[0].flags = MF_STAFF | MF_HIV | MF_CONFIDENTIAL;
	strcpy(d->members[0].illness, "高血压");
	strcpy(d->members[1].name, "李四");
	d->members[1].flags = MF_NOT_GUARANTEED;
	strcpy(d->members[1].occupation, "务农");
	d->n_incomes = 2;
	d->incomes[0].kind = INC_EX_LOCAL;
	d->incomes[0].amount = -5;
	strcpy(d->incomes[0].name, "乡镇补贴");
	d->incomes[1].amount = 9000;
	strcpy(d->incomes[1].member_id, "330102195001011234");
	d->n_expenses = 1;
	d->expenses[0].amount = 300;
	d->assets.deposits = 1000000;
	d->assets.vehicles = 2;
	d->assets.production_vehicles = 1;
	d->assets.houses = 1;
	d->assets.businesses = 3;
	d->n_checks = 2;
	d->checks[0].agency = AG_TAX;
	strcpy(d->checks[0].result, "无异常");
	d->checks[0].date = date_make(2026, 2, 1);
	strcpy(d->checks[0].recorded_by, "clerk");
	d->checks[1].agency = AG_HOUSING;
	strcpy(d->checks[1].result, "有房 1 套");
	same_record(d);

	/* a holder named; no category, no effective month */
	strcpy(d->holder, "330102195001011234");
	d->category = 0;
	d->effective = 0;
	same_record(d);

	/* not UTF-8 (jansson leaves such a value out): jansson's bytes */
	strcpy(d->members[1].occupation, "bad \xC3\x28 byte");
	strcpy(d->village, "\xED\xA0\x80");
	same_record(d);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_scratch),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_codec),
		cmocka_unit_test(test_record_text),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL) ? 1 : 0;
}
