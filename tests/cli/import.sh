#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Roster import and export, and scans, through the real binary: a CSV in
# UTF-8 with a BOM and the same in GBK, an XLSX made by `export roster`
# from a demo township and imported into a fresh one, a file of bad rows
# that imports nothing and names row, column and reason, --dry-run, the
# villages a file adds; scans attached by name, assigned by hand, refused
# when not really an image, and the source files left as they were.
. "${top_srcdir:-.}/tests/lib.sh"

HEAD=330102195001010014
WIFE=330102195203150023
SON=330102198006070036
H2=330102194511110053
H3=330102196001010019
setup_township

printf '\357\273\277' >"$TMP/ok.csv"
cat >>"$TMP/ok.csv" <<CSV
某镇低保花名册（2026年3月）
姓名,身份证号,与户主关系,户主身份证号,村/社区,组,城乡类别,月保障金额（元）,开户银行,银行账号
张三,$HEAD,本人,,青石村,二组,农村,1300.50,农商行,6230000000000001
李梅,$WIFE,配偶,$HEAD,,,,,,
张小,$SON,子,$HEAD,,,,,,
王五,$H2,户主,$H2,"新建村",一组,农村,650,,
CSV

# ---- --dry-run writes nothing, and says what it would add
dib 0 import roster "$TMP/ok.csv" --dry-run && has "$OUT" "新建村"
dib 0 --json dossier list && eq "$(grep -c '"dossier"' "$OUT")" 0 "dossiers after --dry-run"
dib 0 import roster "$TMP/ok.csv" && has "$OUT" "2" && has "$OUT" "新建村"
dib 0 village list && has "$OUT" "新建村"
dib 0 --json dossier list && eq "$(grep -c '"dossier"' "$OUT")" 2 "dossiers imported"
dib 0 --json dossier show 330102001-2026-00001 --reveal
has "$OUT" '"status": "APPROVED"'
has "$OUT" '"total": 130050'
has "$OUT" "$SON"
dib 0 --json audit && has "$OUT" "import.roster"

# ---- the same again: every person is now in an active dossier (R7)
dib 1 import roster "$TMP/ok.csv" && has "$ERR" "R7" && has "$ERR" "第3行"

# ---- GBK
as admin secret-admin
rm -rf "$DIBAO_DATA"
setup_township
tail -c +4 "$TMP/ok.csv" | iconv -f UTF-8 -t GBK >"$TMP/gbk.csv"
dib 0 import roster "$TMP/gbk.csv" && has "$OUT" "GB18030"
dib 0 --json dossier show 330102001-2026-00002 && has "$OUT" "王五"

# ---- bad rows: nothing imported, each problem by row and column
rm -rf "$DIBAO_DATA"
setup_township
cat >"$TMP/bad.csv" <<CSV
姓名,身份证号,与户主关系,户主身份证号,村/社区,组,城乡类别,月保障金额(元)
甲,330102195001010015,本人,,青石村,一组,农村,650
乙,$HEAD,本人,,青石村,一组,农村,650.125
丙,$WIFE,舅舅,$HEAD,,,,
丁,$SON,本人,$HEAD,,,,
戊,$H3,本人,,青石村,一组,农村,650
CSV
as clerk secret-clerk
dib 0 dossier new --area rural --village 青石村 --head-name 已有 --head-id "$H3"
as admin secret-admin
dib 1 import roster "$TMP/bad.csv"
has "$ERR" "第2行，身份证号"       # bad check digit
has "$ERR" "第3行，月保障金额(元)"  # three decimals
has "$ERR" "第4行，与户主关系"     # unknown relation
has "$ERR" "舅舅"
has "$ERR" "第5行，与户主关系：一户只能有一个户主"   # a second head
has "$ERR" "第6行，身份证号"       # R7 against the database
has "$ERR" "330102001-2026-00001"
has "$ERR" "没有导入"
dib 0 --json dossier list && eq "$(grep -c '"dossier"' "$OUT")" 1 "dossiers after a refused import"

# ---- export → XLSX → import into a fresh database: same households
rm -rf "$DIBAO_DATA"
setup_township
dib 0 demo --households 40
dib 0 export roster -o "$TMP/r.xlsx" && has "$OUT" "r.xlsx"
dib 0 export roster -o "$TMP/r.csv"
dib 2 export roster -o "$TMP/r.txt"
dib 0 --json dossier list --limit 1000
grep -E '"(head_name|village|status|total)"' "$OUT" | paste - - - - | grep -v -e REJECTED -e EXITED | sort >"$TMP/before"
rm -rf "$DIBAO_DATA"
dib 0 init --township-code 330102001 --township-name 青石镇 --admin admin
dib 0 import roster "$TMP/r.xlsx" && has "$OUT" "XLSX"
dib 0 --json dossier list --limit 1000
grep -E '"(head_name|village|status|total)"' "$OUT" | paste - - - - | sort >"$TMP/after"
if ! cmp -s "$TMP/before" "$TMP/after"; then
	echo "FAIL: households differ after export → import" >&2
	diff "$TMP/before" "$TMP/after" | head >&2
	FAILS=$((FAILS + 1))
fi
dib 0 export roster -o "$TMP/r2.csv"
cut -d, -f3- "$TMP/r.csv" | sort >"$TMP/r.rows"
cut -d, -f3- "$TMP/r2.csv" | sort >"$TMP/r2.rows"
if ! cmp -s "$TMP/r.rows" "$TMP/r2.rows"; then
	echo "FAIL: the roster differs after a round trip" >&2
	diff "$TMP/r.rows" "$TMP/r2.rows" | head >&2
	FAILS=$((FAILS + 1))
fi

# ---- scans
rm -rf "$DIBAO_DATA"
setup_township
as clerk secret-clerk
dib 0 --json dossier new --area rural --village 青石村 --head-name 张三 --head-id "$HEAD"
NO=$(json_get dossier <"$OUT")
mkdir "$TMP/scans"
printf '\377\330\377\340JFIF scan one' >"$TMP/scans/${NO}_SQS.jpg"
printf '%%PDF-1.4 scan two' >"$TMP/scans/${NO}_sfz_front.pdf"
printf '\211PNG\r\n\032\n a photo' >"$TMP/scans/IMG_0001.png"
printf 'just text, not a picture' >"$TMP/scans/${NO}_HKB.jpg"
printf 'notes' >"$TMP/scans/readme.txt"
(cd "$TMP/scans" && sha256sum * >"$TMP/sums")
dib 1 import scans "$TMP/scans"
has "$OUT" "IMG_0001.png"
has "$OUT" "${NO}_HKB.jpg"
has "$OUT" "2"
(cd "$TMP/scans" && sha256sum -c --quiet "$TMP/sums") || { echo "FAIL: source files changed" >&2; FAILS=$((FAILS + 1)); }
dib 0 --json checklist "$NO"
eq "$(tr -d ' \n' <"$OUT" | grep -o '"code":"SQS"[^}]*' | grep -c '"scans":\["[0-9a-f]\{64\}"')" 1 "SQS scanned"
eq "$(tr -d ' \n' <"$OUT" | grep -o '"code":"SFZ"[^}]*' | grep -c '"scans":\["[0-9a-f]\{64\}"')" 1 "SFZ scanned"
dib 0 import scans --assign "$TMP/scans/IMG_0001.png" "$NO" HKB
dib 0 --json checklist "$NO"
eq "$(tr -d ' \n' <"$OUT" | grep -o '"code":"HKB"[^}]*' | grep -c '"scans":\["[0-9a-f]\{64\}"')" 1 "HKB assigned"
dib 1 import scans --assign "$TMP/scans/${NO}_HKB.jpg" "$NO" HKB
dib 0 check
finish
