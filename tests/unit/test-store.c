/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-store.c — the record codec and the store against a real Berkeley DB
 * environment in a temporary directory (not a mock): round trips, refusals
 * of damaged and newer records, init and login, R7, a failed transaction
 * changing nothing, and the audit chain.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/demo.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/demo.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"
#include "tests/unit/tmpstore.h"
#include "store/env-int.h"

static void
test_int_round_trip(void **state)
{
	static const int64_t v[] = {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, 65000, -65000,
	    2147483647LL, -2147483648LL, INT64_MAX, INT64_MIN, 20261122, 100000000000LL};
	struct buf b;
	struct rec_reader r;

	buf_init(&b);
	rec_begin(&b, RT_META, 1);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		rec_int(&b, (uint16_t)(i + 1), v[i]);
	rec_str(&b, 500, "中文 text");
	assert_false(b.oom);
	assert_int_equal(rec_open(&r, b.p, b.len, RT_META, 1), 0);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_int_equal(rec_next(&r), 1);
		assert_int_equal(r.tag, i + 1);
		assert_true(rec_get_int(&r) == v[i]);
	}
	char s[32];
	assert_int_equal(rec_next(&r), 1);
	assert_int_equal(r.tag, 500);
	assert_int_equal(rec_get_str(&r, s, sizeof s), 0);
	assert_string_equal(s, "中文 text");
	assert_int_equal(rec_get_str(&r, s, 5), -1); /* never truncated */
	assert_int_equal(rec_next(&r), 0);
	buf_free(&b);
}

static void
test_small_ints_are_short(void **state)
{
	struct buf b;
	buf_init(&b);
	rec_int(&b, 3, 5);
	/* tag, length, value: one byte each */
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void
test_refusals(void **state)
{
	struct buf b;
	struct rec_reader r;

	buf_init(&b);
	rec_begin(&b, RT_USER, 2);
	rec_str(&b, 1, "abc");
	assert_int_equal(rec_open(&r, b.p, b.len, RT_USER, 1), -1);  /* newer version */
	assert_int_equal(rec_open(&r, b.p, b.len, RT_DOSSIER, 2), -1); /* other type */
	assert_int_equal(rec_open(&r, b.p, b.len, RT_USER, 2), 0);
	/* every truncation of the field is detected */
	for (size_t cut = 5; cut < b.len; cut++) {
		assert_int_equal(rec_open(&r, b.p, cut, RT_USER, 2), 0);
		assert_int_equal(rec_next(&r), -1);
	}
	b.p[0] = 'X';
	assert_int_equal(rec_open(&r, b.p, b.len, RT_USER, 2), -1);
	buf_free(&b);
	/* invalid UTF-8 in a string field is refused */
	buf_init(&b);
	rec_begin(&b, RT_USER, 1);
	rec_blob(&b, 1, "\xff\xfe", 2);
	char s[8];
	assert_int_equal(rec_open(&r, b.p, b.len, RT_USER, 1), 0);
	assert_int_equal(rec_next(&r), 1);
	assert_int_equal(rec_get_str(&r, s, sizeof s), -1);
	buf_free(&b);
}

static void
test_dossier_round_trip(void **state)
{
	struct dossier *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	struct buf buf;

	for (int i = 0; i < 200; i++) {
		struct demo_rng rng;
		demo_seed(&rng, 7);
		demo_household(&rng, i, 20261122, 80000, 65000, a);
		snprintf(a->no, sizeof a->no, "330102001-2026-%05d", i + 1);
		buf_init(&buf);
		assert_int_equal(dossier_encode(a, &buf), 0);
		assert_int_equal(dossier_decode(buf.p, buf.len, b), 0);
		/* compare field by field through a second encoding */
		struct buf again;
		buf_init(&again);
		dossier_encode(b, &again);
		assert_int_equal(again.len, buf.len);
		assert_memory_equal(again.p, buf.p, buf.len);
		assert_int_equal(b->n_members, a->n_members);
		assert_string_equal(b->members[b->head].id, a->members[a->head].id);
		assert_true(b->total == a->total);
		buf_free(&again);
		buf_free(&buf);
	}
	free(a);
	free(b);
}

/* ---- against a real environment ---------------------------------------- */

struct env {
	char dir[PATH_MAX];
	struct store *st;
	struct user admin, clerk;
};

static int
setup_env(void **state)
{
	struct env *x = calloc(1, sizeof *x);
	struct village v = {.name = "青石村", .groups = "一组,二组"};
	struct user u = {.login = "clerk", .name = "李明", .role = ROLE_CLERK};

	struct user *out[] = {&x->clerk};
	tmpstore_open(x->dir, "unit", &x->st, &x->admin, &u, out, 1, &v);
	*state = x;
	return 0;
}

static int
teardown_env(void **state)
{
	struct env *x = *state;
	int r = tmpstore_close(x->st, x->dir);
	free(x);
	return r;
}

static uint64_t
audit_count(struct store *st)
{
	uint64_t n;
	unsigned char head[32];
	struct err e;
	assert_int_equal(audit_verify(st, &n, head, &e), 0);
	return n;
}

static void
test_login(void **state)
{
	struct env *x = *state;
	struct user u;
	struct err e;

	uint64_t before = audit_count(x->st);
	assert_int_equal(user_login(x->st, "admin", "wrong-one", &u, &e), -1);
	assert_int_equal(e.code, E_REFUSED);
	assert_int_equal(user_login(x->st, "nobody", "whatever", &u, &e), -1);
	/* failed logins are in the audit chain */
	assert_true(audit_count(x->st) == before + 2);
	/* the clerk may not manage users or settings */
	assert_int_equal(setting_set(x->st, &x->clerk, "notice.days", "9", &e), -1);
	assert_int_equal(e.code, E_REFUSED);
}

static int
fail_after_write(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	if (audit_append(st, txn, "test", "write", "x", NULL, e) != 0)
		return -1;
	return err_set(e, E_REFUSED, "refused after writing");
}

static void
test_failed_txn_changes_nothing(void **state)
{
	struct env *x = *state;
	struct err e;
	uint64_t before = audit_count(x->st);

	assert_int_equal(store_txn_run(x->st, fail_after_write, NULL, &e), -1);
	assert_int_equal(e.code, E_REFUSED);
	assert_true(audit_count(x->st) == before);
}

static void
test_dossier_and_r7(void **state)
{
	struct env *x = *state;
	struct dossier *d = calloc(1, sizeof *d), *got = calloc(1, sizeof *got);
	struct member m;
	struct err e;
	char found[DOSSIER_NO_LEN + 1];

	dossier_init(d);
	d->area = AREA_RURAL;
	strcpy(d->village, "青石村");
	strcpy(d->members[0].name, "张三");
	strcpy(d->members[0].id, "330102195001010014");
	d->n_members = 1;
	/* the admin handles no cases */
	assert_int_equal(dossier_create(x->st, &x->admin, d, &e), -1);
	assert_int_equal(dossier_create(x->st, &x->clerk, d, &e), 0);
	assert_true(dossier_no_valid(d->no));
	assert_int_equal(dossier_get(x->st, NULL, d->no, got, &e), 0);
	assert_int_equal(got->version, 1);
	assert_int_equal(got->members[0].birth, 19500101);
	assert_int_equal(got->members[0].sex, 'M');

	memset(&m, 0, sizeof m);
	strcpy(m.name, "王芳");
	strcpy(m.id, "330102195203150023");
	m.relation = REL_SPOUSE;
	assert_int_equal(member_add(x->st, &x->clerk, d->no, &m, &e), 0);
	assert_int_equal(dossier_by_id(x->st, NULL, m.id, NULL, found, &e), 1);
	assert_string_equal(found, d->no);
	/* a second dossier may not take either ID (R7) */
	struct dossier *d2 = calloc(1, sizeof *d2);
	dossier_init(d2);
	d2->area = AREA_RURAL;
	strcpy(d2->village, "青石村");
	strcpy(d2->members[0].name, "王芳");
	strcpy(d2->members[0].id, "330102195203150023");
	d2->n_members = 1;
	assert_int_equal(dossier_create(x->st, &x->clerk, d2, &e), -1);
	assert_non_null(strstr(e.msg, "R7"));
	assert_int_equal(dossier_get(x->st, NULL, d->no, got, &e), 0);
	assert_int_equal(got->version, 2);
	assert_int_equal(got->n_members, 2);
	free(d);
	free(d2);
	free(got);
}

struct collect {
	char (*no)[DOSSIER_NO_LEN + 1];
	size_t n, cap;
};

static int
collect_one(const struct dossier *d, void *baton)
{
	struct collect *c = baton;
	if (c->n < c->cap)
		strcpy(c->no[c->n], d->no);
	c->n++;
	return 0;
}

static size_t
list_into(struct store *st, struct dossier_filter *f, struct collect *c)
{
	struct err e;
	c->n = 0;
	assert_int_equal(dossier_list(st, f, collect_one, c, &e), 0);
	return c->n;
}

/* The status counts equal what the list yields, and a page read through
 * offset/limit (skipped without decoding) is the same slice of the whole. */
static void
test_counts_and_paging(void **state)
{
	struct env *x = *state;
	struct err e;
	size_t counts[ST__N], sum = 0;
	struct collect all = {calloc(400, sizeof *all.no), 0, 400}, page = {calloc(400, sizeof *page.no), 0, 400};

	assert_int_equal(demo_load(x->st, &x->admin, 120, 7, NULL, NULL, &e), 0);
	assert_int_equal(dossier_count_by_status(x->st, counts, &e), 0);
	for (int s = 0; s < ST__N; s++) {
		struct dossier_filter f = {.status = s};
		assert_int_equal(list_into(x->st, &f, &all), counts[s]);
		sum += counts[s];
	}
	struct dossier_filter f = {.status = -1};
	assert_int_equal(list_into(x->st, &f, &all), sum);
	const struct dossier_filter filters[] = {
		{.status = -1}, {.status = ST_APPROVED}, {.status = -1, .village = "青石村"},
		{.status = ST_APPROVED, .village = "青石村"}, {.status = -1, .search = "张"},
		{.status = ST_APPROVED, .search = "张"},
	};
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		struct dossier_filter whole = filters[i], part = filters[i];
		size_t n = list_into(x->st, &whole, &all);
		for (size_t off = 0; off <= n; off += 7) {
			part.offset = off;
			part.limit = 5;
			size_t got = list_into(x->st, &part, &page);
			assert_int_equal(got, n - off < 5 ? n - off : 5);
			for (size_t k = 0; k < got; k++)
				assert_string_equal(page.no[k], all.no[off + k]);
		}
	}
	free(all.no);
	free(page.no);
}

/* Keyset paging: pages read forward from each page's successor, and
 * backward from each page's first entry, put together are the whole list
 * in order, for every index a list without a search walks. */
static void
test_keyset_paging(void **state)
{
	struct env *x = *state;
	struct err e;
	struct collect all = {calloc(400, sizeof *all.no), 0, 400}, page = {calloc(400, sizeof *page.no), 0, 400};
	char start[DOSSIER_NO_LEN + 2];

	assert_int_equal(demo_load(x->st, &x->admin, 120, 7, NULL, NULL, &e), 0);
	const struct dossier_filter filters[] = {
		{.status = -1}, {.status = ST_APPROVED}, {.status = -1, .village = "青石村"},
		{.status = ST_APPROVED, .village = "青石村"}, {.status = ST_REJECTED, .village = "青石村"},
	};
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		struct dossier_filter whole = filters[i], part = filters[i];
		size_t n = list_into(x->st, &whole, &all);
		assert_true(n > 0);
		for (size_t lim = 1; lim <= 9; lim += 4) {
			/* forward: each page from the entry after the last one */
			size_t at = 0;
			part.start = NULL;
			part.backward = false;
			part.limit = lim + 1;
			for (;;) {
				size_t got = list_into(x->st, &part, &page);
				assert_int_equal(got, n - at < lim + 1 ? n - at : lim + 1);
				for (size_t k = 0; k < got; k++)
					assert_string_equal(page.no[k], all.no[at + k]);
				if (got <= lim)
					break;
				at += lim;
				strcpy(start, page.no[lim]);
				part.start = start;
			}
			/* backward: from the end, then before each page's first */
			size_t end = n;
			part.start = NULL;
			part.backward = true;
			part.limit = lim;
			while (end > 0) {
				size_t got = list_into(x->st, &part, &page);
				assert_int_equal(got, end < lim ? end : lim);
				for (size_t k = 0; k < got; k++)
					assert_string_equal(page.no[k], all.no[end - 1 - k]);
				end -= got;
				strcpy(start, page.no[got - 1]);
				part.start = start;
			}
			assert_int_equal(list_into(x->st, &part, &page), 0);
		}
		/* a start between two listed dossiers: the next one */
		if (n >= 2) {
			part.backward = false;
			part.limit = 1;
			snprintf(start, sizeof start, "%s~", all.no[n / 2 - 1]);
			part.start = start;
			assert_int_equal(list_into(x->st, &part, &page), 1);
			assert_string_equal(page.no[0], all.no[n / 2]);
			part.backward = true;
			assert_int_equal(list_into(x->st, &part, &page), 1);
			assert_string_equal(page.no[0], all.no[n / 2 - 1]);
		}
	}
	free(all.no);
	free(page.no);
}

int
main(void)
{
	const struct CMUnitTest codec[] = {
		cmocka_unit_test(test_int_round_trip),
		cmocka_unit_test(test_small_ints_are_short),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_dossier_round_trip),
	};
	const struct CMUnitTest env[] = {
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_failed_txn_changes_nothing),
		cmocka_unit_test(test_dossier_and_r7),
		cmocka_unit_test(test_counts_and_paging),
		cmocka_unit_test(test_keyset_paging),
	};
	if (sodium_init() < 0)
		return 1;
	int failures = cmocka_run_group_tests_name("codec", codec, NULL, NULL);
	failures += cmocka_run_group_tests_name("store", env, setup_env, teardown_env);
	return failures ? 1 : 0;
}
