/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * date.c — calendar dates (YYYYMMDD) and months (YYYYMM) in the proleptic
 * Gregorian calendar: validation, parsing, formatting, day and month
 * arithmetic, weekdays and ages.  Integer arithmetic only; no time zone
 * database: the caller passes the UTC offset it wants.
 */
#include "core/date.h"
#include "core/base.h"

#include <string.h>

/* Years a record may carry: birth dates reach back to 1900 and review dates
 * a long way forward; anything else is a typing mistake. */
#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2200

static bool
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && leap_year(y))
		return 29;
	return days[m - 1];
}

bool
date_valid(int y, int m, int d)
{
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return false;
	return d >= 1 && d <= date_days_in_month(y, m);
}

dbdate_t
date_make(int y, int m, int d)
{
	if (!date_valid(y, m, d))
		return 0;
	return (dbdate_t)(y * 10000 + m * 100 + d);
}

int
date_year(dbdate_t d)
{
	return d / 10000;
}

int
date_month(dbdate_t d)
{
	return d / 100 % 100;
}

int
date_day(dbdate_t d)
{
	return d % 100;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n ASCII digits as a number; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The last n decimal digits of v, zero-padded: fixed width by
 * construction, where printf would need the compiler to trust the range. */
static void
put_digits(char *buf, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
date_parse(const char *s, dbdate_t *out, const char **why)
{
	size_t len;
	int y, m, d;

	if (s == NULL || *s == '\0') {
		*why = N_("date: must not be empty");
		return -1;
	}
	len = strlen(s);
	if (len == 8) {
		y = digits(s, 4);
		m = digits(s + 4, 2);
		d = digits(s + 6, 2);
	} else if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		/* The two separators must agree: "2024-01/05" is a typo. */
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else {
		*why = N_("date: must be written YYYY-MM-DD");
		return -1;
	}
	if (y < 0 || m < 0 || d < 0) {
		*why = N_("date: must be written YYYY-MM-DD");
		return -1;
	}
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX) {
		*why = N_("date: the year must be between 1900 and 2200");
		return -1;
	}
	if (!date_valid(y, m, d)) {
		*why = N_("date: not a real calendar date");
		return -1;
	}
	*out = date_make(y, m, d);
	return 0;
}

char *
date_format(dbdate_t d, char buf[11])
{
	if (d == 0) {
		buf[0] = '\0';
		return buf;
	}
	put_digits(buf, (unsigned)date_year(d), 4);
	buf[4] = '-';
	put_digits(buf + 5, (unsigned)date_month(d), 2);
	buf[7] = '-';
	put_digits(buf + 8, (unsigned)date_day(d), 2);
	buf[10] = '\0';
	return buf;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): counting from March 1 puts the leap day at the end of
 * the "year", and eras of 400 years keep the divisions exact for years
 * before 1970 as well.
 */
static int32_t
civil_to_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void
days_to_civil(int32_t days, int *py, int *pm, int *pd)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = (int)(z - era * 146097);
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int m = mp < 10 ? mp + 3 : mp - 9;

	*py = (int)(yoe + era * 400) + (m <= 2);
	*pm = m;
	*pd = doy - (153 * mp + 2) / 5 + 1;
}

int32_t
date_to_days(dbdate_t d)
{
	return civil_to_days(date_year(d), date_month(d), date_day(d));
}

dbdate_t
date_from_days(int32_t days)
{
	int y, m, d;

	days_to_civil(days, &y, &m, &d);
	return date_make(y, m, d);
}

dbdate_t
date_add_days(dbdate_t d, int n)
{
	if (d == 0)
		return 0;
	return date_from_days(date_to_days(d) + n);
}

dbdate_t
date_add_months(dbdate_t d, int n)
{
	int y, m, day, dim;
	long mm;

	if (d == 0)
		return 0;
	/* Count in months since year 0 so negative n needs no special case. */
	mm = (long)date_year(d) * 12 + (date_month(d) - 1) + n;
	if (mm < (long)DATE_YEAR_MIN * 12 || mm > (long)DATE_YEAR_MAX * 12 + 11)
		return 0;
	y = (int)(mm / 12);
	m = (int)(mm % 12) + 1;
	day = date_day(d);
	dim = date_days_in_month(y, m);
	if (day > dim)
		day = dim;
	return date_make(y, m, day);
}

int
date_weekday(dbdate_t d)
{
	int32_t days = date_to_days(d);
	int w;

	/* 1970-01-01 was a Thursday (4). */
	w = (int)((days % 7 + 7 + 3) % 7);
	return w + 1;
}

/*
 * Whole years: the years between, less one if the birthday has not come
 * yet this year.  Someone born on February 29 turns a year older on March
 * 1 in common years (the usual reading in Chinese administration: the
 * birthday has not "passed" until February is over).
 */
int
date_age_on(dbdate_t birth, dbdate_t d)
{
	int age, bm, bd;

	if (birth == 0 || d == 0 || d < birth)
		return 0;
	age = date_year(d) - date_year(birth);
	bm = date_month(birth);
	bd = date_day(birth);
	if (bm == 2 && bd == 29 && !leap_year(date_year(d))) {
		bm = 3;
		bd = 1;
	}
	if (date_month(d) < bm || (date_month(d) == bm && date_day(d) < bd))
		age--;
	return age;
}

dbdate_t
date_from_epoch(int64_t t, long utc_offset_seconds)
{
	int64_t s = t + utc_offset_seconds;
	int64_t days;

	/* Floor division: one second before the epoch is 1969-12-31. */
	days = s / 86400;
	if (s % 86400 < 0)
		days--;
	if (days < INT32_MIN || days > INT32_MAX)
		return 0;
	return date_from_days((int32_t)days);
}

int
month_parse(const char *s, dbmonth_t *out, const char **why)
{
	size_t len;
	int y, m;

	if (s == NULL || *s == '\0') {
		*why = N_("month: must not be empty");
		return -1;
	}
	len = strlen(s);
	if (len == 7 && (s[4] == '-' || s[4] == '/')) {
		y = digits(s, 4);
		m = digits(s + 5, 2);
	} else if (len == 6) {
		y = digits(s, 4);
		m = digits(s + 4, 2);
	} else {
		*why = N_("month: must be written YYYY-MM");
		return -1;
	}
	if (y < 0 || m < 0) {
		*why = N_("month: must be written YYYY-MM");
		return -1;
	}
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX) {
		*why = N_("month: the year must be between 1900 and 2200");
		return -1;
	}
	if (m < 1 || m > 12) {
		*why = N_("month: the month must be 01 to 12");
		return -1;
	}
	*out = (dbmonth_t)(y * 100 + m);
	return 0;
}

void
month_format(dbmonth_t m, char buf[8])
{
	if (m == 0) {
		buf[0] = '\0';
		return;
	}
	put_digits(buf, (unsigned)(m / 100), 4);
	buf[4] = '-';
	put_digits(buf + 5, (unsigned)(m % 100), 2);
	buf[7] = '\0';
}

dbmonth_t
month_of(dbdate_t d)
{
	return d / 100;
}

dbmonth_t
month_add(dbmonth_t m, int n)
{
	long mm;

	if (m == 0)
		return 0;
	mm = (long)(m / 100) * 12 + (m % 100 - 1) + n;
	if (mm < (long)DATE_YEAR_MIN * 12 || mm > (long)DATE_YEAR_MAX * 12 + 11)
		return 0;
	return (dbmonth_t)((mm / 12) * 100 + mm % 12 + 1);
}

dbdate_t
month_first_day(dbmonth_t m)
{
	return date_make(m / 100, m % 100, 1);
}

dbdate_t
month_last_day(dbmonth_t m)
{
	int y = m / 100, mo = m % 100;

	return date_make(y, mo, date_days_in_month(y, mo));
}

int
month_age(dbdate_t birth, dbmonth_t m)
{
	return date_age_on(birth, month_last_day(m));
}
