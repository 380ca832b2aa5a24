#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Two clerks, two consoles, one data directory: what one saves the other
# sees on F5, and a form opened on the version before another clerk's save
# is not saved over it (the clerk is told and the dossier reloaded).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

HEAD=330102195001010014
WIFE=330102195203150023

setup_township
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人 || exit 1
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 王大明 --head-id $HEAD \
    --phone 13900000000 || exit 1
NO=$(json_get dossier <"$OUT")

# A: the first clerk's console on the members tab
start_as clerk secret-clerk
A=$SOCK
trap 'tui_end "$A"; tui_end; rm_tmp' EXIT
open_dossier "$NO"
keys Tab
wait_for "王大明"
hasnt "$SCREEN" "李秀英"

# B: the second clerk, in another terminal, adds the wife
SOCK=none
start_as clerk2 secret-clerk2
B=$SOCK
open_dossier "$NO"
keys Tab
wait_for "王大明"
keys F3
wait_for "新增家庭成员"
type_text "李秀英"
keys Tab
type_text "$WIFE"
keys F2
wait_for "李秀英"

# A sees it after F5
SOCK=$A
capture
hasnt "$SCREEN" "李秀英"
keys F5
wait_for "李秀英"

# A opens the household form; B saves a new phone meanwhile; A's save is refused
keys BTab
wait_for "户主"
keys F4
wait_for "13900000000"
keys Tab Tab Tab End BSpace BSpace BSpace BSpace
type_text 1111
SOCK=$B
keys BTab
wait_for "户主"
keys F4
wait_for "13900000000"
keys Tab Tab Tab End BSpace BSpace BSpace BSpace
type_text 2222
keys F2
wait_for "13900002222"
SOCK=$A
keys F2
wait_for "该档案已被他人修改，已重新载入"
wait_for "13900002222"
dib 0 --json dossier show "$NO"
has "$OUT" '"phone": "13900002222"'
dib 0 --json audit --object "$NO"
has "$OUT" "clerk2"

# the wife found by her name: the list says whose dossier it is
keys Escape
wait_for "查找："
keys /
type_text "李秀英"
wait_for "王大明/…"   # whole names at 80 columns: the member elided, never cut (issue 15)
has "$SCREEN" "户主/成员"
screen_ok 80

keys F10
wait_for "EXITED 0"
SOCK=$B
keys F10
wait_for "EXITED 0"
finish
