#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The man page is complete: every command `dibao --help` lists has its
# entry in COMMANDS, every database file a data directory holds is named
# in FILES, SEE ALSO names Debian's db5.3_* tools, and groff renders the
# page without a warning (lintian runs the same check on the package).
. "$top_srcdir/tests/lib.sh"
command -v groff >/dev/null || { echo "SKIP: groff not installed"; exit 77; }
MAN="$top_srcdir/docs/dibao.1"

# -k: preconv, as man(1) runs it, for the Chinese terms
LC_ALL=C.UTF-8 groff -k -man -Tutf8 -ww -rLL=300n "$MAN" 2>"$TMP/groff.err" | col -b >"$TMP/man.txt"
[ -s "$TMP/groff.err" ] && { echo "FAIL: groff warns about docs/dibao.1:" >&2; cat "$TMP/groff.err" >&2; FAILS=$((FAILS + 1)); }
# the page's sections, as rendered
section() { awk -v s="$1" '/^[A-Z][A-Z ]+$/ { on = ($0 == s) ; next } on' "$TMP/man.txt"; }
section COMMANDS >"$TMP/commands.txt"
section FILES >"$TMP/files.txt"
section "SEE ALSO" >"$TMP/seealso.txt"

# every command: its leading words (up to the first option or argument)
LC_ALL=C "$DIBAO" --help 2>&1 | sed -n 's/^  dibao \([a-z].*\)/\1/p' |
awk '{ c = ""; for (i = 1; i <= NF; i++) { if ($i !~ /^[a-z][a-z-]*$/) break; c = c (c ? " " : "") $i } print c }' |
	sort -u >"$TMP/cmds"
[ -s "$TMP/cmds" ] || { echo "FAIL: no commands in dibao --help" >&2; FAILS=$((FAILS + 1)); }
while read -r c; do
	grep -qE "^ +$c( |\$)" "$TMP/commands.txt" ||
		{ echo "FAIL: the man page has no entry for: dibao $c" >&2; FAILS=$((FAILS + 1)); }
done <"$TMP/cmds"

# every database file of a data directory that has been used
setup_township
ls "$DIBAO_DATA" | sed -n 's/\.db$//p' >"$TMP/dbs"
[ -s "$TMP/dbs" ] || { echo "FAIL: no database files in a data directory" >&2; FAILS=$((FAILS + 1)); }
while read -r d; do
	grep -qw -- "$d" "$TMP/files.txt" ||
		{ echo "FAIL: FILES does not name the database file $d.db" >&2; FAILS=$((FAILS + 1)); }
done <"$TMP/dbs"

for t in db5.3_verify db5.3_recover db5.3_stat db5.3_dump db5.3_load db5.3_hotbackup db5.3_archive; do
	grep -q "$t" "$TMP/seealso.txt" || { echo "FAIL: SEE ALSO does not name $t" >&2; FAILS=$((FAILS + 1)); }
done
finish
