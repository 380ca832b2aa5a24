#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Edits behind dibao's back (issue 16 point 5).  The database files of a
# plain (--no-encrypt) township are edited with Berkeley DB alone
# (tests/tamper-db): `check` names each record whose bytes no longer match
# its latest audit entry — a changed approved amount, a changed bank
# account, a clerk turned admin, a record added or removed.  The monthly
# archive is signed with the township's key: the county pins the key at the
# first import, refuses an archive altered with its manifest recomputed, a
# changed key unless an admin accepts it (audited), and a month whose audit
# entries do not continue from the previous month's head.
. "${top_srcdir:-.}/tests/lib.sh"

TAMPER="${abs_top_builddir:-.}/tests/tamper-db"
[ -x "$TAMPER" ] || { echo "tests/tamper-db missing" >&2; exit 1; }
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

INIT_OPTS=--no-encrypt setup_township
at 2026-02-02
dib 0 demo --households 6 --seed 3 || exit 1
dib 0 --json dossier list --status APPROVED --limit 1 || exit 1
NO=$(json_get dossier <"$OUT")
[ -n "$NO" ] || { echo "FAIL: no approved demo dossier" >&2; exit 1; }
dib 0 check
has "$OUT" "未发现问题"

# ---- (a) records edited in the files: check names each
KEYS=$("$TAMPER" "$DIBAO_DATA" keys calcs.db) || exit 1
CALC=$(echo "$KEYS" | grep " $NO" | tail -1 | cut -d' ' -f1)
[ -n "$CALC" ] || bad "no calculation record of $NO"
# the approved amount: field 16 (total, fen) of the calculation record
"$TAMPER" "$DIBAO_DATA" set-int calcs.db "$CALC" 16 99900 || bad "tamper calc"
dib 1 check
has "$ERR" "calcs.db"
has "$ERR" "$NO"
has "$ERR" "在 dibao 之外被改动"
# the bank account: field 9 of the dossier record
"$TAMPER" "$DIBAO_DATA" set-str dossiers.db "$NO" 9 6222999988887777 || bad "tamper dossier"
dib 1 check
has "$ERR" "dossiers.db：记录 $NO"
# a clerk turned admin: field 3 (role) of the user record, 0 = admin
"$TAMPER" "$DIBAO_DATA" set-int users.db clerk 3 0 || bad "tamper user"
dib 1 check
has "$ERR" "users.db：记录 clerk"
# a user added, a village removed, in the files alone
"$TAMPER" "$DIBAO_DATA" copy users.db admin admin2 || bad "tamper copy"
dib 1 check
has "$ERR" "users.db：记录 admin2：审计链中没有它的哈希"
"$TAMPER" "$DIBAO_DATA" del villages.db 东岭社区 || bad "tamper village"
dib 1 check
has "$ERR" "villages.db：记录 东岭社区"
has "$ERR" "已被删除"

exit $((FAILS > 0))
