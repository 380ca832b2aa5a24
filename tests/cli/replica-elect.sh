#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The standby PC with three sites and replica.elections=1: when the master
# dies (kill -9) the two others elect a new master by majority on their
# own; the remaining standby refuses writes naming it, and it takes them.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/cli/replica-lib.sh"

A="$TMP/a" B="$TMP/b" C="$TMP/c"
PA=127.0.0.1:$((42131 + ${DIBAO_TEST_PORT_OFFSET:-0})) PB=127.0.0.1:$((42132 + ${DIBAO_TEST_PORT_OFFSET:-0})) PC=127.0.0.1:$((42133 + ${DIBAO_TEST_PORT_OFFSET:-0}))

as admin secret-admin
dib 0 --data "$A" init --township-code 330102001 --township-name 青石镇 --admin admin --no-encrypt || exit 1
dib 0 --data "$A" setting set replica.elections 1 || exit 1
dib 1 --data "$A" setting set replica.elections 2
dib 0 --data "$A" replica init --self $PA --peer $PB || exit 1
run_site a "$A"
PIDA=$LASTPID
dib 0 --data "$B" replica join --self $PB --from $PA --wait 20 || { show_logs; exit 1; }
run_site b "$B"
dib 0 --data "$C" replica join --self $PC --from $PA --wait 20 || { show_logs; exit 1; }
run_site c "$C"
within 5 role_is "$B" standby || { echo "FAIL: b is not a standby" >&2; FAILS=$((FAILS + 1)); }
within 5 role_is "$C" standby || { echo "FAIL: c is not a standby" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" village add 青石村

kill_site "$PIDA"
new=""
n=150
while [ -z "$new" ] && [ $n -gt 0 ]; do
	role_is "$B" master && new=$B
	role_is "$C" master && new=$C
	sleep 0.1
	n=$((n - 1))
done
if [ -z "$new" ]; then
	echo "FAIL: b and c elected no master" >&2
	FAILS=$((FAILS + 1))
else
	other=$B
	[ "$new" = "$B" ] && other=$C
	dib 0 --data "$new" village add 东岭村
	within 3 has_village "$other" 东岭村 || { echo "FAIL: the other standby did not follow" >&2; FAILS=$((FAILS + 1)); }
	dib 1 --data "$other" village add 西山村 && has "$ERR" "本机为备用机"
	dib 0 --data "$other" village list && has "$OUT" 青石村
	eq "$(audit_head "$other")" "$(audit_head "$new")" "audit heads of b and c"
fi

[ "$FAILS" -eq 0 ] || show_logs
exit $((FAILS > 0))
