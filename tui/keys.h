/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * keys.h — the console's keys: named actions and the codes that give them
 * (keys.c), and one key table per screen (keytables.c) from which the
 * F-key bar, the hint line and F1 help are all drawn.
 */
#ifndef DIBAO_TUI_KEYS_H
#define DIBAO_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "core/roles.h"

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

#endif
