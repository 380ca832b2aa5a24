/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * workflow.c — the order of the legal procedure (SPEC section 3) and the
 * role each step needs:
 *   APPLIED -> ACCEPTED -> SURVEYED -> VERIFIED -> EVALUATED   (clerk)
 *   EVALUATED -> REVIEWED                                      (reviewer)
 *   REVIEWED -> NOTICED (the clerk posts the public notice)
 *   NOTICED -> APPROVED                                        (approver)
 * Rejection: the clerk or the reviewer before review, the approver after.
 */
#include "core/date.h"
#include "core/workflow.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/terms.h"

int
workflow_next(enum status s)
{
	switch (s) {
	case ST_APPLIED: return ST_ACCEPTED;
	case ST_ACCEPTED: return ST_SURVEYED;
	case ST_SURVEYED: return ST_VERIFIED;
	case ST_VERIFIED: return ST_EVALUATED;
	case ST_EVALUATED: return ST_REVIEWED;
	case ST_REVIEWED: return ST_NOTICED;
	case ST_NOTICED: return ST_APPROVED;
	default: return -1;
	}
}

enum action
workflow_action(enum status to)
{
	switch (to) {
	case ST_REVIEWED: return ACT_REVIEW;
	case ST_APPROVED: return ACT_APPROVE;
	default: return ACT_CASE;
	}
}

int
workflow_reject_action(enum status s)
{
	if (s < ST_REVIEWED)
		return ACT_REJECT_EARLY;
	if (s == ST_REVIEWED || s == ST_NOTICED)
		return ACT_APPROVE;
	return -1;
}

char
workflow_category(const struct dossier *d, dbdate_t today)
{
	bool all_stable = true, labour = false;
	int counted = 0;

	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		if (m->death != 0 || (m->flags & MF_NOT_GUARANTEED))
			continue;
		counted++;
		int age = date_age_on(m->birth, today);
		bool stable = age >= 60 || (member_severely_disabled(m) && m->labour == LABOUR_NONE);
		if (!stable)
			all_stable = false;
		if (age >= 18 && age < 60 && m->labour == LABOUR_FULL)
			labour = true;
	}
	if (counted > 0 && all_stable)
		return 'A';
	return labour ? 'C' : 'B';
}

dbdate_t
notice_last_day(dbdate_t posted, int days)
{
	return date_add_days(posted, days);
}
