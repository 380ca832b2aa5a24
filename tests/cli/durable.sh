#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Files that leave the store are written whole or not at all and readable
# by the clerk only (issue 16, store/afile.c): under `umask 000` the roster
# (CSV and XLSX, ID numbers and accounts), a printed form, the monthly
# report and the monthly archive all come out mode 600, no temporary is
# left beside them, and an export over an existing file replaces it whole.
# A directory that cannot be written refuses the export and records nothing.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 张三 --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
as admin secret-admin
umask 000
O="$TMP/exports"
mkdir "$O"
mode() { stat -c %a "$1"; }
dib 0 export roster -o "$O/roster.csv"
dib 0 export roster -o "$O/roster.xlsx"
dib 0 print application --dossier "$NO" -o "$O/form.pdf"
dib 0 report monthly --month 2026-03 --pdf "$O/report.pdf" --csv "$O/report.csv"
for f in roster.csv roster.xlsx form.pdf report.pdf report.csv; do
	[ -s "$O/$f" ] || { echo "FAIL: $f missing or empty" >&2; FAILS=$((FAILS + 1)); continue; }
	eq "$(mode "$O/$f")" 600 "mode of $f under umask 000"
done
has "$O/roster.csv" 330102195001010014
# over an existing file (0644 before): replaced whole, and private
printf 'old' >"$O/roster.csv"
chmod 644 "$O/roster.csv"
dib 0 export roster -o "$O/roster.csv"
has "$O/roster.csv" 330102195001010014
eq "$(mode "$O/roster.csv")" 600 "mode after replacing"
at 2026-03-27
dib 0 export archive --month 2026-03 -o "$O/m3.zip"
eq "$(mode "$O/m3.zip")" 600 "mode of the archive"
eq "$(ls "$O" | grep -c 'tmp-')" 0 "temporaries left behind"
# a folder that cannot be written: refused, nothing recorded, nothing left
if [ "$(id -u)" != 0 ]; then
	mkdir "$TMP/ro"
	chmod 555 "$TMP/ro"
	dib 0 --json audit
	before=$(grep -c '"action"' "$OUT")
	dib 1 export roster -o "$TMP/ro/roster.csv"
	dib 0 --json audit
	eq "$(grep -c '"action"' "$OUT")" "$before" "audit entries after a refused export"
	eq "$(ls "$TMP/ro" | wc -l)" 0 "files left in the read-only folder"
fi
finish
