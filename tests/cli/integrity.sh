#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Integrity of the procedure (issue 12): the notice can be neither
# back-dated nor future-dated and runs from the day after posting; one
# person may carry one active account and reviewer and approver are
# compared as persons; ... (each block names its point).
. "${top_srcdir:-.}/tests/lib.sh"
command -v pdftotext >/dev/null || { echo "pdftotext missing" >&2; exit 77; }

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人

new_case() { # new_case HEAD_ID NAME -> $NO
	clerk
	dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name "$2" --head-id "$1" || exit 1
	NO=$(json_get dossier <"$OUT")
}

# ---- 1. the public notice: dated between the review and today; counted
# from the day after posting (posted 03-16, 7 days: 03-17 .. 03-23)
at 2026-03-10
new_case 330102195001010014 张三
dib 0 income add "$NO" --kind 养老金 --amount 300
at 2026-03-16
to_reviewed
# ---- 3. the approval form from REVIEWED on: the proposed calculation, the
# approver's part blank (待审批).  S=650, H=300, one member: P=300, base 350;
# 张三 is 76 in 2026-04: 70+ 15% x 650 = 97.50; 447.50 -> 448 (half up)
dib 0 print approval --dossier "$NO" -o "$TMP/ap1.pdf"
pdftotext -layout "$TMP/ap1.pdf" "$TMP/ap1.txt"
has "$TMP/ap1.txt" "待审批" && has "$TMP/ap1.txt" "448.00" && has "$TMP/ap1.txt" "350.00" && has "$TMP/ap1.txt" "97.50"
hasnt "$TMP/ap1.txt" "测试approver"
clerk
dib 1 notice post --village 青石村 --date 2026-03-15
has "$ERR" "2026-03-15" && has "$ERR" "最早" && has "$ERR" "2026-03-16"
dib 1 notice post --village 青石村 --date 2026-03-17 && has "$ERR" "2026-03-17"
dib 1 advance "$NO" --date 2026-02-01 && has "$ERR" "2026-03-16"
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "REVIEWED"'
dib 0 notice post --village 青石村 --date 2026-03-16
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "NOTICED"'
mark "$NO" GSJL
mark "$NO" SPB --stamped
as approver secret-approver
at 2026-03-23
dib 1 advance "$NO" && has "$ERR" "R13" && has "$ERR" "2026-03-23"
at 2026-03-24
dib 0 advance "$NO"
dib 0 --json dossier show "$NO" && has "$OUT" '"status": "APPROVED"'
dib 0 print approval --dossier "$NO" -o "$TMP/ap2.pdf"
pdftotext -layout "$TMP/ap2.pdf" "$TMP/ap2.txt"
hasnt "$TMP/ap2.txt" "待审批" && has "$TMP/ap2.txt" "测试approver" && has "$TMP/ap2.txt" "448.00"

# ---- 2. one person, one active account; reviewer and approver as persons
at 2026-03-16
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-rv2 dib 0 user add rv2 --role reviewer --name 李审核 --id 330102197001010013
DIBAO_NEW_PASSWORD=secret-ap2 dib 1 user add ap2 --role approver --name 李审核 --id 330102197001010013
has "$ERR" "rv2"
dib 0 user list && hasnt "$OUT" "ap2"
DIBAO_NEW_PASSWORD=secret-ap3 dib 0 user add ap3 --role approver --name 王审批 --id 330102197202020023
# rv2 reviews a case; leaves the reviewer's post; the same person comes back
# as an approver (a new account, the old one disabled) and may not approve it
new_case 330102195203150023 王芳
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
as rv2 secret-rv2
dib 0 advance "$NO"
clerk
dib 0 notice post --village 青石村
mark "$NO" GSJL
mark "$NO" SPB --stamped
as admin secret-admin
dib 0 user disable rv2
DIBAO_NEW_PASSWORD=secret-ap2 dib 0 user add ap2 --role approver --name 李审核 --id 330102197001010013
at 2026-03-30
as ap2 secret-ap2
dib 1 advance "$NO" && has "$ERR" "rv2" && has "$ERR" "330102********0013"
as ap3 secret-ap3
dib 0 advance "$NO"

# ---- 4. the version the clerk saw, checked inside the write's transaction
new_case 330102196005050018 李四
dib 0 --json dossier show "$NO"
V=$(json_get version <"$OUT")
dib 0 income add "$NO" --kind 工资性 --amount 100 --version "$V"
dib 1 income add "$NO" --kind 工资性 --amount 200 --version "$V" && has "$ERR" "重新载入"
dib 1 member add "$NO" --name 李小 --id 330102201005050011 --relation 子 --version "$V"
dib 1 checklist mark "$NO" SQS --signed --version "$V"
dib 2 income add "$NO" --kind 工资性 --amount 200 --version x
dib 0 --json dossier show "$NO"
has "$OUT" '"amount": 10000' && hasnt "$OUT" '"amount": 20000' && hasnt "$OUT" "李小"
eq "$(json_get version <"$OUT")" "$((V + 1))" "version after one write"
dib 0 checklist mark "$NO" SQS --signed --version "$((V + 1))"

# ---- 5. ID numbers masked in dossier show, text and JSON, unless --reveal
dib 0 income add "$NO" --kind 养老金 --amount 10 --member 330102196005050018
dib 0 dossier show "$NO" && hasnt "$OUT" "330102196005050018" && has "$OUT" "330102********0018"
dib 0 --json dossier show "$NO" && hasnt "$OUT" "330102196005050018" && has "$OUT" '"id": "330102********0018"'
has "$OUT" '"member": "330102********0018"'
dib 0 --json dossier show "$NO" --reveal && has "$OUT" '"id": "330102196005050018"'
dib 0 dossier show "$NO" --reveal && has "$OUT" "养老金 10.00 元/月 330102196005050018"
dib 0 --json audit --object "$NO" && has "$OUT" "read.confidential"

# ---- 6. 回避 (R11) on every write: a clerk who is the declared relative of
# a member may not mark, add income or edit members either
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-kc dib 0 user add kc --role clerk --name 亲属经办 --id 330102198001010034
dib 0 kin staff add --name 亲属经办 --id 330102198001010034 --kind 低保经办人员 --unit 民政办
dib 0 kin relative add 330102198001010034 --name 李四 --id 330102196005050018 --relation 父母
as kc secret-kc
dib 1 checklist mark "$NO" SFZ && has "$ERR" "R11"
dib 1 income add "$NO" --kind 工资性 --amount 50 && has "$ERR" "R11"
dib 1 member add "$NO" --name 李小 --id 330102201005050011 --relation 子 && has "$ERR" "R11"
dib 1 asset set "$NO" --deposits 100 && has "$ERR" "R11"
dib 1 advance "$NO" && has "$ERR" "R11"
clerk
dib 0 checklist mark "$NO" SFZ

# ---- 9. R9 never blocks the review a death requires
at 2026-04-01
new_case 330102194808080019 周一
dib 0 member add "$NO" --name 吴二 --id 330102195009090020 --relation 配偶
dib 0 income add "$NO" --kind 养老金 --amount 300
to_reviewed
clerk
dib 0 notice post --village 青石村
approve_at() { at "$1"; mark "$NO" GSJL; mark "$NO" SPB --stamped; as approver secret-approver; dib 0 --json advance "$NO"; clerk; }
approve_at 2026-04-09
# S=650, H=300 over 2: P=150, base 2 x 500; both 70+ (77, 75): 2 x 97.50 -> 1195
has "$OUT" '"total": 119500'
at 2026-05-10
dib 0 member death "$NO" 330102195009090020 --date 2026-05-05
# from 2026-06: H=300 over 1: base 350 + 97.50 = 447.50 -> 448
dib 0 --json dossier show "$NO" && has "$OUT" '"total": 44800'
# ---- 10. the review a death opens (due 3 months after: 2026-08-05) is R12
# when overdue, on the due list and in screen overdue
at 2026-08-05
dib 0 --json calc "$NO" && hasnt "$OUT" '"R12"'
at 2026-08-06
dib 0 --json calc "$NO" && has "$OUT" '"R12"' && has "$OUT" "2026-08-05"
dib 0 --json dossier list --due && has "$OUT" '"kind": "death-review"' && has "$OUT" '"overdue": true'
dib 0 screen overdue && has "$OUT" "$NO" && has "$OUT" "死亡后复核应于2026-08-05完成"
mark "$NO" FHJL
dib 0 --json review "$NO" && has "$OUT" '"total": 44800'
hasnt "$ERR" "R9"
dib 0 screen overdue && hasnt "$OUT" "$NO"
dib 0 --json calc "$NO" && hasnt "$OUT" '"R12"'
DEATH=$NO

# ---- 11. R2 with the standard of the month computed: 1 member, multiple 50;
# 2026: 650 x 50 = 32500.00, 2027: 700 x 50 = 35000.00
as admin secret-admin
dib 0 standard set --area rural --from 2027-01 --amount 700
clerk
new_case 330102199001010055 郑三
ZHENG=$NO
dib 0 asset set "$NO" --deposits 35000
dib 0 --json calc "$NO" --month 2027-01 && hasnt "$OUT" '"R2"'
dib 0 --json calc "$NO" --month 2026-12 && has "$OUT" '"R2"'
dib 0 asset set "$NO" --deposits 35000.01
dib 0 --json calc "$NO" --month 2027-01 && has "$OUT" '"R2"'
dib 0 asset set "$NO" --deposits 32500
dib 0 --json calc "$NO" --month 2026-12 && hasnt "$OUT" '"R2"'
dib 0 asset set "$NO" --deposits 32500.01
dib 0 --json calc "$NO" --month 2026-12 && has "$OUT" '"R2"'

# ---- 8. gradual exit: granted when P >= S, kept by recalc, exit after
at 2026-06-01
new_case 330102198002020031 冯一
dib 0 income add "$NO" --kind 工资性 --amount 100
to_reviewed
clerk
dib 0 notice post --village 青石村
approve_at 2026-06-09
# S=650, H=100, one member aged 46: base 550, no add-on -> 550
has "$OUT" '"total": 55000'
at 2026-07-10
mark "$NO" FHJL
dib 0 income add "$NO" --kind 工资性 --amount 549.99
# H=649.99 < S=650.00: not above the line, no gradual exit
dib 1 review "$NO" --gradual-exit && has "$ERR" "649.99"
dib 0 income add "$NO" --kind 工资性 --amount 0.01
dib 1 review "$NO" && has "$ERR" "R1"
# H=650.00 = S: granted; period 2026-08 .. 2027-01 (6 months), exit in 2027-02
dib 0 review "$NO" --gradual-exit
has "$OUT" "550.00" && has "$OUT" "2027-01" && has "$OUT" "2027-02" && hasnt "$OUT" "0.00 元（原"
dib 0 --json dossier show "$NO" && has "$OUT" '"total": 55000'
GRAD=$NO
at 2026-07-20
dib 0 --json recalc --month 2026-08 && hasnt "$OUT" "$GRAD"
dib 0 --json dossier show "$GRAD" && has "$OUT" '"total": 55000' && has "$OUT" '"status": "APPROVED"'
at 2026-12-15
dib 0 --json dossier list --due && hasnt "$OUT" '"kind": "gradual-exit"'
at 2027-01-05
dib 0 --json recalc --month 2027-01 && hasnt "$OUT" "$GRAD"
dib 0 --json dossier list --due && has "$OUT" '"kind": "gradual-exit"' && has "$OUT" '"date": "2027-01-31"'
at 2027-02-01
dib 0 --json recalc --month 2027-02 && has "$OUT" "$GRAD"
dib 0 --json dossier show "$GRAD" && has "$OUT" '"status": "EXITED"' && has "$OUT" '"exit_reason": "income"'
at 2027-03-01
dib 0 --json report monthly --month 2027-02 && has "$OUT" "$GRAD" && has "$OUT" "收入超标"

# ---- 15. the written refusal within deadline.refusal.days (3) working days:
# rejected Monday 2027-03-01, due Thursday 2027-03-04
at 2027-03-01
dib 0 reject "$ZHENG" --reason 存款超过规定标准
at 2027-03-04
dib 0 --json dossier list --due && has "$OUT" '"kind": "refusal"' && has "$OUT" '"date": "2027-03-04"' && has "$OUT" '"overdue": false'
at 2027-03-05
dib 0 --json dossier list --due && has "$OUT" '"kind": "refusal"' && has "$OUT" '"overdue": true'
dib 0 print refusal --dossier "$ZHENG" -o "$TMP/refusal.pdf"
dib 0 --json dossier list --due && hasnt "$OUT" '"kind": "refusal"'

# ---- 12. a re-application is linked to the household's closed dossier
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 郑三 --head-id 330102199001010055
NO=$(json_get dossier <"$OUT")
dib 0 --json dossier show "$NO" && has "$OUT" "\"previous\": \"$ZHENG\""
dib 0 dossier show "$NO" && has "$OUT" "$ZHENG"
dib 0 print application --dossier "$NO" -o "$TMP/app.pdf"
pdftotext -layout "$TMP/app.pdf" "$TMP/app.txt" && has "$TMP/app.txt" "原档案编号" && has "$TMP/app.txt" "$ZHENG"
# through a member: 冯一 left in a gradual exit; his wife applies with him
new_case 330102198203030041 卫二
dib 0 --json dossier show "$NO" && has "$OUT" '"previous": null'
dib 0 member add "$NO" --name 冯一 --id 330102198002020031 --relation 配偶
dib 0 --json dossier show "$NO" && has "$OUT" "\"previous\": \"$GRAD\""

# ---- 13. income that is recorded but not counted (SPEC 3)
dib 0 income add "$NO" --kind 工资性 --amount 200
dib 0 income add "$NO" --kind 残疾人两项补贴 --amount 100
dib 0 income add "$NO" --kind elderly-allowance --amount 50
dib 0 income add "$NO" --kind 计划生育奖励扶助金 --amount 0.01
# 2027-03: S=700; H=200 (150.01 excluded) over 2: P=100, base 2 x 600 = 1200
dib 0 --json calc "$NO" --month 2027-03
has "$OUT" '"household_income": 20000' && has "$OUT" '"excluded_income": 15001' && has "$OUT" '"total": 120000'
dib 0 calc "$NO" --month 2027-03 && has "$OUT" "150.01"
dib 0 print survey --dossier "$NO" -o "$TMP/survey.pdf"
pdftotext -layout "$TMP/survey.pdf" "$TMP/survey.txt" && has "$TMP/survey.txt" "高龄津贴（不计入）"
# the township extends the list (SPEC 3: setting income.excluded.local):
# 30.00 more excluded, H and the total unchanged
as admin secret-admin
dib 0 setting set income.excluded.local "护林员补贴，公益岗位补贴"
clerk
dib 0 income add "$NO" --kind 护林员补贴 --amount 30
dib 1 income add "$NO" --kind 乡镇规定不计入收入 --amount 1 && has "$ERR" "income.excluded.local"
dib 1 income add "$NO" --kind 未列入的补贴 --amount 1
dib 0 --json calc "$NO" --month 2027-03
has "$OUT" '"household_income": 20000' && has "$OUT" '"excluded_income": 18001' && has "$OUT" '"total": 120000'
dib 0 dossier show "$NO" && has "$OUT" "护林员补贴"
dib 0 --json dossier show "$NO" && has "$OUT" '"kind": "local-excluded"' && has "$OUT" '"name": "护林员补贴"'
dib 0 print survey --dossier "$NO" -o "$TMP/survey2.pdf"
pdftotext -layout "$TMP/survey2.pdf" "$TMP/survey2.txt" && has "$TMP/survey2.txt" "护林员补贴（不计" && has "$TMP/survey2.txt" "30.00"

# ---- 13. the roster import maps the income columns, excluded kinds too
# (docs/IMPORT.md).  陈一 (46) and his wife (44), rural 2027-03: S=700;
# counted H=400 (wage); excluded 120.50 + 80 + 20 (the township's
# 公益岗位补贴) = 220.50; P=200, base 2 x 500
as admin secret-admin
printf '%s\n' '姓名,身份证号,与户主关系,户主身份证号,村/社区,城乡类别,月保障金额(元),工资性收入,残疾人两项补贴（元/月）,计划生育奖励扶助金,公益岗位补贴(元)' \
	'陈一,330102198006060014,本人,,青石村,农村,1000,400,,80,20' \
	'李二,330102198207070024,配偶,330102198006060014,,,,,120.50,,' >"$TMP/roster.csv"
dib 0 import roster "$TMP/roster.csv"
clerk
dib 0 --json dossier list --search 陈一
NO=$(json_get dossier <"$OUT")
dib 0 --json dossier show "$NO" && has "$OUT" '"kind": "disability-allowance"' && has "$OUT" '"amount": 12050' \
	&& has "$OUT" '"kind": "family-planning"' && has "$OUT" '"amount": 8000' && has "$OUT" '"kind": "wage"'
has "$OUT" '"name": "公益岗位补贴"'
dib 0 --json calc "$NO" --month 2027-03
has "$OUT" '"household_income": 40000' && has "$OUT" '"excluded_income": 22050' && has "$OUT" '"per_capita": 20000'
has "$OUT" '"total": 100000'
# the approval form lists the excluded kinds: a second household, imported
# awaiting approval (状态 审核), prints the 待审批 form with the proposed
# calculation (2027-04, S=700): the same 1000.00
as admin secret-admin
printf '%s\n' '姓名,身份证号,与户主关系,户主身份证号,村/社区,城乡类别,月保障金额(元),状态,工资性收入,残疾人两项补贴（元/月）,计划生育奖励扶助金' \
	'陈三,330102198006060030,本人,,青石村,农村,,审核,400,,80' \
	'李四,330102198207070040,配偶,330102198006060030,,,,,,120.50,' >"$TMP/roster3.csv"
dib 0 import roster "$TMP/roster3.csv"
clerk
dib 0 --json dossier list --search 陈三
NO=$(json_get dossier <"$OUT")
dib 0 print approval --dossier "$NO" -o "$TMP/ap-roster.pdf"
pdftotext -layout "$TMP/ap-roster.pdf" "$TMP/ap-roster.txt"
has "$TMP/ap-roster.txt" "不计入收入" && has "$TMP/ap-roster.txt" "200.50" && has "$TMP/ap-roster.txt" "两项补贴"
has "$TMP/ap-roster.txt" "计划生育奖励扶助金" && has "$TMP/ap-roster.txt" "1000.00"
# a bad amount in an income column is named by its column
as admin secret-admin
printf '%s\n' '姓名,身份证号,与户主关系,户主身份证号,村/社区,城乡类别,月保障金额(元),高龄津贴' \
	'周九,33010219400101001X,本人,,青石村,农村,500,12.345' >"$TMP/roster2.csv"
dib 1 import roster "$TMP/roster2.csv" --dry-run && has "$ERR" "高龄津贴"
clerk

# a household taken over from the roster as 在保 (migrated, never noticed
# in dibao) is reviewed like any: R13 blocks approval, not the periodic
# review (SPEC 3), so 陈一's review months later passes with its 复核记录
saved_at=$FAKETIME_AT
at 2027-05-10
clerk
dib 0 --json dossier list --search 陈一
NO=$(json_get dossier <"$OUT")
dib 0 checklist mark "$NO" FHJL
dib 0 review "$NO" && hasnt "$ERR" "R13"
FAKETIME_AT=$saved_at

# ---- 7. every PDF dibao writes goes through the one print path: a form
# number, a verification code that `verify` finds, recorded as a print
code_of() { sed -n 's/.*核验码：\([0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{2\}\).*/\1/p' "$1" | head -1; }
pdf_coded() { # pdf_coded FILE FORM-NUMBER FORM-NAME
	pdftotext -layout "$1" "$1.txt"
	has "$1.txt" "$2" && has "$1.txt" "核验码"
	C=$(code_of "$1.txt")
	[ -n "$C" ] || { echo "FAIL: no verification code in $1" >&2; FAILS=$((FAILS + 1)); }
	# verify names the form by its number and title and the subject in
	# words, never the internal name or scope (issue 15)
	dib 0 verify "$C" && has "$OUT" "（$2）" && hasnt "$OUT" "$3" && hasnt "$OUT" village: && hasnt "$OUT" month:
}
dib 0 report monthly --month 2027-02 --pdf "$TMP/m.pdf"
pdf_coded "$TMP/m.pdf" DB-YB monthly && has "$OUT" "对象：2027年02月"
dib 0 report notice --village 青石村 --pdf "$TMP/n.pdf"
pdf_coded "$TMP/n.pdf" DB-GS notice && has "$OUT" "对象：青石村"
dib 0 screen exited --pdf "$TMP/s.pdf"
pdf_coded "$TMP/s.pdf" DB-SC screen-exited && has "$OUT" "对象：全乡镇"
dib 0 screen exited --village 青石村 --pdf "$TMP/s2.pdf"
pdf_coded "$TMP/s2.pdf" DB-SC screen-exited && has "$OUT" "对象：青石村"
dib 1 screen exited --since 2027-01-01 --pdf "$TMP/s3.pdf" && has "$ERR" "起始日期" && has "$ERR" CSV && hasnt "$ERR" --
dib 0 --json audit && has "$OUT" '"action": "print"' && has "$OUT" 'village:青石村'

finish
