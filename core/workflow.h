/* SPDX-License-Identifier: GPL-3.0-or-later */
/* workflow.h — the case procedure (SPEC section 3; workflow.c) and deadlines in working days (workdays.c). */
#ifndef DIBAO_CORE_WORKFLOW_H
#define DIBAO_CORE_WORKFLOW_H

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/roles.h"

/* The next state `advance` leads to from s, or -1 when none. */
int workflow_next(enum status s);
/* The role action a transition into `to` needs (ACT_CASE, ACT_REVIEW,
 * ACT_APPROVE). */
enum action workflow_action(enum status to);
/* May this state be rejected, and by which action? -1 if not. */
int workflow_reject_action(enum status s);

/* The review category a dossier falls in by default (SPEC 3): A when every
 * guaranteed member is 60+ or severely disabled without labour capacity,
 * C when a guaranteed member of working age has labour capacity, else B. */
char workflow_category(const struct dossier *d, dbdate_t today);
/* The public notice (SPEC 3): the period counts whole days from the day
 * after posting, as periods do in Chinese civil law.  Posted on D with
 * `days` days, it runs D+1 .. D+days (the last day returned) and approval
 * is possible from the day after that. */
dbdate_t notice_last_day(dbdate_t posted, int days);

/* ---- workdays.c: deadlines in working days ----------------------------- */

/* A working day: Monday to Friday and not in holidays ("YYYY-MM-DD,…"). */
bool workday(dbdate_t d, const char *holidays);
/* The date n working days after d. */
dbdate_t workdays_add(dbdate_t d, int n, const char *holidays);

#endif
