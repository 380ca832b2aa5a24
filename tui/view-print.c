/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-print.c — 打印: choose a form of the form table (print/forms.h),
 * its subject (a dossier number, a village or a month, as the form needs)
 * and the PDF's path; F2 runs the same print job as `dibao print` (the
 * print is recorded; 补打 with reprint = yes; to the printer as `--lp`).
 * F8 verifies the code typed in the last field, as `dibao verify` does.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "print/forms.h"
#include "print/verify.h"

#include "core/base.h"
#include "core/date.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/err.h"
#include "store/prints.h"
#include "store/settings.h"

enum { PF_FORM, PF_SUBJECT, PF_OUT, PF_REPRINT, PF_COPIES, PF_LP, PF_CODE };
#define MAX_FORMS 24

struct print_data {
	struct form form;
	struct term forms[MAX_FORMS];
	char labels[MAX_FORMS][128];
	int nforms;
	struct linebuf result;
};


static void *
print_init(struct tui *t, void *arg)
{
	(void)arg;
	struct print_data *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	for (int i = 0; form_table[i].name && p->nforms < MAX_FORMS; i++, p->nforms++) {
		snprintf(p->labels[i], sizeof p->labels[i], "%s %s", form_table[i].number, form_table[i].title);
		p->forms[i].zh = p->labels[i];
		p->forms[i].en = form_table[i].name;
	}
	p->form.title = _("Printing");
	form_add_choice(&p->form, N_("Form"), p->forms, p->nforms, 0);
	/* opened over a dossier: that dossier's number is already there */
	form_add_text(&p->form, N_("Dossier, village or month"), 24, 40, NULL, tui_current_dossier(t));
	form_add_text(&p->form, N_("PDF file"), 50, FIELD_MAX, NULL, "");
	form_add_choice(&p->form, N_("Reprint (补打)"), yes_no_terms, 2, 0);
	form_add_text(&p->form, N_("Copies"), 4, 3, valid_count, "1");
	p->form.ff[PF_COPIES].f.digits = true;
	form_add_choice(&p->form, N_("Send to the printer"), yes_no_terms, 2, 0);
	form_add_text(&p->form, N_("Verification code"), 14, 14, NULL, "");
	return p;
}

static void
print_free(void *data)
{
	struct print_data *p = data;
	linebuf_free(&p->result);
	free(p);
}

static void
print_draw(struct tui *t, void *data)
{
	struct print_data *p = data;
	int cy, cx;
	draw_box_title(VIEW_TOP, _("Printing"));
	form_draw(&p->form, VIEW_TOP + 2, &cy, &cx);
	int y = VIEW_TOP + 2 + p->form.n * 2;
	for (int i = 0; i < p->result.n && y + i < LINES - 3; i++)
		draw_text(y + i, 2, COLS - 4, p->result.text[i], A_NORMAL);
	char h[600];
	snprintf(h, sizeof h, "%s — %s", tui_hint(t), _("no PDF file given: into ~/低保输出"));
	draw_text(LINES - 3, 0, COLS, h, A_BOLD);
	t->cy = cy;
	t->cx = cx;
}

static void
do_print(struct tui *t, struct print_data *p)
{
	struct err e;
	struct print_job job;
	const struct form_def *f = &form_table[p->form.ff[PF_FORM].choice];
	char subject[200], out[FIELD_MAX * 4 + 1];
	err_clear(&e);
	linebuf_free(&p->result);
	snprintf(subject, sizeof subject, "%s", form_text(&p->form, PF_SUBJECT));
	snprintf(out, sizeof out, "%s", form_text(&p->form, PF_OUT));
	if (!subject[0]) {
		tui_msg(t, "%s", _("give the dossier (or village, month)"));
		t->status_err = true;
		return;
	}
	if (!out[0]) {
		char stem[300];
		/* named in Chinese, as the form is called on the page */
		snprintf(stem, sizeof stem, "%s-%s", f->title, subject);
		if (default_out_path(stem, "pdf", out, sizeof out, &e) != 0) {
			tui_refusal(t, &e);
			return;
		}
	}
	memset(&job, 0, sizeof job);
	job.form = f->name;
	if (f->needs == FORM_DOSSIER)
		job.dossier = subject;
	else if (f->needs == FORM_VILLAGE)
		job.village = subject;
	else {
		const char *why;
		if (month_parse(subject, &job.month, &why) != 0) {
			tui_msg(t, "%s", _(why));
			t->status_err = true;
			return;
		}
	}
	job.reprint = p->form.ff[PF_REPRINT].choice == 1;
	job.copies = atoi(form_text(&p->form, PF_COPIES));
	if (job.copies < 1)
		job.copies = 1;
	job.out = out;
	tui_msg(t, "%s", _("Printing…"));
	tui_draw_now(t);
	if (print_job_run(t->st, &t->user, &job, &e) != 0) {
		tui_refusal(t, &e);
		return;
	}
	if (job.rec.dossier[0])
		tui_msg(t, _("%s of %s (version %u) written to %s; verification code %s"), f->title, job.rec.dossier,
		    job.rec.version, out, job.rec.code);
	else {
		char words[TEXT_SHORT + 32];
		print_scope_words(job.rec.scope, words, sizeof words);
		tui_msg(t, _("%s of %s written to %s; verification code %s"), f->title, words, out,
		    job.rec.code);
	}
	/* the status line may cut a long path: the file and the code whole */
	linebuf_add(&p->result, NULL, _("file: %s"), out);
	linebuf_add(&p->result, NULL, _("verification code: %s"), job.rec.code);
	if (job.reprint_note[0])
		linebuf_add(&p->result, NULL, "%s", job.reprint_note);
	t->generation++;
	if (p->form.ff[PF_LP].choice == 1 && print_lp(out, true, &e) != 0)
		tui_refusal(t, &e);
}

static int
verify_one(const struct print_verdict *v, void *baton)
{
	struct linebuf *b = baton;
	const struct prints_entry *pe = v->p;
	char label[160];

	if (v->damaged) {
		linebuf_add(b, NULL, "%s", _("the print record does not match its code (damaged or altered)"));
		return 0;
	}
	form_label(pe->form, label, sizeof label);
	if (v->list) {
		/* a village or month list: would it print the same today? */
		char subject[TEXT_SHORT + 32];
		print_scope_words(pe->scope, subject, sizeof subject);
		linebuf_add(b, NULL, _("print %u: %s of %s, printed by %s on %s%s"), pe->seq, label,
		    subject, pe->op, v->when, pe->reprint_of ? _(" (reprint)") : "");
		linebuf_add(b, NULL, "%s", !v->changed ? _("  matches the database: the list would be printed the same today") :
		    _("  the list has changed since it was printed: printed today it would differ"));
		return 0;
	}
	linebuf_add(b, NULL, _("print %u: %s of dossier %s, record version %u, printed by %s on %s%s"), pe->seq,
	    label, pe->dossier, pe->version, pe->op, v->when, pe->reprint_of ? _(" (reprint)") : "");
	if (v->gone)
		linebuf_add(b, NULL, "%s", _("  the dossier is no longer in the database"));
	else if (!v->changed)
		linebuf_add(b, NULL, "%s", _("  matches the database: the dossier has not changed since it was printed"));
	else
		linebuf_add(b, NULL, _("  the dossier has changed since it was printed: printed version %u, now version %u"),
		    pe->version, v->current_version);
	return 0;
}

static void
do_verify(struct tui *t, struct print_data *p)
{
	struct err e;
	char code[PRINT_CODE_LEN + 1];
	err_clear(&e);
	linebuf_free(&p->result);
	if (verify_code_parse(form_text(&p->form, PF_CODE), code) != 0) {
		tui_msg(t, _("%s is not a verification code (XXXX-XXXX-XX)"), form_text(&p->form, PF_CODE));
		t->status_err = true;
		return;
	}
	if (print_verify(t->st, code, verify_one, &p->result, &e) != 0) {
		tui_error(t, &e);
		return;
	}
	if (p->result.n == 0)
		linebuf_add(&p->result, NULL, _("verification code %s: no form printed here carries this code"), code);
	tui_clear_msg(t);
}

static int
print_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct print_data *p = data;
	if (a == K_VERIFY) {
		do_verify(t, p);
		return RD_VIEW;
	}
	if (form_tool_key(t, &p->form, a, ch) == FR_SAVE)
		do_print(t, p);
	return RD_VIEW;
}

static const struct key_table *
print_table(void *data)
{
	(void)data;
	return key_table_named("print");
}

const struct view view_print = {
	.name = "print", .init = print_init, .free = print_free, .draw = print_draw,
	.key = print_key, .table = print_table,
};
