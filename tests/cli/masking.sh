#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Integrity (issue 12 point 5, SPEC 11): no whole resident ID number on any
# output that shows a person, text or JSON, unless --reveal, which shows it
# whole and is audited (read.confidential).  Every read command's output is
# grepped for an ID-shaped run (17 digits and a digit or X).
. "${top_srcdir:-.}/tests/lib.sh"

CADRE=330102197001010013     # staff: 村干部
WIFE=330102197202020023      # his declared spouse, a member
HEAD=330102195001010014      # the applicant, 76 in 2026

setup_township
as admin secret-admin
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人
DIBAO_NEW_PASSWORD=secret-rv dib 0 user add rv --role reviewer --name 带号审核 --id 330102198001010018
clerk
dib 0 kin staff add --name 王建国 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村
dib 0 kin relative add "$CADRE" --name 李秀英 --id "$WIFE" --relation 配偶
hasnt "$OUT" "$WIFE" && hasnt "$OUT" "$CADRE"
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id "$HEAD"
NO=$(json_get dossier <"$OUT")
dib 0 member add "$NO" --name 李秀英 --id "$WIFE" --relation 配偶
dib 0 income add "$NO" --kind 养老金 --amount 300 --member "$HEAD"
dib 0 member edit "$NO" "$WIFE" --labour partial --illness 尿毒症 && hasnt "$OUT" "$WIFE"
dib 0 dossier edit "$NO" --bank 农商银行 --account 6228480012345678901 --holder "$HEAD"

whole() { # whole FILE WHAT: the file shows no whole ID number
	if grep -Eq '(^|[^0-9A-Za-z])[0-9]{17}[0-9Xx]([^0-9A-Za-z]|$)' "$1"; then
		echo "FAIL: $2 shows a whole ID number:" >&2
		grep -E '[0-9]{17}[0-9Xx]' "$1" | sed 's/^/  | /' >&2
		FAILS=$((FAILS + 1))
	fi
}

# every read that shows a person, as text and as JSON
for j in "" --json; do
	for cmd in "dossier show $NO" "dossier list" "calc $NO" "kin matches $NO" "kin matches" "kin unfiled" \
		"kin register" "kin staff list" "kin staff show $CADRE" "kin relative list" "kin relative list $CADRE" \
		"kin staff-dossiers $CADRE" "audit" "audit --object $NO" "user list" "screen ill" "stats" \
		"payment roster --month 2026-04"; do
		# shellcheck disable=SC2086
		dib 0 $j $cmd && whole "$OUT" "dibao $j $cmd"
	done
done
# the outputs are not empty of people: masked, not left out
dib 0 --json calc "$NO" && has "$OUT" '"id": "330102********0014"' && has "$OUT" '"id": "330102********0023"'
dib 0 --json kin matches "$NO" && has "$OUT" '"member_id": "330102********0023"' && has "$OUT" '"staff_id": "330102********0013"'
dib 0 kin matches "$NO" && has "$OUT" "330102********0023"
dib 0 --json audit --object "$NO" && has "$OUT" '330102********0014' && has "$OUT" 'dossier.new'
dib 0 audit --object "$NO" && has "$OUT" '330102********0014'
dib 0 --json user list && has "$OUT" '"id": "330102********0018"'
# dossier show's JSON: the members' and the incomes' numbers masked by the
# one JSON masking every command's output goes through (cli_print_json)
dib 0 --json dossier show "$NO" && has "$OUT" '"id": "330102********0014"' && has "$OUT" '"id": "330102********0023"'
has "$OUT" '"member": "330102********0014"' && whole "$OUT" "--json dossier show"

# --reveal shows the numbers whole and is audited; masked again without it
dib 0 --json kin matches "$NO" --reveal && has "$OUT" "\"member_id\": \"$WIFE\"" && has "$OUT" "\"staff_id\": \"$CADRE\""
dib 0 --json calc "$NO" --reveal && has "$OUT" "\"id\": \"$HEAD\""
dib 0 --json dossier show "$NO" --reveal && has "$OUT" "\"id\": \"$WIFE\"" && has "$OUT" "\"member\": \"$HEAD\""
dib 0 audit --reveal --object "$NO" && has "$OUT" "$HEAD"
dib 0 --json audit && has "$OUT" '"object": "kin matches"' && has "$OUT" '"object": "calc"' && has "$OUT" '"object": "audit"'
has "$OUT" '"action": "read.confidential"'
dib 0 --json kin matches "$NO" && hasnt "$OUT" "$WIFE"
# the screening lists: the rejected household's head, masked
dib 0 reject "$NO" --reason 收入超过标准
dib 0 screen rejected && has "$OUT" "330102********0014" && whole "$OUT" "screen rejected"
dib 0 --json screen rejected && has "$OUT" '"id": "330102********0014"' && whole "$OUT" "--json screen rejected"
# id check shows the numbers typed (no login, no person's record)
dib 0 --json id check "$HEAD" && has "$OUT" "\"id\": \"$HEAD\""

finish
