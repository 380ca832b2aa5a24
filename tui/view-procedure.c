/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-procedure.c — the dossier's 办理流程 tab: the current stage, the
 * next one, what is missing to enter it (case_rules with target = the next
 * stage: every rule result with its code and message) and the actions of
 * the procedure, each calling the same store function as the command line:
 * F3 advance (the survey's two surveyors, the evaluation's participants,
 * the approver's override reason), F4 reject, F6 review, F7 exit, F8 the
 * stored calculation and that of a month, F11 a new head.  An action the
 * user's role may not take is shown with the reason; the store refuses it
 * anyway.
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

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/rules.h"
#include "core/settings-defs.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/workflow.h"
#include "store/calc.h"
#include "store/case.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/screen.h"
#include "store/settings.h"
#include "store/user.h"

struct proc_data {
	struct case_result res;
	bool have;
	int next;                  /* next stage or -1 */
	char missing[512];
	int top;
};

static void *
proc_init(void)
{
	return calloc(1, sizeof(struct proc_data));
}

static void
proc_load(struct tui *t, const struct dossier *d, void *pp)
{
	struct proc_data *p = pp;
	struct err e;
	err_clear(&e);
	p->next = workflow_next(d->status);
	p->have = case_rules(t->st, NULL, &t->user, d, p->next >= 0 ? (enum status)p->next : ST__N, false,
	    WHEN_ALWAYS, &p->res, &e) == 0;
	if (!p->have)
		tui_error(t, &e);
	p->missing[0] = '\0';
	struct checklist_def defs[MAX_ITEMS];
	int n;
	bool kin = false;
	struct checklist_facts f;
	if (p->next >= 0 && checklist_template(t->st, NULL, defs, MAX_ITEMS, &n, &e) == 0 &&
	    kin_has_match(t->st, NULL, d->no, &kin, &e) == 0) {
		checklist_facts_of(d, kin, &f);
		checklist_missing(d, defs, n, &f, (enum status)p->next, WHEN_ALWAYS, 0, p->missing, sizeof p->missing);
	}
}

/* the actions with the role each needs, for the list on the tab */
static int
action_role(const struct dossier *d, enum action_id a, int next)
{
	switch (a) {
	case K_ADVANCE: return next >= 0 ? (int)workflow_action((enum status)next) : -1;
	case K_REJECT: return workflow_reject_action(d->status);
	case K_REVIEW:
	case K_EXITCASE: return d->status == ST_APPROVED ? ACT_CASE : -1;
	default: return ACT_CASE;
	}
}

static void
proc_draw(struct tui *t, const struct dossier *d, void *pp, int y)
{
	struct proc_data *p = pp;
	char b[600];
	int row = y;
	snprintf(b, sizeof b, "%s %s    %s %s", _("Current stage:"), status_terms[d->status].zh, _("Next stage:"),
	    p->next >= 0 ? status_terms[p->next].zh : _("none"));
	draw_text(row++, 1, COLS - 2, b, A_BOLD);
	if (d->proc.reason[0]) {
		snprintf(b, sizeof b, "%s %s", _("Reason:"), d->proc.reason);
		draw_text(row++, 1, COLS - 2, b, A_NORMAL);
	}
	snprintf(b, sizeof b, "%s %s", _("Checklist missing for the next stage:"), p->missing[0] ? p->missing : _("nothing"));
	draw_text(row++, 1, COLS - 2, b, p->missing[0] ? attrs[AT_ERR] : (int)A_NORMAL);
	draw_text(row++, 0, COLS, _("Rules for the next stage"), A_BOLD | A_UNDERLINE);
	/* the actions: two columns where a reason beside each fits, else one
	 * a line (a refusal reason cut in the middle says nothing) */
	int ncol = COLS >= 120 ? 2 : 1, nact = 6 / ncol, room = LINES - 3 - row - nact - 1;
	if (p->have && p->res.n == 0)
		draw_text(row++, 2, COLS - 4, _("no rule stands in the way"), A_NORMAL);
	if (p->top > p->res.n - 1)
		p->top = p->res.n > 0 ? p->res.n - 1 : 0;
	for (int i = p->top; p->have && i < p->res.n && room > 0; i++, room--) {
		const struct rule_result *r = &p->res.r[i];
		snprintf(b, sizeof b, "%s %s", r->blocking ? "✗" : "!", r->message);
		draw_text(row++, 2, COLS - 4, b, r->blocking ? attrs[AT_ERR] : (int)A_NORMAL);
	}
	row = LINES - 3 - nact;
	draw_text(row++, 0, COLS, _("Actions"), A_BOLD | A_UNDERLINE);
	/* the tab's own keys, from the screen's key table: its label as on
	 * the bar, what it does, and who may at this stage */
	const struct key_table *kt = key_table_named("dossier.procedure");
	for (int i = 0, k = 0; kt && k < kt->n && i < 6; k++) {
		const struct screen_key *sk = &kt->k[k];
		if (!(sk->a == K_ADVANCE || sk->a == K_REJECT || sk->a == K_REVIEW || sk->a == K_EXITCASE || sk->a == K_CALC ||
		    sk->a == K_HEAD))
			continue;
		int x = 2 + (i % ncol) * (COLS / ncol);
		int r = row + i / ncol;
		i++;
		int act = sk->a == K_CALC ? ACT_READ : action_role(d, sk->a, p->next);
		const char *why = act < 0 ? _("not at this stage") : tui_role_reason(t, (enum action)act);
		snprintf(b, sizeof b, "%-3s %s%s%s", key_table_keyname(sk->a), _(sk->help), why ? " — " : "", why ? why : "");
		draw_text(r, x, COLS / ncol - 3, b, why ? (int)A_DIM : (int)A_NORMAL);
	}
}

/* ---- the forms of the actions --------------------------------------------- */

#define MAX_PICK 32
struct pick { struct term t[MAX_PICK]; char s[MAX_PICK][USER_MAX_BYTES + NAME_MAX_BYTES + 4]; char key[MAX_PICK][USER_MAX_BYTES]; int n; };

struct act_ctx {
	char no[DOSSIER_NO_LEN + 1];
	uint32_t version;       /* as loaded: the store refuses a stale form (i12) */
	int next;
	int f_note, f_s1, f_s2, f_date, f_part, f_reps, f_over, f_cat, f_grad, f_reason, f_head;
	struct pick users, members;
};

static const struct term cat_terms[] = {{"（按规则）", "derived"}, {"A", "A"}, {"B", "B"}, {"C", "C"}};

static int
pick_user(const struct user *u, void *baton)
{
	struct pick *p = baton;
	if (u->disabled || p->n >= MAX_PICK || (u->role != ROLE_CLERK && u->role != ROLE_REVIEWER &&
	    u->role != ROLE_APPROVER && u->role != ROLE_ADMIN))
		return 0;
	snprintf(p->key[p->n], sizeof p->key[p->n], "%s", u->login);
	snprintf(p->s[p->n], sizeof p->s[p->n], "%s %s", u->login, u->name);
	p->t[p->n].zh = p->s[p->n];
	p->t[p->n].en = p->key[p->n];
	p->n++;
	return 0;
}

/* a form on the dossier with a struct act_ctx, its field indexes unset */
static struct form_spec *
act_form(struct tui *t, const struct dossier *d, const char *title, form_save_fn save)
{
	struct form_spec *s = form_spec_new(t, title, save, sizeof(struct act_ctx));
	if (s == NULL)
		return NULL;
	struct act_ctx *c = s->ctx;
	snprintf(c->no, sizeof c->no, "%s", d->no);
	c->version = d->version;
	c->f_note = c->f_s1 = c->f_s2 = c->f_date = c->f_part = c->f_reps = c->f_over = c->f_cat = c->f_grad =
	    c->f_reason = c->f_head = -1;
	return s;
}

static const char *
opt_text(const struct form *fm, int i)
{
	if (i < 0)
		return NULL;
	const char *s = form_text(fm, i);
	return s[0] ? s : NULL;
}

static void
result_msg(struct tui *t, const struct case_result *r, const char *what)
{
	char o[32], n[32];
	if (r->gradual_last != 0) {
		/* integrity (i12): the amount is kept through the period */
		char lm[8];
		money_format(r->old_total, o);
		month_format(r->gradual_last, lm);
		tui_msg(t, _("%s: monthly amount %s yuan kept through %s, then exit (income above the line)"), what, o, lm);
		return;
	}
	money_format(r->old_total, o);
	money_format(r->have_calc ? r->calc.total : r->old_total, n);
	tui_msg(t, _("%s: %s → %s (%s); monthly amount %s yuan"), what, status_terms[r->from].zh,
	    status_terms[r->to].zh, what, n);
	(void)o;
}

static int
save_advance(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct act_ctx *c = ctx;
	struct case_opts o = {0};
	char surv[2 * USER_MAX_BYTES + 2];
	long v;
	o.note = opt_text(fm, c->f_note);
	if (c->f_s1 >= 0) {
		snprintf(surv, sizeof surv, "%s,%s", c->users.key[fm->ff[c->f_s1].choice], c->users.key[fm->ff[c->f_s2].choice]);
		o.surveyors = surv;
	}
	if (c->f_date >= 0 && opt_text(fm, c->f_date)) {
		const char *why;
		if (date_parse(form_text(fm, c->f_date), &o.date, &why) != 0)
			return err_set(e, E_REFUSED, "%s", _(why));
	}
	if (c->f_part >= 0) {
		v = atol(form_text(fm, c->f_part));
		o.participants = (int)v;
		o.representatives = atoi(form_text(fm, c->f_reps));
	}
	o.override = opt_text(fm, c->f_over);
	if (c->f_cat >= 0 && fm->ff[c->f_cat].choice > 0)
		o.category = cat_terms[fm->ff[c->f_cat].choice].en[0];
	struct case_result *r = malloc(sizeof *r);
	if (r == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	store_expect_version(t->st, c->no, c->version);
	int ret = case_advance(t->st, &t->user, c->no, &o, r, e);
	if (ret == 0)
		result_msg(t, r, _("advanced"));
	free(r);
	return ret;
}

/* issue 15: the notice's complaint phones, typed where they are missing */
static int
set_phone(struct tui *t, const char *text, void *ctx, struct err *e)
{
	const char *key = ctx;
	if (setting_set(t->st, &t->user, key, text, e) != 0)
		return -1;
	tui_msg(t, "%s", _("Phone saved: F3 again posts the notice"));
	return 0;
}

/* Before the advance to 公示中: both phones set, else the refusal and,
 * for a role that keeps the settings, a prompt for the missing one. */
static bool
phones_ready(struct tui *t)
{
	char pt[TEXT_SHORT], pc[TEXT_SHORT];
	struct err e;
	err_clear(&e);
	if (notice_phones_required(t->st, NULL, pt, pc, sizeof pt, &e) == 0)
		return true;
	if (e.code != E_REFUSED || !role_may(t->user.role, ACT_SETTINGS)) {
		tui_refusal(t, &e);
		return false;
	}
	const char *key = pt[0] ? "phone.county" : "phone.township";
	const struct setting_def *def = setting_def_find(key);
	tui_refusal(t, &e);
	open_prompt(t, _("The notice needs the complaint phones"), def ? def->help : key, "", 40, valid_required,
	    set_phone, key, strlen(key) + 1);
	return false;
}

static void
open_advance(struct tui *t, const struct dossier *d, int next)
{
	static char title[160];
	snprintf(title, sizeof title, _("Advance %s to %s"), d->no, status_terms[next].zh);
	struct form_spec *s = act_form(t, d, title, save_advance);
	if (s == NULL)
		return;
	struct act_ctx *c = s->ctx;
	struct form *fm = &s->form;
	struct err e;
	err_clear(&e);
	if (next == ST_SURVEYED) {
		user_list(t->st, pick_user, &c->users, &e);
		if (c->users.n == 0) {
			c->users.t[0].zh = c->users.t[0].en = "";
			c->users.n = 1;
		}
		int me = 0, other = c->users.n > 1 ? 1 : 0;
		for (int i = 0; i < c->users.n; i++)
			if (strcmp(c->users.key[i], t->user.login) == 0)
				me = i;
		if (other == me)
			other = 0;
		c->f_s1 = form_add_choice(fm, N_("First surveyor"), c->users.t, c->users.n, me);
		c->f_s2 = form_add_choice(fm, N_("Second surveyor"), c->users.t, c->users.n, other);
	}
	if (next == ST_EVALUATED) {
		c->f_date = form_add_text(fm, N_("Evaluation date"), 11, 10, valid_date, "");
		c->f_part = form_add_text(fm, N_("Participants"), 6, 5, valid_count, "");
		c->f_reps = form_add_text(fm, N_("Representatives among them"), 6, 5, valid_count, "");
		fm->ff[c->f_part].f.digits = fm->ff[c->f_reps].f.digits = true;
	}
	if (next == ST_NOTICED)
		c->f_date = form_add_text(fm, N_("Notice start (empty: today)"), 11, 10, NULL, "");
	if (next == ST_APPROVED) {
		c->f_cat = form_add_choice(fm, N_("Review category"), cat_terms, 4, 0);
		c->f_over = form_add_text(fm, N_("Override reason (warnings)"), 40, 100, NULL, "");
	}
	c->f_note = form_add_long(fm, N_("Note"), 3, PARAGRAPH_CHARS, valid_long, "");
	tui_push(t, &view_form, s);
}

static int
do_reject(struct tui *t, const char *text, void *ctx, struct err *e)
{
	const char *no = ctx;
	struct case_result *r = malloc(sizeof *r);
	if (r == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	int ret = case_reject(t->st, &t->user, no, text, r, e);
	if (ret == 0)
		result_msg(t, r, _("rejected; notify the applicant in writing within 3 working days"));
	free(r);
	return ret;
}

static int
save_review(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct act_ctx *c = ctx;
	struct case_opts o = {0};
	if (fm->ff[c->f_cat].choice > 0)
		o.category = cat_terms[fm->ff[c->f_cat].choice].en[0];
	o.gradual_exit = fm->ff[c->f_grad].choice == 1;
	o.note = opt_text(fm, c->f_note);
	struct case_result *r = malloc(sizeof *r);
	if (r == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	store_expect_version(t->st, c->no, c->version);
	int ret = case_review(t->st, &t->user, c->no, &o, r, e);
	if (ret == 0)
		result_msg(t, r, o.gradual_exit ? _("reviewed: gradual exit") :
		    r->calc.total != r->old_total ? _("reviewed: amount changed") : _("reviewed: unchanged"));
	free(r);
	return ret;
}

static int
save_exit(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct act_ctx *c = ctx;
	struct case_opts o = {0};
	o.exit_reason = (enum exit_reason)(fm->ff[c->f_reason].choice + 1);
	o.note = opt_text(fm, c->f_note);
	struct case_result *r = malloc(sizeof *r);
	if (r == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	store_expect_version(t->st, c->no, c->version);
	int ret = case_exit(t->st, &t->user, c->no, &o, r, e);
	if (ret == 0)
		result_msg(t, r, exit_terms[o.exit_reason].zh);
	free(r);
	return ret;
}

static int
save_head(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct act_ctx *c = ctx;
	store_expect_version(t->st, c->no, c->version);
	if (member_set_head(t->st, &t->user, c->no, c->members.key[fm->ff[c->f_head].choice], e) != 0)
		return -1;
	tui_msg(t, _("%s is now the head of %s"), c->members.t[fm->ff[c->f_head].choice].zh, c->no);
	return 0;
}

/* ---- the calculation record ------------------------------------------------ */

static void
calc_lines(struct linebuf *b, const struct dossier *d, const struct calc_record *k)
{
	char a[32], c[32], m[8];
	month_format(k->month, m);
	money_format(k->standard, a);
	linebuf_add(b, NULL, _("month %s (%s, %s), standard S %s yuan"), m, support_terms[k->support].zh,
	    poverty_terms[k->poverty].zh, a);
	money_format(k->income, a);
	money_format(k->expenses, c);
	linebuf_add(b, NULL, _("  income / expenses     %s / %s yuan"), a, c);
	money_format(k->household_income, a);
	linebuf_add(b, NULL, _("  household income H    %s yuan"), a);
	money_format(k->per_capita, a);
	linebuf_add(b, NULL, _("  per capita P          %s yuan (%d living members)"), a, k->members);
	for (int i = 0; i < k->n; i++) {
		const struct member *mm = dossier_member_c(d, k->m[i].id);
		money_format(k->m[i].base, a);
		money_format(k->m[i].addon, c);
		if (k->m[i].guaranteed)
			linebuf_add(b, NULL, "    %s  %s %s  %s %s  %s", mm ? mm->name : k->m[i].id, _("base"), a,
			    _("add-on"), c, k->m[i].cat ? addon_terms[k->m[i].cat].zh : "");
		else
			linebuf_add(b, NULL, "    %s  %s", mm ? mm->name : k->m[i].id,
			    k->m[i].living ? _("not in the guarantee") : _("deceased"));
	}
	money_format(k->unrounded, a);
	money_format(k->total, c);
	linebuf_add(b, NULL, _("  total %s, rounded: %s yuan per month"), a, c);
}

/* F8: the stored record and the one of the month typed, as `dibao calc
 * --stored` and `calc --month` show them */
static int
calc_month_lines(struct tui *t, const char *text, void *ctx, struct linebuf *b, struct err *e)
{
	const char *no = ctx, *why = NULL;
	dbmonth_t m;
	char mon[8];
	if (month_parse(text, &m, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	struct dossier *d = malloc(sizeof *d);
	struct calc_record *k = malloc(sizeof *k);
	int r = -1;
	if (d == NULL || k == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		goto out;
	}
	if (dossier_get(t->st, NULL, no, d, e) != 0)
		goto out;
	linebuf_add(b, NULL, "%s", _("Stored calculation (behind the approved amount)"));
	if (d->proc.calc_seq == 0)
		linebuf_add(b, NULL, "  %s", _("none stored yet"));
	else if (calc_get(t->st, NULL, d->no, d->proc.calc_seq, k, e) == 0)
		calc_lines(b, d, k);
	else
		linebuf_add(b, NULL, "  %s", e->msg);
	err_clear(e);
	linebuf_add(b, NULL, "%s", "");
	month_format(m, mon);
	linebuf_add(b, NULL, _("Calculation for %s (as the data stand)"), mon);
	r = case_calc(t->st, NULL, d, m, k, &why, e);
	if (r < 0)
		goto out;
	calc_lines(b, d, k);
	if (r == 1 && why)
		linebuf_add(b, NULL, "  ✗ %s", _(why));
	r = 0;
out:
	free(d);
	free(k);
	return r;
}

static int
proc_key(struct tui *t, const struct dossier *d, void *pp, enum action_id a, wint_t ch)
{
	(void)ch;
	struct proc_data *p = pp;
	struct act_ctx *c;
	struct form_spec *s;
	static char title[160];
	int act;
	switch (a) {
	case K_UP: if (p->top > 0) p->top--; return RD_VIEW;
	case K_DOWN: p->top++; return RD_VIEW;
	case K_CALC: {
		char mon[8];
		month_format(month_of(store_today()), mon);
		snprintf(title, sizeof title, _("Calculation record of %s"), d->no);
		open_prompt_lines(t, title, N_("Month (YYYY-MM)"), mon, 7, valid_month, calc_month_lines, d->no,
		    sizeof d->no, title);
		return RD_VIEW;
	}
	case K_ADVANCE:
		if (p->next < 0) {
			tui_msg(t, _("dossier %s is %s: there is no next stage"), d->no, status_terms[d->status].zh);
			t->status_err = true;
			return RD_VIEW;
		}
		if (tui_may(t, workflow_action((enum status)p->next)))
			if (p->next != ST_NOTICED || phones_ready(t))
				open_advance(t, d, p->next);
		return RD_VIEW;
	case K_REJECT:
		act = workflow_reject_action(d->status);
		if (act < 0) {
			tui_msg(t, _("dossier %s is %s: only a case before approval can be rejected"), d->no,
			    status_terms[d->status].zh);
			t->status_err = true;
		} else if (tui_may(t, (enum action)act)) {
			snprintf(title, sizeof title, _("Reject %s"), d->no);
			open_prompt(t, title, N_("Reason (told to the applicant)"), "", 100, valid_required, do_reject,
			    d->no, sizeof d->no);
		}
		return RD_VIEW;
	case K_REVIEW:
	case K_EXITCASE:
	case K_HEAD:
		if (!tui_may(t, ACT_CASE))
			return RD_VIEW;
		break;
	default:
		return RD_NONE;
	}
	if (a == K_REVIEW) {
		snprintf(title, sizeof title, _("Periodic review of %s"), d->no);
		if ((s = act_form(t, d, title, save_review)) == NULL)
			return RD_VIEW;
		c = s->ctx;
		c->f_cat = form_add_choice(&s->form, N_("Review category"), cat_terms, 4, 0);
		c->f_grad = form_add_choice(&s->form, N_("Gradual exit"), yes_no_terms, 2, 0);
	} else if (a == K_EXITCASE) {
		snprintf(title, sizeof title, _("Exit %s from the guarantee"), d->no);
		if ((s = act_form(t, d, title, save_exit)) == NULL)
			return RD_VIEW;
		c = s->ctx;
		c->f_reason = form_add_choice(&s->form, N_("Exit reason"), exit_terms + 1, EXIT__N - 1, 0);
	} else {
		snprintf(title, sizeof title, _("New head of %s"), d->no);
		if ((s = act_form(t, d, title, save_head)) == NULL)
			return RD_VIEW;
		c = s->ctx;
		for (int i = 0; i < d->n_members && c->members.n < MAX_PICK; i++) {
			const struct member *m = &d->members[i];
			if (m->death || i == d->head)
				continue;
			int k = c->members.n++;
			snprintf(c->members.key[k], sizeof c->members.key[k], "%s", m->id);
			snprintf(c->members.s[k], sizeof c->members.s[k], "%s", m->name);
			c->members.t[k].zh = c->members.s[k];
			c->members.t[k].en = c->members.key[k];
		}
		if (c->members.n == 0) {
			free(c);
			free(s);
			tui_msg(t, "%s", _("no living member to name as the head"));
			t->status_err = true;
			return RD_VIEW;
		}
		c->f_head = form_add_choice(&s->form, N_("New head"), c->members.t, c->members.n, 0);
		tui_push(t, &view_form, s);
		return RD_VIEW;
	}
	c->f_note = form_add_long(&s->form, N_("Note"), 3, PARAGRAPH_CHARS, valid_long, "");
	tui_push(t, &view_form, s);
	return RD_VIEW;
}

const struct dossier_tab tab_procedure = {
	.name = N_("Procedure"), .init = proc_init, .free = free, .load = proc_load, .draw = proc_draw,
	.key = proc_key,
};
