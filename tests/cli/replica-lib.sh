# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/replica-lib.sh — shared by the standby-PC tests: replication
# processes started in the background, each bounded by timeout and killed
# by the trap; waiting for a condition with a deadline.  Loopback only,
# ports 42100-42199, plus DIBAO_TEST_PORT_OFFSET (so two checkouts can run
# their suites side by side).

RUNPIDS=""
# kill_site PID: the replication process started by run_site (timeout's
# child) and its timeout, at once (kill -9: a power cut)
kill_site() {
	kill -9 $(pgrep -P "$1") "$1" 2>/dev/null
}
trap 'for p in $RUNPIDS; do kill_site "$p"; done; rm_tmp' EXIT

# run_site NAME DIR: start `dibao replica run` for DIR; its pid in $LASTPID
run_site() {
	timeout 120 "$DIBAO" --data "$2" replica run >>"$TMP/run-$1.log" 2>&1 &
	LASTPID=$!
	RUNPIDS="$RUNPIDS $LASTPID"
}

# within SECONDS CMD...: true once CMD succeeds, false after SECONDS
within() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# has_village DIR NAME: the village list of DIR names NAME
has_village() {
	"$DIBAO" --data "$1" village list | grep -qF -- "$2"
}

# role_is DIR ROLE: replica status --json says that role (the top level's,
# not a site's in "sites")
role_is() {
	"$DIBAO" --data "$1" --json replica status | grep -q "^  \"role\": \"$2\""
}

# in_step DIR: replica status --json says the site is in step
in_step() {
	"$DIBAO" --data "$1" --json replica status | grep -q '"state": "in-step"'
}

# audit_head DIR: the audit chain's length and head as audit --verify prints it
audit_head() {
	"$DIBAO" --data "$1" audit --verify 2>/dev/null | tail -1
}

show_logs() {
	for f in "$TMP"/run-*.log; do
		[ -f "$f" ] && sed "s|^|  $(basename "$f"): |" "$f" >&2
	done
}
