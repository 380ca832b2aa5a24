#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The one CSV writer (issue 20): every CSV out is guarded against
# spreadsheet formulas.  The roster export used to write names, addresses
# and phones as they were: an address "=1+1" opened in Excel ran.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
clerk
HEAD=330102195001010014
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id "$HEAD" \
    --address "=1+1" --phone "-1+1" || exit 1
as admin secret-admin
dib 0 export roster -o "$TMP/r.csv" || exit 1
# the cells come out behind an apostrophe, never as a formula
has "$TMP/r.csv" ",'=1+1"
has "$TMP/r.csv" ",'-1+1,"
if grep -q -e ',=1+1' -e ',-1+1' "$TMP/r.csv"; then
	echo "FAIL: a roster cell starts a formula" >&2
	FAILS=$((FAILS + 1))
fi
# amounts and the other cells unchanged: the head's row still names him
has "$TMP/r.csv" ",张三,"
finish
