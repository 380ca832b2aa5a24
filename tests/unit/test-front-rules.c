/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-front-rules.c — the rules both front ends used to write themselves
 * (issue 20 point 3), now once below them: a member's health from the
 * illness named (core/health.c) and the first-run test of a data
 * directory (store/backup.c); and each setting's short name, now beside
 * the settings table (core/setting-names.c) for both front ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/settings-defs.h"
#include "core/terms.h"
#include "core/health.h"
#include "core/setting-names.h"
#include "store/datadir.h"

static void
test_health(void **state)
{
	(void)state;
	/* the command line's --illness alone: named is 重病, cleared is 健康 */
	assert_int_equal(health_of_illness("尿毒症", HEALTH_GOOD), HEALTH_SERIOUS);
	assert_int_equal(health_of_illness("", HEALTH_GOOD), HEALTH_GOOD);
	/* the console's choice stands, except 健康 with an illness named */
	assert_int_equal(health_of_illness("高血压", HEALTH_CHRONIC), HEALTH_CHRONIC);
	assert_int_equal(health_of_illness("", HEALTH_CHRONIC), HEALTH_CHRONIC);
	assert_int_equal(health_of_illness("", HEALTH_SERIOUS), HEALTH_SERIOUS);
	assert_int_equal(health_of_illness(NULL, HEALTH_GOOD), HEALTH_GOOD);
}

static void
test_fresh(void **state)
{
	char dir[] = "/tmp/dibao-fresh-XXXXXX", sub[sizeof dir + 8], file[sizeof dir + 16];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/new", dir);
	assert_true(store_dir_fresh(sub));		/* missing */
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_true(store_dir_fresh(sub));		/* empty */
	snprintf(file, sizeof file, "%s/x", sub);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_false(store_dir_fresh(sub));		/* holds something */
	assert_false(store_dir_fresh(file));		/* not a directory */
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_setting_names(void **state)
{
	(void)state;
	for (int i = 0; i < n_setting_defs; i++)
		if (setting_short_name(setting_defs[i].key) == NULL)
			fail_msg("setting %s has no short name in core/setting-names.c", setting_defs[i].key);
	assert_string_equal(setting_short_name("township.name"), "Township name");
	assert_null(setting_short_name("no.such.setting"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_setting_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
