#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The console on a township with data: dashboard counts equal the command
# line's, search by name and by ID number, a dossier's tabs, adding a member
# with a Chinese name (an invalid ID number refused beside the field and
# nothing saved), a concurrent change detected before saving, resizing,
# the too-small notice, a long Chinese text cut at the right edge
# without a broken character, and an information check recorded through
# its form on the finances tab (which still fits 80×24 with many incomes).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

HEAD=330102195001010014
WIFE=330102195203150023
CHILD=330102201008080048
LONG="1号青石村二组山脚下老供销社东侧第三间门面房后面的小院子里面靠近水井的那间平房一直往里走到底就是"

setup_township
dib 0 demo --households 40 || exit 1
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 二组 --head-name 王大明 --head-id $HEAD \
    --address "$LONG" --bank 农商银行 --account 6228480012345678 || exit 1
NO=$(json_get dossier <"$OUT")

count() { # count STATUS: dossiers in that status, from the command line
	dib 0 --json dossier list ${1:+--status "$1"}
	grep -o '"dossier"' "$OUT" | wc -l
}
APPLIED=$(count APPLIED)
APPROVED=$(count APPROVED)
ALL=$(count "")

tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
wait_gone "正在统计待办事项"
# the status counts are the left column (the attention items the right one)
line() { grep -F -- "$1" "$SCREEN" | head -1 | awk '{print $2}'; }
eq "$(line 申请)" "$APPLIED" "dashboard: 申请"
eq "$(line 在保)" "$APPROVED" "dashboard: 在保"
eq "$(line 全部档案)" "$ALL" "dashboard: all"
screen_ok 80
# one whole screen against the expected one, the attention column too
expect_screen dashboard

# Enter on a count: the list of that status
keys Down Enter
wait_for "状态： 受理"
keys Escape
wait_for "首页：各状态档案数"

# search by name prefix, then by ID number
keys /
wait_for "查找："
type_text "王大"
wait_for "$NO"
has "$SCREEN" "王大明"
has "$SCREEN" "330102********0014"
keys /
type_text "$HEAD"
wait_for "330102********0014"
has "$SCREEN" "$NO"

# a larger terminal is used (the address column appears), and back
resize 120 40
wait_for "地址"
screen_ok 120
eq "$(wc -l <"$SCREEN")" 40 "rows after resizing to 120x40"
resize 80 24
wait_gone "地址"
screen_ok 80
# too small: a notice until resized
resize 60 20
wait_for "终端太小，至少需要 80×24"
resize 80 24
wait_gone "终端太小"

# the dossier: the long address is cut at the right edge, never broken
keys Enter
wait_for "户信息"
has "$SCREEN" "1号青石村二组"
has "$SCREEN" "****5678"
hasnt "$SCREEN" "6228480012345678"
screen_ok 80

# members: add one with a Chinese name; an invalid ID number is refused
keys Tab
wait_for "王大明"
keys F3
wait_for "新增家庭成员"
type_text "李小红"
keys Tab
type_text "330102201008080049"
keys Tab
wait_for "校验"
keys F2
wait_for "未保存：请先改正标出的栏目"
as clerk secret-clerk
dib 0 --json dossier show "$NO"
hasnt "$OUT" "李小红"
keys End BSpace
type_text "8"
keys F2
wait_for "已添加家庭成员 李小红"
wait_for "330102********0048"
dib 0 --json dossier show "$NO"
has "$OUT" "李小红"

# Esc with changes asks first
keys F3
wait_for "新增家庭成员"
type_text "赵"
keys Escape
wait_for "放弃修改？(Y/N)"
keys n
wait_gone "放弃修改"
keys Escape
wait_for "放弃修改？(Y/N)"
keys y
wait_gone "新增家庭成员"

# another clerk changes the dossier meanwhile: not saved, reloaded
keys F3
wait_for "新增家庭成员"
type_text "刘芳"
keys Tab
type_text "$WIFE"
dib 0 member edit "$NO" "$HEAD" --occupation 务农
keys F2
wait_for "该档案已被他人修改，已重新载入"
dib 0 --json dossier show "$NO"
hasnt "$OUT" "刘芳"

# a death: the date is checked on leaving the field
keys End
keys F6
wait_for "登记死亡"
type_text "2026-02-30"
keys Tab
wait_for "日期：不是实际存在的日期"
keys BTab End BSpace BSpace
type_text "01"
keys Tab
type_text "死亡证明0012"
keys Tab
type_text "疾病"
keys F2
wait_for "已登记 李小红 死亡"
wait_for "已故"
dib 0 --json dossier show "$NO"
has "$OUT" "\"death\": \"2026-02-01\""

# finances: an income item with an amount in yuan
keys Tab
wait_for "收入项目（月）"
keys F3
wait_for "新增收入项目"
keys Tab
type_text "1,200.5"
keys F2
wait_for "收入项目已添加"
wait_for "1200.50"
dib 0 --json dossier show "$NO"
has "$OUT" "120050"
# an income of one member: picked from the dossier's members, not typed
# (issue 15 point 8)
keys F3
wait_for "新增收入项目"
has "$SCREEN" "‹ （全户） ›"
keys Tab
type_text "300"
keys Tab Right
wait_for "王大明 330102"
keys F2
wait_for "收入项目已添加"
dib 0 dossier show "$NO"
has "$OUT" "300.00"
grep "300.00" "$OUT" | grep -q "3301" || { echo "FAIL: the income has no member" >&2; cat "$OUT" >&2; exit 1; }

# an information check through its form (F6 on this tab): the first
# agency without a result offered, a Chinese result, the date checked on
# leaving the field (today by default), then on the tab and in the CLI
has "$SCREEN" "信息核对结果  未录入：房产、公积金"
has "$SCREEN" "6核对"
keys F6
wait_for "录入信息核对结果"
has "$SCREEN" "‹ 房产 ›"
has "$SCREEN" "$(today)"
keys Right Right Right
wait_for "‹ 车辆 ›"
keys Tab
type_text "登记小型汽车1辆，已核实"
keys Tab End
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "2099-01-01"
keys Tab
wait_for "日期：不能晚于今天"
keys F2
wait_for "未保存：请先改正标出的栏目"
dib 0 --json infocheck "$NO" && eq "$(tr -d ' \n' <"$OUT")" "[]" "nothing saved with a future date"
keys End                                   # the bad field has the focus
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "$(today)"
keys F2
wait_for "信息核对结果已录入"
wait_for "登记小型汽车1辆，已核实"
grep -F "车辆" "$SCREEN" | grep -F "$(today)" | grep -qF "clerk" ||
    { echo "FAIL: the check's row lacks its date or recorder" >&2; FAILS=$((FAILS + 1)); }
has "$SCREEN" "未录入：房产、公积金、社保、工商"
dib 0 --json infocheck "$NO"
has "$OUT" '"agency": "vehicle"'
has "$OUT" '"result": "登记小型汽车1辆，已核实"'
has "$OUT" "\"date\": \"$(today)\""
has "$OUT" '"recorded_by": "clerk"'
# many incomes: the tab still fits 80×24 above the status line and the
# key bar, a cut list saying how many more
i=0
while [ $i -lt 12 ]; do
	i=$((i + 1))
	dib 0 income add "$NO" --kind 经营性 --amount $i --evidence "账本$i"
done
keys F5
wait_for "另有"
has "$SCREEN" "信息核对结果"
has "$SCREEN" "登记小型汽车1辆，已核实"
has "$SCREEN" "财产"
eq "$(tail -1 "$SCREEN" | grep -c "10退出")" 1 "the key bar on the last row"
eq "$(wc -l <"$SCREEN")" 24 "rows of the finances tab"
screen_ok 80

# history: this dossier's audit entries, ID numbers masked (from the
# first: End on the members tab left it at the last page); it is the last tab
keys Tab Tab Tab Tab
wait_for "登记死亡"
keys Home
wait_for "建档"
has "$SCREEN" "信息核对"
has "$SCREEN" "修改成员"
hasnt "$SCREEN" "$CHILD"
has "$SCREEN" "建档"
keys F10
wait_for "EXITED 0"
finish
