/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules.h — the rules R1–R13 of SPEC section 3 (rules.c). */
#ifndef DIBAO_CORE_RULES_H
#define DIBAO_CORE_RULES_H

#include <stdio.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/dossier-model.h"

struct rule_result {
	char code[4];
	bool blocking;
	char message[1024];         /* translated through the caller's translate_fn */
};
/* integrity (i12): room for every result rules_check can give (R5 and R9
 * once per member, the rest once or twice) plus the store's own R1: none
 * is ever dropped */
#define RULES_MAX (16 + 2 * MAX_MEMBERS)

struct rule_input {
	const struct dossier *d;
	const struct calc_record *calc;  /* NULL if not computable */
	fen_t standard;
	int deposit_multiple;
	enum status target;              /* the state being entered (or ST__N: just show) */
	bool review;                     /* completing a periodic review */
	dbdate_t today;
	/* facts the store finds */
	const char *dup_id;              /* R7: a member's ID in another active dossier */
	const char *dup_dossier;
	int kin_unfiled;                 /* R8 */
	const char *checklist_missing;   /* R10: the codes missing for the target, "" none */
	const char *conflict;            /* R11: why the operator must stand aside, NULL none */
	bool objection_open;             /* R13 */
	/* R9 (i12): the stored calculation (the amount in force), NULL none */
	const struct calc_record *stored;
	/* R2 (i12): the standard of the month computed, 0 = `standard` */
	fen_t standard_of_month;
	/* R12 (i12): the review a death opens, months (0: not checked) */
	int death_review_months;
};

/* Evaluate every rule that applies to the transition; returns the number
 * of results written, or -1 when they would not all fit in max or a
 * message would be cut (nothing is dropped silently: the caller refuses).
 * Messages are English msgids with arguments already formatted through
 * the translate callback. */
typedef const char *(*translate_fn)(const char *msgid) __attribute__((format_arg(1)));
int rules_check(const struct rule_input *in, translate_fn tr, struct rule_result *out, int max);
/* One rule result with its message formatted: 0, or -1 when the message
 * would be cut (issue 12 point 14: the caller refuses; rules_check, R14 and
 * the store's own results all write through it). */
int rule_result_set(struct rule_result *r, const char *code, bool blocking, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
