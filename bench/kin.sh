#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Kin matching at township scale (docs/PERFORMANCE.md): 100,000 demo
# households, 5,000 staff, 20,000 declared relatives; times the full
# re-scan and one member add with matching.  Prints figures; not a test.
# usage: bench/kin.sh [HOUSEHOLDS] [STAFF] [RELATIVES]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
"$top/scripts/build"
make -C "$top/build" -s bench/bench-kin
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export DIBAO_DATA="$tmp/data" DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
"$top/build/dibao" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
echo "== kin: $n demo households ($(nproc) cores, $(uname -m))"
/usr/bin/time -f "demo load: %e s" "$top/build/dibao" demo --households "$n" --seed 1 >/dev/null
"$top/build/bench/bench-kin" "$tmp/data" "${2:-5000}" "${3:-20000}"
/usr/bin/time -f "dibao kin matches (re-scan + list, a whole process with login): %e s, peak RSS %M KB" \
	"$top/build/dibao" --json kin matches >/dev/null
/usr/bin/time -f "dibao kin unfiled: %e s, peak RSS %M KB" "$top/build/dibao" kin unfiled >/dev/null
