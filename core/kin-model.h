/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kin-model.h — the kin registry of SPEC 4 as C types (terms in model.c). */
#ifndef DIBAO_CORE_KIN_MODEL_H
#define DIBAO_CORE_KIN_MODEL_H

#include "core/base.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

/* 关联人员 kinds (SPEC 4) */
enum staff_kind {
	SK_CADRE = 0, SK_DIBAO_STAFF, SK_CIVIL_AFFAIRS, SK_FUNDED, SK_OTHER, SK__N
};

/* Declared close relatives (近亲属).  KREL_SELF is not declarable: it marks
 * a match on the staff member's own ID number. */
enum kin_relation {
	KREL_SPOUSE = 0, KREL_PARENT, KREL_CHILD, KREL_SIBLING, KREL_GRANDPARENT,
	KREL_MATERNAL_GRANDPARENT, KREL_GRANDCHILD, KREL_MATERNAL_GRANDCHILD,
	KREL_PARENT_IN_LAW, KREL_OTHER, KREL__N,
	KREL_SELF = KREL__N
};

/* 备案 status: pending → filed (a second person) → reported (monthly archive) */
enum filing_status { FS_PENDING = 0, FS_FILED, FS_REPORTED, FS__N };

extern const struct term staff_kind_terms[SK__N];
extern const struct term kin_relation_terms[KREL__N];
extern const struct term filing_status_terms[FS__N];
/* The term of a match's relation: kin_relation_terms, or 本人/self. */
const struct term *kin_relation_term(int rel);

#define FILING_NO_LEN 24           /* BA-2026-0001 (wider past 9999) */
#define MAX_FILING_STAFF 16

/* 关联人员: keyed by the staff member's own ID number */
struct kin_staff {
	char id[ID_LEN + 1];
	char name[NAME_MAX_BYTES];
	enum staff_kind kind;
	char unit[TEXT_SHORT];          /* unit or village */
	char position[TEXT_SHORT];
	dbdate_t from, to;              /* term; 0 = open */
	dbdate_t ended;                 /* recorded end; 0 = serving */
	dbdate_t registered;
	char registered_by[USER_MAX_BYTES];
};

/* a declared close relative of one staff member */
struct kin_relative {
	char staff_id[ID_LEN + 1];
	char id[ID_LEN + 1];
	char name[NAME_MAX_BYTES];
	enum kin_relation relation;
	dbdate_t declared;
	dbdate_t removed;               /* recorded end; 0 = in force */
	char declared_by[USER_MAX_BYTES];
};

/* a member of a dossier who is a staff member or a declared relative */
struct kin_match {
	char dossier[DOSSIER_NO_LEN + 1];
	char member_id[ID_LEN + 1];
	char staff_id[ID_LEN + 1];
	int relation;                   /* enum kin_relation or KREL_SELF */
	char member_name[NAME_MAX_BYTES];
	char staff_name[NAME_MAX_BYTES];
	dbdate_t found;
	char filing[FILING_NO_LEN + 1]; /* "" = no filing yet */
};

struct kin_filing_staff {
	char staff_id[ID_LEN + 1];
	char staff_name[NAME_MAX_BYTES];
	int relation;                   /* as in struct kin_match */
};

/* 备案记录: one member of one dossier, every match of that member */
struct kin_filing {
	char no[FILING_NO_LEN + 1];
	char dossier[DOSSIER_NO_LEN + 1];
	char member_id[ID_LEN + 1];
	char member_name[NAME_MAX_BYTES];
	char note[TEXT_MEDIUM];         /* circumstances */
	enum filing_status status;
	char filed_by[USER_MAX_BYTES];
	dbdate_t filed;
	char reviewed_by[USER_MAX_BYTES];
	dbdate_t reviewed;
	dbdate_t reported;
	int n_staff;
	struct kin_filing_staff staff[MAX_FILING_STAFF];
};

#endif
