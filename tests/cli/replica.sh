#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The standby PC (SPEC section 12) on loopback: a master and a standby in two
# data directories kept in step by Berkeley DB's replication manager.  A
# write on the master reads on the standby; the standby refuses writes naming
# the master; the master is killed (-9), the standby promoted and written to;
# the old master restarted becomes the standby and has the new write; check
# and audit --verify pass on both and the audit heads agree.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/cli/replica-lib.sh"

A="$TMP/a" B="$TMP/b"
PA=127.0.0.1:$((42101 + ${DIBAO_TEST_PORT_OFFSET:-0})) PB=127.0.0.1:$((42102 + ${DIBAO_TEST_PORT_OFFSET:-0}))

as admin secret-admin
dib 0 --data "$A" init --township-code 330102001 --township-name 青石镇 --admin admin --no-encrypt || exit 1
DIBAO_NEW_PASSWORD=secret-clerk dib 0 --data "$A" user add clerk --role clerk --name 测试clerk
dib 0 --data "$A" --json replica status && has "$OUT" '"role": "none"'

# ---- making the master: admin only, addresses checked
as clerk secret-clerk
dib 1 --data "$A" replica init --self $PA --peer $PB && has "$ERR" "不允许"
as admin secret-admin
dib 1 --data "$A" replica init --self 127.0.0.1:0 && has "$ERR" "--self"
dib 1 --data "$A" replica init --self nohost && has "$ERR" "nohost"
dib 2 --data "$A" replica init
dib 0 --data "$A" replica init --self $PA --peer $PB
dib 1 --data "$A" replica init --self $PA --peer $PB && has "$ERR" "replica.json"
dib 0 --data "$A" audit && has "$OUT" "replica.init"
run_site a "$A"
PIDA=$LASTPID

# ---- the standby joins: the engine copies users and settings
dib 1 --data "$A" replica join --self $PB --from $PA && has "$ERR" "$A"
dib 0 --data "$B" replica join --self $PB --from $PA --wait 20 || { show_logs; exit 1; }
run_site b "$B"
PIDB=$LASTPID
within 5 role_is "$B" standby || { echo "FAIL: b never became the standby" >&2; FAILS=$((FAILS + 1)); }
within 5 in_step "$A" || { echo "FAIL: a never saw its standby in step" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" replica status && has "$OUT" "master" && has "$OUT" "$PB"
# (waited for: the two engines may connect to each other at once, and the
# one connection dropped leaves the standby without its master a moment;
# seen in CI under load)
within 10 sh -c "'$DIBAO' --data '$B' --json replica status | grep -q '\"master\": \"$PA\"'" ||
	{ echo "FAIL: b does not name its master" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$B" --json replica status && has "$OUT" '"role": "standby"' && has "$OUT" "\"master\": \"$PA\""
dib 0 --data "$B" user list && has "$OUT" clerk

# ---- a write on the master reads on the standby within 2 s
dib 0 --data "$A" village add 青石村 --groups 一组,二组
within 2 has_village "$B" 青石村 || { echo "FAIL: the standby did not get the village within 2 s" >&2; FAILS=$((FAILS + 1)); }

# ---- the standby refuses every write, naming the master (exit 1)
dib 1 --data "$B" village add 东岭村 && has "$ERR" "本机为备用机" && has "$ERR" "$PA"
as clerk secret-clerk
dib 1 --data "$B" dossier new --area rural --village 青石村 --head-name 张三 --head-id 330102195001010014 && has "$ERR" "$PA"
as admin secret-admin
dib 1 --data "$B" setting set notice.days 9 && has "$ERR" "本机为备用机"
dib 0 --data "$B" village list && hasnt "$OUT" 东岭村
dib 1 --data "$B" replica promote && has "$ERR" "$PA"     # the master is alive: never two masters

# ---- the standby goes away; the master commits alone (acknowledged after
# the timeout), then dies: nobody but the old master has that commit
kill "$(pgrep -P "$PIDB")"
wait "$PIDB" 2>/dev/null
within 5 sh -c "! '$DIBAO' --data '$A' --json replica status | grep -q '\"connected\": true'" ||
	{ echo "FAIL: a still sees b" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" replica status && has "$OUT" "备用机未同步"
dib 0 --data "$A" village add 孤村
kill_site "$PIDA"

# ---- the master is dead; the standby waits; an admin promotes it
run_site b2 "$B"
PIDB2=$LASTPID
within 5 role_is "$B" standby || { echo "FAIL: b did not start as the standby" >&2; FAILS=$((FAILS + 1)); }
as clerk secret-clerk
dib 1 --data "$B" replica promote && has "$ERR" "不允许"
as admin secret-admin
dib 0 --data "$B" replica promote || show_logs
dib 0 --data "$B" --json replica status && has "$OUT" '"role": "master"'
dib 0 --data "$B" audit && has "$OUT" "replica.promote"
dib 0 --data "$B" village add 东岭村

# ---- the old master returns: it finds the newer master and becomes its
# standby; the engine rolls back what it alone had, and says so
run_site a2 "$A"
within 8 role_is "$A" standby || { echo "FAIL: the old master did not become the standby" >&2; show_logs; FAILS=$((FAILS + 1)); }
within 5 has_village "$A" 东岭村 || { echo "FAIL: the old master did not catch up" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" village list && hasnt "$OUT" 孤村
within 10 sh -c "'$DIBAO' --data '$A' replica status | grep -q 孤村" ||
	{ echo "FAIL: the rollback is not reported" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" replica status && has "$OUT" "孤村"
dib 0 --data "$A" --json replica status && has "$OUT" '"rolled_back": [' && has "$OUT" '"object": "孤村"'
dib 1 --data "$A" village add 西山村 && has "$ERR" "本机为备用机" && has "$ERR" "$PB"
dib 0 --data "$B" village add 南湖村
# (the 2 s of the issue are measured above, on a quiet pair; here the
# returned site is still catching up, and CI runs four tests at once)
within 10 has_village "$A" 南湖村 || { echo "FAIL: the new standby did not follow" >&2; FAILS=$((FAILS + 1)); }
within 15 in_step "$B" || { echo "FAIL: the new master does not see its standby in step" >&2; FAILS=$((FAILS + 1)); }

# ---- both sides whole, the audit heads agree
dib 0 --data "$A" check
dib 0 --data "$B" check
dib 0 --data "$A" audit --verify
dib 0 --data "$B" audit --verify
eq "$(audit_head "$A")" "$(audit_head "$B")" "audit heads of the two sites"

# ---- the new master dies in turn; the old one, promoted again, writes the
# rollback it suffered into the audit chain
kill_site "$PIDB2"
within 5 sh -c "! '$DIBAO' --data '$A' --json replica status | grep -q '\"connected\": true'" ||
	{ echo "FAIL: a still sees b" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" replica promote
within 3 sh -c "'$DIBAO' --data '$A' audit | grep -q replica.rollback" ||
	{ echo "FAIL: the rollback is not in the audit chain" >&2; FAILS=$((FAILS + 1)); }
dib 0 --data "$A" audit && has "$OUT" "孤村"
dib 0 --data "$A" --json replica status && has "$OUT" '"rolled_back": []'
dib 0 --data "$A" audit --verify

[ "$FAILS" -eq 0 ] || show_logs
exit $((FAILS > 0))
