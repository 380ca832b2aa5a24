/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * views.h — the console's screens (view-*.c) and how one opens another:
 * the form view given a spec, the dossier's forms and tabs, lists of
 * lines, one-field prompts.
 */
#ifndef DIBAO_TUI_VIEWS_H
#define DIBAO_TUI_VIEWS_H

#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/err.h"
#include "tui/tui.h"
#include "tui/widgets.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

/* ---- the views ------------------------------------------------------------ */

extern const struct view view_login, view_firstrun, view_dashboard, view_dossier_list,
    view_dossier, view_help, view_form;

/* arguments */
struct list_arg { int status; };

/* view-form.c: a form view given a spec */
/* save: 0 saved (the view pops), -1 with e set */
typedef int (*form_save_fn)(struct tui *t, struct form *fm, void *ctx, struct err *e);
struct form_spec {
	struct form form;
	form_save_fn save;
	void *ctx;              /* freed with free() by the view */
	/* after a save, the form closed: what comes next (open the dossier
	 * just created), given ctx */
	void (*then)(struct tui *t, void *ctx);
};
/* A spec for view_form with a zeroed context of ctx_size bytes (none when
 * 0); NULL with "out of memory" on the status line. */
struct form_spec *form_spec_new(struct tui *t, const char *title, form_save_fn save, size_t ctx_size);

/* view-member-form.c, view-finance.c: open the forms of a dossier */
struct dossier_ctx {
	char no[DOSSIER_NO_LEN + 1];
	uint32_t version;       /* as loaded: compared before saving */
	char id[ID_LEN + 1];    /* the member edited */
	struct member m;        /* its values as loaded */
	struct assets a;
	/* issue 15: the members to pick from (the income form): [0] none */
	struct term pick[MAX_MEMBERS + 1];
	char pick_text[MAX_MEMBERS + 1][NAME_MAX_BYTES + ID_LEN + 8];
	char pick_id[MAX_MEMBERS + 1][ID_LEN + 1];
	int n_pick;
};
void open_member_form(struct tui *t, const struct dossier *d, const struct member *m);
void open_death_form(struct tui *t, const struct dossier *d, const struct member *m);
void open_income_form(struct tui *t, const struct dossier *d);
void open_expense_form(struct tui *t, const struct dossier *d);
void open_assets_form(struct tui *t, const struct dossier *d);
void open_infocheck_form(struct tui *t, const struct dossier *d);
/* view-finance.c: the finances tab of the dossier screen from row y:
 * incomes, expenses, assets, information checks, within the view's rows */
void draw_finance(const struct dossier *d, int y);
/* out-path.c: ~/低保输出/STEM.EXT (the folder made, an existing file never
 * replaced: STEM-2.EXT…) for a file whose path the clerk left empty */
int default_out_path(const char *stem, const char *ext, char *out, size_t size, struct err *e);
/* village-field.c: the township's villages as a choice field (a text
 * field while there are none); vt must live as long as the form */
#define VILLAGE_CHOICES 64
struct village_terms { struct term t[VILLAGE_CHOICES]; char name[VILLAGE_CHOICES][TEXT_SHORT]; int n; };
int form_add_village(struct tui *t, struct form *fm, struct village_terms *vt, const char *current);
/* the township's village names, at most max; returns how many */
int village_names(struct tui *t, char (*name)[TEXT_SHORT], int max);
void open_household_form(struct tui *t, const struct dossier *d);  /* view-household.c */
void open_scan_chooser(struct tui *t, const char *no, const char *code); /* view-files.c */
void open_new_dossier_form(struct tui *t);                              /* view-dossier-new.c */
/* a form on the dossier: its context a struct dossier_ctx of d; NULL when
 * out of memory (said) */
struct form_spec *dossier_form_new(struct tui *t, const struct dossier *d, const char *title, form_save_fn save);
/* 0 unchanged; -1 someone else changed it (message set) or error */
int dossier_check_version(struct tui *t, const struct dossier_ctx *c, struct err *e);

/* view-dossier.c */
struct dossier_arg { char no[DOSSIER_NO_LEN + 1]; };
void open_dossier(struct tui *t, const char *no);
/* the number of the dossier screen under the top view, "" when none */
const char *tui_current_dossier(struct tui *t);
/* history-words.c: an audit detail (JSON) as Chinese "label：value"
 * pairs, amounts in yuan */
void history_words(const char *detail, char *out, size_t size);
/* Mask long digit runs (ID numbers, accounts) in an audit detail: lists of
 * the audit trail never show them whole. */
void mask_numbers(char *s);

/* A tab of the dossier screen kept in its own file (view-checklist.c,
 * view-procedure.c, view-kin.c): its state is private (init/free), load
 * reads what it shows when the dossier is (re)loaded, draw starts at row
 * y, key returns enum redraw. */
struct dossier_tab {
	const char *name;      /* msgid */
	void *(*init)(void);
	void (*free)(void *p);
	void (*load)(struct tui *t, const struct dossier *d, void *p);
	void (*draw)(struct tui *t, const struct dossier *d, void *p, int y);
	int (*key)(struct tui *t, const struct dossier *d, void *p, enum action_id a, wint_t ch);
	/* its keys are in its key table (keytables.c), not here */
};
extern const struct dossier_tab tab_checklist, tab_procedure, tab_kin;

/* view-lines.c: a list of text lines, Enter opens the dossier of a line */
struct lines_arg {
	const char *title;
	char **text;           /* malloc'd lines, owned by the view from now on */
	char **dossier;        /* malloc'd, NULL or "" where none */
	int n;
};
void open_lines(struct tui *t, const char *title, char **text, char **dossier, int n);
/* a growing list for open_lines */
struct linebuf { char **text, **dossier; int n, cap; };
int linebuf_add(struct linebuf *b, const char *dossier, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void linebuf_free(struct linebuf *b);
void linebuf_open(struct tui *t, struct linebuf *b, const char *title);
/* F3 on a line: a prompt whose fn gets a struct line_ctx as ctx */
struct line_ctx { int arg; char no[DOSSIER_NO_LEN + 1]; };
struct line_act {
	const char *title, *label, *help;  /* msgids */
	int (*fn)(struct tui *t, const char *text, void *ctx, struct err *e);
	int arg;
};
void linebuf_open_act(struct tui *t, struct linebuf *b, const char *title, const struct line_act *act);

/* view-prompt.c: one-field forms for an action (a reason, a path, a note) */
typedef int (*prompt_fn)(struct tui *t, const char *text, void *ctx, struct err *e);
/* ctx is copied (size bytes) and freed with the form */
void open_prompt(struct tui *t, const char *title, const char *label, const char *init, int maxlen,
    fvalid_fn valid, prompt_fn fn, const void *ctx, size_t size);
/* The same for an action that answers in lines: fn adds them to b (0), or
 * sets e (-1); the lines open under list_title once the prompt closes. */
typedef int (*lines_fn)(struct tui *t, const char *text, void *ctx, struct linebuf *b, struct err *e);
void open_prompt_lines(struct tui *t, const char *title, const char *label, const char *init, int maxlen,
    fvalid_fn valid, lines_fn fn, const void *ctx, size_t size, const char *list_title);

/* view-menu.c and the screens it opens */
extern const struct view view_menu, view_ledger, view_reports, view_print, view_import, view_settings,
    view_registry, view_msgbox, view_lines, view_screen, view_archive, view_batch, view_safety;
extern const struct view view_payment; /* issue 13 */

#endif
