#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Protecting the people in the data (SPEC 11): a login for every command
# but --help, --version and id check; Argon2id with OWASP's minimum
# profile; encryption at rest (no ID number or name in the data directory
# or its backup), key wraps per user, the recovery sheet; restore only with
# a password of the backup.
. "${top_srcdir:-.}/tests/lib.sh"

HEAD=330102195001010014
WIFE=330102195203150023

setup_township
clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 欧阳春花 --head-id "$HEAD" || exit 1
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 司马秋月 --id "$WIFE" --relation 配偶
dib 0 clue add --channel 电话 --content 反映某户隐瞒收入 --reporter 诸葛明 --dossier "$NO"
dib 0 kin staff add --name 东方红旗 --id 330102197001010013 --kind village-cadre --unit 青石村村委会
as admin secret-admin
dib 0 backup "$TMP/backup"

# ---- every command family refuses without a login, with nothing on stdout
FAMILIES="dossier+list dossier+show+$NO member+edit+$NO+$HEAD+--name+某 user+list setting+list standard+list
village+list audit check checklist+$NO calc+$NO kin+matches kin+unfiled kin+register clue+list fix+list stats
screen+ill report+monthly+--month+2026-03 infocheck+$NO export+roster+-o+$TMP/r.csv backup+$TMP/b2
print+verify+ABCDEFGHJKLM export+archive+--month+2026-03+-o+$TMP/a.zip advance+$NO demo+--households+1
dossier+new+--area+rural+--village+青石村+--head-name+某+--head-id+$HEAD county+key"
refuse_all() { # refuse_all WHY: every family exits 1, says so, and prints nothing
	for f in $FAMILIES; do
		# shellcheck disable=SC2046
		set -- $(echo "$f" | tr '+' ' ')
		if dib 1 "$@"; then
			[ -s "$OUT" ] && { echo "FAIL: dibao $* ($1) printed without a login" >&2; FAILS=$((FAILS + 1)); }
			has "$ERR" "$WHY"
		fi
	done
}
unset DIBAO_USER
WHY="需要指定用户" refuse_all
as admin wrong-password
WHY="用户名或密码错误" refuse_all
as nobody secret-admin
WHY="用户名或密码错误" refuse_all
as admin secret-admin
dib 0 user disable inspector
as inspector secret-inspector
WHY="已停用" refuse_all
as inspector wrong-password
dib 1 user list && has "$ERR" "用户名或密码错误"
# no login needed: --help, --version, id check
unset DIBAO_USER DIBAO_PASSWORD
dib 0 --version
dib 0 --help
dib 0 id check "$HEAD"
dib 0 dossier list --help

# ---- the password hashes: Argon2id, 19 MiB, 2 passes, 1 lane
as admin secret-admin
P="$TMP/plain"
DIBAO_DATA="$P" dib 0 init --no-encrypt --township-code 330102001 --township-name 青石镇 --admin admin
grep -aqF 'argon2id$v=19$m=19456,t=2,p=1$' "$P/users.db" ||
    { echo "FAIL: the admin's hash is not of the OWASP profile" >&2; FAILS=$((FAILS + 1)); }
[ -e "$P/dibao.keys" ] && { echo "FAIL: --no-encrypt wrote a key file" >&2; FAILS=$((FAILS + 1)); }
DIBAO_DATA="$P" dib 0 village add 青石村
DIBAO_NEW_PASSWORD=secret-clerk DIBAO_DATA="$P" dib 0 user add clerk --role clerk --name 经办
as clerk secret-clerk
DIBAO_DATA="$P" dib 0 --json dossier new --area rural --village 青石村 --head-name 欧阳春花 --head-id "$HEAD"
# the grep below can fail: a plaintext store shows the name
grep -rqa "欧阳春花" "$P" || { echo "FAIL: the plain store should hold the name in clear" >&2; FAILS=$((FAILS + 1)); }
PNO=$(json_get dossier <"$OUT")
printf '\377\330\377\340JFIF 明文扫描件 scan' >"$TMP/p.jpg"
DIBAO_DATA="$P" dib 0 checklist mark "$PNO" SQS --signed --scan "$TMP/p.jpg"

# ---- dibao encrypt: an existing plaintext store converted, verified, kept
DIBAO_DATA="$P" dib 1 encrypt && has "$ERR" "不允许"          # the clerk is no admin
as admin secret-admin
DIBAO_DATA="$P" dib 0 --json audit --verify
ENTRIES=$(json_get entries <"$OUT")
mkdir -p "$P.encrypting" && : >"$P.encrypting/junk"            # what a power cut left
DIBAO_DATA="$P" dib 0 encrypt --sheet "$TMP/p-sheet.pdf" && has "$OUT" "clerk"
[ -e "$P.encrypting" ] && { echo "FAIL: the work directory is left" >&2; FAILS=$((FAILS + 1)); }
OLD=$(ls -d "$P".unencrypted-* | head -1)
[ -e "$OLD/dossiers.db" ] || { echo "FAIL: the original is not kept" >&2; FAILS=$((FAILS + 1)); }
for s in "$HEAD" 欧阳春花 明文扫描件; do
	grep -rqa -- "$s" "$P" && { echo "FAIL: $s in clear after dibao encrypt" >&2; FAILS=$((FAILS + 1)); }
done
DIBAO_DATA="$P" dib 0 --json audit --verify && has "$OUT" '"intact": true' &&
    eq "$(json_get entries <"$OUT")" "$((ENTRIES + 1))" "the audit chain carried over, plus store.encrypt"
DIBAO_DATA="$P" dib 0 audit && has "$OUT" "store.encrypt"
DIBAO_DATA="$P" dib 0 check
DIBAO_DATA="$P" dib 0 dossier show "$PNO" && has "$OUT" 欧阳春花
DIBAO_DATA="$P" dib 1 encrypt && has "$ERR" "已加密"
as clerk secret-clerk
DIBAO_DATA="$P" dib 1 dossier list                                # locked until a new password
# the login says why, to the clerk who knows the old password only
has "$ERR" "用户 clerk：数据加密后尚无密钥，需由管理员为其重设密码"
as clerk wrong-password
DIBAO_DATA="$P" dib 1 dossier list && has "$ERR" "用户名或密码错误" && hasnt "$ERR" "重设密码"
as admin secret-admin
DIBAO_DATA="$P" dib 0 user list && has "$OUT" "需由管理员重设密码"
DIBAO_DATA="$P" dib 0 --json user list && has "$OUT" '"needs_password": true'
DIBAO_NEW_PASSWORD=secret-clerk DIBAO_DATA="$P" dib 0 user passwd clerk
DIBAO_DATA="$P" dib 0 user list && hasnt "$OUT" "需由管理员重设密码"
DIBAO_DATA="$P" dib 0 check
as clerk secret-clerk
DIBAO_DATA="$P" dib 0 dossier list && has "$OUT" 欧阳春花

# ---- encrypted at rest: no ID number or name in the directory or its backup
as admin secret-admin
dib 0 check
[ -s "$DIBAO_DATA/dibao.keys" ] || { echo "FAIL: no key file" >&2; FAILS=$((FAILS + 1)); }
for d in "$DIBAO_DATA" "$TMP/backup"; do
	for s in "$HEAD" "$WIFE" 欧阳春花 司马秋月 诸葛明 东方红旗 隐瞒收入 330102197001010013 青石村; do
		if grep -rqa -- "$s" "$d"; then
			echo "FAIL: $s found in clear under $d: $(grep -rla -- "$s" "$d" | head -3)" >&2
			FAILS=$((FAILS + 1))
		fi
	done
done
ls "$DIBAO_DATA" | grep -q '^__db\.00' && { echo "FAIL: region files on disk: $(ls "$DIBAO_DATA")" >&2; FAILS=$((FAILS + 1)); }

# ---- wraps follow the passwords: a change still opens the store
as clerk secret-clerk
DIBAO_NEW_PASSWORD=new-clerk-pw dib 0 user passwd clerk
dib 1 user list && has "$ERR" "用户名或密码错误"
as clerk new-clerk-pw
dib 0 dossier show "$NO" && has "$OUT" 欧阳春花
as admin secret-admin
DIBAO_NEW_PASSWORD=reset-by-admin dib 0 user passwd clerk
as clerk reset-by-admin
dib 0 dossier list && has "$OUT" 欧阳春花
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-new dib 0 user add newbie --role reviewer --name 新人
as newbie secret-new
dib 0 dossier list && has "$OUT" 欧阳春花
as admin secret-admin
dib 0 check

# ---- restore: only with a password of the backup, into an encrypted copy
as clerk secret-clerk
DIBAO_DATA="$TMP/r1" dib 0 restore "$TMP/backup"
as clerk wrong-password
DIBAO_DATA="$TMP/r2" dib 1 restore "$TMP/backup" && has "$ERR" "用户名或密码错误"
[ -e "$TMP/r2/meta.db" ] && { echo "FAIL: a refused restore copied files" >&2; FAILS=$((FAILS + 1)); }
as admin secret-admin
DIBAO_DATA="$TMP/r1" dib 0 dossier show "$NO" && has "$OUT" 司马秋月
DIBAO_DATA="$TMP/r1" dib 0 check
grep -rqa 司马秋月 "$TMP/r1" && { echo "FAIL: the restored copy holds a name in clear" >&2; FAILS=$((FAILS + 1)); }

# ---- the recovery sheet
R="$TMP/rec"
DIBAO_DATA="$R" dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin --sheet "$TMP/sheet.pdf"
CODE=$(sed -n 's/^恢复码：//p' "$OUT")
[ -n "$CODE" ] || { echo "FAIL: init showed no recovery code" >&2; sed 's/^/  /' "$OUT" >&2; FAILS=$((FAILS + 1)); }
qpdf --check "$TMP/sheet.pdf" >/dev/null 2>&1 || { echo "FAIL: the recovery sheet is no PDF" >&2; FAILS=$((FAILS + 1)); }
grep -qa "$CODE" "$R/dibao.keys" && { echo "FAIL: the code is in the key file" >&2; FAILS=$((FAILS + 1)); }
DIBAO_DATA="$R" dib 1 init --township-code 330102001 --township-name 青石镇 --admin admin --sheet "$TMP/s2.pdf"
DIBAO_DATA="$R" dib 0 user list   # the refused second init kept the key file
as admin forgotten
DIBAO_NEW_PASSWORD=from-the-safe DIBAO_DATA="$R" dib 1 recover --code ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789 && has "$ERR" "恢复码"
DIBAO_NEW_PASSWORD=from-the-safe DIBAO_DATA="$R" dib 1 recover --code 123 && has "$ERR" "恢复码"
LOWER=$(echo "$CODE" | tr 'A-Z' 'a-z' | tr -d '-')
DIBAO_NEW_PASSWORD=from-the-safe DIBAO_DATA="$R" dib 0 recover --code "$LOWER"
DIBAO_DATA="$R" dib 1 user list
as admin from-the-safe
DIBAO_DATA="$R" dib 0 audit && has "$OUT" "user.recover"
DIBAO_DATA="$R" dib 0 check

# ---- a damaged key file: refused by name, and check says so
cp "$R/dibao.keys" "$TMP/keys.good"
printf 'X' | dd of="$R/dibao.keys" bs=1 seek=40 conv=notrunc 2>/dev/null
DIBAO_DATA="$R" dib 3 user list && has "$ERR" "密钥文件"
cp "$TMP/keys.good" "$R/dibao.keys"
DIBAO_DATA="$R" dib 0 user list
: >"$R/dibao.keys"
DIBAO_DATA="$R" dib 3 user list && has "$ERR" "密钥文件"
cp "$TMP/keys.good" "$R/dibao.keys"

# ---- a region file whose shared memory is gone (a process killed inside
# the last one's removal of the regions, a reboot): it opens, not "damaged"
printf '%024d' 0 >"$R/__db.001"
DIBAO_DATA="$R" dib 0 user list
[ -e "$R/__db.001" ] && { echo "FAIL: the stale region file is left" >&2; FAILS=$((FAILS + 1)); }

finish
