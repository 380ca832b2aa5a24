#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A clerk's day in the console (issue 15): F10 in a form with unsaved
# input asks first; the home screen's to-do counts resume when idle after
# a clue's progress note and never hold the keys; the evaluation's note is
# stored as typed; a 1,000-character complaint content in a wrapping field.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
# a second dossier at 信息核对, for the evaluation in the console
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 王五 \
    --head-id 330102196002020016 || exit 1
EV=$(json_get dossier <"$OUT")
for c in SQS SFZ HKB SQR; do mark "$EV" $c --signed; done
dib 0 advance "$EV" || exit 1
for c in SRZM CJZ DCB; do mark "$EV" $c --signed; done
dib 0 advance "$EV" --surveyors clerk,admin || exit 1
mark "$EV" HDBG
dib 0 advance "$EV" || exit 1
mark "$EV" PYJL --signed
dib 0 clue add --channel phone --content "反映某户隐瞒收入" || exit 1
# enough households that the to-do walk gives way to keys many times
as admin secret-admin
dib 0 demo --households 300 || exit 1
as clerk secret-clerk

start_as clerk secret-clerk
wait_gone "正在统计待办事项"

# (2) a clue's progress note, then Esc back to the home screen: the counts
# come back by themselves and the arrows move at once
keys F9
wait_for "主菜单"
keys 2
wait_for "举报线索台账"
keys F4
wait_for "进展记录"
type_text "已电话联系举报人"
keys F2
wait_for "已添加进展记录"
keys Escape
wait_for "主菜单"
keys Escape
wait_for "首页：各状态档案数"
keys Down
keys Down
wait_gone "正在统计待办事项" 100
screen_ok 80
has "$SCREEN" "材料不全的案件"
# the arrows were taken while counting: Enter opens 入户调查's list
keys Enter
wait_for "入户调查"
keys Escape
wait_for "首页：各状态档案数"

# (1) F10 in a form with something typed asks; N stays in the form
keys F3
wait_for "新建户档案"
keys Down Down Down Down Down
type_text "李四"
keys F10
wait_for "离开控制台"
keys n
wait_gone "离开控制台"
has "$SCREEN" "李四"
keys Escape
wait_for "放弃修改"
keys y
wait_for "首页：各状态档案数"

# (4) a complaint of 1,000 characters in a wrapping field; an empty one is
# refused with its field marked and named at 80×24
keys F9
wait_for "主菜单"
keys 2
wait_for "举报线索台账"
keys F3
wait_for "登记举报线索"
keys F2
wait_for "未保存：请先改正标出的栏目（内容：必填）"
has "$SCREEN" "!内容"
screen_ok 80
LONG=$(i=0; while [ $i -lt 100 ]; do printf '%s' "干部优亲厚友违规办理"; i=$((i + 1)); done)
# the refused field has the focus
type_text "$LONG"
wait_for "违规办理干部优亲"
screen_ok 80
keys F2
wait_for "已登记"
dib 0 --json clue list
has "$OUT" "$LONG"
# the command line takes the same paragraph as a progress note
dib 0 clue update XS-2026-001 --note "$LONG"
dib 0 --json clue list
has "$OUT" "\"note\": \"$LONG\""
keys Escape
wait_for "主菜单"
keys Escape
wait_for "首页：各状态档案数"

# (8) the checklist: F4 on 身份证复印件 (no signature) says so and marks
# nothing; F4 on the application signs it and goes on to the next row
open_dossier "$NO"
keys Tab Tab Tab
wait_for "F3 收到"
keys Down F4
wait_for "无需签字"
dib 0 --json checklist "$NO"
tr -d ' \n' <"$OUT" | grep -q '"code":"SFZ"[^}]*"complete":false' || { echo "FAIL: SFZ marked by F4" >&2; FAILS=$((FAILS + 1)); }
keys Up F4
wait_for "已登记 $NO 的 SQS"
keys F4
wait_for "无需签字"
has "$SCREEN" "SFZ 家庭成员身份证复印件 无需签字"
keys Escape
wait_for "档案号"
keys Escape
wait_for "首页：各状态档案数"

# (3) the evaluation in the console: its note is stored as typed
open_dossier "$EV"
keys Tab Tab Tab Tab
wait_for "进入下一环节的规则检查"
keys F3
wait_for "评议日期"
type_text "2026-03-16"
keys Down
type_text "12"
keys Down
type_text "9"
keys Down
type_text "评议一致同意"
keys F2
wait_gone "评议日期"
dib 0 audit --object "$EV"
has "$OUT" '"note":"评议一致同意"'
has "$OUT" '"participants":12'
# (7) the history tab in words: Chinese actions and labels, no JSON
keys Tab Tab
wait_for "说明：评议一致同意"
has "$SCREEN" "材料登记        材料：PYJL；签字：是"
hasnt "$SCREEN" "case.advance"
hasnt "$SCREEN" '{"'
screen_ok 80
keys Escape
wait_for "档案号"
keys Escape
wait_for "首页：各状态档案数"

# (8) part of a number finds it
keys /
type_text "6-00002"
wait_for "$EV"
keys Escape
wait_for "首页：各状态档案数"

# (7) a refusal the print layer words names the choice, not a flag: a
# 补打 of a form never printed (the print screen pre-filled with the dossier)
open_dossier "$NO"
menu 4 "验证码"
keys Down Down Down Right
keys F2
wait_for "无可补打"
grep -F "无可补打" "$SCREEN" | grep -q -- "--" &&
    { echo "FAIL: the console names a flag: $(grep -F 无可补打 "$SCREEN")" >&2; FAILS=$((FAILS + 1)); }
grep -q "最低生活保障申请书" "$SCREEN" ||
    { echo "FAIL: the refusal does not name the form by its title" >&2; sed 's/^/  | /' "$SCREEN" >&2; FAILS=$((FAILS + 1)); }

exit $FAILS
