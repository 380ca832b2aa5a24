#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Damage and tampering: an altered audit entry is named by audit --verify
# and check; a missing database file or a damaged region file is refused
# with a clear message, never answered with an empty database; region
# files that are simply gone are rebuilt by recovery; a data directory of
# a newer format is refused.
. "${top_srcdir:-.}/tests/lib.sh"

INIT_OPTS=--no-encrypt   # db5.3_dump and damaged region files need the raw pages
setup_township
as admin secret-admin
dib 0 demo --households 30 --seed 7
dib 0 --json dossier list
total=$(grep -c '"dossier"' "$OUT")
eq "$total" 30 "demo households"
cp -a "$DIBAO_DATA" "$TMP/pristine"

fresh() {
	rm -rf "$DIBAO_DATA"
	cp -a "$TMP/pristine" "$DIBAO_DATA"
}

# an audit entry altered behind the program's back
fresh
db5.3_dump -h "$DIBAO_DATA" audit.db >"$TMP/audit.dump"
# "demo.load" -> "demo.loaX" in the first entry that has it
sed '0,/64656d6f2e6c6f6164/s//64656d6f2e6c6f6158/' "$TMP/audit.dump" >"$TMP/audit2.dump"
db5.3_load -h "$DIBAO_DATA" audit.db <"$TMP/audit2.dump"
dib 1 audit --verify && has "$ERR" "demo.loaX"
dib 1 check && has "$ERR" "demo.loaX"

# a database file gone: refused, not recreated empty
fresh
rm "$DIBAO_DATA/dossiers.db"
dib 1 dossier list && has "$ERR" "dossiers.db"
[ ! -e "$DIBAO_DATA/dossiers.db" ] || { echo "FAIL: dossiers.db was recreated" >&2; FAILS=$((FAILS + 1)); }

# an index gone is rebuilt from its primary; a table a later version added
# starts empty in an older directory; both are recorded in the audit chain
fresh
rm "$DIBAO_DATA/dossier-idno.db" "$DIBAO_DATA/clues.db"
dib 0 --json dossier list
eq "$(grep -c '"dossier"' "$OUT")" 30 "dossiers after rebuilding an index"
dib 0 check
dib 0 audit && has "$OUT" "store.upgrade" && has "$OUT" "dossier-idno.db" && has "$OUT" "clues.db"
dib 0 audit --verify

# a damaged region file: refused with the way out
fresh
head -c 8192 /dev/urandom >"$DIBAO_DATA/__db.001"
dib 3 dossier list && has "$ERR" "__db"

# region files gone (a reboot of some systems): recovered from the logs
fresh
rm -f "$DIBAO_DATA"/__db.*
dib 0 --json dossier list
eq "$(grep -c '"dossier"' "$OUT")" 30 "dossiers after rebuilding the regions"
dib 0 check

# a newer data format
fresh
printf 'format\n99\n' | db5.3_load -T -t btree -h "$DIBAO_DATA" meta.db
dib 1 dossier list && has "$ERR" "99"
finish
