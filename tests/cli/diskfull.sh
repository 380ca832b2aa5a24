#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A full disk (issue 16): on a 24 MB tmpfs, a data directory whose disk
# fills up while its region files are being made gets a Chinese message
# naming the directory and the space needed, leaves no empty region file
# behind (which once blocked every later start), and works again as soon
# as space is freed.  (Reads on a disk that is already full are not yet
# covered: one still died of SIGBUS here.)  Needs root to mount the tmpfs;
# skipped otherwise.
. "${top_srcdir:-.}/tests/lib.sh"

M="$TMP/small"
mkdir "$M"
mount -t tmpfs -o size=24m tmpfs "$M" 2>/dev/null || { echo "cannot mount a tmpfs here: skipped" >&2; exit 77; }
trap 'umount "$M" 2>/dev/null; rm -rf "$TMP"' EXIT
export DIBAO_DATA="$M/data"
setup_township
dib 0 demo --households 5 --seed 2
# the regions gone (a reboot), then the disk full
rm -f "$DIBAO_DATA"/__db.0*
dd if=/dev/zero of="$M/fill" bs=1M count=100 2>/dev/null
dib 3 village list
has "$ERR" "$DIBAO_DATA 所在的磁盘已满"
has "$ERR" "MB 空间"
eq "$(ls "$DIBAO_DATA" | grep -c '^__db\.0')" 0 "region files left on the full disk"
rm -f "$M/fill"
dib 0 village list && has "$OUT" "青石村"
dib 0 village add 新村 && dib 0 check
finish
