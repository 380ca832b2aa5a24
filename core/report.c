/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.c — the pure parts of the ledgers, reports and lists (SPEC 6, 7):
 * the term tables of clues, rectifications and screening lists, the
 * monthly report's period, the privacy decision for public-notice rows and
 * the totals by group.  No I/O: the store gathers, this decides.
 */
#include "core/date.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/terms.h"

#include <stdio.h>
#include <string.h>

const struct term clue_channel_terms[CH__N] = {
	{"电话", "phone"}, {"来信", "letter"}, {"来访", "visit"}, {"网络", "online"},
	{"上级交办", "assigned"}, {"媒体", "media"},
};
const struct term clue_category_terms[CC__N] = {
	{"关系保", "connections"}, {"人情保", "favour"}, {"错保", "wrong-inclusion"},
	{"漏保", "missed"}, {"吃拿卡要", "extortion"}, {"截留挪用", "embezzlement"},
	{"作风", "conduct"}, {"其他", "other"},
};
const struct term clue_finding_terms[FIND__N] = {
	{"", "none"}, {"属实", "true"}, {"部分属实", "partly"}, {"不属实", "false"},
};
const struct term fix_source_terms[FSRC__N] = {
	{"自查", "self-check"}, {"督查", "inspection"}, {"举报", "report"},
};
const struct term screen_terms[SCR__N] = {
	{"重度残疾未纳入", "disabled"}, {"重病未纳入", "ill"}, {"已退出", "exited"},
	{"未获批准", "rejected"}, {"建档立卡未纳入", "poor"}, {"逐一走访", "visit"},
	{"复核逾期", "overdue"},
};

const char notice_withheld[] = "依规不予公示";
const char csv_bom[4] = "\xEF\xBB\xBF";

void
report_period(dbmonth_t m, int cutoff, dbdate_t *from, dbdate_t *to)
{
	dbmonth_t prev = month_add(m, -1);
	/* the cutoff is at most 28 (settings), so it is a day of every month */
	*to = date_make(m / 100, m % 100, cutoff);
	*from = date_add_days(date_make(prev / 100, prev % 100, cutoff), 1);
}

dbmonth_t
report_month_due(dbdate_t today, int cutoff)
{
	/* after the cutoff the next month's period has begun */
	return date_day(today) > cutoff ? month_add(month_of(today), 1) : month_of(today);
}

bool
report_due_warn(dbdate_t today, int cutoff)
{
	int day = date_day(today);
	return day >= 20 && day <= cutoff;
}

bool
ledger_overdue(dbdate_t deadline, dbdate_t closed, dbdate_t today)
{
	return closed == 0 && deadline != 0 && deadline < today;
}

bool
member_publishable(const struct member *m, dbdate_t on)
{
	if (m->flags & (MF_HIV | MF_CONFIDENTIAL))
		return false;
	/* a member whose birth is unknown is treated as a minor: never named
	 * by mistake */
	if (m->birth == 0 || date_age_on(m->birth, on) < 18)
		return false;
	return true;
}

const char *
notice_name(const struct dossier *d, dbdate_t on)
{
	if (d->head < 0 || d->head >= d->n_members)
		return notice_withheld;
	const struct member *h = &d->members[d->head];
	return member_publishable(h, on) ? h->name : notice_withheld;
}

void
report_count_person(struct report_totals *t, const char *id, bool disabled, dbdate_t on)
{
	struct id_info info;
	const char *why;

	t->persons++;
	t->disabled += disabled;
	/* the ID number was checked when the member was recorded; 99991231
	 * only keeps id_check from refusing a birth "in the future" */
	if (id_check(id, 99991231, &info, &why) != 0)
		return;
	t->women += info.sex == 'F';
	int age = date_age_on(info.birth, on);
	t->elderly += age >= 60;
	t->minors += age < 18;
}

struct report_totals *
report_group(struct report_group *g, int *n, int max, const char *key)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(g[i].key, key) == 0)
			return &g[i].t;
	if (*n >= max)
		return NULL;
	memset(&g[*n], 0, sizeof g[*n]);
	snprintf(g[*n].key, sizeof g[*n].key, "%s", key);
	return &g[(*n)++].t;
}

void
report_totals_add(struct report_totals *to, const struct report_totals *t)
{
	to->households += t->households;
	to->persons += t->persons;
	to->women += t->women;
	to->elderly += t->elderly;
	to->minors += t->minors;
	to->disabled += t->disabled;
	to->amount += t->amount;
}
