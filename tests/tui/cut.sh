#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 15 point 9: at 80×24 with the longest real values (a 4-character
# village with 5 groups, a 20-character address, a 10-character bank name,
# a 4-character name) the screens show whole words or an ellipsis, never a
# silently cut text: the village list, the dossier list, the household tab.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

FAILS=0
setup_township
dib 0 village add 清水河村 --groups 第一村民组,第二村民组,第三村民组,第四村民组,第五村民组 --alias 清水河,清水 || exit 1
as clerk secret-clerk
ADDR=清水河村第五村民组幸福路一百二十八号院
BANK=浙江农村商业银行清水支行
dib 0 --json dossier new --area rural --village 清水河村 --group 第五村民组 --head-name 欧阳春花 \
    --head-id 330102195001010014 --address "$ADDR" --bank "$BANK" --account 6230910000000000001 || exit 1
NO=$(json_get dossier <"$OUT")
# found through a member who is not the head: "head/member" in whole names
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 王建国 \
    --head-id 330102196001010019 || exit 1
NO2=$(json_get dossier <"$OUT")
dib 0 member add "$NO2" --name 李四明 --id 330102196203150028 --relation 配偶 || exit 1

# whole_or_marked TEXT LINE-PATTERN: the line holding LINE-PATTERN shows
# TEXT whole, or ends its cut part in an ellipsis
whole_or_marked() {
	line=$(grep -F -- "$2" "$SCREEN" | head -1)
	case $line in
	*"$1"*) return 0 ;;
	*…*) return 0 ;;
	esac
	echo "FAIL: \"$1\" cut without a mark: $line" >&2
	FAILS=$((FAILS + 1))
}

start_as admin secret-admin
keys F9
wait_for "主菜单"
keys 6
wait_for "参数设置"
keys F7
sleep 0.2
keys F7
wait_for "清水河村"
screen_ok 80
whole_or_marked "第五村民组" "清水河村"
whole_or_marked "清水河,清水" "清水河村"
# the settings: every description whole or marked
keys F7 F7 F7
wait_for "乡镇名称"
grep -q "9 位乡镇代码（初始化时设定，只读）\|9 位乡镇代码.*…" "$SCREEN" ||
    { echo "FAIL: a setting's description cut without a mark" >&2; sed 's/^/  | /' "$SCREEN" >&2; FAILS=$((FAILS + 1)); }
keys F10
wait_for "EXITED 0"

start_as clerk secret-clerk
open_dossier "$NO"
screen_ok 80
whole_or_marked "$ADDR" "地址"
whole_or_marked "$BANK" "一卡通"
# the household's form: a field not being edited shows its beginning (an
# ellipsis when it is longer), not its end
keys F4
wait_for "F2 保存"
line=$(grep -F "地址" "$SCREEN" | head -1)
case $line in *清水河村*) ;; *) echo "FAIL: the address field does not show its beginning: $line" >&2; FAILS=$((FAILS + 1)) ;; esac
whole_or_marked "$ADDR" "地址"
keys Escape
wait_for "户信息"
# back to the list the search gave: the village and group column
keys Escape
wait_for "档案号、身份证号、姓名或村"
screen_ok 80
whole_or_marked "清水河村第五村民组" "欧阳春花"
# the search result "王建国/李…" (point 9): at 80 columns the head whole
# and "/…" for the member, never part of a name; wider, both whole
keys /
type_text 李四
wait_for "王建国"
screen_ok 80
line=$(grep -F "王建国" "$SCREEN" | head -1)
case $line in
*王建国/李四明*|*"王建国/… "*) ;;
*) echo "FAIL: the search result cuts a name: $line" >&2; FAILS=$((FAILS + 1)) ;;
esac
resize 100 24
wait_for "王建国/李四明"
resize 80 24
keys F10
wait_for "EXITED 0"
[ "$FAILS" -eq 0 ] || exit 1
exit 0
