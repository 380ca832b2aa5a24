/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-payment.c — 发放 (issue 13), in the F9 menu: the month's payment
 * roster (on screen, and its bank file, XLSX and PDF written by the same
 * writer as `dibao payment roster`), the submit that freezes the batch,
 * the bank's reconciliation, the held list and the batches.  Computing a
 * roster walks every dossier: progress on the status line, Esc cancels
 * (nothing is written).  Accounts and ID numbers are masked on screen.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "import/payment-files.h"
#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/payment.h"

#include "store/dossier.h"
#include "store/err.h"

static const char *const items[] = {
	N_("Payment roster of a month (发放花名册): on screen, bank file, XLSX, PDF"),
	N_("Submit the month's batch (freeze it)"),
	N_("Reconcile the bank's return file (回盘对账)"),
	N_("Held households (暂停发放) and recovery (追缴) of a month"),
	N_("Payment batches"),
};
#define N_ITEMS (int)(sizeof items / sizeof items[0])

struct pay_data { int sel; };

static void *
pay_init(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	return calloc(1, sizeof(struct pay_data));
}

static void
pay_draw(struct tui *t, void *data)
{
	struct pay_data *p = data;
	(void)t;
	draw_box_title(VIEW_TOP, _("Payment"));
	for (int i = 0; i < N_ITEMS; i++) {
		char b[200];
		snprintf(b, sizeof b, " %d  %s", i + 1, _(items[i]));
		draw_text(VIEW_TOP + 2 + i * 2, 4, COLS - 8, b, i == p->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
}

/* ---- the roster ---------------------------------------------------------- */

struct roster_ctx {
	struct linebuf b;
	bool held_only;
	int seq;
};

static int
roster_line(const struct pay_row *w, void *baton)
{
	struct roster_ctx *c = baton;
	char acct[TEXT_SHORT], a[32], p[32];

	if (w->kind == PAY_ROW) {
		if (c->held_only)
			return 0;
		text_mask_account(w->account, acct, sizeof acct);
		/* what a clerk checks first (who, how many, how much) fits 80
		 * columns; the village and the masked card follow */
		return linebuf_add(&c->b, w->dossier, "%d\t%s\t%s\t%s\t%d人\t%s\t%s\t%s\t%s %s", ++c->seq, w->dossier,
		    w->head, w->holder_name, w->persons, money_format(w->pay, p),
		    w->arrears ? money_format(w->arrears, a) : "", w->village, w->bank, acct);
	}
	return linebuf_add(&c->b, w->dossier, "%s\t%s\t%s\t\t\t%s\t\t%s\t%s", w->kind == PAY_HELD ? "暂停发放" : "追缴",
	    w->dossier, w->head, money_format(w->pay, p), w->village, w->reason);
}

static void
roster_totals(struct linebuf *b, const struct pay_totals *tt, bool frozen)
{
	char a[32], h[32];
	linebuf_add(b, NULL, _("township: %d households, %d persons, %s yuan paid; %d held (%s yuan, not in the total)"),
	    tt->households, tt->persons, money_format(tt->total, a), tt->held, money_format(tt->held_amount, h));
	linebuf_add(b, NULL, "%s", frozen ? _("the batch of this month is submitted: this is the frozen batch") :
	    _("not submitted yet: submitting this month's batch (item 2 of this menu) freezes it"));
}

static int
save_roster(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct roster_ctx *c = ctx;
	char pdf[FIELD_MAX * 4 + 1], csv[FIELD_MAX * 4 + 1], xlsx[FIELD_MAX * 4 + 1];
	const char *why;
	dbmonth_t m;
	bool frozen;
	struct pay_totals *tt;

	if (month_parse(form_text(fm, 0), &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	pdf[0] = csv[0] = xlsx[0] = '\0';
	if (!c->held_only) {
		snprintf(pdf, sizeof pdf, "%s", form_text(fm, 1));
		snprintf(csv, sizeof csv, "%s", form_text(fm, 2));
		snprintf(xlsx, sizeof xlsx, "%s", form_text(fm, 3));
	}
	if ((tt = malloc(sizeof *tt)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	linebuf_free(&c->b);
	c->seq = 0;
	tui_msg(t, "%s", _("Computing the payment roster…"));
	tui_draw_now(t);
	struct progress pg = {tui_progress, t};
	int r = payment_roster_write(t->st, &t->user, m, pdf[0] ? pdf : NULL, csv[0] ? csv : NULL,
	    xlsx[0] ? xlsx : NULL, roster_line, c, tt, &frozen, &pg, e);
	if (r == 0)
		roster_totals(&c->b, tt, frozen);
	free(tt);
	if (r != 0) {
		linebuf_free(&c->b);
		return -1;
	}
	tui_clear_msg(t);
	return 0;
}

static void
roster_then(struct tui *t, void *ctx)
{
	struct roster_ctx *c = ctx;
	linebuf_open(t, &c->b, c->held_only ? _("Held and recovery") : _("Payment roster"));
}

static void
open_roster(struct tui *t, bool held_only)
{
	char mon[8];
	month_format(month_add(month_of(store_today()), 1), mon);
	struct form_spec *s = form_spec_new(t, held_only ? _("Held and recovery") : _("Payment roster"), save_roster,
	    sizeof(struct roster_ctx));
	if (s == NULL)
		return;
	((struct roster_ctx *)s->ctx)->held_only = held_only;
	s->then = roster_then;
	form_add_text(&s->form, N_("Month (YYYY-MM)"), 8, 7, valid_month, mon);
	if (!held_only) {
		form_add_text(&s->form, N_("PDF file"), 50, FIELD_MAX, NULL, "");
		form_add_text(&s->form, N_("Bank file (CSV)"), 50, FIELD_MAX, NULL, "");
		form_add_text(&s->form, N_("XLSX file"), 50, FIELD_MAX, NULL, "");
	}
	tui_push(t, &view_form, s);
}

/* ---- submit ----------------------------------------------------------- */

static int
do_submit(struct tui *t, const char *text, void *ctx, struct err *e)
{
	(void)ctx;
	dbmonth_t m;
	const char *why;
	struct pay_batch b;
	char a[32];
	if (month_parse(text, &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	tui_msg(t, "%s", _("Computing the payment roster…"));
	tui_draw_now(t);
	struct progress pg = {tui_progress, t};
	if (payment_submit(t->st, &t->user, m, &b, &pg, e) != 0)
		return -1;
	tui_msg(t, _("Batch submitted: %d households, %s yuan; SHA-256 %.16s…"), b.households, money_format(b.total, a),
	    b.sha256);
	return 0;
}

/* ---- reconcile --------------------------------------------------------- */

struct recon_ctx { struct linebuf b; };

static int
recon_line(const struct recon_item *it, void *baton)
{
	struct recon_ctx *c = baton;
	char acct[TEXT_SHORT], a[32], b[32];
	if (it->outcome == RECON_PAID)
		return 0;
	text_mask_account(it->account, acct, sizeof acct);
	return linebuf_add(&c->b, it->dossier[0] ? it->dossier : NULL, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s",
	    recon_terms[it->outcome].zh, it->line, acct, it->name, it->dossier, money_format(it->bank_amount, a),
	    money_format(it->batch_amount, b), it->remark);
}

static int
save_recon(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct recon_ctx *c = ctx;
	const char *why;
	dbmonth_t m;
	char path[FIELD_MAX * 4 + 1], sha[65];
	bool unchanged = false;
	struct pay_batch b;

	if (month_parse(form_text(fm, 0), &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	snprintf(path, sizeof path, "%s", form_text(fm, 1));
	if (path[0] == '\0')
		return err_set(e, E_REFUSED, "%s", _("the bank's return file: give its path"));
	if (payment_batch_get(t->st, m, &b, e) != 0 ||
	    bank_file_reconcile(t->st, &t->user, m, path, fm->ff[2].choice == 1, &unchanged, &b, sha, e) != 0)
		return -1;
	linebuf_free(&c->b);
	linebuf_add(&c->b, NULL, "成功 %d，失败 %d，金额不符 %d，账户不在批次 %d，回盘缺失 %d%s", b.paid, b.failed, b.mismatch,
	    b.unknown, b.missing, unchanged ? _(" (this file was reconciled already; nothing changed)") : "");
	if (payment_recon_items(t->st, m, recon_line, c, e) != 0) {
		linebuf_free(&c->b);
		return -1;
	}
	return 0;
}

static void
recon_then(struct tui *t, void *ctx)
{
	struct recon_ctx *c = ctx;
	linebuf_open(t, &c->b, _("Reconciliation"));
}

static void
open_recon(struct tui *t)
{
	char mon[8];
	month_format(month_of(store_today()), mon);
	struct form_spec *s = form_spec_new(t, _("Reconciliation"), save_recon, sizeof(struct recon_ctx));
	if (s == NULL)
		return;
	s->then = recon_then;
	form_add_text(&s->form, N_("Month (YYYY-MM)"), 8, 7, valid_month, mon);
	form_add_text(&s->form, N_("Bank's return file (CSV or XLSX)"), 50, FIELD_MAX, valid_required, "");
	form_add_choice(&s->form, N_("Replace an earlier reconciliation"), yes_no_terms, 2, 0);
	tui_push(t, &view_form, s);
}

/* ---- the batches --------------------------------------------------------- */

static int
batch_line(const struct pay_batch *b, void *baton)
{
	char mon[8], a[32];
	month_format(b->month, mon);
	if (b->reconciled)
		return linebuf_add(baton, NULL, "%s\t%d户 %d人\t%s元\t暂停%d\t追缴%d\t成功%d 失败%d 不符%d 不在批次%d 缺失%d", mon,
		    b->households, b->persons, money_format(b->total, a), b->held, b->recovery, b->paid, b->failed,
		    b->mismatch, b->unknown, b->missing);
	return linebuf_add(baton, NULL, "%s\t%d户 %d人\t%s元\t暂停%d\t追缴%d\t%s", mon, b->households, b->persons,
	    money_format(b->total, a), b->held, b->recovery, "未对账");
}

static void
open_batches(struct tui *t)
{
	struct linebuf b = {0};
	struct err e;
	err_clear(&e);
	if (payment_batch_list(t->st, batch_line, &b, &e) != 0) {
		linebuf_free(&b);
		tui_refusal(t, &e);
		return;
	}
	if (b.n == 0)
		linebuf_add(&b, NULL, "%s", _("no batch has been submitted yet"));
	linebuf_open(t, &b, _("Payment batches"));
}

static int
pay_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct pay_data *p = data;
	char mon[8];
	switch (a) {
	case K_UP: p->sel = (p->sel + N_ITEMS - 1) % N_ITEMS; break;
	case K_DOWN: p->sel = (p->sel + 1) % N_ITEMS; break;
	case K_ESC: tui_pop(t); break;
	case K_CHAR:
		if (ch < '1' || ch >= '1' + N_ITEMS)
			return RD_NONE;
		p->sel = (int)(ch - '1');
		/* FALLTHROUGH */
	case K_ENTER:
		tui_clear_msg(t);
		switch (p->sel) {
		case 0: open_roster(t, false); break;
		case 1:
			if (!tui_may(t, ACT_CASE))
				break;
			month_format(month_add(month_of(store_today()), 1), mon);
			open_prompt(t, _("Submit the month's batch (freeze it)"), N_("Month (YYYY-MM)"), mon, 7, valid_month,
			    do_submit, NULL, 0);
			break;
		case 2:
			if (tui_may(t, ACT_CASE))
				open_recon(t);
			break;
		case 3: open_roster(t, true); break;
		default: open_batches(t); break;
		}
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
pay_table(void *data)
{
	(void)data;
	return key_table_named("payment");
}

const struct view view_payment = {
	.name = "payment", .init = pay_init, .free = free, .draw = pay_draw,
	.key = pay_key, .table = pay_table,
};
