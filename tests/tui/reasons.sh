#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A refusal with several reasons (issue 15 points 4 and 7): after its box
# is closed, the status line keeps every reason, each on its own row above
# the key bar, never only the first line nor a control character.  Here a
# household taken over from the roster as 在保, reviewed without its
# 复核记录: R10 and the advice that follows it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
printf '%s\n' '姓名,身份证号,与户主关系,户主身份证号,村/社区,城乡类别,月保障金额(元),状态' \
	'陈五,330102198006060057,本人,,青石村,农村,500,在保' >"$TMP/roster.csv"
dib 0 import roster "$TMP/roster.csv" || exit 1
clerk
dib 0 --json dossier list --search 陈五
NO=$(json_get dossier <"$OUT")
dib 1 review "$NO" && has "$ERR" "R10"
reasons=$(grep -c . "$ERR")
[ "$reasons" -ge 2 ] || { echo "FAIL: the review's refusal was expected to give two lines" >&2; exit 1; }

start_as clerk secret-clerk
open_dossier "$NO"
keys Tab Tab Tab Tab
wait_for "办理流程"
keys F6
wait_for "定期复核"
keys F2
wait_for "不予办理：全部原因"
keys Escape
wait_gone "不予办理：全部原因"
settle
capture
# the rows between the view and the bar: each line the command line gave
sed 's/^dibao: //' "$ERR" | while IFS= read -r line; do
	grep -qF -- "$line" "$SCREEN" || { echo "FAIL: the status lacks the reason: $line" >&2; exit 1; }
done || FAILS=$((FAILS + 1))
hasnt "$SCREEN" "�"
screen_ok 80
finish
