# SPDX-License-Identifier: GPL-3.0-or-later
# tests/tui/lib.sh — drive the real console in a private tmux server: start
# it at 80×24, type keys (send-keys -l for Chinese: get_wch receives one
# character at a time), and wait for text on the screen by polling
# capture-pane every 0.1 s (never a fixed long sleep).  Sourced after
# tests/lib.sh.

command -v tmux >/dev/null || exit 77
# sockets inside the test directory, removed with it
export TMUX_TMPDIR="$TMP"
SOCK="t$$"
NSTART=0
SCREEN="$TMP/screen"

# tui_end [SOCKET]: the console ended with SIGTERM while its terminal is
# still there (it leaves as on F10: its store closed), then the tmux server.
# A server killed under a running console hung its terminal up first, and
# the sanitizer build's LeakSanitizer then never finished at the console's
# exit (its tracer waiting on a process that did not stop): an orphan at
# full CPU for the rest of CI.  The pane prints EXITED once it is gone.
tui_end() {
	s=${1:-$SOCK}
	pane=$(tmux -L "$s" display -p '#{pane_pid}' 2>/dev/null)
	if [ -n "$pane" ] && pkill -TERM -P "$pane" 2>/dev/null; then
		n=100
		while [ "$n" -gt 0 ] && ! tmux -L "$s" capture-pane -p 2>/dev/null | grep -q "^EXITED"; do
			sleep 0.1
			n=$((n - 1))
		done
	fi
	tmux -L "$s" kill-server 2>/dev/null
}
trap 'tui_end; rm_tmp' EXIT

# libfaketime preloaded, not the faketime wrapper: the wrapper keeps a
# semaphore and shared memory named by its pid, which a console killed with
# its tmux server leaves behind, and a later wrapper given the same pid
# then fails (sem_open: File exists)
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is needed (Debian package faketime)" >&2; exit 1; }

# the console's home folder (files it writes by default go there), in the
# test's directory
HOME_TUI="$TMP/home"
mkdir -p "$HOME_TUI"

# tui_start [ENV=VALUE...]: the console on $DIBAO_DATA as $DIBAO_USER, at
# the tests' date ($FAKETIME_AT, as dib: the clock starts there and runs)
tui_start() {
	# a new server each time: a dying one may still hold the old socket
	tui_end
	NSTART=$((NSTART + 1))
	SOCK="t$$-$NSTART"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	    "env -u DIBAO_USER -u DIBAO_PASSWORD LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 TERM=${TUI_TERM:-screen} DIBAO_LOCALEDIR=${DIBAO_LOCALEDIR:-} \
	    HOME=$HOME_TUI DIBAO_DATA=$DIBAO_DATA LD_PRELOAD=$FAKETIME_LIB NO_FAKE_STAT=1 FAKETIME=\"@$FAKETIME_AT\" $* $DIBAO; echo EXITED \$?; sleep 30"
}

keys() { tmux -L "$SOCK" send-keys "$@"; }
type_text() { tmux -L "$SOCK" send-keys -l "$1"; }
capture() { tmux -L "$SOCK" capture-pane -p >"$SCREEN" 2>/dev/null; }
resize() { tmux -L "$SOCK" resize-window -x "$1" -y "$2"; }

# wait_for TEXT [TIMEOUT_TENTHS]: until the screen shows TEXT (fails after ~5 s)
wait_for() {
	n=${2:-50}
	while [ "$n" -gt 0 ]; do
		capture
		if grep -qF -- "$1" "$SCREEN"; then
			settle
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	echo "FAIL: the screen never showed: $1" >&2
	sed 's/^/  | /' "$SCREEN" >&2
	FAILS=$((FAILS + 1))
	return 1
}

# settle: until two captures 0.05 s apart agree (the console may be
# half-way through writing a screen when the text first shows)
settle() {
	k=20
	while [ "$k" -gt 0 ]; do
		cp "$SCREEN" "$SCREEN.prev"
		sleep 0.05
		capture
		cmp -s "$SCREEN" "$SCREEN.prev" && return 0
		k=$((k - 1))
	done
}

# wait_gone TEXT: until TEXT has left the screen
wait_gone() {
	n=50
	while [ "$n" -gt 0 ]; do
		capture
		if ! grep -qF -- "$1" "$SCREEN"; then
			settle
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	echo "FAIL: the screen still shows: $1" >&2
	FAILS=$((FAILS + 1))
	return 1
}

# screen_ok COLS: no line wider than COLS display columns, no U+FFFD
screen_ok() {
	w=$(wc -L <"$SCREEN")
	if [ "$w" -gt "$1" ]; then
		echo "FAIL: a screen line is $w columns wide (> $1)" >&2
		FAILS=$((FAILS + 1))
	fi
	if grep -q '�' "$SCREEN"; then
		echo "FAIL: a broken character (U+FFFD) on the screen" >&2
		sed 's/^/  | /' "$SCREEN" >&2
		FAILS=$((FAILS + 1))
	fi
}

# open_dossier NO: from the home screen, found by its number and opened
open_dossier() {
	keys /
	type_text "$1"
	wait_for "$1"
	keys Enter
	wait_for "户信息"
}

# menu DIGIT TEXT: the main menu (F9), its item DIGIT, until TEXT shows
menu() {
	keys F9
	wait_for "主菜单"
	keys "$1"
	wait_for "$2"
}

# login USER PASSWORD: from the login screen to the dashboard
login() {
	wait_for "用户名" || return 1
	type_text "$1"
	keys Enter
	type_text "$2"
	keys Enter
}

# start_as USER PASSWORD: the console, logged in, at the dashboard
start_as() {
	tui_start
	login "$1" "$2"
	wait_for "首页：各状态档案数"
}

# expect_screen NAME: the screen equals tests/tui/expected/NAME.txt (the
# console runs at the tests' fixed date, so whole screens are stable);
# TUI_BLESS=1 writes the file instead, to review with git diff
expect_screen() {
	f="$top_srcdir/tests/tui/expected/$1.txt"
	if [ -n "${TUI_BLESS:-}" ]; then
		cp "$SCREEN" "$f"
	elif ! diff -u "$f" "$SCREEN" >&2; then
		echo "FAIL: the screen differs from tests/tui/expected/$1.txt" >&2
		FAILS=$((FAILS + 1))
	fi
}
