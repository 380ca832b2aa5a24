#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks of the store (docs/PERFORMANCE.md).  Prints figures; never a
# pass/fail test.  usage: bench/run.sh [HOUSEHOLDS]   (default 100000)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
"$top/scripts/build"
make -C "$top/build" -s bench/bench-store
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "== store: $n demo households ($(nproc) cores, $(uname -m))"
"$top/build/bench/bench-store" "$tmp/data" "$n"
echo "size on disk: $(du -sh "$tmp/data" | cut -f1) in all, of which logs $(du -ch "$tmp"/data/log.* | tail -1 | cut -f1)"
ls -l "$tmp"/data/*.db | awk '{printf "  %-22s %6.1f MB\n", $9, $5 / 1048576}' | sed "s|$tmp/data/||"
export DIBAO_DATA="$tmp/data" DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
echo "== the command line (a whole process each)"
/usr/bin/time -f "dibao dossier show: %e s, peak RSS %M KB" "$top/build/dibao" dossier show 330102001-2023-00001 >/dev/null
/usr/bin/time -f "dibao --user admin (login, Argon2id 19 MiB) + dossier show --reveal: %e s, peak RSS %M KB" \
	"$top/build/dibao" --user admin dossier show 330102001-2023-00001 --reveal >/dev/null
/usr/bin/time -f "dibao check: %e s, peak RSS %M KB" "$top/build/dibao" check >/dev/null
