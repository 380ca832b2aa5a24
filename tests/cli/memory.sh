#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory on malformed input (issue 16): a roster CSV of 24 MB of blank rows
# around one household.  Blank rows take no memory (a 46 MB file once
# peaked at 462 MB); what is left is the file read and its UTF-8 copy, so
# the peak stays under 3 times the file.  The household is still found on
# its own line.
. "${top_srcdir:-.}/tests/lib.sh"
# memory bounds mean nothing under AddressSanitizer (its shadow memory and
# quarantine): the ordinary build measures them
if [ -n "${ASAN_OPTIONS:-}" ]; then
	echo "SKIP: memory is measured in the build without sanitizers"
	exit 77
fi

[ -x /usr/bin/time ] || { echo "/usr/bin/time missing" >&2; exit 77; }
setup_township
as admin secret-admin
F="$TMP/blank.csv"
{
	printf '姓名,身份证号,与户主关系,户主身份证号,村/社区,组,城乡类别,月保障金额（元）,开户银行,银行账号\n'
	awk 'BEGIN { for (i = 0; i < 2000000; i++) printf ",,,,,,,,,,\n" }'
	printf '张三,330102195001010014,本人,,青石村,二组,农村,650,,\n'
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "\n" }'
} >"$F"
size_kb=$(( $(wc -c <"$F") / 1024 ))
/usr/bin/time -f '%M' -o "$TMP/rss" "$DIBAO" --data "$DIBAO_DATA" import roster "$F" --dry-run \
    >"$OUT" 2>"$ERR" || true
rss_kb=$(tail -1 "$TMP/rss")
echo "memory: a ${size_kb} KB roster of blank rows peaked at ${rss_kb} KB"
# the login's Argon2id (19 MiB, SPEC 11) comes on top of the reader's own
[ "$rss_kb" -lt $((size_kb * 3 + 40000)) ] ||
    { echo "FAIL: ${rss_kb} KB for a ${size_kb} KB file" >&2; FAILS=$((FAILS + 1)); }
grep -q "张三\|1" "$OUT" "$ERR" || { echo "FAIL: the household was not read" >&2; cat "$OUT" "$ERR" >&2; FAILS=$((FAILS + 1)); }
finish
