#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Information-check results (信息核对, SPEC 2) through the real binary: an
# agency's result recorded by its Chinese term or English alias, dated
# today or on a given day, recorded by the user; the same agency again
# replaces its result (one per agency, the earlier one kept in the audit
# chain); refusals name the field and change nothing (unknown agency,
# empty or too long result, a future, unreal or pre-application date, a
# role that may not edit, a closed dossier); the results in
# `infocheck`, `dossier show` and its JSON.
. "${top_srcdir:-.}/tests/lib.sh"

setup_township
clerk
at 2026-03-02
dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name 张三 --head-id 330102195001010014 || exit 1
NO=$(json_get dossier <"$OUT")
at 2026-03-16

# nothing recorded yet: every agency listed as such, an empty JSON array
dib 0 infocheck "$NO" && has "$OUT" "房产" && has "$OUT" "银行" && has "$OUT" "未录入"
dib 0 --json infocheck "$NO" && eq "$(tr -d ' \n' <"$OUT")" "[]" "no results yet"

# recorded: a Chinese term with today's date, an alias with a given date
dib 0 infocheck set "$NO" --agency 车辆 --result "无登记机动车" && has "$OUT" "车辆"
dib 0 infocheck set "$NO" --agency bank --result "存款合计3200元" --date 2026-03-10
dib 0 --json infocheck "$NO"
eq "$(grep -c '"agency"' "$OUT")" 2 "two results"
has "$OUT" '"agency": "vehicle"'
has "$OUT" '"result": "无登记机动车"'
has "$OUT" '"date": "2026-03-16"'
has "$OUT" '"date": "2026-03-10"'
has "$OUT" '"recorded_by": "clerk"'
dib 0 infocheck "$NO"
grep -F "车辆" "$OUT" | grep -F "2026-03-16" | grep -F "clerk" | grep -qF "无登记机动车" ||
    { echo "FAIL: the vehicle line of infocheck" >&2; FAILS=$((FAILS + 1)); }
grep -F "房产" "$OUT" | grep -qF "未录入" || { echo "FAIL: 房产 not marked unrecorded" >&2; FAILS=$((FAILS + 1)); }

# the same agency again: one result, the new one; the old one in the audit
dib 0 infocheck set "$NO" --agency vehicle --result "登记小型汽车1辆" --date 2026-03-12
dib 0 --json infocheck "$NO"
eq "$(grep -c '"agency"' "$OUT")" 2 "still two results after replacing"
eq "$(grep -c '"agency": "vehicle"' "$OUT")" 1 "one vehicle result"
has "$OUT" "登记小型汽车1辆"
hasnt "$OUT" "无登记机动车"
dib 0 --json audit --object "$NO"
eq "$(grep -c '"action": "infocheck.set"' "$OUT")" 3 "audit entries of infocheck.set"
has "$OUT" '\"replaced\":\"无登记机动车\"'
has "$OUT" '\"result\":\"登记小型汽车1辆\"'
has "$OUT" '\"agency\":\"vehicle\"'

# dossier show: text and JSON
dib 0 dossier show "$NO" && has "$OUT" "信息核对" && has "$OUT" "登记小型汽车1辆" && has "$OUT" "存款合计3200元"
hasnt "$OUT" "公积金"                                  # text: only the agencies recorded
dib 0 --json dossier show "$NO" && has "$OUT" '"info_checks"' && has "$OUT" '"agency": "bank"'

# refusals: exit 1, the field named in Chinese, nothing changed
dib 0 --json dossier show "$NO"
VERSION=$(json_get version <"$OUT")
dib 0 --json audit --object "$NO"
AUDIT=$(grep -c '"seq"' "$OUT")
dib 1 infocheck set "$NO" --agency 民政 --result x && has "$ERR" "核对部门" && has "$ERR" "房产(housing)"
dib 1 infocheck set "$NO" --agency tax --result "" && has "$ERR" "核对结果：不能为空"
dib 1 infocheck set "$NO" --agency tax --result "$(printf '未见%.0s' 1 2 3 4 5 6 7 8 9 10 11)" &&
    has "$ERR" "核对结果" && has "$ERR" "太长"
dib 1 infocheck set "$NO" --agency tax --result 未见异常 --date 2026-03-17 && has "$ERR" "核对日期：不能晚于今天"
dib 1 infocheck set "$NO" --agency tax --result 未见异常 --date 2026-02-30 && has "$ERR" "核对日期"
dib 1 infocheck set "$NO" --agency tax --result 未见异常 --date 2026/03/01 && has "$ERR" "核对日期"
dib 1 infocheck set "$NO" --agency tax --result 未见异常 --date 2026-03-01 && has "$ERR" "核对日期：不能早于申请日期"
dib 1 infocheck set 330102001-2026-09999 --agency tax --result 未见异常
dib 2 infocheck set "$NO" --agency tax
dib 2 infocheck set "$NO" --result 未见异常
# a role that may not edit: the inspector (and the reviewer) read only
as inspector secret-inspector
dib 1 infocheck set "$NO" --agency tax --result 未见异常 && has "$ERR" "不允许"
dib 0 infocheck "$NO" && has "$OUT" "登记小型汽车1辆"
as reviewer secret-reviewer
dib 1 infocheck set "$NO" --agency tax --result 未见异常 && has "$ERR" "不允许"
clerk
dib 0 --json dossier show "$NO"
eq "$(json_get version <"$OUT")" "$VERSION" "version after the refusals"
hasnt "$OUT" '"agency": "tax"'
dib 0 --json audit --object "$NO"
eq "$(grep -c '"seq"' "$OUT")" "$AUDIT" "audit entries after the refusals"

# a closed dossier takes no new results (apply again), as with incomes
dib 0 reject "$NO" --reason "申请人自愿撤回"
dib 1 infocheck set "$NO" --agency tax --result 未见异常 && has "$ERR" "已关闭"
dib 1 income add "$NO" --kind 工资性 --amount 100 && has "$ERR" "已关闭"

# the agencies and the commands in --help
dib 0 --help && has "$OUT" "infocheck set DOSSIER --agency AGENCY" && has "$OUT" "殡葬=funeral"
dib 0 infocheck set --help && has "$OUT" "--result TEXT"
finish
