/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-member-form.c — the forms of a member: add, edit, record a death.
 * They fill a struct member exactly as `dibao member add|edit|death` does
 * (its flags too: government-funded staff, HIV/AIDS, confidential, in the
 * guarantee) and call the same store functions; before saving, the
 * dossier's version is compared with the one loaded (another clerk may
 * have changed it).  Showing a member's confidential flags is audited.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "core/health.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"

enum { MF_NAME, MF_ID, MF_REL, MF_ILL, MF_DIS, MF_GRADE, MF_LAB, MF_OCC, MF_STAFF_F, MF_HIV_F, MF_CONF_F, MF_GUAR_F,
	MF_HEALTH };

/* the member's flags as yes/no choices: field, flag, the flag set means yes */
static const struct { int field; unsigned flag; bool set_is_yes; } flag_fields[] = {
	{MF_STAFF_F, MF_STAFF, true}, {MF_HIV_F, MF_HIV, true}, {MF_CONF_F, MF_CONFIDENTIAL, true},
	{MF_GUAR_F, MF_NOT_GUARANTEED, false},
};
#define N_FLAG_FIELDS (int)(sizeof flag_fields / sizeof flag_fields[0])

int
dossier_check_version(struct tui *t, const struct dossier_ctx *c, struct err *e)
{
	/* integrity (i12): no longer compared here, outside the write: the
	 * store refuses inside its transaction (E_CHANGED) when the dossier is
	 * not at the version this form was loaded from (view-form.c reloads) */
	(void)e;
	store_expect_version(t->st, c->no, c->version);
	return 0;
}

struct form_spec *
dossier_form_new(struct tui *t, const struct dossier *d, const char *title, form_save_fn save)
{
	struct form_spec *s = form_spec_new(t, title, save, sizeof(struct dossier_ctx));
	if (s == NULL)
		return NULL;
	struct dossier_ctx *c = s->ctx;
	snprintf(c->no, sizeof c->no, "%s", d->no);
	c->version = d->version;
	c->a = d->assets;
	return s;
}

static int
save_member(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	struct member m;
	const char *why;
	struct id_info info;
	int r;

	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	memset(&m, 0, sizeof m);
	if (c->id[0])
		m = c->m;
	unsigned fields = 0;
	if (text_set(m.name, sizeof m.name, form_text(fm, MF_NAME), &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("name"), _(why));
	if (form_changed(fm, MF_NAME))
		fields |= MEMBER_F_NAME;
	if (id_check(form_text(fm, MF_ID), store_today(), &info, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	memcpy(m.id, info.id, sizeof m.id);
	if (form_changed(fm, MF_ID))
		fields |= MEMBER_F_ID;
	m.relation = (enum relation)fm->ff[MF_REL].choice;
	if (form_changed(fm, MF_REL))
		fields |= MEMBER_F_RELATION;
	if (text_set(m.illness, sizeof m.illness, form_text(fm, MF_ILL), &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("illness"), _(why));
	m.health = health_of_illness(m.illness, (enum health)fm->ff[MF_HEALTH].choice);
	if (form_changed(fm, MF_ILL) || form_changed(fm, MF_HEALTH))
		fields |= MEMBER_F_ILLNESS;
	m.disability = (enum disability)fm->ff[MF_DIS].choice;
	const char *g = form_text(fm, MF_GRADE);
	m.disability_grade = m.disability == DIS_NONE ? 0 : g[0] ? g[0] - '0' : 0;
	if (m.disability != DIS_NONE && m.disability_grade == 0)
		return err_set(e, E_REFUSED, "%s", _("disability: a grade from 1 to 4 is needed"));
	if (form_changed(fm, MF_DIS) || form_changed(fm, MF_GRADE))
		fields |= MEMBER_F_DISABILITY;
	m.labour = (enum labour)fm->ff[MF_LAB].choice;
	if (form_changed(fm, MF_LAB))
		fields |= MEMBER_F_LABOUR;
	if (text_set(m.occupation, sizeof m.occupation, form_text(fm, MF_OCC), &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("occupation"), _(why));
	if (form_changed(fm, MF_OCC))
		fields |= MEMBER_F_OCCUPATION;
	for (int i = 0; i < N_FLAG_FIELDS; i++) {
		bool yes = fm->ff[flag_fields[i].field].choice == 1;
		if (yes == flag_fields[i].set_is_yes)
			m.flags |= flag_fields[i].flag;
		else
			m.flags &= ~flag_fields[i].flag;
		if (form_changed(fm, flag_fields[i].field))
			fields |= MEMBER_F_FLAGS;
	}
	if (c->id[0] == '\0') {
		if (member_add(t->st, &t->user, c->no, &m, e) != 0)
			return -1;
		tui_msg(t, _("Member %s added"), m.name);
		return 0;
	}
	if (fields == 0) {
		tui_msg(t, "%s", _("Nothing changed"));
		return 0;
	}
	if (member_edit(t->st, &t->user, c->no, c->id, &m, fields, e) != 0)
		return -1;
	tui_msg(t, _("Member %s saved"), m.name);
	return 0;
}

void
open_member_form(struct tui *t, const struct dossier *d, const struct member *m)
{
	struct form_spec *s = dossier_form_new(t, d, m ? _("Edit a member") : _("Add a member"), save_member);
	if (s == NULL)
		return;
	struct dossier_ctx *c = s->ctx;
	struct form *fm = &s->form;
	char grade[4] = "";
	struct err e;
	err_clear(&e);
	/* the flags shown are confidential: reading them is audited */
	if (m && (m->flags & (MF_HIV | MF_CONFIDENTIAL)) &&
	    dossier_reveal(t->st, &t->user, d->no, "hiv,confidential", &e) != 0) {
		free(s->ctx);
		free(s);
		tui_error(t, &e);
		return;
	}
	if (m) {
		c->m = *m;
		snprintf(c->id, sizeof c->id, "%s", m->id);
		if (m->disability_grade)
			snprintf(grade, sizeof grade, "%d", m->disability_grade);
	}
	form_add_text(fm, N_("Name"), 20, 20, valid_name, m ? m->name : "");
	form_add_text(fm, N_("ID number"), 20, 18, valid_id, m ? m->id : "");
	fm->ff[MF_ID].f.digits = true;
	form_add_choice(fm, N_("Relation to head"), relation_terms, REL__N, m ? (int)m->relation : REL_OTHER);
	form_add_text(fm, N_("Serious illness"), 24, 20, valid_short, m ? m->illness : "");
	form_add_choice(fm, N_("Disability"), disability_terms, DIS__N, m ? (int)m->disability : DIS_NONE);
	form_add_text(fm, N_("Disability grade"), 4, 1, valid_grade, grade);
	form_add_choice(fm, N_("Labour capacity"), labour_terms, LABOUR__N, m ? (int)m->labour : LABOUR_FULL);
	form_add_text(fm, N_("Occupation or school"), 24, 20, valid_short, m ? m->occupation : "");
	form_add_choice(fm, N_("Government-funded staff"), yes_no_terms, 2, m && (m->flags & MF_STAFF));
	form_add_choice(fm, N_("HIV/AIDS (confidential)"), yes_no_terms, 2, m && (m->flags & MF_HIV));
	form_add_choice(fm, N_("Other confidential"), yes_no_terms, 2, m && (m->flags & MF_CONFIDENTIAL));
	form_add_choice(fm, N_("In the guarantee"), yes_no_terms, 2, !m || !(m->flags & MF_NOT_GUARANTEED));
	form_add_choice(fm, N_("Health (with the illness above)"), health_terms, HEALTH__N, m ? (int)m->health : HEALTH_GOOD);
	tui_push(t, &view_form, s);
}

static int
save_death(struct tui *t, struct form *fm, void *ctx, struct err *e)
{
	struct dossier_ctx *c = ctx;
	dbdate_t date;
	const char *why;
	int r;
	if ((r = dossier_check_version(t, c, e)) != 0)
		return r;
	if (date_parse(form_text(fm, 0), &date, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	char cert[TEXT_SHORT * 4], cause[TEXT_SHORT * 4];
	snprintf(cert, sizeof cert, "%s", form_text(fm, 1));
	snprintf(cause, sizeof cause, "%s", form_text(fm, 2));
	if (member_death(t->st, &t->user, c->no, c->id, date, cert, cause, e) != 0)
		return -1;
	tui_msg(t, _("Death of %s recorded"), c->m.name);
	return 0;
}

void
open_death_form(struct tui *t, const struct dossier *d, const struct member *m)
{
	struct form_spec *s = dossier_form_new(t, d, _("Record a death"), save_death);
	if (s == NULL)
		return;
	struct dossier_ctx *c = s->ctx;
	c->m = *m;
	snprintf(c->id, sizeof c->id, "%s", m->id);
	form_add_text(&s->form, N_("Date of death"), 12, 10, valid_date, "");
	form_add_text(&s->form, N_("Death certificate"), 24, 20, valid_required, "");
	form_add_text(&s->form, N_("Cause"), 24, 20, valid_short, "");
	tui_push(t, &view_form, s);
}
