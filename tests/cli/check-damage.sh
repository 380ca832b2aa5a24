#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `dibao check` on a damaged page (issue 17, check's verify in a thread of
# its own): the damaged file is named first, before the index mismatches it
# causes; a damaged key is shown in hex, never as raw bytes on the
# terminal; one index lists at most 20 mismatches and sums up the rest.
# An encrypted page that no longer decrypts is called damage, in the file's
# name, not "another process recovered the database".
. "${top_srcdir:-.}/tests/lib.sh"

# page_bytes FILE PAGE OFFSET BYTES_OCTAL: overwrite bytes inside a page
# (the page size from the file's meta page: bytes 20..23, little-endian)
page_bytes() {
	ps=$(od -An -tu4 -j20 -N4 "$1" | tr -d ' ')
	[ "$ps" -ge 512 ] || { echo "FAIL: no page size in $1" >&2; exit 1; }
	printf "$4" | dd of="$1" bs=1 seek=$(($2 * ps + $3)) conv=notrunc 2>/dev/null
}

at 2026-03-10
INIT_OPTS=--no-encrypt setup_township
dib 0 demo --households 300 --seed 1
dib 0 check
# a leaf page of dossiers.db whose first item offset (bytes 26..27 of a
# btree page) now is the second's: its first record's key is its record's
# bytes, garbage (in the page: an offset past it read whatever lay beyond
# it in the cache, and the walk failed or not by what that was)
ps=$(od -An -tu4 -j20 -N4 "$DIBAO_DATA/dossiers.db" | tr -d ' ')
dd if="$DIBAO_DATA/dossiers.db" bs=1 skip=$((10 * ps + 28)) count=2 2>/dev/null >"$TMP/item1"
dd if="$TMP/item1" of="$DIBAO_DATA/dossiers.db" bs=1 seek=$((10 * ps + 26)) conv=notrunc 2>/dev/null
dib 1 check
eq "$(head -1 "$ERR" | grep -c 'dossiers.db：已损坏')" 1 "the damaged file named first"
# every line well-formed UTF-8 without control characters
iconv -f UTF-8 -t UTF-8 "$ERR" >/dev/null 2>&1 || { echo "FAIL: check's output is not UTF-8" >&2; FAILS=$((FAILS + 1)); }
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$ERR"; then
	echo "FAIL: check's output holds control characters" >&2
	FAILS=$((FAILS + 1))
fi
# each index: at most 20 entries listed, the rest summed up
for f in dossier-idno dossier-village dossier-status dossier-name dossier-account; do
	n=$(grep -c "^dibao: $f.db：\(条目\|缺少条目\)" "$ERR")
	[ "$n" -le 20 ] || { echo "FAIL: $f.db lists $n entries" >&2; FAILS=$((FAILS + 1)); }
done
has "$ERR" "个条目与记录不符（不再逐条列出）"
# the count covers the entries not listed one by one
total=$(sed -n 's/.*检查发现 \([0-9]*\) 个问题.*/\1/p' "$ERR")
shown=$(grep -c "^dibao: .*\.db：" "$ERR")
summed=$(sed -n 's/.*另有 \([0-9]*\) 个条目与记录不符.*/\1/p' "$ERR" | awk '{s += $1} END {print s + 0}')
lines=$(grep -c "个条目与记录不符" "$ERR")
eq "$total" "$((shown - lines + summed))" "the problems counted"

# ---- encrypted: a page that no longer decrypts
shm_clean
rm -rf "$DIBAO_DATA"
setup_township
dib 0 demo --households 300 --seed 1
page_bytes "$DIBAO_DATA/dossiers.db" 10 200 '\377\377'
dib 1 check
has "$ERR" "已损坏"
has "$ERR" "dossiers.db"
hasnt "$ERR" "另一个 dibao 进程刚刚恢复"

[ "$FAILS" -eq 0 ]
