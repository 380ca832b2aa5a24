/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.h — ledgers, reports and lists (SPEC 6, 7; report.c). */
#ifndef DIBAO_CORE_REPORT_H
#define DIBAO_CORE_REPORT_H

#include "core/base.h"
#include "core/dossier-model.h"

/* The period of the monthly report for month m: from the day after the
 * previous month's cutoff to the cutoff day of m (cutoff 25: 2026-03 runs
 * 2026-02-26 .. 2026-03-25). */
void report_period(dbmonth_t m, int cutoff, dbdate_t *from, dbdate_t *to);
/* The month whose report is due next on today, and whether the dashboard
 * warns (from the 20th to the cutoff day, while it is not yet made). */
dbmonth_t report_month_due(dbdate_t today, int cutoff);
bool report_due_warn(dbdate_t today, int cutoff);
/* Open (not closed) and past its deadline on today. */
bool ledger_overdue(dbdate_t deadline, dbdate_t closed, dbdate_t today);
/* May this member be named in a public notice (seed 004)?  Not a minor on
 * `on`, not HIV/AIDS, not otherwise confidential. */
bool member_publishable(const struct member *m, dbdate_t on);
/* The name a public notice shows for the household: the head's, or
 * "依规不予公示" when the head may not be named. */
const char *notice_name(const struct dossier *d, dbdate_t on);
extern const char notice_withheld[];
/* The statistics of a group of households (SPEC 7 totals). */
struct report_totals {
	int households, persons, women, elderly, minors, disabled;
	fen_t amount;
};
/* One guaranteed person counted, as of date `on`: sex and birth from the
 * ID number; disabled as recorded. */
void report_count_person(struct report_totals *t, const char *id, bool disabled, dbdate_t on);
/* Groups by a text key (village, area, category, support): a small ordered
 * table; returns the group of key (added if new), NULL when full. */
struct report_group {
	char key[TEXT_SHORT];
	struct report_totals t;
};
struct report_totals *report_group(struct report_group *g, int *n, int max, const char *key);
void report_totals_add(struct report_totals *to, const struct report_totals *t);
/* UTF-8 byte order mark: every CSV starts with it (Excel, WPS). */
extern const char csv_bom[4];

#endif
