#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Encryption at rest and the sealed handover against the same build with
# --no-encrypt (docs/PERFORMANCE.md, "Protection").  Whole processes, each
# with its login.  Prints figures; never a pass/fail test.
# usage: bench/protect.sh [HOUSEHOLDS]   (default 100000)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
"$top/scripts/build"
D="$top/build/dibao"
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export HOME="$tmp" DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
t() { # t LABEL COMMAND...: wall and CPU time (user + system: what counts
	# on a shared machine), peak RSS of one process, the load average after
	label=$1
	shift
	/usr/bin/time -f "  $label: %e s wall, %U + %S s CPU, peak RSS %M KB" "$@" >/dev/null
	echo "    (load $(cut -d' ' -f1 /proc/loadavg))"
}
month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
echo "== protection: $n demo households ($(nproc) cores, $(uname -m)); archive of $month"

# the county and its key, for the sealed archive
DIBAO_DATA="$tmp/county" "$D" init --county-code 330102 --county-name 西湖区 --admin admin --sheet "$tmp/c.pdf" >/dev/null
key=$(DIBAO_DATA="$tmp/county" "$D" county key --pdf "$tmp/key.pdf" 2>/dev/null)

for mode in plain encrypted; do
	export DIBAO_DATA="$tmp/$mode"
	opt=
	[ "$mode" = plain ] && opt=--no-encrypt
	echo "-- $mode"
	# shellcheck disable=SC2086
	t "init" "$D" init $opt --township-code 330102001 --township-name 青石镇 --admin admin --sheet "$tmp/s.pdf"
	t "load (demo --households $n)" "$D" demo --households "$n" --seed 1
	t "login (Argon2id 19 MiB, 2 passes) + user list" "$D" user list
	id=$("$D" dossier show 330102001-2023-00001 --reveal | grep -o '[0-9]\{17\}[0-9X]' | head -1)
	t "lookup by ID (dossier list --search)" "$D" dossier list --search "$id"
	t "check" "$D" check
	[ "$mode" = encrypted ] && "$D" setting set county.key "$key" >/dev/null
	t "export archive ($( [ "$mode" = encrypted ] && echo sealed || echo plain))" \
	    "$D" export archive --month "$month" -o "$tmp/$mode.zip"
	echo "  archive: $(stat -c %s "$tmp/$mode.zip") bytes; data directory: $(du -sh "$DIBAO_DATA" | cut -f1)"
	t "backup" "$D" backup "$tmp/$mode.bak"
done
echo "-- conversion"
DIBAO_DATA="$tmp/plain" t "dibao encrypt ($n households)" "$D" encrypt --sheet "$tmp/e.pdf"
echo "-- the county imports the sealed archive"
DIBAO_DATA="$tmp/county" t "import archive (sealed)" "$D" import archive "$tmp/encrypted.zip"
