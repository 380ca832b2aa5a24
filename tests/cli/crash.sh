#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Power-cut and crash safety: two writers create dossiers while a killer
# sends SIGKILL to whichever dibao processes run, at random instants.
# Afterwards every acknowledged dossier (its command exited 0) must be
# there with its head, and `dibao check` must pass (databases, indexes,
# audit chain).  Run on a plain store and on an encrypted one (regions in
# system shared memory): no process may die of anything but the test's
# SIGKILL, nor hang.
. "${top_srcdir:-.}/tests/lib.sh"

ROUNDS=${CRASH_ROUNDS:-10}

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

# writer NAME FIRST_INDEX: each command's exit status other than 0 goes to
# $B/status (137 is the test's own SIGKILL; 3 a survivor that met a mutex
# a killed one died holding, by design; a timeout or another signal fails)
writer() {
	for id in $(ids "$2" 400); do
		[ -f "$B/stop" ] && break
		no=$(timeout 60 "$DIBAO" --data "$DIBAO_DATA" dossier new --area rural --village 青石村 \
		    --head-name "写入$1" --head-id "$id" 2>>"$B/writer.err")
		st=$?
		if [ "$st" -eq 0 ]; then
			echo "$no $id" >>"$B/ack.$1"
		else
			echo "$st" >>"$B/status"
		fi
	done
}

crash_run() { # crash_run NAME INIT_OPTIONS
	B="$TMP/$1"
	mkdir -p "$B"
	export DIBAO_DATA="$B/data"
	INIT_OPTS=$2
	setup_township
	as clerk secret-clerk
	: >"$B/ack.a"
	: >"$B/ack.b"
	: >"$B/status"
	writer a 0 &
	wa=$!
	writer b 5000 &
	wb=$!

	kills=0
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		# a random pause of 50–450 ms, then kill every running dibao of this
		# run (not the timeout around it: the pattern is anchored)
		sleep "0.$(( ($(od -An -N2 -tu2 /dev/urandom) % 400) + 50 ))"
		if pkill -KILL -f -- "^$DIBAO --data $DIBAO_DATA dossier" 2>/dev/null; then
			kills=$((kills + 1))
		fi
		# halfway, a hot backup while both keep writing.  Not at the instant of
		# a kill: a process that opens the environment while a killed one is
		# still dying sees it alive (no recovery), then waits forever on a
		# mutex it died holding — BDB 5.3 without failchk cannot break that
		# wait (see docs/FORMAT.md); the pause lets the kill finish first.
		if [ "$i" -eq $((ROUNDS / 2)) ]; then
			sleep 1
			timeout 120 "$DIBAO" --data "$DIBAO_DATA" backup "$B/hot" >/dev/null 2>"$B/backup.err" ||
				{ echo "FAIL: $1: hot backup during writes" >&2; cat "$B/backup.err" >&2; FAILS=$((FAILS + 1)); }
		fi
		i=$((i + 1))
	done
	touch "$B/stop"
	wait "$wa" "$wb"

	acked=$(cat "$B/ack.a" "$B/ack.b" | wc -l)
	ended=$(grep -c '^3$' "$B/status")
	echo "crash test ($1): $ROUNDS rounds, $kills with a process killed, $acked commits acknowledged, $ended survivors ended by design"
	[ "$acked" -gt 0 ] || { echo "FAIL: $1: nothing was acknowledged" >&2; exit 1; }
	# no SIGSEGV (139) or SIGABRT (134), no hang (124): only the test's
	# SIGKILL and the designed exit statuses
	bad=$(grep -cvE '^(137|1|3)$' "$B/status")
	# an open that met a dead process must not be refused its own key
	# (Berkeley DB's "Invalid password" with DB_FAILCHK, see crypt.c)
	grep -q 'BDB0175' "$B/writer.err" && bad=$((bad + 1))
	if [ "$bad" -ne 0 ]; then
		echo "FAIL: $1: a writer ended abnormally (exit statuses: $(sort "$B/status" | uniq -c | tr '\n' ' '))" >&2
		sed 's/^/  stderr: /' "$B/writer.err" | sort -u | head -20 >&2
		FAILS=$((FAILS + 1))
	fi

	dib 0 check || true
	missing=0
	while read -r no id; do
		if ! "$DIBAO" --data "$DIBAO_DATA" --json dossier show "$no" --reveal 2>/dev/null | grep -q "\"$id\""; then
			echo "FAIL: $1: acknowledged dossier $no ($id) was lost" >&2
			missing=$((missing + 1))
		fi
	done <<EOF2
$(cat "$B/ack.a" "$B/ack.b")
EOF2
	eq "$missing" 0 "$1: acknowledged dossiers lost"
	# numbers are never given twice
	dup=$(cut -d' ' -f1 "$B/ack.a" "$B/ack.b" | sort | uniq -d | wc -l)
	eq "$dup" 0 "$1: dossier numbers given twice"
	dib 0 --json audit --verify
	# the hot backup restores to a consistent store
	DIBAO_DATA="$B/from-hot" dib 0 restore "$B/hot"
	DIBAO_DATA="$B/from-hot" dib 0 check
	DIBAO_DATA="$B/from-hot" dib 0 --json audit --verify
}

# CRASH_MODES="encrypted": one of the two only
case " ${CRASH_MODES:-plain encrypted} " in *" plain "*) crash_run plain --no-encrypt ;; esac
case " ${CRASH_MODES:-plain encrypted} " in *" encrypted "*) crash_run encrypted "" ;; esac
finish
