/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * font-find.c — where the faces the forms need are, asked of fontconfig
 * at run time (never a path fixed when dibao was built): by family first,
 * then by the coverage of the characters the forms print.
 *
 *   Song      AR PL SungtiL GB  (fonts-arphic-gbsn00lp)  GB2312: body, tables, titles
 *   Kai       AR PL KaitiM GB   (fonts-arphic-gkai00mp)  GB2312: the hand-written parts
 *   fallback  AR PL UMing CN    (fonts-arphic-uming, uming.ttc index 0): rare name characters
 *
 * Every face must cover the 6,763 hanzi of GB2312 (the names and words of
 * the forms), the fallback also the rarer characters of its sample.
 * A candidate must be a TrueType font (libharu cannot load CFF outlines:
 * Noto/Source Han fail with 0x1060), must not be DroidSansFallback
 * (libharu drops glyph parts above index 32767), and must cover the
 * face's sample characters.  When the named family is absent, another
 * face of the same kind (a family name with 宋/Song/Sung/Ming, or 楷/Kai)
 * with that coverage will do; when none will, the message names the
 * Debian package to install.  See TECHNOTES, libharu.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iconv.h>

#include <fontconfig/fontconfig.h>

#include "print/print.h"
#include "core/base.h"

static const struct face_want {
	const char	*family;	/* the face we know prints well */
	const char	*package;	/* the Debian package that ships it */
	const char	*sample;	/* characters it must have (UTF-8) */
	const char	*kinds[6];	/* parts of another family's name of the same kind */
} want[PRINT_NFACES] = {
	[PRINT_SONG] = { "AR PL SungtiL GB", "fonts-arphic-gbsn00lp",
		"最低生活保障申请审核确认表乡镇街道村居委会户主姓名身份证号码家庭人口收入财产签字盖章年月日第页共",
		{ "Song", "Sung", "Ming", "宋", "明", NULL } },
	[PRINT_KAI] = { "AR PL KaitiM GB", "fonts-arphic-gkai00mp",
		"最低生活保障申请审核确认表乡镇街道村居委会户主姓名签字年月日",
		{ "Kai", "楷", NULL } },
	/* GB2312 lacks these; names are where they occur */
	[PRINT_FALLBACK] = { "AR PL UMing CN", "fonts-arphic-uming",
		"〇喆堃珺昇镕赟琇最低生活保障",
		{ "Ming", "Song", "Sung", "宋", "明", NULL } },
};

static struct {
	bool	 done;
	char	*path;
	int	 index;
} found[PRINT_NFACES];

static void find_err(struct print_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
find_err(struct print_error *err, const char *msgid, ...)
{
	va_list	ap;

	memset(err, 0, sizeof *err);
	err->msgid = msgid;
	va_start(ap, msgid);
	vsnprintf(err->text, sizeof err->text, msgid, ap);
	va_end(ap);
}

/* Add GB2312's hanzi (rows 16-87) to cs; 0, or -1 when out of memory.  A C
 * library without the GB2312 converter leaves the samples to decide. */
static int
add_gb2312(FcCharSet *cs)
{
	iconv_t		 cd;
	char		 in[2], *ip, *op;
	unsigned char	 out[8];
	size_t		 il, ol;
	int		 hi, lo, rc = 0;

	if ((cd = iconv_open("UCS-4LE", "GB2312")) == (iconv_t)-1)
		return 0;
	for (hi = 0xB0; hi <= 0xF7 && rc == 0; hi++) {
		for (lo = 0xA1; lo <= 0xFE; lo++) {
			in[0] = (char)hi;
			in[1] = (char)lo;
			ip = in;
			op = (char *)out;
			il = 2;
			ol = sizeof out;
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != sizeof out - 4) {
				iconv(cd, NULL, NULL, NULL, NULL);	/* an unassigned code */
				continue;
			}
			if (!FcCharSetAddChar(cs, (FcChar32)out[0] | (FcChar32)out[1] << 8 |
			    (FcChar32)out[2] << 16 | (FcChar32)out[3] << 24)) {
				rc = -1;
				break;
			}
		}
	}
	iconv_close(cd);
	return rc;
}

/* GB2312 and the sample's characters as a fontconfig charset; NULL when out
 * of memory. */
static FcCharSet *
sample_charset(const char *s)
{
	FcCharSet	*cs;
	FcChar32	 c;
	int		 len, n = (int)strlen(s);

	if ((cs = FcCharSetCreate()) == NULL)
		return NULL;
	if (add_gb2312(cs) != 0) {
		FcCharSetDestroy(cs);
		return NULL;
	}
	while (n > 0 && (len = FcUtf8ToUcs4((const FcChar8 *)s, &c, n)) > 0) {
		if (!FcCharSetAddChar(cs, c)) {
			FcCharSetDestroy(cs);
			return NULL;
		}
		s += len;
		n -= len;
	}
	return cs;
}

static bool
has_family(FcPattern *p, const char *family)
{
	FcChar8	*f;
	int	 i;

	for (i = 0; FcPatternGetString(p, FC_FAMILY, i, &f) == FcResultMatch; i++) {
		if (strcmp((const char *)f, family) == 0)
			return true;
	}
	return false;
}

static bool
of_kind(FcPattern *p, const char *const *kinds)
{
	FcChar8	*f;
	int	 i, k;

	for (i = 0; FcPatternGetString(p, FC_FAMILY, i, &f) == FcResultMatch; i++) {
		for (k = 0; kinds[k] != NULL; k++) {
			if (strstr((const char *)f, kinds[k]) != NULL)
				return true;
		}
	}
	return false;
}

/* Can libharu embed it, and does it have every sample character? */
static bool
usable(FcPattern *p, const FcCharSet *need)
{
	FcChar8		*format, *file;
	FcCharSet	*cs;

	if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch ||
	    strcmp((const char *)format, "TrueType") != 0)
		return false;
	if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
	    strstr((const char *)file, "DroidSansFallback") != NULL)
		return false;
	if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch)
		return false;
	return FcCharSetIsSubset(need, cs) == FcTrue;
}

/* Pass 0: the named family; pass 1: a face of the same kind. */
static FcPattern *
pick(FcFontSet *set, const struct face_want *w, const FcCharSet *need, int pass)
{
	int	i;

	for (i = 0; i < set->nfont; i++) {
		FcPattern *p = set->fonts[i];
		if (!usable(p, need))
			continue;
		if (pass == 0 ? has_family(p, w->family) : of_kind(p, w->kinds))
			return p;
	}
	return NULL;
}

int
print_font_find(enum print_face face, const char **path, int *index,
    struct print_error *err)
{
	const struct face_want	*w;
	FcObjectSet		*os = NULL;
	FcPattern		*pat = NULL, *p;
	FcFontSet		*set = NULL;
	FcCharSet		*need = NULL;
	FcChar8			*file;
	int			 pass, rc = -1;

	if (face < 0 || face >= PRINT_NFACES) {
		find_err(err, N_("no such font face"));
		return -1;
	}
	w = &want[face];
	if (found[face].done) {
		*path = found[face].path;
		*index = found[face].index;
		return 0;
	}
	if (!FcInit()) {
		find_err(err, N_("fontconfig cannot start: install the Debian package %s"), "fontconfig-config");
		return -1;
	}
	if ((need = sample_charset(w->sample)) == NULL ||
	    (pat = FcPatternCreate()) == NULL ||
	    (os = FcObjectSetBuild(FC_FAMILY, FC_FILE, FC_INDEX, FC_FONTFORMAT, FC_CHARSET,
		(char *)NULL)) == NULL) {
		find_err(err, N_("out of memory finding fonts"));
		goto out;
	}
	/* every installed font, then our choice among them */
	if ((set = FcFontList(NULL, pat, os)) == NULL) {
		find_err(err, N_("out of memory finding fonts"));
		goto out;
	}
	p = NULL;
	for (pass = 0; pass < 2 && p == NULL; pass++)
		p = pick(set, w, need, pass);
	if (p == NULL) {
		find_err(err, N_("no font for the printed forms (%s): install the Debian package %s"),
		    w->family, w->package);
		goto out;
	}
	if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
	    (found[face].path = strdup((const char *)file)) == NULL) {
		find_err(err, N_("out of memory finding fonts"));
		goto out;
	}
	if (FcPatternGetInteger(p, FC_INDEX, 0, &found[face].index) != FcResultMatch)
		found[face].index = 0;
	found[face].done = true;
	*path = found[face].path;
	*index = found[face].index;
	rc = 0;
out:
	if (set != NULL)
		FcFontSetDestroy(set);
	if (os != NULL)
		FcObjectSetDestroy(os);
	if (pat != NULL)
		FcPatternDestroy(pat);
	if (need != NULL)
		FcCharSetDestroy(need);
	return rc;
}

const char *
print_font_package(enum print_face face)
{
	return face >= 0 && face < PRINT_NFACES ? want[face].package : "";
}
