#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The foundation through the real binary: init, users and roles, ID checks,
# settings and standards, villages, dossiers and members (R7), finances,
# the audit chain, check, backup and restore, and refusals that change
# nothing.
. "${top_srcdir:-.}/tests/lib.sh"

HEAD=330102195001010014      # male, 1950
WIFE=330102195203150023      # female, 1952
SON=330102198006070036
CHILD=330102201008080048
OTHER=330102194511110053

dib 0 --version && has "$OUT" "dibao "
dib 0 --help && has "$OUT" "dossier new"
dib 2 frobnicate
dib 2 dossier
dib 1 dossier list && has "$ERR" "dibao init"    # no data directory yet

# ---- id check needs no database or user
dib 0 --json id check "$HEAD" && has "$OUT" '"valid": true' && has "$OUT" '"sex": "M"' && has "$OUT" '"birth": "1950-01-01"'
dib 1 id check 330102195001010015 && has "$OUT" "校验码"
dib 1 id check 12345 && has "$OUT" "18"
dib 0 id check "３３０１０２１９９００９０９００７ｘ" && has "$OUT" "33010219900909007X"
dib 1 id check 330102209901010011                  # born in the future

setup_township

# ---- users and roles
as clerk wrong-password
dib 1 dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD" && has "$ERR" "密码"
as inspector secret-inspector
dib 1 dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD" && has "$ERR" "不允许"
as clerk secret-clerk
dib 1 standard set --area rural --from 2026-01 --amount 700 && has "$ERR" "不允许"
dib 1 user add x --role clerk --name X
dib 0 --json user list && has "$OUT" '"role": "approver"'
as admin secret-admin
dib 0 user disable inspector
as inspector secret-inspector
dib 1 dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD" && has "$ERR" "停用"

# ---- settings and standards
as admin secret-admin
dib 0 setting get notice.days && has "$OUT" "7"
dib 1 setting set notice.days abc && has "$ERR" "notice.days"
dib 1 setting set no.such.key 1
dib 0 setting set deposit.multiple 40
dib 0 setting get deposit.multiple && has "$OUT" "40"
dib 1 setting set township.code 123456789
dib 1 standard set --area rural --from 2026-13 --amount 650
dib 1 standard set --area rural --from 2026-02 --amount 6.505 && has "$ERR" "6.505"
dib 0 --json standard list && has "$OUT" '"amount": 65000'

# ---- dossiers
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石 --group 二组 --head-name 张三 --head-id "$HEAD" --address 青石村二组12号
NO=$(json_get dossier <"$OUT")
eq "$NO" "330102001-2026-00001" "first dossier number"
dib 1 dossier new --area rural --village 石青村 --head-name 李四 --head-id "$OTHER" && has "$ERR" "村"
dib 1 dossier new --area rural --village 青石村 --group 九组 --head-name 李四 --head-id "$OTHER"
dib 1 dossier new --area rural --village 青石村 --head-name 李四 --head-id 330102194511110054 && has "$ERR" "身份证号"
dib 1 dossier new --area mars --village 青石村 --head-name 李四 --head-id "$OTHER"
# R7: the head's ID number is already in an active dossier
dib 1 dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD" && has "$ERR" "R7"
dib 0 member add "$NO" --name 王芳 --id "$WIFE" --relation 配偶 --disability 肢体:2 --labour none
dib 0 member add "$NO" --name 张小明 --id "$SON" --relation son --illness 尿毒症
dib 1 member add "$NO" --name 张小明 --id "$SON" --relation 子 && has "$ERR" "$SON"
dib 1 member add "$NO" --name 张小红 --id "$CHILD" --relation 侄子 && has "$ERR" "与户主关系"
dib 1 member add "$NO" --name 张小红 --id "$CHILD" --relation 女 --disability 肢体:7
dib 0 member add "$NO" --name 张小红 --id "$CHILD" --relation 女 --hiv
dib 1 member add 330102001-2026-00099 --name 某 --id "$OTHER" --relation 子
# R7 across dossiers
dib 0 --json dossier new --area urban --village 东岭社区 --head-name 李四 --head-id "$OTHER"
NO2=$(json_get dossier <"$OUT")
eq "$NO2" "330102001-2026-00002" "second dossier number"
dib 1 member add "$NO2" --name 王芳 --id "$WIFE" --relation 配偶 && has "$ERR" "R7" && has "$ERR" "$NO"
dib 0 income add "$NO" --kind 工资性 --amount 1200.50 --member "$SON"
dib 0 income add "$NO" --kind pension --amount 150
dib 1 income add "$NO" --kind 工资性 --amount 12.345
dib 1 income add "$NO" --kind 彩票 --amount 12 && has "$ERR" "收入类型"
dib 0 expense add "$NO" --kind 医疗 --amount 300
dib 0 asset set "$NO" --deposits 5000 --vehicles 1 --production-vehicles 1 --houses 1
dib 1 asset set "$NO" --vehicles 0 && has "$ERR" "生产"
dib 0 member death "$NO" "$SON" --date 2026-02-01 --certificate 死亡证明001
dib 1 member death "$NO" "$SON" --date 2026-02-01
dib 1 member death "$NO" "$WIFE" --date 2026-04-01 && has "$ERR" "死亡日期"

dib 0 --json dossier show "$NO"
has "$OUT" '"status": "APPLIED"'
has "$OUT" '"total": 0'
has "$OUT" '"name": "王芳"'
has "$OUT" '"disability_grade": 2'
has "$OUT" '"amount": 120050'
has "$OUT" '"death": "2026-02-01"'
hasnt "$OUT" '"hiv"'
dib 0 dossier show "$NO" && has "$OUT" "330102********0014"
dib 0 --json dossier show "$NO" --reveal && has "$OUT" '"hiv": true'
dib 0 --json audit --object "$NO" && has "$OUT" '"read.confidential"'

# ---- the household's own fields; the account's number never enters the audit
dib 0 dossier edit "$NO" --phone 13800138000 --bank 农村信用社 --account 6228480012345678901 --registered-poor yes
dib 1 dossier edit "$NO" --account 62284800123x && has "$ERR" "账号"
dib 1 dossier edit "$NO" --group 九组 && has "$ERR" "九组"
dib 1 dossier edit "$NO" --support both
dib 0 --json dossier show "$NO" && has "$OUT" '"registered_poor": true' && has "$OUT" '"account": "***************8901"' &&
	has "$OUT" '"phone": "13800138000"'
dib 0 audit --object "$NO" && has "$OUT" "dossier.edit" && hasnt "$OUT" 6228480012345678901

# ---- finding dossiers through the indexes
dib 0 --json dossier list --search 张 && has "$OUT" "$NO" && hasnt "$OUT" "$NO2"
dib 0 --json dossier list --search "$WIFE" && has "$OUT" "$NO"
dib 0 --json dossier list --search 330102001-2026 && has "$OUT" "$NO2"
dib 0 --json dossier list --village 东岭社区 && has "$OUT" "$NO2" && hasnt "$OUT" "$NO\""
dib 0 --json dossier list --status APPLIED --limit 1 && has "$OUT" "$NO" && hasnt "$OUT" "$NO2"
dib 0 --json dossier list --search 李 && has "$OUT" '"head_name": "李四"'

# ---- a refused command changes nothing
dib 0 --json audit --verify
BEFORE=$(json_get entries <"$OUT")
dib 1 member add "$NO2" --name 王芳 --id "$WIFE" --relation 配偶
dib 0 --json audit --verify
eq "$(json_get entries <"$OUT")" "$BEFORE" "audit entries after a refusal"

# ---- check, backup, restore
dib 0 check && has "$OUT" "未发现问题"
dib 0 backup "$TMP/backup"
mkdir "$TMP/documents" && echo 重要文件 >"$TMP/documents/keep.txt"
dib 1 backup "$TMP/documents" && has "$ERR" "备份"
has "$TMP/documents/keep.txt" "重要文件"
dib 0 backup "$TMP/backup"                       # an earlier backup may be replaced
as clerk secret-clerk
dib 0 income add "$NO2" --kind 其他 --amount 10
DIBAO_DATA="$TMP/restored" dib 0 restore "$TMP/backup"
DIBAO_DATA="$TMP/restored" dib 0 --json dossier show "$NO2" && hasnt "$OUT" '"amount": 1000'
DIBAO_DATA="$TMP/restored" dib 0 check
DIBAO_DATA="$TMP/restored" dib 1 restore "$TMP/backup" && has "$ERR" "$TMP/restored"
# a restore, or a first init, into a folder whose parents do not exist yet
# (a fresh account has no ~/.local/share): they are made
DIBAO_DATA="$TMP/new/deeper/restored" dib 0 restore "$TMP/backup"
DIBAO_DATA="$TMP/new/deeper/restored" dib 0 check
as admin secret-admin
DIBAO_DATA="$TMP/home/.local/share/dibao" dib 0 init --township-code 330102002 --township-name 白沙镇 --admin admin
[ "$(stat -c %a "$TMP/home/.local/share/dibao")" = 700 ] || { echo "FAIL: the data directory is not 0700" >&2; FAILS=$((FAILS + 1)); }
: >"$TMP/plainfile"
DIBAO_DATA="$TMP/plainfile/dibao" dib 3 init --township-code 330102002 --township-name 白沙镇 --admin admin
has "$ERR" "$TMP/plainfile"

finish
