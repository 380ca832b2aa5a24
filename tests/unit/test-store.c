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

/* A dossier record as version 1 stored it (written by the code before
 * record version 2: demo household 330102001-2025-01016 of seed 1, as
 * db5.3_dump printed it) still reads; written again it is version 2,
 * smaller, and its version 1 bytes (what a printed form's hash covers) are
 * the old record exactly. */
static const char old_v1_hex[] =
	"4442030101143333303130323030312d323032352d30313031360201020301040409e99d92e79fb3e69d910506e4b889"
	"e7bb840613e99d92e79fb3e69d91e4b889e7bb8434e58fb7070b31393132323238363833360812e4b8ade59bbde5869c"
	"e4b89ae993b6e8a18c0913363035363737303939363035363838353233393c1233333031303231393932303930363136"
	"36300a01000b01020c01000d01000e01100f04d8f9a71310048afba71311010012010013010014010015001601001e4f"
	"0106e9ad8fe7baa20212333330313032313939323039303631363630030494e0ff1204028c0105010006010007000801"
	"000901000a01000b0ce781b5e6b4bbe5b0b1e4b89a0c01000d01000e000f001f3001010202039e8d1e03123333303130"
	"363139393230393036313636360412e5869ce4b89ae694b6e585a5e6b58be7ae971f180101040203d2f4010300040ce7"
	"a79fe8b581e59088e5908c1f1b0101060203a8e9030300040fe8b5a1e585bbe8b4b9e58d8fe8aeae201c010100020380"
	"850f0412e4bd8fe999a2e887aae4bb98e8b4b9e794a82013010104020398c2110409e68aa4e79086e8b4b9211d010100"
	"040ce69caae8a781e5bc82e5b8b80504e4f9a713060464656d6f211d010102040ce69caae8a781e5bc82e5b8b80504e4"
	"f9a713060464656d6f211d010104040ce69caae8a781e5bc82e5b8b80504e4f9a713060464656d6f211d010106040ce6"
	"9caae8a781e5bc82e5b8b80504e4f9a713060464656d6f211d010108040ce69caae8a781e5bc82e5b8b80504e4f9a713"
	"060464656d6f211d01010a040ce69caae8a781e5bc82e5b8b80504e4f9a713060464656d6f211d01010c040ce69caae8"
	"a781e5bc82e5b8b80504e4f9a713060464656d6f211d01010e040ce69caae8a781e5bc82e5b8b80504e4f9a713060464"
	"656d6f211d010110040ce69caae8a781e5bc82e5b8b80504e4f9a713060464656d6f22750104daf9a713020003000401"
	"0005010006010007010008010009000a01000b01000c01000d000e01000f0d64656d6f2d726576696577657210048afb"
	"a713112ae5aeb6e5baade4babae59d87e694b6e585a5e9ab98e4ba8ee5bd93e59cb0e4bf9de99a9ce6a087e587861200"
	"130100140100150100232001035351530204daf9a713030b64656d6f2d636c65726b3104010205010007002320010353"
	"465a0204daf9a713030b64656d6f2d636c65726b31040100050100070023200103484b420204daf9a713030b64656d6f"
	"2d636c65726b310401000501000700232001035351520204daf9a713030b64656d6f2d636c65726b3104010205010007"
	"002801002901002a01002b01002c0100";

static void
test_dossier_v1_record(void **state)
{
	size_t n = sizeof old_v1_hex / 2;
	unsigned char *old = malloc(n);
	struct dossier *d = calloc(1, sizeof *d), *d2 = calloc(1, sizeof *d2);
	struct buf v2, back;
	struct rec_reader r;

	assert_non_null(old);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(old_v1_hex + 2 * i, "%2hhx", &old[i]), 1);
	assert_int_equal(old[3], 1);
	assert_int_equal(dossier_decode(old, n, d), 0);
	assert_string_equal(d->no, "330102001-2025-01016");
	assert_int_equal(d->status, ST_REJECTED);
	assert_int_equal(d->area, AREA_RURAL);
	assert_string_equal(d->village, "青石村");
	assert_string_equal(d->holder, "330102199209061660");
	assert_int_equal(d->n_members, 1);
	assert_string_equal(d->members[0].name, "魏红");
	assert_int_equal(d->n_incomes, 3);
	assert_true(d->incomes[0].amount == 246607 && d->incomes[2].amount == 31316);
	assert_int_equal(d->n_expenses, 2);
	assert_true(d->expenses[1].amount == 143500);
	assert_true(d->n_checks >= 7);
	assert_string_equal(d->checks[0].result, "未见异常");
	assert_string_equal(d->checks[0].recorded_by, "demo");
	assert_true(d->n_items > 0);
	assert_string_equal(d->items[0].received_by, "demo-clerk1");

	/* written again: version 2, smaller, the same dossier */
	buf_init(&v2);
	assert_int_equal(dossier_encode(d, &v2), 0);
	assert_int_equal(v2.p[3], 2);
	assert_true(v2.len < n * 3 / 4);
	assert_int_equal(dossier_decode(v2.p, v2.len, d2), 0);
	assert_int_equal(d2->n_checks, d->n_checks);
	assert_int_equal(d2->n_items, d->n_items);
	assert_string_equal(d2->proc.decided_by, d->proc.decided_by);

	/* its version 1 bytes are the old record's; a version 1 record's are
	 * its own */
	buf_init(&back);
	assert_int_equal(dossier_v1_bytes(v2.p, v2.len, &back), 0);
	assert_int_equal(back.len, n);
	assert_memory_equal(back.p, old, n);
	buf_free(&back);
	buf_init(&back);
	assert_int_equal(dossier_v1_bytes(old, n, &back), 0);
	assert_int_equal(back.len, n);
	assert_memory_equal(back.p, old, n);
	buf_free(&back);

	/* damaged: cut short, or the deflated part changed in length */
	assert_int_equal(dossier_decode(v2.p, v2.len - 1, d2), -1);
	buf_init(&back);
	assert_int_equal(dossier_v1_bytes(v2.p, v2.len - 1, &back), -1);
	buf_free(&back);
	/* a newer version than this build knows is refused */
	v2.p[3] = 3;
	assert_int_equal(dossier_decode(v2.p, v2.len, d2), -1);
	/* a packed field in a version 1 record is not one */
	v2.p[3] = 1;
	assert_int_equal(dossier_decode(v2.p, v2.len, d2), -1);
	assert_int_equal(rec_open(&r, v2.p, v2.len, RT_DOSSIER, 2), 0);
	buf_free(&v2);
	free(old);
	free(d);
	free(d2);
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

/* The demo load writes its households year by year (store/demo.c: each
 * year's dossier numbers appended at the end of dossiers.db, pages full):
 * the audit chain's demo.load entries come in dossier-number order, every
 * household is there, and its record reads back. */
struct demo_walk {
	char last[TEXT_SHORT];
	int n, years;
	bool sorted;
};

static int
demo_entry(const struct audit_entry *a, void *baton)
{
	struct demo_walk *w = baton;
	if (strcmp(a->action, "demo.load") != 0)
		return 0;
	if (w->n > 0 && strcmp(a->object, w->last) <= 0)
		w->sorted = false;
	if (w->n == 0 || strncmp(a->object, w->last, 14) != 0)
		w->years++;
	snprintf(w->last, sizeof w->last, "%s", a->object);
	w->n++;
	return 0;
}

static void
test_demo_year_order(void **state)
{
	struct env *x = *state;
	struct demo_walk w = {.sorted = true};
	struct dossier *d = calloc(1, sizeof *d);
	struct err e;

	assert_int_equal(demo_load(x->st, &x->admin, 150, 3, NULL, NULL, &e), 0);
	assert_int_equal(audit_walk(x->st, NULL, demo_entry, &w, &e), 0);
	assert_int_equal(w.n, 150);
	assert_true(w.sorted);
	assert_true(w.years >= 2);      /* the generator mixes the years */
	assert_int_equal(dossier_get(x->st, NULL, w.last, d, &e), 0);
	assert_true(d->n_members > 0);
	free(d);
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
		cmocka_unit_test(test_dossier_v1_record),
	};
	const struct CMUnitTest env[] = {
		cmocka_unit_test(test_demo_year_order),
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
