#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The console's third part: a rural standard added, a password changed in
# the settings (typed twice; then `dibao user list` logs in with it), a
# user added with an ID number, a checklist template item added (seen in
# `dibao --json checklist template`), the monthly archive exported (unzip
# -l lists it) and a form batch-printed (qpdf --check); then the county's
# console imports the archive, lists it and draws the visit sample.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as clerk secret-clerk
for id in 330102195001010014 330102195203040027; do
	dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id $id || exit 1
done

# the console a month later, so that March is over
at 2026-04-02
tui_start
login admin secret-admin
wait_for "首页：各状态档案数"
keys F9
wait_for "主菜单"
screen_ok 80

# settings: a rural standard for next year (`standard set`)
keys 6
wait_for "参数设置"
keys Right
wait_for "F3 新增标准"
keys F3
wait_for "起始月份（YYYY-MM）"
has "$SCREEN" "‹ 农村 ›"
keys Down
type_text "2027-01"
keys Down
type_text "720"
keys F2
wait_for "保障标准已保存"
dib 0 standard list
grep "农村" "$OUT" | grep -q "2027-01" || { echo "FAIL: no rural standard from 2027-01" >&2; cat "$OUT" >&2; FAILS=$((FAILS + 1)); }
# the clerk's password, then a checklist item
keys Right Right
wait_for "测试clerk"
# the users are listed by login: admin, approver, clerk
keys Down Down
keys Enter
wait_for "clerk 的密码"
type_text "new-pass-1"
keys Down
type_text "new-pass-1"
keys F2
wait_for "clerk 的密码已更改"
DIBAO_PASSWORD=new-pass-1 LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" --user clerk user list >"$OUT" 2>"$ERR" ||
    { echo "FAIL: clerk cannot log in with the new password" >&2; cat "$ERR" >&2; FAILS=$((FAILS + 1)); }
# a user with their ID number (`user add --id`, for R11)
keys F3
wait_for "身份证号（选填）"
type_text "clerk3"
keys Down
type_text "第三经办人"
keys Down Down
type_text "secret-clerk3"
keys Down
type_text "330102198001010018"
keys F2
wait_for "用户 clerk3（经办人）已添加"
as admin secret-admin
dib 0 --json user list --reveal
has "$OUT" '"id": "330102198001010018"'
keys Right
wait_for "F3 新增项目"
keys F3
wait_for "添加清单项"
type_text "T9"
keys Down
type_text "村委会推荐意见"
keys F2
wait_for "清单项 T9 已保存"
screen_ok 80
as admin secret-admin
dib 0 --json checklist template
has "$OUT" "村委会推荐意见"
keys Escape
wait_for "主菜单"

# the monthly archive of March
keys 7
wait_for "月度归档"
keys Down
type_text "2026-03"
keys Down
type_text "$TMP/archive.zip"
keys F2
wait_for "项，"
if command -v unzip >/dev/null; then
	unzip -l "$TMP/archive.zip" >"$OUT" 2>&1 || { echo "FAIL: unzip -l" >&2; cat "$OUT" >&2; FAILS=$((FAILS + 1)); }
	has "$OUT" "manifest.json"
fi
keys Escape
wait_for "主菜单"

# batch printing: the approval forms of 青石村
keys 8
wait_for "批量打印"
keys Down
type_text "青石村"
keys Down Down
type_text "$TMP/batch.pdf"
keys F2
wait_for "已打印"
screen_ok 80
if command -v qpdf >/dev/null; then
	qpdf --check "$TMP/batch.pdf" >/dev/null 2>&1 || { echo "FAIL: qpdf --check" >&2; FAILS=$((FAILS + 1)); }
fi
keys F10
wait_for "EXITED 0"

# the county's console: March's archive imported, the archives listed
# (`county list`), the visit sample drawn with a seed and written as CSV
# (`county sample --seed --csv`)
C="$TMP/county"
at 2026-04-02
as cadmin secret-admin
dib 0 --data "$C" init --county-code 330102 --county-name 西湖区 --admin cadmin || exit 1
DIBAO_DATA="$C" tui_start
login cadmin secret-admin
wait_for "首页：各状态档案数"
menu 7 "抽样种子（空：按期间生成）"
keys Down Down
type_text "$TMP/archive.zip"
keys F2
wait_for "已导入"
keys Up Up Right Right Right
wait_for "‹ 已导入的归档 ›"
keys F2
wait_for "已导入的归档（1）"
has "$SCREEN" "330102001"
has "$SCREEN" "2026-03"
screen_ok 80
keys Escape
wait_for "‹ 已导入的归档 ›"
keys Left
wait_for "‹ 入户抽查名单 ›"
keys Down
type_text "2026-03"
keys Down
keys End
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do keys BSpace; done
type_text "$TMP/抽查.csv"
keys Down Down
type_text "2026"
keys F2
wait_for "抽样种子 "
screen_ok 80
[ -s "$TMP/抽查.csv" ] || { echo "FAIL: no sample CSV" >&2; FAILS=$((FAILS + 1)); }
# the same seed on the command line draws the same sample
dib 0 --data "$C" --json county sample --period 2026-03 --seed 2026
SEED=$(json_get seed <"$OUT")
has "$SCREEN" "抽样种子 $SEED"
keys F10
wait_for "EXITED 0"
finish
