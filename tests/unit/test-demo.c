/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-demo.c — the synthetic township: the same seed gives the same
 * households byte for byte, every member is valid (ID number agreeing
 * with birth and sex, texts fitting their fields), ID numbers never repeat
 * over the 100,000 households of the benchmark, and the shares of
 * statuses, disabilities, deaths and the like are roughly as intended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/text.h"
#include "core/demo.h"
#include "core/card.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/terms.h"

#define TODAY 20260615
#define STD_URBAN ((fen_t)85000)
#define STD_RURAL ((fen_t)65000)
#define N_VALID 20000
#define N_UNIQUE 100000

static struct dossier dd, de;

static void
gen(uint64_t seed, int index, struct dossier *d)
{
	struct demo_rng r;

	demo_seed(&r, seed);
	/* memset first so padding compares equal too */
	memset(d, 0, sizeof *d);
	demo_household(&r, index, TODAY, STD_URBAN, STD_RURAL, d);
}

static void
test_rng(void **state)
{
	struct demo_rng a, b;
	int seen[10] = {0};

	demo_seed(&a, 7);
	demo_seed(&b, 7);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(demo_next(&a, 1000000), demo_next(&b, 1000000));
	for (int i = 0; i < 10000; i++) {
		uint32_t x = demo_next(&a, 10);

		assert_true(x < 10);
		seen[x]++;
	}
	for (int i = 0; i < 10; i++)
		assert_in_range(seen[i], 800, 1200);
	assert_int_equal(demo_next(&a, 1), 0);
	assert_int_equal(demo_next(&a, 0), 0);
}

static void
test_determinism(void **state)
{
	static const int idx[] = {0, 1, 2, 17, 999, 54321, 99999};
	int differ = 0;

	for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		gen(42, idx[i], &dd);
		gen(42, idx[i], &de);
		assert_memory_equal(&dd, &de, sizeof dd);
		gen(43, idx[i], &de);
		differ += memcmp(&dd, &de, sizeof dd) != 0;
	}
	assert_int_equal(differ, sizeof idx / sizeof idx[0]);
	/* The rng is read, not advanced: order does not matter. */
	{
		struct demo_rng r;

		demo_seed(&r, 42);
		memset(&dd, 0, sizeof dd);
		demo_household(&r, 5, TODAY, STD_URBAN, STD_RURAL, &dd);
		memset(&de, 0, sizeof de);
		demo_household(&r, 5, TODAY, STD_URBAN, STD_RURAL, &de);
		assert_memory_equal(&dd, &de, sizeof dd);
	}
}

static void
text_ok(const char *s, size_t size)
{
	const char *why = NULL;

	if (text_check(s, size - 1, &why) != 0)
		fail_msg("\"%s\": %s", s, why);
}

static bool
in_list(const char *groups, const char *g)
{
	size_t n = strlen(g);

	for (const char *p = groups; *p != '\0';) {
		size_t len = strcspn(p, ",");

		if (len == n && memcmp(p, g, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

struct tally {
	int households, members, status[ST__N], dis[DIS__N], grade[5], hiv, conf, staff, dead;
	int single, expense, rare, serious, chronic, above, bank, poor, extreme, ages_bad;
	int holder_head, holder_none, holder_foreign;   /* the subsidy card (issue 13) */
	int exit[EXIT__N], cat[3];
};

static bool
has_rare(const char *s)
{
	static const char *const rare[] = {"喆", "堃", "珺", "昇", "镕", "赟", "琇"};

	for (size_t i = 0; i < sizeof rare / sizeof rare[0]; i++)
		if (strstr(s, rare[i]) != NULL)
			return true;
	return false;
}

static void
check_household(const struct dossier *d, struct tally *t)
{
	const char *why = NULL;
	int selves = 0, v = -1, hage;
	fen_t h = 0, s;

	t->households++;
	assert_true(d->n_members >= 1 && d->n_members <= 6);
	assert_true(d->head >= 0 && d->head < d->n_members);
	assert_int_equal(d->members[d->head].relation, REL_SELF);
	assert_true(d->area == AREA_URBAN || d->area == AREA_RURAL);
	for (int i = 0; demo_villages[i][0] != NULL; i++)
		if (strcmp(demo_villages[i][0], d->village) == 0)
			v = i;
	assert_true(v >= 0);
	assert_true(in_list(demo_villages[v][1], d->group));
	assert_int_equal(d->area, strstr(d->village, "社区") ? AREA_URBAN : AREA_RURAL);
	assert_int_equal(strncmp(d->address, d->village, strlen(d->village)), 0);
	assert_int_equal(strlen(d->phone), 11);
	assert_true(d->phone[0] == '1' && d->phone[1] >= '3');
	text_ok(d->village, sizeof d->village);
	text_ok(d->group, sizeof d->group);
	text_ok(d->address, sizeof d->address);
	text_ok(d->phone, sizeof d->phone);
	text_ok(d->bank, sizeof d->bank);
	text_ok(d->account, sizeof d->account);
	if (d->bank[0] != '\0') {
		const char *bad;
		char acct[ACCOUNT_MAX + 1];
		t->bank++;
		assert_in_range(strlen(d->account), 16, 19);
		assert_int_equal(account_normalize(d->account, acct, &bad), 0);
		if (d->holder[0] == '\0')
			t->holder_none++;
		else if (strcmp(d->holder, d->members[d->head].id) == 0)
			t->holder_head++;
		else {
			assert_null(dossier_member_c(d, d->holder));
			t->holder_foreign++;
		}
	}
	assert_true(d->applied <= TODAY && d->applied >= date_add_days(TODAY, -3 * 366));
	assert_true(d->status_date >= d->applied && d->status_date <= TODAY);
	t->status[d->status]++;
	t->exit[d->exit_reason]++;
	assert_int_equal(d->exit_reason != EXIT_NONE, d->status == ST_EXITED);
	if (d->status == ST_APPROVED) {
		int months;

		assert_true(d->category >= 'A' && d->category <= 'C');
		t->cat[d->category - 'A']++;
		assert_true(d->total > 0);
		assert_int_equal(d->effective, month_add(month_of(d->status_date), 1));
		months = d->category == 'A' ? 12 : d->category == 'B' ? 6 : 3;
		{
			int k = 1;

			/* a whole number of review periods after approval */
			while (date_add_months(d->status_date, k * months) < d->next_review)
				k++;
			assert_int_equal(date_add_months(d->status_date, k * months), d->next_review);
		}
	}
	if (d->support == SUPPORT_SINGLE)
		t->single++;
	if (d->poverty == POVERTY_EXPENSE) {
		t->expense++;
		assert_true(d->n_expenses >= 1);
	}
	t->poor += (d->flags & DF_REGISTERED_POOR) != 0;
	t->extreme += (d->flags & DF_EXTREME_POVERTY) != 0;
	for (int i = 0; i < d->n_incomes; i++) {
		assert_true(d->incomes[i].amount > 0);
		h += d->incomes[i].amount;
		text_ok(d->incomes[i].evidence, sizeof d->incomes[i].evidence);
	}
	for (int i = 0; i < d->n_expenses; i++) {
		assert_true(d->expenses[i].amount > 0);
		if (d->poverty == POVERTY_EXPENSE)
			h -= d->expenses[i].amount;
		text_ok(d->expenses[i].note, sizeof d->expenses[i].note);
	}
	for (int i = 0; i < d->n_checks; i++)
		text_ok(d->checks[i].result, sizeof d->checks[i].result);
	s = d->area == AREA_URBAN ? STD_URBAN : STD_RURAL;
	{
		int n = dossier_living(d, TODAY);

		if (n > 0 && h / n >= s)
			t->above++;
	}

	hage = date_age_on(d->members[d->head].birth, TODAY);
	assert_in_range(hage, 25, 90);
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		struct id_info info;
		int age = date_age_on(m->birth, TODAY);

		t->members++;
		if (m->relation == REL_SELF)
			selves++;
		for (int j = 0; j < i; j++)
			assert_string_not_equal(d->members[j].name, m->name);
		if (member_validate(m, TODAY, &why) != 0)
			fail_msg("%s %s: %s", m->name, m->id, why);
		assert_int_equal(id_check(m->id, TODAY, &info, &why), 0);
		assert_int_equal(info.birth, m->birth);
		assert_int_equal(info.sex, m->sex);
		text_ok(m->name, sizeof m->name);
		text_ok(m->illness, sizeof m->illness);
		text_ok(m->occupation, sizeof m->occupation);
		text_ok(m->death_cert, sizeof m->death_cert);
		text_ok(m->death_cause, sizeof m->death_cause);
		if (has_rare(m->name))
			t->rare++;
		t->dis[m->disability]++;
		t->grade[m->disability_grade]++;
		t->hiv += (m->flags & MF_HIV) != 0;
		t->conf += (m->flags & MF_CONFIDENTIAL) != 0;
		t->staff += (m->flags & MF_STAFF) != 0;
		t->serious += m->health == HEALTH_SERIOUS;
		t->chronic += m->health == HEALTH_CHRONIC;
		if (m->death != 0) {
			t->dead++;
			assert_true(m->death < TODAY || d->exit_reason == EXIT_DEATH);
		}
		if (age < 18)
			assert_true(strcmp(m->occupation, "学生") == 0 || strcmp(m->occupation, "学龄前") == 0);
		if (member_severely_disabled(m) && age >= 70)
			assert_int_not_equal(m->labour, LABOUR_FULL);
		if (age >= 70)
			assert_int_not_equal(m->labour, LABOUR_FULL);
		/* surnames: the spouse's differs, children share the head's */
		if (m->relation == REL_SPOUSE)
			assert_true(strncmp(m->name, d->members[d->head].name, 3) != 0);
		if (m->relation == REL_SON || m->relation == REL_DAUGHTER) {
			assert_memory_equal(m->name, d->members[d->head].name, 3);
			if (hage - age < 20 || hage - age > 41)
				t->ages_bad++;
			assert_int_equal(m->sex, m->relation == REL_SON ? 'M' : 'F');
		}
		if (m->relation == REL_SPOUSE && (age - hage > 9 || hage - age > 9))
			t->ages_bad++;
		if (m->relation == REL_PARENT && (age - hage < 19 || age - hage > 41))
			t->ages_bad++;
	}
	assert_int_equal(selves, 1);
	/* dead members only where someone is left, except a 死亡 exit */
	if (d->exit_reason != EXIT_DEATH)
		assert_true(dossier_living(d, TODAY) >= 1);
	else
		assert_int_equal(dossier_living(d, TODAY), 0);
}

static void
test_valid_and_shares(void **state)
{
	static struct tally t;
	int m;

	memset(&t, 0, sizeof t);
	for (int i = 0; i < N_VALID; i++) {
		gen(20260615, i, &dd);
		check_household(&dd, &t);
	}
	m = t.members;
	printf("# %d households, %d members; approved %d, rejected %d, exited %d;"
	    " dead %d, hiv %d, staff %d, disabled %d, serious %d, chronic %d, rare %d,"
	    " above %d, single %d, expense %d, bank %d, A/B/C %d/%d/%d, ages off %d\n",
	    t.households, m, t.status[ST_APPROVED], t.status[ST_REJECTED], t.status[ST_EXITED],
	    t.dead, t.hiv, t.staff, m - t.dis[DIS_NONE], t.serious, t.chronic, t.rare,
	    t.above, t.single, t.expense, t.bank, t.cat[0], t.cat[1], t.cat[2], t.ages_bad);
	assert_in_range(t.status[ST_APPROVED] * 100 / N_VALID, 60, 80);
	for (int s = 0; s < ST__N; s++)
		assert_true(t.status[s] > 0);
	assert_in_range(t.status[ST_REJECTED] * 100 / N_VALID, 5, 11);
	assert_in_range(t.status[ST_EXITED] * 100 / N_VALID, 4, 10);
	for (int e = EXIT_INCOME; e < EXIT__N; e++)
		assert_true(t.exit[e] > 0);
	for (int k = DIS_VISION; k < DIS__N; k++)
		assert_true(t.dis[k] > 0);
	for (int g = 1; g <= 4; g++)
		assert_true(t.grade[g] > 0);
	assert_in_range((m - t.dis[DIS_NONE]) * 1000 / m, 60, 100);
	assert_in_range(t.serious * 1000 / m, 30, 80);
	assert_in_range(t.chronic * 1000 / m, 70, 160);
	assert_in_range(t.hiv * 1000 / m, 3, 8);
	assert_true(t.conf > 0);
	assert_in_range(t.staff * 1000 / m, 5, 15);
	assert_in_range(t.dead * 1000 / m, 20, 45);
	assert_in_range(t.rare * 1000 / m, 2, 10);
	assert_in_range(t.above * 100 / N_VALID, 10, 22);
	assert_in_range(t.single * 100 / N_VALID, 3, 7);
	assert_in_range(t.expense * 100 / N_VALID, 15, 25);
	/* most households have a card held by the head; a few none, a few
	 * held outside the household (R14 shows) */
	assert_in_range(t.bank * 100 / N_VALID, 88, 96);
	assert_in_range(t.holder_head * 100 / t.bank, 95, 99);
	assert_in_range(t.holder_none * 1000 / t.bank, 4, 20);
	assert_in_range(t.holder_foreign * 1000 / t.bank, 4, 20);
	assert_in_range(t.poor * 100 / N_VALID, 3, 7);
	assert_in_range(t.extreme * 1000 / N_VALID, 10, 30);
	assert_true(t.cat[0] > 0 && t.cat[1] > 0 && t.cat[2] > 0);
	assert_in_range(m * 100 / N_VALID, 260, 340);
	/* the age rules hold but for the rare household where no year fits */
	assert_true(t.ages_bad * 1000 / m < 5);
}

static int
cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, ID_LEN);
}

static void
test_unique_ids(void **state)
{
	char (*ids)[ID_LEN];
	size_t n = 0, cap = (size_t)N_UNIQUE * 6;
	clock_t t0 = clock();

	ids = malloc(cap * ID_LEN);
	assert_non_null(ids);
	for (int i = 0; i < N_UNIQUE; i++) {
		gen(99, i, &dd);
		for (int j = 0; j < dd.n_members; j++)
			memcpy(ids[n++], dd.members[j].id, ID_LEN);
	}
	qsort(ids, n, ID_LEN, cmp_id);
	for (size_t i = 1; i < n; i++)
		if (memcmp(ids[i - 1], ids[i], ID_LEN) == 0)
			fail_msg("duplicate ID %.18s", ids[i]);
	printf("# %zu IDs over %d households unique in %ld ms\n", n, N_UNIQUE,
	    (long)((clock() - t0) * 1000 / CLOCKS_PER_SEC));
	free(ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_valid_and_shares),
		cmocka_unit_test(test_unique_ids),
	};
	int failures = cmocka_run_group_tests(tests, NULL, NULL);

	return failures ? 1 : 0;
}
