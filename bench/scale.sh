#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Whole-township operations at scale (issue 17, docs/PERFORMANCE.md): for
# each size, a demo township loaded in March 2026's period, then the
# monthly report, stats, --due, check, the monthly archive as zip and
# tar.gz (every household changed in the period: the largest archive) beside
# bsdtar -a -cf on the same files, the payment roster if this build has
# one, a county importing the township's archive alone (up to 40,000
# households), and a county importing 30 township archives of size/30
# households.
# Prints wall time, CPU time (user + system: what counts on a machine others
# share) and peak RSS (/usr/bin/time) per operation, then the growth from
# the first size to the last.  Prints figures; never fails.  A command that
# logs in (the export does) counts the login's Argon2id (19 MiB, freed first).
#
# usage: bench/scale.sh [HOUSEHOLDS...]        (default: 10000 100000)
#   BENCH_SCAN_MB=N   also put N MB of scans (JPEG-like) into 4 households
#   BENCH_TMP=DIR     work there (default: a new directory under TMPDIR)
#   BENCH_COUNTY=0    leave out the county import
#   BENCH_INIT_OPTS=  options of init (e.g. --no-encrypt; default: the
#                     default store, encrypted)
#   BENCH_DIBAO=FILE  the dibao to measure (default: build/dibao)
#   BENCH_KEEP=1      keep each size's loaded township in BENCH_TMP and use
#                     it again on the next run (its load is not timed again)
# Each line ends with the 1-minute load average after the command: the
# machine is shared.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
D=${BENCH_DIBAO:-$top/build/dibao}   # BENCH_DIBAO: another build's binary
[ -x "$D" ] || { echo "build first: ./scripts/build" >&2; exit 1; }
for t in bsdtar; do
	command -v $t >/dev/null || { echo "bench/scale.sh needs $t" >&2; exit 1; }
done
# libfaketime preloaded, not the faketime wrapper (its pid-named semaphore
# fails runs side by side: sem_open: File exists)
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$FAKETIME_LIB" ] || { echo "bench/scale.sh needs libfaketime (package faketime)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/scale.sh needs /usr/bin/time (package time)" >&2; exit 1; }
sizes=${*:-10000 100000}
tmp=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/dibao-scale.XXXXXX")}
mkdir -p "$tmp"
[ -n "${BENCH_TMP:-}" ] || trap '"$top/build/tests/shm-clean" "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export DIBAO_USER=admin DIBAO_PASSWORD=bench-password DIBAO_LOCALEDIR="$top/build/po/locale"
export LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 TZ=Asia/Shanghai
LOAD_AT="2026-03-10 09:00:00"    # inside March's period (02-26 .. 03-25)
AFTER="2026-03-27 10:00:00"      # after its cutoff: the month can be exported
res="$tmp/results"
: >"$res"

# run LABEL N WHEN CMD...: the command at the date WHEN (the clock running),
# its time and peak RSS kept and printed
run() {
	label=$1 n=$2 when=$3
	shift 3
	if /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$when" "$@" >"$tmp/out" 2>"$tmp/err"; then
		read -r secs kb user sys <"$tmp/time"
		cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
		printf '%-34s %7s hh  %8.2f s (cpu %7.2f s)  %7d KB  load %s\n' "$label" "$n" "$secs" "$cpu" "$kb" \
		    "$(cut -d' ' -f1 /proc/loadavg)"
		echo "$label|$n|$secs|$kb|$cpu" >>"$res"
	else
		printf '%-34s %7s hh  failed: %s\n' "$label" "$n" "$(tail -1 "$tmp/err")"
	fi
}

fresh() { # fresh DIR CODE NAME
	rm -rf "$1"
	# shellcheck disable=SC2086
	DIBAO_DATA="$1" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" init --township-code "$2" --township-name "$3" --admin admin \
	    ${BENCH_INIT_OPTS:-} >/dev/null
}

echo "== whole-township operations ($(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d), init ${BENCH_INIT_OPTS:-encrypted}, load $(cut -d' ' -f1-3 /proc/loadavg))"
for n in $sizes; do
	export DIBAO_DATA="$tmp/t$n"
	if [ "${BENCH_KEEP:-0}" = 1 ] && [ -f "$DIBAO_DATA/.bench-loaded" ]; then
		echo "demo load                           $n hh  (kept from an earlier run)"
	else
		fresh "$DIBAO_DATA" 330102001 青石镇
		run "demo load" "$n" "$LOAD_AT" "$D" demo --households "$n" --seed 1
		[ "${BENCH_KEEP:-0}" = 1 ] && : >"$DIBAO_DATA/.bench-loaded"
	fi
	if [ "${BENCH_SCAN_MB:-0}" -gt 0 ]; then
		DIBAO_NEW_PASSWORD=bench-clerk env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" user add bclerk --role clerk --name 基准经办 >/dev/null
		nos=$(env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" --json dossier list --status APPROVED --limit 4 |
		    sed -n 's/.*"dossier": *"\([0-9-]*\)".*/\1/p')
		for no in $nos; do
			{ printf '\377\330\377\340JFIF'; head -c $((BENCH_SCAN_MB * 262144)) /dev/urandom; } >"$tmp/scan.jpg"
			DIBAO_USER=bclerk DIBAO_PASSWORD=bench-clerk env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" checklist mark "$no" SQS --scan "$tmp/scan.jpg" >/dev/null
		done
		rm -f "$tmp/scan.jpg"
	fi
	run "report monthly --csv" "$n" "$AFTER" "$D" report monthly --month 2026-03 --csv "$tmp/report.csv"
	run "stats" "$n" "$AFTER" "$D" stats
	run "dossier list --due" "$n" "$AFTER" "$D" dossier list --due
	run "check" "$n" "$AFTER" "$D" check
	if "$D" payment roster --help >/dev/null 2>&1; then
		run "payment roster" "$n" "$AFTER" "$D" payment roster --month 2026-03
	fi
	for fmt in zip tar.gz; do
		rm -f "$tmp/a.$fmt"
		run "export archive ($fmt)" "$n" "$AFTER" "$D" export archive --month 2026-03 --format "$fmt" -o "$tmp/a.$fmt"
		# bsdtar on the same files, side by side
		rm -rf "$tmp/x" "$tmp/b.$fmt"
		mkdir "$tmp/x"
		bsdtar -xf "$tmp/a.$fmt" -C "$tmp/x"
		(cd "$tmp/x" && run "bsdtar -a -cf (same $fmt files)" "$n" "$AFTER" bsdtar -a -cf "$tmp/b.$fmt" .)
		printf '%-34s %7s hh  %s bytes (bsdtar: %s)\n' "  archive size ($fmt)" "$n" \
		    "$(wc -c <"$tmp/a.$fmt")" "$(wc -c <"$tmp/b.$fmt")"
		rm -rf "$tmp/x" "$tmp/b.$fmt"
	done
	# the county importing this township's archive alone, each format into
	# a new county (an archive holds at most 100,000 entries: about two a
	# changed household)
	if [ "$n" -le 40000 ]; then
		for fmt in zip tar.gz; do
			"$top/build/tests/shm-clean" "$tmp/county1" 2>/dev/null
			rm -rf "$tmp/county1"
			DIBAO_DATA="$tmp/county1" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" init --county-code 330102 \
			    --county-name 西湖区 --admin admin >/dev/null
			DIBAO_DATA="$tmp/county1" run "county import of it alone ($fmt)" "$n" "$AFTER" "$D" import archive "$tmp/a.$fmt"
		done
		"$top/build/tests/shm-clean" "$tmp/county1" 2>/dev/null
		rm -rf "$tmp/county1"
	fi
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$DIBAO_DATA"

	# a county of 30 townships of n/30 households each
	if [ "${BENCH_COUNTY:-1}" != 0 ]; then
		per=$((n / 30))
		rm -rf "$tmp/county"
		mkdir -p "$tmp/arch"
		for k in $(seq 1 30); do
			code=$(printf '330102%03d' "$k")
			t="$tmp/town"
			fresh "$t" "$code" "镇$k"
			DIBAO_DATA="$t" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" demo --households "$per" --seed "$k" >/dev/null
			# (its warning that no county key is set, once per township, left out)
			DIBAO_DATA="$t" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$AFTER" "$D" export archive --month 2026-03 -o "$tmp/arch/$code.zip" \
			    >/dev/null 2>"$tmp/err" || { echo "export of township $code failed: $(tail -1 "$tmp/err")"; }
			"$top/build/tests/shm-clean" "$t" 2>/dev/null
			rm -rf "$t"
		done
		DIBAO_DATA="$tmp/county" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$LOAD_AT" "$D" init --county-code 330102 --county-name 西湖区 --admin admin >/dev/null
		DIBAO_DATA="$tmp/county" run "county import of 30 archives" "$n" "$AFTER" \
		    sh -c 'for f in "$0"/*.zip; do "$1" import archive "$f" || exit 1; done' "$tmp/arch" "$D"
		"$top/build/tests/shm-clean" "$tmp/county" 2>/dev/null
		rm -rf "$tmp/county" "$tmp/arch"
	fi
done

first=$(echo "$sizes" | awk '{print $1}')
last=$(echo "$sizes" | awk '{print $NF}')
if [ "$first" != "$last" ]; then
	echo "== growth from $first to $last households ($((last / first))x the households)"
	awk -F'|' -v a="$first" -v b="$last" '
		$2 == a { t[$1] = $3; m[$1] = $4; c[$1] = $5; order[++k] = $1 }
		$2 == b { t2[$1] = $3; m2[$1] = $4; c2[$1] = $5 }
		END {
			for (i = 1; i <= k; i++) {
				l = order[i]
				if (!(l in t2)) continue
				gt = (t[l] > 0) ? t2[l] / t[l] : 0
				gm = (m[l] > 0) ? m2[l] / m[l] : 0
				gc = (c[l] > 0) ? c2[l] / c[l] : 0
				printf "%-34s time x%5.1f  cpu x%5.1f (%.2f -> %.2f s)  peak RSS x%4.1f (%d -> %d KB)\n", l, gt, gc, c[l], c2[l], gm, m[l], m2[l]
			}
		}' "$res"
fi
