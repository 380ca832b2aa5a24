#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The roster import's sorts across rows in many runs (issue 17): the rows
# go to a scratch file, and the checks across rows (the same person twice,
# the households) and the writing read them through sorts whose runs are
# merged once (store/spill.c).  DIBAO_SPILL_RUN makes each run a
# few records, so that a file of a few hundred rows is merged from a
# hundred runs: the report (its order, the first 100 named), the dossiers
# (numbered in the sheet's order of heads, each head first and then the
# sheet's order) and the new village's groups must be what they are with
# one run, and what is worked out by hand below; and the writing in
# batches, when one transaction is too big, must read each batch's
# households again from the merge's mark.
. "${top_srcdir:-.}/tests/lib.sh"

# valid ID numbers of 1970-01-DD (DD from 01), NNN from $1, $2 of them: each
# 17-digit prefix with every check character, the valid one kept by the
# program's own check
ids() {
	# shellcheck disable=SC2046
	"$DIBAO" id check $(awk -v from="$1" -v n="$2" 'BEGIN {
		for (i = from; i < from + n; i++)
			for (k = 0; k < 11; k++)
				printf "3301021970%02d%02d%03d%s\n", 1 + int(i / 28 / 999) % 12, 1 + int(i / 999) % 28, 1 + i % 999,
				    k < 10 ? k : "X"
	}') | awk '$2 == "有效" { print $1 }'
}
ids 1 3000 >"$TMP/ids"
eq "$(wc -l <"$TMP/ids")" 3000 "valid ID numbers made"
id() { sed -n "${1}p" "$TMP/ids"; }

setup_township
HDR='姓名,身份证号,与户主关系,户主身份证号,村/社区,组,城乡类别,月保障金额（元）,持卡人身份证号,开户银行,银行账号'

# ---- a valid roster: 40 households of 3, the heads in the sheet from the
# last ID number to the first, each household's spouse and child far below
# its head (the child first); a new village, 河西村, whose heads name
# 三组, 一组, 三组, 二组 in turn
V="$TMP/valid.csv"
{
	echo "$HDR"
	for h in $(seq 40 -1 1); do
		case $((h % 4)) in 0) g=三组 ;; 3) g=一组 ;; 2) g=三组 ;; 1) g=二组 ;; esac
		echo "户主$h,$(id "$h"),本人,,河西村,$g,农村,$((600 + h)),,,"
	done
	for h in $(seq 1 40); do echo "子$h,$(id $((200 + h))),子,$(id "$h"),,,,,,,"; done
	for h in $(seq 1 40); do echo "配偶$h,$(id $((100 + h))),配偶,$(id "$h"),,,,,,,"; done
} >"$V"
# a run of 2 records: the 120 rows' keys in 60 runs
DIBAO_SPILL_RUN=2 dib 0 import roster "$V"
has "$OUT" "40 户，120 人"
has "$OUT" "330102001-2026-00001 至 330102001-2026-00040"
# 40 + 39 + ... + 1 yuan over 600 a household: 24,000 + 820
has "$OUT" "24820.00 元"
dib 0 village list && has "$OUT" "三组,一组,二组"
# the first dossier is the sheet's first head, 户主40; its members the head,
# then the child (above the spouse in the sheet)
dib 0 --json dossier show 330102001-2026-00001 --reveal
tr -d ' \n' <"$OUT" | grep -o '"name":"[^"]*"' | head -3 | tr '\n' ' ' >"$TMP/names"
eq "$(cat "$TMP/names")" '"name":"户主40" "name":"子40" "name":"配偶40" ' "the first dossier's members in order"
dib 0 --json dossier show 330102001-2026-00040 --reveal && has "$OUT" "户主1"
dib 0 export roster -o "$TMP/spilled.csv"
# the same roster in one run gives the same dossiers
mv "$DIBAO_DATA" "$TMP/spilled-data"
setup_township
dib 0 import roster "$V"
dib 0 export roster -o "$TMP/one.csv"
cmp "$TMP/spilled.csv" "$TMP/one.csv" ||
    { echo "FAIL: the roster imported in many runs differs from one run" >&2; FAILS=$((FAILS + 1)); }

# ---- a roster with a problem of every kind across rows, in the database
# of the valid one (every one of its 120 persons is in an active dossier).
#   rows 2-3:   W (id 301..) twice: the same person, named on row 3
#   row 4:      a head whose household has no other row, group 九组 unknown
#   rows 5-6:   two heads (本人) of the household of id(260)
#   rows 7-8:   members of id(270), who has no row of his own (no head)
#   row 9:      the head of id(280), the holder id(281) not a member
#   rows 10-130: the head id(299), then the 120 persons already in active
#               dossiers: more than 32 members, and 120 R7s
B="$TMP/bad.csv"
{
	echo "$HDR"
	echo "甲,$(id 250),本人,,青石村,一组,农村,650,,,"
	echo "甲二,$(id 250),子,$(id 250),,,,,,,"
	echo "乙,$(id 255),本人,,青石村,九组,农村,650,,,"
	echo "丙,$(id 260),本人,,青石村,一组,农村,650,,,"
	echo "丙二,$(id 261),本人,$(id 260),青石村,一组,农村,650,,,"
	echo "丁一,$(id 271),子,$(id 270),,,,,,,"
	echo "丁二,$(id 272),女,$(id 270),,,,,,,"
	echo "戊,$(id 280),本人,,青石村,一组,农村,650,$(id 281),农商行,6230000000000001"
	echo "己,$(id 299),本人,,青石村,一组,农村,650,,,"
	for i in $(seq 1 120); do
		echo "庚$i,$(id $((i <= 40 ? i : i <= 80 ? i + 60 : i + 120))),其他,$(id 299),,,,,,,"
	done
} >"$B"
# The report, worked out: row 6 (丙二) gives the head's row another ID
# (a row's own check, as it is read); then the same person twice (row 3);
# then the households by their head's ID number: id(250) (rows 2, 3: fine),
# id(255) (row 4: 九组), id(260) (row 6: a second head), id(270) (row 7:
# no head), id(280) (row 9: the holder), id(299) (row 10 + 32 = row 42: too
# many members, then the 120 R7s from row 11 on, of which 93 are named)
dib 1 import roster "$B" --dry-run
cp "$ERR" "$TMP/one-run.err"
DIBAO_SPILL_RUN=3 dib 1 import roster "$B" --dry-run
cmp "$TMP/one-run.err" "$ERR" ||
    { echo "FAIL: the report in many runs differs from one run" >&2; diff "$TMP/one-run.err" "$ERR" >&2; FAILS=$((FAILS + 1)); }
sed -n 's/^dibao: 第 *\([0-9]*\) *行.*/\1/p' "$ERR" | head -6 | tr '\n' ' ' >"$TMP/rows"
eq "$(cat "$TMP/rows")" "6 3 4 6 7 9 " "the rows of the first problems, in order"
sed -n 's/^dibao: 第 *\([0-9]*\) *行.*/\1/p' "$ERR" | sed -n '7,8p;100p' | tr '\n' ' ' >"$TMP/rows"
eq "$(cat "$TMP/rows")" "42 11 103 " "the big household's problems"
eq "$(grep -c '^dibao: 第 *[0-9]* *行' "$ERR")" 100 "problems named"
# 6 + 1 + 120: 127 in all, 27 of them counted only
has "$ERR" "另有 27 个问题"
has "$ERR" "127"
has "$ERR" "R7：$(id 1) 已是在办户档案 330102001-2026-00040 的成员"

# ---- the writing in batches, read again from the merge's mark: 2,700
# households of one person do not fit a lock table of 450 locks in one
# transaction (700 were too few; a batch of 500 needs under 300), so that
# transaction is rolled back whole and they go in 6 batches of 500, the
# first reading its households again from the start, each next one from
# where the last ended (spill_mark, spill_rewind); in runs of 5 records,
# the same dossiers as in one transaction
L="$TMP/batches.csv"
{
	echo "$HDR"
	sed -n '301,3000p' "$TMP/ids" | awk '{ printf "单%d,%s,本人,,东岭社区,二组,城市,800,,,\n", NR + 300, $1 }'
} >"$L"
mv "$DIBAO_DATA" "$TMP/one-data"
setup_township
printf 'set_lk_max_locks 450\nset_lk_max_objects 450\n' >"$DIBAO_DATA/DB_CONFIG"
DIBAO_SPILL_RUN=5 dib 0 --json import roster "$L"
rm "$DIBAO_DATA/DB_CONFIG"
has "$OUT" '"transactions": 6'
has "$OUT" '"last": "330102001-2026-02700"'
dib 0 export roster -o "$TMP/batches.out.csv"
# the indexes, put in after the batches (store/bulk-index.c), complete
dib 0 check
has "$OUT" "未发现问题"
mv "$DIBAO_DATA" "$TMP/batches-data"
setup_township
dib 0 --json import roster "$L" && has "$OUT" '"transactions": 1'
dib 0 export roster -o "$TMP/whole.out.csv"
# and put in by the one transaction itself
dib 0 check
has "$OUT" "未发现问题"
cmp "$TMP/batches.out.csv" "$TMP/whole.out.csv" ||
    { echo "FAIL: the roster written in batches differs from one transaction" >&2; FAILS=$((FAILS + 1)); }
eq "$(($(wc -l <"$TMP/whole.out.csv") - 1))" 2700 "rows exported"
finish
