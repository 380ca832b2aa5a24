/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/case.h — the procedure (case.c): advance, reject, review, exit, the
 * monthly recalculation.
 */
#ifndef DIBAO_STORE_CASE_H
#define DIBAO_STORE_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/rules.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

/* ---- case.c: the procedure ------------------------------------------- */

struct case_opts {
	const char *note;            /* note; the reason for reject */
	const char *surveyors;       /* "USER,USER" for the survey */
	dbdate_t date;               /* evaluation date, notice start (0 = today) */
	int participants, representatives;
	const char *override;        /* approver's written reason to pass warnings */
	char category;               /* 'A','B','C' or 0 = derived */
	bool gradual_exit;
	enum exit_reason exit_reason;
};

struct case_result {
	enum status from, to;
	fen_t old_total;
	int n;
	struct rule_result r[RULES_MAX]; /* every rule result, blocking and warnings */
	bool have_calc;
	const char *calc_why;        /* the calculation's refusal (msgid), or NULL */
	struct calc_record calc;
	/* integrity (i12): a review that granted a gradual exit keeps the
	 * amount (old_total) through this month; the case exits after it */
	dbmonth_t gradual_last;
};

/* The rules for entering target (ST__N: just show them), for a review or
 * an exit (event), as the actor would meet them. */
int case_rules(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    enum status target, bool review, enum item_when event, struct case_result *res, struct err *e);
/* integrity (i12): the same for the calculation of month m (0: the month
 * payment would start), so R2 uses that month's standard */
int case_rules_month(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    enum status target, bool review, enum item_when event, dbmonth_t m, struct case_result *res, struct err *e);
int case_advance(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e);
int case_reject(struct store *st, const struct user *actor, const char *no, const char *reason,
    struct case_result *res, struct err *e);
int case_review(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e);
int case_exit(struct store *st, const struct user *actor, const char *no, const struct case_opts *o,
    struct case_result *res, struct err *e);
/* The monthly recalculation: every approved dossier computed for month;
 * those whose amount changes (a birthday moves a member into or out of an
 * add-on category, a new standard) store the new record, take the amount
 * from that month, and are audited "case.recalc" with old and new totals
 * and the reason ("age", "standard", "other"). */
typedef void (*recalc_fn)(const char *no, fen_t old_total, fen_t total, const char *reason, void *baton);
int case_recalc(struct store *st, const struct user *actor, dbmonth_t month, recalc_fn fn, void *baton,
    int *changed, struct err *e);
/* A recalculation's reason in words (a msgid to translate). */
const char *recalc_reason_text(const char *reason);
/* After the head's death: name a living member the new head. */
int member_set_head(struct store *st, const struct user *actor, const char *no, const char *id, struct err *e);

#endif
