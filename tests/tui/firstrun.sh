#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The console's start: the UTF-8 check, the first-run screen on an empty
# data directory (township, admin, password twice; demo declined), then
# logging in with a wrong password and the right one; three wrong tries
# pause the login screen.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

# not UTF-8: a message in Chinese and English naming the fix, exit 2
LC_ALL=C LANG=C "$DIBAO" >"$OUT" 2>"$ERR" </dev/null
eq "$?" 2 "exit status without a UTF-8 locale"
has "$ERR" "export LANG=zh_CN.UTF-8"
has "$ERR" "UTF-8 locale"

tui_start
wait_for "首次使用：建立本乡镇数据库"
keys 33010 Tab
wait_for "乡镇代码：必须是 9 位数字"   # validated on leaving the field
keys BTab End 2001 Tab
type_text "青石镇"
keys Tab Tab
type_text "secret-admin"
keys Tab
type_text "secret-admiN"
keys F2
wait_for "两次输入的密码不一致"
keys BSpace
type_text "n"
keys F2
wait_for "载入 500 户演示数据试用？(Y/N)"
keys n
wait_for "首页：各状态档案数"
has "$SCREEN" "全部档案"
# F1: the keys, from the same table as the bar
keys F1
wait_for "按键说明"
has "$SCREEN" "保存表单（保存前不写入任何内容）"
keys Escape
wait_for "首页：各状态档案数"
has "$SCREEN" "管理员 admin"
screen_ok 80
# encrypted, with the recovery sheet for the safe (SPEC 11)
[ -s "$DIBAO_DATA/dibao.keys" ] || { echo "FAIL: the first run made no key file" >&2; FAILS=$((FAILS + 1)); }
qpdf --check "$HOME_TUI/低保输出/恢复页.pdf" >/dev/null 2>&1 || { echo "FAIL: no recovery sheet in ~/低保输出" >&2; FAILS=$((FAILS + 1)); }
keys F10
wait_for "EXITED 0"

# the store was made through the store API: the command line sees it
as admin secret-admin
dib 0 setting list
has "$OUT" "青石镇"

# a wrong password, then the right one (on a terminal without colours)
TUI_TERM=vt220 tui_start NO_COLOR=1
login admin wrong-password
wait_for "密码"
wait_for "错误"
keys BSpace
type_text "secret-admin"
keys Enter
wait_for "首页：各状态档案数"
keys F10
wait_for "EXITED 0"
dib 0 audit
has "$OUT" "login.fail"

# three wrong tries: a pause shown on the screen
tui_start
login admin bad1
wait_for "错误"
type_text "bad2"
keys Enter
sleep 0.5
type_text "bad3"
keys Enter
wait_for "密码错误次数过多，请等待"
keys F10
wait_for "EXITED 0"

# the terminal window closed (SIGHUP) in the middle of work: the console
# leaves through its normal way out (status 0, the environment closed),
# not killed by the signal (status 129) nor spinning on a dead terminal
tui_start
login admin secret-admin
wait_for "首页：各状态档案数"
# the console's process, in the pane's session
sid=$(ps -o sid= -p "$(tmux -L "$SOCK" display -p '#{pane_pid}')" | tr -d ' ')
pid=$(pgrep -x dibao -s "$sid")
if [ -n "$pid" ]; then
	kill -HUP "$pid"
	wait_for "EXITED 0"
else
	echo "FAIL: no console process in the pane's session $sid" >&2
	FAILS=$((FAILS + 1))
fi
finish
