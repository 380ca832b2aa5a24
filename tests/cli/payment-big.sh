#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The payment roster at more than a page (issue 13, docs/PERFORMANCE.md):
# a demo township of 300 households, the roster with all three outputs in
# one pass.  The printed roster's pages are spooled to a temporary file
# (print/pdf-spool.c) and its rows and hash come from the bank file's pass
# (store/payment-replay.c): every paid row of the bank file must be on the
# paper in the same order, the pages whole (more than the spool's 64 KB
# buffer), and the verification code the same as a print of the roster
# computed on its own (print payment --month).  Then the bank's return
# file, streamed (import/payment-in.c): a bad row refuses it whole.
. "${top_srcdir:-.}/tests/lib.sh"

command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || { echo "SKIP: no poppler-utils"; exit 77; }
as admin secret-admin
dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin || exit 1
dib 0 demo --households 300 --seed 3 || exit 1
M=2026-04
dib 0 payment roster --month $M --csv "$TMP/r.csv" --xlsx "$TMP/r.xlsx" --pdf "$TMP/r.pdf"
PAGES=$(pdfinfo "$TMP/r.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[ "${PAGES:-0}" -ge 4 ] || { echo "FAIL: the roster of 300 households has ${PAGES:-no} pages" >&2; FAILS=$((FAILS + 1)); }
pdftotext -layout "$TMP/r.pdf" "$TMP/r.txt" 2>/dev/null
# the paid rows: the bank file's dossier numbers (column 3), in its order,
# are the first ones on paper (the held and recovery lists follow)
tail -n +2 "$TMP/r.csv" | tr -d '\r' | cut -d, -f3 >"$TMP/csv.nos"
N=$(wc -l <"$TMP/csv.nos")
grep -o '330102001-[0-9]\{4\}-[0-9]\{5\}' "$TMP/r.txt" | head -n "$N" >"$TMP/pdf.nos"
[ "$N" -gt 100 ] && cmp -s "$TMP/csv.nos" "$TMP/pdf.nos" ||
    { echo "FAIL: the printed roster's rows differ from the bank file's ($N rows)" >&2; diff "$TMP/csv.nos" "$TMP/pdf.nos" | head >&2; FAILS=$((FAILS + 1)); }
# 分类施保金 is the calculation's add-ons, the month's rounding stays in
# 基本保障金: never a negative add-on (this township once showed -0.20 and
# -0.40 in 122 of its rows), and each row's two add up to 本月金额
bad=$(tail -n +2 "$TMP/r.csv" | tr -d '\r' |
    awk -F, '{ d = $10 * 100 + $11 * 100 - $12 * 100 } $10 < 0 || $11 < 0 || d > 0.5 || d < -0.5' | wc -l)
eq "$bad" 0 "roster rows with a negative amount or columns that do not add up"
# every page whole: its header and its footer
[ "$(grep -c '户档案编号' "$TMP/r.txt")" -ge "$PAGES" ] && [ "$(grep -c "共 $PAGES 页" "$TMP/r.txt")" -eq "$PAGES" ] ||
    { echo "FAIL: a spooled page lost its table header or its footer" >&2; FAILS=$((FAILS + 1)); }
# a valid PDF, its fonts embedded, and the spooled pages' resources and
# size set once on their Pages node, not on each page (issue 17: libharu's
# objects of every page stay in memory until the save)
if command -v qpdf >/dev/null && command -v pdffonts >/dev/null; then
	qpdf --check "$TMP/r.pdf" >"$TMP/qpdf" 2>&1 || { echo "FAIL: qpdf --check: $(tail -3 "$TMP/qpdf")" >&2; FAILS=$((FAILS + 1)); }
	pdffonts "$TMP/r.pdf" 2>/dev/null | sed '1,2d' | awk 'NF { n++; if ($(NF-4) != "yes") bad = 1 } END { exit bad || n == 0 }' ||
	    { echo "FAIL: a font of the roster is not embedded" >&2; FAILS=$((FAILS + 1)); }
fi
eq "$(grep -ao '/Resources' "$TMP/r.pdf" | wc -l)" 1 "/Resources dictionaries in the roster of $PAGES pages"
eq "$(grep -ao '/MediaBox' "$TMP/r.pdf" | wc -l)" 1 "/MediaBox arrays in the roster of $PAGES pages"
CODE=$(grep -o '核验码：[A-Z0-9-]*' "$TMP/r.txt" | head -1)
dib 0 print payment --month $M -o "$TMP/p.pdf"
pdftotext -layout "$TMP/p.pdf" "$TMP/p.txt" 2>/dev/null
[ -n "$CODE" ] && [ "$(grep -o '核验码：[A-Z0-9-]*' "$TMP/p.txt" | head -1)" = "$CODE" ] ||
    { echo "FAIL: the roster printed from the bank file's pass has another code than the roster's own ($CODE)" >&2; FAILS=$((FAILS + 1)); }

# the bank's answer, streamed: every batch row paid but one failed, and two
# accounts the batch does not know
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk dib 0 user add bclerk --role clerk --name 批次经办
as bclerk secret-clerk
dib 0 payment submit --month $M
awk -F, 'NR == 1 { print "账号,户名,金额,状态,备注"; next } { sub(/\r$/, "");
    st = (NR == 2) ? "失败" : "成功"; print $8 "," $5 "," $15 "," st "," (NR == 2 ? "账户冻结" : "") }
    END { print "6221990000000000001,某甲,10.00,成功,"; print "6221990000000000002,某乙,10.00,成功," }' "$TMP/r.csv" >"$TMP/bank.csv"
# a bad row near the end refuses the whole file: nothing reconciled
sed '$ s/成功/好/' "$TMP/bank.csv" >"$TMP/bad.csv"
dib 1 payment reconcile --month $M "$TMP/bad.csv"
has "$ERR" "须为“成功”或“失败”"
has "$ERR" "未做任何对账"
dib 0 --json payment list
has "$OUT" '"reconciled": false'
dib 0 --json payment reconcile --month $M "$TMP/bank.csv"
[ "$(json_get paid <"$OUT")" = $((N - 1)) ] && [ "$(json_get failed <"$OUT")" = 1 ] &&
    [ "$(json_get unknown <"$OUT")" = 2 ] && [ "$(json_get missing <"$OUT")" = 0 ] ||
    { echo "FAIL: reconciliation of $N rows: $(tr -d '\n' <"$OUT" | cut -c1-200)" >&2; FAILS=$((FAILS + 1)); }
dib 0 check
finish
