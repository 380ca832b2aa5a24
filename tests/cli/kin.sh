#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# 近亲属备案 through the real binary: the registry of related staff and
# their declared relatives, matches when a member is added and when a
# relative is declared after the dossier exists (an approved demo dossier
# too), filings and their confirmation by a different person, recorded
# ends that stop new matches, the views, and the audit chain.
. "${top_srcdir:-.}/tests/lib.sh"

CADRE=330102197001010013     # 村干部 王建国
WIFE=330102197202020023      # his declared spouse
SON=33010219950303003X       # his son, declared after the dossier exists
LATE=330102199804040047      # declared, then removed
HEAD=330102196005050050      # an applicant household head
OTHER=330102196506060062     # a head of another household
PLAIN=330102198507070077     # nobody's relative

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-reviewer2 dib 0 user add reviewer2 --role reviewer --name 第二审核人 || exit 1

# ---- the registry
as inspector secret-inspector
dib 1 kin staff add --name 王建国 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村 && has "$ERR" "不允许"
as clerk secret-clerk
dib 2 kin staff add --name 王建国 --id "$CADRE"
dib 1 kin staff add --name 王建国 --id 330102197001010014 --kind village-cadre --unit 青石村 && has "$ERR" "校验码"
dib 1 kin staff add --name 王建国 --id "$CADRE" --kind 乡长 --unit 青石村 && has "$ERR" "村（居）委会干部"
dib 1 kin staff add --name 王建国 --id "$CADRE" --kind village-cadre --unit 青石村 --from 2024-01-01 --to 2023-01-01 && has "$ERR" "任期"
dib 0 kin staff add --name 王建国 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村 --position 村委会主任 --from 2021-03-01 --to 2026-03-01
dib 1 kin staff add --name 王建国 --id "$CADRE" --kind village-cadre --unit 青石村 && has "$ERR" "$CADRE"
dib 0 kin staff list && has "$OUT" "王建国" && has "$OUT" "村（居）委会干部"
dib 0 kin staff edit "$CADRE" --position 村党支部书记
dib 0 --json kin staff show "$CADRE" && has "$OUT" '"position": "村党支部书记"' && has "$OUT" '"kind": "village-cadre"'
dib 0 kin relative add "$CADRE" --name 李秀英 --id "$WIFE" --relation 配偶
dib 1 kin relative add "$CADRE" --name 李秀英 --id "$WIFE" --relation spouse && has "$ERR" "$WIFE"
dib 1 kin relative add "$CADRE" --name 某某 --id "$PLAIN" --relation 表亲 && has "$ERR" "配偶"
dib 1 kin relative add "$PLAIN" --name 某某 --id "$OTHER" --relation other && has "$ERR" "$PLAIN"
dib 0 kin relative add "$CADRE" --name 王小二 --id "$LATE" --relation child
dib 0 kin relative remove "$CADRE" "$LATE"
dib 1 kin relative remove "$CADRE" "$LATE" && has "$ERR" "2026-03-16"
dib 0 --json kin relative list "$CADRE" && has "$OUT" '"removed": true' && has "$OUT" '"removed_on": "2026-03-16"'
dib 0 kin relative list && has "$OUT" "李秀英" && has "$OUT" "王小二"

# ---- a member who is a declared relative makes a match
dib 0 --json dossier new --area rural --village 青石村 --head-name 李大山 --head-id "$HEAD"
NO=$(json_get dossier <"$OUT")
dib 0 --json kin matches "$NO" && eq "$(tr -d ' \n' <"$OUT")" "[]" "no match yet"
dib 0 member add "$NO" --name 李秀英 --id "$WIFE" --relation other
dib 0 --json kin matches --reveal "$NO" && has "$OUT" "\"member_id\": \"$WIFE\"" && has "$OUT" "\"staff_id\": \"$CADRE\"" \
	&& has "$OUT" '"relation": "spouse"' && has "$OUT" '"status": "unfiled"' && has "$OUT" '"filing": null'
dib 0 kin unfiled && has "$OUT" "李秀英" && has "$OUT" "王建国" && has "$OUT" "配偶"
# a removed declaration makes no new match
dib 0 member add "$NO" --name 王小二 --id "$LATE" --relation other
dib 0 --json kin matches --reveal "$NO" && hasnt "$OUT" "\"member_id\": \"$LATE\""
dib 0 --json kin matches --reveal && hasnt "$OUT" "\"member_id\": \"$LATE\""

# ---- filing and its confirmation by a different person
dib 1 kin file "$NO" "$PLAIN" && has "$ERR" "$PLAIN"
dib 1 kin file "$NO" "$LATE" && has "$ERR" "$LATE"
as reviewer secret-reviewer
dib 1 kin file "$NO" "$WIFE" && has "$ERR" "不允许"
as clerk secret-clerk
dib 0 --json kin file "$NO" "$WIFE" --note 配偶系村委会主任，家庭确属困难
BA=$(json_get number <"$OUT")
eq "$BA" "BA-2026-0001" "first filing number"
dib 1 kin file "$NO" "$WIFE" && has "$ERR" "$BA"
dib 0 --json kin matches "$NO" && has "$OUT" "\"filing\": \"$BA\"" && has "$OUT" '"status": "pending"'
dib 0 kin unfiled && has "$OUT" "待备案"
dib 1 kin confirm "$BA" && has "$ERR" "登记人不能自己确认"
as inspector secret-inspector
dib 1 kin confirm "$BA" && has "$ERR" "不允许"
as reviewer secret-reviewer
dib 1 kin confirm BA-2026-9999
dib 0 kin confirm "$BA"
dib 1 kin confirm "$BA" && has "$ERR" "已备案"
dib 0 --json kin matches "$NO" && has "$OUT" '"status": "filed"'
dib 0 --json kin unfiled --reveal && hasnt "$OUT" "$WIFE"
dib 0 kin register && has "$OUT" "$BA" && has "$OUT" "李秀英" && has "$OUT" "王建国" && has "$OUT" "已备案" && has "$OUT" "reviewer"
dib 0 --json kin register && has "$OUT" '"filed_by": "clerk"' && has "$OUT" '"reviewed_by": "reviewer"' && has "$OUT" '"relation": "spouse"'

# ---- a relative declared after the dossier exists raises a match on it
as clerk secret-clerk
dib 0 member add "$NO" --name 王小明 --id "$SON" --relation other
dib 0 --json kin matches --reveal "$NO" && hasnt "$OUT" "\"member_id\": \"$SON\""
dib 0 kin relative add "$CADRE" --name 王小明 --id "$SON" --relation 子女
dib 0 --json kin matches --reveal "$NO" && has "$OUT" "\"member_id\": \"$SON\"" && has "$OUT" '"relation": "child"'
# … filed separately: the first filing stays as it was
dib 0 --json kin file "$NO" "$SON"
eq "$(json_get number <"$OUT")" "BA-2026-0002" "second filing number"
as reviewer2 secret-reviewer2
dib 0 kin confirm BA-2026-0002

# ---- the cadre themself as a member of another household
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 赵六 --head-id "$OTHER"
NO2=$(json_get dossier <"$OUT")
dib 0 member add "$NO2" --name 王建国 --id "$CADRE" --relation other
dib 0 --json kin matches --reveal "$NO2" && has "$OUT" "\"member_id\": \"$CADRE\"" && has "$OUT" '"relation": "self"' && has "$OUT" '"status": "unfiled"'
dib 0 kin staff-dossiers "$CADRE" && has "$OUT" "$NO" && has "$OUT" "$NO2" && has "$OUT" "本人" && has "$OUT" "已撤销"
dib 0 --json kin staff-dossiers "$CADRE" && has "$OUT" '"relation": "self"'
# a staff member who has left: recorded, and no new match for them
dib 1 kin staff end "$CADRE" --date 2027-01-01
dib 0 kin staff end "$CADRE" --date 2026-03-01
dib 0 --json kin staff show "$CADRE" && has "$OUT" '"ended": "2026-03-01"'

# ---- an approved dossier from the demo: a relative declared after approval
as admin secret-admin
dib 0 demo --households 30 --seed 7
dib 0 --json dossier list --status APPROVED --limit 1
APP=$(json_get dossier <"$OUT")
[ -n "$APP" ] || { echo "FAIL: no approved demo dossier" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json dossier show "$APP" --reveal
APPID=$(sed -n 's/.*"id": "\([0-9X]\{18\}\)".*/\1/p' "$OUT" | head -1)
[ -n "$APPID" ] || { echo "FAIL: no member ID in $APP" >&2; FAILS=$((FAILS + 1)); }
as clerk secret-clerk
dib 0 kin staff add --name 钱七 --id "$PLAIN" --kind 低保经办人员 --unit 青石镇民政办
dib 0 kin relative add "$PLAIN" --name 某亲属 --id "$APPID" --relation 兄弟姐妹
dib 0 --json kin matches --reveal "$APP" && has "$OUT" "\"member_id\": \"$APPID\"" && has "$OUT" '"relation": "sibling"'
# the full re-scan finds nothing new and lists everything
dib 0 --json kin matches && has "$OUT" "\"dossier\": \"$APP\"" && has "$OUT" "\"dossier\": \"$NO2\"" && has "$OUT" "\"dossier\": \"$NO\""
hasnt "$ERR" "新"

# ---- everything is in the audit chain
dib 0 audit
for a in kin.staff.add kin.staff.edit kin.staff.end kin.relative.add kin.relative.remove kin.match kin.file kin.confirm; do
	has "$OUT" "$a"
done
dib 0 audit --verify
dib 0 check

finish
