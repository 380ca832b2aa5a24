#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shared-memory segments of an encrypted store (issues 14/16): a
# command that ends leaves none (the last one out removes them); a process
# killed with the environment open leaves them, and the test harness's
# clean-up (tests/shm-clean, through the store's crypt_regions_remove)
# removes them, so test suites do not eat the machine's memory.
. "${top_srcdir:-.}/tests/lib.sh"

[ -x "$SHMCLEAN" ] || { echo "FAIL: $SHMCLEAN missing" >&2; exit 1; }
setup_township
[ -f "$DIBAO_DATA/dibao.keys" ] || { echo "FAIL: the store is not encrypted" >&2; exit 1; }
dib 0 village list
eq "$("$SHMCLEAN" -v "$TMP")" 0 "segments left by commands that ended"
# a load killed while its environment is open (__db.001 names the segment)
LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" demo --households 20000 --seed 3 >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -f "$DIBAO_DATA/__db.001" ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null
[ -f "$DIBAO_DATA/__db.001" ] || echo "FAIL: the load was not killed with its environment open" >&2
n=$("$SHMCLEAN" -v "$TMP")
[ "$n" -ge 1 ] 2>/dev/null || { echo "FAIL: segments removed after the kill: got '$n', expected at least 1" >&2; FAILS=$((FAILS + 1)); }
eq "$("$SHMCLEAN" -v "$TMP")" 0 "segments left after the clean-up"
# the store opens again: the next opener recovers (new regions)
dib 0 village list && has "$OUT" "青石村"
eq "$("$SHMCLEAN" -v "$TMP")" 0 "segments left by the recovery"
finish
