#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The county's import reads an archive once, as a stream (issue 17): the
# township's own archive (manifest and signature last: every entry met
# before it waits as its name, size and hash, the audit entries checked as
# they came) imports, zip and tar.gz; the same files repacked by bsdtar
# with the manifest first (the order of archives exported before issue
# 17's fourth round), or in reverse order with the manifest last, import
# the same; repacked without the audit entries' file, or with a changed
# entry before the manifest, they are refused whole.
. "${top_srcdir:-.}/tests/lib.sh"

for t in bsdtar; do
	command -v $t >/dev/null || { echo "$t missing" >&2; exit 77; }
done
at 2026-03-10
as admin secret-admin
dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin
dib 0 demo --households 30 --seed 3
at 2026-03-27
dib 0 export archive --month 2026-03 -o "$TMP/m3.zip"
dib 0 export archive --month 2026-03 -o "$TMP/m3.tar.gz" --format tar.gz
mkdir "$TMP/x"
bsdtar -xf "$TMP/m3.zip" -C "$TMP/x"
TOP=330102001-2026-03
# repack: every file, the manifest last (names in reverse order)
repack() { # repack OUT [LEAVE_OUT]
	(cd "$TMP/x" && find "$TOP" -type f ! -name manifest.json | grep -v "${2:-^$}" | sort -r &&
	    echo "$TOP/manifest.json") >"$TMP/list"
	(cd "$TMP/x" && bsdtar --format zip -cf "$1" -T "$TMP/list")
}
repack "$TMP/last.zip"
repack "$TMP/noaudit.zip" "审计日志.jsonl"
# the manifest first, then the rest in name order
(cd "$TMP/x" && echo "$TOP/manifest.json" && find "$TOP" -type f ! -name manifest.json | LC_ALL=C sort) >"$TMP/list"
(cd "$TMP/x" && bsdtar --format zip -cf "$TMP/first.zip" -T "$TMP/list")
at 2026-04-28
for c in c1 c2 c3 c4 c5 c6; do
	dib 0 --data "$TMP/$c" init --county-code 330102 --county-name 西湖区 --admin admin
done
dib 0 --data "$TMP/c1" --json import archive "$TMP/m3.zip"
has "$OUT" '"period": "2026-03"'
people=$(json_get people <"$OUT")
dib 0 --data "$TMP/c2" --json import archive "$TMP/last.zip"
eq "$(json_get people <"$OUT")" "$people" "people imported from the archive repacked in reverse order"
dib 0 --data "$TMP/c5" --json import archive "$TMP/first.zip"
eq "$(json_get people <"$OUT")" "$people" "people imported from the archive with its manifest first"
dib 0 --data "$TMP/c6" --json import archive "$TMP/m3.tar.gz"
eq "$(json_get people <"$OUT")" "$people" "people imported from the tar.gz"
dib 1 --data "$TMP/c3" import archive "$TMP/noaudit.zip" && has "$ERR" "审计日志.jsonl"
# one byte of the README changed: it comes before the manifest now
sed -i 's/青石镇/青石乡/' "$TMP/x/$TOP/说明.txt"
repack "$TMP/changed.zip"
dib 1 --data "$TMP/c4" import archive "$TMP/changed.zip" && has "$ERR" "说明.txt"
dib 0 --data "$TMP/c4" --json county list && eq "$(cat "$OUT")" "[]" "nothing imported after the refusals"
finish
