/* SPDX-License-Identifier: GPL-3.0-or-later */
/* due.h — what is near or past its date (due.c). */
#ifndef DIBAO_CORE_DUE_H
#define DIBAO_CORE_DUE_H

#include "core/base.h"
#include "core/dossier-model.h"

enum due_kind {
	DUE_START = 0,      /* survey and check to start after acceptance */
	DUE_DECIDE,         /* the whole case decided */
	DUE_NOTICE,         /* the notice period ends: approval possible */
	DUE_REVIEW,         /* periodic review */
	DUE_DEATH_REVIEW,   /* a review after a member's death */
	DUE_GRADUAL,        /* the gradual-exit period ends */
	DUE_REFUSAL,        /* i12: the written refusal (不予批准通知书) not yet printed */
	DUE__N
};
extern const struct term due_terms[DUE__N];

struct due_params {
	int start_days, decide_days, near_days;   /* working days */
	const char *holidays;
	int review_ahead_days;                     /* calendar days a review is shown ahead */
	int death_review_months;
	int refusal_days;                          /* i12: working days to notify a refusal */
};
struct due {
	enum due_kind kind;
	dbdate_t date;
	bool past;                                 /* overdue (else near) */
};
/* The dossier's items that are near or past due on today; returns how
 * many (at most max). */
int dossier_due(const struct dossier *d, dbdate_t today, const struct due_params *p, struct due *out, int max);

/* integrity (i12): the review a death opens — due death_review_months
 * after the latest death since the approval or the last review; 0 none. */
dbdate_t death_review_due(const struct dossier *d, int death_review_months);
/* The written refusal of a rejected case not yet printed (printed false):
 * due refusal_days working days after the decision; 1 with *out when
 * near or past, else 0. */
int refusal_due(const struct dossier *d, dbdate_t today, const struct due_params *p, bool printed, struct due *out);

#endif
