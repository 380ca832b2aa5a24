/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model.h — the objects of SPEC section 2 as C types, and the enumerations
 * with their Chinese terms and English aliases (model.c).
 *
 * Fixed-size text fields: every setter goes through text_set(), which
 * refuses (never truncates) text that does not fit.  Sizes are in bytes of
 * UTF-8; a CJK character takes 3.
 */
#ifndef DIBAO_MODEL_H
#define DIBAO_MODEL_H

#define DOSSIER_NO_LEN 20          /* 330102001-2026-00001 */
#define TOWNSHIP_CODE_LEN 9
#define NAME_MAX_BYTES 64          /* about 20 CJK characters */
#define TEXT_SHORT 64
#define TEXT_MEDIUM 256
#define TEXT_LONG 1024
/* a clerk's paragraph: complaint content, progress notes, findings, review
 * notes (1,000 Chinese characters and more, as UTF-8) */
#define TEXT_NOTE 4096
#define USER_MAX_BYTES 32
#define MAX_MEMBERS 32
#define MAX_INCOMES 64
#define MAX_EXPENSES 32
#define MAX_CHECKS 16
#define MAX_ITEMS 24               /* checklist items of one dossier */
#define MAX_SCANS 8                /* scans attached to one checklist item */
#define ITEM_CODE_MAX 8

/* ---- enumerations: value 0 is always "none/unset" where that makes sense */

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

enum role {
	ROLE_ADMIN = 0, ROLE_CLERK, ROLE_REVIEWER, ROLE_APPROVER, ROLE_INSPECTOR,
	ROLE__N
};

/* Dossier flags */
#define DF_REGISTERED_POOR 0x1u /* 建档立卡 */
#define DF_EXTREME_POVERTY 0x2u /* 特困 */
#define DF_MIGRATED 0x4u        /* imported from an earlier ledger */

/* Member flags */
#define MF_STAFF 0x1u           /* 财政供养人员 */
#define MF_HIV 0x2u             /* confidential: never printed or exported */
#define MF_CONFIDENTIAL 0x4u
#define MF_NOT_GUARANTEED 0x8u  /* living in the household, not in the guarantee */

/* One term table per enumeration: Chinese term (what clerks type and see)
 * and an English alias (scripts, JSON, --help). */
struct term {
	const char *zh;
	const char *en;
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
extern const struct term role_terms[ROLE__N];
extern const struct term staff_kind_terms[SK__N];
extern const struct term kin_relation_terms[KREL__N];
extern const struct term filing_status_terms[FS__N];
/* The term of a match's relation: kin_relation_terms, or 本人/self. */
const struct term *kin_relation_term(int rel);

/* Index of s (Chinese term or English alias, case-insensitive) in a term
 * table of n entries, or -1. */
int term_find(const struct term *t, int n, const char *s);

/* ---- objects ---------------------------------------------------------- */

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

struct user {
	char login[USER_MAX_BYTES];
	char name[NAME_MAX_BYTES];
	enum role role;
	char id[ID_LEN + 1];            /* optional: links to the kin registry (R11) */
	char pwhash[128];               /* Argon2id string from libsodium */
	bool disabled;
	int64_t created;                /* unix time */
};

/* ---- kin registry (SPEC 4) --------------------------------------------- */

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


/* ---- ledgers (SPEC 6): complaint clues and rectifications ------------ */

#define LEDGER_NO_LEN 24           /* XS-2026-001, ZG-2026-001 (wider past 999) */
#define MAX_NOTES 32

enum clue_channel {
	CH_PHONE = 0, CH_LETTER, CH_VISIT, CH_ONLINE, CH_ASSIGNED, CH_MEDIA, CH__N
};
enum clue_category {
	CC_RELATION = 0, CC_FAVOUR, CC_WRONG, CC_MISSED, CC_EXTORTION, CC_EMBEZZLE,
	CC_CONDUCT, CC_OTHER, CC__N
};
enum clue_finding { FIND_NONE = 0, FIND_TRUE, FIND_PARTLY, FIND_FALSE, FIND__N };
enum fix_source { FSRC_SELF = 0, FSRC_INSPECTION, FSRC_REPORT, FSRC__N };

extern const struct term clue_channel_terms[CH__N];
extern const struct term clue_category_terms[CC__N];
extern const struct term clue_finding_terms[FIND__N];
extern const struct term fix_source_terms[FSRC__N];

/* A progress note: appended, never rewritten. */
struct ledger_note {
	dbdate_t date;
	char by[USER_MAX_BYTES];
	char text[TEXT_NOTE];
};

/* 举报线索: the reporter is confidential (inspector and admin only). */
struct clue {
	char no[LEDGER_NO_LEN + 1];
	dbdate_t received;
	enum clue_channel channel;
	char reporter[TEXT_MEDIUM];
	char dossier[DOSSIER_NO_LEN + 1]; /* linked dossier, "" none */
	char content[TEXT_NOTE];
	enum clue_category category;
	char handler[USER_MAX_BYTES];
	dbdate_t deadline;
	char recorded_by[USER_MAX_BYTES];
	int n_notes;
	struct ledger_note notes[MAX_NOTES];
	enum clue_finding finding;
	char action[TEXT_NOTE];
	bool transferred;                 /* 移交纪检 */
	dbdate_t closed;                  /* 销号; 0 = open */
	char closed_by[USER_MAX_BYTES];
};

/* 整改台账 */
struct fix {
	char no[LEDGER_NO_LEN + 1];
	dbdate_t recorded;
	char problem[TEXT_NOTE];
	enum fix_source source;
	char measure[TEXT_NOTE];
	char owner[NAME_MAX_BYTES];
	dbdate_t deadline;
	char recorded_by[USER_MAX_BYTES];
	int n_notes;
	struct ledger_note notes[MAX_NOTES];
	char evidence[TEXT_MEDIUM];
	dbdate_t closed;
	char closed_by[USER_MAX_BYTES];
};

/* 重点筛查: the lists, and a visit outcome recorded on one of them */
enum screen_kind {
	SCR_DISABLED = 0, SCR_ILL, SCR_EXITED, SCR_REJECTED, SCR_POOR, SCR_VISIT,
	SCR_OVERDUE, SCR__N
};
extern const struct term screen_terms[SCR__N];

struct visit {
	enum screen_kind kind;
	char dossier[DOSSIER_NO_LEN + 1];
	dbdate_t date;
	char by[USER_MAX_BYTES];
	char outcome[TEXT_MEDIUM];
};

/* ---- model.c ---------------------------------------------------------- */

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
bool township_code_valid(const char *code);

#endif
