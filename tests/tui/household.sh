#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The household tab's edit form and the scan file chooser: the account
# shown whole only here (and that reading audited), a changed phone and the
# registered-poor flag saved through the same function as `dibao dossier
# edit`; a scan attached from the chooser, another assigned by hand in the
# import screen (`import scans --assign`).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 王大明 --head-id 330102195001010014 \
    --phone 13900000000 --bank 农商银行 --account 6228480012345678 || exit 1
NO=$(json_get dossier <"$OUT")

# the scanning station's folder: the console is started in it
mkdir -p "$TMP/scans/旧件"
printf '\377\330\377\340scan' >"$TMP/scans/申请书.jpg"
echo notes >"$TMP/scans/readme.txt"
cd "$TMP/scans"
tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
keys /
wait_for "查找："
type_text "$NO"
wait_for "王大明"
keys Enter
wait_for "户信息"
hasnt "$SCREEN" 6228480012345678            # masked on the tab
keys F4
wait_for "6228480012345678"                  # whole on its own edit screen
# village, group, address, phone: replace the phone's last four digits
keys Tab Tab Tab End BSpace BSpace BSpace BSpace
type_text 1234
# support, poverty, registered poor: Space cycles a choice field
keys Tab Tab Tab Tab Tab Space
keys F2
wait_for "户信息"
dib 0 --json dossier show "$NO"
has "$OUT" '"phone": "13900001234"' && has "$OUT" '"registered_poor": true'
dib 0 audit --object "$NO"
has "$OUT" "dossier.edit" && has "$OUT" "read.confidential"

# the checklist tab: F7 opens the file chooser on the folder; the folder is
# listed first, the text file not at all; Enter attaches the scan
keys Tab Tab Tab
wait_for "F3 收到"
keys F7
wait_for "申请书.jpg"
has "$SCREEN" "旧件/" && hasnt "$SCREEN" "readme.txt"
keys Down Enter
wait_for "F3 收到"
dib 0 --json checklist "$NO"
grep -A12 '"code": "SQS"' "$OUT" | grep -q '[0-9a-f]\{64\}' || { echo "FAIL: no scan hash on SQS" >&2; FAILS=$((FAILS + 1)); }

# a scan the camera named wrongly, assigned by hand (`import scans --assign`)
printf '\377\330\377\340other' >"$TMP/scans/IMG_0001.jpg"
menu 5 "档案号（指定扫描件归属时）"
keys Right Right Right
wait_for "指定扫描件归属"
keys Down
type_text "$TMP/scans/IMG_0001.jpg"
keys Down
type_text "$NO"
keys Down
type_text "HKB"
keys F2
wait_for "已附到 $NO 的 HKB"
screen_ok 80
dib 0 --json checklist "$NO"
grep -A12 '"code": "HKB"' "$OUT" | grep -q '[0-9a-f]\{64\}' || { echo "FAIL: no scan hash on HKB" >&2; FAILS=$((FAILS + 1)); }
finish
