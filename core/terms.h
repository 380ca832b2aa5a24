/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * terms.h — the enumerations of a dossier (SPEC section 2) with their
 * Chinese terms and English aliases (model.c).  Value 0 is always
 * "none/unset" where that makes sense.
 */
#ifndef DIBAO_CORE_TERMS_H
#define DIBAO_CORE_TERMS_H

#include "core/base.h"

/* One term table per enumeration: Chinese term (what clerks type and see)
 * and an English alias (scripts, JSON, --help). */
struct term {
	const char *zh;
	const char *en;
};

/* Index of s (Chinese term or English alias, case-insensitive) in a term
 * table of n entries, or -1. */
int term_find(const struct term *t, int n, const char *s);

enum area { AREA_NONE = 0, AREA_URBAN, AREA_RURAL, AREA__N };
enum support { SUPPORT_HOUSEHOLD = 0, SUPPORT_SINGLE, SUPPORT__N };
enum poverty { POVERTY_INCOME = 0, POVERTY_EXPENSE, POVERTY__N };

enum status {
	ST_APPLIED = 0, ST_ACCEPTED, ST_SURVEYED, ST_VERIFIED, ST_EVALUATED,
	ST_REVIEWED, ST_NOTICED, ST_APPROVED, ST_REJECTED, ST_EXITED, ST__N
};

enum relation {
	REL_SELF = 0, REL_SPOUSE, REL_SON, REL_DAUGHTER, REL_PARENT, REL_SIBLING,
	REL_GRANDPARENT, REL_GRANDCHILD, REL_OTHER, REL__N
};

enum health { HEALTH_GOOD = 0, HEALTH_CHRONIC, HEALTH_SERIOUS, HEALTH__N };

enum disability {
	DIS_NONE = 0, DIS_VISION, DIS_HEARING, DIS_SPEECH, DIS_PHYSICAL,
	DIS_INTELLECTUAL, DIS_MENTAL, DIS_MULTIPLE, DIS__N
};

enum labour { LABOUR_FULL = 0, LABOUR_PARTIAL, LABOUR_NONE, LABOUR__N };

enum income_kind {
	INC_WAGE = 0, INC_BUSINESS, INC_PROPERTY, INC_TRANSFER, INC_PENSION,
	INC_OTHER,
	/* i12: recorded but not counted (SPEC 3); income_excluded() says so */
	INC_EX_SPECIAL_CARE, INC_EX_FAMILY_PLANNING, INC_EX_SCHOLARSHIP, INC_EX_BRAVERY,
	INC_EX_DISABILITY, INC_EX_ELDERLY, INC_EX_ONE_CHILD, INC_EX_DIBAO,
	/* j12: one the township adds (setting income.excluded.local), by name */
	INC_EX_LOCAL,
	INC__N
};

enum expense_kind { EXP_MEDICAL = 0, EXP_EDUCATION, EXP_CARE, EXP_OTHER, EXP__N };

enum check_agency {
	AG_HOUSING = 0, AG_FUND, AG_SOCIAL, AG_VEHICLE, AG_BUSINESS, AG_TAX,
	AG_MARRIAGE, AG_FUNERAL, AG_BANK, AG__N
};

enum exit_reason {
	EXIT_NONE = 0, EXIT_INCOME, EXIT_DEATH, EXIT_MOVED, EXIT_VOLUNTARY,
	EXIT_VIOLATION, EXIT_OTHER, EXIT__N
};

extern const struct term area_terms[AREA__N];
extern const struct term support_terms[SUPPORT__N];
extern const struct term poverty_terms[POVERTY__N];
extern const struct term status_terms[ST__N];   /* en = APPLIED … */
extern const struct term relation_terms[REL__N];
extern const struct term health_terms[HEALTH__N];
extern const struct term disability_terms[DIS__N];
extern const struct term labour_terms[LABOUR__N];
extern const struct term income_terms[INC__N];
/* i12: an income kind national and provincial rules exclude from H */
bool income_excluded(int kind);
/* The kind's name as shown: the township's own for INC_EX_LOCAL (j12). */
struct income_item;
const char *income_name(const struct income_item *it);
extern const struct term expense_terms[EXP__N];
extern const struct term agency_terms[AG__N];
extern const struct term exit_terms[EXIT__N];

#endif
