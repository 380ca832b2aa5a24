#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The money trail (issue 13) through the real binary, with faketime dates.
# Rural standard 650 yuan; every member aged 18-59 (no add-ons), so each
# household's amount is (650 - P) x members, whole yuan:
#   A  1 member,  income 200          -> 450
#   B  2 members, income 300 (P 150)  -> 1000, card held by the spouse
#   D  1 member,  income 100          -> 550
#   E  2 members, no income           -> 1300; the spouse dies 2026-04-02,
#                                        recorded 2026-05-20 -> 650 from June
#   F  2 members, no income           -> 1300, card held by the second
#                                        member, who dies 2026-04-18
#                                        (recorded 04-20) -> 650, held in May
#   C  1 member,  no income           -> 650, approved 03-26 after the
#                                        April batch was submitted (03-25)
#   G  2 members, card held by one who dies before approval: R14 refuses
# April roster: A+B+D+E+F = 450+1000+550+1300+1300 = 4600 yuan, 8 persons.
# May: A 450, B 1000, D 550, E 1300, C 650 + April 650 (late) = 1300;
#      F held (650): total 4600, 5 households.
# June (after May's reconciliation: B failed, F's new holder named):
#      A 450, B 1000 + May 1000 (failed) = 2000, C 650, D 550, E 650,
#      F 650 + May 650 (held) = 1300: total 5600; recovery: E May 650.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人

new_case() { # new_case HEAD_ID NAME ACCOUNT -> $NO
	clerk
	dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name "$2" --head-id "$1" \
	    --bank 农村信用社 --account "$3" || exit 1
	NO=$(json_get dossier <"$OUT")
}
total_of() { # the stored approved amount of a dossier, fen
	dib 0 --json dossier show "$1" && sed -n 's/^  "total": \([0-9]*\).*/\1/p' "$OUT"
}

# ---- the card's holder: validation ---------------------------------------
at 2026-02-27
new_case 330102198001010018 甲一 6228480000000000011; A=$NO
dib 0 income add "$A" --kind 工资性 --amount 200
dib 1 dossier edit "$A" --account 62284800123          # 11 digits
has "$ERR" "账号"
dib 1 dossier edit "$A" --account 6228480000000000000000000000001   # 31 digits
has "$ERR" "12"
dib 1 dossier edit "$A" --account 6228-4800-0000-0001
has "$ERR" "账号"
dib 1 dossier edit "$A" --holder 330102198001010017    # bad check digit
has "$ERR" "持卡人"
dib 1 dossier edit "$A" --holder 330102198202020028    # valid, not a member
has "$ERR" "不是"
dib 0 --json dossier show "$A" && has "$OUT" '"holder_id"'
to_reviewed

new_case 330102198101010015 乙一 6228480000000000022; B=$NO
dib 0 member add "$B" --name 乙妻 --id 330102198202020028 --relation 配偶
dib 0 income add "$B" --kind 工资性 --amount 300
dib 0 dossier edit "$B" --holder 330102198202020028
to_reviewed

new_case 330102198303030014 丁一 6228480000000000011; D=$NO   # A's card: R14
dib 0 income add "$D" --kind 工资性 --amount 100
to_reviewed

new_case 330102198404040019 戊一 6228480000000000055; E=$NO
dib 0 member add "$E" --name 戊妻 --id 330102198505050021 --relation 配偶
to_reviewed

new_case 330102198606060018 己一 6228480000000000066; F=$NO
dib 0 member add "$F" --name 己子 --id 330102198707070012 --relation 兄弟姐妹
dib 0 dossier edit "$F" --holder 330102198707070012
to_reviewed

new_case 330102198808080017 庚一 6228480000000000077; G=$NO
dib 0 member add "$G" --name 庚弟 --id 330102198909090011 --relation 兄弟姐妹
dib 0 dossier edit "$G" --holder 330102198909090011
to_reviewed
clerk
dib 0 notice post --village 青石村 --date 2026-02-27

# ---- R14 blocks approval: a shared card; a holder who has died -----------
at 2026-03-07
clerk
for x in "$A" "$D"; do mark "$x" GSJL; mark "$x" SPB --stamped; done
as approver secret-approver
dib 1 advance "$D"                  # one card on two active dossiers: both refused
has "$ERR" "R14"
has "$ERR" "$A"
dib 1 advance "$A"
has "$ERR" "R14"
has "$ERR" "$D"
clerk
dib 0 dossier edit "$D" --account 6228480000000000044
NO=$A approve; NO=$D approve
clerk
dib 0 member death "$G" 330102198909090011 --date 2026-03-01
mark "$G" GSJL; mark "$G" SPB --stamped
as approver secret-approver
dib 1 advance "$G"
has "$ERR" "R14"
has "$ERR" "持卡人"
clerk
dib 1 dossier edit "$G" --holder 330102198909090011     # dead: refused
NO=$B approve; NO=$E approve; NO=$F approve
for x in "$A" "$B" "$D" "$E" "$F"; do total_of "$x" >>"$TMP/totals"; done
eq "$(tr '\n' ' ' <"$TMP/totals")" "45000 100000 55000 130000 130000 " "stored approved amounts"

# ---- C: through the notice, approved after April's batch ------------------
at 2026-03-16
new_case 330102199001010012 丙一 6228480000000000033; C=$NO
to_reviewed
clerk
dib 0 notice post --village 青石村 --date 2026-03-16

# ---- April's roster equals the stored calculations; submit freezes it ----
at 2026-03-25
clerk
dib 0 --json payment roster --month 2026-04
has "$OUT" '"total": 460000'
has "$OUT" '"households": 5'
has "$OUT" '"persons": 8'
has "$OUT" '"frozen": false'
hasnt "$OUT" '6228480000000000011'                       # masked on screen
has "$OUT" '***************0011'
# the bank file is an export (whole accounts): the inspector is refused,
# nothing is written and nothing audited; the masked PDF stays open to him
as inspector secret-inspector
dib 1 payment roster --month 2026-04 --csv "$TMP/i.csv" && has "$ERR" "不允许"
dib 1 payment roster --month 2026-04 --xlsx "$TMP/i.xlsx" && has "$ERR" "不允许"
[ -e "$TMP/i.csv" ] || [ -e "$TMP/i.xlsx" ] && { echo "FAIL: the inspector took the bank file away" >&2; FAILS=$((FAILS + 1)); }
dib 0 audit && hasnt "$OUT" "payment.bankfile"
dib 0 payment roster --month 2026-04 --pdf "$TMP/i.pdf"
clerk
# whole account numbers: the bank files are the clerk's alone whatever the
# umask (issue 16 point 6), written whole beside and renamed into place
mask=$(umask)
umask 000
dib 0 payment roster --month 2026-04 --csv "$TMP/apr.csv" --xlsx "$TMP/apr.xlsx" --pdf "$TMP/apr.pdf"
umask "$mask"
eq "$(stat -c %a "$TMP/apr.csv") $(stat -c %a "$TMP/apr.xlsx")" "600 600" "the bank files' modes under umask 000"
eq "$(head -c 3 "$TMP/apr.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "bank CSV BOM"
has "$TMP/apr.csv" "6228480000000000011"                  # whole in the bank file
has "$TMP/apr.csv" "330102198202020028"                   # B's holder, the spouse
eq "$(grep -c '^[0-9]' "$TMP/apr.csv")" "5" "bank CSV rows"
# the CSV's 实发金额 column sums to the total
eq "$(awk -F, 'NR>1 {s += $15} END {printf "%.2f", s}' "$TMP/apr.csv")" "4600.00" "bank CSV sum"
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$TMP/apr.pdf" "$TMP/apr.txt" 2>/dev/null
	has "$TMP/apr.txt" "发放花名册"
	has "$TMP/apr.txt" "经办人"
	has "$TMP/apr.txt" "分管领导"
	has "$TMP/apr.txt" "4600.00"
	pdfinfo "$TMP/apr.pdf" 2>/dev/null | grep -q "841.89 x 595.276" || { echo "FAIL: roster PDF not A4 landscape" >&2; FAILS=$((FAILS + 1)); }
fi
command -v unzip >/dev/null && { unzip -p "$TMP/apr.xlsx" xl/workbook.xml | grep -q "暂停发放" || { echo "FAIL: xlsx sheets" >&2; FAILS=$((FAILS + 1)); }; }
dib 0 audit && has "$OUT" "payment.bankfile"
dib 0 --json payment submit --month 2026-04
has "$OUT" '"total": 460000'
SHA=$(json_get sha256 <"$OUT")
eq "${#SHA}" "64" "batch SHA-256"
dib 1 payment submit --month 2026-04                     # once per month
has "$ERR" "$SHA"
dib 0 audit && has "$OUT" "payment.submit"

# ---- C approved late; a later edit does not change the submitted batch ----
at 2026-03-26
NO=$C approve
clerk
dib 0 dossier edit "$A" --account 6228480000000000099
dib 0 --json payment roster --month 2026-04
has "$OUT" '"frozen": true'
has "$OUT" '"total": 460000'
has "$OUT" '0011'
hasnt "$OUT" '0099'
hasnt "$OUT" "$C"

# ---- May: C's April as arrears; F held (its card's holder died) ---------
at 2026-04-20
clerk
dib 0 member death "$F" 330102198707070012 --date 2026-04-18
at 2026-04-25
dib 0 --json payment roster --month 2026-05
has "$OUT" '"total": 460000'
has "$OUT" '"households": 5'
has "$OUT" '"arrears": 65000'
has "$OUT" '"month": "2026-04"'
has "$OUT" '"reason": "late"'
has "$OUT" '"held_amount": 65000'
tr -d '\n ' <"$OUT" | grep -q "\"held\":\[{\"dossier\":\"$F\"" || { echo "FAIL: F not held" >&2; FAILS=$((FAILS + 1)); }
has "$OUT" "持卡人已死亡"
dib 0 payment roster --month 2026-05
has "$OUT" "补发650.00(2026-04 批准晚于发放)"
dib 0 payment submit --month 2026-05
dib 1 payment submit --month 2026-03                     # batches go in month order

# ---- the bank's return file of May: one row of each outcome --------------
# A paid exactly; B failed; C paid 650 of 1300 (amount differs); D absent
# (missing); an account not in the batch (unknown); E paid exactly.
cat >"$TMP/bank.csv" <<EOF
账号,户名,金额(元),状态,备注
6228480000000000099,甲一,450.00,成功,
6228480000000000022,乙妻,"1,000.00",失败,账户冻结
6228480000000000033,丙一,650,成功,
6228480000000000055,戊一,1300,成功,
6228480000000009999,某人,100,成功,
EOF
dib 0 --json payment reconcile --month 2026-05 "$TMP/bank.csv"
has "$OUT" '"paid": 2'
has "$OUT" '"failed": 1'
has "$OUT" '"mismatch": 1'
has "$OUT" '"unknown": 1'
has "$OUT" '"missing": 1'
has "$OUT" '账户冻结'
dib 0 --json payment reconcile --month 2026-05 "$TMP/bank.csv"   # the same file: nothing changes
has "$OUT" '"unchanged": true'
# a malformed file is refused whole, naming every bad row
printf '账号,户名,金额,状态,备注\n62284800x0000000011,甲一,450,成功,\n6228480000000000022,乙妻,abc,失败,\n6228480000000000033,丙一,650,也许,\n' >"$TMP/bad.csv"
dib 1 payment reconcile --month 2026-05 "$TMP/bad.csv"
has "$ERR" "2"; has "$ERR" "3"; has "$ERR" "4"
has "$ERR" "状态"
# a different file for a reconciled batch: refused unless --replace (audited)
sed 's/1300,成功/1300,成功,/' "$TMP/bank.csv" | iconv -f UTF-8 -t GBK >"$TMP/bank-gbk.csv"
dib 1 payment reconcile --month 2026-05 "$TMP/bank-gbk.csv"
has "$ERR" "--replace"
dib 0 --json payment reconcile --month 2026-05 "$TMP/bank-gbk.csv" --replace
has "$OUT" '"failed": 1'
has "$OUT" '"missing": 1'
dib 0 audit && has "$OUT" "payment.reconcile"
dib 0 --json payment list
has "$OUT" '"reconciled": true'
has "$OUT" '"month": "2026-04"'
# the monthly report carries the batch and its reconciliation
dib 0 --json report monthly --month 2026-05
tr -d '\n ' <"$OUT" | grep -q '"payment":{"households":5,"persons":7,"total":460000,"held":1,"held_amount":65000,"recovery":0,"recovery_amount":0,"reconciled":true,"reconciliation":{"paid":2,"failed":1,"mismatch":1,"unknown":1,"missing":1}}' \
    || { echo "FAIL: monthly report's payment" >&2; FAILS=$((FAILS + 1)); }
dib 0 report monthly --month 2026-05 --csv "$TMP/may.csv"
has "$OUT" "低保金发放：5户 7人 实发4600.00元；暂停发放1户"
has "$TMP/may.csv" "银行回盘：成功2，失败1，金额不符1，账户不在批次1，回盘缺失1"
dib 0 report monthly --month 2026-03
has "$OUT" "本月批次尚未提交"


# ---- June: the failed payment and the held month as arrears; recovery ----
at 2026-05-20
clerk
dib 0 member death "$E" 330102198505050021 --date 2026-04-02
at 2026-05-21
dib 0 dossier edit "$F" --holder 330102198606060018
at 2026-05-25
# ---- the monthly archive carries May's batch and its reconciliation ------
clerk
dib 0 export archive --month 2026-05 -o "$TMP/m5.zip"
if command -v unzip >/dev/null; then
	unzip -l "$TMP/m5.zip" >"$TMP/m5.list"
	has "$TMP/m5.list" "发放/发放批次.json"
	has "$TMP/m5.list" "发放/发放花名册.csv"
	has "$TMP/m5.list" "发放/回盘对账.csv"
	unzip -p "$TMP/m5.zip" '*/manifest.json' >"$TMP/m5.manifest"
	has "$TMP/m5.manifest" "发放/发放批次.json"
	unzip -p "$TMP/m5.zip" '*/发放/发放批次.json' >"$TMP/m5.batch"
	has "$TMP/m5.batch" '"total": 460000'
	unzip -p "$TMP/m5.zip" '*/发放/发放花名册.csv' >"$TMP/m5.rows"
	hasnt "$TMP/m5.rows" "6228480000000000022"           # accounts leave masked
	has "$TMP/m5.rows" "暂停发放"
fi
C="$TMP/county"
as cadmin secret-admin
dib 0 --data "$C" init --county-code 330102 --county-name 西湖区 --admin cadmin
dib 0 --data "$C" --json import archive "$TMP/m5.zip"
tr -d '\n ' <"$OUT" | grep -q '"payment":{"households":5,"persons":7,"total":460000,"held":1,"recovery":0,"reconciled":true,"reconciliation":{"paid":2,"failed":1,"mismatch":1,"unknown":1,"missing":1}}' \
    || { echo "FAIL: county import's payment" >&2; sed 's/^/  | /' "$OUT" >&2; FAILS=$((FAILS + 1)); }
# the county stores the batch per township and month: county list shows it
# (May: C's 650 + its April 650 as arrears; F's 650 held)
SHA5=$(unzip -p "$TMP/m5.zip" '*/发放/发放批次.json' 2>/dev/null | sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p')
dib 0 --data "$C" --json county list
tr -d '\n ' <"$OUT" | grep -q "\"period\":\"2026-05\",.*\"payment\":{\"households\":5,\"persons\":7,\"total\":460000,\"arrears\":65000,\"held\":1,\"held_amount\":65000,\"recovery\":0,\"recovery_amount\":0,\"sha256\":\"$SHA5\",\"reconciled\":true,\"reconciliation\":{\"paid\":2,\"failed\":1,\"mismatch\":1,\"unknown\":1,\"missing\":1}}" \
    || { echo "FAIL: county list's stored payment" >&2; sed 's/^/  | /' "$OUT" >&2; FAILS=$((FAILS + 1)); }
[ ${#SHA5} -eq 64 ] || { echo "FAIL: the batch's SHA-256 in the archive" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$C" county list
has "$OUT" "低保金发放：5户 7人 4600.00元，暂停发放1户，追缴0户；回盘：成功2 失败1 金额不符1 账户不在批次1 回盘缺失1"
dib 0 --data "$C" --json audit
has "$OUT" "county.import"
has "$OUT" "$SHA5"

clerk
dib 0 --json payment roster --month 2026-06
has "$OUT" '"total": 560000'
has "$OUT" '"households": 6'
has "$OUT" '"reason": "failed"'
has "$OUT" '"reason": "held"'
tr -d '\n ' <"$OUT" | grep -q "\"recovery\":\[{\"dossier\":\"$E\",\"village\":\"青石村\",\"head\":\"戊一\",\"months\":\[{\"month\":\"2026-05\",\"amount\":65000}\],\"total\":65000" \
    || { echo "FAIL: E's recovery of May" >&2; sed 's/^/  | /' "$OUT" >&2; FAILS=$((FAILS + 1)); }
dib 0 payment submit --month 2026-06
# the recovery and the arrears are settled once: July lists neither again
at 2026-06-25
dib 0 --json payment roster --month 2026-07
has "$OUT" '"total": 395000'
has "$OUT" '"recovery": []'
has "$OUT" '"arrears": 0'

# ---- roster import reads the card: bank, account and holder columns -------
as admin secret-admin
H1=330102197001010013; H2=330102197202020023; H3=330102197503030014
printf '%s\n' '姓名,身份证号,与户主关系,户主身份证号,村/社区,组,城乡类别,月保障金额（元）,开户银行,银行账号,持卡人身份证号' \
    "辛一,$H1,本人,$H1,青石村,一组,农村,300,农村信用社,6228 4800 0000 0008 8,$H2" \
    "辛妻,$H2,配偶,$H1,青石村,一组,农村,,,," \
    "壬一,$H3,本人,$H3,青石村,一组,农村,200,农村信用社,62284800000000000x9,$H2" >"$TMP/roster.csv"
dib 1 import roster "$TMP/roster.csv"
has "$ERR" "银行账号"
has "$ERR" "持卡人身份证号"
has "$ERR" "第4行"
sed -i "s/,62284800000000000x9,$H2\$/,622848000000000077,/" "$TMP/roster.csv"
dib 0 import roster "$TMP/roster.csv"
dib 0 --json dossier list --search "$H1" && NO=$(json_get dossier <"$OUT")
dib 0 --json dossier show "$NO" --reveal
has "$OUT" "\"holder_id\": \"$H2\""
has "$OUT" '"holder_needed": false'
dib 0 --json dossier list --search "$H3" && NO=$(json_get dossier <"$OUT")
dib 0 --json dossier show "$NO"
has "$OUT" '"holder_needed": true'                       # never guessed
dib 0 dossier show "$NO" && has "$OUT" "须指定"
dib 0 check
dib 0 audit --verify

# ---- the demo's cards: most households held by their head and paid, a few
# held back (no card ~8%, an outsider, none recorded, a shared card ~1% each).
# The head's ID number takes the township's region code: the holder too.
as admin secret-admin
DD="$TMP/demo"
dib 0 --data "$DD" init --township-code 330102001 --township-name 青石镇 --admin admin
dib 0 --data "$DD" demo --households 300 --seed 3
dib 0 --data "$DD" --json payment roster --month 2026-07
PAID=$(json_get households <"$OUT")
HELD=$(tr -d '\n ' <"$OUT" | sed -n 's/.*"held":\[\(.*\)\],"recovery".*/\1/p' | grep -o '"dossier"' | wc -l)
[ "${PAID:-0}" -gt 0 ] && [ "$HELD" -gt 0 ] && [ "$HELD" -lt $((PAID / 4)) ] ||
    { echo "FAIL: demo roster: $PAID paid, $HELD held (most demo households must be paid)" >&2; FAILS=$((FAILS + 1)); }
finish
