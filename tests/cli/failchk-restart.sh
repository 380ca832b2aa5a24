#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A command stuck behind a process killed while it held one of Berkeley DB's
# internal mutexes (issue 16; store/failchk.c, store/restart.c).  The victim
# is real: tests/latch-die opens the store as dibao does, takes the buffer
# latch of a database's root page for writing and is killed with SIGKILL
# while the command sleeps on that latch (BDB 5.3 cannot wake it).
#   1. a command that committed nothing and printed nothing yet runs again
#      from its start (a new process, same pid, recovering the environment)
#      and finishes: exit 0, its change made once;
#   2. one that had already committed part of its work ends with exit 3 and
#      says what to check (a re-run would repeat that part);
#   3. one already restarted as often as allowed (DIBAO_RESTARTS) ends with
#      exit 3, never loops;
#   4. 1 again on an encrypted store.
# The next command always works.  Every command runs under `timeout`.
. "${top_srcdir:-.}/tests/lib.sh"

command -v timeout >/dev/null || { echo "timeout missing" >&2; exit 77; }
LATCH="${abs_top_builddir:-.}/tests/latch-die"
LIMIT=90
INIT_OPTS=--no-encrypt
setup_township
as admin secret-admin

# hold DB: the victim started on DB's root page; waits until it holds it
hold() {
	"$LATCH" "$DIBAO_DATA" "$1" >"$TMP/latch.out" 2>"$TMP/latch.err" &
	victim=$!
	n=0
	until grep -q held "$TMP/latch.out"; do
		n=$((n + 1))
		if [ "$n" -gt 100 ]; then
			echo "FAIL: latch-die did not take the latch" >&2
			cat "$TMP/latch.err" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# stuck STATUS ARGS...: dibao ARGS started while the latch is held; the
# victim killed once dibao sleeps on it (before the watchdog's failchk, 3 s);
# dibao must end with STATUS
stuck() {
	want=$1
	shift
	LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" timeout "$LIMIT" "$DIBAO" "$@" >"$OUT" 2>"$ERR" &
	surv=$!
	sleep 1.5
	kill -KILL "$victim"
	wait "$victim" 2>/dev/null
	wait "$surv"
	got=$?
	eq "$got" "$want" "the exit status of dibao $* after the kill"
	[ "$got" = "$want" ] || cat "$OUT" "$ERR" >&2
}

# 1. stuck writing its village, nothing committed: runs again and finishes
hold villages
stuck 0 village add 西山村 --groups 一组,二组
has "$ERR" "进程在持有数据库内部锁时异常终止"
has "$ERR" "本命令尚未保存任何内容，从头重新执行（第 1 次重新执行，最多 3 次）"
dib 0 --json village list
eq "$(grep -o '"西山村"' "$OUT" | wc -l)" 1 "西山村 added once"

# 2. the demo saves its villages and staff first, then sleeps on the
# dossiers' latch: part of its work saved, it ends and says what to check
hold dossiers
stuck 3 demo --households 3 --seed 7
has "$ERR" "已保存了部分工作"
has "$ERR" "dibao audit"
has "$ERR" "dibao demo --households 3 --seed 7"
hasnt "$ERR" "重新执行（第"
dib 0 --json dossier list
eq "$(grep -c '"dossier"' "$OUT")" 0 "dossiers after the stuck demo"
dib 0 demo --households 3 --seed 7
dib 0 --json dossier list
eq "$(grep -o '"dossier"' "$OUT" | wc -l)" 3 "dossiers after the demo ran again"

# 3. restarted as often as allowed already: ends, never loops
hold villages
DIBAO_RESTARTS=3 stuck 3 village add 北坡村 --groups 一组
has "$ERR" "已按允许的次数重新执行过"
hasnt "$ERR" "重新执行（第"
dib 0 --json village list
hasnt "$OUT" "北坡村"

after_kills() {
	timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" check >"$OUT" 2>"$ERR" || { echo "FAIL: check after the kills" >&2; cat "$OUT" "$ERR" >&2; FAILS=$((FAILS + 1)); }
	timeout "$LIMIT" "$DIBAO" --data "$DIBAO_DATA" audit --verify >"$OUT" 2>"$ERR" || { echo "FAIL: audit --verify after the kills" >&2; cat "$ERR" >&2; FAILS=$((FAILS + 1)); }
}
after_kills

# 5. a re-run after a commit stuck for good (the stuck process passes the
# transaction's last audit entry in DIBAO_PENDING_COMMIT: failchk.c) looks
# it up first.  No test can stop a process inside the log flush on purpose;
# the note is what the stuck process hands on, taken from the chain here.
dib 0 village add 东坡村 --groups 一组
dib 0 --json audit
# the chain's last entry (one field a line): the village's
grep -q '"object": "东坡村"' "$OUT" || { echo "FAIL: no audit entry for 东坡村" >&2; FAILS=$((FAILS + 1)); }
pend="$(grep '"seq":' "$OUT" | tail -1 | tr -dc 0-9):$(grep '"hash":' "$OUT" | tail -1 | cut -d'"' -f4)"
case "$pend" in *:????????????????????????????????????????????????????????????????) ;; *)
	echo "FAIL: no audit entry for 东坡村 ($pend)" >&2; FAILS=$((FAILS + 1)) ;; esac
# saved: said so, and not done again (the village, typed again, is not added twice:
# a second add would be refused as a duplicate, so a new name shows it)
DIBAO_PENDING_COMMIT="$pend" dib 0 village add 南坡村 --groups 一组
has "$ERR" "已经保存（审计记录"
has "$ERR" "village.add 东坡村"
dib 0 --json village list
hasnt "$OUT" "南坡村"
# not saved (another entry's hash at that place): the command runs
DIBAO_PENDING_COMMIT="${pend%:*}:$(printf '%064d' 0)" dib 0 village add 南坡村 --groups 一组
dib 0 --json village list
eq "$(grep -o '"南坡村"' "$OUT" | wc -l)" 1 "南坡村 added once after an unsaved commit"

# 4. the same as 1 on an encrypted store (the default: regions in shared
# memory, the key unwrapped at the login; latch-die logs in as admin)
export DIBAO_DATA="$TMP/data-enc"
INIT_OPTS=
setup_township
as admin secret-admin
hold villages
stuck 0 village add 西山村 --groups 一组,二组
has "$ERR" "本命令尚未保存任何内容，从头重新执行（第 1 次重新执行，最多 3 次）"
dib 0 --json village list
eq "$(grep -o '"西山村"' "$OUT" | wc -l)" 1 "西山村 added once (encrypted)"
after_kills
finish
