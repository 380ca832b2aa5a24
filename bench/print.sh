#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Printing benchmarks (docs/PERFORMANCE.md): one approval form, and a batch
# of approval forms as one PDF.  Prints figures; never a test.
# usage: bench/print.sh [HOUSEHOLDS] [BATCH]   (defaults 2000, 500)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build"
make -C "$top/build" -s bench/bench-print
tmp=$(mktemp -d)
trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp" /tmp/bench-one.pdf /tmp/bench-batch.pdf' EXIT
export DIBAO_DATA="$tmp/data" DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
"$top/build/dibao" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
"$top/build/dibao" --user admin demo --households "${1:-2000}" >/dev/null
"$top/build/bench/bench-print" "$tmp/data" admin "${2:-500}"
echo "batch pages: $(pdfinfo /tmp/bench-batch.pdf 2>/dev/null | sed -n 's/^Pages: *//p')"
