#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The standby PC, more cases on loopback: a standby started while its master
# is away waits and then catches up; a third site joins and all three agree
# (audit heads); with three sites and replica.elections=majority, the others
# elect a new master by themselves when the master dies.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/cli/replica-lib.sh"

A="$TMP/a" B="$TMP/b" C="$TMP/c"
PA=127.0.0.1:$((42111 + ${DIBAO_TEST_PORT_OFFSET:-0})) PB=127.0.0.1:$((42112 + ${DIBAO_TEST_PORT_OFFSET:-0})) PC=127.0.0.1:$((42113 + ${DIBAO_TEST_PORT_OFFSET:-0}))

as admin secret-admin
dib 0 --data "$A" init --township-code 330102001 --township-name 青石镇 --admin admin --no-encrypt || exit 1
dib 0 --data "$A" replica init --self $PA --peer $PB || exit 1
run_site a "$A"
PIDA=$LASTPID
dib 0 --data "$B" replica join --self $PB --from $PA --wait 20 || { show_logs; exit 1; }
run_site b "$B"
PIDB=$LASTPID

# ---- a standby started while its master is away waits, then catches up
within 5 in_step "$A" || { echo "FAIL: a never saw b in step" >&2; FAILS=$((FAILS + 1)); }
kill "$(pgrep -P "$PIDB")"          # b's replication process stops (SIGTERM)
wait "$PIDB" 2>/dev/null
within 5 sh -c "! '$DIBAO' --data '$A' --json replica status | grep -q '\"connected\": true'" ||
	{ echo "FAIL: a still sees b" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" replica status && has "$OUT" "备用机未同步"
dib 0 --data "$A" village add 北坡村        # acknowledged after the timeout: b is away
kill "$(pgrep -P "$PIDA")"
wait "$PIDA" 2>/dev/null
run_site b2 "$B"
within 5 role_is "$B" standby || { echo "FAIL: b did not start as standby" >&2; FAILS=$((FAILS + 1)); }
sleep 1
dib 0 --data "$B" --json replica status && has "$OUT" '"state": "behind"'
dib 0 --data "$B" village list && hasnt "$OUT" 北坡村
dib 1 --data "$B" village add 西山村 && has "$ERR" "$PA"
run_site a2 "$A"
within 8 has_village "$B" 北坡村 || { echo "FAIL: b did not catch up once a returned" >&2; show_logs; FAILS=$((FAILS + 1)); }
within 5 role_is "$A" master || { echo "FAIL: a is not the master again" >&2; FAILS=$((FAILS + 1)); }

# ---- a third site joins from the master; all three agree
dib 0 --data "$C" replica join --self $PC --from $PA --wait 20 || show_logs
run_site c "$C"
within 5 role_is "$C" standby || { echo "FAIL: c did not become a standby" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" village add 南湖村
within 5 has_village "$C" 南湖村 || { echo "FAIL: c did not get the write" >&2; FAILS=$((FAILS + 1)); }
within 5 has_village "$B" 南湖村 || { echo "FAIL: b did not get the write" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" --json replica status && has "$OUT" "$PB" && has "$OUT" "$PC"
for d in "$A" "$B" "$C"; do
	dib 0 --data "$d" check
	dib 0 --data "$d" audit --verify
done
eq "$(audit_head "$B")" "$(audit_head "$A")" "audit heads of a and b"
eq "$(audit_head "$C")" "$(audit_head "$A")" "audit heads of a and c"

[ "$FAILS" -eq 0 ] || show_logs
exit $((FAILS > 0))
