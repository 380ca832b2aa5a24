#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Printed forms end to end: a case walked to approval, every dossier form
# printed and checked as a reader's tools see it (qpdf, pdffonts,
# pdftotext: title, township, head, verification code, the approval
# form's total and whole account, masked IDs elsewhere; a one-page form
# under 150 KB); `dibao verify` before and after a change; a reprint
# marked 补打 and recorded; a rare name through the fallback face; the
# refusals (a form that does not apply, a character no font has).
. "${top_srcdir:-.}/tests/lib.sh"
for t in qpdf pdffonts pdftotext; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人
dib 0 setting set county.name 清河县

HEAD=330102195001010014      # 张三, 1950
WIFE=330102195203150023      # 王芳, 1952

clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id "$HEAD" \
    --address 青石村一组18号 --phone 13800001234 --bank 农村信用社 --account 6228480012345678901
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 王芳 --id "$WIFE" --relation 配偶 --disability 肢体:2 --labour none
dib 0 income add "$NO" --kind 养老金 --amount 300
for c in SQS SFZ HKB SQR; do mark "$NO" $c --signed; done
dib 0 advance "$NO"
for c in SRZM CJZ DCB; do mark "$NO" $c --signed; done
dib 0 advance "$NO" --surveyors clerk,clerk2
mark "$NO" HDBG
dib 0 advance "$NO"
mark "$NO" PYJL --signed
dib 0 advance "$NO" --participants 9 --representatives 6 --date 2026-03-12
mark "$NO" SHB --stamped
as reviewer secret-reviewer
dib 0 advance "$NO"
clerk
dib 0 advance "$NO"
mark "$NO" GSJL
mark "$NO" SPB --stamped
as approver secret-approver
FAKETIME_AT="2026-03-24 09:00:00" dib 0 --json advance "$NO" && has "$OUT" '"total": 129300'

# ---- the list
dib 0 print --list
for f in application authorisation survey evaluation approval kin-filing refusal exit cover separators; do
	has "$OUT" "$f"
done
has "$OUT" 审核审批表

pdf_ok() { # pdf_ok FILE: valid, fonts embedded, text in $TMP/x.txt
	qpdf --check "$1" >"$TMP/qpdf" 2>&1 || { echo "FAIL: qpdf --check $1: $(tail -3 "$TMP/qpdf")" >&2; FAILS=$((FAILS + 1)); }
	pdffonts "$1" 2>/dev/null >"$TMP/fonts"
	sed '1,2d' "$TMP/fonts" | awk 'NF { n++; if ($(NF-4) != "yes") bad = 1 } END { exit bad || n == 0 }' ||
		{ echo "FAIL: $1: a font is not embedded" >&2; cat "$TMP/fonts" >&2; FAILS=$((FAILS + 1)); }
	pdftotext -layout "$1" "$TMP/x.txt" 2>/dev/null
}
code_of() { sed -n 's/.*核验码：\([0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{2\}\).*/\1/p' "$1" | head -1; }

# ---- every form that applies to an approved dossier
as inspector secret-inspector       # the inspector may print: it changes no case data
for f in application:申请书 authorisation:授权书 survey:入户调查表 evaluation:民主评议记录 \
    approval:审核审批表 cover:卷内目录 separators:材料分隔页; do
	form=${f%%:*} title=${f#*:}
	dib 0 print "$form" --dossier "$NO" -o "$TMP/$form.pdf" || continue
	pdf_ok "$TMP/$form.pdf"
	has "$TMP/x.txt" "$title"
	has "$TMP/x.txt" 青石镇
	has "$TMP/x.txt" 张三
	code=$(code_of "$TMP/x.txt")
	[ -n "$code" ] || { echo "FAIL: $form: no verification code in the text" >&2; FAILS=$((FAILS + 1)); }
	has "$OUT" "$code"
	case $form in
	approval)
		has "$TMP/x.txt" 1293.00 && has "$TMP/x.txt" "$HEAD" && has "$TMP/x.txt" 150.00 &&
			has "$TMP/x.txt" 6228480012345678901 ;;
	application|authorisation|survey)
		has "$TMP/x.txt" "$HEAD" ;;
	cover)
		hasnt "$TMP/x.txt" "$HEAD" && has "$TMP/x.txt" SQS && has "$TMP/x.txt" 家庭经济状况核对授权书 ;;
	separators)
		has "$TMP/x.txt" "${NO}_SQS" && has "$TMP/x.txt" "${NO}_SPB" ;;
	*)
		hasnt "$TMP/x.txt" "$HEAD" ;;
	esac
	[ "$form" = approval ] || hasnt "$TMP/x.txt" 6228480012345678901
	if [ "$form" != cover ] && [ "$form" != separators ]; then
		pages=$(pdfinfo "$TMP/$form.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
		size=$(wc -c <"$TMP/$form.pdf")
		[ "$pages" != 1 ] || [ "$size" -lt 153600 ] ||
			{ echo "FAIL: $form.pdf one page but $size bytes" >&2; FAILS=$((FAILS + 1)); }
	fi
done
# the approval form's calculation record: S, P, base and add-ons, total
pdf_ok "$TMP/approval.pdf"
has "$TMP/x.txt" 650.00 && has "$TMP/x.txt" 1000.00 && has "$TMP/x.txt" 292.50 && has "$TMP/x.txt" 审批人
APPROVAL_CODE=$(code_of "$TMP/x.txt")
# forms that do not apply are refused, nothing recorded
dib 1 print refusal --dossier "$NO" -o "$TMP/r.pdf"
dib 1 print exit --dossier "$NO" -o "$TMP/e.pdf"
dib 1 print kin-filing --dossier "$NO" -o "$TMP/k.pdf"
[ ! -e "$TMP/r.pdf" ] || { echo "FAIL: a refused print left a file" >&2; FAILS=$((FAILS + 1)); }
dib 2 print nosuchform --dossier "$NO" -o "$TMP/n.pdf"
dib 2 print approval --dossier "$NO"

# ---- verify: matches, which version; then the dossier changes
# the form by its title and number, not its internal name (issue 15)
dib 0 verify "$APPROVAL_CODE" && has "$OUT" 最低生活保障审核审批表（DB-05） && has "$OUT" "$NO" && has "$OUT" 未变
hasnt "$OUT" approval
V1=$(dib 0 --json verify "$APPROVAL_CODE" && json_get version <"$OUT")
dib 0 verify "$(echo "$APPROVAL_CODE" | tr 'A-Z' 'a-z' | tr -d -)"     # typed loosely
dib 1 verify 0000-0000-00 && has "$ERR" 0000-0000-00
dib 1 verify nonsense
clerk
dib 0 income add "$NO" --kind 工资性 --amount 10
dib 0 verify "$APPROVAL_CODE" && has "$OUT" "已变" && has "$OUT" "$V1"

# ---- reprints: a new version, then the same version again
dib 0 print approval --dossier "$NO" -o "$TMP/re1.pdf" --reprint
pdf_ok "$TMP/re1.pdf" && has "$TMP/x.txt" "补打（新版本）"
NEWCODE=$(code_of "$TMP/x.txt")
[ "$NEWCODE" != "$APPROVAL_CODE" ] || { echo "FAIL: a new version kept the old code" >&2; FAILS=$((FAILS + 1)); }
dib 0 print approval --dossier "$NO" -o "$TMP/re2.pdf" --reprint --copies 2
pdf_ok "$TMP/re2.pdf" && has "$TMP/x.txt" "补打（原件 2026-03-16 打印"
eq "$(code_of "$TMP/x.txt")" "$NEWCODE" "a same-version reprint's code"
dib 1 print exit --dossier "$NO" -o "$TMP/ev.pdf" --reprint && has "$ERR" 无可补打    # never printed: nothing to reprint
dib 0 --json audit --object "$NO"
has "$OUT" '"action": "print"' && has "$OUT" '"action": "print.reprint"' && has "$OUT" "$NEWCODE"
dib 0 verify "$NEWCODE" && has "$OUT" 补打

# ---- a confidential member's health is never printed
clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 钱五 --head-id 330102195505050044
NO4=$(json_get dossier <"$OUT")
dib 0 member add "$NO4" --name 钱小五 --id 330102198812120093 --relation 子 --illness 艾滋病 --hiv
dib 0 print survey --dossier "$NO4" -o "$TMP/hiv.pdf"
pdf_ok "$TMP/hiv.pdf" && has "$TMP/x.txt" 钱小五 && hasnt "$TMP/x.txt" 艾滋病

# ---- a rare name through the fallback face
dib 0 member add "$NO" --name 王喆 --id 330102201001010012 --relation 子
dib 0 print application --dossier "$NO" -o "$TMP/rare.pdf"
pdf_ok "$TMP/rare.pdf" && has "$TMP/x.txt" 王喆
grep -qi uming "$TMP/fonts" || { echo "FAIL: the fallback face is not in rare.pdf" >&2; cat "$TMP/fonts" >&2; FAILS=$((FAILS + 1)); }

# ---- a character no font has (U+E000, private use): refused, named, nothing
# written or recorded
clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name "王$(printf '\356\200\200')" --head-id 330102198006070036
PU=$(json_get dossier <"$OUT")
dib 1 print application --dossier "$PU" -o "$TMP/bad.pdf" && has "$ERR" "U+E000"
[ ! -e "$TMP/bad.pdf" ] || { echo "FAIL: an unprintable form was written" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json audit --object "$PU" && hasnt "$OUT" '"action": "print"'

# ---- refusal and exit notices
dib 0 --json dossier new --area rural --village 青石村 --head-name 李四 --head-id 330102194511110053
NO2=$(json_get dossier <"$OUT")
dib 0 reject "$NO2" --reason 家庭存款超过规定标准
dib 0 print refusal --dossier "$NO2" -o "$TMP/refusal.pdf"
pdf_ok "$TMP/refusal.pdf" && has "$TMP/x.txt" 不予受理通知书 && has "$TMP/x.txt" 家庭存款超过规定标准 &&
	has "$TMP/x.txt" 330102********0053 && has "$TMP/x.txt" 清河县 && has "$TMP/x.txt" 李四
clerk
mark "$NO" TBTZ
dib 0 exit "$NO" --reason moved --note 迁往县城
dib 0 print exit --dossier "$NO" -o "$TMP/exit.pdf"
pdf_ok "$TMP/exit.pdf" && has "$TMP/x.txt" 停保 && has "$TMP/x.txt" 迁往县城 && has "$TMP/x.txt" 330102********0014

# ---- the kin filing form: masked IDs, the staff member's unit, the seal
CADRE=330102197005050063
clerk
dib 0 kin staff add --name 王强 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村 --position 村委会委员
dib 0 kin relative add "$CADRE" --name 赵敏 --id 330102196802020022 --relation 兄弟姐妹
dib 0 --json dossier new --area rural --village 青石村 --head-name 赵敏 --head-id 330102196802020022
NO3=$(json_get dossier <"$OUT")
dib 0 --json kin file "$NO3" 330102196802020022 --note 赵敏系村委会委员王强之妹
FILING=$(json_get number <"$OUT")
as reviewer secret-reviewer
dib 0 kin confirm "$FILING"
dib 0 print kin-filing --dossier "$NO3" -o "$TMP/kin.pdf"
pdf_ok "$TMP/kin.pdf" && has "$TMP/x.txt" 近亲属享受低保备案表 && has "$TMP/x.txt" "$FILING" &&
	has "$TMP/x.txt" 王强 && has "$TMP/x.txt" 村委会委员 && has "$TMP/x.txt" 330102********0022 &&
	hasnt "$TMP/x.txt" 330102196802020022 && has "$TMP/x.txt" 已备案

# a batch: one form for a village's dossiers in one document, each form
# numbered on its own and verifiable on its own; forms that do not apply
# are left out
as admin secret-admin
dib 0 demo --households 40 --seed 3
dib 0 print application --village 柳湾村 -o "$TMP/batch.pdf"
pdf_ok "$TMP/batch.pdf" && has "$TMP/x.txt" "第 1 页 共 1 页"
CODES=$(sed -n 's/.*核验码：\([0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{2\}\).*/\1/p' "$TMP/x.txt" | sort -u | wc -l)
[ "$CODES" -ge 2 ] || { echo "FAIL: a batch should carry one code per form ($CODES)" >&2; FAILS=$((FAILS + 1)); }
LAST=$(sed -n 's/.*核验码：\([0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{2\}\).*/\1/p' "$TMP/x.txt" | tail -1)
dib 0 verify "$LAST"
dib 0 print approval --status APPROVED -o "$TMP/approvals.pdf" && has "$OUT" "approval"
dib 1 print refusal --status APPROVED -o "$TMP/none.pdf"

# the prints database and its code index agree; the audit chain holds
as admin secret-admin
dib 0 check
dib 0 audit --verify
finish
