/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dossier-model.h — the dossier of SPEC section 2 as C types: members,
 * finances, checks, the procedure's record, checklist items, and small
 * facts about them (model.c).
 */
#ifndef DIBAO_CORE_DOSSIER_MODEL_H
#define DIBAO_CORE_DOSSIER_MODEL_H

#include "core/base.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

/* Dossier flags */
#define DF_REGISTERED_POOR 0x1u /* 建档立卡 */
#define DF_EXTREME_POVERTY 0x2u /* 特困 */
#define DF_MIGRATED 0x4u        /* imported from an earlier ledger */

/* Member flags */
#define MF_STAFF 0x1u           /* 财政供养人员 */
#define MF_HIV 0x2u             /* confidential: never printed or exported */
#define MF_CONFIDENTIAL 0x4u
#define MF_NOT_GUARANTEED 0x8u  /* living in the household, not in the guarantee */

struct member {
	char name[NAME_MAX_BYTES];
	char id[ID_LEN + 1];
	dbdate_t birth;                 /* derived from id */
	char sex;                       /* 'M'/'F', derived from id */
	enum relation relation;
	enum health health;
	char illness[TEXT_SHORT];
	enum disability disability;
	int disability_grade;           /* 1–4, 0 when none */
	enum labour labour;
	char occupation[TEXT_SHORT];
	unsigned flags;                 /* MF_* */
	dbdate_t death;                 /* 0 = living */
	char death_cert[TEXT_SHORT];
	char death_cause[TEXT_SHORT];
};

struct income_item {
	enum income_kind kind;
	fen_t amount;                   /* monthly */
	char member_id[ID_LEN + 1];     /* optional */
	char evidence[TEXT_SHORT];
	char name[TEXT_SHORT];          /* INC_EX_LOCAL: the township's name of it (j12) */
};

struct expense_item {
	enum expense_kind kind;
	fen_t amount;                   /* monthly */
	char note[TEXT_SHORT];
};

struct assets {
	fen_t deposits;                 /* deposits and securities */
	int vehicles;                   /* all motor vehicles */
	int production_vehicles;        /* of which for production */
	int houses;
	int businesses;
};

struct info_check {
	enum check_agency agency;
	char result[TEXT_SHORT];
	dbdate_t date;
	char recorded_by[USER_MAX_BYTES];
};

/* The procedure's record on a dossier (SPEC section 3): who did what and
 * when; every transition is also an audit entry. */
struct procedure {
	dbdate_t accepted;
	char surveyors[2][USER_MAX_BYTES];
	dbdate_t surveyed;
	dbdate_t verified;
	dbdate_t evaluated;               /* date of the democratic evaluation */
	int eval_participants;
	int eval_representatives;         /* residents' representatives among them */
	char reviewed_by[USER_MAX_BYTES];
	dbdate_t reviewed;
	dbdate_t notice_start, notice_end;
	char approved_by[USER_MAX_BYTES];
	dbdate_t approved;
	char decided_by[USER_MAX_BYTES];  /* who rejected or exited it */
	dbdate_t decided;
	char reason[TEXT_MEDIUM];         /* rejection or exit reason in words */
	char override[TEXT_MEDIUM];       /* approver's written reason for overriding warnings */
	dbdate_t last_review;             /* last periodic review (复核) */
	dbdate_t gradual_exit_end;        /* 渐退期 ends (0 = none) */
	uint32_t calc_seq;                /* the stored calculation behind total */
};

/* One checklist item of a dossier (SPEC section 5). */
struct check_item {
	char code[ITEM_CODE_MAX];
	dbdate_t received;
	char received_by[USER_MAX_BYTES];
	bool is_signed;
	bool stamped;
	int n_scans;
	char scans[MAX_SCANS][65];        /* SHA-256, hex */
	char note[TEXT_SHORT];
};

struct dossier {
	char no[DOSSIER_NO_LEN + 1];
	uint32_t version;               /* +1 on every stored change */
	enum area area;
	char village[TEXT_SHORT];
	char group[TEXT_SHORT];
	char address[TEXT_MEDIUM];
	char phone[TEXT_SHORT];
	char bank[TEXT_SHORT];
	char account[TEXT_SHORT];       /* masked everywhere but its own edit screen */
	char holder[ID_LEN + 1];        /* the card's holder (a living member); "" = needs one (R14) */
	enum support support;
	enum poverty poverty;
	char category;                  /* 'A','B','C' or 0 */
	unsigned flags;                 /* DF_* */
	enum status status;
	dbdate_t applied;               /* date of application */
	dbdate_t status_date;           /* date the current status was entered */
	fen_t total;                    /* approved monthly amount */
	dbmonth_t effective;            /* month payment starts */
	dbdate_t next_review;
	enum exit_reason exit_reason;
	char previous[DOSSIER_NO_LEN + 1]; /* earlier dossier of this household */
	int n_members;
	struct member members[MAX_MEMBERS];  /* members[head] is the head */
	int head;
	int n_incomes;
	struct income_item incomes[MAX_INCOMES];
	int n_expenses;
	struct expense_item expenses[MAX_EXPENSES];
	struct assets assets;
	int n_checks;
	struct info_check checks[MAX_CHECKS];
	struct procedure proc;
	int n_items;
	struct check_item items[MAX_ITEMS];
};

/* ---- facts about dossiers and members ---------------------------------- */

void dossier_init(struct dossier *d);
/* A dossier counts as active (its members block R7 elsewhere) unless it is
 * rejected or exited. */
bool status_active(enum status s);
/* The member with this ID number, or NULL. */
struct member *dossier_member(struct dossier *d, const char *id);
const struct member *dossier_member_c(const struct dossier *d, const char *id);
/* The information-check result of an agency, or NULL. */
const struct info_check *dossier_check(const struct dossier *d, enum check_agency a);
/* Living members (death == 0 or death after the given date). */
int dossier_living(const struct dossier *d, dbdate_t on);
/* Severe disability per SPEC: grade 1–2, or grade 3 for 智力/精神. */
bool member_severely_disabled(const struct member *m);
/* Check a member's own fields (name, ID, grade, death date); 0 or -1 *why */
int member_validate(const struct member *m, dbdate_t today, const char **why);
/* Dossier number "<code>-<YYYY>-<NNNNN>" */
int dossier_no_format(char buf[DOSSIER_NO_LEN + 1], const char *township_code, int year, uint32_t seq);
bool dossier_no_valid(const char *no);
/* The year and serial of a number dossier_no_format makes (its township
 * code is the first 9 digits): 0, or -1 when no is not one */
int dossier_no_parse(const char *no, int *year, uint32_t *seq);
bool township_code_valid(const char *code);

#endif
