/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * workdays.c — deadlines counted in working days (SPEC section 3: survey
 * within 3 working days, decision within 20): weekends and the township's
 * holiday list do not count.
 */
#include "core/date.h"
#include "core/workflow.h"
#include "core/base.h"

#include <string.h>

bool
workday(dbdate_t d, const char *holidays)
{
	char s[11];
	int wd = date_weekday(d);

	if (wd >= 6)
		return false;
	if (holidays == NULL || *holidays == '\0')
		return true;
	date_format(d, s);
	for (const char *p = holidays; (p = strstr(p, s)) != NULL; p += 10)
		if ((p == holidays || p[-1] == ',') && (p[10] == '\0' || p[10] == ','))
			return false;
	return true;
}

dbdate_t
workdays_add(dbdate_t d, int n, const char *holidays)
{
	while (n > 0) {
		d = date_add_days(d, 1);
		if (d == 0)
			return 0;
		if (workday(d, holidays))
			n--;
	}
	return d;
}
