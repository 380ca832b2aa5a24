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


# ---- (b-d) the signed monthly archive, the county's pinned key, the chain
T2="$TMP/town"
C="$TMP/county"
C2="$TMP/county2"
at 2026-01-05
dib 0 --data "$T2" init --township-code 330102001 --township-name 青石镇 --admin admin --no-encrypt || exit 1
dib 0 --data "$T2" demo --households 4 --seed 7 || exit 1
at 2026-01-27
dib 0 --data "$T2" export archive --month 2026-01 -o "$TMP/m1.zip" || exit 1
[ -f "$T2/dibao.sign" ] || bad "no signing key after the first export"
eq "$(stat -c %a "$T2/dibao.sign")" 600 "the signing key's mode"
dib 0 --data "$T2" audit && has "$OUT" "township.key"
unzip -l "$TMP/m1.zip" >"$TMP/list"
has "$TMP/list" "330102001-2026-01/manifest.sig"
has "$TMP/list" "330102001-2026-01/签名公钥.txt"
# a backup carries the signing key; a restore signs with it
dib 0 --data "$T2" backup "$TMP/bk" || exit 1
cmp -s "$T2/dibao.sign" "$TMP/bk/dibao.sign" || bad "the backup lacks the signing key"
# the same month again: the same bytes (Ed25519 signs deterministically)
dib 0 --data "$T2" export archive --month 2026-01 -o "$TMP/m1b.zip"
cmp -s "$TMP/m1.zip" "$TMP/m1b.zip" || bad "two exports of one month differ"
dib 0 --data "$C" init --county-code 330102 --county-name 西湖区 --admin admin || exit 1
dib 0 --data "$C2" init --county-code 330102 --county-name 西湖区 --admin admin || exit 1

# an archive altered, its manifest's hashes recomputed: the signature fails
mkdir "$TMP/x" && (cd "$TMP/x" && unzip -q "$TMP/m1.zip") || exit 1
REC=$(cd "$TMP/x" && ls 330102001-2026-01/户档案/*/档案记录.json | head -1)
cp "$TMP/x/$REC" "$TMP/rec.orig"
sed -i 's/"total": [0-9]/"total": 9/' "$TMP/x/$REC"
cmp -s "$TMP/x/$REC" "$TMP/rec.orig" && sed -i 's/"total": [0-9]/"total": 8/' "$TMP/x/$REC"
cmp -s "$TMP/x/$REC" "$TMP/rec.orig" && bad "the dossier total was not changed"
OLD=$(sha256sum <"$TMP/rec.orig" | cut -d' ' -f1)
NEW=$(sha256sum <"$TMP/x/$REC" | cut -d' ' -f1)
sed -i "s/$OLD/$NEW/" "$TMP/x/330102001-2026-01/manifest.json"
(cd "$TMP/x" && zip -q -r "$TMP/forged.zip" 330102001-2026-01) || exit 1
dib 1 --data "$C2" import archive "$TMP/forged.zip"
has "$ERR" "签名与清单不符"
# without the signature: refused as unsigned
(cd "$TMP/x" && rm 330102001-2026-01/manifest.sig && zip -q -r "$TMP/unsigned.zip" 330102001-2026-01) || exit 1
dib 1 --data "$C2" import archive "$TMP/unsigned.zip"
has "$ERR" "没有乡镇签名"
dib 0 --data "$C2" county list
hasnt "$OUT" "2026-01"

# the first import pins the key and shows its fingerprint
dib 0 --data "$C" county import "$TMP/m1.zip"
FPR=$(sed -n 's/.*签名公钥指纹 \([0-9a-f ]*[0-9a-f]\).*/\1/p' "$OUT")
eq "${#FPR}" 39 "the fingerprint printed at the first import ($(cat "$OUT"))"
has "$OUT" "首次导入"
dib 0 --data "$C" county list
has "$OUT" "$FPR"

# a changed key: refused, then accepted by an admin with the flag (audited)
at 2026-02-10
dib 0 --data "$T2" village add 新桥村 --groups 一组 || exit 1
at 2026-02-27
rm "$T2/dibao.sign"
dib 0 --data "$T2" export archive --month 2026-02 -o "$TMP/m2.zip" || exit 1
dib 1 --data "$C" county import "$TMP/m2.zip"
has "$ERR" "新的签名密钥"
has "$ERR" "$FPR"
has "$ERR" "--accept-new-key"
dib 0 --data "$C" county import "$TMP/m2.zip" --accept-new-key
has "$OUT" "新密钥"
dib 0 --data "$C" audit && has "$OUT" "county.key.accept"

# entries cut off after February left, the head rewritten: the local
# chain verifies, the county refuses March, naming both heads
FEBHEAD=$(unzip -p "$TMP/m2.zip" 330102001-2026-02/审计链头.json | json_get head)
FEBN=$(unzip -p "$TMP/m2.zip" 330102001-2026-02/审计链头.json | json_get count)
"$TAMPER" "$T2" audit-cut $((FEBN - 1)) || bad "audit-cut"
dib 0 --data "$T2" audit --verify
at 2026-03-10
dib 0 --data "$T2" village add 南山村 --groups 一组 || exit 1
at 2026-03-27
dib 0 --data "$T2" export archive --month 2026-03 -o "$TMP/m3.zip" || exit 1
dib 1 --data "$C" county import "$TMP/m3.zip"
has "$ERR" "审计链"
has "$ERR" "$FEBHEAD"
# a month missing: April without March is refused by the chain
at 2026-04-27
dib 0 --data "$T2" export archive --month 2026-04 -o "$TMP/m4.zip" || exit 1
dib 1 --data "$C" county import "$TMP/m4.zip"
has "$ERR" "缺少某月档案"


# ---- on an encrypted store the key is sealed under the data key
T3="$TMP/town3"
at 2026-01-05
dib 0 --data "$T3" init --township-code 330102003 --township-name 白沙镇 --admin admin || exit 1
dib 0 --data "$T3" demo --households 2 --seed 2 || exit 1
at 2026-01-27
dib 0 --data "$T3" export archive --month 2026-01 -o "$TMP/t3.zip" || exit 1
has "$T3/dibao.sign" "sealed "
hasnt "$T3/dibao.sign" "plain "
dib 0 --data "$C" county import "$TMP/t3.zip"
has "$OUT" "首次导入"
# a plain key put there by hand is refused
printf 'dibao-sign-key 1\nplain %s\n' 5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed >"$T3/dibao.sign"
dib 1 --data "$T3" export archive --month 2026-01 -o "$TMP/t3b.zip"
has "$ERR" "未加密封装"

exit $((FAILS > 0))
