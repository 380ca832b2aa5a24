/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-progress.c — the progress and the cancel of the two long jobs that
 * walk a whole database, against a real environment of demo households:
 * the kin re-scan and the monthly report tell done (never going back,
 * never past total) of total; a re-scan cancelled at any call records no
 * match and appends no audit entry (its one transaction aborts); a report
 * cancelled at any call fails E_REFUSED and leaves the report empty;
 * riders on the report's walks see every dossier and audit entry in order;
 * and report_monthly_write cancelled leaves no PDF and no CSV.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "store/kin-int.h"
#include "print/forms.h"
#include "tests/unit/tmpstore.h"

#include "store/audit.h"
#include "store/codec.h"
#include "store/demo.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/report.h"
#include "store/village.h"

/* enough households and registry records for several progress calls (one
 * every 1024 audit entries, households or registry records) */
#define HOUSEHOLDS 1500
#define STAFF 40          /* each a real member: matches on active dossiers */
#define RELATIVES 1200    /* one in ten a real member */

struct env {
	char dir[PATH_MAX];
	struct store *st;
	struct user admin, clerk;
};

/* ---- the township ------------------------------------------------------- */

static void
make_id(char out[ID_LEN + 1], unsigned n)
{
	snprintf(out, ID_LEN + 1, "1101011960%02u%02u%03u", 1 + n / 28 / 1000 % 12, 1 + n / 1000 % 28, n % 1000);
	out[17] = id_check_char(out);
	out[18] = '\0';
}

/* every third member ID of the dossier ID index */
static int
take_real(struct store *st, char (*ids)[ID_LEN + 1], int want)
{
	DB *idx = st->db[DBI_DOSSIER_IDNO];
	DBC *c;
	DBT k, v;
	int i = 0, n = 0;

	assert_int_equal(idx->cursor(idx, NULL, &c, 0), 0);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (n < want && c->get(c, &k, &v, DB_NEXT_NODUP) == 0) {
		if (i++ % 3 != 0 || k.size != ID_LEN)
			continue;
		memcpy(ids[n], k.data, ID_LEN);
		ids[n++][ID_LEN] = '\0';
	}
	c->close(c);
	return n;
}

struct load {
	char (*real)[ID_LEN + 1];
	int n_real;
};

/* The registry written as a bulk load does (no matching on the way), so
 * that the re-scan has matches to record. */
static int
load_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct load *l = baton;
	struct buf b;

	for (int i = 0; i < STAFF; i++) {
		struct kin_staff s = {.kind = SK_CADRE, .unit = "青石村", .position = "干部", .registered = 20260316,
		    .registered_by = "test"};
		memcpy(s.id, l->real[i], sizeof s.id);
		snprintf(s.name, sizeof s.name, "干部%d", i);
		buf_init(&b);
		kin_staff_encode(&s, &b);
		if (record_put(st, txn, DBI_KIN_STAFF, s.id, ID_LEN, &b, true, e) != 0) {
			buf_free(&b);
			return -1;
		}
		buf_free(&b);
	}
	for (int i = 0; i < RELATIVES; i++) {
		struct kin_relative r = {.relation = KREL_SPOUSE, .declared = 20260316, .declared_by = "test"};
		char key[KIN_REL_KEY_LEN];
		memcpy(r.staff_id, l->real[i % STAFF], sizeof r.staff_id);
		if (i % 10 == 0 && STAFF + i / 10 < l->n_real)
			memcpy(r.id, l->real[STAFF + i / 10], sizeof r.id);
		else
			make_id(r.id, (unsigned)i);
		snprintf(r.name, sizeof r.name, "亲属%d", i);
		memcpy(key, r.staff_id, ID_LEN);
		memcpy(key + ID_LEN, r.id, ID_LEN);
		buf_init(&b);
		kin_relative_encode(&r, &b);
		if (record_put(st, txn, DBI_KIN_RELATIVES, key, sizeof key, &b, false, e) != 0) {
			buf_free(&b);
			return -1;
		}
		buf_free(&b);
	}
	return 0;
}

static int
setup_env(void **state)
{
	struct env *x = calloc(1, sizeof *x);
	struct village v = {.name = "青石村"};
	struct user u[] = {{.login = "clerk", .name = "李明", .role = ROLE_CLERK}};
	struct user *out[] = {&x->clerk};
	struct load l;
	struct err e;

	tmpstore_open(x->dir, "progress", &x->st, &x->admin, u, out, 1, &v);
	assert_int_equal(demo_load(x->st, &x->admin, HOUSEHOLDS, 11, NULL, NULL, &e), 0);
	l.real = calloc(STAFF + RELATIVES / 10, sizeof *l.real);
	assert_non_null(l.real);
	l.n_real = take_real(x->st, l.real, STAFF + RELATIVES / 10);
	assert_true(l.n_real > STAFF);
	assert_int_equal(store_txn_run(x->st, load_body, &l, &e), 0);
	free(l.real);
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

/* ---- a progress that keeps what it was told and cancels at call N ------- */

#define MAX_CALLS 64

struct seen {
	int cancel_at;               /* 1-based; 0 never */
	int calls;
	int done[MAX_CALLS], total[MAX_CALLS];
};

static bool
record(int done, int total, void *baton)
{
	struct seen *s = baton;
	if (s->calls < MAX_CALLS) {
		s->done[s->calls] = done;
		s->total[s->calls] = total;
	}
	s->calls++;
	return s->calls == s->cancel_at;
}

/* done goes up, never past total; total never shrinks */
static void
assert_sane(const struct seen *s)
{
	assert_true(s->calls <= MAX_CALLS);
	for (int i = 0; i < s->calls; i++) {
		assert_true(s->done[i] >= 0);
		assert_true(s->done[i] <= s->total[i]);
		if (i > 0) {
			assert_true(s->done[i] > s->done[i - 1]);
			assert_true(s->total[i] >= s->total[i - 1]);
		}
	}
}

static uint64_t
chain_length(struct store *st)
{
	uint64_t n, len;
	unsigned char head[32];
	struct err e;
	assert_int_equal(audit_verify(st, &n, head, &e), 0);
	assert_int_equal(audit_length(st, NULL, &len, &e), 0);
	assert_true(len == n);
	return n;
}

static int
count_fn(const struct kin_match *m, int fs, void *baton)
{
	(void)m;
	(void)fs;
	(*(int *)baton)++;
	return 0;
}

static int
matches(struct store *st)
{
	struct err e;
	int n = 0;
	assert_int_equal(kin_match_list(st, NULL, count_fn, &n, &e), 0);
	return n;
}

/* ---- the kin re-scan ---------------------------------------------------- */

/* Cancel at the first call, the second, … until a run completes: every
 * cancelled run leaves the matches and the audit chain as they were,
 * including those cancelled after matches were recorded inside the
 * transaction (the staff, read first, are members). */
static void
test_rescan_cancel_writes_nothing(void **state)
{
	struct env *x = *state;
	struct err e;
	int before = matches(x->st), found = -1, k, r;
	uint64_t length = chain_length(x->st);

	assert_int_equal(before, 0);
	for (k = 1; k < MAX_CALLS; k++) {
		struct seen s = {.cancel_at = k};
		struct progress pg = {record, &s};
		err_clear(&e);
		r = kin_rescan(x->st, &x->clerk, &found, &pg, &e);
		if (r == 0)
			break;
		assert_int_equal(r, -1);
		assert_int_equal(e.code, E_REFUSED);
		assert_non_null(strstr(e.msg, "cancelled"));
		assert_int_equal(s.calls, k);
		assert_int_equal(s.done[0], 0);
		assert_sane(&s);
		assert_int_equal(found, 0);
		assert_int_equal(matches(x->st), before);
		assert_true(chain_length(x->st) == length);
	}
	/* it did complete, after several calls, and had something to record */
	assert_int_equal(r, 0);
	assert_true(k >= 3);
	assert_true(found > 0);
	assert_int_equal(matches(x->st), found);
	assert_true(chain_length(x->st) == length + (uint64_t)found);
}

static void
test_rescan_progress(void **state)
{
	struct env *x = *state;
	struct err e;
	struct seen s = {0};
	struct progress pg = {record, &s};
	int found = -1;

	assert_int_equal(kin_rescan(x->st, &x->clerk, &found, &pg, &e), 0);
	assert_int_equal(found, 0);                   /* all recorded before */
	assert_true(s.calls >= 2);
	assert_sane(&s);
	assert_int_equal(s.done[0], 0);
	/* total: the staff and relatives, counted without reading them */
	for (int i = 0; i < s.calls; i++)
		assert_int_equal(s.total[i], STAFF + RELATIVES);
	/* no progress asked: the same re-scan */
	assert_int_equal(kin_rescan(x->st, &x->clerk, &found, NULL, &e), 0);
	assert_int_equal(found, 0);
}

/* ---- the monthly report --------------------------------------------------- */

static dbmonth_t
month_running(struct store *st)
{
	struct err e;
	dbmonth_t m;
	bool warn;
	/* the month whose period holds today: the demo's entries count */
	assert_int_equal(report_due(st, store_today(), &m, &warn, &e), 0);
	return m;
}

static void
assert_empty(const struct monthly_report *r)
{
	assert_null(r->added.v);
	assert_null(r->removed.v);
	assert_null(r->changed.v);
	assert_null(r->deaths.v);
	assert_int_equal(r->added.n + r->removed.n + r->changed.n + r->deaths.n, 0);
	assert_true(r->audit_count == 0);
	assert_int_equal(r->all.households, 0);
	assert_int_equal(r->n_village + r->n_area + r->n_category + r->n_support, 0);
}

static void
test_report_progress(void **state)
{
	struct env *x = *state;
	struct err e;
	struct seen s = {0};
	struct progress pg = {record, &s};
	struct monthly_report *r = malloc(sizeof *r), *plain = malloc(sizeof *plain);
	uint64_t length = chain_length(x->st);
	dbmonth_t m = month_running(x->st);

	assert_int_equal(report_monthly(x->st, m, r, &pg, &e), 0);
	assert_true(r->all.households > 0);
	assert_true(r->audit_count > 1024);
	/* the chain walked (two calls at least), then the households */
	assert_true(s.calls >= 3);
	assert_sane(&s);
	assert_int_equal(s.done[0], 0);
	assert_true((uint64_t)s.total[0] == length);
	assert_true((uint64_t)s.total[s.calls - 1] == length + (uint64_t)r->all.households);
	/* the progress changes nothing in the report */
	assert_int_equal(report_monthly(x->st, m, plain, NULL, &e), 0);
	assert_true(plain->audit_count == r->audit_count);
	assert_string_equal(plain->head, r->head);
	assert_memory_equal(&plain->all, &r->all, sizeof r->all);
	report_free(r);
	report_free(plain);
	free(r);
	free(plain);
}

/* Riders on the report's walks (the monthly archive's roster and audit
 * entries): every dossier once in number order, every audit entry of the
 * chain in order; the report the same as without them; a dossier rider
 * that stops is not called again; an audit rider that stops ends it. */
struct ride {
	int dossiers, stop_after;
	char last[DOSSIER_NO_LEN + 1];
	bool ordered;
	uint64_t entries, last_seq;
	bool in_order;
	uint64_t fail_at;
};

static int
ride_dossier(const struct dossier *d, void *baton)
{
	struct ride *r = baton;
	if (strcmp(d->no, r->last) <= 0)
		r->ordered = false;
	snprintf(r->last, sizeof r->last, "%s", d->no);
	return ++r->dossiers == r->stop_after;
}

static int
ride_audit(const struct audit_entry *a, void *baton)
{
	struct ride *r = baton;
	if (r->entries > 0 && a->seq != r->last_seq + 1)
		r->in_order = false;
	r->last_seq = a->seq;
	return ++r->entries == r->fail_at;
}

static void
test_report_riders(void **state)
{
	struct env *x = *state;
	struct err e;
	struct monthly_report *r = malloc(sizeof *r), *plain = malloc(sizeof *plain);
	dbmonth_t m = month_running(x->st);
	struct dossier_filter f = {.status = -1};
	struct ride listed = {.ordered = true};

	/* the dossiers as dossier_list gives them all */
	assert_int_equal(dossier_list(x->st, &f, ride_dossier, &listed, &e), 0);
	int all = listed.dossiers;
	assert_true(all > 1);
	struct ride rd = {.ordered = true, .in_order = true};
	struct report_riders riders = {ride_dossier, &rd, ride_audit, &rd};
	assert_int_equal(report_monthly_each(x->st, m, r, NULL, &riders, &e), 0);
	assert_int_equal(rd.dossiers, all);
	assert_true(rd.ordered);
	assert_true(rd.entries == chain_length(x->st));
	assert_true(rd.in_order);
	assert_int_equal(report_monthly(x->st, m, plain, NULL, &e), 0);
	assert_true(plain->audit_count == r->audit_count);
	assert_string_equal(plain->head, r->head);
	assert_memory_equal(&plain->all, &r->all, sizeof r->all);
	report_free(r);

	/* a dossier rider stopping after two: not called again, the report whole */
	struct ride stop = {.ordered = true, .in_order = true, .stop_after = 2};
	riders = (struct report_riders){ride_dossier, &stop, NULL, NULL};
	assert_int_equal(report_monthly_each(x->st, m, r, NULL, &riders, &e), 0);
	assert_int_equal(stop.dossiers, 2);
	assert_memory_equal(&plain->all, &r->all, sizeof r->all);
	report_free(r);

	/* an audit rider failing at the third entry: the report fails, empty */
	struct ride fail = {.ordered = true, .in_order = true, .fail_at = 3};
	riders = (struct report_riders){NULL, NULL, ride_audit, &fail};
	assert_int_equal(report_monthly_each(x->st, m, r, NULL, &riders, &e), -1);
	assert_true(fail.entries == 3);
	assert_empty(r);
	report_free(plain);
	free(r);
	free(plain);
}

/* Cancel at each call in turn: E_REFUSED, and the report empty (what was
 * built so far freed) whether in the chain or among the households. */
static void
test_report_cancel(void **state)
{
	struct env *x = *state;
	struct err e;
	struct monthly_report *r = malloc(sizeof *r);
	dbmonth_t m = month_running(x->st);
	int k, ret;

	for (k = 1; k < MAX_CALLS; k++) {
		struct seen s = {.cancel_at = k};
		struct progress pg = {record, &s};
		memset(r, 0xa5, sizeof *r);           /* left empty, not untouched */
		err_clear(&e);
		ret = report_monthly(x->st, m, r, &pg, &e);
		if (ret == 0)
			break;
		assert_int_equal(ret, -1);
		assert_int_equal(e.code, E_REFUSED);
		assert_non_null(strstr(e.msg, "cancelled"));
		assert_int_equal(s.calls, k);
		assert_sane(&s);
		assert_empty(r);
		report_free(r);                       /* harmless on an empty report */
	}
	assert_int_equal(ret, 0);
	assert_true(k >= 4);                          /* cancelled 3 times and more */
	report_free(r);
	free(r);
}

static void
test_report_write_cancel(void **state)
{
	struct env *x = *state;
	struct err e;
	char pdf[PATH_MAX + 16], csv[PATH_MAX + 16];
	dbmonth_t m = month_running(x->st);
	int k, ret;

	snprintf(pdf, sizeof pdf, "%s/m.pdf", x->dir);
	snprintf(csv, sizeof csv, "%s/m.csv", x->dir);
	for (k = 1; k < MAX_CALLS; k++) {
		struct seen s = {.cancel_at = k};
		struct progress pg = {record, &s};
		err_clear(&e);
		ret = report_monthly_write(x->st, &x->clerk, m, pdf, csv, &pg, &e);
		if (ret == 0)
			break;
		assert_int_equal(ret, -1);
		assert_int_equal(e.code, E_REFUSED);
		assert_non_null(strstr(e.msg, "cancelled"));
		assert_int_equal(s.calls, k);
		errno = 0;
		assert_int_equal(access(pdf, F_OK), -1);
		assert_int_equal(errno, ENOENT);
		errno = 0;
		assert_int_equal(access(csv, F_OK), -1);
		assert_int_equal(errno, ENOENT);
	}
	/* not cancelled, both are written where the cancelled runs wrote none */
	assert_int_equal(ret, 0);
	assert_true(k >= 4);
	assert_int_equal(access(pdf, F_OK), 0);
	assert_int_equal(access(csv, F_OK), 0);
	unlink(pdf);
	unlink(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rescan_cancel_writes_nothing),
		cmocka_unit_test(test_rescan_progress),
		cmocka_unit_test(test_report_progress),
		cmocka_unit_test(test_report_cancel),
		cmocka_unit_test(test_report_riders),
		cmocka_unit_test(test_report_write_cancel),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("progress", tests, setup_env, teardown_env) ? 1 : 0;
}
