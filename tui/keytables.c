/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * keytables.c — one key table per screen (issue 15, point 6): for each
 * screen the keys it takes, each with the one label that the function-key
 * bar, the hint line above the status line and the F1 help all show, and
 * the permission the key needs (the bar dims a key the role may not use).
 * keys.c keeps what a key is (its codes and its general help); this file
 * says what it does on each screen.  tests/unit/test-keytables.c and
 * tests/tui/keytables.sh compare bar, hint and help for every table.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "tui/keys.h"
#include "tui/draw.h"

#include "core/base.h"
#include "core/roles.h"
#include "store/err.h"

#define H {K_HELP, N_("Help"), ACT_READ, NULL}
#define Q {K_QUIT, N_("Quit"), ACT_READ, NULL}
#define R {K_REFRESH, N_("Reload"), ACT_READ, NULL}
#define M {K_MENU, N_("Menu"), ACT_READ, NULL}
#define ESC_BACK {K_ESC, N_("Back"), ACT_READ, NULL}
#define TABS {K_TAB, N_("Other tabs"), ACT_READ, N_("Tab, Shift-Tab or ←/→: the other tabs")}
#define LIST_BASE ((KM_BASIC) & ~KM(K_CHAR))

static const struct screen_key k_login[] = { H, {K_ENTER, N_("Next"), ACT_READ, NULL}, Q };
static const struct screen_key k_firstrun[] = { H, {K_SAVE, N_("Create"), ACT_READ, N_("create the database")}, Q };
static const struct screen_key k_firstrun_demo[] = { Q };
static const struct screen_key k_dashboard[] = {
	H, {K_NEW, N_("New"), ACT_CASE, N_("open a new dossier on application")}, R, M, Q,
	{K_ENTER, N_("Open"), ACT_READ, N_("the list of the selected line")},
	{K_SEARCH, N_("Search"), ACT_READ, N_("by number, ID number, name or village")},
};
static const struct screen_key k_list[] = {
	H, {K_NEW, N_("New"), ACT_CASE, N_("open a new dossier on application")}, R,
	{K_STATUS, N_("Status"), ACT_READ, N_("filter by the next status")},
	{K_VILLAGE, N_("Village"), ACT_READ, N_("filter by the next village")}, Q,
	{K_ENTER, N_("Open"), ACT_READ, NULL}, {K_SEARCH, N_("Search"), ACT_READ, NULL},
	{K_PGDN, N_("Pages"), ACT_READ, N_("PgUp/PgDn pages, Home/End first/last")},
};
#define DOSSIER_COMMON H, R, M, Q, TABS, ESC_BACK
static const struct screen_key k_household[] = {
	{K_EDIT, N_("Edit"), ACT_CASE, N_("edit the household")}, DOSSIER_COMMON,
};
static const struct screen_key k_members[] = {
	{K_ADD, N_("Add"), ACT_CASE, N_("add a member")}, {K_EDIT, N_("Edit"), ACT_CASE, N_("edit the selected member")},
	{K_DEATH, N_("Death"), ACT_CASE, N_("record the death of the selected member")}, DOSSIER_COMMON,
};
static const struct screen_key k_finance[] = {
	{K_ADD, N_("Income"), ACT_CASE, N_("add an income item")}, {K_EDIT, N_("Assets"), ACT_CASE, N_("edit the assets")},
	{K_INFOCHECK, N_("Check"), ACT_CASE, N_("record an information-check result (信息核对)")},
	{K_EXPENSE, N_("Expense"), ACT_CASE, N_("add a rigid expense")}, DOSSIER_COMMON,
};
static const struct screen_key k_history[] = { {K_DOWN, N_("Scroll"), ACT_READ, N_("↑/↓ and PgUp/PgDn scroll")}, DOSSIER_COMMON };
static const struct screen_key k_checklist[] = {
	{K_RECEIVED, N_("Received"), ACT_CASE, N_("mark the item received today")},
	{K_SIGN, N_("Signed"), ACT_CASE, N_("toggle signed")}, {K_STAMP, N_("Stamped"), ACT_CASE, N_("toggle stamped")},
	{K_SCAN, N_("Attach"), ACT_CASE, N_("attach a scan (choose a file)")},
	{K_SCANS, N_("Scans"), ACT_READ, N_("list the item's scans")},
	{K_ENTER, N_("Date, note"), ACT_CASE, N_("the item's date and note")}, DOSSIER_COMMON,
};
/* the procedure's keys: which role may depends on the stage, which the
 * procedure tab says beside each action */
static const struct screen_key k_procedure[] = {
	{K_ADVANCE, N_("Advance"), ACT_READ, N_("advance to the next stage")},
	{K_REJECT, N_("Reject"), ACT_READ, N_("reject (with the reason)")},
	{K_REVIEW, N_("Review"), ACT_READ, N_("periodic review")},
	{K_EXITCASE, N_("Exit case"), ACT_READ, N_("exit the guarantee")},
	{K_CALC, N_("Calc"), ACT_READ, N_("calculation record")},
	{K_HEAD, N_("Head"), ACT_READ, N_("new head of household")}, DOSSIER_COMMON,
};
static const struct screen_key k_kin[] = {
	{K_FILE, N_("File"), ACT_KIN_FILE, N_("file the selected match (备案) with a note")},
	{K_CONFIRM, N_("Confirm"), ACT_KIN_CONFIRM, N_("confirm the filing (another user)")}, DOSSIER_COMMON,
};
static const struct screen_key k_files[] = {
	H, Q, {K_ENTER, N_("Open or attach"), ACT_READ, N_("open the folder or attach the file")},
	{K_BACKSPACE, N_("Up a folder"), ACT_READ, N_("Backspace or ←: the folder above")}, ESC_BACK,
};
static const struct screen_key k_form[] = {
	H, {K_SAVE, N_("Save"), ACT_READ, N_("save the form (nothing is written before)")}, Q, ESC_BACK,
	{K_LEFT, N_("Change choice"), ACT_READ, N_("←/→ or Space change a choice")},
};
/* a form of text fields only: no choice to change */
static const struct screen_key k_form_text[] = {
	H, {K_SAVE, N_("Save"), ACT_READ, N_("save the form (nothing is written before)")}, Q, ESC_BACK,
};
static const struct screen_key k_tool[] = {
	H, {K_SAVE, N_("Run"), ACT_READ, NULL}, Q, ESC_BACK,
};
static const struct screen_key k_batch[] = {
	H, {K_SAVE, N_("Print"), ACT_READ, N_("print every dossier chosen into one PDF")}, Q, ESC_BACK,
};
static const struct screen_key k_print[] = {
	H, {K_SAVE, N_("Print"), ACT_READ, N_("print the form")}, {K_VERIFY, N_("Verify"), ACT_READ, N_("verify the code typed")},
	Q, ESC_BACK,
};
static const struct screen_key k_screen[] = {
	H, {K_SAVE, N_("Show"), ACT_READ, N_("show the list (and write the files named)")}, Q, ESC_BACK,
};
static const struct screen_key k_import[] = {
	H, {K_SAVE, N_("Try"), ACT_READ, N_("a roster import is tried first: nothing is written")}, Q, ESC_BACK,
};
static const struct screen_key k_import_dry[] = {
	H, {K_SAVE, N_("Try again"), ACT_READ, NULL}, {K_RUN, N_("Import"), ACT_READ, N_("import for real after the dry run")},
	Q, ESC_BACK,
};
static const struct screen_key k_ledger[] = {
	H, {K_ADD, N_("Add"), ACT_LEDGER, NULL}, {K_EDIT, N_("Progress"), ACT_LEDGER, N_("add a progress note")}, R,
	{K_CLOSE, N_("Close"), ACT_LEDGER, N_("close (销号) the selected entry")},
	{K_SWITCH, N_("Other ledger"), ACT_READ, NULL}, {K_EXPORT, N_("CSV"), ACT_READ, N_("write the ledger shown as CSV")}, Q,
	{K_ENTER, N_("Show"), ACT_READ, N_("show the selected entry")},
};
static const struct screen_key k_lines[] = {
	H, Q, {K_ENTER, N_("Open dossier"), ACT_READ, N_("open the dossier of the line")}, ESC_BACK,
};
static const struct screen_key k_lines_visit[] = {
	H, {K_ADD, N_("Visit"), ACT_CASE, N_("record a visit outcome")}, Q,
	{K_ENTER, N_("Open dossier"), ACT_READ, N_("open the dossier of the line")}, ESC_BACK,
};
static const struct screen_key k_lock[] = { H, Q, {K_ENTER, N_("Unlock"), ACT_READ, NULL} };
static const struct screen_key k_menu[] = {
	H, {K_MENU, N_("Close view"), ACT_READ, N_("close the menu")}, Q,
	{K_ENTER, N_("Open"), ACT_READ, N_("Enter or the digit opens")}, ESC_BACK,
};
static const struct screen_key k_open[] = {
	H, Q, {K_ENTER, N_("Open"), ACT_READ, N_("Enter or the digit opens")}, ESC_BACK,
};
static const struct screen_key k_msgbox[] = {
	H, Q, {K_DOWN, N_("Scroll"), ACT_READ, N_("↑/↓ scroll")}, {K_ENTER, N_("Close view"), ACT_READ, N_("Enter or Esc closes")},
};
static const struct screen_key k_help[] = {
	{K_HELP, N_("Close view"), ACT_READ, NULL}, Q, {K_DOWN, N_("Scroll"), ACT_READ, N_("↑/↓ and PgUp/PgDn scroll")},
	{K_ESC, N_("Close view"), ACT_READ, NULL},
};
#define REG_COMMON H, R, {K_SWITCH, N_("Next list"), ACT_READ, NULL}, Q
static const struct screen_key k_reg_staff[] = {
	{K_ADD, N_("Add"), ACT_KIN_REGISTRY, N_("add a staff member")}, {K_EDIT, N_("Edit"), ACT_KIN_REGISTRY, NULL},
	{K_CLOSE, N_("End term"), ACT_KIN_REGISTRY, N_("end the selected staff member's term")},
	{K_DOSSIERS, N_("Dossiers"), ACT_READ, N_("the dossiers involving the selected staff member")},
	{K_ENTER, N_("Relatives"), ACT_READ, N_("the selected staff member's relatives")}, REG_COMMON,
};
static const struct screen_key k_reg_matches[] = {
	{K_ADD, N_("Re-scan"), ACT_KIN_REGISTRY, N_("re-scan every dossier")},
	{K_ENTER, N_("Open dossier"), ACT_READ, NULL}, REG_COMMON,
};
static const struct screen_key k_reg_read[] = { {K_ENTER, N_("Open dossier"), ACT_READ, NULL}, REG_COMMON };
static const struct screen_key k_reg_relatives[] = {
	{K_ADD, N_("Declare"), ACT_KIN_REGISTRY, N_("declare a relative")},
	{K_DELETE_ITEM, N_("Remove"), ACT_KIN_REGISTRY, N_("remove the selected relative")},
	{K_ESC, N_("Back to staff"), ACT_READ, NULL}, REG_COMMON,
};
#define SET_COMMON H, R, {K_SWITCH, N_("Next list"), ACT_READ, NULL}, Q
static const struct screen_key k_set_settings[] = {
	{K_ENTER, N_("Edit value"), ACT_SETTINGS, N_("edit the selected value")}, SET_COMMON,
};
static const struct screen_key k_set_standards[] = { {K_ADD, N_("Add standard"), ACT_SETTINGS, NULL}, SET_COMMON };
static const struct screen_key k_set_villages[] = { {K_ADD, N_("Add village"), ACT_SETTINGS, NULL}, SET_COMMON };
static const struct screen_key k_set_users[] = {
	{K_ADD, N_("Add user"), ACT_USERS, NULL}, {K_CLOSE, N_("Disable"), ACT_USERS, N_("disable the selected user")},
	{K_ENTER, N_("Password"), ACT_READ, N_("change the password (your own, or as administrator any)")}, SET_COMMON,
};
static const struct screen_key k_set_checklist[] = {
	{K_ADD, N_("Add item"), ACT_SETTINGS, NULL}, {K_ENTER, N_("Edit"), ACT_SETTINGS, N_("edit the selected item")},
	SET_COMMON,
};

#define DOSSIER_BASE (LIST_BASE | KM(K_REFRESH) | KM(K_MENU))
const struct key_table kt_login = KEY_TABLE("login", KM_BASIC, k_login);
const struct key_table kt_firstrun = KEY_TABLE("firstrun", KM_BASIC, k_firstrun);
const struct key_table kt_firstrun_demo = KEY_TABLE("firstrun.demo", KM(K_CHAR), k_firstrun_demo);
const struct key_table kt_dashboard = KEY_TABLE("dashboard",
    KM(K_UP) | KM(K_DOWN) | KM(K_LEFT) | KM(K_RIGHT) | KM(K_HOME) | KM(K_END), k_dashboard);
const struct key_table kt_list = KEY_TABLE("dossier-list", KM_BASIC & ~(KM(K_TAB) | KM(K_BTAB)), k_list);
const struct key_table kt_household = KEY_TABLE("dossier.household", DOSSIER_BASE, k_household);
const struct key_table kt_members = KEY_TABLE("dossier.members", DOSSIER_BASE, k_members);
const struct key_table kt_finance = KEY_TABLE("dossier.finance", DOSSIER_BASE, k_finance);
const struct key_table kt_history = KEY_TABLE("dossier.history", DOSSIER_BASE, k_history);
const struct key_table kt_checklist = KEY_TABLE("dossier.checklist", DOSSIER_BASE, k_checklist);
const struct key_table kt_procedure = KEY_TABLE("dossier.procedure", DOSSIER_BASE, k_procedure);
const struct key_table kt_kin = KEY_TABLE("dossier.kin", DOSSIER_BASE, k_kin);
const struct key_table kt_files = KEY_TABLE("files", KM_BASIC, k_files);
const struct key_table kt_form = KEY_TABLE("form", KM_BASIC, k_form);
const struct key_table kt_form_text = KEY_TABLE("form.text", KM_BASIC, k_form_text);
const struct key_table kt_archive = KEY_TABLE("archive", KM_BASIC, k_tool);
const struct key_table kt_safety = KEY_TABLE("safety", KM_BASIC, k_tool);
const struct key_table kt_batch = KEY_TABLE("batch", KM_BASIC, k_batch);
const struct key_table kt_print = KEY_TABLE("print", KM_BASIC, k_print);
const struct key_table kt_screen = KEY_TABLE("screen", KM_BASIC, k_screen);
const struct key_table kt_import = KEY_TABLE("import", KM_BASIC, k_import);
const struct key_table kt_import_dry = KEY_TABLE("import.dry", KM_BASIC, k_import_dry);
const struct key_table kt_ledger = KEY_TABLE("ledger", LIST_BASE, k_ledger);
const struct key_table kt_lines = KEY_TABLE("lines", LIST_BASE, k_lines);
const struct key_table kt_lines_visit = KEY_TABLE("lines.visit", LIST_BASE, k_lines_visit);
const struct key_table kt_lock = KEY_TABLE("lock", KM_BASIC, k_lock);
const struct key_table kt_menu = KEY_TABLE("menu", KM_BASIC, k_menu);
const struct key_table kt_payment = KEY_TABLE("payment", KM_BASIC, k_open);
const struct key_table kt_reports = KEY_TABLE("reports", KM_BASIC, k_open);
const struct key_table kt_msgbox = KEY_TABLE("msgbox", LIST_BASE, k_msgbox);
const struct key_table kt_help = KEY_TABLE("help", KM(K_UP) | KM(K_DOWN) | KM(K_PGUP) | KM(K_PGDN) | KM(K_ENTER), k_help);
const struct key_table kt_reg_staff = KEY_TABLE("registry.staff", LIST_BASE, k_reg_staff);
const struct key_table kt_reg_matches = KEY_TABLE("registry.matches", LIST_BASE, k_reg_matches);
const struct key_table kt_reg_filings = KEY_TABLE("registry.filings", LIST_BASE, k_reg_read);
const struct key_table kt_reg_unfiled = KEY_TABLE("registry.unfiled", LIST_BASE, k_reg_read);
const struct key_table kt_reg_relatives = KEY_TABLE("registry.relatives", LIST_BASE, k_reg_relatives);
const struct key_table kt_set_settings = KEY_TABLE("settings.settings", LIST_BASE, k_set_settings);
const struct key_table kt_set_standards = KEY_TABLE("settings.standards", LIST_BASE, k_set_standards);
const struct key_table kt_set_villages = KEY_TABLE("settings.villages", LIST_BASE, k_set_villages);
const struct key_table kt_set_users = KEY_TABLE("settings.users", LIST_BASE, k_set_users);
const struct key_table kt_set_checklist = KEY_TABLE("settings.checklist", LIST_BASE, k_set_checklist);

const struct key_table *const all_key_tables[] = {
	&kt_login, &kt_firstrun, &kt_firstrun_demo, &kt_dashboard, &kt_list, &kt_household, &kt_members,
	&kt_finance, &kt_history, &kt_checklist, &kt_procedure, &kt_kin, &kt_files, &kt_form, &kt_form_text, &kt_archive,
	&kt_safety, &kt_batch, &kt_print, &kt_screen, &kt_import, &kt_import_dry, &kt_ledger, &kt_lines,
	&kt_lines_visit, &kt_lock, &kt_menu, &kt_payment, &kt_reports, &kt_msgbox, &kt_help, &kt_reg_staff,
	&kt_reg_matches, &kt_reg_filings, &kt_reg_unfiled, &kt_reg_relatives, &kt_set_settings,
	&kt_set_standards, &kt_set_villages, &kt_set_users, &kt_set_checklist,
};
const int n_all_key_tables = (int)(sizeof all_key_tables / sizeof all_key_tables[0]);

const struct key_table *
key_table_named(const char *name)
{
	for (int i = 0; i < n_all_key_tables; i++)
		if (strcmp(all_key_tables[i]->name, name) == 0)
			return all_key_tables[i];
	return NULL;
}

unsigned long long
key_table_mask(const struct key_table *kt)
{
	unsigned long long m = kt->base;
	for (int i = 0; i < kt->n; i++)
		m |= KM(kt->k[i].a);
	return m;
}

static const struct keydef *
keydef_of(enum action_id a)
{
	for (int i = 0; i < n_keydefs; i++)
		if (keydefs[i].action == a)
			return &keydefs[i];
	return NULL;
}

int
key_fnum(enum action_id a)
{
	const struct keydef *k = keydef_of(a);
	return k ? k->fkey : 0;
}

const char *
key_table_keyname(enum action_id a)
{
	const struct keydef *k = keydef_of(a);
	if (k == NULL)
		return "";
	if (a == K_TAB)
		return "Tab";
	/* "F5 Ctrl-R": the first is the one to show */
	static char b[32];
	snprintf(b, sizeof b, "%s", k->keys);
	char *sp = strchr(b, ' ');
	if (sp)
		*sp = '\0';
	return b;
}

int
key_table_fkeys(const struct key_table *kt, const struct screen_key **out, int max)
{
	int n = 0;
	for (int f = 1; f <= 12; f++)
		for (int i = 0; i < kt->n && n < max; i++)
			if (key_fnum(kt->k[i].a) == f)
				out[n++] = &kt->k[i];
	return n;
}

/* keys on the bar of (nearly) every screen: the bar and the help show
 * them, the hint line does not repeat them */
static bool
common_key(enum action_id a)
{
	return a == K_HELP || a == K_QUIT || a == K_REFRESH || a == K_MENU;
}

/* one "KEY label" more, when it fits whole in cols columns (0: any) */
static void
add(char *out, size_t size, int cols, const char *key, const char *label)
{
	size_t l = strlen(out);
	char one[256];
	snprintf(one, sizeof one, "%s%s %s", l ? "  " : "", key, label);
	if (cols > 0 && text_width(out) + text_width(one) > cols)
		return;
	if (l + strlen(one) < size)
		memcpy(out + l, one, strlen(one) + 1);
}

void
key_table_hint(const struct key_table *kt, enum role r, char *out, size_t size)
{
	key_table_hint_cols(kt, r, 0, out, size);
}

void
key_table_hint_cols(const struct key_table *kt, enum role r, int cols, char *out, size_t size)
{
	const struct screen_key *fk[16];
	int n = key_table_fkeys(kt, fk, 16);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		if (!common_key(fk[i]->a) && role_may(r, fk[i]->act))
			add(out, size, cols, key_table_keyname(fk[i]->a), _(fk[i]->label));
	for (int i = 0; i < kt->n; i++)
		if (!key_fnum(kt->k[i].a) && role_may(r, kt->k[i].act))
			add(out, size, cols, key_table_keyname(kt->k[i].a), _(kt->k[i].label));
}

void
key_table_bar(const struct key_table *kt, char *out, size_t size)
{
	const struct screen_key *fk[16];
	int n = key_table_fkeys(kt, fk, 16);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t l = strlen(out);
		if (l < size)
			snprintf(out + l, size - l, "%s%d%s", i ? " " : "", key_fnum(fk[i]->a), _(fk[i]->label));
	}
}
