#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The payment screen of the F9 menu (issue 13), as the command line has it:
# the month's roster on screen with its bank file (`payment roster --csv`),
# the held list, the submit that freezes the batch (`payment submit`) and
# the batches (`payment list`).  Accounts are masked on screen.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as admin secret-admin
dib 0 demo --households 40 --seed 3
clerk
dib 0 --json payment roster --month 2026-04
TOTAL=$(json_get total <"$OUT")
HELD=$(tr -d '\n' <"$OUT" | grep -o '"reason"' | wc -l)

tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
menu 0 "低保金发放"
screen_ok 80
keys 1
wait_for "月份（YYYY-MM）"
keys Down Down
type_text "$TMP/bank.csv"
keys F2
wait_for "发放花名册（"
screen_ok 80
if grep -Eq '[0-9]{16}' "$SCREEN"; then echo "FAIL: a whole account on screen" >&2; FAILS=$((FAILS + 1)); fi
# the amount paid stands on the line at 80 columns (it was cut off)
grep -Eq '^ 1 +[0-9-]+ .*人 +[0-9]+\.[0-9]{2}' "$SCREEN" || { echo "FAIL: roster line 1 without its amount at 80 columns" >&2; FAILS=$((FAILS + 1)); }
has "$TMP/bank.csv" "银行账号"
# the bank file's total is the JSON roster's
eq "$(awk -F, 'NR>1 {s += $15 * 100} END {printf "%d", s + 0.5}' "$TMP/bank.csv")" "$TOTAL" "bank file total"
keys Escape
wait_for "提交本月发放批次"
keys 4
wait_for "月份（YYYY-MM）"
keys F2
wait_for "暂停发放与追缴"
if [ "$HELD" -gt 0 ]; then has "$SCREEN" "暂停发放"; fi
keys Escape
wait_for "提交本月发放批次"
keys 2
wait_for "月份（YYYY-MM）"
keys Enter
wait_for "批次已提交"
dib 0 --json payment list
has "$OUT" '"month": "2026-04"'
has "$OUT" "\"total\": $TOTAL"
keys 5
wait_for "2026-04"
screen_ok 80
keys F10
wait_for "EXITED 0"
finish
