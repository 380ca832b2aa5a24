/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-ledger.c — the ledgers against a real Berkeley DB environment in a
 * temporary directory: clue, rectification and visit record round trips;
 * per-year numbers; the reporter hidden from a clerk and revealed to the
 * inspector with an audit entry; closing only with finding and action;
 * objection_open (R13) inside a transaction; overdue counts for the
 * dashboard; the monthly report's due month.
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

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/ledger-model.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/ledger.h"
#include "store/report.h"
#include "store/screen.h"
#include "store/village.h"
#include "tests/unit/tmpstore.h"

#define HEAD "330102196005050050"

static void
test_round_trips(void **state)
{
	struct clue *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	struct fix *f = calloc(1, sizeof *f), *g = calloc(1, sizeof *g);
	struct visit v, w;
	struct buf buf;

	/* memset first: the records are compared byte for byte, padding too */
	memset(&v, 0, sizeof v);
	v.kind = SCR_VISIT;
	strcpy(v.dossier, "330102001-2026-00001");
	v.date = 20260316;
	strcpy(v.by, "clerk");
	strcpy(v.outcome, "已走访");

	strcpy(a->no, "XS-2026-001");
	a->received = 20260316;
	a->channel = CH_MEDIA;
	strcpy(a->reporter, "李某 139");
	strcpy(a->dossier, "330102001-2026-00001");
	strcpy(a->content, "反映有车");
	a->category = CC_EMBEZZLE;
	strcpy(a->handler, "clerk");
	a->deadline = 20260415;
	a->n_notes = 2;
	a->notes[0].date = 20260317;
	strcpy(a->notes[0].by, "clerk");
	strcpy(a->notes[0].text, "已核查");
	a->notes[1].date = 20260318;
	strcpy(a->notes[1].by, "clerk2");
	strcpy(a->notes[1].text, "已约谈");
	a->finding = FIND_PARTLY;
	strcpy(a->action, "批评教育");
	a->transferred = true;
	a->closed = 20260320;
	strcpy(a->closed_by, "clerk");
	buf_init(&buf);
	assert_int_equal(clue_encode(a, &buf), 0);
	assert_int_equal(clue_decode(buf.p, buf.len, b), 0);
	assert_memory_equal(a, b, sizeof *a);
	assert_int_equal(clue_decode(buf.p, buf.len - 1, b), -1);
	assert_int_equal(fix_decode(buf.p, buf.len, g), -1);       /* not a rectification */
	buf_free(&buf);

	strcpy(f->no, "ZG-2026-001");
	f->recorded = 20260316;
	strcpy(f->problem, "缺公示记录");
	f->source = FSRC_REPORT;
	strcpy(f->measure, "补公示");
	strcpy(f->owner, "王主任");
	f->deadline = 20260331;
	f->n_notes = 1;
	f->notes[0].date = 20260317;
	strcpy(f->notes[0].by, "clerk");
	strcpy(f->notes[0].text, "进行中");
	strcpy(f->evidence, "照片");
	f->closed = 20260330;
	buf_init(&buf);
	assert_int_equal(fix_encode(f, &buf), 0);
	assert_int_equal(fix_decode(buf.p, buf.len, g), 0);
	assert_memory_equal(f, g, sizeof *f);
	buf_free(&buf);

	buf_init(&buf);
	assert_int_equal(visit_encode(&v, &buf), 0);
	memset(&w, 0, sizeof w);
	assert_int_equal(visit_decode(buf.p, buf.len, &w), 0);
	assert_memory_equal(&v, &w, sizeof v);
	buf_free(&buf);
	free(a);
	free(b);
	free(f);
	free(g);
}

struct env {
	char dir[PATH_MAX];
	struct store *st;
	struct user admin, clerk, inspector;
};

static int
setup_env(void **state)
{
	struct env *x = calloc(1, sizeof *x);
	struct village v = {.name = "青石村"};
	struct user u[] = {
		{.login = "clerk", .name = "李明", .role = ROLE_CLERK},
		{.login = "inspector", .name = "纪检", .role = ROLE_INSPECTOR},
	};
	struct user *out[] = {&x->clerk, &x->inspector};

	tmpstore_open(x->dir, "ledger", &x->st, &x->admin, u, out, sizeof u / sizeof u[0], &v);
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

struct objection {
	const char *no;
	bool open;
};

static int
objection_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct objection *o = baton;
	return objection_open(st, txn, o->no, &o->open, e);
}

static int
reveal_count(const struct audit_entry *a, void *baton)
{
	(*(int *)baton) += strcmp(a->action, "read.confidential") == 0;
	return 0;
}

static void
test_clues(void **state)
{
	struct env *x = *state;
	struct dossier *d = calloc(1, sizeof *d);
	struct clue *c = calloc(1, sizeof *c);
	struct err e;
	int n = 0;
	bool warn;
	dbmonth_t m;

	dossier_init(d);
	d->area = AREA_RURAL;
	strcpy(d->village, "青石村");
	d->n_members = 1;
	strcpy(d->members[0].name, "李大山");
	strcpy(d->members[0].id, HEAD);
	assert_int_equal(dossier_create(x->st, &x->clerk, d, &e), 0);

	/* the inspector changes nothing */
	c->channel = CH_PHONE;
	strcpy(c->content, "反映有车");
	assert_int_equal(clue_add(x->st, &x->inspector, c, &e), -1);
	assert_int_equal(e.code, E_REFUSED);

	strcpy(c->reporter, "举报人甲");
	strcpy(c->dossier, d->no);
	assert_int_equal(clue_add(x->st, &x->clerk, c, &e), 0);
	char want[32];
	snprintf(want, sizeof want, "XS-%04d-001", date_year(store_today()));
	assert_string_equal(c->no, want);
	assert_int_equal(c->deadline, date_add_days(store_today(), 30));
	struct objection o = {d->no, false};
	assert_int_equal(store_txn_run(x->st, objection_body, &o, &e), 0);
	assert_true(o.open);

	/* hidden from the clerk, shown to the inspector with an audit entry */
	assert_int_equal(clue_show(x->st, &x->clerk, want, c, &e), 0);
	assert_string_equal(c->reporter, clue_reporter_hidden);
	assert_int_equal(audit_walk(x->st, want, reveal_count, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(clue_show(x->st, &x->inspector, want, c, &e), 0);
	assert_string_equal(c->reporter, "举报人甲");
	assert_int_equal(audit_walk(x->st, want, reveal_count, &n, &e), 0);
	assert_int_equal(n, 1);

	/* closing needs both finding and action */
	assert_int_equal(clue_update(x->st, &x->clerk, want, "已核查", &e), 0);
	assert_int_equal(clue_close(x->st, &x->clerk, want, FIND_NONE, "x", false, &e), -1);
	assert_int_equal(clue_close(x->st, &x->clerk, want, FIND_FALSE, "", false, &e), -1);
	assert_int_equal(clue_close(x->st, &x->clerk, want, FIND_FALSE, "异议不成立", false, &e), 0);
	assert_int_equal(clue_close(x->st, &x->clerk, want, FIND_FALSE, "again", false, &e), -1);
	assert_int_equal(store_txn_run(x->st, objection_body, &o, &e), 0);
	assert_false(o.open);

	/* a clue past its deadline (written directly: clue_add refuses a past one) */
	struct buf b;
	memset(c, 0, sizeof *c);
	strcpy(c->no, "XS-2000-001");
	c->received = 20000101;
	c->deadline = 20000201;
	strcpy(c->content, "旧线索");
	buf_init(&b);
	assert_int_equal(clue_encode(c, &b), 0);
	assert_int_equal(record_put(x->st, NULL, DBI_CLUES, c->no, strlen(c->no), &b, true, &e), 0);
	buf_free(&b);
	assert_int_equal(clue_overdue_count(x->st, &n, &e), 0);
	assert_int_equal(n, 1);

	struct fix *f = calloc(1, sizeof *f);
	strcpy(f->problem, "缺公示记录");
	strcpy(f->measure, "补公示");
	strcpy(f->owner, "王主任");
	assert_int_equal(fix_add(x->st, &x->clerk, f, &e), -1);    /* no deadline */
	f->deadline = date_add_days(store_today(), 5);
	assert_int_equal(fix_add(x->st, &x->clerk, f, &e), 0);
	assert_int_equal(fix_close(x->st, &x->clerk, f->no, "", &e), -1);
	assert_int_equal(fix_close(x->st, &x->clerk, f->no, "照片", &e), 0);
	assert_int_equal(fix_update(x->st, &x->clerk, f->no, "late", &e), -1);
	assert_int_equal(fix_overdue_count(x->st, &n, &e), 0);
	assert_int_equal(n, 0);

	assert_int_equal(report_due(x->st, 20260320, &m, &warn, &e), 0);
	assert_int_equal(m, 202603);
	assert_true(warn);
	assert_int_equal(report_due(x->st, 20260326, &m, &warn, &e), 0);
	assert_int_equal(m, 202604);
	assert_false(warn);
	free(f);
	free(c);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest codec[] = {
		cmocka_unit_test(test_round_trips),
	};
	const struct CMUnitTest env[] = {
		cmocka_unit_test(test_clues),
	};
	if (sodium_init() < 0)
		return 1;
	int failures = cmocka_run_group_tests_name("ledger codec", codec, NULL, NULL);
	failures += cmocka_run_group_tests_name("ledger store", env, setup_env, teardown_env);
	return failures ? 1 : 0;
}
