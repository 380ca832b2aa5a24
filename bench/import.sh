#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Roster import at township scale (docs/PERFORMANCE.md): a demo township of
# 35,000 households (about 100,000 persons) exported as CSV and XLSX and
# imported into fresh databases.  Prints figures; not a test.
# usage: bench/import.sh [HOUSEHOLDS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-35000}
D="$top/build/dibao"
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
export LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8
fresh() {
	rm -rf "$tmp/data"
	DIBAO_DATA="$tmp/data" "$D" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
}
echo "== roster import: $n demo households ($(nproc) cores, $(uname -m))"
fresh
export DIBAO_DATA="$tmp/data"
/usr/bin/time -f "demo load: %e s" "$D" demo --households "$n" --seed 1 >/dev/null
/usr/bin/time -f "export roster CSV: %e s, peak RSS %M KB" "$D" export roster -o "$tmp/r.csv"
/usr/bin/time -f "export roster XLSX: %e s, peak RSS %M KB" "$D" export roster -o "$tmp/r.xlsx"
echo "rows: $(($(wc -l <"$tmp/r.csv") - 1)), CSV $(du -k "$tmp/r.csv" | cut -f1) KB, XLSX $(du -k "$tmp/r.xlsx" | cut -f1) KB"
# each import into a fresh (encrypted) store; CPU is user + system
t() { /usr/bin/time -f "$1: %e s, CPU %U + %S s, peak RSS %M KB" "$D" import roster "$2" ${3:-} | head -1; }
fresh
t "import roster --dry-run CSV" "$tmp/r.csv" --dry-run
t "import roster CSV" "$tmp/r.csv"
echo "data directory: $(du -sm "$tmp/data" | cut -f1) MB"
fresh
t "import roster --dry-run XLSX" "$tmp/r.xlsx" --dry-run
t "import roster XLSX" "$tmp/r.xlsx"
/usr/bin/time -f "dibao check: %e s" "$D" check >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
