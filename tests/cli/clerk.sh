#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What a clerk meets on paper and in the demo (issue 15): a notice is
# neither posted nor printed while a complaint phone is unset, and the
# refusal names the setting; `dibao print` takes a form's number; the
# footer carries the verification code without a shell command; the
# demo's ID numbers come from the township's region code and differ
# between two townships of one county; its groups are its villages' own;
# every approved demo household has the calculation its approval form
# needs.
. "$top_srcdir/tests/lib.sh"
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || { echo "pdftotext missing" >&2; exit 77; }

setup_township
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人 || exit 1
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 \
    --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
# (8) 慢性病 on the command line
dib 0 member add "$NO" --name 张小 --id 330102198001010018 --relation 子 --illness 高血压 --health 慢性病
dib 0 dossier show "$NO"
has "$OUT" "慢性病 高血压"
dib 1 member add "$NO" --name 张二 --id 330102198201010012 --relation 子 --health 小病

# (8) the incomplete checklists as a subcommand, by village, as CSV (BOM)
dib 0 checklist incomplete
has "$OUT" "$NO"
has "$OUT" "SQS"
dib 0 checklist incomplete --village 东岭社区
hasnt "$OUT" "$NO"
dib 0 --json checklist incomplete --village 青石村
has "$OUT" "\"dossier\": \"$NO\""
dib 0 checklist incomplete --csv "$TMP/缺材料.csv"
head -c 3 "$TMP/缺材料.csv" | od -An -tx1 | grep -q "ef bb bf" || { echo "FAIL: no BOM" >&2; FAILS=$((FAILS + 1)); }
has "$TMP/缺材料.csv" "档案号,户主"
has "$TMP/缺材料.csv" "$NO"
dib 1 checklist incomplete --csv "$TMP/no/such/dir/x.csv"
# … and as a printed form through the one print path: recorded, coded
dib 0 print incomplete -o "$TMP/ql.pdf"
has "$OUT" "材料不全档案清单（全乡镇）"
CODE=$(grep -o '核验码 [A-Z0-9-]*' "$OUT" | cut -d' ' -f2)
pdftotext "$TMP/ql.pdf" - >"$TMP/ql.txt" 2>/dev/null
has "$TMP/ql.txt" "$NO"
has "$TMP/ql.txt" "材料不全档案清单"
dib 0 verify "$CODE"
has "$OUT" "材料不全档案清单"
dib 0 print incomplete --village 东岭社区 -o "$TMP/ql2.pdf"
pdftotext "$TMP/ql2.pdf" - >"$TMP/ql2.txt" 2>/dev/null
hasnt "$TMP/ql2.txt" "$NO"

to_reviewed

# (12) the township's phone unset: the notice is refused, naming it
as admin secret-admin
dib 0 setting set phone.township "" || exit 1
clerk
dib 1 notice post --village 青石村
has "$ERR" "乡镇投诉举报电话"
has "$ERR" "phone.township"
dib 1 report notice --village 青石村 --pdf "$TMP/n.pdf"
has "$ERR" "乡镇投诉举报电话"
[ -e "$TMP/n.pdf" ] && { echo "FAIL: a notice was written without the phone" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json dossier show "$NO"
has "$OUT" '"status": "REVIEWED"'
as admin secret-admin
dib 0 setting set phone.township 0571-87000001 || exit 1
clerk
dib 0 notice post --village 青石村
dib 0 report notice --village 青石村 --pdf "$TMP/n.pdf"
pdftotext "$TMP/n.pdf" - >"$TMP/n.txt" 2>/dev/null
has "$TMP/n.txt" "0571-87000001"
hasnt "$TMP/n.txt" "未设置"

# (7, 11) a form by its number; the footer: the code, no command
dib 0 print DB-01 --dossier "$NO" -o "$TMP/a.pdf"
# the message names the form by its title, as the console does (7)
has "$OUT" "最低生活保障申请书（档案 $NO"
hasnt "$OUT" "application"
pdftotext "$TMP/a.pdf" - >"$TMP/a.txt" 2>/dev/null
has "$TMP/a.txt" "最低生活保障申请书"
has "$TMP/a.txt" "核验码："
hasnt "$TMP/a.txt" "dibao verify"
dib 0 print 民主评议记录 --dossier "$NO" -o "$TMP/e.pdf"
dib 2 print DB-SC --village 青石村 -o "$TMP/s.pdf"   # several forms share it

# (13) the demo: region code, two townships, groups, calculations
as admin secret-admin
dib 0 demo --households 60 || exit 1
dib 0 --json dossier list --status APPROVED
grep -o '"dossier": "[^"]*"' "$OUT" | cut -d'"' -f4 >"$TMP/approved"
[ -s "$TMP/approved" ] || { echo "FAIL: no approved demo dossier" >&2; FAILS=$((FAILS + 1)); }
clerk
# (10) each on one page, the largest household's too.  libfaketime
# preloaded, not the faketime wrapper: dozens of wrappers in a row on a
# busy machine once met a pid's leftover semaphore (sem_open: File exists)
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is needed" >&2; exit 1; }
while read -r d; do
	LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" print approval --dossier "$d" -o "$TMP/ap.pdf" >"$OUT" 2>"$ERR" ||
	    { echo "FAIL: print approval $d: $(cat "$ERR")" >&2; FAILS=$((FAILS + 1)); }
	pdfinfo "$TMP/ap.pdf" 2>/dev/null | grep -q '^Pages: *1$' || { echo "FAIL: the approval form of $d is not one page" >&2; FAILS=$((FAILS + 1)); }
done <"$TMP/approved"
as admin secret-admin
dib 0 report monthly --month 2026-03 --pdf "$TMP/m.pdf"
# (10) the report of this demo's eight villages on one page, its
# signatures and seal with it (a longer one runs on with the table's header,
# its last rows and the lines under it: never the signatures alone)
qpdf --check "$TMP/m.pdf" >/dev/null 2>&1 || { echo "FAIL: the monthly report's PDF" >&2; FAILS=$((FAILS + 1)); }
pdfinfo "$TMP/m.pdf" 2>/dev/null | grep -q '^Pages: *1$' || { echo "FAIL: the monthly report is not one page" >&2; FAILS=$((FAILS + 1)); }
pdftotext "$TMP/m.pdf" - 2>/dev/null | grep -q "审核人" || { echo "FAIL: the monthly report's signatures" >&2; FAILS=$((FAILS + 1)); }
clerk
# 青石村 has 一组,二组,三组 here: no demo household in a fourth group
as admin secret-admin
dib 0 --json dossier list --village 青石村
for d in $(grep -o '"dossier": "[^"]*"' "$OUT" | cut -d'"' -f4); do
	dib 0 --json dossier show "$d" --reveal 2>/dev/null || dib 0 --json dossier show "$d"
	grep -q '"group": "[一二三]组"' "$OUT" || { echo "FAIL: $d not in a group of 青石村" >&2; grep '"group"' "$OUT" >&2; FAILS=$((FAILS + 1)); }
done
ids_of() { # DATA_DIR: every ID number of its dossiers
	DIBAO_DATA=$1 LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" export roster -o "$TMP/r.csv" >/dev/null 2>&1
	grep -o '[0-9]\{17\}[0-9X]' "$TMP/r.csv" | sort -u
}
A=$TMP/a B=$TMP/b
for x in a:330102003 b:330102004; do
	DIBAO_DATA=$TMP/${x%%:*} LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" init --township-code ${x#*:} --township-name 镇${x%%:*} --admin admin >/dev/null 2>&1 || exit 1
	DIBAO_DATA=$TMP/${x%%:*} LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" demo --households 80 >/dev/null 2>&1 || exit 1
done
ids_of "$A" >"$TMP/ida"
ids_of "$B" >"$TMP/idb"
[ "$(wc -l <"$TMP/ida")" -gt 100 ] || { echo "FAIL: too few ID numbers in the roster" >&2; FAILS=$((FAILS + 1)); }
[ -z "$(comm -12 "$TMP/ida" "$TMP/idb")" ] || { echo "FAIL: two demo townships share ID numbers" >&2; FAILS=$((FAILS + 1)); }
grep -q '^330102' "$TMP/ida" || { echo "FAIL: no ID from the region code 330102" >&2; FAILS=$((FAILS + 1)); }
grep -q '^330106' "$TMP/ida" && { echo "FAIL: the generator's home county 330106 remains" >&2; FAILS=$((FAILS + 1)); }

finish
