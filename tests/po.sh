#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every UI string in the sources has a Chinese translation in po/zh_CN.po:
# a clerk under a zh_CN locale never meets an English message.
set -u
top=${top_srcdir:-.}
command -v xgettext >/dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$top" && xgettext --from-code=UTF-8 -k_ -kN_ -o "$tmp/dibao.pot" -f po/POTFILES.in) || exit 1
# every source file with strings is listed in POTFILES
for f in $(cd "$top" && grep -l -E '_\("|N_\("' core/*.c store/*.c cli/*.c print/*.c import/*.c tui/*.c 2>/dev/null); do
	grep -qx "$f" "$top/po/POTFILES.in" || { echo "FAIL: $f is not in po/POTFILES.in" >&2; exit 1; }
done
if ! msgcmp "$top/po/zh_CN.po" "$tmp/dibao.pot" 2>"$tmp/err"; then
	cat "$tmp/err" >&2
	echo "FAIL: po/zh_CN.po lacks translations (run make update-po and translate)" >&2
	exit 1
fi
if msgattrib --untranslated --only-fuzzy "$top/po/zh_CN.po" 2>/dev/null | grep -q '^msgid "[^"]'; then
	echo "FAIL: fuzzy entries in po/zh_CN.po" >&2
	exit 1
fi
untrans=$(msgattrib --untranslated "$top/po/zh_CN.po" | grep -c '^msgid "[^"]' || true)
[ "$untrans" -eq 0 ] || { echo "FAIL: $untrans untranslated entries" >&2; exit 1; }
exit 0
