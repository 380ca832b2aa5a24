#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Power-cut and crash safety: two writers create dossiers while a killer
# sends SIGKILL to whichever dibao processes run, at random instants.
# Afterwards every acknowledged dossier (its command exited 0) must be
# there with its head, and `dibao check` must pass (databases, indexes,
# audit chain).
. "${top_srcdir:-.}/tests/lib.sh"

ROUNDS=${CRASH_ROUNDS:-20}
DIR="$TMP/crash"
# KNOWN OPEN (issues 14 and 16): on an encrypted store (regions in system
# shared memory) a process opening the environment after a kill -9
# sometimes dies of SIGSEGV in Berkeley DB's __crypto_region_init (opened
# with DB_FAILCHK; without it a survivor can hang instead).  Nothing
# committed is lost and the next run opens, but until that is found this
# test of acknowledged commits runs on a plain store
INIT_OPTS=${INIT_OPTS:---no-encrypt}
setup_township
as clerk secret-clerk

# unique valid ID numbers: 17 digits + the MOD 11-2 check character
ids() {
	awk -v from="$1" -v n="$2" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		map = "10X98765432"
		for (i = from; i < from + n; i++) {
			s = sprintf("3301021960%02d%02d%03d", 1 + int(i / 28 / 999) % 12, 1 + int(i / 999) % 28, 1 + i % 999)
			t = 0
			for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k]
			print s substr(map, t % 11 + 1, 1)
		}
	}'
}

writer() { # writer NAME FIRST_INDEX
	for id in $(ids "$2" 400); do
		[ -f "$TMP/stop" ] && break
		no=$("$DIBAO" --data "$DIBAO_DATA" dossier new --area rural --village 青石村 \
		    --head-name "写入$1" --head-id "$id" 2>/dev/null) && echo "$no $id" >>"$TMP/ack.$1"
	done
}

: >"$TMP/ack.a"
: >"$TMP/ack.b"
writer a 0 &
wa=$!
writer b 5000 &
wb=$!

kills=0
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	# a random pause of 50–450 ms, then kill every running dibao of this test
	sleep "0.$(( ($(od -An -N2 -tu2 /dev/urandom) % 400) + 50 ))"
	if pkill -KILL -f -- "--data $DIBAO_DATA dossier" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	# halfway, a hot backup while both keep writing.  Not at the instant of
	# a kill: a process that opens the environment while a killed one is
	# still dying sees it alive (no recovery), then waits forever on a
	# mutex it died holding — BDB 5.3 without failchk cannot break that
	# wait (see docs/FORMAT.md); the pause lets the kill finish first.
	if [ "$i" -eq $((ROUNDS / 2)) ]; then
		sleep 1
		timeout 120 "$DIBAO" --data "$DIBAO_DATA" backup "$TMP/hot" >/dev/null 2>"$TMP/backup.err" ||
			{ echo "FAIL: hot backup during writes" >&2; cat "$TMP/backup.err" >&2; FAILS=$((FAILS + 1)); }
	fi
	i=$((i + 1))
done
touch "$TMP/stop"
wait "$wa" "$wb"

acked=$(cat "$TMP/ack.a" "$TMP/ack.b" | wc -l)
echo "crash test: $ROUNDS rounds, $kills with a process killed, $acked commits acknowledged"
[ "$acked" -gt 0 ] || { echo "FAIL: nothing was acknowledged" >&2; exit 1; }

dib 0 check || true
missing=0
while read -r no id; do
	if ! "$DIBAO" --data "$DIBAO_DATA" --json dossier show "$no" --reveal 2>/dev/null | grep -q "\"$id\""; then
		echo "FAIL: acknowledged dossier $no ($id) was lost" >&2
		missing=$((missing + 1))
	fi
done <<EOF2
$(cat "$TMP/ack.a" "$TMP/ack.b")
EOF2
eq "$missing" 0 "acknowledged dossiers lost"
# numbers are never given twice
dup=$(cut -d' ' -f1 "$TMP/ack.a" "$TMP/ack.b" | sort | uniq -d | wc -l)
eq "$dup" 0 "dossier numbers given twice"
dib 0 --json audit --verify
# the hot backup restores to a consistent store
DIBAO_DATA="$TMP/from-hot" dib 0 restore "$TMP/hot"
DIBAO_DATA="$TMP/from-hot" dib 0 check
DIBAO_DATA="$TMP/from-hot" dib 0 --json audit --verify
finish
