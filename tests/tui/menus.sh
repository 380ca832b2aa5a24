#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The main menu (F9): the clue ledger (a clue with Chinese content and its
# handler added, listed and written as CSV), the monthly report written as
# a PDF that qpdf accepts, the application form of a dossier printed and
# sent to the printer, and a setting changed (notice.days, as `dibao
# setting get` then reads it).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
as admin secret-admin
dib 0 setting list
IDX=$(grep -n '^notice\.days' "$OUT" | cut -d: -f1)
[ -n "$IDX" ] || { echo "FAIL: notice.days not in the setting list" >&2; cat "$OUT" >&2; exit 1; }

# a printer: lp records what it was given and talks as CUPS's does
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "request id is HP-1 (1 file(s))"\necho "$2" >"%s/lp.out"\n' "$TMP" >"$TMP/bin/lp"
chmod +x "$TMP/bin/lp"

tui_start "PATH=$TMP/bin:$PATH"
login clerk secret-clerk
wait_for "首页：各状态档案数"
keys F9
wait_for "主菜单"
screen_ok 80

# ledgers: a clue with Chinese content
keys 2
wait_for "举报线索台账"
keys F3
wait_for "登记举报线索"
keys Down Down
type_text "反映某村干部优亲厚友，违规为亲属办理低保"
# the handler (`clue add --handler`)
keys Down Down Down Down
type_text "reviewer"
keys F2
wait_for "已登记"
wait_for "反映某村干部优亲厚友"
screen_ok 80
dib 0 --json clue list
has "$OUT" "反映某村干部优亲厚友，违规为亲属办理低保"
has "$OUT" '"handler": "reviewer"'
# the ledger as CSV (`clue list --open --csv`)
keys F8
wait_for "只含未销号的"
keys Right Down Down
type_text "$TMP/线索.csv"
keys F2
wait_for "已写入 1 行"
has "$TMP/线索.csv" "反映某村干部优亲厚友"
# no file named: ~/低保输出/举报线索台账.csv
keys F8
wait_for "只含未销号的"
keys F2
wait_for "已写入 1 行"
has "$HOME_TUI/低保输出/举报线索台账.csv" "反映某村干部优亲厚友"
keys Escape
wait_for "主菜单"

# reports: the monthly report as a PDF
keys 3
wait_for "动态管理月报（PDF 和 CSV）"
keys 1
wait_for "CSV 文件"
keys Down
type_text "$TMP/月报.pdf"
keys Down
type_text "$TMP/月报.csv"
keys F2
wait_for "月报已写出"
[ -s "$TMP/月报.pdf" ] || { echo "FAIL: no monthly report PDF" >&2; FAILS=$((FAILS + 1)); }
[ -s "$TMP/月报.csv" ] || { echo "FAIL: no monthly report CSV" >&2; FAILS=$((FAILS + 1)); }
if command -v qpdf >/dev/null; then
	qpdf --check "$TMP/月报.pdf" >/dev/null 2>&1 || { echo "FAIL: qpdf --check" >&2; FAILS=$((FAILS + 1)); }
fi
# again with no file named: both in ~/低保输出, named after the month
keys 1
wait_for "CSV 文件"
keys F2
wait_for "月报已写出：$HOME_TUI/低保输出/"
for f in pdf csv; do
	[ -s "$HOME_TUI/低保输出/动态管理月报-2026-03.$f" ] ||
	    { echo "FAIL: no monthly report $f in ~/低保输出" >&2; ls -R "$HOME_TUI" >&2; FAILS=$((FAILS + 1)); }
done
keys Escape
wait_for "主菜单"

# printing: the application form of the dossier
keys 4
wait_for "验证码"
has "$SCREEN" "最低生活保障申请书"
keys Down
type_text "$NO"
keys Down
type_text "$TMP/申请书.pdf"
# to the printer too (`print --lp`): lp's chatter must not reach the screen
keys Down Down Down Right
keys F2
wait_for "已写到"
[ -s "$TMP/申请书.pdf" ] || { echo "FAIL: no application form PDF" >&2; FAILS=$((FAILS + 1)); }
hasnt "$SCREEN" "request id"
has "$TMP/lp.out" "$TMP/申请书.pdf"
screen_ok 80
# no path given, twice: ~/低保输出, the second beside the first, not over it
keys Up Up Up End
i=0
while [ $i -lt 60 ]; do keys BSpace; i=$((i + 1)); done
keys Down Down Down Left
keys F2
wait_for "文件：$HOME_TUI/低保输出/"   # the rest may be cut at 80 columns
has "$SCREEN" "验证码："
# named after the form's Chinese title
[ -s "$HOME_TUI/低保输出/最低生活保障申请书-$NO.pdf" ] || { echo "FAIL: no PDF in ~/低保输出" >&2; ls -R "$HOME_TUI" >&2; FAILS=$((FAILS + 1)); }
keys F2
n=50
while [ $n -gt 0 ] && [ ! -s "$HOME_TUI/低保输出/最低生活保障申请书-$NO-2.pdf" ]; do sleep 0.1; n=$((n - 1)); done
settle
qpdf --check "$HOME_TUI/低保输出/最低生活保障申请书-$NO-2.pdf" >/dev/null 2>&1 ||
    { echo "FAIL: the second PDF in ~/低保输出" >&2; FAILS=$((FAILS + 1)); }
keys Escape
wait_for "主菜单"

# settings: the clerk sees them, may not change them (the reason shown)
keys 6
wait_for "参数设置"
has "$SCREEN" "不可操作"
keys Escape Escape
wait_for "首页：各状态档案数"
keys F10
wait_for "EXITED 0"
tui_start
login admin secret-admin
wait_for "首页：各状态档案数"
menu 6 "参数设置"
# the settings in words (issue 15 point 7): names, not keys; values in words
wait_for "月保障金取整"
has "$SCREEN" "乡镇名称"
has "$SCREEN" "到元（四舍五入）"
hasnt "$SCREEN" "township.name"
hasnt "$SCREEN" "yuan"
i=1
while [ "$i" -lt "$IDX" ]; do
	keys Down
	i=$((i + 1))
done
keys Enter
wait_for "参数 公示期（天）"
keys End BSpace BSpace BSpace BSpace
type_text "10"
keys Enter
wait_for "公示期（天） = 10 已保存"
screen_ok 80
dib 0 setting get notice.days
has "$OUT" "10"

# a wide terminal
resize 120 40
wait_for "公示期（天）"
screen_ok 120
resize 80 24

keys F10
wait_for "EXITED 0"
finish
