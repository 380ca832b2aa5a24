#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Kin filings in the procedure: no dossier with an unfiled kin match can be
# reviewed (R8) — the filing must be confirmed by a different user — the
# filing form JQBA becomes required, and a staff member whose declared
# relative is in the household must stand aside (R11).
. "${top_srcdir:-.}/tests/lib.sh"

HEAD=330102195001010014
WIFE=330102195203150023
CADRE=330102197005050063        # a village cadre, 王芳's brother
setup_township
as admin secret-admin
# the cadre also works as a reviewer: linked to the registry by his ID
DIBAO_NEW_PASSWORD=secret-cadre dib 0 user add cadre --role reviewer --name 王强 --id "$CADRE"

as clerk secret-clerk
dib 0 kin staff add --name 王强 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村 --position 村委会委员
dib 0 kin relative add "$CADRE" --name 王芳 --id "$WIFE" --relation 兄弟姐妹
dib 0 --json dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD"
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 王芳 --id "$WIFE" --relation 配偶
dib 0 income add "$NO" --kind 养老金 --amount 300
dib 0 --json kin matches --reveal "$NO" && has "$OUT" "\"member_id\": \"$WIFE\"" && has "$OUT" '"status": "unfiled"'
dib 0 --json checklist "$NO" && has "$OUT" '"code": "JQBA"'

for c in SQS SFZ HKB SQR; do dib 0 checklist mark "$NO" $c --signed; done
dib 0 advance "$NO"
for c in SRZM DCB; do dib 0 checklist mark "$NO" $c --signed; done
dib 0 advance "$NO" --surveyors clerk,admin
dib 0 checklist mark "$NO" HDBG
dib 0 advance "$NO"
dib 0 checklist mark "$NO" PYJL --signed
dib 0 advance "$NO" --participants 3 --representatives 2
dib 0 checklist mark "$NO" SHB --stamped

as reviewer secret-reviewer
dib 1 advance "$NO" && has "$ERR" "R8" && has "$ERR" "JQBA"
as clerk secret-clerk
dib 0 --json kin file "$NO" "$WIFE" --note "王芳系村委会委员王强之妹，经调查家庭确属困难"
FILING=$(json_get number <"$OUT")
[ -n "$FILING" ] || { echo "FAIL: no filing number" >&2; FAILS=$((FAILS + 1)); }
dib 1 kin confirm "$FILING"                       # not by the one who filed it
as reviewer secret-reviewer
dib 1 advance "$NO" && has "$ERR" "R8"           # pending is not filed
dib 0 kin confirm "$FILING"
dib 1 advance "$NO" && hasnt "$ERR" "R8" && has "$ERR" "JQBA"
as clerk secret-clerk
dib 0 checklist mark "$NO" JQBA
# the cadre, as reviewer, must stand aside (R11)
as cadre secret-cadre
dib 1 advance "$NO" && has "$ERR" "R11" && has "$ERR" "王芳"
as reviewer secret-reviewer
dib 0 --json advance "$NO" && has "$OUT" '"status": "REVIEWED"'
dib 0 --json kin register && has "$OUT" "$FILING"
finish
