#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Console benchmark (not a test): with N demo households (default 100000),
# time from start to the login screen and from login to the dashboard,
# keystroke-to-screen for search as you type (median and p95 over ~50
# keystrokes), opening a dossier, and the process's RSS (peak including
# the Argon2id login, and steady).  Drives the real binary through tmux.
# usage: bench/tui.sh [HOUSEHOLDS] [DATA_DIR]  (an existing DATA_DIR is reused)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
DIBAO=${DIBAO:-$top/build/dibao}
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 DIBAO_LOCALEDIR="$top/build/po/locale"
tmp=$(mktemp -d)
data=${2:-$tmp/data}
export TMUX_TMPDIR="$tmp"
SOCK="bench$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; "$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
if [ ! -d "$data" ]; then
	echo "== loading $n demo households into $data"
	DIBAO_DATA="$data" DIBAO_USER=admin DIBAO_PASSWORD=bench-password \
	    "$DIBAO" init --township-code 330102001 --township-name 青石镇 --admin admin >/dev/null
	DIBAO_DATA="$data" DIBAO_USER=admin DIBAO_PASSWORD=bench-password \
	    "$DIBAO" demo --households "$n" >/dev/null
fi
pw=${BENCH_PASSWORD:-bench-password}

now() { date +%s%N; }
cap() { tmux -L "$SOCK" capture-pane -p; }
# until TEXT shows; prints the elapsed milliseconds since $1 (ns)
until_shows() {
	while ! cap | grep -qF -- "$2"; do
		[ $(($(now) - $1)) -lt 20000000000 ] || { echo "timed out waiting for: $2" >&2; cap >&2; exit 1; }
	done
	echo $((($(now) - $1) / 1000))
}
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }

# the floor: the same measurement against cat (tmux's own send/capture cost)
tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 "cat"
: >"$tmp/base"
for i in $(seq 1 30); do
	t0=$(now)
	tmux -L "$SOCK" send-keys -l "张$i"
	until_shows "$t0" "张$i" >>"$tmp/base"
done
sort -n "$tmp/base" | awk '{ a[NR] = $1 } END {
	printf "tmux floor (echo through cat): median %.1f ms, p95 %.1f ms\n", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.95 + 0.5)] / 1000 }'
t0=$(now)
tmux -L "$SOCK" respawn-pane -k "env DIBAO_DATA=$data DIBAO_USER=admin $DIBAO"
start=$(until_shows "$t0" "用户名")
pane=$(tmux -L "$SOCK" display -p '#{pane_pid}')
t0=$(now)
tmux -L "$SOCK" send-keys -l "$pw"
tmux -L "$SOCK" send-keys Enter
login=$(until_shows "$t0" "首页")
echo "start to the login screen:       $(ms "$start")"
echo "login (Argon2id) to the dashboard: $(ms "$login")"
# the dashboard starts counting what needs attention at its first idle
# moment (0.5 s): a key pressed in the middle of that must not wait for it
sleep 0.8
t0=$(now)
tmux -L "$SOCK" send-keys /
echo "a key while the dashboard counts: $(ms "$(until_shows "$t0" "查找")")"
# search as you type: one character, then Backspace, ~50 keystrokes
: >"$tmp/keys"
for c in 张 王 李 刘 陈 杨 赵 黄 周 吴 徐 孙 马 胡 朱 郭 何 罗 高 林 3 3 0 1 0 2; do
	t0=$(now)
	tmux -L "$SOCK" send-keys -l "$c"
	until_shows "$t0" "查找： $c" >>"$tmp/keys"
	t0=$(now)
	tmux -L "$SOCK" send-keys BSpace
	while cap | grep -qF "查找： $c"; do :; done
	echo $((($(now) - t0) / 1000)) >>"$tmp/keys"
done
sort -n "$tmp/keys" | awk '{ a[NR] = $1 } END {
	printf "search keystroke to screen (%d keys): median %.1f ms, p95 %.1f ms, max %.1f ms\n",
	    NR, a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.95 + 0.5)] / 1000, a[NR] / 1000 }'
tmux -L "$SOCK" send-keys -l "王"
until_shows "$(now)" "查找： 王" >/dev/null
t0=$(now)
tmux -L "$SOCK" send-keys Enter
echo "opening a dossier:               $(ms "$(until_shows "$t0" "户信息")")"
t0=$(now)
tmux -L "$SOCK" send-keys Escape Escape /   # "/" on the dashboard: the list of all dossiers
until_shows "$t0" "第 1–" >/dev/null
t0=$(now)
tmux -L "$SOCK" send-keys PageDown
echo "PgDn in the list of all:         $(ms "$(until_shows "$t0" "第 18–")")"
t0=$(now)
tmux -L "$SOCK" send-keys End
echo "End (the last page of all):      $(ms "$(until_shows "$t0" "第 $((n - 16))–$n 条")")"
t0=$(now)
tmux -L "$SOCK" send-keys PageUp
echo "PgUp from the last page:         $(ms "$(until_shows "$t0" "第 $((n - 33))–$((n - 17)) 条")")"
pid=$(ps --ppid "$pane" -o pid= | head -1)
[ -n "$pid" ] || pid=$pane
awk '/VmHWM|VmRSS/ { printf "%s %.1f MB\n", $1, $2 / 1024 }' "/proc/$pid/status" |
    sed 's/VmHWM:/peak RSS (with the Argon2id login):/; s/VmRSS:/RSS now (after login):/'
echo "(every figure includes the tmux floor above)"
