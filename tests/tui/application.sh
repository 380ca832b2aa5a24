#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An application taken in the console alone: F3 on the home screen opens a
# new dossier (the village by its alias, as `dibao dossier new` resolves
# it) and shows it; a second one with the same head's ID number is refused
# with R7; a member added with the flags of `member add --staff
# --not-guaranteed`, then one with HIV/AIDS marked, whose edit form audits
# the reading; a checklist item recorded with its date of receipt and a
# note (`checklist mark --received --note`).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
clerk

tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
has "$SCREEN" "3新建"
keys F3
wait_for "新建户档案（受理申请）"
screen_ok 80
keys Down
# the village is a choice among the township's: typing picks it
type_text "青石"
wait_for "‹ 青石村 ›"
keys Down
type_text "二组"
keys Down Down Down
type_text "王大明"
keys Down
type_text "330102195001010014"
keys F2
wait_for "户主        王大明"
has "$SCREEN" "已建立（户主 王大明）"
screen_ok 80
dib 0 --json dossier list --search 王大明
NO=$(json_get dossier <"$OUT")
[ -n "$NO" ] || { echo "FAIL: no dossier for 王大明" >&2; exit 1; }
dib 0 --json dossier show "$NO"
has "$OUT" '"village": "青石村"' && has "$OUT" '"group": "二组"' && has "$OUT" '"area": "rural"'

# the same head again, from the dossier list: refused with R7, nothing opened
keys Escape
wait_for "首页：各状态档案数"
keys /
wait_for "查找："
keys F3
wait_for "新建户档案（受理申请）"
keys Down
type_text "青石村"
keys Down Down Down Down
type_text "王小明"
keys Down
type_text "330102195001010014"
keys F2
wait_for "不予办理：全部原因"
has "$SCREEN" "R7"
keys Escape
wait_gone "不予办理：全部原因"
keys Escape
wait_for "放弃修改"
keys y
wait_for "查找："
dib 0 --json dossier list
eq "$(grep -c '"dossier"' "$OUT")" 1 "dossiers after the refusal"

# a member who is government-funded staff and not in the guarantee
keys Escape
wait_for "首页：各状态档案数"
open_dossier "$NO"
keys Tab
wait_for "劳动能力"
keys F3
wait_for "新增家庭成员"
type_text "王芳"
keys Down
type_text "330102195203040027"
# the relation starts at 其他: the next is 本人, then 配偶
keys Down Right Right
keys Down Down Down Down Down Down Right
keys Down Down Down Right
wait_for "纳入保障         ‹ 否"
screen_ok 80
keys F2
wait_for "已添加家庭成员 王芳"
dib 0 --json dossier show "$NO"
grep -A16 '"name": "王芳"' "$OUT" >"$TMP/member"
has "$TMP/member" '"staff": true' && has "$TMP/member" '"guaranteed": false'

# HIV/AIDS marked on the head: its edit form shows it, and that is audited
keys Up Enter
wait_for "修改家庭成员"
keys Down Down Down Down Down Down Down Down Down Right
keys F2
wait_for "已保存"
keys Enter
wait_for "艾滋病（保密）   ‹ 是"
keys Escape
wait_gone "修改家庭成员"
dib 0 audit --object "$NO"
has "$OUT" "read.confidential"

# a checklist item received on an earlier day, with a note (from members)
keys Tab Tab
wait_for "Enter 日期备注"
keys Down Enter
wait_for "收到日期"
keys End BSpace BSpace
type_text "10"
keys Down Down Down
type_text "复印件两份"
keys F2
wait_for "已登记 $NO 的 SFZ"
dib 0 --json checklist "$NO"
grep -A10 '"code": "SFZ"' "$OUT" >"$TMP/item"
has "$TMP/item" '"received": "2026-03-10"'
has "$TMP/item" '"complete": true'
has "$TMP/item" '"note": "复印件两份"'

keys F10
wait_for "EXITED 0"
finish
