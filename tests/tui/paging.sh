#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Paging through the dossier list at 80×24 (17 rows a screen): PgDn, PgUp,
# Home, End and the arrows past the screen's edges show the same dossiers,
# with the same line numbers, as `dibao dossier list --offset --limit`, for
# the whole list and for one status (the keyset paging of the console and
# the offset paging of the command line must agree).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
dib 0 demo --households 60 || exit 1

# the dossier number on screen row N (1 = the first row under the header)
row() { sed -n "$((4 + $1))p" "$SCREEN" | awk '{ print $1 }'; }
# shows FIRST LAST [dib filter...]: the lines and the rows' first and last dossiers agree
shows() {
	first=$1 last=$2
	shift 2
	wait_for "第 $first–$last 条" || return
	a=$(dib 0 dossier list --offset $((first - 1)) --limit 1 "$@" && awk '{ print $1; exit }' "$OUT")
	b=$(dib 0 dossier list --offset $((last - 1)) --limit 1 "$@" && awk '{ print $1; exit }' "$OUT")
	eq "$(row 1)" "$a" "line $first"
	eq "$(row $((last - first + 1)))" "$b" "line $last"
}

tui_start
login admin secret-admin
wait_for "首页：各状态档案数"
keys /
shows 1 17
keys PageDown
shows 18 34
keys PageDown PageDown
shows 52 60
keys PageUp
shows 35 51
keys End
shows 44 60
keys Home
shows 1 17
# the arrows: Down past the last row scrolls one line, Up past the first back
keys Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down
shows 3 19
keys Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up
shows 1 17
screen_ok 80

# one status (F7 cycles 申请 → 受理 → … → 在保): End shows its last line
keys F7 F7 F7 F7 F7 F7 F7 F7
wait_for "状态： 在保"
dib 0 --json dossier list --status APPROVED --limit 100000
total=$(grep -c '"dossier"' "$OUT")   # (wait_for uses $n)
[ "$total" -gt 34 ] || { echo "FAIL: only $total approved dossiers in the demo" >&2; FAILS=$((FAILS + 1)); }
keys End
shows $((total - 16)) "$total" --status APPROVED
keys PageUp
shows $((total - 33)) $((total - 17)) --status APPROVED
keys F10
wait_for "EXITED 0"
finish
