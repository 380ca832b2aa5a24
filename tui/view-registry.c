/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-registry.c — 近亲属备案: the registry of related staff (F3 adds one,
 * F4 edits the name, unit, position and term, F6 records the end of a
 * term on a date, F8 lists the dossiers involving them; Enter lists the
 * selected one's declared relatives, where F3 declares one and F8 records
 * a removal), the kin matches (F3 re-scans every dossier, with its
 * progress on the status line; Esc cancels and nothing is recorded), the filing
 * register and the unfiled matches.  F7 switches between the lists.  The
 * same store calls as `dibao kin staff|relative|matches|register|
 * staff-dossiers`.
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
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"

enum page { PG_STAFF, PG_MATCHES, PG_FILINGS, PG_UNFILED, PG__N, PG_RELATIVES = PG__N };
static const char *const page_names[PG__N] = {
	N_("Related staff"), N_("Kin matches"), N_("Filing register"), N_("Unfiled matches"),
};

struct reg_data {
	enum page page;
	char staff[ID_LEN + 1], staff_head[160];   /* PG_RELATIVES: whose, and the header */
	struct linebuf rows;   /* "dossier": the dossier, or the staff/relative ID */
	int sel, top, generation;
	int w[TAB_COLS];
};

static int
one_staff(const struct kin_staff *s, void *baton)
{
	char idm[ID_LEN + 1], end[11] = "";
	id_mask(s->id, idm);
	if (s->ended)
		date_format(s->ended, end);
	return linebuf_add(baton, s->id, "%s\t%s\t%s\t%s\t%s\t%s%s", s->name, idm, staff_kind_terms[s->kind].zh,
	    s->unit, s->position, end[0] ? _("ended ") : "", end);
}

static int
one_relative(const struct kin_relative *r, void *baton)
{
	char idm[ID_LEN + 1], dd[11], rm[11] = "";
	id_mask(r->id, idm);
	date_format(r->declared, dd);
	if (r->removed)
		date_format(r->removed, rm);
	return linebuf_add(baton, r->id, "%s\t%s\t%s\t%s\t%s%s", r->name, idm, kin_relation_terms[r->relation].zh, dd,
	    rm[0] ? _("removed ") : "", rm);
}

struct mbaton { struct linebuf *b; bool unfiled; };

static int
one_match(const struct kin_match *m, int status, void *baton)
{
	struct mbaton *mb = baton;
	if (mb->unfiled && (status == FS_FILED || status == FS_REPORTED))
		return 0;
	return linebuf_add(mb->b, m->dossier, "%s\t%s\t%s\t%s\t%s", m->dossier, m->member_name,
	    kin_relation_term(m->relation)->zh, m->staff_name, status < 0 ? _("unfiled") : filing_status_terms[status].zh);
}

static int
one_filing(const struct kin_filing *f, void *baton)
{
	char fd[11], rd[11] = "";
	date_format(f->filed, fd);
	if (f->reviewed)
		date_format(f->reviewed, rd);
	return linebuf_add(baton, f->dossier, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", f->no, f->dossier, f->member_name,
	    filing_status_terms[f->status].zh, f->filed_by, fd, f->reviewed_by, rd);
}

static void
load(struct tui *t, struct reg_data *r)
{
	struct err e;
	struct mbaton mb = {&r->rows, r->page == PG_UNFILED};
	int x = 0;
	err_clear(&e);
	linebuf_free(&r->rows);
	r->generation = t->generation;
	switch (r->page) {
	case PG_STAFF: x = kin_staff_list(t->st, one_staff, &r->rows, &e); break;
	case PG_RELATIVES: x = kin_relative_list(t->st, r->staff, one_relative, &r->rows, &e); break;
	case PG_MATCHES:
	case PG_UNFILED: x = kin_match_list(t->st, NULL, one_match, &mb, &e); break;
	case PG_FILINGS: x = kin_filing_list(t->st, one_filing, &r->rows, &e); break;
	default: break;
	}
	tab_widths(r->rows.text, r->rows.n, r->w, TAB_COLS, 30);
	if (x != 0)
		tui_error(t, &e);
	if (r->sel >= r->rows.n)
		r->sel = r->rows.n ? r->rows.n - 1 : 0;
}

static void *
reg_init(struct tui *t, void *arg)
{
	(void)arg;
	struct reg_data *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	load(t, r);
	return r;
}

static void
reg_free(void *data)
{
	struct reg_data *r = data;
	linebuf_free(&r->rows);
	free(r);
}

static void
reg_draw(struct tui *t, void *data)
{
	struct reg_data *r = data;
	if (r->generation != t->generation)
		load(t, r);
	draw_tab_row(VIEW_TOP, page_names, PG__N, (int)r->page, r->page == PG_RELATIVES ? PG_STAFF : -1);
	draw_hline(VIEW_TOP + 1, 0, COLS, A_NORMAL);
	const char *help = tui_hint(t);
	/* the filing lists are for reading: no role note there */
	const char *why = r->page == PG_FILINGS || r->page == PG_UNFILED ? NULL : tui_role_reason(t, ACT_KIN_REGISTRY);
	int y = VIEW_TOP + 2, rows = VIEW_ROWS - 2 - hint_lines(help, why);
	if (r->page == PG_RELATIVES) {
		draw_text(y++, 1, COLS - 2, r->staff_head, A_BOLD);
		rows--;
	}
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + rows)
		r->top = r->sel - rows + 1;
	for (int i = 0; i < rows && r->top + i < r->rows.n; i++) {
		int k = r->top + i;
		draw_tabbed(y + i, 1, COLS - 2, r->rows.text[k], r->w, TAB_COLS, k == r->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	if (r->rows.n == 0)
		draw_text(y, 2, COLS - 4, _("none"), A_NORMAL);
	draw_hint(help, why, A_BOLD);
}

/* ---- forms -------------------------------------------------------------- */

struct staff_ctx { char id[ID_LEN + 1]; };

static int
save_staff(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct staff_ctx *c = ctx;
	struct kin_staff s;
	struct id_info info;
	const char *why;
	memset(&s, 0, sizeof s);
	int base = c->id[0] ? -1 : 0;  /* editing: no ID field */
	if (base == 0) {
		if (id_check(form_text(fm, 0), store_today(), &info, &why) != 0)
			return err_set(e, E_REFUSED, "%s", _(why));
		memcpy(s.id, info.id, sizeof s.id);
	}
	if (text_set(s.name, sizeof s.name, form_text(fm, base + 1), &why) != 0 ||
	    text_set(s.unit, sizeof s.unit, form_text(fm, base + 3), &why) != 0 ||
	    text_set(s.position, sizeof s.position, form_text(fm, base + 4), &why) != 0 ||
	    date_parse_optional(form_text(fm, base + 5), &s.from, &why) != 0 ||
	    date_parse_optional(form_text(fm, base + 6), &s.to, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	s.kind = (enum staff_kind)fm->ff[base + 2].choice;
	if (c->id[0]) {
		if (kin_staff_edit(t->st, &t->user, c->id, &s, KIN_F_NAME | KIN_F_KIND | KIN_F_UNIT | KIN_F_POSITION |
		    KIN_F_FROM | KIN_F_TO, e) != 0)
			return -1;
		tui_msg(t, _("%s saved"), s.name);
		return 0;
	}
	if (kin_staff_add(t->st, &t->user, &s, e) != 0)
		return -1;
	tui_msg(t, _("%s added to the registry"), s.name);
	return 0;
}

static int
save_relative(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct staff_ctx *c = ctx;
	struct kin_relative r;
	struct id_info info;
	const char *why;
	memset(&r, 0, sizeof r);
	memcpy(r.staff_id, c->id, sizeof r.staff_id);
	if (text_set(r.name, sizeof r.name, form_text(fm, 0), &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (id_check(form_text(fm, 1), store_today(), &info, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	memcpy(r.id, info.id, sizeof r.id);
	r.relation = (enum kin_relation)fm->ff[2].choice;
	if (date_parse_optional(form_text(fm, 3), &r.declared, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (kin_relative_add(t->st, &t->user, &r, e) != 0)
		return -1;
	tui_msg(t, _("relative %s declared"), r.name);
	return 0;
}

static struct form_spec *
spec(struct tui *t, const char *title, const char *id, form_save_fn save)
{
	struct form_spec *s = form_spec_new(t, title, save, sizeof(struct staff_ctx));
	if (s != NULL)
		snprintf(((struct staff_ctx *)s->ctx)->id, ID_LEN + 1, "%s", id ? id : "");
	return s;
}

/* ---- ends on a date: a term, a declaration -------------------------------- */

struct end_ctx { char staff[ID_LEN + 1], relative[ID_LEN + 1]; };

static int
do_end(struct tui *t, const char *text, void *ctx, struct err *e)
{
	const struct end_ctx *c = ctx;
	dbdate_t d;
	const char *why;
	if (date_parse(text, &d, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	if (c->relative[0] ? kin_relative_remove(t->st, &t->user, c->staff, c->relative, d, e) :
	    kin_staff_end(t->st, &t->user, c->staff, d, e))
		return -1;
	tui_msg(t, "%s", c->relative[0] ? _("the relative's removal is recorded") : _("the term's end is recorded"));
	return 0;
}

static void
open_end(struct tui *t, const char *staff, const char *relative)
{
	struct end_ctx c;
	char today[11];
	snprintf(c.staff, sizeof c.staff, "%s", staff);
	snprintf(c.relative, sizeof c.relative, "%s", relative ? relative : "");
	date_format(store_today(), today);
	open_prompt(t, relative ? _("Record the removal of a declared relative") : _("Record the end of a term"),
	    N_("Date"), today, 10, valid_date, do_end, &c, sizeof c);
}

static int
involve_one(const struct dossier *d, const struct member *m, int relation, bool removed, void *baton)
{
	char idm[ID_LEN + 1];
	id_mask(m->id, idm);
	return linebuf_add(baton, d->no, "%s\t%s\t%s\t%s\t%s\t%s", d->no, status_terms[d->status].zh, m->name, idm,
	    kin_relation_term(relation)->zh, removed ? _("removed") : "");
}

static void
open_involved(struct tui *t, const char *staff)
{
	struct linebuf b = {0};
	struct err e;
	struct kin_staff st;
	char title[160];
	err_clear(&e);
	if (kin_staff_get(t->st, NULL, staff, &st, &e) != 0 || kin_staff_dossiers(t->st, staff, involve_one, &b, &e) != 0) {
		linebuf_free(&b);
		tui_error(t, &e);
		return;
	}
	snprintf(title, sizeof title, _("Dossiers involving %s"), st.name);
	linebuf_open(t, &b, title);
}

/* the relatives page's header: whose, their unit and term */
static void
staff_head(struct reg_data *r, const struct kin_staff *st)
{
	char from[11] = "", to[11] = "", term[64] = "";
	date_format(st->from, from);
	date_format(st->to, to);
	if (st->from || st->to)
		snprintf(term, sizeof term, _("term %s to %s"), from, to);
	snprintf(r->staff_head, sizeof r->staff_head, _("Declared relatives of %s"), st->name);
	snprintf(r->staff_head + strlen(r->staff_head), sizeof r->staff_head - strlen(r->staff_head), "  %s %s  %s",
	    st->unit, st->position, term);
}

/* The staff form's fields after the ID number, filled with a record's
 * values (empty and the first kind for a new one). */
static void
staff_fields(struct form_spec *s, const struct kin_staff *st)
{
	char from[11] = "", to[11] = "";
	if (st) {
		date_format(st->from, from);
		date_format(st->to, to);
	}
	form_add_text(&s->form, N_("Name"), 16, 16, valid_name, st ? st->name : "");
	form_add_choice(&s->form, N_("Kind"), staff_kind_terms, SK__N, st ? (int)st->kind : 0);
	form_add_text(&s->form, N_("Unit or village"), 30, 40, NULL, st ? st->unit : "");
	form_add_text(&s->form, N_("Position"), 20, 40, NULL, st ? st->position : "");
	form_add_text(&s->form, N_("Term from (optional)"), 11, 10, valid_date_optional, from);
	form_add_text(&s->form, N_("Term to (optional)"), 11, 10, valid_date_optional, to);
}

/* "Add": a staff member, a relative of the open one, or (on the matches
 * page) a re-scan of every dossier. */
static void
reg_add(struct tui *t, struct reg_data *r)
{
	struct form_spec *s;
	struct err e;
	err_clear(&e);
	if (r->page == PG_STAFF) {
		if ((s = spec(t, _("Add a related staff member"), NULL, save_staff)) == NULL)
			return;
		form_add_text(&s->form, N_("ID number"), 20, 18, valid_id, "");
		s->form.ff[0].f.digits = true;
		staff_fields(s, NULL);
		tui_push(t, &view_form, s);
	} else if (r->page == PG_RELATIVES) {
		if ((s = spec(t, _("Declare a close relative"), r->staff, save_relative)) == NULL)
			return;
		form_add_text(&s->form, N_("Name"), 16, 16, valid_name, "");
		form_add_text(&s->form, N_("ID number"), 20, 18, valid_id, "");
		s->form.ff[1].f.digits = true;
		form_add_choice(&s->form, N_("Relation"), kin_relation_terms, KREL__N, 0);
		form_add_text(&s->form, N_("Declared on (empty: today)"), 11, 10, valid_date_optional, "");
		tui_push(t, &view_form, s);
	} else if (r->page == PG_MATCHES) {
		int found = 0;
		struct progress pg = {tui_progress, t};
		tui_msg(t, "%s", _("Re-scanning every dossier…"));
		tui_draw_now(t);
		if (kin_rescan(t->st, &t->user, &found, &pg, &e) != 0)
			tui_refusal(t, &e);
		else
			tui_msg(t, _("re-scan done: %d new matches"), found);
		load(t, r);
	}
}

/* "Edit" on the staff page: the selected staff member's form */
static void
reg_edit(struct tui *t, const char *sel)
{
	struct kin_staff st;
	struct form_spec *s;
	struct err e;
	err_clear(&e);
	if (kin_staff_get(t->st, NULL, sel, &st, &e) != 0) {
		tui_error(t, &e);
		return;
	}
	if ((s = spec(t, _("Edit a related staff member"), sel, save_staff)) == NULL)
		return;
	staff_fields(s, &st);
	tui_push(t, &view_form, s);
}

static int
reg_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct reg_data *r = data;
	struct err e;
	const char *sel = r->rows.n ? r->rows.dossier[r->sel] : "";
	err_clear(&e);
	switch (a) {
	case K_UP: if (r->sel > 0) r->sel--; break;
	case K_DOWN: if (r->sel + 1 < r->rows.n) r->sel++; break;
	case K_PGUP: r->sel = r->sel > 10 ? r->sel - 10 : 0; break;
	case K_PGDN: r->sel = r->sel + 10 < r->rows.n ? r->sel + 10 : (r->rows.n ? r->rows.n - 1 : 0); break;
	case K_HOME: r->sel = 0; break;
	case K_END: r->sel = r->rows.n ? r->rows.n - 1 : 0; break;
	case K_REFRESH: load(t, r); break;
	case K_ESC:
		if (r->page == PG_RELATIVES) {
			r->page = PG_STAFF;
			r->sel = r->top = 0;
			load(t, r);
		} else {
			tui_pop(t);
		}
		break;
	case K_SWITCH:
		r->page = r->page >= PG__N - 1 ? PG_STAFF : r->page + 1;
		r->sel = r->top = 0;
		load(t, r);
		break;
	case K_ENTER:
		if (!r->rows.n)
			break;
		if (r->page == PG_STAFF) {
			struct kin_staff st;
			snprintf(r->staff, sizeof r->staff, "%s", sel);
			r->staff_head[0] = '\0';
			if (kin_staff_get(t->st, NULL, r->staff, &st, &e) == 0)
				staff_head(r, &st);
			r->page = PG_RELATIVES;
			r->sel = r->top = 0;
			load(t, r);
		} else if (r->page != PG_RELATIVES && sel[0]) {
			open_dossier(t, sel);
		}
		break;
	case K_ADD:
		if (tui_may(t, ACT_KIN_REGISTRY))
			reg_add(t, r);
		break;
	case K_EDIT:
		if (r->page == PG_STAFF && r->rows.n && tui_may(t, ACT_KIN_REGISTRY))
			reg_edit(t, sel);
		break;
	case K_CLOSE:
		if (r->page == PG_STAFF && r->rows.n && tui_may(t, ACT_KIN_REGISTRY))
			open_end(t, sel, NULL);
		break;
	case K_DELETE_ITEM:
		if (r->page == PG_RELATIVES && r->rows.n && tui_may(t, ACT_KIN_REGISTRY))
			open_end(t, r->staff, sel);
		break;
	case K_DOSSIERS:
		if (r->page == PG_STAFF && r->rows.n)
			open_involved(t, sel);
		break;
	default:
		return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
reg_table(void *data)
{
	struct reg_data *r = data;
	static const char *const names[PG__N + 1] = {
		[PG_STAFF] = "registry.staff", [PG_MATCHES] = "registry.matches", [PG_FILINGS] = "registry.filings",
		[PG_UNFILED] = "registry.unfiled", [PG_RELATIVES] = "registry.relatives",
	};
	return key_table_named(names[r->page]);
}

const struct view view_registry = {
	.name = "registry", .init = reg_init, .free = reg_free, .draw = reg_draw,
	.key = reg_key, .table = reg_table,
};
