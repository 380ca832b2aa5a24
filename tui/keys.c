/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * keys.c — the one key table: named actions with their keys and help
 * text.  The F1 help screen and the bottom function-key bar are generated
 * from it; a view says which actions it understands, which also settles a
 * key shared by two views (F7: status filter in the list, expense in the
 * finances; F6: a death on the members tab, an information check on the
 * finances tab).
 */
#include "config.h"

#include <curses.h>

#include "tui/keys.h"
#include "core/base.h"

#define CTRL(c) ((c) & 0x1f)

const struct keydef keydefs[] = {
	{K_HELP, {KEY_F(1)}, "F1", N_("Help"), 1, N_("this help screen")},
	{K_SAVE, {KEY_F(2)}, "F2", N_("Save"), 2, N_("save the form (nothing is written before)")},
	{K_ADD, {KEY_F(3)}, "F3", N_("Add"), 3, N_("add a member, or an income item on the finances tab")},
	{K_EDIT, {KEY_F(4)}, "F4", N_("Edit"), 4, N_("edit the selected member, or the assets on the finances tab")},
	{K_REFRESH, {KEY_F(5), CTRL('r')}, "F5 Ctrl-R", N_("Reload"), 5, N_("read again what other clerks may have changed")},
	{K_DEATH, {KEY_F(6)}, "F6", N_("Death"), 6, N_("record the death of the selected member")},
	{K_STATUS, {KEY_F(7)}, "F7", N_("Status"), 7, N_("dossier list: filter by the next status")},
	{K_EXPENSE, {KEY_F(7)}, "F7", N_("Expense"), 7, N_("finances tab: add a rigid expense")},
	{K_INFOCHECK, {KEY_F(6)}, "F6", N_("Check"), 6, N_("finances tab: record an information-check result (信息核对)")},
	{K_VILLAGE, {KEY_F(8)}, "F8", N_("Village"), 8, N_("dossier list: filter by the next village")},
	{K_RECEIVED, {KEY_F(3)}, "F3", N_("Received"), 3, N_("checklist tab: mark the item received today")},
	{K_SIGN, {KEY_F(4)}, "F4", N_("Signed"), 4, N_("checklist tab: toggle signed")},
	{K_STAMP, {KEY_F(6)}, "F6", N_("Stamped"), 6, N_("checklist tab: toggle stamped")},
	{K_SCAN, {KEY_F(7)}, "F7", N_("Attach"), 7, N_("checklist tab: attach a scan (choose a file)")},
	{K_SCANS, {KEY_F(8)}, "F8", N_("Scans"), 8, N_("checklist tab: list the item's scans")},
	{K_ADVANCE, {KEY_F(3)}, "F3", N_("Advance"), 3, N_("procedure tab: advance to the next stage")},
	{K_REJECT, {KEY_F(4)}, "F4", N_("Reject"), 4, N_("procedure tab: reject the case with a reason")},
	{K_REVIEW, {KEY_F(6)}, "F6", N_("Review"), 6, N_("procedure tab: periodic review")},
	{K_EXITCASE, {KEY_F(7)}, "F7", N_("Exit case"), 7, N_("procedure tab: exit the guarantee with a reason")},
	{K_CALC, {KEY_F(8)}, "F8", N_("Calc"), 8, N_("procedure tab: the stored calculation and that of a month")},
	{K_HEAD, {KEY_F(11)}, "F11", N_("Head"), 11, N_("procedure tab: record a new head of household")},
	{K_FILE, {KEY_F(3)}, "F3", N_("File"), 3, N_("kin tab: file the selected match (备案) with a note")},
	{K_CONFIRM, {KEY_F(4)}, "F4", N_("Confirm"), 4, N_("kin tab: confirm a filing (another user)")},
	{K_CLOSE, {KEY_F(6)}, "F6", N_("Close"), 6, N_("ledgers: close (销号) the selected entry; registry: end a term")},
	{K_DELETE_ITEM, {KEY_F(8)}, "F8", N_("Remove"), 8, N_("registry: remove the selected relative")},
	{K_SWITCH, {KEY_F(7)}, "F7", N_("Switch"), 7, N_("ledgers and registry: switch between the lists")},
	{K_VERIFY, {KEY_F(8)}, "F8", N_("Verify"), 8, N_("printing: verify the code typed")},
	{K_RUN, {KEY_F(3)}, "F3", N_("Run"), 3, N_("import: import for real after the dry run")},
	{K_NEW, {KEY_F(3)}, "F3", N_("New"), 3, N_("home and dossier list: open a new dossier on application")},
	{K_EXPORT, {KEY_F(8)}, "F8", N_("CSV"), 8, N_("ledgers: write the ledger shown as CSV")},
	{K_DOSSIERS, {KEY_F(8)}, "F8", N_("Dossiers"), 8, N_("registry: the dossiers involving the selected staff member")},
	{K_MENU, {KEY_F(9)}, "F9", N_("Menu"), 9, N_("the main menu: registry, ledgers, reports, printing, import, settings, archive, data safety")},
	{K_QUIT, {KEY_F(10)}, "F10", N_("Quit"), 10, N_("leave the console")},
	{K_LOCK, {KEY_F(12)}, "F12", NULL, 0, N_("lock the console now (also after console.lock.minutes without a key); the same user unlocks, another takes it over")},
	{K_SEARCH, {'/'}, "/", NULL, 0, N_("dossier list and home: search by number, ID number, name or village")},
	{K_UP, {KEY_UP}, "↑", NULL, 0, N_("previous line or field")},
	{K_DOWN, {KEY_DOWN}, "↓", NULL, 0, N_("next line or field")},
	{K_LEFT, {KEY_LEFT}, "←", NULL, 0, N_("previous tab; in a field, one character left")},
	{K_RIGHT, {KEY_RIGHT}, "→", NULL, 0, N_("next tab; in a field, one character right")},
	{K_ENTER, {'\n', '\r', KEY_ENTER}, "Enter", NULL, 0, N_("open the selected line; next field")},
	{K_ESC, {27}, "Esc", NULL, 0, N_("back; in a changed form, asks whether to discard the changes")},
	{K_TAB, {'\t'}, "Tab", NULL, 0, N_("next tab or field")},
	{K_BTAB, {KEY_BTAB}, "Shift-Tab", NULL, 0, N_("previous tab or field")},
	{K_PGUP, {KEY_PPAGE}, "PgUp", NULL, 0, N_("previous page")},
	{K_PGDN, {KEY_NPAGE}, "PgDn", NULL, 0, N_("next page")},
	{K_HOME, {KEY_HOME}, "Home", NULL, 0, N_("first line; start of the field")},
	{K_END, {KEY_END}, "End", NULL, 0, N_("last line; end of the field")},
	{K_BACKSPACE, {KEY_BACKSPACE, 127, CTRL('h')}, "Backspace", NULL, 0, N_("delete the character before the cursor")},
	{K_DELETE, {KEY_DC}, "Delete", NULL, 0, N_("delete the character under the cursor")},
};
const int n_keydefs = sizeof keydefs / sizeof keydefs[0];

enum action_id
key_action(int r, wint_t ch, unsigned long long mask)
{
	int code = (int)ch;
	for (int i = 0; i < n_keydefs; i++) {
		const struct keydef *k = &keydefs[i];
		if (!(mask & KM(k->action)))
			continue;
		for (int j = 0; j < 3 && k->codes[j]; j++) {
			bool fn = k->codes[j] >= KEY_MIN;
			if (fn == (r == KEY_CODE_YES) && k->codes[j] == code)
				return k->action;
		}
	}
	if (r == OK && ch >= 0x20 && ch != 0x7f && (mask & KM(K_CHAR)))
		return K_CHAR;
	return K_NONE;
}
