#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The money trail at township scale (issue 13, docs/PERFORMANCE.md): a demo
# township of 100,000 households; the month's payment roster with all three
# outputs (bank CSV, XLSX, landscape PDF), the roster alone, the submit, and
# the reconciliation of a 90,000-row bank file.  Prints figures; not a test.
# usage: bench/payment.sh [HOUSEHOLDS] [MONTH]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
m=${2:-2026-12}
D="$top/build/dibao"
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
export LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8
export DIBAO_DATA="$tmp/data"
echo "== payment: $n demo households ($(nproc) cores, $(uname -m))"
"$D" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
/usr/bin/time -f "demo load: %e s" "$D" demo --households "$n" --seed 1 >/dev/null
DIBAO_NEW_PASSWORD=bench-clerk "$D" user add clerk --role clerk --name 经办人 >/dev/null
export DIBAO_USER=clerk DIBAO_PASSWORD=bench-clerk
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "payment roster (screen only): %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment roster --month "$m" >"$tmp/roster.txt"
tail -3 "$tmp/roster.txt" | head -2
/usr/bin/time -f "payment roster --csv --xlsx --pdf: %e s (CPU %U user + %S sys), peak RSS %M KB" \
    "$D" payment roster --month "$m" --csv "$tmp/r.csv" --xlsx "$tmp/r.xlsx" --pdf "$tmp/r.pdf" >/dev/null
echo "rows: $(($(wc -l <"$tmp/r.csv") - 1)), CSV $(du -k "$tmp/r.csv" | cut -f1) KB, XLSX $(du -k "$tmp/r.xlsx" | cut -f1) KB, PDF $(du -k "$tmp/r.pdf" | cut -f1) KB, $(pdfinfo "$tmp/r.pdf" 2>/dev/null | sed -n 's/^Pages: *//p') pages"
/usr/bin/time -f "payment roster --pdf: %e s (CPU %U user + %S sys), peak RSS %M KB" \
    "$D" payment roster --month "$m" --pdf "$tmp/r3.pdf" >/dev/null
/usr/bin/time -f "payment roster --csv --xlsx (no PDF): %e s (CPU %U user + %S sys), peak RSS %M KB" \
    "$D" payment roster --month "$m" --csv "$tmp/r2.csv" --xlsx "$tmp/r2.xlsx" >/dev/null
/usr/bin/time -f "payment submit: %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment submit --month "$m" >"$tmp/sub.txt"
tail -1 "$tmp/sub.txt"
# the bank's answer: the batch's rows (a few failed, a few amounts off),
# padded to 90,000 rows with accounts the batch does not know
awk -F, -v max=90000 '{ sub(/\r$/, "") } NR == 1 { print "账号,户名,金额,状态,备注"; next }
    { st = (NR % 97 == 0) ? "失败" : "成功"; amt = $15; if (NR % 211 == 0) amt = amt + 1;
      print $8 "," $5 "," amt "," st "," (st == "失败" ? "账户冻结" : ""); n++ }
    END { for (i = n; i < max; i++) printf "62199%014d,某人,100.00,成功,\n", i }' "$tmp/r.csv" >"$tmp/bank.csv"
echo "bank file: $(($(wc -l <"$tmp/bank.csv") - 1)) rows"
/usr/bin/time -f "payment reconcile: %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment reconcile --month "$m" "$tmp/bank.csv" >"$tmp/rec.txt"
head -2 "$tmp/rec.txt"
/usr/bin/time -f "payment reconcile (same file again): %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment reconcile --month "$m" "$tmp/bank.csv" >"$tmp/rec.txt"
head -1 "$tmp/rec.txt"
/usr/bin/time -f "payment roster of the frozen batch: %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment roster --month "$m" >/dev/null
/usr/bin/time -f "payment list (login and little else: the login's Argon2id peak): %e s (CPU %U user + %S sys), peak RSS %M KB" "$D" payment list >/dev/null
echo "data directory: $(du -sm "$tmp/data" | cut -f1) MB"
