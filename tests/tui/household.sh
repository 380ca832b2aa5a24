#!/bin/sh
# The household tab's edit form: the account shown whole only here (and
# that reading audited), a changed phone and the registered-poor flag saved
# through the same function as `dibao dossier edit`.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 王大明 --head-id 330102195001010014 \
    --phone 13900000000 --bank 农商银行 --account 6228480012345678 || exit 1
NO=$(json_get dossier <"$OUT")

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
finish
