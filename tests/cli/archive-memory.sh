#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The monthly archive is written in bounded memory (issue 17): with 200 MB
# of scans, the export runs under a 96 MB limit on the process's data
# (ulimit -d: heap and private mappings, the login's Argon2id included).
# The in-memory writer before it read every scan into memory and failed
# here.  The store is encrypted: the scans are decrypted as they are
# read, not into a memory file.  The archive then lists and carries every
# scan, byte for byte.
. "${top_srcdir:-.}/tests/lib.sh"
# memory bounds mean nothing under AddressSanitizer (its shadow memory and
# quarantine): the ordinary build measures them
if [ -n "${ASAN_OPTIONS:-}" ]; then
	echo "SKIP: memory is measured in the build without sanitizers"
	exit 77
fi

for t in unzip sha256sum head; do
	command -v $t >/dev/null || { echo "$t missing" >&2; exit 77; }
done
as admin secret-admin
at 2026-03-10
dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin || exit 1
dib 0 demo --households 20 --seed 2 || exit 1
DIBAO_NEW_PASSWORD=secret-clerk dib 0 user add clerk --role clerk --name 测试经办人 || exit 1
dib 0 --json dossier list --status APPROVED --limit 2 || exit 1
set -- $(sed -n 's/.*"dossier": *"\([0-9-]*\)".*/\1/p' "$OUT" | head -2)
[ $# -eq 2 ] || { echo "FAIL: two approved demo dossiers expected" >&2; exit 1; }
# four scans of 50 MB (random bytes behind a JPEG header: stored, not deflated)
clerk
i=0
for code in SQS SFZ HKB SQR; do
	i=$((i + 1))
	{ printf '\377\330\377\340JFIF'; head -c 52428800 /dev/urandom; } >"$TMP/scan.jpg"
	sha256sum <"$TMP/scan.jpg" | cut -d' ' -f1 >>"$TMP/want"
	if [ $i -le 2 ]; then no=$1; else no=$2; fi
	dib 0 checklist mark "$no" $code --scan "$TMP/scan.jpg" || exit 1
	rm -f "$TMP/scan.jpg"
done

as admin secret-admin
at 2026-03-27
(
	ulimit -d 98304 || exit 77
	LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" export archive --month 2026-03 -o "$TMP/m.zip" >"$OUT" 2>"$ERR" &
	pid=$!
	# the store is encrypted: each scan is decrypted as it is read, never
	# whole into an anonymous memory file (which no ulimit counts)
	while kill -0 $pid 2>/dev/null; do
		ls -l /proc/$pid/fd 2>/dev/null | grep -q 'memfd:' && echo "a whole scan in a memory file" >>"$TMP/memfd"
		sleep 0.02
	done
	wait $pid
)
rc=$?
[ -s "$TMP/memfd" ] && { echo "FAIL: the export decrypted a scan whole into memory (memfd)" >&2; FAILS=$((FAILS + 1)); }
[ $rc -eq 77 ] && exit 77
if [ $rc -ne 0 ]; then
	echo "FAIL: the export under a 96 MB data limit exited $rc" >&2
	sed 's/^/  stderr: /' "$ERR" >&2
	exit 1
fi
# every scan is in it, whole
unzip -Z1 "$TMP/m.zip" | grep '扫描件/' | sort >"$TMP/names"
eq "$(wc -l <"$TMP/names")" 4 "scans in the archive"
while read -r name; do
	unzip -p "$TMP/m.zip" "$name" | sha256sum | cut -d' ' -f1
done <"$TMP/names" | sort >"$TMP/got"
sort "$TMP/want" >"$TMP/want.sorted"
cmp -s "$TMP/got" "$TMP/want.sorted" || { echo "FAIL: the scans in the archive differ from those marked" >&2; FAILS=$((FAILS + 1)); }
finish
