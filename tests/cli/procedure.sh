#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The case procedure end to end through the real binary: a dossier from
# application to approval with the right users, the amount right to the
# fen, and every refusal path — incomplete checklist, wrong role, unsigned
# item, two surveyors, the two-thirds rule, separation of duties, approval
# during the notice (dates fixed with faketime), warnings needing the
# approver's reason, a dead member still guaranteed, a government-funded
# member, deposits over the red line, a vehicle; then review, rejection,
# exit and a new head after a death.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人
DIBAO_NEW_PASSWORD=secret-approver2 dib 0 user add approver2 --role approver --name 第二审批人

HEAD=330102195001010014      # 张三, male, born 1950 (76 in 2026)
WIFE=330102195203150023      # 王芳, female, 1952
SON=330102198006070036

new_case() { # new_case HEAD_ID NAME -> $NO
	clerk
	dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name "$2" --head-id "$1" || exit 1
	NO=$(json_get dossier <"$OUT")
}

# ---- the whole way, with the refusals on it
new_case "$HEAD" 张三
FIRST=$NO
dib 0 member add "$NO" --name 王芳 --id "$WIFE" --relation 配偶 --disability 肢体:2 --labour none
dib 0 income add "$NO" --kind 养老金 --amount 300
dib 0 --json checklist "$NO"
has "$OUT" '"code": "SQS"' && has "$OUT" '"stage": "ACCEPTED"' && has "$OUT" '"complete": false'

dib 1 advance "$NO" && has "$ERR" "R10" && has "$ERR" "SQS"
mark "$NO" SQS                                   # received but not signed
mark "$NO" SFZ
mark "$NO" HKB
mark "$NO" SQR --signed
dib 1 advance "$NO" && has "$ERR" "SQS" && hasnt "$ERR" "SFZ"
mark "$NO" SQS --signed
as reviewer secret-reviewer
dib 1 advance "$NO" && has "$ERR" "不允许"      # a reviewer does not accept cases
clerk
dib 0 advance "$NO" && has "$OUT" "受理"
mark "$NO" SRZM
mark "$NO" CJZ                                   # the wife is disabled: needed
mark "$NO" DCB --signed
dib 1 advance "$NO" && has "$ERR" "两"           # two surveyors are needed
dib 1 advance "$NO" --surveyors clerk,clerk && has "$ERR" "两"
dib 1 advance "$NO" --surveyors clerk,nobody && has "$ERR" "nobody"
dib 0 advance "$NO" --surveyors clerk,clerk2
mark "$NO" HDBG
dib 0 advance "$NO"
mark "$NO" PYJL --signed
dib 1 advance "$NO" --participants 9 --representatives 5 && has "$ERR" "三分之二"
# the real reason, the fields named, no flag (issue 15 point 7)
dib 1 advance "$NO" --participants 6 --representatives 9 && has "$ERR" "居民代表人数：9 人，但参加人数只有 6 人" && hasnt "$ERR" "--"
dib 0 advance "$NO" --participants 9 --representatives 6 --date 2026-03-12
as reviewer secret-reviewer
dib 1 advance "$NO" && has "$ERR" "SHB"
clerk
mark "$NO" SHB --stamped
as reviewer secret-reviewer
dib 0 --json advance "$NO" && has "$OUT" '"status": "REVIEWED"'
as approver secret-approver
dib 1 advance "$NO" && has "$ERR" "不允许"      # the clerk posts the notice
clerk
dib 0 advance "$NO"                              # notice from 2026-03-16, 7 days
mark "$NO" GSJL
mark "$NO" SPB --stamped
as approver secret-approver
dib 1 advance "$NO" && has "$ERR" "R13" && has "$ERR" "2026-03-23"
FAKETIME_AT="2026-03-23 16:00:00" dib 1 advance "$NO" && has "$ERR" "R13"
FAKETIME_AT="2026-03-24 09:00:00" dib 0 --json advance "$NO"
has "$OUT" '"status": "APPROVED"'
# S=650; H=300, 2 members: P=150; base 2 x 500; add-ons: 张三 76 -> 70+ 15% = 97.50,
# 王芳 physical grade 2 -> severe 30% = 195.00; 1292.50 -> 1293 (whole yuan, half up)
has "$OUT" '"total": 129300'
dib 0 --json calc "$NO" --stored
has "$OUT" '"per_capita": 15000' && has "$OUT" '"base": 100000' && has "$OUT" '"addons": 29250' && has "$OUT" '"total": 129300'
has "$OUT" '"standard": 65000'
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "APPROVED"' && has "$OUT" '"effective": "2026-04"'
has "$OUT" '"category": "A"' && has "$OUT" '"next_review": "2027-03-24"'
dib 0 --json audit --object "$NO" && has "$OUT" '"case.advance"'

# the approved amount stays readable after the standard changes
as admin secret-admin
dib 0 standard set --area rural --from 2026-07 --amount 700
dib 0 --json calc "$NO" --stored && has "$OUT" '"standard": 65000' && has "$OUT" '"total": 129300'
FAKETIME_AT="2026-07-10 09:00:00" dib 0 --json calc "$NO" && has "$OUT" '"standard": 70000'

# ---- periodic review: recomputed under the new standard
clerk
FAKETIME_AT="2026-07-10 09:00:00" dib 1 review "$NO" && has "$ERR" "FHJL"
FAKETIME_AT="2026-07-10 09:00:00" mark "$NO" FHJL
# S=700: base 2 x 550 = 1100, add-ons 105 + 210 = 315 -> 1415
FAKETIME_AT="2026-07-10 09:00:00" dib 0 --json review "$NO" && has "$OUT" '"total": 141500'
dib 0 --json dossier show "$NO" && has "$OUT" '"total": 141500'

# ---- separation of duties: the reviewer's own approval is refused
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-both dib 0 user add both --role approver --name 兼职
new_case 330102198812120093 赵六
ZHAO=$NO
dib 0 income add "$NO" --kind 工资性 --amount 100
to_reviewed
clerk
dib 0 advance "$NO"
mark "$NO" GSJL
mark "$NO" SPB --stamped
# (the reviewer account cannot approve at all: wrong role)
as reviewer secret-reviewer
FAKETIME_AT="2026-03-30 09:00:00" dib 1 advance "$NO" && has "$ERR" "不允许"

# ---- blocking rules at review: government-funded member, deposits, vehicle
new_case 330102194511110053 李四
dib 0 member add "$NO" --name 李小四 --id "$SON" --relation 子 --staff
dib 0 asset set "$NO" --deposits 200000 --vehicles 1
dib 0 income add "$NO" --kind 工资性 --amount 100
clerk
for c in SQS SFZ HKB SQR; do mark "$NO" $c --signed; done
dib 0 advance "$NO"
for c in SRZM DCB; do mark "$NO" $c --signed; done
dib 0 advance "$NO" --surveyors clerk,clerk2
mark "$NO" HDBG
dib 0 advance "$NO"
mark "$NO" PYJL --signed
dib 0 advance "$NO" --participants 3 --representatives 2
mark "$NO" SHB --stamped
as reviewer secret-reviewer
dib 1 advance "$NO"
has "$ERR" "R2" && has "$ERR" "R3" && has "$ERR" "R5" && has "$ERR" "李小四"
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "EVALUATED"'    # nothing changed
# rejection by the reviewer before review, with a reason
dib 1 reject "$NO" --reason ""
dib 0 reject "$NO" --reason "家庭存款超过规定标准" && has "$OUT" "不予受理"
dib 1 reject "$NO" --reason again                                         # already closed
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "REJECTED"'
# a rejected household may apply again: its members are free (R7)
new_case 330102194511110053 李四
eq "$(echo "$NO" | cut -c11-)" "2026-00004" "re-application number"

# ---- warnings need the approver's written reason; a dead member still guaranteed
new_case 330102197005050063 孙七
dib 0 member add "$NO" --name 孙小七 --id "$SON" --relation 子
dib 0 asset set "$NO" --houses 2
to_reviewed
clerk
dib 0 advance "$NO"
mark "$NO" GSJL
mark "$NO" SPB --stamped
dib 0 member death "$NO" "$SON" --date 2026-02-10
as approver secret-approver
FAKETIME_AT="2026-03-30 09:00:00" dib 1 advance "$NO"
# R9 (SPEC 3) only where a stored amount after the death counts the member:
# the approval's calculation leaves the dead son out by itself
hasnt "$ERR" "R9" && has "$ERR" "R4" && has "$ERR" "越过理由"
clerk
dib 0 member edit "$NO" "$SON" --not-guaranteed
as approver secret-approver
FAKETIME_AT="2026-03-30 09:00:00" dib 1 advance "$NO" && hasnt "$ERR" "R9" && has "$ERR" "R4"
FAKETIME_AT="2026-03-30 09:00:00" dib 0 advance "$NO" --override "两处房产均为祖传危房，已核实"
dib 0 --json audit --object "$NO" && has "$OUT" "祖传危房"

# ---- exit needs its notice on the checklist; the head's death
clerk
dib 1 exit "$NO" --reason moved && has "$ERR" "TBTZ"
mark "$NO" TBTZ
dib 1 exit "$NO" --reason death && has "$ERR" "member death"
dib 0 exit "$NO" --reason moved --note 迁往县城
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "EXITED"' && has "$OUT" '"exit_reason": "moved"'
# ---- the monthly recalculation: 王芳 (born 1952-03-15) is 74 in 2026-03, her
# add-on is for severe disability anyway; 张三 turns 80 in 2030-01 (born 1950):
# then 80+ 20% of S replaces 70+ 15%
clerk
FAKETIME_AT="2026-07-20 09:00:00" dib 0 --json recalc --month 2026-08 && hasnt "$OUT" "$FIRST"
FAKETIME_AT="2030-01-02 09:00:00" dib 0 --json recalc --month 2030-01
has "$OUT" "$FIRST" && has "$OUT" '"reason": "age"'
# S=700 (in force): base 1100, add-ons 140 (80+) + 210 = 1450 from 1415
has "$OUT" '"old_total": 141500' && has "$OUT" '"total": 145000'
dib 0 --json dossier show "$FIRST" && has "$OUT" '"effective": "2030-01"'
# the change is in that month's report, with its reason
FAKETIME_AT="2030-01-26 09:00:00" dib 0 report monthly --month 2030-01 --csv "$TMP/2030-01.csv"
has "$TMP/2030-01.csv" "年龄段变化调整" && has "$TMP/2030-01.csv" "1450"

# ---- a death in an approved household: the amount is recomputed from the
# next month, and a review falls due within three months
clerk
FAKETIME_AT="2026-08-10 09:00:00" dib 0 member death "$FIRST" "$WIFE" --date 2026-08-05 --certificate 死亡001 --cause 疾病
# S=700, H=300 over 1 living member: base 400; 张三 70+ 15% = 105 -> 505
dib 0 --json dossier show "$FIRST" && has "$OUT" '"total": 50500' && has "$OUT" '"effective": "2026-09"'
FAKETIME_AT="2026-08-10 09:00:00" dib 0 --json dossier list --due
has "$OUT" "$FIRST" && has "$OUT" '"kind": "death-review"' && has "$OUT" '"date": "2026-11-05"'
FAKETIME_AT="2026-11-06 09:00:00" dib 0 --json dossier list --due && has "$OUT" '"overdue": true'
# a case whose decision is late: accepted 2026-03-16 (Monday), 20 working days
FAKETIME_AT="2026-04-20 09:00:00" dib 0 --json dossier list --due && has "$OUT" '"kind": "decide"'

# ---- the head dies: the clerk names a new head, the dossier goes on
clerk
dib 0 member add "$ZHAO" --name 赵小六 --id 330102201201010084 --relation 子
FAKETIME_AT="2026-04-01 09:00:00" dib 0 member death "$ZHAO" 330102198812120093 --date 2026-03-30 && has "$ERR" "member head"
dib 1 member head "$ZHAO" 330102198812120093 && has "$ERR" "户主"
dib 0 member head "$ZHAO" 330102201201010084
dib 0 --json dossier show "$ZHAO" && has "$OUT" '"head_name": "赵小六"' && has "$OUT" '"status": "NOTICED"'

# the first household is approved: its head cannot open a second dossier (R7)
dib 1 dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD" && has "$ERR" "R7"
finish
