#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One list of Debian packages (scripts/packages) behind scripts/setup and
# debian/control: debian/control is what scripts/control makes of it; every
# package configure asks for is a build dependency, and every font package
# the forms name (print/font-find.c) a run dependency.
top=${top_srcdir:-.}
[ -f "$top/debian/control" ] || { echo "SKIP: no debian/ (a dist tarball)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
"$top/scripts/control" - >"$tmp/control" || exit 1
if ! diff -u "$top/debian/control" "$tmp/control"; then
	echo "FAIL: debian/control is not made from scripts/packages: run scripts/control" >&2
	fail=1
fi
roles() { sed -e 's/#.*//' "$top/scripts/packages" | awk -v p="$1" '$1 == p { $1 = ""; print }'; }
for p in $(sed -n 's/.*DIBAO_NEED(\[[^]]*\], \[\([a-z0-9.+-]*\)\]).*/\1/p' "$top/configure.ac" | sort -u); do
	case " $(roles "$p") " in
	*" build "*) ;;
	*) echo "FAIL: configure needs $p, not a build package in scripts/packages" >&2; fail=1 ;;
	esac
done
for p in $(grep -o '"fonts-[a-z0-9-]*"' "$top/print/font-find.c" | tr -d '"' | sort -u); do
	case " $(roles "$p") " in
	*" run "*) ;;
	*) echo "FAIL: the forms need $p, not a run package in scripts/packages" >&2; fail=1 ;;
	esac
done
# setup installs exactly the list
sh -n "$top/scripts/setup" || fail=1
grep -q 'scripts/packages\|/packages"' "$top/scripts/setup" || { echo "FAIL: scripts/setup does not read scripts/packages" >&2; fail=1; }
exit $fail
