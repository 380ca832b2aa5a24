#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The console locks itself (SPEC 11): F12 at once, or after the setting
# console.lock.minutes without a key; nothing of the screens shows behind
# the lock; the same user unlocks and finds the screen as it was; another
# user takes the console over with their password, without a restart, and
# the home screen is drawn for the new role.  Lock, unlock, handover and a
# wrong password are audited.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

HEAD=330102195001010014
setup_township
clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 欧阳春花 --head-id $HEAD || exit 1
NO=$(json_get dossier <"$OUT")

# ---- F12: lock, a wrong password, unlock by the same user
start_as clerk secret-clerk
open_dossier "$NO"
wait_for "欧阳春花"
keys F12
wait_for "控制台已锁定"
hasnt "$SCREEN" "欧阳春花"
hasnt "$SCREEN" "$NO"
screen_ok 80
type_text "wrong-password"
keys Enter
wait_for "错误"
hasnt "$SCREEN" "欧阳春花"
type_text "secret-clerk"
keys Enter
wait_for "欧阳春花"          # the dossier as it was
has "$SCREEN" "户信息"

# ---- F12, then another user takes over: home screen for the new role
keys F12
wait_for "控制台已锁定"
keys Up
keys End
for i in 1 2 3 4 5 6; do keys BSpace; done
type_text "inspector"
keys Enter
type_text "secret-inspector"
keys Enter
wait_for "首页：各状态档案数"
wait_for "测试inspector"
has "$SCREEN" "监督"
hasnt "$SCREEN" "测试clerk"
# every screen shows what the new role may do (issue 15 point 5): a key
# it may not use dimmed on the bar and left off the hint line, at home and
# on a dossier's tabs, from the session's role
dimmed() {   # dimmed N: the bar draws key N dim
	tmux -L "$SOCK" capture-pane -p -e | sed -n 24p | grep -q "$(printf '\033')\[2m$1[^0-9]" ||
	    { echo "FAIL: key $1 not dimmed for the inspector" >&2; FAILS=$((FAILS + 1)); }
}
hasnt "$SCREEN" "F3 新建"
dimmed 3
open_dossier "$NO"
wait_for "户信息"
wait_for "Tab 其他页"
hasnt "$SCREEN" "F4 修改"
dimmed 4
keys Tab
wait_for "家庭成员"
sleep 0.3
capture
hasnt "$SCREEN" "F3 新增"
dimmed 3
dimmed 6
keys F10

# ---- idle: locked after console.lock.minutes without a key (the clock
# runs 60 times as fast here: a minute is a second)
as admin secret-admin
dib 0 setting set console.lock.minutes 1
FAKETIME_AT="$FAKETIME_AT x60" start_as clerk secret-clerk
wait_for "控制台已锁定" 100
hasnt "$SCREEN" "首页：各状态档案数"
type_text "secret-clerk"
keys Enter
wait_for "首页：各状态档案数"
keys F10

as admin secret-admin
dib 0 audit
has "$OUT" "console.lock"
has "$OUT" "console.unlock"
has "$OUT" "console.handover"
has "$OUT" "login.fail"
[ "$(grep -c 'console.lock' "$OUT")" -ge 3 ] || { echo "FAIL: three locks expected" >&2; FAILS=$((FAILS + 1)); }

finish
