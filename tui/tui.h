/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui.h — the ncurses console: views as tables of function pointers, one
 * key table, width-aware drawing, a field editor and forms.  No rule lives
 * here: every change goes through the same store functions as the command
 * line.
 */
#ifndef DIBAO_TUI_H
#define DIBAO_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "core/core.h"
#include "store/env.h"
#include "store/err.h"
#include "print/forms.h"

/* ---- keys.c: named actions, their keys and help (one table) ------------ */

enum action_id {
	K_NONE = 0, K_CHAR, K_UP, K_DOWN, K_LEFT, K_RIGHT, K_ENTER, K_ESC, K_TAB, K_BTAB,
	K_PGUP, K_PGDN, K_HOME, K_END, K_BACKSPACE, K_DELETE, K_SEARCH,
	K_HELP, K_SAVE, K_ADD, K_EDIT, K_REFRESH, K_DEATH, K_STATUS, K_EXPENSE, K_VILLAGE,
	K_QUIT, K_MENU, K_RECEIVED, K_SIGN, K_STAMP, K_SCAN, K_SCANS, K_ADVANCE, K_REJECT, K_REVIEW,
	K_EXITCASE, K_CALC, K_HEAD, K_FILE, K_CONFIRM, K_CLOSE, K_DELETE_ITEM, K_SWITCH, K_VERIFY, K_RUN,
	K_INFOCHECK, K_NEW, K_EXPORT, K_DOSSIERS,
	K_LOCK, /* i14: F12 locks the console (main.c handles it in every view) */
	K__N
};
#define KM(a) (1ull << (a))
/* actions every view receives (movement and editing) */
#define KM_BASIC (KM(K_CHAR) | KM(K_UP) | KM(K_DOWN) | KM(K_LEFT) | KM(K_RIGHT) | KM(K_ENTER) | \
    KM(K_ESC) | KM(K_TAB) | KM(K_BTAB) | KM(K_PGUP) | KM(K_PGDN) | KM(K_HOME) | KM(K_END) | \
    KM(K_BACKSPACE) | KM(K_DELETE) | KM(K_HELP) | KM(K_QUIT))

struct keydef {
	enum action_id action;
	int codes[3];          /* KEY_* (function keys) or ASCII control codes */
	const char *keys;      /* as shown in help: "F2", "Tab" */
	const char *bar;       /* short label for the function-key bar, or NULL */
	int fkey;              /* F-number shown in the bar, 0 none */
	const char *help;      /* msgid */
};
extern const struct keydef keydefs[];
extern const int n_keydefs;
/* The action of a key (get_wch result r, value ch) among those in mask. */
enum action_id key_action(int r, wint_t ch, unsigned long long mask);

/* ---- keytables.c: one key table per screen (issue 15 point 6) ---------- */

/* A key of one screen: its action, what it does there (msgid: the bar, the
 * hint line and the F1 help all show this one label) and the permission it
 * needs (ACT_READ: anyone; the bar dims it for a role that may not). */
struct screen_key {
	enum action_id a;
	const char *label;
	enum action act;
	const char *help;      /* msgid: a longer word for F1 help, or NULL */
};
struct key_table {
	const char *name;              /* the screen, as the tests name it */
	unsigned long long base;       /* movement and editing it takes besides */
	const struct screen_key *k;
	int n;
};
#define KEY_TABLE(nm, b, arr) {nm, b, arr, (int)(sizeof arr / sizeof arr[0])}
/* every screen's table, for the tests */
extern const struct key_table *const all_key_tables[];
extern const int n_all_key_tables;
/* the table of a screen by name; NULL when none */
const struct key_table *key_table_named(const char *name);
/* actions the screen takes: its base and every key of its table */
unsigned long long key_table_mask(const struct key_table *kt);
/* The key of action a as shown ("F3", "Enter"); "" when it has none */
const char *key_table_keyname(enum action_id a);
/* The hint line: "F3 新增  F4 修改 …" (translated), the F-keys in number
 * order then the others, each with its label; only those the role may. */
void key_table_hint(const struct key_table *kt, enum role r, char *out, size_t size);
/* the same in at most cols columns: the keys that do not fit whole are
 * left off (the bar and F1 show them) */
void key_table_hint_cols(const struct key_table *kt, enum role r, int cols, char *out, size_t size);
/* The table's function keys in F-number order (at most max); how many */
int key_table_fkeys(const struct key_table *kt, const struct screen_key **out, int max);
/* the F-number of action a (0 none) */
int key_fnum(enum action_id a);
/* The function-key bar as text: "1帮助 3新增 …" (translated) */
void key_table_bar(const struct key_table *kt, char *out, size_t size);
/* F1 help's argument: the screen's keys (its table when it has one) */
struct help_arg { unsigned long long mask; const struct key_table *kt; enum role role; bool logged_in; };
/* setting-words.c (issue 15): a setting's Chinese name and its value in
 * words, as the console shows them */
const char *setting_name(const char *key);
const char *setting_about(const char *key, const char *help);
void setting_value_words(const char *key, const char *val, char *out, size_t size);
extern const char *const rounding_words[];
/* the top view's table (NULL for a view without one) */
struct tui;
const struct key_table *tui_key_table(struct tui *t);
/* the hint line of the top view for the user's role, in COLS columns */
const char *tui_hint(struct tui *t);
/* the same in at most cols columns */
const char *tui_hint_cols(struct tui *t, int cols);

/* ---- draw.c: text by display columns ------------------------------------ */

/* Display width of UTF-8 text (invalid bytes count as U+FFFD). */
int text_width(const char *s);
/* Draw s at (y, x) in exactly w columns: clipped without splitting a wide
 * character, padded with spaces.  Returns the columns used by text. */
int draw_text(int y, int x, int w, const char *s, int attr);
/* Draw s in w columns; cut, it ends in an ellipsis after whole
 * characters (issue 15 point 9) */
int draw_text_ellipsis(int y, int x, int w, const char *s, int attr);
/* A message wrapped over up to max_rows rows ending at row bottom: rows drawn */
int draw_message(int bottom, int w, const char *s, int attr, int max_rows);
/* Same, right-aligned. */
void draw_text_right(int y, int x, int w, const char *s, int attr);
/* Decode UTF-8 into wide characters (U+FFFD for invalid bytes). */
size_t utf8_to_wcs(const char *s, wchar_t *out, size_t max);
/* Width of one character as drawn (controls and unknowns count 1). */
int wc_cols(wchar_t c);
void draw_hline(int y, int x, int w, int attr);
int draw_tab_row(int y, const char *const *names, int n, int current, int also);
/* Rows of cells separated by tabs: each column as wide as its widest cell
 * plus two (at most max); draw_tabbed draws a row in those columns, the
 * last cell taking the rest of width. */
void tab_widths(char *const *rows, int n, int *w, int ncols, int max);
void draw_tabbed(int y, int x, int width, const char *s, const int *w, int ncols, int attr);
#define TAB_COLS 10
void draw_box_title(int y, const char *title);
/* The hint above the status line: what this screen's keys do and, when
 * the clerk's role may not use them, why (NULL: it may).  Both on one line
 * where they fit, else the reason on the line above: hint_lines says how
 * many lines that takes, so a list can stop short of it. */
int hint_lines(const char *help, const char *why);
void draw_hint(const char *help, const char *why, int attr);

/* attributes (colour or monochrome) */
enum { AT_TITLE, AT_SEL, AT_ERR, AT_BARKEY, AT_BARLBL, AT_LABEL, AT_FIELD, AT_FOCUS, AT_TAB, AT__N };
extern int attrs[AT__N];
void attrs_init(void);

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

/* ---- main.c: the loop, the view stack, the status line ----------------- */

enum redraw { RD_NONE = 0, RD_VIEW = 1 };

struct tui;
struct view {
	const char *name;
	void *(*init)(struct tui *t, void *arg);
	void (*free)(void *data);
	/* draw the view between the title row and the status line */
	void (*draw)(struct tui *t, void *data);
	void (*resize)(struct tui *t, void *data);
	/* returns enum redraw; never draws */
	int (*key)(struct tui *t, void *data, enum action_id a, wint_t ch);
	/* actions this view understands (selects the bar and key meanings) */
	unsigned long long (*keys)(void *data);
	/* its key table (issue 15): when set, the mask, the bar, the hint and
	 * F1 help all come from it and keys is not used */
	const struct key_table *(*table)(void *data);
	/* called about twice a second (login pause); returns enum redraw */
	int (*tick)(struct tui *t, void *data);
	/* something typed and not saved (F10 asks before leaving); NULL: never */
	bool (*dirty)(void *data);
};

#define VIEW_DEPTH 8
struct tui {
	struct store *st;
	const char *data_dir;
	struct user user;
	bool logged_in;
	char title[256];
	char status[sizeof ((struct err *)0)->msg];
	bool status_err;
	struct { const struct view *v; void *data; } stack[VIEW_DEPTH];
	int depth;
	bool quit;
	int cy, cx;            /* cursor to show after a draw, cy < 0 hidden */
	int generation;        /* bumped by every successful save */
	bool quit_asking;      /* F10 with unsaved input: "leave anyway?" */
};

/* Open a view on top; false (and "out of memory" on the status line) when
 * its init returned NULL.  A view without data of its own has no init. */
bool tui_push(struct tui *t, const struct view *v, void *arg);
void tui_pop(struct tui *t);
/* Replace the whole stack by one view; false and the stack kept when the
 * view cannot open */
bool tui_reset(struct tui *t, const struct view *v, void *arg);
void tui_msg(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const struct err *e);
void tui_clear_msg(struct tui *t);
/* "out of memory" on the status line: the action was not taken */
void tui_oom(struct tui *t);
/* Draw everything now (progress during a long store call). */
void tui_draw_now(struct tui *t);
/* progress of a long job on the status line; true when Esc asks to cancel */
bool tui_progress(int done, int total, void *baton);
/* rows available to a view: 1 .. LINES-3 */
#define VIEW_TOP 1
#define VIEW_ROWS (LINES - 3)

/* ---- the views ------------------------------------------------------------ */

extern const struct view view_login, view_firstrun, view_dashboard, view_dossier_list,
    view_dossier, view_help, view_form;
/* view-lock.c (i14): the console lock and handover */
extern const struct view view_lock;
void tui_lock(struct tui *t);
void tui_key_seen(void);
bool tui_idle_lock(struct tui *t);

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
	unsigned long long keys;
};
extern const struct dossier_tab tab_checklist, tab_procedure, tab_kin;

/* view-msgbox.c: a scrollable box of lines (every reason of a refusal) */
void tui_msgbox(struct tui *t, const char *title, const char *text);
/* The error as a box when it has several lines, else on the status line. */
void tui_refusal(struct tui *t, const struct err *e);
/* role_may with the reason shown: true if allowed, else false and the
 * status line says which role may. */
bool tui_may(struct tui *t, enum action act);
const char *tui_role_reason(struct tui *t, enum action act);
/* The roles that may do act, as 经办人、审核人 */
void tui_roles_for(enum action act, char *who, size_t size);

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
