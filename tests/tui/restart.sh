#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The console stuck behind a process killed while it held one of Berkeley
# DB's internal mutexes (issue 16; store/failchk.c, store/restart.c): it
# leaves the screen and starts again, at its login, with a box saying why
# and that the action under way (here the F12 lock, audited) was not saved;
# after the login it works.  The victim is real: tests/latch-die holds the
# audit database's root-page latch for writing and is killed with SIGKILL
# while the console sleeps on it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/tui/lib.sh"

LATCH="${abs_top_builddir:-.}/tests/latch-die"
INIT_OPTS=--no-encrypt
setup_township

start_as clerk secret-clerk
"$LATCH" "$DIBAO_DATA" audit >"$TMP/latch.out" 2>"$TMP/latch.err" &
victim=$!
n=0
until grep -q held "$TMP/latch.out"; do
	n=$((n + 1))
	[ "$n" -le 100 ] || { echo "FAIL: latch-die did not take the latch" >&2; cat "$TMP/latch.err" >&2; exit 1; }
	sleep 0.1
done
# F12 locks the console, which appends to the audit trail: it sleeps on
# the latch; the holder killed before the watchdog's failchk (3 s)
keys F12
sleep 1.5
kill -KILL "$victim"
wait "$victim" 2>/dev/null
wait_for "控制台已重新启动" 150
has "$SCREEN" "控制台无法继续，已重新启动"
has "$SCREEN" "当时正在进行的操作没有保存"
hasnt "$SCREEN" "EXITED"
screen_ok 80
keys Enter
login clerk secret-clerk
wait_for "首页：各状态档案数"
# the same console process (the pid is kept by the exec) logged in again
keys F12
wait_for "控制台已锁定"
finish
