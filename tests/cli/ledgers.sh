#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The two ledgers of SPEC 6 through the real binary: complaint clues with
# per-year numbers, appended notes, closing only with finding and action,
# the reporter hidden from a clerk and shown to the inspector (audited),
# overdue clues; an objection clue on a dossier in its notice period
# blocks approval (R13) until closed; the rectification ledger.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人

# ---- clues
clerk
dib 0 --json clue add --channel 电话 --content "反映某户家中有车仍享受低保" --reporter "举报人李某某 13900001111" --category 关系保
eq "$(json_get number <"$OUT")" "XS-2026-001" "first clue number"
C1=XS-2026-001
dib 0 --json clue add --channel letter --content "反映低保金被截留" --category embezzlement --deadline 2026-03-20
eq "$(json_get number <"$OUT")" "XS-2026-002" "second clue number"
C2=XS-2026-002
dib 1 clue add --channel 电报 --content x && has "$ERR" "电话"
dib 2 clue add --channel 电话

# the deadline defaults from clue.deadline.days (30)
dib 0 --json clue show "$C1" && has "$OUT" '"deadline": "2026-04-15"'
# the reporter: hidden from the clerk, shown to the inspector and audited
dib 0 clue show "$C1" && has "$OUT" "（保密）" && hasnt "$OUT" "李某某"
dib 0 clue list && hasnt "$OUT" "李某某"
as inspector secret-inspector
dib 1 clue add --channel 电话 --content x && has "$ERR" "不允许"
dib 0 clue show "$C1" && has "$OUT" "李某某"
dib 0 --json audit --object "$C1" && has "$OUT" "read.confidential"
hasnt "$OUT" "李某某"                                    # the chain never holds the reporter
as admin secret-admin
dib 0 clue show "$C1" && has "$OUT" "李某某"

# notes are appended; closing needs finding and action
clerk
dib 0 clue update "$C1" --note "已入户核查"
dib 0 clue update "$C1" --note "已调取车辆登记信息"
dib 0 --json clue show "$C1" && has "$OUT" "已入户核查" && has "$OUT" "已调取车辆登记信息"
dib 1 clue close "$C1" --action "取消低保" && has "$ERR" "属实"
dib 1 clue close "$C1" --finding 属实 && has "$ERR" "处理结果"
dib 1 clue close "$C1" --finding 大概 --action x
dib 0 clue close "$C1" --finding 属实 --action "停发低保金并追回" --transfer
dib 1 clue close "$C1" --finding 属实 --action again
dib 1 clue update "$C1" --note late
dib 0 --json clue show "$C1" && has "$OUT" '"finding": "true"' && has "$OUT" '"transferred": true' && has "$OUT" '"closed": "2026-03-16"'
dib 0 --json audit --object "$C1" && has "$OUT" "clue.close"

# lists: open and overdue
dib 0 clue list --open && has "$OUT" "$C2" && hasnt "$OUT" "$C1"
FAKETIME_AT="2026-03-25 09:00:00" dib 0 clue list --overdue && has "$OUT" "$C2" && hasnt "$OUT" "$C1"
dib 0 clue list --overdue && hasnt "$OUT" "$C2"
dib 0 clue list --csv "$TMP/clues.csv"
eq "$(head -c 3 "$TMP/clues.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "clue CSV BOM"
has "$TMP/clues.csv" "编号"
hasnt "$TMP/clues.csv" "李某某"
dib 0 --json stats && has "$OUT" '"embezzlement": 1' && has "$OUT" '"connections": 0'

# ---- rectifications
dib 0 --json fix add --problem "低保档案缺少公示记录" --source 督查 --measure "补充公示材料" --owner 王主任 --deadline 2026-03-31
eq "$(json_get number <"$OUT")" "ZG-2026-001" "first rectification number"
F1=ZG-2026-001
dib 1 fix add --problem x --source 路过 --measure y --owner z --deadline 2026-03-31
dib 1 fix add --problem x --source 自查 --measure y --owner z --deadline 2026-03-01 && has "$ERR" "时限"
dib 0 fix update "$F1" --note "已补公示照片"
dib 1 fix close "$F1" && has "$ERR" "整改佐证"
dib 0 fix list --open && has "$OUT" "$F1"
FAKETIME_AT="2026-04-02 09:00:00" dib 0 fix list --overdue && has "$OUT" "$F1"
dib 0 fix close "$F1" --evidence "公示照片及记录已归档"
dib 0 fix list --open && hasnt "$OUT" "$F1"
dib 0 --json fix list && has "$OUT" "已补公示照片" && has "$OUT" "公示照片及记录已归档"
dib 0 fix list --csv "$TMP/fixes.csv"
eq "$(head -c 3 "$TMP/fixes.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "fix CSV BOM"
has "$TMP/fixes.csv" "整改措施"

# ---- R13: an objection during the notice period blocks approval
clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id 330102195001010014
NO=$(json_get dossier <"$OUT")
dib 0 income add "$NO" --kind 养老金 --amount 300
for c in SQS SFZ HKB SQR; do mark "$NO" $c --signed; done
dib 0 advance "$NO"
for c in SRZM DCB; do mark "$NO" $c --signed; done
dib 0 advance "$NO" --surveyors clerk,clerk2
mark "$NO" HDBG
dib 0 advance "$NO"
mark "$NO" PYJL --signed
dib 0 advance "$NO" --participants 9 --representatives 6
mark "$NO" SHB --stamped
as reviewer secret-reviewer
dib 0 advance "$NO"
clerk
dib 0 notice post --village 青石                    # by its alias
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "NOTICED"'
mark "$NO" GSJL
mark "$NO" SPB --stamped
FAKETIME_AT="2026-03-18 10:00:00" dib 0 --json clue add --channel 来访 --content "群众对该户收入有异议" --dossier "$NO" --category 错保
OBJ=$(json_get number <"$OUT")
dib 1 clue add --channel 来访 --content x --dossier 330102001-2026-09999
as approver secret-approver
FAKETIME_AT="2026-03-24 09:00:00" dib 1 advance "$NO" && has "$ERR" "R13" && has "$ERR" "异议"
clerk
FAKETIME_AT="2026-03-24 10:00:00" dib 0 clue close "$OBJ" --finding 不属实 --action "经核查收入情况属实，异议不成立"
as approver secret-approver
FAKETIME_AT="2026-03-24 11:00:00" dib 0 --json advance "$NO" && has "$OUT" '"status": "APPROVED"'
dib 0 audit --verify

finish
