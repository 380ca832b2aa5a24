#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The sealed handover (SPEC 11): the county's key pair (county key: hex and
# a one-page PDF), the township seals the monthly archive to it; the sealed
# file shows the township code and the month and no person; the county
# imports it, another county refuses it by its key, a truncated or altered
# one is refused whole.  Without a county key the export warns and writes
# the plain archive.  Scans are encrypted at rest; only clerks and admins
# take data away (archive, roster, backup), and that is audited.
. "${top_srcdir:-.}/tests/lib.sh"

bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
HEAD=330102195001010014
WIFE=330102195203150023

setup_township
at 2026-02-27
clerk
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 欧阳春花 --head-id $HEAD || exit 1
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 司马秋月 --id $WIFE --relation 配偶
printf '\377\330\377\340JFIF 扫描件里的秘密内容 application scan' >"$TMP/scan.jpg"
mark "$NO" SQS --signed --scan "$TMP/scan.jpg"
grep -rqa "扫描件里的秘密内容" "$DIBAO_DATA" && bad "the scan is in clear under the data directory"
as admin secret-admin
dib 0 check

# ---- the county's key pair
C="$TMP/county"
at 2026-03-27
as cadmin secret-admin
dib 0 --data "$C" init --county-code 330102 --county-name 西湖区 --admin cadmin
dib 0 --data "$C" county key --pdf "$TMP/key.pdf"
KEY=$(cat "$OUT")
[ ${#KEY} -eq 64 ] || bad "county key printed '$KEY'"
qpdf --check "$TMP/key.pdf" >/dev/null 2>&1 || bad "the key sheet is no PDF"
dib 0 --data "$C" county key && eq "$(cat "$OUT")" "$KEY" "the same key the second time"
dib 0 --data "$C" audit && has "$OUT" "county.key"
as admin secret-admin
dib 1 county key && has "$ERR" "县级"            # a township has no key pair

# ---- without a county key: a warning, the plain archive
clerk
dib 0 export archive --month 2026-03 -o "$TMP/plain.zip" && has "$ERR" "未加密封装"
grep -qa "manifest.json" "$TMP/plain.zip" || bad "the plain archive is not a zip"

# ---- sealed
as admin secret-admin
dib 1 setting set county.key 1234 && has "$ERR" "64"
dib 0 setting set county.key "$(echo "$KEY" | tr a-f A-F)"
dib 0 setting get county.key && has "$OUT" "$KEY"
clerk
dib 0 --json export archive --month 2026-03 -o "$TMP/m3.zip" && has "$OUT" '"sealed": true'
hasnt "$ERR" "未加密封装"
head -c 15 "$TMP/m3.zip" | grep -q "DIBAO-SEALED 1" || bad "no seal head"
head -n 3 "$TMP/m3.zip" | grep -q "^township 330102001$" || bad "the head lacks the township code"
head -n 3 "$TMP/m3.zip" | grep -q "^month 2026-03$" || bad "the head lacks the month"
for s in $HEAD $WIFE 欧阳春花 司马秋月 青石村 manifest.json 扫描件里的秘密内容 青石镇; do
	grep -qa -- "$s" "$TMP/m3.zip" && bad "$s readable in the sealed archive"
done

# ---- another county: refused by its key; damaged: refused whole
C2="$TMP/county2"
as cadmin secret-admin
dib 0 --data "$C2" init --county-code 330103 --county-name 拱墅区 --admin cadmin
dib 1 --data "$C2" import archive "$TMP/m3.zip" && has "$ERR" "尚无密钥对"
dib 0 --data "$C2" county key
dib 1 --data "$C2" import archive "$TMP/m3.zip" && has "$ERR" "另一个县"
SIZE=$(stat -c %s "$TMP/m3.zip")
head -c $((SIZE - 40)) "$TMP/m3.zip" >"$TMP/short.zip"
dib 1 --data "$C" import archive "$TMP/short.zip" && has "$ERR" "损坏"
cp "$TMP/m3.zip" "$TMP/flip.zip"
printf 'Z' | dd of="$TMP/flip.zip" bs=1 seek=$((SIZE / 2)) conv=notrunc 2>/dev/null
dib 1 --data "$C" import archive "$TMP/flip.zip" && has "$ERR" "损坏"
sed '2s/330102001/330102002/' "$TMP/m3.zip" >"$TMP/head.zip"     # another township on the outside
dib 1 --data "$C" import archive "$TMP/head.zip" && has "$ERR" "损坏"
cat "$TMP/m3.zip" "$TMP/scan.jpg" >"$TMP/tail.zip"
dib 1 --data "$C" import archive "$TMP/tail.zip" && has "$ERR" "损坏"
dib 0 --data "$C" --json county list && eq "$(cat "$OUT")" "[]" "nothing imported after the refusals"
# the county opens it: the manifest chain as before
dib 0 --data "$C" --json import archive "$TMP/m3.zip" && has "$OUT" '"period": "2026-03"' && has "$OUT" '"township": "330102001"'
dib 0 --data "$C" --json county list && has "$OUT" "2026-03"

# ---- who may take data away: not the inspector; each export audited
as inspector secret-inspector
dib 0 dossier show "$NO"
dib 1 export archive --month 2026-03 -o "$TMP/i.zip" && has "$ERR" "不允许"
dib 1 export roster -o "$TMP/i.csv" && has "$ERR" "不允许"
dib 1 backup "$TMP/ib" && has "$ERR" "不允许"
[ -e "$TMP/i.zip" ] || [ -e "$TMP/i.csv" ] || [ -e "$TMP/ib/meta.db" ] && bad "the inspector took a file away"
clerk
dib 0 export roster -o "$TMP/r.csv"
dib 0 backup "$TMP/b"
dib 0 audit && has "$OUT" "export.roster" && has "$OUT" "archive.export" && has "$OUT" "backup"
grep -rqa "扫描件里的秘密内容" "$TMP/b" && bad "the scan is in clear in the backup"

# ---- an altered scan: check names it
f=$(find "$DIBAO_DATA/files" -type f | head -1)
# the byte at 40 changed for certain (a fixed 'Z' left it as it was once
# in 256 runs: the cipher text is random)
old=$(od -An -tu1 -j40 -N1 "$f" | tr -d ' ')
printf "\\$(printf '%03o' $(( (old + 1) % 256 )))" | dd of="$f" bs=1 seek=40 conv=notrunc 2>/dev/null
[ "$(od -An -tu1 -j40 -N1 "$f" | tr -d ' ')" != "$old" ] || bad "the scan's byte 40 was not changed"
dib 1 check && cat "$OUT" "$ERR" >"$TMP/both" && has "$TMP/both" "$(basename "$f")" && has "$TMP/both" "被改动"

finish
