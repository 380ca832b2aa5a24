/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-tui.c — the console's view stack when memory runs out: a view
 * whose init returns NULL is not pushed and the status line says "out of
 * memory"; a reset that cannot open its view keeps the screens there; a
 * form spec, a prompt and a message box that cannot allocate open nothing
 * and leak nothing (the ASan build checks); a push onto a full stack gives
 * back what init took.  No terminal is needed: nothing here draws.
 *
 * Mock (link-time, -Wl,--wrap=calloc): while fail_calloc is N > 0, the
 * Nth call of calloc from here on returns NULL (errno ENOMEM); 0 is off.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "store/err.h"

static int fail_calloc;

void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);

void *
__wrap_calloc(size_t n, size_t size)
{
	if (fail_calloc > 0 && --fail_calloc == 0) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(n, size);
}

static int inits, frees;

static void *
init_fails(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	inits++;
	return NULL;
}

static void *
init_ok(struct tui *t, void *arg)
{
	(void)t;
	inits++;
	return arg;
}

static void
count_free(void *data)
{
	(void)data;
	frees++;
}

static void draw_none(struct tui *t, void *data) { (void)t; (void)data; }
static int key_none(struct tui *t, void *data, enum action_id a, wint_t ch)
{ (void)t; (void)data; (void)a; (void)ch; return RD_NONE; }

static const struct view v_nodata = {.name = "nodata", .draw = draw_none, .key = key_none};
static const struct view v_fails = {.name = "fails", .init = init_fails, .draw = draw_none, .key = key_none};
static const struct view v_ok = {.name = "ok", .init = init_ok, .free = count_free, .draw = draw_none, .key = key_none};

static int
setup(void **state)
{
	struct tui *t = __real_calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	fail_calloc = inits = frees = 0;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tui *t = *state;
	fail_calloc = 0;
	while (t->depth > 0) {
		t->depth--;
		if (t->stack[t->depth].v->free)
			t->stack[t->depth].v->free(t->stack[t->depth].data);
	}
	free(t);
	return 0;
}

static void
assert_oom(struct tui *t)
{
	assert_string_equal(t->status, "out of memory");
	assert_true(t->status_err);
}

static void
test_push_refused(void **state)
{
	struct tui *t = *state;
	/* a view without data of its own has no init: pushed with NULL */
	assert_true(tui_push(t, &v_nodata, NULL));
	assert_int_equal(t->depth, 1);
	assert_null(t->stack[0].data);
	assert_false(tui_push(t, &v_fails, NULL));
	assert_int_equal(inits, 1);
	assert_int_equal(t->depth, 1);
	assert_ptr_equal(t->stack[0].v, &v_nodata);
	assert_oom(t);
}

static void
test_reset_keeps(void **state)
{
	struct tui *t = *state;
	int x;
	assert_true(tui_push(t, &v_ok, &x));
	assert_false(tui_reset(t, &v_fails, NULL));
	assert_int_equal(t->depth, 1);
	assert_ptr_equal(t->stack[0].v, &v_ok);
	assert_int_equal(frees, 0);
	assert_oom(t);
	assert_true(tui_reset(t, &v_nodata, NULL));
	assert_int_equal(t->depth, 1);
	assert_int_equal(frees, 1);
}

static void
test_full_stack(void **state)
{
	struct tui *t = *state;
	int x;
	for (int i = 0; i < VIEW_DEPTH; i++)
		assert_true(tui_push(t, &v_nodata, NULL));
	assert_false(tui_push(t, &v_ok, &x));
	assert_int_equal(inits, 1);
	assert_int_equal(frees, 1);
	assert_int_equal(t->depth, VIEW_DEPTH);
	/* a form's spec given to a full stack is freed, not leaked */
	struct form_spec *s = form_spec_new(t, "x", NULL, 16);
	assert_non_null(s);
	assert_false(tui_push(t, &view_form, s));
}

static void
test_form_spec(void **state)
{
	struct tui *t = *state;
	for (int n = 1; n <= 2; n++) {
		tui_clear_msg(t);
		fail_calloc = n;
		assert_null(form_spec_new(t, "x", NULL, 16));
		assert_oom(t);
	}
	fail_calloc = 0;
	struct form_spec *s = form_spec_new(t, "x", NULL, 16);
	assert_non_null(s);
	assert_non_null(s->ctx);
	assert_string_equal(s->form.title, "x");
	free(s->ctx);
	free(s);
}

static int
prompt_none(struct tui *t, const char *text, void *ctx, struct err *e)
{
	(void)t;
	(void)text;
	(void)ctx;
	(void)e;
	return 0;
}

static void
test_prompt_and_box(void **state)
{
	struct tui *t = *state;
	char ctx[8] = "ctx";
	assert_true(tui_push(t, &v_nodata, NULL));
	fail_calloc = 1;
	open_prompt(t, "title", "label", "", 10, NULL, prompt_none, ctx, sizeof ctx);
	assert_int_equal(t->depth, 1);
	assert_oom(t);
	/* the box itself, then its line table */
	for (int n = 1; n <= 2; n++) {
		tui_clear_msg(t);
		fail_calloc = n;
		tui_msgbox(t, "title", "one\ntwo\nthree");
		assert_int_equal(t->depth, 1);
		assert_oom(t);
	}
	fail_calloc = 0;
	tui_msgbox(t, "title", "one\ntwo");
	assert_int_equal(t->depth, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_push_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_keeps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_spec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompt_and_box, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
