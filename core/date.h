/* SPDX-License-Identifier: GPL-3.0-or-later */
/* date.h — calendar dates and months (date.c). */
#ifndef DIBAO_CORE_DATE_H
#define DIBAO_CORE_DATE_H

#include "core/base.h"

bool date_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
dbdate_t date_make(int y, int m, int d);   /* 0 if not a real date */
int date_year(dbdate_t d);
int date_month(dbdate_t d);
int date_day(dbdate_t d);
/* "YYYY-MM-DD" (also YYYYMMDD and YYYY/MM/DD); 0 ok, -1 with *why */
int date_parse(const char *s, dbdate_t *out, const char **why);
char *date_format(dbdate_t d, char buf[11]);    /* "" for 0; returns buf */
int32_t date_to_days(dbdate_t d);               /* days since 1970-01-01 */
dbdate_t date_from_days(int32_t days);
dbdate_t date_add_days(dbdate_t d, int n);
dbdate_t date_add_months(dbdate_t d, int n);    /* day clamped to month end */
int date_weekday(dbdate_t d);                   /* 1 = Monday … 7 = Sunday */
/* Full years of age on date d of someone born on birth. */
int date_age_on(dbdate_t birth, dbdate_t d);
dbdate_t date_from_epoch(int64_t t, long utc_offset_seconds);

/* "YYYY-MM"; 0 ok, -1 with *why */
int month_parse(const char *s, dbmonth_t *out, const char **why);
void month_format(dbmonth_t m, char buf[8]);
dbmonth_t month_of(dbdate_t d);
dbmonth_t month_add(dbmonth_t m, int n);
dbdate_t month_first_day(dbmonth_t m);
dbdate_t month_last_day(dbmonth_t m);
/* Age reached by the end of month m (the add-on rule: "aged 60+ in the
 * month computed"). */
int month_age(dbdate_t birth, dbmonth_t m);

#endif
