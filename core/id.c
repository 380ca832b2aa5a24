/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * id.c — resident ID numbers (居民身份证号码, GB 11643-1999): normalising
 * what was typed or imported, validating region, birth date and the
 * ISO 7064 MOD 11-2 check character, masking for lists, province names.
 */
#include "core/date.h"
#include "core/idno.h"
#include "core/base.h"

#include <string.h>

struct province {
	int code;
	const char *name;
};

/* The province-level codes of GB/T 2260 that appear in ID numbers. */
static const struct province provinces[] = {
	{11, "北京市"}, {12, "天津市"}, {13, "河北省"}, {14, "山西省"},
	{15, "内蒙古自治区"}, {21, "辽宁省"}, {22, "吉林省"}, {23, "黑龙江省"},
	{31, "上海市"}, {32, "江苏省"}, {33, "浙江省"}, {34, "安徽省"},
	{35, "福建省"}, {36, "江西省"}, {37, "山东省"}, {41, "河南省"},
	{42, "湖北省"}, {43, "湖南省"}, {44, "广东省"}, {45, "广西壮族自治区"},
	{46, "海南省"}, {50, "重庆市"}, {51, "四川省"}, {52, "贵州省"},
	{53, "云南省"}, {54, "西藏自治区"}, {61, "陕西省"}, {62, "甘肃省"},
	{63, "青海省"}, {64, "宁夏回族自治区"}, {65, "新疆维吾尔自治区"},
	{71, "台湾省"}, {81, "香港特别行政区"}, {82, "澳门特别行政区"},
};

const char *
id_province(const char *region)
{
	int code;

	if (region == NULL || region[0] < '0' || region[0] > '9' ||
	    region[1] < '0' || region[1] > '9')
		return NULL;
	code = (region[0] - '0') * 10 + (region[1] - '0');
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (provinces[i].code == code)
			return provinces[i].name;
	return NULL;
}

char
id_check_char(const char digits17[17])
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * weights[i];
	return map[sum % 11];
}

/* Blanks around a pasted number: ASCII whitespace and U+3000. */
static size_t
blank_len(const unsigned char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static bool
blank_before(const unsigned char *start, const unsigned char *end, size_t *k)
{
	if (end - start >= 1 && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n')) {
		*k = 1;
		return true;
	}
	if (end - start >= 3 && end[-3] == 0xe3 && end[-2] == 0x80 && end[-1] == 0x80) {
		*k = 3;
		return true;
	}
	return false;
}

/*
 * Map the trimmed input to ASCII, one output character per input
 * character: full-width digits (EF BC 90..99) to digits, x Ｘ ｘ to X.
 * Anything else becomes '?', so the length is counted in characters and
 * the character check below refuses it.  Returns the number of
 * characters, stopping counting at max + 1.
 */
static size_t
id_normalise(const char *in, char *out, size_t max)
{
	const unsigned char *s = (const unsigned char *)in;
	const unsigned char *end = s + strlen(in);
	size_t n = 0, k;
	char c;

	while (s < end && (k = blank_len(s)) != 0)
		s += k;
	while (blank_before(s, end, &k))
		end -= k;
	while (s < end && n <= max) {
		if (*s >= '0' && *s <= '9') {
			c = (char)*s++;
		} else if (*s == 'x' || *s == 'X') {
			s++;
			c = 'X';
		} else if (end - s >= 3 && s[0] == 0xef && s[1] == 0xbc &&
		    s[2] >= 0x90 && s[2] <= 0x99) {
			c = (char)('0' + (s[2] - 0x90));
			s += 3;
		} else if (end - s >= 3 && s[0] == 0xef &&
		    ((s[1] == 0xbc && s[2] == 0xb8) || (s[1] == 0xbd && s[2] == 0x98))) {
			c = 'X';
			s += 3;
		} else {
			s++;
			while (s < end && (*s & 0xc0) == 0x80)
				s++;
			c = '?';
		}
		if (n < max)
			out[n] = c;
		n++;
	}
	if (n <= max)
		out[n] = '\0';
	return n;
}

static int
num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * Region: a real province, and a code below it that names an area.  The
 * county pair may be 00 only for a prefecture-level code (early numbers
 * were issued so); a county under prefecture 00 does not exist, nor does
 * a bare province code, except for Taiwan, Hong Kong and Macao whose
 * numbers carry just 710000, 810000, 820000.
 */
static const char *
id_check_region(const char *id)
{
	int prov = num(id, 2), pref = num(id + 2, 2);

	if (id_province(id) == NULL)
		return N_("ID number: the region code is not a valid province");
	if (prov == 71 || prov == 81 || prov == 82)
		return NULL;
	if (pref == 0)
		return N_("ID number: the region code does not name a real area");
	return NULL;
}

int
id_check(const char *in, dbdate_t today, struct id_info *out, const char **why)
{
	char id[ID_LEN + 1];
	size_t n;
	int y, m, d;
	dbdate_t birth;
	const char *reason;

	if (in == NULL) {
		*why = N_("ID number: must not be empty");
		return -1;
	}
	n = id_normalise(in, id, ID_LEN);
	if (n == 0) {
		*why = N_("ID number: must not be empty");
		return -1;
	}
	if (n != ID_LEN) {
		*why = N_("ID number: must be 18 characters");
		return -1;
	}
	for (int i = 0; i < ID_LEN; i++) {
		if ((id[i] >= '0' && id[i] <= '9') || (i == ID_LEN - 1 && id[i] == 'X'))
			continue;
		*why = N_("ID number: only digits and a final X are allowed");
		return -1;
	}
	if ((reason = id_check_region(id)) != NULL) {
		*why = reason;
		return -1;
	}
	y = num(id + 6, 4);
	m = num(id + 10, 2);
	d = num(id + 12, 2);
	/* The calendar first: 19000229 is not a date, not an early one. */
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m)) {
		*why = N_("ID number: the birth date is not a real date");
		return -1;
	}
	if (y < 1900) {
		*why = N_("ID number: the birth date is before 1900");
		return -1;
	}
	birth = date_make(y, m, d);
	if (birth == 0 || (today != 0 && birth > today)) {
		/* date_make refuses only years past 2200: future too. */
		*why = N_("ID number: the birth date is in the future");
		return -1;
	}
	if (id_check_char(id) != id[17]) {
		*why = N_("ID number: the check character does not match");
		return -1;
	}
	if (out != NULL) {
		memcpy(out->id, id, ID_LEN + 1);
		out->birth = birth;
		out->sex = (id[16] - '0') % 2 == 1 ? 'M' : 'F';
		memcpy(out->region, id, 6);
		out->region[6] = '\0';
	}
	return 0;
}

/*
 * Lists show enough to tell people apart on paper and no more: the
 * region and the last four characters.  Anything that is not 18
 * characters long is still masked in the middle (always eight stars, so
 * the length does not show either), never shown whole.
 */
void
id_mask(const char *id, char buf[ID_LEN + 1])
{
	size_t n = id == NULL ? 0 : strlen(id);

	if (n < 14) {
		/* Too short to hide at least four characters: hide all. */
		memset(buf, '*', n);
		buf[n] = '\0';
		return;
	}
	memcpy(buf, id, 6);
	memset(buf + 6, '*', ID_LEN - 10);
	memcpy(buf + ID_LEN - 4, id + n - 4, 4);
	buf[ID_LEN] = '\0';
}

/* integrity (i12, SPEC 11) */
static int
id_word_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

int
id_mask_text(char *s)
{
	int n = 0;

	if (s == NULL)
		return 0;
	for (char *p = s; *p; p++) {
		if (p > s && id_word_char(p[-1]))
			continue;
		size_t k = strspn(p, "0123456789");
		if (k == ID_LEN - 1 && (p[k] == 'X' || p[k] == 'x'))
			k++;
		if (k != ID_LEN || id_word_char(p[k]))
			continue;
		memset(p + 6, '*', ID_LEN - 10);
		p += ID_LEN - 1;
		n++;
	}
	return n;
}
