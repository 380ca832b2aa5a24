# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib.sh — shared by the command-line and console tests: a fresh data
# directory per test, a fixed date through faketime, and assertions that
# name what failed.  Exit 0 pass, 1 fail, 77 skip (automake's protocol).

set -u
: "${DIBAO:?run through make check}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dibao-test.XXXXXX")
# shm_clean: the System V shared-memory segments of the encrypted stores
# made under $TMP that no process is attached to any more go (a process the
# test killed leaves them for a next opener that never comes once the
# directory is deleted: 370 segments, 4 GB, were once found); rm_tmp: that,
# then the directory.  A test with its own EXIT trap calls one of them.
SHMCLEAN="${abs_top_builddir:-.}/tests/shm-clean"
shm_clean() {
	[ ! -x "$SHMCLEAN" ] || "$SHMCLEAN" "$TMP" 2>/dev/null || :
}
rm_tmp() {
	shm_clean
	rm -rf "$TMP"
}
trap rm_tmp EXIT
export DIBAO_DATA="$TMP/data"
export DIBAO_PASSWORD=secret-admin
# init writes the recovery sheet into ~/低保输出: a home of the test's own
export HOME="$TMP/home"
mkdir -p "$HOME"
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
FAKETIME_AT=${FAKETIME_AT:-2026-03-16 10:00:00}
FAILS=0
# libfaketime preloaded, not the faketime wrapper: the wrapper keeps a
# semaphore named by its pid, and one left behind by a killed run makes a
# later wrapper with the same pid fail (sem_open: File exists)
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is needed (Debian package faketime)" >&2; exit 1; }
# and without its faked file times (dibao reads none): faking them takes a
# semaphore that libfaketime has already destroyed when LeakSanitizer, at
# exit, stats files to symbolize a suppressed leak; glibc then aborts the
# command ("The futex facility returned an unexpected error code", about 1
# export in 25 under ASan)
export NO_FAKE_STAT=1
OUT="$TMP/out"
ERR="$TMP/err"

# dib EXPECTED_STATUS ARGS...: run dibao at the fixed date, keep stdout and
# stderr in $OUT/$ERR, and fail the test if the exit status differs.
dib() {
	want=$1
	shift
	LD_PRELOAD=$FAKETIME_LIB FAKETIME="@$FAKETIME_AT" "$DIBAO" "$@" >"$OUT" 2>"$ERR"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: dibao $* exited $got, expected $want" >&2
		sed 's/^/  stdout: /' "$OUT" >&2
		sed 's/^/  stderr: /' "$ERR" >&2
		FAILS=$((FAILS + 1))
		return 1
	fi
	return 0
}

# as USER PASSWORD: run the following dib calls as that user
as() {
	export DIBAO_USER=$1 DIBAO_PASSWORD=$2
}

has() { # has FILE TEXT: the file contains the text
	if ! grep -qF -- "$2" "$1"; then
		echo "FAIL: $(basename "$1") lacks: $2" >&2
		sed 's/^/  | /' "$1" >&2
		FAILS=$((FAILS + 1))
	fi
}

hasnt() {
	if grep -qF -- "$2" "$1"; then
		echo "FAIL: $(basename "$1") should not contain: $2" >&2
		FAILS=$((FAILS + 1))
	fi
}

eq() { # eq ACTUAL EXPECTED WHAT
	if [ "$1" != "$2" ]; then
		echo "FAIL: $3: got '$1', expected '$2'" >&2
		FAILS=$((FAILS + 1))
	fi
}

# jq-free JSON field access through python3 is not allowed on a minimal box:
# use the program's own stable text or grep on --json output.
json_get() { # json_get KEY < json: first "KEY": "value" or number
	sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\}.*/\1/p" | head -1
}

# A township with its admin, standards, villages, and one user per role.
setup_township() {
	as admin secret-admin
	# INIT_OPTS=--no-encrypt: a test that reads or damages raw files
	# shellcheck disable=SC2086
	dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin ${INIT_OPTS:-} || exit 1
	dib 0 standard set --area rural --from 2026-01 --amount 650 || exit 1
	dib 0 standard set --area urban --from 2026-01 --amount 800 || exit 1
	dib 0 village add 青石村 --groups 一组,二组,三组 --alias 青石 || exit 1
	dib 0 village add 东岭社区 --groups 一组,二组 || exit 1
	# the notice's complaint phones (a notice is refused without them)
	dib 0 setting set phone.township 0571-87000001 || exit 1
	dib 0 setting set phone.county 0571-12345 || exit 1
	for r in clerk reviewer approver inspector; do
		DIBAO_NEW_PASSWORD=secret-$r dib 0 user add $r --role $r --name "测试$r" || exit 1
	done
}

# ---- walking a case through the procedure (the command-line tests) ------
clerk() { as clerk secret-clerk; }
mark() { dib 0 checklist mark "$@"; }
at() { FAKETIME_AT="$1 09:00:00"; }
today() { echo "${FAKETIME_AT%% *}"; }   # the date the tests run at

# to_reviewed: the dossier $NO from APPLIED to REVIEWED with every document
# of each stage, in order (setup_township's users; clerk2 must exist)
to_reviewed() {
	clerk
	for c in SQS SFZ HKB SQR; do mark "$NO" $c --signed; done
	dib 0 advance "$NO" || exit 1
	for c in SRZM CJZ DCB; do mark "$NO" $c --signed; done
	dib 0 advance "$NO" --surveyors clerk,clerk2 || exit 1
	mark "$NO" HDBG
	dib 0 advance "$NO" || exit 1
	mark "$NO" PYJL --signed
	dib 0 advance "$NO" --participants 9 --representatives 6 || exit 1
	mark "$NO" SHB --stamped
	as reviewer secret-reviewer
	dib 0 advance "$NO" || exit 1
}

approve() { # after the notice: the approver on the given date
	clerk
	mark "$NO" GSJL
	mark "$NO" SPB --stamped
	as approver secret-approver
	dib 0 advance "$NO" || exit 1
}


finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$FAILS check(s) failed" >&2
		exit 1
	fi
	exit 0
}
