#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The standby PC (docs/PERFORMANCE.md): the latency of one write command
# (`dibao village add`, a whole process with login) on a master with its
# standby present, with the standby away (acknowledgement timeout), and with
# no replication; then the time for a new standby to join a master holding
# N demo households.  Loopback ports 42190-42191.  Prints figures; not a test.
# usage: bench/replica.sh [HOUSEHOLDS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
"$top/scripts/build"
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null || true; done; sleep 2; "$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
D="$top/build/dibao"
A="$tmp/a" B="$tmp/b"
echo "== standby PC ($(nproc) cores, $(uname -m)); replica.ack.timeout.ms 2000"
"$D" --data "$A" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
writes() { # LABEL DIR: five village adds, the median of their wall times
	for i in 1 2 3 4 5; do
		/usr/bin/time -f "%e" "$D" --data "$2" village add "$1$i" 2>&1 >/dev/null | tail -1
	done | sort -n | sed -n 3p | sed "s/^/$1: median of 5 write commands (with login) /; s/$/ s/"
}
writes "no replication" "$A"
"$D" --data "$A" replica init --self 127.0.0.1:42190 --peer 127.0.0.1:42191 >/dev/null
"$D" --data "$A" replica run 2>/dev/null & pa=$!; pids="$pids $pa"
"$D" --data "$B" replica join --self 127.0.0.1:42191 --from 127.0.0.1:42190 >/dev/null
"$D" --data "$B" replica run 2>/dev/null & pb=$!; pids="$pids $pb"
sleep 2
writes "standby present" "$A"
kill $pb; wait $pb 2>/dev/null || true
sleep 2
writes "standby away" "$A"
kill $pa; wait $pa 2>/dev/null || true
rm -rf "$B"
/usr/bin/time -f "demo load of $n households (replicated master, standby away): %e s" "$D" --data "$A" demo --households "$n" --seed 1 >/dev/null
"$D" --data "$A" replica run 2>/dev/null & pa=$!; pids="$pids $pa"
sleep 2
echo "master: $(du -sh "$A" | cut -f1)"
/usr/bin/time -f "join of a new standby (engine's client initialisation): %e s, peak RSS %M KB" \
	"$D" --data "$B" replica join --self 127.0.0.1:42191 --from 127.0.0.1:42190 --wait 3600 >/dev/null
echo "standby: $(du -sh "$B" | cut -f1)"
