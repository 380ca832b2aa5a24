/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calc.h — the benefit calculation (按标补差, SPEC section 3; calc.c). */
#ifndef DIBAO_CORE_CALC_H
#define DIBAO_CORE_CALC_H

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/money.h"

enum addon_cat {
	ADDON_NONE = 0, ADDON_AGE60, ADDON_AGE70, ADDON_AGE80, ADDON_SEVERE_DISABILITY,
	ADDON_SERIOUS_ILLNESS, ADDON_MINOR, ADDON__N
};
extern const struct term addon_terms[ADDON__N];

struct calc_params {
	fen_t standard;                 /* S for the dossier's area and the month */
	dbmonth_t standard_from;        /* the month that standard took effect */
	int single_threshold_permille;  /* 单人保: P <= this/1000 x S (default 1500) */
	enum rounding rounding;         /* of the monthly total */
	/* each category: a per-mille rate of S, or (when fixed > 0) a fixed
	 * amount per person for the dossier's area */
	int addon_permille[ADDON__N];
	fen_t addon_fixed[ADDON__N];
};
/* The SPEC's defaults (60+ 10%, 70+ 15%, 80+ 20%, severe disability 30%,
 * serious illness 20%, minor 10%; threshold 1.5; whole yuan half up). */
void calc_params_default(struct calc_params *p, fen_t standard, dbmonth_t from);

struct calc_member {
	char id[ID_LEN + 1];
	bool living;                    /* counted in the household this month */
	bool guaranteed;                /* receives the benefit this month */
	int age;                        /* reached by the end of the month */
	enum addon_cat cat;             /* the highest category that applies */
	fen_t own_income;               /* income items naming this member */
	fen_t base;                     /* S - P (整户保) or S - own income (单人保) */
	fen_t addon;
};

struct calc_record {
	dbmonth_t month;
	fen_t standard;
	dbmonth_t standard_from;
	enum support support;
	enum poverty poverty;
	fen_t income;                   /* sum of counted income items */
	fen_t excluded;                 /* i12: recorded but not counted (SPEC 3) */
	fen_t expenses;                 /* rigid expenses (支出型 only) */
	fen_t household_income;         /* H */
	fen_t per_capita;               /* P = H / living members, rounded down */
	int members;                    /* living in the household */
	int guaranteed;                 /* receiving */
	int threshold_permille;
	fen_t base;                     /* sum of members' base */
	fen_t addons;                   /* sum of members' add-ons */
	fen_t unrounded;                /* base + addons */
	fen_t total;                    /* rounded per the setting */
	enum rounding rounding;
	int n;
	struct calc_member m[MAX_MEMBERS];
};

/* Compute the record for month m.  0 ok; -1 with *why (e.g. 单人保 with no
 * member who may receive it). */
int calc_dossier(const struct dossier *d, dbmonth_t m, const struct calc_params *p,
    struct calc_record *out, const char **why);

#endif
