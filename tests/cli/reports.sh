#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Reports and lists of SPEC 7 through the real binary, with faketime dates:
# the public notice (who may be named, no ID numbers or bank data), the
# monthly report of 2026-03 (additions, an exit, an amount change, the zero
# report of deaths; totals; CSV with BOM and Chinese heads; PDF checked by
# qpdf and pdftotext; byte-identical when run again, also after changes in
# the next month), the April report with a death, screening lists with a
# visit outcome, and statistics against `dossier list`.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人
dib 0 setting set phone.township 0571-88880001
dib 0 setting set phone.county 0571-12345

new_case() { # new_case VILLAGE HEAD_ID NAME -> $NO
	clerk
	dib 0 --json dossier new --area rural --village "$1" --group 一组 --head-name "$3" --head-id "$2" || exit 1
	NO=$(json_get dossier <"$OUT")
}
command -v pdftotext >/dev/null && command -v qpdf >/dev/null || { echo "pdftotext/qpdf missing" >&2; exit 77; }

# ---- February: two households reviewed, posted, approved in March's period
at 2026-02-27
new_case 青石村 330102195001010014 张三; A=$NO
dib 0 member add "$A" --name 王芳 --id 330102195203150023 --relation 配偶 --disability 肢体:2 --labour none
dib 0 income add "$A" --kind 养老金 --amount 300
to_reviewed
new_case 青石村 330102196005050018 李四; B=$NO
dib 0 income add "$B" --kind 工资性 --amount 200
to_reviewed
clerk
dib 0 notice post --village 青石村 --date 2026-02-27
dib 0 --json dossier show "$A" && has "$OUT" '"status": "NOTICED"'
at 2026-03-07
NO=$A approve; NO=$B approve

# ---- the public notice of 东岭社区: a minor head, an HIV head, an adult
at 2026-03-10
new_case 东岭社区 330102201203150021 小红; MINOR=$NO
to_reviewed
new_case 东岭社区 330102197707070018 赵病; HIVH=$NO
dib 0 member edit "$HIVH" 330102197707070018 --hiv
to_reviewed
new_case 东岭社区 330102198001010018 钱公开; OPEN=$NO
to_reviewed
clerk
dib 0 notice post --village 东岭社区 --pdf "$TMP/notice.pdf" --csv "$TMP/notice.csv"
has "$OUT" "3"
dib 0 --json dossier show "$OPEN" && has "$OUT" '"status": "NOTICED"'
dib 1 notice post --village 东岭社区                  # nothing left to post
dib 1 notice post --village 不存在村
qpdf --check "$TMP/notice.pdf" >/dev/null 2>&1 || { echo "FAIL: qpdf notice.pdf" >&2; FAILS=$((FAILS + 1)); }
pdftotext -layout "$TMP/notice.pdf" "$TMP/notice.txt" 2>/dev/null
for f in "$TMP/notice.txt" "$TMP/notice.csv"; do
	has "$f" "钱公开"
	has "$f" "依规不予公示"
	has "$f" "0571-88880001"
	has "$f" "0571-12345"
	has "$f" "2026-03-10"
	hasnt "$f" "小红"
	hasnt "$f" "赵病"
	if grep -Eq '[0-9]{17}[0-9Xx]' "$f"; then echo "FAIL: an ID number in $f" >&2; FAILS=$((FAILS + 1)); fi
done
eq "$(head -c 3 "$TMP/notice.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "notice CSV BOM"
has "$TMP/notice.csv" "户主姓名"
eq "$(grep -c 依规不予公示 "$TMP/notice.csv")" "2" "withheld rows"
dib 0 report notice --village 东岭社区 --csv "$TMP/notice2.csv"
cmp -s "$TMP/notice.csv" "$TMP/notice2.csv" || { echo "FAIL: report notice differs from the posted one" >&2; FAILS=$((FAILS + 1)); }

# ---- March's period (02-26 .. 03-25): an exit, a review with a new amount,
# one more addition
at 2026-03-18
clerk
mark "$B" TBTZ
dib 0 exit "$B" --reason moved --note 迁往县城
at 2026-03-20
dib 0 income add "$A" --kind 其他 --amount 100
mark "$A" FHJL
dib 0 --json review "$A" && has "$OUT" '"total"'
NEWA=$(json_get total <"$OUT")
at 2026-03-23
NO=$OPEN approve
# after the cutoff: belongs to April
at 2026-03-27
clerk
dib 0 member death "$A" 330102195203150023 --date 2026-03-26

at 2026-04-02
dib 0 report monthly --month 2026-03 --pdf "$TMP/m1.pdf" --csv "$TMP/m1.csv"
dib 0 --json report monthly --month 2026-03
cp "$OUT" "$TMP/m1.json"
has "$OUT" '"from": "2026-02-26"' && has "$OUT" '"to": "2026-03-25"'
has "$OUT" '"zero_deaths": true'
has "$OUT" "$A" && has "$OUT" "$B" && has "$OUT" "$OPEN"
has "$OUT" '"reason": "迁出"' && has "$OUT" '"reason": "定期复核调整"'
has "$OUT" "\"total\": $NEWA"
# in the guarantee on 03-25: A (2 persons) and 钱公开 (1)
has "$OUT" '"households": 2,' && has "$OUT" '"persons": 3,'
has "$OUT" '"women": 1,' && has "$OUT" '"elderly": 2,' && has "$OUT" '"disabled": 1,'
HEAD=$(json_get audit_head <"$OUT")
pdftotext -layout "$TMP/m1.pdf" "$TMP/m1.txt" 2>/dev/null
has "$TMP/m1.txt" "本月无死亡人员（零报告）"
has "$TMP/m1.txt" "$HEAD"
has "$TMP/m1.txt" "经办人" && has "$TMP/m1.txt" "审核人"
has "$TMP/m1.txt" "2026-02-26"
qpdf --check "$TMP/m1.pdf" >/dev/null 2>&1 || { echo "FAIL: qpdf m1.pdf" >&2; FAILS=$((FAILS + 1)); }
eq "$(head -c 3 "$TMP/m1.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "monthly CSV BOM"
has "$TMP/m1.csv" "档案编号" && has "$TMP/m1.csv" "本月无死亡人员（零报告）" && has "$TMP/m1.csv" "$HEAD"

# the same report again, and again after April's changes: the same bytes
dib 0 report monthly --month 2026-03 --pdf "$TMP/m2.pdf" --csv "$TMP/m2.csv"
cmp "$TMP/m1.pdf" "$TMP/m2.pdf" || FAILS=$((FAILS + 1))
cmp "$TMP/m1.csv" "$TMP/m2.csv" || FAILS=$((FAILS + 1))
at 2026-04-10
clerk
dib 0 clue add --channel 电话 --content "四月的线索"
dib 0 income add "$OPEN" --kind 工资性 --amount 50
mark "$OPEN" FHJL
dib 0 review "$OPEN"
FAKETIME_AT="2026-05-02 10:00:00" dib 0 report monthly --month 2026-03 --pdf "$TMP/m3.pdf" --csv "$TMP/m3.csv"
# a print carries its own time (SPEC 8): the report's content is the same,
# the footer's print line is the later print's
pdftotext -layout "$TMP/m3.pdf" "$TMP/m3.txt" 2>/dev/null
grep -v "打印：" "$TMP/m1.txt" >"$TMP/m1.body"
grep -v "打印：" "$TMP/m3.txt" >"$TMP/m3.body"
cmp "$TMP/m1.body" "$TMP/m3.body" || FAILS=$((FAILS + 1))
cmp "$TMP/m1.csv" "$TMP/m3.csv" || FAILS=$((FAILS + 1))

# April lists the death (recorded 03-27) and the recomputed amount
dib 0 --json report monthly --month 2026-04
has "$OUT" '"zero_deaths": false' && has "$OUT" "王芳" && has "$OUT" "成员死亡重新核定"
dib 0 report monthly --month 2026-04 --pdf "$TMP/a.pdf"
pdftotext -layout "$TMP/a.pdf" "$TMP/a.txt" 2>/dev/null
has "$TMP/a.txt" "王芳" && hasnt "$TMP/a.txt" "零报告"

# ---- screening: a severely disabled person outside the guarantee
at 2026-04-12
new_case 青石村 330102197001010013 周残; DIS=$NO
dib 0 member edit "$DIS" 330102197001010013 --disability 智力:3 --labour none
dib 0 income add "$DIS" --kind 转移性 --amount 100
as reviewer secret-reviewer
dib 0 reject "$DIS" --reason "材料不全"
clerk
dib 0 screen disabled
has "$OUT" "周残" && has "$OUT" "330102********0013" && hasnt "$OUT" "330102197001010013"
dib 0 screen ill && hasnt "$OUT" "周残"
dib 0 screen rejected --since 2026-04-01 && has "$OUT" "$DIS"
dib 0 screen exited --since 2026-03-01 && has "$OUT" "$B" && has "$OUT" "迁出"
dib 0 screen visit && has "$OUT" "张三" && has "$OUT" "老年人"
dib 0 screen visit-record disabled "$DIS" --outcome "已走访，建议按单人保重新申请"
dib 0 screen disabled --csv "$TMP/s.csv" --pdf "$TMP/s.pdf"
has "$TMP/s.csv" "已走访，建议按单人保重新申请" && has "$TMP/s.csv" "身份证号码"
if grep -Eq '[0-9]{17}[0-9Xx]' "$TMP/s.csv"; then echo "FAIL: an unmasked ID in the screening CSV" >&2; FAILS=$((FAILS + 1)); fi
qpdf --check "$TMP/s.pdf" >/dev/null 2>&1 || { echo "FAIL: qpdf s.pdf" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json audit --object "$DIS" && has "$OUT" "screen.visit"
FAKETIME_AT="2027-05-01 09:00:00" dib 0 screen overdue && has "$OUT" "$OPEN"

# ---- statistics match the dossier list
dib 0 --json stats
HH=$(tr -d ' \n' <"$OUT" | sed -n 's/.*"totals":{"households":\([0-9]*\),.*/\1/p')
AMT=$(tr -d ' \n' <"$OUT" | sed -n 's/.*"totals":{[^}]*"amount":\([0-9]*\)}.*/\1/p')
dib 0 --json dossier list --status APPROVED
eq "$HH" "$(grep -c '"status": "APPROVED"' "$OUT")" "stats households"
eq "$AMT" "$(sed -n 's/.*"total": \([0-9]*\).*/\1/p' "$OUT" | awk '{s+=$1} END {print s}')" "stats amount"
# ---- the lists as printed forms (dibao print): embedded fonts, the code
# and QR, verified against what the list would be today
if command -v pdffonts >/dev/null; then
clerk
lpdf_ok() { # lpdf_ok FILE: valid, fonts embedded, text in $TMP/l.txt
	qpdf --check "$1" >/dev/null 2>&1 || { echo "FAIL: qpdf --check $1" >&2; FAILS=$((FAILS + 1)); }
	pdffonts "$1" 2>/dev/null | sed '1,2d' | awk 'NF { n++; if ($(NF-4) != "yes") bad = 1 } END { exit bad || n == 0 }' ||
		{ echo "FAIL: $1: a font is not embedded" >&2; FAILS=$((FAILS + 1)); }
	pdftotext -layout "$1" "$TMP/l.txt" 2>/dev/null
}
dib 0 print --list
for f in notice monthly screen-disabled screen-visit screen-overdue clues fixes; do has "$OUT" "$f"; done
has "$OUT" 公示名单 && has "$OUT" 动态管理月报
dib 0 --json print notice --village 东岭社区 -o "$TMP/pn.pdf"
NCODE=$(json_get code <"$OUT")
lpdf_ok "$TMP/pn.pdf"
has "$TMP/l.txt" 东岭社区最低生活保障公示名单 && has "$TMP/l.txt" 依规不予公示 && has "$TMP/l.txt" "$NCODE"
hasnt "$TMP/l.txt" 小红
if grep -Eq '[0-9]{17}[0-9X]' "$TMP/l.txt"; then echo "FAIL: an ID number on the printed notice" >&2; FAILS=$((FAILS + 1)); fi
dib 0 verify "$NCODE" && has "$OUT" "（DB-GS）" && has "$OUT" "对象：东岭社区"
dib 0 --json verify "$NCODE" && has "$OUT" '"changed": false'
dib 0 --json print monthly --month 2026-03 -o "$TMP/pm.pdf"
MCODE=$(json_get code <"$OUT")
lpdf_ok "$TMP/pm.pdf"
has "$TMP/l.txt" 最低生活保障动态管理月报 && has "$TMP/l.txt" "$MCODE" && has "$TMP/l.txt" "本月无死亡人员（零报告）"
dib 0 screen visit --village 青石村 --csv "$TMP/sv.csv" && hasnt "$TMP/sv.csv" 东岭社区
dib 1 screen visit --village 不存在村
dib 0 --json print screen-visit --village 青石村 -o "$TMP/ps.pdf"
SCODE=$(json_get code <"$OUT")
lpdf_ok "$TMP/ps.pdf"
has "$TMP/l.txt" 重点筛查名单 && has "$TMP/l.txt" "$SCODE"
if grep -Eq '[0-9]{17}[0-9X]' "$TMP/l.txt"; then echo "FAIL: an unmasked ID on a screening list" >&2; FAILS=$((FAILS + 1)); fi
dib 0 --json print clues --month 2026-04 -o "$TMP/pc.pdf"
CCODE=$(json_get code <"$OUT")
lpdf_ok "$TMP/pc.pdf"
has "$TMP/l.txt" 举报线索台账 && has "$TMP/l.txt" 四月的线索 && has "$TMP/l.txt" "$CCODE"
dib 0 print fixes --month 2026-04 -o "$TMP/pf.pdf"
lpdf_ok "$TMP/pf.pdf"
dib 2 print notice --month 2026-04 -o "$TMP/x.pdf"
dib 2 print monthly --village 东岭社区 -o "$TMP/x.pdf"
# a new clue of April changes the ledger as of April; March's report stays
dib 0 clue add --channel 来信 --content "又一条四月的线索"
dib 0 --json verify "$CCODE" && has "$OUT" '"changed": true'
dib 0 --json verify "$MCODE" && has "$OUT" '"changed": false' && has "$OUT" "month:2026-03"
dib 0 print --reprint clues --month 2026-04 -o "$TMP/pc2.pdf"
fi
dib 0 audit --verify

finish
