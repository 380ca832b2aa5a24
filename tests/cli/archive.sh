#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The monthly handover archive and the county's side (SPEC 9) through the
# real binary with faketime dates: a township approves two households in
# March's period (one with a kin filing, a scan and a printed approval
# form), exports the month as zip and tar.gz (Chinese names listed by unzip
# and bsdtar, every hash in the manifest matches sha256sum of the extracted
# file, the same manifest twice, the carried filing becomes 已报县), then
# April's archive chained to March's manifest.  A county database refuses a
# township database's role, imports in chain order only, refuses a
# tampered archive, a ../ entry, a symlink and a zip bomb whole, finds a person enrolled
# in two townships, and draws the visit sample reproducibly.
. "${top_srcdir:-.}/tests/lib.sh"

for t in unzip bsdtar sha256sum; do
	command -v $t >/dev/null || { echo "$t missing" >&2; exit 77; }
done
setup_township
DIBAO_NEW_PASSWORD=secret-clerk2 dib 0 user add clerk2 --role clerk --name 第二经办人
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

HEAD_A=330102195001010014
WIFE=330102195203150023
CADRE=330102197005050063
HEAD_B=330102196005050018

new_case() { # new_case HEAD_ID NAME -> $NO
	clerk
	dib 0 --json dossier new --area rural --village 青石村 --group 一组 --head-name "$2" --head-id "$1" || exit 1
	NO=$(json_get dossier <"$OUT")
}
# manifest_hashes MANIFEST: "sha256  path" lines as sha256sum -c reads them
manifest_hashes() {
	awk -F'"' '/"path":/ {p = $4} /"sha256":/ {print $4 "  " p}' "$1"
}

# ---- February: a household with a cadre's sister, one without
at 2026-02-27
clerk
dib 0 kin staff add --name 王强 --id "$CADRE" --kind 村（居）委会干部 --unit 青石村 --position 村委会委员
dib 0 kin relative add "$CADRE" --name 王芳 --id "$WIFE" --relation 兄弟姐妹
new_case $HEAD_A 张三; A=$NO
dib 0 member add "$A" --name 王芳 --id "$WIFE" --relation 配偶 --hiv
dib 0 income add "$A" --kind 养老金 --amount 300
dib 0 infocheck set "$A" --agency 社保 --result "领取城乡居民养老金"
printf '\377\330\377\340JFIF application scan' >"$TMP/scan.jpg"
mark "$A" SQS --signed --scan "$TMP/scan.jpg"
dib 0 --json kin file "$A" "$WIFE" --note "王芳系村委会委员王强之妹"
FILING=$(json_get number <"$OUT")
as reviewer secret-reviewer
dib 0 kin confirm "$FILING"
clerk
mark "$A" JQBA
NO=$A to_reviewed
new_case $HEAD_B 李四; B=$NO
dib 0 income add "$B" --kind 工资性 --amount 200
to_reviewed
clerk
dib 0 notice post --village 青石村 --date 2026-02-27

# ---- March's period (02-26 .. 03-25): approved, a form printed
at 2026-03-07
NO=$A approve
NO=$B approve
at 2026-03-10
clerk
dib 0 print approval --dossier "$A" -o "$TMP/approval.pdf"

# ---- not before the period's end
at 2026-03-20
as admin secret-admin
dib 1 export archive --month 2026-03 -o "$TMP/early.zip" && has "$ERR" "2026-03-25"

# ---- the export, after the cutoff
at 2026-03-27
dib 0 --json export archive --month 2026-03 -o "$TMP/m3.zip"
has "$OUT" '"top": "330102001-2026-03"'
dib 0 --json kin register && has "$OUT" '"status": "reported"'
dib 0 export archive --month 2026-03 -o "$TMP/m3.tar.gz" --format tar.gz
dib 0 export archive --month 2026-03 -o "$TMP/m3b.zip"
cmp -s "$TMP/m3.zip" "$TMP/m3b.zip" || bad "the zip exported twice differs"
dib 2 export archive --month 2026-03
dib 1 export archive --month 2026-03 -o "$TMP/x.7z" --format 7z

unzip -l "$TMP/m3.zip" >"$TMP/unzip.txt" 2>&1 || bad "unzip -l"
for n in 说明.txt 月报/动态管理月报.pdf 月报/动态管理月报.csv 花名册.xlsx 花名册.csv 备案名册.csv \
    举报线索台账.csv 整改台账.csv 审计日志.jsonl 审计链头.json manifest.json \
    "户档案/$A/档案记录.json" "户档案/$A/材料清单.csv" "户档案/$A/扫描件/SQS-1.jpg" \
    "户档案/$A/表单/DB-05-最低生活保障审核审批表.pdf" "户档案/$B/档案记录.json"; do
	has "$TMP/unzip.txt" "330102001-2026-03/$n"
done
bsdtar -tvf "$TMP/m3.zip" >"$TMP/tv1.txt" 2>&1 || bad "bsdtar -tvf zip"
bsdtar -tvf "$TMP/m3.tar.gz" >"$TMP/tv2.txt" 2>&1 || bad "bsdtar -tvf tar.gz"
has "$TMP/tv1.txt" "330102001-2026-03/户档案/$A/扫描件/SQS-1.jpg"
has "$TMP/tv2.txt" "330102001-2026-03/备案名册.csv"
# stored JPEG and PDF, deflated text
unzip -v "$TMP/m3.zip" >"$TMP/unzipv.txt" 2>&1
grep 'SQS-1.jpg' "$TMP/unzipv.txt" | grep -q Stored || bad "the JPEG is not stored"
grep '说明.txt' "$TMP/unzipv.txt" | grep -q Defl || bad "the README is not deflated"

# every hash checks out; the same content both ways; the same manifest twice
mkdir "$TMP/x1" "$TMP/x2"
bsdtar -xf "$TMP/m3.zip" -C "$TMP/x1" || bad "extract zip"
bsdtar -xf "$TMP/m3.tar.gz" -C "$TMP/x2" || bad "extract tar.gz"
M1="$TMP/x1/330102001-2026-03/manifest.json"
cmp -s "$M1" "$TMP/x2/330102001-2026-03/manifest.json" || bad "exporting twice gave different manifests"
manifest_hashes "$M1" >"$TMP/sums"
[ "$(wc -l <"$TMP/sums")" -ge 16 ] || bad "too few files in the manifest"
(cd "$TMP/x1" && sha256sum -c --quiet "$TMP/sums") || bad "sha256sum -c on the manifest's hashes"
has "$M1" '"previous": null'
has "$M1" '"month": "2026-03"'
has "$M1" '"exported": "2026-03-25T23:59:59"'
D="$TMP/x1/330102001-2026-03"
eq "$(head -c 3 "$D/备案名册.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "register CSV BOM"
has "$D/备案名册.csv" "已报县"
has "$D/说明.txt" "SHA-256"
# nothing confidential leaves: no HIV flag, no reporter, a masked account
hasnt "$D/户档案/$A/档案记录.json" '"hiv"'
hasnt "$D/户档案/$A/档案记录.json" '"confidential"'
has "$D/户档案/$A/档案记录.json" "$WIFE"
has "$D/户档案/$A/档案记录.json" '"info_checks"'
has "$D/户档案/$A/档案记录.json" "领取城乡居民养老金"
cmp -s "$D/户档案/$A/扫描件/SQS-1.jpg" "$TMP/scan.jpg" || bad "the scan differs"
has "$D/审计日志.jsonl" '"action":"case.advance"'

# ---- April: a clue, then the next archive chained to March's
at 2026-04-10
clerk
dib 0 clue add --channel 电话 --content 反映某户收入不实 --reporter 举报人王五 --dossier "$B"
at 2026-04-27
as admin secret-admin
dib 0 export archive --month 2026-04 -o "$TMP/m4.zip"
mkdir "$TMP/x4"
bsdtar -xf "$TMP/m4.zip" -C "$TMP/x4"
M4="$TMP/x4/330102001-2026-04/manifest.json"
eq "$(sed -n 's/.*"previous": "\([0-9a-f]*\)".*/\1/p' "$M4")" "$(sha256sum "$M1" | cut -d' ' -f1)" "April's previous"
has "$TMP/x4/330102001-2026-04/举报线索台账.csv" "反映某户收入不实"
hasnt "$TMP/x4/330102001-2026-04/举报线索台账.csv" "王五"
hasnt "$TMP/x4/330102001-2026-04/审计日志.jsonl" "王五"
# a month without an archive does not break the chain: June follows April
at 2026-06-26
dib 0 export archive --month 2026-06 -o "$TMP/m6.zip"
mkdir "$TMP/x6"
bsdtar -xf "$TMP/m6.zip" -C "$TMP/x6"
eq "$(sed -n 's/.*"previous": "\([0-9a-f]*\)".*/\1/p' "$TMP/x6/330102001-2026-06/manifest.json")" \
    "$(sha256sum "$M4" | cut -d' ' -f1)" "June's previous is April's manifest"
at 2026-04-27

# ---- a second township enrolling 李四 too
T2="$TMP/t2"
at 2026-03-27
as admin secret-admin
dib 0 --data "$T2" init --township-code 330102002 --township-name 白沙镇 --admin admin
dib 0 --data "$T2" standard set --area rural --from 2026-01 --amount 650
dib 0 --data "$T2" village add 白沙村
DIBAO_NEW_PASSWORD=secret-clerk dib 0 --data "$T2" user add clerk --role clerk --name 白沙经办人
clerk
dib 0 --data "$T2" --json dossier new --area rural --village 白沙村 --head-name 李四 --head-id $HEAD_B
as admin secret-admin
dib 0 --data "$T2" export archive --month 2026-03 -o "$TMP/t2m3.zip"

# ---- the county
C="$TMP/county"
at 2026-04-28
as cadmin secret-admin
dib 0 --data "$C" init --county-code 330102 --county-name 西湖区 --admin cadmin
as admin secret-admin
dib 1 import archive "$TMP/m3.zip" && has "$ERR" "county"      # a township database
as cadmin secret-admin
dib 1 --data "$C" import archive "$TMP/m4.zip" && has "$ERR" "330102001"   # April before March
# tampered: one byte of a file changed, repacked
cp -r "$TMP/x1" "$TMP/xt"
sed -i 's/青石镇/青石乡/' "$TMP/xt/330102001-2026-03/说明.txt"
bsdtar -czf "$TMP/tampered.tar.gz" -C "$TMP/xt" 330102001-2026-03
dib 1 --data "$C" import archive "$TMP/tampered.tar.gz" && has "$ERR" "说明.txt"
# a ../ entry; a symlink
echo evil >"$TMP/evil"
(cd "$TMP/x1" && bsdtar -czPf "$TMP/evil.tar.gz" 330102001-2026-03 ../evil)
dib 1 --data "$C" import archive "$TMP/evil.tar.gz" && has "$ERR" "../evil"
cp -r "$TMP/x1" "$TMP/xs"
ln -s /etc/passwd "$TMP/xs/330102001-2026-03/link"
bsdtar -czf "$TMP/symlink.tar.gz" -C "$TMP/xs" 330102001-2026-03
dib 1 --data "$C" import archive "$TMP/symlink.tar.gz" && has "$ERR" "link"
# a bomb: 64 MB of zeros in a few kilobytes
mkdir -p "$TMP/xb/330102001-2026-03"
cp "$M1" "$TMP/xb/330102001-2026-03/"
head -c 67108864 /dev/zero >"$TMP/xb/330102001-2026-03/说明.txt"
bsdtar -czf "$TMP/bomb.tar.gz" -C "$TMP/xb" 330102001-2026-03
rm -rf "$TMP/xb"
dib 1 --data "$C" import archive "$TMP/bomb.tar.gz" && has "$ERR" "压缩炸弹"
dib 1 --data "$C" import archive "$TMP/scan.jpg"
# an otherwise consistent archive whose roster has an ID number of the wrong
# length (the manifest rehashed): refused, naming the roster's line and the
# number (the message was once formatted from the freed sheet: garbage, line 0)
cp -r "$TMP/x1" "$TMP/xr"
RR="$TMP/xr/330102001-2026-03/花名册.csv"
grep -q "$HEAD_B" "$RR" || bad "the roster lacks $HEAD_B"
BADLINE=$(grep -n "$HEAD_B" "$RR" | head -1 | cut -d: -f1)
sed -i "s/$HEAD_B/3301021960050500/" "$RR"
RSHA=$(sha256sum "$RR" | cut -d' ' -f1)
RSIZE=$(wc -c <"$RR" | tr -d ' ')
awk -v sha="$RSHA" -v size="$RSIZE" '
	/"path":/ { hit = index($0, "/花名册.csv\"") > 0 }
	hit && /"sha256":/ { sub(/"sha256": "[0-9a-f]*"/, "\"sha256\": \"" sha "\"") }
	hit && /"size":/ { sub(/"size": [0-9]*/, "\"size\": " size) }
	{ print }' "$M1" >"$TMP/xr/330102001-2026-03/manifest.json"
bsdtar -czf "$TMP/badid.tar.gz" -C "$TMP/xr" 330102001-2026-03
dib 1 --data "$C" import archive "$TMP/badid.tar.gz"
has "$ERR" "花名册.csv"
has "$ERR" "3301021960050500"
has "$ERR" "第 $BADLINE 行"
hasnt "$ERR" "第 0 行"
dib 1 --data "$C" export archive --month 2026-03 -o "$TMP/county.zip"
dib 0 --data "$C" --json county list && eq "$(cat "$OUT")" "[]" "nothing imported after the refusals"
# in order: accepted
dib 0 --data "$C" --json import archive "$TMP/m3.tar.gz" && has "$OUT" '"period": "2026-03"'
dib 1 --data "$C" import archive "$TMP/m3.zip" && has "$ERR" "2026-03"       # already imported
dib 0 --data "$C" import archive "$TMP/m4.zip"
dib 0 --data "$C" import archive "$TMP/m6.zip"
dib 0 --data "$C" --json county duplicates && eq "$(cat "$OUT")" "[]" "no duplicates yet"
dib 0 --data "$C" import archive "$TMP/t2m3.zip"
dib 0 --data "$C" --json county list && eq "$(grep -o '"period"' "$OUT" | wc -l)" "4" "archives imported (March, April, June of one township, March of another)"
dib 0 --data "$C" --json county duplicates --reveal
has "$OUT" "$HEAD_B"
has "$OUT" '"township": "330102002"'
hasnt "$OUT" "$HEAD_A"
dib 0 --data "$C" county duplicates --reveal && has "$OUT" "$HEAD_B"
# without --reveal the number is masked (SPEC 11, issue 12)
dib 0 --data "$C" county duplicates && hasnt "$OUT" "$HEAD_B" \
	&& has "$OUT" "$(echo "$HEAD_B" | sed 's/^\(......\)........\(....\)$/\1********\2/')"

# ---- the visit sample: every kin case, at least 30% of the new ones
dib 0 --data "$C" --json county sample --period 2026-03 --seed 2026 --pdf "$TMP/visit.pdf" --csv "$TMP/visit.csv"
cp "$OUT" "$TMP/s1.json"
has "$OUT" '"new": 2'
has "$OUT" '"kin": 1'
has "$OUT" "\"dossier\": \"$A\""
has "$OUT" '"drawn": 1'
has "$OUT" "\"dossier\": \"$B\""
has "$TMP/visit.csv" "近亲属备案（必访）"
eq "$(head -c 3 "$TMP/visit.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "visit CSV BOM"
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$TMP/visit.pdf" "$TMP/visit.txt" 2>/dev/null
	has "$TMP/visit.txt" "走访情况"
	has "$TMP/visit.txt" "$A"
fi
dib 0 --data "$C" --json county sample --period 2026-03 --seed 2026
cmp -s "$OUT" "$TMP/s1.json" || bad "the same seed drew a different sample"
dib 0 --data "$C" --json county sample --period 2026-03
has "$OUT" "\"dossier\": \"$A\""
dib 1 --data "$C" county sample --period 2025-01
dib 0 --data "$C" audit
has "$OUT" "county.sample"
has "$OUT" "county.import"
finish
