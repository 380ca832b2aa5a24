/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * widgets.h — what a clerk types into: the one-line (or wrapping) text
 * field edited by character (widget-field.c), and forms of labelled
 * fields with validation on leaving and F2 to save (form.c), with the
 * common validators.
 */
#ifndef DIBAO_TUI_WIDGETS_H
#define DIBAO_TUI_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>

#include "core/base.h"
#include "core/terms.h"
#include "tui/keys.h"

struct err;
/* ---- widget-field.c: a one-line text field edited by character --------- */

/* characters: a clerk's paragraph (complaint content, progress notes,
 * findings, review notes) takes 1,000 and more */
#define FIELD_MAX 1200
struct field {
	wchar_t buf[FIELD_MAX + 1];
	int len, cur, scroll;
	int maxlen;     /* characters */
	bool secret;    /* shown as stars */
	bool digits;    /* only ASCII digits, X and - accepted */
	int rows;       /* rows it is drawn on: > 1 wraps (a paragraph) */
};
void field_init(struct field *f, int maxlen);
void field_set(struct field *f, const char *utf8);
/* UTF-8 text; returns its length or -1 if it does not fit */
int field_get(const struct field *f, char *out, size_t size);
/* Handle an action; true if the text changed. */
bool field_key(struct field *f, enum action_id a, wint_t ch);
/* Draw in w columns; when focused returns the cursor column (else -1). */
int field_draw(struct field *f, int y, int x, int w, bool focused);
/* A field of f->rows rows, its text wrapped at w columns (never a wide
 * character split): scrolled by whole rows to keep the cursor in view.
 * When focused sets *cy, *cx to the cursor and returns 0, else -1. */
int field_draw_rows(struct field *f, int y, int x, int w, bool focused, int *cy, int *cx);

/* ---- form.c: labelled fields, validation on leaving, F2 to save --------- */

enum fkind { FK_TEXT, FK_CHOICE };
struct form_field;
/* Validate the field's text; 0 ok, else -1 with a translated reason. */
typedef int (*fvalid_fn)(const char *text, const char **why);
struct form_field {
	const char *label;     /* msgid */
	enum fkind kind;
	struct field f;
	int width;             /* columns of the field */
	fvalid_fn valid;
	const struct term *terms; /* FK_CHOICE */
	int nterms, choice;
	char typed[32];        /* FK_CHOICE: the characters typed to pick a term */
	char init[FIELD_MAX * 4 + 1]; /* text or choice as loaded, to see changes */
	char text[FIELD_MAX * 4 + 1]; /* form_text's answer: each field its own */
	int init_choice;
	const char *why;       /* reason shown beside it, translated */
};
#define FORM_MAX 16
struct form {
	const char *title;
	int n, focus;
	struct form_field ff[FORM_MAX];
	bool asking;           /* "discard changes?" */
};
int form_add_text(struct form *fm, const char *label, int width, int maxlen, fvalid_fn v, const char *init);
int form_add_choice(struct form *fm, const char *label, const struct term *t, int n, int init);
/* characters a paragraph field takes (at least 1,000) */
#define PARAGRAPH_CHARS 1100
/* A paragraph: maxlen characters in a field of rows rows, wrapping over
 * the rest of the line (complaint content, progress notes, findings) */
int form_add_long(struct form *fm, const char *label, int rows, int maxlen, fvalid_fn v, const char *init);
/* 否/是 for a yes-or-no choice: index 1 is yes */
extern const struct term yes_no_terms[2];
bool form_changed(const struct form *fm, int i);
bool form_dirty(const struct form *fm);
/* Validate every field; index of the first bad one or -1 */
int form_validate(struct form *fm);
/* Text of field i (UTF-8), in the field's own buffer: valid until the
 * field changes, however many other fields are read meanwhile */
const char *form_text(const struct form *fm, int i);
enum form_result { FR_NONE, FR_REDRAW, FR_SAVE, FR_CANCEL, FR_SUBMIT };
enum form_result form_key(struct form *fm, enum action_id a, wint_t ch);
struct tui;
/* A tool screen's key: Esc (no question open) and cancel close the screen;
 * what form_key said (FR_CANCEL for Esc) */
enum form_result form_tool_key(struct tui *t, struct form *fm, enum action_id a, wint_t ch);
/* The same, and F2 runs run(t, data) when every field is valid (its
 * refusal on the status line); RD_VIEW */
int form_action_key(struct tui *t, struct form *fm, enum action_id a, wint_t ch,
    int (*run)(struct tui *, void *, struct err *), void *data);
/* A tool screen is a form whose F2 runs something (the archive, batch
 * printing, printing, import, the screening lists, data safety): its
 * drawing under the form's title with the help line, and its keys. */
void form_tool_draw(struct tui *t, struct form *fm, const char *help);
unsigned long long form_tool_keys(void *data);
/* Draw from row y; sets *cy,*cx to the cursor */
void form_draw(struct form *fm, int y, int *cy, int *cx);
/* common validators */
int valid_required(const char *s, const char **why);
int valid_id(const char *s, const char **why);
int valid_id_optional(const char *s, const char **why);
int valid_date(const char *s, const char **why);
int valid_past_date(const char *s, const char **why);   /* a date, today or before */
int valid_date_optional(const char *s, const char **why);
/* date_parse where an empty text is no date (0) */
int date_parse_optional(const char *s, dbdate_t *d, const char **why);
int valid_month(const char *s, const char **why);
int valid_money(const char *s, const char **why);
int valid_count(const char *s, const char **why);
int valid_grade(const char *s, const char **why);
int valid_name(const char *s, const char **why);
int valid_short(const char *s, const char **why);
/* a paragraph (TEXT_NOTE bytes): required, or optional */
int valid_long_required(const char *s, const char **why);
int valid_long(const char *s, const char **why);

/* ---- widget-login.c: user name and password, paused after wrong tries --
 * the login screen and the lock screen ask the same way */
struct login_form {
	struct form form;      /* [0] user name, [1] password (stars) */
	int failures;
	time_t paused_until;   /* 0: not paused */
};
/* The two fields; the password focused when focus_password */
void login_form_init(struct login_form *lf, const char *user, bool focus_password);
/* seconds of the pause after too many wrong passwords, 0 none */
long login_form_wait(const struct login_form *lf);
/* Below the form at row y: the countdown while paused (no cursor), else
 * hint, the cursor where form_draw put it (cy, cx). */
void login_form_status(struct tui *t, const struct login_form *lf, int y, const char *hint, int cy, int cx);
/* The user name and password typed; false (the user name focused) when
 * the user name is empty. */
bool login_form_read(struct login_form *lf, char *user, size_t usize, char *pw, size_t pwsize);
/* A refused password: pw wiped, the field cleared and focused, e shown;
 * the third wrong try in a row pauses a few seconds. */
void login_form_refused(struct tui *t, struct login_form *lf, char *pw, size_t pwsize, const struct err *e);
/* A key: LF_SUBMIT on Enter in the password, LF_NONE when not taken
 * (paused, Esc), else LF_EDITED */
enum { LF_NONE, LF_EDITED, LF_SUBMIT };
int login_form_key(struct login_form *lf, enum action_id a, wint_t ch);
/* the tick: true while the countdown needs redrawing (one last time at 0) */
bool login_form_tick(struct login_form *lf);

#endif
