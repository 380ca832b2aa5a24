/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/report.h — 动态管理月报 and statistics (SPEC 7; report-monthly.c).
 */
#ifndef DIBAO_STORE_REPORT_H
#define DIBAO_STORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/idno.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

/* ---- report-monthly.c: 动态管理月报 and statistics (SPEC 7) ------------ */
struct monthly_item {
	char dossier[DOSSIER_NO_LEN + 1];
	char village[TEXT_SHORT];
	char name[NAME_MAX_BYTES];     /* the head's, or the dead member's */
	char member_id[ID_LEN + 1];    /* deaths */
	dbdate_t date;
	int persons;
	fen_t old_total, total;
	char reason[TEXT_SHORT];       /* Chinese, as printed */
};
struct monthly_list {
	struct monthly_item *v;
	size_t n, cap;
};
#define REPORT_MAX_VILLAGES 128
struct monthly_report {
	dbmonth_t month;
	dbdate_t from, to;
	uint64_t audit_count;          /* entries dated up to `to` */
	char head[65];                 /* hash of the last of them */
	struct monthly_list added, removed, changed, deaths;
	struct report_totals all;      /* households in the guarantee on `to` */
	struct report_group village[REPORT_MAX_VILLAGES], area[AREA__N], category[4], support[SUPPORT__N];
	int n_village, n_area, n_category, n_support;
};
/* The report of the period [from, to] from the audit chain (reproducible:
 * entries dated after `to` are ignored).  pg (NULL: none) is told the
 * entries read of the chain's length, then the households counted; on a
 * cancel or an error *r is left empty (nothing to free). */
int report_build(struct store *st, dbdate_t from, dbdate_t to, struct monthly_report *r,
    const struct progress *pg, struct err *e);
/* The period ending on the cutoff day of month m (setting report.cutoff.day). */
int report_monthly(struct store *st, dbmonth_t m, struct monthly_report *r, const struct progress *pg,
    struct err *e);
/* What else rides the report's walks (the monthly archive's roster and
 * audit entries: one walk of each for all): dossier with every dossier in
 * number order, not called again once it returns non-zero; audit with
 * every entry of the chain in order, before the report looks at it
 * (non-zero: the report ends, -1 with e untouched).  Either may be NULL. */
struct dossier;
struct audit_entry;
struct report_riders {
	int (*dossier)(const struct dossier *d, void *baton);
	void *dossier_baton;
	int (*audit)(const struct audit_entry *a, void *baton);
	void *audit_baton;
};
/* report_monthly, riders (NULL: none) riding its walks */
int report_monthly_each(struct store *st, dbmonth_t m, struct monthly_report *r, const struct progress *pg,
    const struct report_riders *riders, struct err *e);
void report_free(struct monthly_report *r);
/* `dibao stats` and the console's statistics: the guarantee as of the end
 * of month m (today for the month running), how many approved dossiers
 * keep their review date, and the open clues by category. */
struct stats {
	dbmonth_t month;
	struct monthly_report r;       /* totals and groups only */
	int approved, reviews_current;
	int open_clues[CC__N];
};
int stats_build(struct store *st, dbmonth_t m, struct stats *s, const struct progress *pg, struct err *e);
void stats_free(struct stats *s);
/* The dashboard: the month whose report is due next, and whether to warn
 * (from the 20th to the cutoff day, SPEC 7). */
int report_due(struct store *st, dbdate_t today, dbmonth_t *month, bool *warn, struct err *e);

#endif
