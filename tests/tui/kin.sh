#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Kin matches in the console: the dossier's 近亲属 tab shows the match of a
# member who is a cadre's declared wife, a filing recorded there with a
# note, and the dashboard's count of unfiled matches equals the command
# line's (`dibao --json kin matches`); then the registry: a term, the
# dossiers involving a cadre, a relative declared and removed on dates, the
# end of a term.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

CADRE=330102197001010013
WIFE=330102197202020023
setup_township
as clerk secret-clerk
dib 0 kin staff add --name 王建国 --id "$CADRE" --kind village-cadre --unit 青石村 --position 村委会主任 || exit 1
dib 0 kin relative add "$CADRE" --name 李秀英 --id "$WIFE" --relation 配偶 || exit 1
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 李秀英 --head-id "$WIFE" || exit 1
NO=$(json_get dossier <"$OUT")
dib 0 --json dossier new --area rural --village 青石村 --group 二组 --head-name 王建国 --head-id "$CADRE" || exit 1
dib 0 --json kin matches
UNFILED=$(grep -c '"filing_status": "unfiled"\|"status": "unfiled"' "$OUT")
[ "$UNFILED" -ge 2 ] || { echo "FAIL: expected two unfiled matches, got $UNFILED" >&2; cat "$OUT" >&2; exit 1; }

tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
wait_gone "正在统计待办事项"
eq "$(grep -F "未备案的近亲属匹配" "$SCREEN" | awk '{print $NF}')" "$UNFILED" "dashboard: unfiled kin matches"
screen_ok 80
# the number opens the list behind it
keys Right Down
keys Enter
wait_for "未备案的近亲属匹配（$UNFILED）"
has "$SCREEN" "$NO"
has "$SCREEN" "王建国"
screen_ok 80
keys Escape
wait_for "首页：各状态档案数"

# the dossier's kin tab
open_dossier "$NO"
keys BTab BTab
wait_for "F3 备案"
has "$SCREEN" "李秀英"
has "$SCREEN" "王建国"
has "$SCREEN" "配偶"
has "$SCREEN" "未备案"
screen_ok 80
# file it with a note
keys F3
wait_for "情况说明"
type_text "村主任妻子，患重病，经调查属实"
keys Enter
wait_for "待另一用户确认"
wait_for "待备案"
dib 0 --json kin matches "$NO"
hasnt "$OUT" '"unfiled"'
# the same user may not confirm it: every reason shown
keys F4
wait_for "备案"
screen_ok 80

# wide terminal
resize 120 40
wait_for "李秀英"
screen_ok 120
resize 80 24
keys F10
wait_for "EXITED 0"

# the registry (F9, 1) as `kin staff edit --from --to`, `kin staff-dossiers`,
# `kin relative add --date`, `kin relative remove --date`, `kin staff end --date`
tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
menu 1 "王建国"
keys F4
wait_for "任期起（选填）"
keys Down Down Down Down
type_text "2024-01-01"
keys Down
type_text "2026-12-31"
keys F2
wait_for "王建国 已保存"
dib 0 --json kin staff show "$CADRE"
has "$OUT" '"from": "2024-01-01"' && has "$OUT" '"to": "2026-12-31"'
keys F8
wait_for "涉及 王建国 的档案"
has "$SCREEN" "$NO"
has "$SCREEN" "李秀英"
screen_ok 80
keys Escape
wait_for "关联人员"
keys Enter
wait_for "任期 2024-01-01 至 2026-12-31"
keys F3
wait_for "申报日期（空为今天）"
type_text "王小军"
keys Down
type_text "330102199501010019"
keys Down Right Right
keys Down
type_text "2026-03-01"
keys F2
wait_for "王小军"
dib 0 --json kin relative list "$CADRE" --reveal
has "$OUT" "330102199501010019" && has "$OUT" "2026-03-01"
keys Down
keys F8
wait_for "登记近亲属关系解除"
keys End BSpace BSpace
type_text "10"
keys Enter
wait_for "已登记移除该近亲属"
dib 0 --json kin relative list "$CADRE"
has "$OUT" "2026-03-10"
keys Escape
wait_for "关联人员"
keys F6
wait_for "登记离任"
keys Enter
wait_for "已登记任期结束"
dib 0 --json kin staff show "$CADRE"
has "$OUT" '"ended": "2026-03-16"'

keys F10
wait_for "EXITED 0"
finish
