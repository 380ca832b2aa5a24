#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 15 point 6: on every screen the function-key bar, the hint line and
# the F1 help agree, all three coming from the screen's one key table.  For
# each screen visited at 80×24: every key on the bar (but F1, F5, F10, on
# every bar) shows on the hint line as "FN label" with the bar's label;
# every "FN label" on the screen is on the bar with that label; F1 lists
# every key of the bar with its label under "本画面的按键".
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

FAILS=0
setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
as admin secret-admin

# bar_items: the bar (last row) as "N label" lines, a key drawn dim (the
# role may not use it) as "~N label"
ESC=$(printf '\033')
bar_items() {
	tmux -L "$SOCK" capture-pane -p -e | sed -n 24p | sed -E "s/${ESC}\[2m([0-9])/~\1/g; s/${ESC}\[[0-9;]*m//g" |
	    tr ' ' '\n' | grep -E '^~?[0-9]+[^0-9]' | sed -E 's/^(~?[0-9]+)(.*)$/\1 \2/'
}

# check NAME: the bar against F1 help, and both against the rest of the screen
check() {
	name=$1
	settle
	capture
	cp "$SCREEN" "$TMP/shown"
	screen_ok 80
	if [ -z "$(bar_items)" ]; then
		echo "FAIL: $name: no function-key bar" >&2
		FAILS=$((FAILS + 1))
		return
	fi
	bar_items >"$TMP/bar"
	head -23 "$SCREEN" >"$TMP/body"
	# a top-level screen: the whole screen as expected (issue 15 point 9),
	# the test's own directory written as <TMP>
	if [ "${2:-}" = expect ]; then
		sed "s|$TMP|<TMP>|g" "$SCREEN" >"$TMP/expect" && cp "$TMP/expect" "$SCREEN"
		expect_screen "top-$name"
	fi
	keys F1
	wait_for "本画面的按键" || return
	# this screen's F-keys in help: "N<tab>label<tab>what it does"
	sed -n '/本画面的按键/,/其他画面的按键/p' "$SCREEN" |
	    sed -nE 's/（本角色不可用）$//; s/^ +F([0-9]+) +([^ ]+)( — (.*))?$/\1	\2	\4/p' >"$TMP/help"
	keys Escape
	wait_gone "本画面的按键"
	sed 's/^~//' "$TMP/bar" | while read -r n label; do
		if ! grep -q "^$n	$label	" "$TMP/help"; then
			echo "FAIL: $name: F1 help does not list F$n $label" >&2
			echo x >>"$TMP/hintfails"
		fi
	done
	# every key of the bar the role may use (but the four on every bar)
	# is named on the screen by its label or by what it does
	while read -r n label; do
		case $n in 1 | 5 | 9 | 10 | ~*) continue ;; esac
		what=$(grep "^$n	" "$TMP/help" | cut -f3)
		if ! grep -qE "(^| )F$n +$label([ ：]|$)" "$TMP/body" &&
		    { [ -z "$what" ] || ! grep -qF -e "F$n  $what" -e "F$n $what" "$TMP/body"; }; then
			echo "FAIL: $name: bar key $n$label is not on the hint line as F$n $label" >&2
			sed 's/^/  | /' "$TMP/shown" >&2
			FAILS=$((FAILS + 1))
		fi
	done <"$TMP/bar"
	# every "FN word" on the screen is the bar's key N, by its label or
	# by what it does
	grep -oE "(^| )F[0-9]+ +[^ ：—]+" "$TMP/body" | sed -E 's/^ //; s/^F//; s/ +/ /' | while read -r n word; do
		if ! grep -qxE "~?$n $word" "$TMP/bar" && ! grep -q "^$n	.*	$word" "$TMP/help"; then
			echo "FAIL: $name: F$n $word on the screen, but the bar says: $(sed -n 24p "$TMP/shown")" >&2
			echo x >>"$TMP/hintfails"
		fi
	done
	echo "ok: $name: $(tr '\n' ' ' <"$TMP/bar")"
}

# menu N TEXT: from the home screen, item N of the main menu
menu() {
	wait_for "首页：各状态档案数" || return 1
	keys F9
	wait_for "主菜单" || return 1
	keys "$1"
	wait_for "$2"
}
home() {
	keys Escape
	wait_for "主菜单"
	keys Escape
	wait_for "首页：各状态档案数"
}

tui_start
wait_for "用户名" && check login expect
login admin secret-admin
wait_for "首页：各状态档案数"
check dashboard
keys F9
wait_for "主菜单"
check menu expect
keys Escape
wait_for "首页：各状态档案数"
menu 6 "用户" || exit 1
for page in settings standards villages users checklist; do
	check "settings.$page" expect
	keys F7
	sleep 0.2
done
home
menu 7 "月度归档" && check archive expect
home
menu 9 "备份" && check safety expect
home

tui_start
login clerk secret-clerk
menu 1 "关联人员" || exit 1
for page in staff matches filings unfiled; do
	check "registry.$page" expect
	keys F7
	sleep 0.2
done
home
menu 2 "举报线索台账" && check ledger expect
home
menu 3 "动态管理月报" && check reports expect
home
menu 4 "验证码" && check print expect
home
menu 5 "花名册" && check import expect
home
menu 8 "批量" && check batch expect
home
menu 0 "低保金" && check payment expect
home
# the dossier list and every tab of a dossier
keys Enter
wait_for "$NO" && check dossier-list expect
keys /
type_text "$NO"
keys Enter
wait_for "$NO"
keys Enter
wait_for "户信息"
for tab in 1 2 3 4 5 6 7; do
	check "dossier.tab$tab"
	keys Tab
	sleep 0.2
done
# a form: the household's
keys F4
wait_for "F2 保存" && check form
keys Escape
[ -f "$TMP/hintfails" ] && FAILS=$((FAILS + $(wc -l <"$TMP/hintfails")))
[ "$FAILS" -eq 0 ] || { echo "$FAILS failures" >&2; exit 1; }
exit 0
