#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# pdf.sh — run print-demo and check its PDFs as a reader's tools see them:
# structurally valid (qpdf), every font embedded (pdffonts), the title, a
# rare-character name and the page footer extractable (pdftotext), and a
# one-page form small enough to mail (< 150 KB).  77 = skip.
for t in qpdf pdffonts pdftotext; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not installed (poppler-utils, qpdf)"; exit 77; }
done
demo=${abs_top_builddir:-.}/print-demo
[ -x "$demo" ] || { echo "FAIL: $demo not built"; exit 1; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

"$demo" "$dir/two.pdf" || no "print-demo failed"
"$demo" --one-page "$dir/one.pdf" || no "print-demo --one-page failed"
"$demo" --copy "$dir/copy.pdf" || no "print-demo --copy failed"

for f in two one copy; do
	qpdf --check "$dir/$f.pdf" >"$dir/$f.qpdf" 2>&1 || no "qpdf --check $f.pdf: $(tail -3 "$dir/$f.qpdf")"
	pdffonts "$dir/$f.pdf" 2>/dev/null >"$dir/$f.fonts"
	# columns: name type encoding emb sub uni object ID; a line per font after the rule
	nfonts=$(sed '1,2d' "$dir/$f.fonts" | wc -l)
	[ "$nfonts" -ge 1 ] || no "$f.pdf lists no fonts"
	sed '1,2d' "$dir/$f.fonts" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit bad }' ||
		no "$f.pdf has a font not embedded: $(cat "$dir/$f.fonts")"
done

pdftotext "$dir/two.pdf" "$dir/two.txt" 2>/dev/null
grep -q '最低生活保障审核审批表' "$dir/two.txt" || no "title not in text"
grep -q '王喆' "$dir/two.txt" || no "rare-character name 王喆 not in text"
grep -q '第 1 页 共 2 页' "$dir/two.txt" || no "footer 第 1 页 共 2 页 not in text"
grep -q '第 2 页 共 2 页' "$dir/two.txt" || no "footer 第 2 页 共 2 页 not in text"
[ "$(grep -c '身份证号码' "$dir/two.txt")" -ge 2 ] || no "table header not repeated on page 2"
grep -q 'UMing' "$dir/two.fonts" || no "two.pdf should embed the fallback font"

# the faces are found at run time through fontconfig: with no font it can
# see, the message names the Debian package to install (and no PDF is left)
cat >"$dir/fonts.conf" <<'EOF2'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>CACHE</cachedir></fontconfig>
EOF2
sed -i "s|CACHE|$dir/fc-cache|" "$dir/fonts.conf"
if FONTCONFIG_FILE="$dir/fonts.conf" "$demo" "$dir/nofont.pdf" 2>"$dir/nofont.err"; then
	no "print-demo without fonts succeeded"
fi
grep -q 'install the Debian package fonts-arphic-gbsn00lp' "$dir/nofont.err" ||
	no "missing Song face not named with its package: $(cat "$dir/nofont.err")"
[ ! -e "$dir/nofont.pdf" ] || no "print-demo without fonts left a PDF"
# only AR PL UMing visible: a Ming face with GB2312 stands in for the Song
# one, but nothing is a Kai face, and its package is named
uming=$(fc-list -f '%{file}\n' ':family=AR PL UMing CN' 2>/dev/null | head -1)
if [ -n "$uming" ]; then
	sed "s|<cachedir>|<dir>$(dirname "$uming")</dir><cachedir>|" "$dir/fonts.conf" >"$dir/uming.conf"
	if FONTCONFIG_FILE="$dir/uming.conf" "$demo" "$dir/uming.pdf" 2>"$dir/uming.err"; then
		no "print-demo without a Kai face succeeded"
	fi
	grep -q 'AR PL KaitiM GB.*fonts-arphic-gkai00mp' "$dir/uming.err" ||
		no "missing Kai face not named with its package: $(cat "$dir/uming.err")"
fi

pdftotext "$dir/one.pdf" "$dir/one.txt" 2>/dev/null
grep -q '第 1 页 共 1 页' "$dir/one.txt" || no "one-page form is not one page"
grep -q 'UMing' "$dir/one.fonts" && no "one-page form embeds the fallback font it does not need"
size=$(stat -c %s "$dir/one.pdf")
echo "one-page: $size bytes, two-page: $(stat -c %s "$dir/two.pdf") bytes"
[ "$size" -lt 153600 ] || no "one-page form is $size bytes (limit 150 KB)"

exit $fail
