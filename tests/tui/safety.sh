#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# 数据安全 (F9, 9) as the command line has it: a hot backup written while
# the console holds the database (`dibao backup`), restored by `dibao
# restore` into a new directory that `dibao check` passes; the check
# (`dibao check`), the audit chain verified (`audit --verify`) and one
# dossier's audit trail (`audit --object`) with its ID number masked and
# Enter opening the dossier.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
as admin secret-admin
dib 0 --json audit --verify
COUNT=$(json_get entries <"$OUT")

tui_start
login admin secret-admin   # a backup takes data away: clerks and admins (SPEC 11)
wait_for "首页：各状态档案数"
keys F9
wait_for "数据安全：备份、检查、审计记录"
keys 9
wait_for "备份存入新的或空的文件夹"
screen_ok 80

# the backup, then restored elsewhere and checked there
keys Down
type_text "$TMP/备份"
keys F2
wait_for "已备份到 $TMP/备份"
DIBAO_DATA="$TMP/restored" dib 0 restore "$TMP/备份"
DIBAO_DATA="$TMP/restored" dib 0 --json dossier show "$NO"
has "$OUT" "张三"
DIBAO_DATA="$TMP/restored" dib 0 check

# the check
keys Up Right
wait_for "‹ 检查数据 ›"
keys F2
wait_for "检查：未发现问题"
keys Escape
wait_for "‹ 检查数据 ›"

# the audit chain
keys Right
wait_for "‹ 核验审计链 ›"
keys F2
wait_for "审计链完整：共 $((COUNT + 1)) 条"   # and the backup, audited

# one dossier's trail: the ID number masked; Enter opens the dossier
keys Right Down
keys End
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do keys BSpace; done
type_text "$NO"
keys F2
wait_for "dossier.new"
screen_ok 80
# the detail is the last column: wide enough to read it whole
resize 200 30
wait_for "330102********0014"
hasnt "$SCREEN" "330102195001010014"
resize 80 24
wait_gone "330102********0014"
keys Enter
wait_for "户信息"
has "$SCREEN" "张三"

keys F10
wait_for "EXITED 0"
finish
