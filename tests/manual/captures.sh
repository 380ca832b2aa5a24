#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The clerk's manual (docs/使用手册.md) shows the real console: this script
# drives it in tmux at 80×24, at the tests' fixed date, through the manual's
# story (first start, login, dashboard, a case, the menus, a refusal) and
# takes each screen named by a block
#   <!-- capture: NAME -->
#   ```text
#   …the screen…
#   ```
#   <!-- /capture -->
# `make manual` (MANUAL_WRITE=1) writes the screens into the manual; under
# make check the manual's screens must equal the console's, so they never
# drift: after changing a screen, run make manual and review git diff.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

MANUAL="$top_srcdir/docs/使用手册.md"
CAPS="$TMP/captures"
mkdir -p "$CAPS"

# shot NAME TEXT: when the screen shows TEXT, it is the capture NAME
shot() {
	wait_for "$2" || return 1
	screen_ok 80
	keep "$1"
}
# keep NAME: the screen as it is, but for the test's own directory, shown as
# the data directory a clerk's account has by default
keep() {
	sed "s|$TMP/data|/home/clerk/.local/share/dibao|g" "$SCREEN" >"$CAPS/$1.txt"
}

# home: Esc until the dashboard (a dossier opened from the list goes back to it)
home() {
	for _ in 1 2 3 4; do
		keys Escape
		wait_for "首页：各状态档案数" 10 2>/dev/null && return 0
		FAILS=$((FAILS - 1))
	done
	wait_for "首页：各状态档案数"
}

# ---- first start: an empty data directory
tui_start
shot firstrun "首次使用：建立本乡镇数据库"
tmux -L "$SOCK" kill-server 2>/dev/null

# ---- a township and one case, made through the command line
as admin secret-admin
dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin || exit 1
dib 0 standard set --area rural --from 2026-01 --amount 650 || exit 1
dib 0 standard set --area urban --from 2026-01 --amount 800 || exit 1
dib 0 village add 青石村 --groups 一组,二组,三组 --alias 青石 || exit 1
dib 0 village add 东岭社区 --groups 一组,二组 || exit 1
# the users of tests/lib.sh, with a person's name each
for u in clerk:李明 clerk2:赵敏 reviewer:王强 approver:陈静 inspector:刘洋; do
	login=${u%%:*}
	role=$login
	[ "$login" = clerk2 ] && role=clerk
	DIBAO_NEW_PASSWORD=secret-$login dib 0 user add "$login" --role "$role" --name "${u#*:}" || exit 1
done
clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 --address 青石村一组18号 --phone 13800001234 || exit 1
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 王芳 --id 330102195203150023 --relation 配偶 \
    --disability 肢体:2 --labour none || exit 1
dib 0 income add "$NO" --kind 养老金 --amount 300 || exit 1
dib 0 --json dossier new --area rural --village 青石村 --group 二组 --head-name 李四 \
    --head-id 330102196805120037 || exit 1
NO2=$(json_get dossier <"$OUT")
# 李四's case taken to 审核 (tests/lib.sh's to_reviewed walks $NO)
first=$NO
NO=$NO2
to_reviewed
NO=$first
clerk

# ---- login, dashboard, search, the dossier's tabs
tui_start
shot login "用户名"
login clerk secret-clerk
wait_for "首页：各状态档案数"
# the attention column is counted after the screen shows: until it is done
wait_for "2026-03"
wait_gone "正在统计待办事项"
keep dashboard
keys /
type_text "青石"
shot search "$NO2"
home
open_dossier "$NO"
keep household
keys Tab
shot members "王芳"
keys Tab Tab
shot checklist "F3 收到"
keys Tab
shot procedure "进入下一环节的规则检查"
# a refusal: advancing with the application documents missing
keys F3
wait_for "推进到“受理”"
keys F2
shot refusal "不予办理：全部原因"
keys Escape
wait_gone "不予办理：全部原因"
keys Escape
wait_for "进入下一环节的规则检查"
home

# ---- the main menu and its screens
keys F9
shot menu "主菜单"
home
menu 3 "动态管理月报（PDF 和 CSV）"
keep reports
home
menu 4 "F8 核验  Esc 返回"
keep print
home
menu 9 "备份存入新的或空的文件夹"
keep safety
home
menu 7 "导出月度归档"
keep archive
home
keys F1
shot help "按键说明"
home
keys F10
wait_for "EXITED 0"

[ "$FAILS" -eq 0 ] || finish

# ---- the manual's blocks against the screens
awk -v caps="$CAPS" '
/^<!-- capture: [a-z0-9-]+ -->$/ {
	print
	name = $3
	f = caps "/" name ".txt"
	print "```text"
	n = 0
	while ((getline line < f) > 0) { print line; n++ }
	close(f)
	if (n == 0) { print "no capture named " name > "/dev/stderr"; bad = 1 }
	print "```"
	skip = 1
	next
}
/^<!-- \/capture -->$/ { skip = 0 }
!skip { print }
END { exit bad }' "$MANUAL" >"$TMP/manual.md" || FAILS=$((FAILS + 1))

if [ -n "${MANUAL_WRITE:-}" ]; then
	cp "$TMP/manual.md" "$MANUAL"
	echo "wrote the screens into $MANUAL"
elif ! diff -u "$MANUAL" "$TMP/manual.md" >&2; then
	echo "FAIL: the manual's screens differ from the console's: run make manual and review git diff" >&2
	FAILS=$((FAILS + 1))
fi
# every capture taken is shown in the manual
for f in "$CAPS"/*.txt; do
	n=$(basename "$f" .txt)
	grep -qx "<!-- capture: $n -->" "$MANUAL" ||
		{ echo "FAIL: the manual has no block for the screen $n" >&2; FAILS=$((FAILS + 1)); }
done
finish
