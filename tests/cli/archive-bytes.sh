#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The monthly archive's bytes do not depend on how it is written (issue 17):
# on the same data, with the clock stopped (faketime without @, so every
# audit entry has the same time), the streaming writer gives the archive
# the in-memory writer before it gave.
#  * archive-bytes.manifest.json is the manifest written for this data:
#    the streaming writer was proven against the in-memory writer's
#    manifest (commit bcc5e00) entry by entry; the reference was taken
#    again when the merge of issues 12-19 changed the content on purpose
#    (payment entries, the forms' layout, new dossier fields); every entry
#    keeps its size and SHA-256, the roster's XLSX aside; taken again for
#    issue 16.5 (the audit entries' hashes cover state, the township's key
#    is an entry and the signature another, on a plain store), and at the
#    merge of the second round (issue 13's demo card holders in the
#    township's region code, issue 15's form copy named DB-05-… and the
#    monthly report on one page with its seal beside the date), and for
#    issue 15's tighter approval form (DB-05, the longest household on one
#    page: that one entry);
#  * the whole files were compared with fixed SHA-256s (ZIP_SHA, TGZ_SHA:
#    the streaming writer gave bcc5e00's bytes exactly, 04277df5… and
#    a9cc9c7d…) until issue 16.5: the audit entries now carry the SHA-256
#    of the records written, and a user record holds a password hash with
#    a random salt, so the chain (the audit entries, the head, the monthly
#    report that names it) differs from one fresh store to the next.  Those
#    four entries are left out of the comparison with the reference, and
#    the bytes are proven reproducible by exporting the month twice in each
#    format: the same bytes both times.
#  * issue 17's one pass (the dossiers' entries made as they are written,
#    the manifest and its signature last): both archives are compared byte
#    for byte with tests/archive-ref, a reference writer independent of the
#    exporter (each file read whole, written in one call, one thread) given
#    the files the archive holds in the order docs/ARCHIVE.md gives (every
#    entry sorted by name, then manifest.json and manifest.sig).
# The data: a demo township of 40 households, scans of three kinds (one
# larger than the writer's 64 KB piece) and a printed form.
#
# When the archive's content changes on purpose (a new entry, a new field),
# the figures change: run this test with ARCHIVE_BYTES_PRINT=1 (and
# ARCHIVE_BYTES_KEEP=DIR to keep the archives), check the difference, and
# put the printed hashes here (and the new manifest beside this file).
. "${top_srcdir:-.}/tests/lib.sh"

REF=$(cd "${top_srcdir:-.}" && pwd)/tests/cli/archive-bytes.manifest.json

for t in sha256sum awk unzip bsdtar; do
	command -v $t >/dev/null || { echo "$t missing" >&2; exit 77; }
done
export TZ=Asia/Shanghai
# stopped(STATUS ARGS...): dib with the clock stopped at $FAKETIME_AT
stopped() {
	want=$1
	shift
	LD_PRELOAD=$FAKETIME_LIB FAKETIME="$FAKETIME_AT" "$DIBAO" "$@" >"$OUT" 2>"$ERR"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: dibao $* exited $got, expected $want" >&2
		sed 's/^/  stderr: /' "$ERR" >&2
		exit 1
	fi
}

as admin secret-admin
FAKETIME_AT="2026-03-10 09:00:00"
# issue 16.5: the archive is signed with the township's key, made at random
# at the first export: a plain store given a fixed key first (the file
# format of docs/FORMAT.md), so that the signature is the same every run
stopped 0 init --township-code 330102001 --township-name 青石镇 --admin admin --no-encrypt
printf 'dibao-sign-key 1\nplain %s\n' 5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed >"$DIBAO_DATA/dibao.sign"
chmod 600 "$DIBAO_DATA/dibao.sign"
stopped 0 demo --households 40 --seed 5
DIBAO_NEW_PASSWORD=secret-clerk stopped 0 user add clerk --role clerk --name 测试经办人
stopped 0 --json dossier list --status APPROVED --limit 3
set -- $(sed -n 's/.*"dossier": *"\([0-9-]*\)".*/\1/p' "$OUT" | head -3)
[ $# -eq 3 ] || { echo "FAIL: three approved demo dossiers expected" >&2; cat "$OUT" >&2; exit 1; }
A=$1 B=$2 C=$3
# a JPEG larger than a chunk, a PNG, a PDF: made from fixed text, the same every run
{ printf '\377\330\377\340JFIF'; awk 'BEGIN { for (i = 0; i < 60000; i++) printf "%08d\n", (i * 7919) % 100003 }'; } >"$TMP/big.jpg"
{ printf '\211PNG\r\n\032\n'; awk 'BEGIN { for (i = 0; i < 500; i++) printf "row %d\n", i }'; } >"$TMP/s.png"
{ printf '%%PDF-1.4\n'; awk 'BEGIN { for (i = 0; i < 200; i++) printf "%% line %d\n", i }'; } >"$TMP/s.pdf"
as clerk secret-clerk
# relative names: the audit entry keeps the name given, and $TMP differs
cd "$TMP" || exit 1
stopped 0 checklist mark "$A" SQS --signed --scan big.jpg
stopped 0 checklist mark "$A" SFZ --scan s.png
stopped 0 checklist mark "$B" HKB --scan s.pdf
stopped 0 checklist mark "$C" SQS --scan s.png
stopped 0 print approval --dossier "$A" -o "$TMP/approval.pdf"

as admin secret-admin
FAKETIME_AT="2026-03-27 10:00:00"
stopped 0 export archive --month 2026-03 -o "$TMP/m.zip"
stopped 0 export archive --month 2026-03 -o "$TMP/m.tar.gz" --format tar.gz
stopped 0 export archive --month 2026-03 -o "$TMP/m2.zip"
stopped 0 export archive --month 2026-03 -o "$TMP/m2.tar.gz" --format tar.gz
zip=$(sha256sum <"$TMP/m.zip" | cut -d' ' -f1)
tgz=$(sha256sum <"$TMP/m.tar.gz" | cut -d' ' -f1)
zip2=$(sha256sum <"$TMP/m2.zip" | cut -d' ' -f1)
tgz2=$(sha256sum <"$TMP/m2.tar.gz" | cut -d' ' -f1)
if [ -n "${ARCHIVE_BYTES_PRINT:-}" ]; then
	echo "ZIP_SHA=$zip"
	echo "TGZ_SHA=$tgz"
	cp "$TMP/m.zip" "$TMP/m.tar.gz" "${ARCHIVE_BYTES_KEEP:-/tmp}/" 2>/dev/null
fi
# every entry as the in-memory writer made it, the roster's XLSX aside
listing() { # listing MANIFEST: "path size sha256" per file
	awk -F'"' '/"path":/ {p = $4} /"sha256":/ {h = $4} /"size":/ {s = $3; gsub(/[^0-9]/, "", s); print p, s, h}' "$1"
}
unzip -p "$TMP/m.zip" 330102001-2026-03/manifest.json >"$TMP/manifest.json"
# the roster's XLSX aside, and what the audit chain's hashes make (above)
CHAIN='/(花名册\.xlsx|审计日志\.jsonl|审计链头\.json|月报/动态管理月报\.csv|月报/动态管理月报\.pdf) '
listing "$REF" | grep -Ev "$CHAIN" >"$TMP/before"
listing "$TMP/manifest.json" | grep -Ev "$CHAIN" >"$TMP/after"
eq "$(wc -l <"$TMP/before")" 91 "entries listed by the reference manifest"
if ! cmp -s "$TMP/before" "$TMP/after"; then
	echo "FAIL: entries differ from the in-memory writer's:" >&2
	diff "$TMP/before" "$TMP/after" | head -20 >&2
	FAILS=$((FAILS + 1))
fi
eq "$(grep -c '"path"' "$TMP/manifest.json")" 96 "entries listed by the manifest"
eq "$zip2" "$zip" "the zip's SHA-256 exported again (the bytes are not reproducible)"
eq "$tgz2" "$tgz" "the tar.gz's SHA-256 exported again (the bytes are not reproducible)"
# the reference writer, on the files of the archive in the documented order
REFW="${abs_top_builddir:-.}/tests/archive-ref"
MTIME=$(TZ=Asia/Shanghai date -d "2026-03-25 23:59:59" +%s)
for fmt in zip tar.gz; do
	rm -rf "$TMP/x"
	mkdir "$TMP/x"
	bsdtar -xf "$TMP/m.$fmt" -C "$TMP/x"
	(cd "$TMP/x" && find . -type f | sed 's|^\./||' | grep -v '/manifest\.json$' | grep -v '/manifest\.sig$' |
	    LC_ALL=C sort && echo 330102001-2026-03/manifest.json && echo 330102001-2026-03/manifest.sig) >"$TMP/order"
	eq "$(wc -l <"$TMP/order")" 98 "entries of the $fmt archive"
	"$REFW" "$fmt" "$MTIME" "$TMP/x" "$TMP/order" "$TMP/ref.$fmt" || { echo "FAIL: archive-ref $fmt" >&2; exit 1; }
	if ! cmp -s "$TMP/ref.$fmt" "$TMP/m.$fmt"; then
		echo "FAIL: the $fmt archive differs from the reference writer's ($(cmp "$TMP/ref.$fmt" "$TMP/m.$fmt" | head -1))" >&2
		FAILS=$((FAILS + 1))
	fi
done
# the signature: the township's fixed key, and Ed25519 is deterministic
unzip -p "$TMP/m.zip" 330102001-2026-03/签名公钥.txt >"$TMP/pk"
eq "$(cat "$TMP/pk")" 956e33980287dd9bd6a546b0f543bbf114295fc7d485570fd2fbee11a5314b4c "the township's public key"
finish
