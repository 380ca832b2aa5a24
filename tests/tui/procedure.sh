#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The procedure in the console: a dossier taken from 申请 to 受理 — the
# advance refused with its rule code (R10) while documents are missing,
# the four documents marked on the checklist tab (received, signed), the
# advance — then the survey with its two surveyors chosen in the form.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人 || exit 1
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")

start_as clerk secret-clerk
open_dossier "$NO"
expect_screen household
keys Tab Tab Tab Tab
wait_for "进入下一环节的规则检查"
has "$SCREEN" "当前环节： 申请"
has "$SCREEN" "SQS"
screen_ok 80

# advance with nothing received: refused, every reason in a box, R10 among them
keys F3
wait_for "推进到“受理”"
keys F2
wait_for "不予办理：全部原因"
has "$SCREEN" "R10"
screen_ok 80
keys Escape
wait_gone "不予办理：全部原因"
keys Escape
wait_for "进入下一环节的规则检查"
dib 0 --json dossier show "$NO"
has "$OUT" '"status": "APPLIED"'

# the checklist tab: F3 four times marks the four documents received today
keys BTab
wait_for "F3 收到"
keys F3 F3 F3 F3
wait_for "已登记 $NO 的 SQR"
# SQS and SQR need the applicant's signatures
keys Up F4
wait_for "已登记 $NO 的 SQR"
keys Up Up Up Up F4
wait_for "已登记 $NO 的 SQS"
screen_ok 80
dib 0 --json checklist "$NO"
for c in SQS SFZ HKB SQR; do
	tr -d ' \n' <"$OUT" | grep -q "\"code\":\"$c\"[^}]*\"complete\":true" || { echo "FAIL: $c not complete" >&2; FAILS=$((FAILS + 1)); }
done

# advance: 申请 → 受理
keys Tab
wait_for "进入下一环节的规则检查"
keys F3
wait_for "推进到“受理”"
keys F2
wait_for "申请 → 受理"
dib 0 --json dossier show "$NO"
has "$OUT" '"status": "ACCEPTED"'

# the survey: the documents by the command line, the two surveyors chosen here
dib 0 checklist mark "$NO" SRZM
dib 0 checklist mark "$NO" DCB --signed
keys F5
wait_for "下一环节： 入户调查"
keys F3
wait_for "第二调查人"
has "$SCREEN" "clerk 测试clerk"
# the second surveyor: the next choices until clerk2
keys Down
n=0
while ! grep -q "‹ clerk2" "$SCREEN" && [ $n -lt 8 ]; do
	keys Right
	sleep 0.1
	capture
	n=$((n + 1))
done
has "$SCREEN" "‹ clerk2 第二经办人 ›"
screen_ok 80
keys F2
wait_for "受理 → 入户调查"
dib 0 --json dossier show "$NO"
has "$OUT" '"status": "SURVEYED"'
dib 0 --json audit --object "$NO"
has "$OUT" "clerk2"
keys F10
wait_for "EXITED 0"

# the inspector reads the same tab at 80 columns: every action's refusal
# reason whole (one action a line), and on the kin tab both keys' roles
start_as inspector secret-inspector
open_dossier "$NO"
keys Tab Tab Tab Tab
wait_for "进入下一环节的规则检查"
has "$SCREEN" "F3  推进到下一环节 — 角色“监督”不可操作（仅限经办人）"
has "$SCREEN" "F7  退出保障 — 本环节不可用"
screen_ok 80
# F1 here: this tab's keys first, the other screens' after them
keys F1
wait_for "本画面的按键"
has "$SCREEN" "推进 — 推进到下一环节"
hasnt "$SCREEN" "材料清单：切换已签字"
keys PageDown
wait_for "材料清单：切换已签字"
keys Escape
wait_for "进入下一环节的规则检查"
keys Tab
# the keys the role may not use: dimmed on the bar, left off the hint line
wait_for "Tab 其他页  Esc 返回"
hasnt "$SCREEN" "F3 备案"
has "$SCREEN" "— 角色“监督”不可操作（F3 仅限经办人；F4 仅限审核人、审批人）"
screen_ok 80
keys F10
wait_for "EXITED 0"
finish
