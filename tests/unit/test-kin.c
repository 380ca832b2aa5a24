/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-kin.c — the kin registry against a real Berkeley DB environment in
 * a temporary directory: record round trips, the relative-ID extractor,
 * matching both ways, filings and their separation of duties, the rules'
 * questions (R8 count, JQBA, R11 for a user linked to the registry), and
 * the archive's step to 已报县.
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

#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin-int.h"
#include "store/kin.h"
#include "store/village.h"
#include "tests/unit/tmpstore.h"

#define CADRE "330102197001010013"
#define WIFE "330102197202020023"
#define HEAD "330102196005050050"
#define SON "33010219950303003X"

/* ---- records ------------------------------------------------------------ */

/* Decode what was encoded and encode it again: the bytes must agree.
 * (Comparing the structs' memory would compare their padding too.) */
#define SAME_AFTER_ROUND_TRIP(encode, decode, x, y) do { \
	struct buf b1_, b2_; \
	buf_init(&b1_); \
	buf_init(&b2_); \
	assert_int_equal(encode((x), &b1_), 0); \
	assert_int_equal(decode(b1_.p, b1_.len, (y)), 0); \
	assert_int_equal(encode((y), &b2_), 0); \
	assert_int_equal(b1_.len, b2_.len); \
	assert_memory_equal(b1_.p, b2_.p, b1_.len); \
	buf_free(&b1_); \
	buf_free(&b2_); \
} while (0)

static void
test_staff_round_trip(void **state)
{
	struct kin_staff a = {.id = CADRE, .name = "王建国", .kind = SK_CADRE, .unit = "青石村",
	    .position = "村委会主任", .from = 20210301, .to = 20260301, .ended = 20260310,
	    .registered = 20260316, .registered_by = "clerk"}, b;
	struct buf buf;

	SAME_AFTER_ROUND_TRIP(kin_staff_encode, kin_staff_decode, &a, &b);
	assert_string_equal(b.name, "王建国");
	assert_int_equal(b.ended, 20260310);
	buf_init(&buf);
	assert_int_equal(kin_staff_encode(&a, &buf), 0);
	/* a field cut in the middle is refused, never read short */
	assert_int_equal(kin_staff_decode(buf.p, buf.len - 1, &b), -1);
	/* a relative record is not a staff record */
	assert_int_equal(kin_relative_decode(buf.p, buf.len, &(struct kin_relative){0}), -1);
	buf_free(&buf);
}

static void
test_relative_match_filing_round_trip(void **state)
{
	struct kin_relative r = {.staff_id = CADRE, .id = WIFE, .name = "李秀英", .relation = KREL_SPOUSE,
	    .declared = 20260301, .removed = 20260316, .declared_by = "clerk"}, r2;
	struct kin_match m = {.dossier = "330102001-2026-00001", .member_id = WIFE, .staff_id = CADRE,
	    .relation = KREL_SELF, .member_name = "李秀英", .staff_name = "王建国", .found = 20260316,
	    .filing = "BA-2026-0001"}, m2;
	struct kin_filing *f = calloc(1, sizeof *f), *f2 = calloc(1, sizeof *f2);

	SAME_AFTER_ROUND_TRIP(kin_relative_encode, kin_relative_decode, &r, &r2);
	assert_string_equal(r2.id, WIFE);
	assert_int_equal(r2.removed, 20260316);
	SAME_AFTER_ROUND_TRIP(kin_match_encode, kin_match_decode, &m, &m2);
	assert_string_equal(m2.filing, "BA-2026-0001");
	assert_int_equal(m2.relation, KREL_SELF);

	strcpy(f->no, "BA-2026-0001");
	strcpy(f->dossier, m.dossier);
	strcpy(f->member_id, WIFE);
	strcpy(f->member_name, "李秀英");
	strcpy(f->note, "配偶系村委会主任");
	f->status = FS_REPORTED;
	strcpy(f->filed_by, "clerk");
	f->filed = 20260316;
	strcpy(f->reviewed_by, "reviewer");
	f->reviewed = 20260317;
	f->reported = 20260325;
	f->n_staff = 2;
	strcpy(f->staff[0].staff_id, CADRE);
	strcpy(f->staff[0].staff_name, "王建国");
	f->staff[0].relation = KREL_SPOUSE;
	strcpy(f->staff[1].staff_id, HEAD);
	strcpy(f->staff[1].staff_name, "李大山");
	f->staff[1].relation = KREL_SELF;
	SAME_AFTER_ROUND_TRIP(kin_filing_encode, kin_filing_decode, f, f2);
	assert_int_equal(f2->n_staff, 2);
	assert_string_equal(f2->staff[1].staff_name, "李大山");
	assert_int_equal(f2->status, FS_REPORTED);
	free(f);
	free(f2);
}

static void
test_relative_extractor(void **state)
{
	struct kin_relative r = {.staff_id = CADRE, .id = WIFE, .name = "李秀英", .relation = KREL_SPOUSE};
	struct buf buf;
	DBT k, v, out;

	buf_init(&buf);
	assert_int_equal(kin_relative_encode(&r, &buf), 0);
	dbt_init(&k, CADRE WIFE, KIN_REL_KEY_LEN);
	dbt_init(&v, buf.p, buf.len);
	memset(&out, 0, sizeof out);
	assert_int_equal(idx_kin_relative_idno(NULL, &k, &v, &out), 0);
	assert_int_equal(out.size, ID_LEN);
	assert_memory_equal(out.data, WIFE, ID_LEN);
	/* a damaged record is an error, not an empty key */
	dbt_init(&v, buf.p, 3);
	assert_int_not_equal(idx_kin_relative_idno(NULL, &k, &v, &out), 0);
	buf_free(&buf);
}

/* ---- against a real environment ---------------------------------------- */

struct env {
	char dir[PATH_MAX];
	struct store *st;
	struct user admin, clerk, reviewer, cadre_user, wife_user;
};

static int
setup_env(void **state)
{
	struct env *x = calloc(1, sizeof *x);
	struct village v = {.name = "青石村"};
	struct user u[] = {
		{.login = "clerk", .name = "李明", .role = ROLE_CLERK},
		{.login = "reviewer", .name = "周审", .role = ROLE_REVIEWER},
		{.login = "cadre", .name = "王建国", .role = ROLE_REVIEWER, .id = CADRE},
		{.login = "wife", .name = "李秀英", .role = ROLE_APPROVER, .id = WIFE},
	};
	struct user *out[] = {&x->clerk, &x->reviewer, &x->cadre_user, &x->wife_user};

	tmpstore_open(x->dir, "kin", &x->st, &x->admin, u, out, sizeof u / sizeof u[0], &v);
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

struct rules {
	const char *no;
	const struct user *actor;
	const struct dossier *d;
	int unfiled, conflict;
	bool has;
	char why[256];
	const char *report;
};

static int
rules_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rules *r = baton;
	if (kin_unfiled(st, txn, r->no, &r->unfiled, e) != 0 || kin_has_match(st, txn, r->no, &r->has, e) != 0)
		return -1;
	if (r->actor && (r->conflict = kin_conflict(st, txn, r->actor, r->d, r->why, sizeof r->why, e)) < 0)
		return -1;
	if (r->report && kin_mark_reported(st, txn, r->report, e) != 0)
		return -1;
	return 0;
}

static int
count_fn(const struct kin_match *m, int fs, void *baton)
{
	(*(int *)baton)++;
	return 0;
}

static void
test_match_file_confirm_conflict(void **state)
{
	struct env *x = *state;
	struct err e;
	struct dossier *d = calloc(1, sizeof *d);
	struct kin_staff s = {.id = CADRE, .name = "王建国", .kind = SK_CADRE, .unit = "青石村"};
	struct kin_relative r = {.staff_id = CADRE, .id = WIFE, .name = "李秀英", .relation = KREL_SPOUSE};
	struct member m = {.name = "李秀英", .id = WIFE, .relation = REL_OTHER};
	struct rules q = {0};
	char no[FILING_NO_LEN + 1];
	int n = 0, found = -1;

	err_clear(&e);
	/* the registry: clerk and admin only */
	assert_int_equal(kin_staff_add(x->st, &x->reviewer, &s, &e), -1);
	assert_int_equal(kin_staff_add(x->st, &x->clerk, &s, &e), 0);
	assert_int_equal(kin_relative_add(x->st, &x->clerk, &r, &e), 0);

	dossier_init(d);
	d->area = AREA_RURAL;
	strcpy(d->village, "青石村");
	d->n_members = 1;
	strcpy(d->members[0].name, "李大山");
	strcpy(d->members[0].id, HEAD);
	assert_int_equal(dossier_create(x->st, &x->clerk, d, &e), 0);
	q.no = d->no;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_false(q.has);
	assert_int_equal(q.unfiled, 0);

	/* the member add records the match in its own transaction */
	assert_int_equal(member_add(x->st, &x->clerk, d->no, &m, &e), 0);
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_true(q.has);
	assert_int_equal(q.unfiled, 1);
	assert_int_equal(kin_match_list(x->st, d->no, count_fn, &n, &e), 0);
	assert_int_equal(n, 1);
	/* a re-scan finds nothing new */
	assert_int_equal(kin_rescan(x->st, &x->clerk, &found, NULL, &e), 0);
	assert_int_equal(found, 0);

	/* R11: the cadre (user linked by ID) and the wife (a member) */
	assert_int_equal(dossier_get(x->st, NULL, d->no, d, &e), 0);
	q.actor = &x->cadre_user;
	q.d = d;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.conflict, 1);
	assert_non_null(strstr(q.why, "R11"));
	assert_non_null(strstr(q.why, "李秀英"));
	assert_non_null(strstr(q.why, "配偶"));
	q.actor = &x->wife_user;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.conflict, 1);
	q.actor = &x->reviewer;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.conflict, 0);
	assert_string_equal(q.why, "");
	q.actor = NULL;

	/* filing: the clerk files, the same person cannot confirm, another does */
	assert_int_equal(kin_file(x->st, &x->reviewer, d->no, WIFE, NULL, no, &e), -1);
	assert_int_equal(kin_file(x->st, &x->clerk, d->no, WIFE, "情况属实", no, &e), 0);
	char want[32];
	snprintf(want, sizeof want, "BA-%04d-0001", date_year(store_today()));
	assert_string_equal(no, want);
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.unfiled, 1); /* pending is not complete */
	q.report = no;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), -1); /* pending cannot be reported */
	q.report = NULL;
	assert_int_equal(kin_confirm(x->st, &x->clerk, no, &e), -1);
	err_clear(&e);
	assert_int_equal(kin_confirm(x->st, &x->reviewer, no, &e), 0);
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.unfiled, 0);
	q.report = no;
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	q.report = NULL;
	struct kin_filing *f = malloc(sizeof *f);
	assert_int_equal(kin_filing_get(x->st, NULL, no, f, &e), 0);
	assert_int_equal(f->status, FS_REPORTED);
	assert_string_equal(f->reviewed_by, "reviewer");
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.unfiled, 0);

	/* a relative declared after the dossier exists raises a match */
	struct member son = {.name = "王小明", .id = SON, .relation = REL_OTHER};
	struct kin_relative rs = {.staff_id = CADRE, .id = SON, .name = "王小明", .relation = KREL_CHILD};
	assert_int_equal(member_add(x->st, &x->clerk, d->no, &son, &e), 0);
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.unfiled, 0);
	assert_int_equal(kin_relative_add(x->st, &x->clerk, &rs, &e), 0);
	assert_int_equal(store_txn_run(x->st, rules_body, &q, &e), 0);
	assert_int_equal(q.unfiled, 1);
	free(f);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest codec[] = {
		cmocka_unit_test(test_staff_round_trip),
		cmocka_unit_test(test_relative_match_filing_round_trip),
		cmocka_unit_test(test_relative_extractor),
	};
	const struct CMUnitTest env[] = {
		cmocka_unit_test(test_match_file_confirm_conflict),
	};
	if (sodium_init() < 0)
		return 1;
	int failures = cmocka_run_group_tests_name("kin codec", codec, NULL, NULL);
	failures += cmocka_run_group_tests_name("kin store", env, setup_env, teardown_env);
	return failures ? 1 : 0;
}
