#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A killed process never freezes the others (issue 16, store/failchk.c):
# two writers load demo households into one store; one of them is killed
# with SIGKILL at a random instant (inside a page split, a commit, a log
# flush…).  The survivor must finish its whole load (exit 0) within the
# time limit: failchk releases the dead one's locks and transactions, or
# the survivor reopens (recovery) and retries.  Every command runs under
# `timeout`, so a hang is counted, never waited for.  Afterwards the store
# checks clean and the audit chain verifies.
#
# FAILCHK_ROUNDS sets the rounds: 10 in make check, 200 in `make torture`.
# When the killed process died holding one of BDB's internal mutexes that
# the survivor sleeps on (BDB 5.3 cannot wake it), the survivor's watchdog
# finds it stuck (store/failchk.c).  Outside its commit, its transaction
# never committed and it has printed nothing: it runs again from its start
# (store/restart.c) and must finish (exit 0).  Only stuck inside its
# commit, whether it committed is unknown: then it ends with exit 3 and
# says what to check; those are counted and reported.  The next command
# after a kill always works (its open finds the dead process in
# __db.register and recovers).
. "${top_srcdir:-.}/tests/lib.sh"

command -v timeout >/dev/null || { echo "timeout missing" >&2; exit 77; }
ROUNDS=${FAILCHK_ROUNDS:-10}
LIMIT=${FAILCHK_LIMIT:-90}
# KNOWN OPEN (issues 14 and 16): on an encrypted store (regions in system
# shared memory) a process started after a kill -9 sometimes dies of
# SIGSEGV (4 of 20 rounds after the merge); failure checking itself is
# tested here on a plain store until that is found
INIT_OPTS=${INIT_OPTS:---no-encrypt}
setup_township
as admin secret-admin

# the demo's villages and staff first: each survivor then commits once
# (its batch), so only a stuck commit could make a re-run repeat work
timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" demo --households 1 --seed 9999 >/dev/null 2>&1 || { echo "FAIL: the first demo" >&2; exit 1; }

hangs=0
failed=0
ended=0
lended=0
kills=0
restarted=0
restarts=0
settled=0
start=$(date +%s)
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	# the survivor and the victim write at the same time
	# 200 households: one batch, one transaction (the demo's DEMO_BATCH)
	timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" demo --households 200 --seed $((i + 1)) \
	    >/dev/null 2>"$TMP/survivor.err" &
	surv=$!
	"$DIBAO" --data "$DIBAO_DATA" demo --households 200 --seed $((i + 5001)) >/dev/null 2>&1 &
	victim=$!
	# 10–400 ms into the load (a whole demo takes about 0.1–0.3 s here:
	# later, most victims were done before the kill)
	sleep "$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.3f", 0.01 + (r % 390) / 1000 }')"
	kill -KILL "$victim" 2>/dev/null && kills=$((kills + 1))
	wait "$victim" 2>/dev/null
	wait "$surv"
	st=$?
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		hangs=$((hangs + 1))
		echo "round $i: the survivor hung (killed after ${LIMIT}s)" >&2
	elif [ "$st" -eq 3 ] && grep -q "正在保存修改：无法确定修改是否已保存" "$TMP/survivor.err"; then
		# asleep inside its commit on a mutex the dead process held:
		# whether it committed is unknown, so it ended and said so
		ended=$((ended + 1))
		echo "round $i: the survivor was stuck inside its commit (exit 3)" >&2
	elif [ "$st" -ne 0 ]; then
		failed=$((failed + 1))
		echo "round $i: the survivor failed ($st):" >&2
		sed 's/^/  /' "$TMP/survivor.err" >&2
	fi
	# stuck inside its commit, it ran again, which found the change saved
	# (settle.c) and said so instead of doing it twice
	grep -q "已经保存（审计记录" "$TMP/survivor.err" && settled=$((settled + 1))
	# asleep outside its commit: it ran again (and exited 0 above)
	n=$(grep -c "从头重新执行" "$TMP/survivor.err")
	if [ "$n" -gt 0 ]; then
		restarted=$((restarted + 1))
		restarts=$((restarts + n))
	fi
	# the next command after a kill must not hang either
	timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" --json dossier list --limit 1 >/dev/null 2>"$TMP/list.err"
	lst=$?
	if [ "$lst" -eq 3 ] && grep -q "进程在持有数据库内部锁时异常终止" "$TMP/list.err"; then
		# once the open repaired the dead process with failchk in its old
		# regions and could meet its mutex there: now it recovers
		lended=$((lended + 1))
		echo "round $i: the listing after the kill ended with the reason" >&2
	elif [ "$lst" -ne 0 ]; then
		failed=$((failed + 1))
		echo "round $i: listing after the kill failed:" >&2
		sed 's/^/  /' "$TMP/list.err" >&2
	fi
	i=$((i + 1))
done
echo "failchk: $ROUNDS rounds, $kills kills, $hangs hangs, $restarted survivors ran again ($restarts restarts) and finished, $settled of them found their stuck commit saved, $ended stuck inside their commit ended with exit 3, $lended listings ended with the reason, $failed other failures, $(( $(date +%s) - start )) s"
eq "$hangs" 0 "survivors that hung"
eq "$failed" 0 "survivors that failed"
eq "$lended" 0 "commands after a kill that ended with the reason"
timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" check >"$OUT" 2>"$ERR" || { echo "FAIL: check after the kills" >&2; cat "$OUT" "$ERR" >&2; FAILS=$((FAILS + 1)); }
timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" audit --verify >"$OUT" 2>"$ERR" || { echo "FAIL: audit --verify after the kills" >&2; cat "$ERR" >&2; FAILS=$((FAILS + 1)); }
finish
