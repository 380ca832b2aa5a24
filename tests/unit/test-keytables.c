/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-keytables.c — issue 15 point 6 over every screen's key table: no
 * two keys of a screen share an F-number or an action; every key is one
 * the key table knows, with a label; the screen takes every key of its
 * table; the bar text lists its function keys in number order with their
 * labels; the hint line names every key the role may use (but F1, F5,
 * F9, F10) with the same label, and none the role may not.
 * tests/tui/keytables.sh compares the drawn screens.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/tui.h"
#include "core/roles.h"
#include "core/settings-defs.h"

static void
test_tables(void **state)
{
	(void)state;
	assert_true(n_all_key_tables >= 30);
	for (int t = 0; t < n_all_key_tables; t++) {
		const struct key_table *kt = all_key_tables[t];
		assert_ptr_equal(key_table_named(kt->name), kt);
		unsigned long long mask = key_table_mask(kt);
		for (int i = 0; i < kt->n; i++) {
			const struct screen_key *k = &kt->k[i];
			assert_non_null(k->label);
			assert_true(k->label[0] != '\0');
			assert_true(k->a > K_NONE && k->a < K__N);
			assert_true(mask & KM(k->a));
			assert_true(key_table_keyname(k->a)[0] != '\0');
			for (int j = i + 1; j < kt->n; j++) {
				if (k->a == kt->k[j].a || (key_fnum(k->a) && key_fnum(k->a) == key_fnum(kt->k[j].a)))
					fail_msg("%s: keys %d and %d are the same key", kt->name, i, j);
			}
		}
	}
}

static void
test_bar_and_hint(void **state)
{
	(void)state;
	for (int t = 0; t < n_all_key_tables; t++) {
		const struct key_table *kt = all_key_tables[t];
		char bar[1024], hint[2][1024];
		key_table_bar(kt, bar, sizeof bar);
		key_table_hint(kt, ROLE_ADMIN, hint[0], sizeof hint[0]);
		key_table_hint(kt, ROLE_CLERK, hint[1], sizeof hint[1]);
		int last = 0;
		for (int i = 0; i < kt->n; i++) {
			const struct screen_key *k = &kt->k[i];
			char item[128];
			int f = key_fnum(k->a);
			if (f) {
				snprintf(item, sizeof item, "%d%s", f, k->label);
				const char *at = strstr(bar, item);
				if (at == NULL)
					fail_msg("%s: bar \"%s\" lacks %s", kt->name, bar, item);
			}
			snprintf(item, sizeof item, "%s %s", key_table_keyname(k->a), k->label);
			bool common = k->a == K_HELP || k->a == K_QUIT || k->a == K_REFRESH || k->a == K_MENU;
			for (int r = 0; r < 2; r++) {
				bool may = role_may(r == 0 ? ROLE_ADMIN : ROLE_CLERK, k->act);
				bool shown = strstr(hint[r], item) != NULL;
				if (shown != (may && !common))
					fail_msg("%s: hint \"%s\" and %s (may %d)", kt->name, hint[r], item, may);
			}
		}
		/* the bar in F-number order */
		const struct screen_key *fk[16];
		int nf = key_table_fkeys(kt, fk, 16);
		const char *prev = bar;
		for (int i = 0; i < nf; i++) {
			char item[128];
			assert_true(key_fnum(fk[i]->a) > last);
			last = key_fnum(fk[i]->a);
			snprintf(item, sizeof item, "%d%s", last, fk[i]->label);
			const char *at = strstr(prev, item);
			assert_non_null(at);
			prev = at + strlen(item);
		}
	}
}

/* issue 15 point 7: every setting has a short Chinese name of its own on
 * the settings screen, never its key nor (a setting added later without
 * one) its long description, which widens the screen's first column */
static void
test_setting_names(void **state)
{
	(void)state;
	for (int i = 0; i < n_setting_defs; i++) {
		const struct setting_def *d = &setting_defs[i];
		const char *name = setting_name(d->key);
		if (strcmp(name, d->key) == 0 || (d->help != NULL && strcmp(name, d->help) == 0))
			fail_msg("setting %s has no name of its own on the settings screen", d->key);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_bar_and_hint),
		cmocka_unit_test(test_setting_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
