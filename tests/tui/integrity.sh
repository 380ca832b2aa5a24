#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Integrity in the console (issue 12): a clerk who is the declared relative
# of a member is refused every write on that dossier (R11), not only the
# stage buttons: marking its checklist from the checklist tab changes
# nothing, while another clerk's mark goes through.  A re-application
# shows the household's earlier dossier (point 12).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-kc dib 0 user add kc --role clerk --name 亲属经办 --id 330102198001010034 || exit 1
dib 0 kin staff add --name 亲属经办 --id 330102198001010034 --kind 低保经办人员 --unit 民政办 || exit 1
dib 0 kin relative add 330102198001010034 --name 李四 --id 330102196005050018 --relation 父母 || exit 1
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 李四 --head-id 330102196005050018 || exit 1
NO=$(json_get dossier <"$OUT")

tui_start
login kc secret-kc
wait_for "首页：各状态档案数"
keys /
wait_for "查找："
type_text "$NO"
wait_for "李四"
keys Enter
wait_for "户信息"
keys Tab Tab Tab
wait_for "F3 收到"
keys F3
wait_for "R11"
as clerk secret-clerk
dib 0 --json checklist "$NO"
grep -A6 '"code": "SQS"' "$OUT" | grep -q '"received": null' ||
	{ echo "FAIL: SQS was marked by the relative" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json audit --object "$NO" && hasnt "$OUT" '"operator": "kc"'
dib 0 checklist mark "$NO" SQS
dib 0 --json audit --object "$NO" && has "$OUT" "checklist.mark"

keys F10
wait_for "EXITED 0"

# ---- 12. a re-application shows the household's earlier dossier (原档案)
as clerk secret-clerk
dib 0 reject "$NO" --reason 家庭收入超过标准
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 李四 --head-id 330102196005050018 || exit 1
NEW=$(json_get dossier <"$OUT")
tui_start
login clerk secret-clerk
wait_for "首页：各状态档案数"
keys /
wait_for "查找："
type_text "$NEW"
wait_for "李四"
keys Enter
wait_for "户信息"
wait_for "原档案"
wait_for "$NO"
keys F10
wait_for "EXITED 0"
finish
