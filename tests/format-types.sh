#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# docs/FORMAT.md's record-type table names exactly the record types of
# store/records.h (value and name), and no store file declares a record
# type of its own (issue 20 point 7).
set -u
top=${top_srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# "RT_NAME = N" from the one enum, as "N RT_NAME"
sed -n '/^enum rec_type {/,/^};/p' "$top/store/records.h" | grep -o 'RT_[A-Z_]* = [0-9]*' |
	awk '{print $3, $1}' | sort -n >"$tmp/code"
# "| N | `RT_NAME` |" rows of the table
grep -E '^\| [0-9]+ \| `RT_[A-Z_]+` \|' "$top/docs/FORMAT.md" | sed 's/^| \([0-9]*\) | `\(RT_[A-Z_]*\)`.*/\1 \2/' |
	sort -n >"$tmp/doc"
[ -s "$tmp/code" ] || { echo "FAIL: no enum rec_type in store/records.h" >&2; exit 1; }
if ! diff -u "$tmp/code" "$tmp/doc" >&2; then
	echo "FAIL: docs/FORMAT.md's record-type table differs from store/records.h (- code, + doc)" >&2
	exit 1
fi
# a record type is a constant RT_… = N: only in store/records.h
others=$(grep -lE '\bRT_[A-Z_]+ *= *[0-9]+' "$top"/store/*.c "$top"/store/*.h "$top"/import/*.c 2>/dev/null | grep -v 'store/records\.h$' || true)
[ -z "$others" ] || { echo "FAIL: record types declared outside store/records.h: $others" >&2; exit 1; }
exit 0
