/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-prompt.c — a one-field form for an action that needs one text (a
 * rejection's reason, a file path, a filing's note): F2 or Enter calls the
 * action with the text; a refusal shows every reason.  (A prompt whose
 * action writes lines to show, open_prompt_lines, is in view-lines.c: it
 * opens a list.)
 */
#include "config.h"

#include <curses.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "store/err.h"

struct prompt_ctx {
	prompt_fn fn;
	size_t size;
	/* the caller's context follows */
	max_align_t ctx[];
};

static int
prompt_save(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct prompt_ctx *p = ctx;
	return p->fn(t, form_text(fm, 0), p->ctx, e);
}

void
open_prompt(struct tui *t, const char *title, const char *label, const char *init, int maxlen,
    fvalid_fn valid, prompt_fn fn, const void *ctx, size_t size)
{
	struct form_spec *s = form_spec_new(t, title, prompt_save, sizeof(struct prompt_ctx) + size);
	if (s == NULL)
		return;
	struct prompt_ctx *p = s->ctx;
	p->fn = fn;
	p->size = size;
	if (size)
		memcpy(p->ctx, ctx, size);
	/* a paragraph (a progress note) wraps over several rows */
	if (maxlen > 200)
		form_add_long(&s->form, label, 6, maxlen, valid, init ? init : "");
	else
		form_add_text(&s->form, label, COLS - 30 > 60 ? 60 : COLS - 30, maxlen, valid, init ? init : "");
	tui_push(t, &view_form, s);
}
