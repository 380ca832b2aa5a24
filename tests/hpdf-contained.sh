#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# libharu stays in print/ (issue 20): the document is opaque to the front
# ends, so no source file outside print/ includes hpdf.h or print/'s
# inside (print-int.h), and print.h itself does not include hpdf.h.
top=${top_srcdir:-.}
[ -f "$top/print/print.h" ] || exit 77
cd "$top" || exit 99
pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(hpdf\.h|print-int\.h)[>"]'
found=$(grep -rlE "$pattern" --include='*.c' --include='*.h' core store import print tui cli tests bench fuzz 2>/dev/null |
	grep -v '^print/.*\.c$' | grep -v '^print/print-int\.h$')
if [ -n "$found" ]; then
	echo "hpdf.h or print/print-int.h included outside print/ (or by print.h):" >&2
	echo "$found" >&2
	exit 1
fi
# the check must see the includes it guards: print/ itself has some
grep -rqE "$pattern" print || { echo "no include of hpdf.h found in print/: the pattern is wrong" >&2; exit 99; }
exit 0
