/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core.h — the domain of dibao: types of SPEC section 2, resident ID
 * numbers, money in fen, dates and months, and (later) the rules, the
 * workflow and the benefit calculation.
 *
 * Pure C: nothing here does I/O, talks to ncurses or Berkeley DB.  Errors
 * come back as an English msgid (marked N_) in *why; the edge translates
 * it with gettext so the clerk reads Chinese under a zh_CN locale.
 */
#ifndef DIBAO_CORE_H
#define DIBAO_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Marks a string for xgettext without translating it (core has no I/O). */
#define N_(s) (s)

/* ---- basic value types ------------------------------------------------ */

typedef int64_t fen_t;     /* money: integer fen, 1/100 yuan; never double */
typedef int32_t dbdate_t;  /* a calendar date as YYYYMMDD; 0 = none      */
typedef int32_t dbmonth_t; /* a month as YYYYMM; 0 = none                 */

/* ---- date.c ----------------------------------------------------------- */

bool date_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
dbdate_t date_make(int y, int m, int d);   /* 0 if not a real date */
int date_year(dbdate_t d);
int date_month(dbdate_t d);
int date_day(dbdate_t d);
/* "YYYY-MM-DD" (also YYYYMMDD and YYYY/MM/DD); 0 ok, -1 with *why */
int date_parse(const char *s, dbdate_t *out, const char **why);
char *date_format(dbdate_t d, char buf[11]);    /* "" for 0; returns buf */
int32_t date_to_days(dbdate_t d);               /* days since 1970-01-01 */
dbdate_t date_from_days(int32_t days);
dbdate_t date_add_days(dbdate_t d, int n);
dbdate_t date_add_months(dbdate_t d, int n);    /* day clamped to month end */
int date_weekday(dbdate_t d);                   /* 1 = Monday … 7 = Sunday */
/* Full years of age on date d of someone born on birth. */
int date_age_on(dbdate_t birth, dbdate_t d);
dbdate_t date_from_epoch(int64_t t, long utc_offset_seconds);

/* "YYYY-MM"; 0 ok, -1 with *why */
int month_parse(const char *s, dbmonth_t *out, const char **why);
void month_format(dbmonth_t m, char buf[8]);
dbmonth_t month_of(dbdate_t d);
dbmonth_t month_add(dbmonth_t m, int n);
dbdate_t month_first_day(dbmonth_t m);
dbdate_t month_last_day(dbmonth_t m);
/* Age reached by the end of month m (the add-on rule: "aged 60+ in the
 * month computed"). */
int month_age(dbdate_t birth, dbmonth_t m);

/* ---- money.c ---------------------------------------------------------- */

#define MONEY_MAX ((fen_t)100000000000LL) /* 10^9 yuan: far beyond any real amount */

/* Yuan text with up to two decimals: "650", "650.5", "650.05", "-3.2",
 * full-width digits, an optional trailing 元, thousands separators "1,200".
 * 0 ok, -1 with *why. */
int money_parse(const char *s, fen_t *out, const char **why);
/* "650.05", "-3.20", "0.00"; returns buf */
char *money_format(fen_t f, char buf[32]);

enum rounding {
	ROUND_YUAN_HALF_UP = 0, /* whole yuan, half up (the default) */
	ROUND_JIAO_HALF_UP,     /* to 0.1 yuan, half up */
	ROUND_FEN,              /* no rounding */
	ROUND_YUAN_UP,          /* whole yuan, always up */
};
fen_t money_round(fen_t f, enum rounding r);
/* a * num / den rounded half up (rates in per-mille, etc.); den > 0 */
fen_t money_mul_div_half_up(fen_t a, int64_t num, int64_t den);

/* ---- id.c: resident ID numbers (GB 11643) ----------------------------- */

#define ID_LEN 18

struct id_info {
	char id[ID_LEN + 1]; /* normalised: ASCII digits, capital X */
	dbdate_t birth;
	char sex;            /* 'M' or 'F' */
	char region[7];      /* the six region digits */
};

/* Normalise (trim, full-width digits, x -> X) and validate.  today bounds
 * the birth date.  0 ok with *out filled; -1 with *why naming the reason. */
int id_check(const char *in, dbdate_t today, struct id_info *out, const char **why);
/* The MOD 11-2 check character for the first 17 digits. */
char id_check_char(const char digits17[17]);
/* "330102********1234"-style mask for lists: first 6 and last 4 shown. */
void id_mask(const char *id, char buf[ID_LEN + 1]);
/* Province name for the first two region digits, or NULL. */
const char *id_province(const char *region);
/* integrity (i12, SPEC 11): mask in place every ID-shaped run in s (17
 * digits and a digit or X, not part of a longer word) as id_mask does;
 * for free text such as an audit entry's detail.  Returns how many. */
int id_mask_text(char *s);

/* ---- text.c: UTF-8 text that goes into records ------------------------ */

/* Valid UTF-8, no control characters, at most max_bytes bytes (excluding
 * NUL).  0 ok; -1 with *why. */
int text_check(const char *s, size_t max_bytes, const char **why);
/* Copy a checked text into a fixed field; -1 (no copy) if it does not fit:
 * text is never truncated silently. */
int text_set(char *dst, size_t dstsize, const char *src, const char **why);
/* Mask all but the last 4 characters (bank accounts). */
void text_mask_account(const char *acct, char *buf, size_t bufsize);
/* A printed form's verification code "XXXX-XXXX-XX" from a digest, and a
 * typed code normalised (0 ok, -1 not a code). */
void verify_code_format(const uint8_t hash[32], char out[13]);
int verify_code_parse(const char *in, char out[13]);

#include "model.h"

/* ---- roles.c: who may do what (SPEC section 1) ------------------------ */

enum action {
	ACT_READ = 0,          /* everyone, the inspector included */
	ACT_READ_CONFIDENTIAL, /* bank account, HIV, a clue's reporter: audited */
	ACT_USERS,             /* manage users */
	ACT_SETTINGS,          /* settings, standards, villages */
	ACT_CASE,              /* application through evaluation, members, finances */
	ACT_REJECT_EARLY,      /* reject before review */
	ACT_REVIEW,
	ACT_APPROVE,
	ACT_DEMO,              /* load synthetic data */
	ACT_KIN_REGISTRY,      /* the registry of related staff and relatives */
	ACT_KIN_FILE,          /* record a kin filing (备案) */
	ACT_KIN_CONFIRM,       /* confirm another person's filing */
	ACT_LEDGER,            /* record and handle clues and rectifications */
	ACT_READ_REPORTER,     /* a clue's reporter: inspector and admin, audited */
	ACT_EXPORT,            /* files with whole ID numbers or accounts, backups (i14) */
	ACT__N
};
extern const char *const action_names[ACT__N];
bool role_may(enum role r, enum action a);

/* ---- settings.c: the township's settings, their defaults and checks --- */

struct setting_def {
	const char *key;
	const char *def;       /* default value */
	const char *help;      /* msgid */
	int kind;              /* SET_TEXT, SET_INT, SET_ROUNDING, SET_DATES */
	long min, max;         /* for SET_INT */
};
enum { SET_TEXT = 0, SET_INT, SET_ROUNDING, SET_DATES, SET_READONLY, SET_MONEY,
	SET_KEY32, /* a 32-byte key as 64 hex digits, or empty (i14) */
};
extern const struct setting_def setting_defs[];
extern const int n_setting_defs;
const struct setting_def *setting_def_find(const char *key);
/* Validate (and normalise into out) a value for a setting; 0 or -1 *why */
int setting_validate(const struct setting_def *d, const char *val, char *out, size_t outsize,
    const char **why);
int rounding_parse(const char *s, enum rounding *out);
extern const char *const rounding_names[];

/* ---- calc.c: the benefit calculation (按标补差, SPEC section 3) -------- */

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

/* ---- checklist.c: the document checklist (SPEC section 5) ------------- */

enum item_when {
	WHEN_ALWAYS = 0, WHEN_DISABLED, WHEN_ILL, WHEN_KIN, WHEN_EXIT, WHEN_REVIEW, WHEN__N
};
extern const struct term when_terms[WHEN__N];

struct checklist_def {
	char code[ITEM_CODE_MAX];
	char name[TEXT_MEDIUM];
	enum status stage;        /* the state it is needed to enter */
	enum item_when when;
	bool needs_sign;
	bool needs_stamp;
};
extern const struct checklist_def checklist_defaults[];
extern const int n_checklist_defaults;

/* Facts about the dossier that decide which conditional items apply. */
struct checklist_facts {
	bool disabled;            /* a member is disabled */
	bool ill;                 /* a member is seriously ill */
	bool kin;                 /* a kin match exists */
};
void checklist_facts_of(const struct dossier *d, bool kin, struct checklist_facts *f);
/* Does the item apply to this dossier? */
bool checklist_applies(const struct checklist_def *def, const struct checklist_facts *f);
/* The dossier's state of an item (NULL if nothing recorded). */
const struct check_item *checklist_item(const struct dossier *d, const char *code);
/* Received, and signed and stamped where the item needs it. */
bool checklist_item_complete(const struct checklist_def *def, const struct check_item *it);
/* Codes of the items needed to enter `target` (or, with WHEN_REVIEW or
 * WHEN_EXIT, to complete a review or an exit) that are incomplete, joined
 * with "、" into buf; returns how many. */
int checklist_missing(const struct dossier *d, const struct checklist_def *defs, int n,
    const struct checklist_facts *f, enum status target, enum item_when event, dbdate_t since,
    char *buf, size_t size);

/* ---- workflow.c: the case procedure (SPEC section 3) ------------------- */

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

/* ---- due.c: what is near or past its date ------------------------------ */

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

/* ---- rules.c: R1–R13 (SPEC section 3) --------------------------------- */

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

/* ---- demo.c: a deterministic synthetic township ---------------------- */

struct demo_rng { uint64_t s; };            /* splitmix64 */
void demo_seed(struct demo_rng *r, uint64_t seed);
uint32_t demo_next(struct demo_rng *r, uint32_t n);   /* uniform 0..n-1 */
/* The demo villages: name and groups ("一组,二组,…"); NULL-terminated. */
extern const char *const demo_villages[][2];
/* Fill *d with household number `index` (0-based) of a demo township, as
 * of `today`: everything but d->no (the caller assigns numbers).  Uses the
 * standards urban/rural (fen) to place incomes around the line.  The same
 * (seed state, index) always gives the same household: *r is read, not
 * advanced, so households can be made in any order.  ID numbers are
 * unique across indices 0..243,332 whatever the seed. */
void demo_household(struct demo_rng *r, int index, dbdate_t today, fen_t std_urban,
    fen_t std_rural, struct dossier *d);


/* ---- report.c: ledgers, reports and lists (SPEC 6, 7) ----------------- */
/* The period of the monthly report for month m: from the day after the
 * previous month's cutoff to the cutoff day of m (cutoff 25: 2026-03 runs
 * 2026-02-26 .. 2026-03-25). */
void report_period(dbmonth_t m, int cutoff, dbdate_t *from, dbdate_t *to);
/* The month whose report is due next on today, and whether the dashboard
 * warns (from the 20th to the cutoff day, while it is not yet made). */
dbmonth_t report_month_due(dbdate_t today, int cutoff);
bool report_due_warn(dbdate_t today, int cutoff);
/* Open (not closed) and past its deadline on today. */
bool ledger_overdue(dbdate_t deadline, dbdate_t closed, dbdate_t today);
/* May this member be named in a public notice (seed 004)?  Not a minor on
 * `on`, not HIV/AIDS, not otherwise confidential. */
bool member_publishable(const struct member *m, dbdate_t on);
/* The name a public notice shows for the household: the head's, or
 * "依规不予公示" when the head may not be named. */
const char *notice_name(const struct dossier *d, dbdate_t on);
extern const char notice_withheld[];
/* The statistics of a group of households (SPEC 7 totals). */
struct report_totals {
	int households, persons, women, elderly, minors, disabled;
	fen_t amount;
};
/* One guaranteed person counted, as of date `on`: sex and birth from the
 * ID number; disabled as recorded. */
void report_count_person(struct report_totals *t, const char *id, bool disabled, dbdate_t on);
/* Groups by a text key (village, area, category, support): a small ordered
 * table; returns the group of key (added if new), NULL when full. */
struct report_group {
	char key[TEXT_SHORT];
	struct report_totals t;
};
struct report_totals *report_group(struct report_group *g, int *n, int max, const char *key);
void report_totals_add(struct report_totals *to, const struct report_totals *t);
/* UTF-8 byte order mark: every CSV starts with it (Excel, WPS). */
extern const char csv_bom[4];


/* ---- payment.c: the subsidy card and R14 (issue 13) ---------------------- */
#define ACCOUNT_MIN 12
#define ACCOUNT_MAX 30
/* Digits only (spaces dropped), 12–30 of them; -1 with *why (a msgid). */
int account_normalize(const char *in, char out[ACCOUNT_MAX + 1], const char **why);
/* Why the recorded holder may not receive the money on `on` (a msgid), or
 * NULL: none recorded, not a member, dead. */
const char *holder_problem(const struct dossier *d, dbdate_t on);
/* R14 for a dossier with an account: the holder, and shared_with (another
 * active dossier with the same account, NULL none).  Returns the results
 * written, or -1 when they would not fit in max or a message would be cut
 * (nothing dropped silently, as rules_check). */
int r14_check(const struct dossier *d, const char *shared_with, dbdate_t on, translate_fn tr,
    struct rule_result *out, int max);
/* ---- afile.c: every file dibao writes, whole or not at all (issue 16) ---
 * The one place core touches files: every layer writes some (archives,
 * PDFs, CSV/XLSX, attachments), through libc only.  Errors: -1 with errno
 * set and a->what naming the step that failed ("fsync", "rename"…). */

/* Files with ID numbers, accounts, names: readable by the clerk only,
 * whatever the umask.  dibao writes no other kind. */
#define AFILE_PRIVATE 0600

struct afile {
	char path[4096];      /* the target */
	char tmp[4096];       /* the temporary beside it ("" once renamed) */
	int fd;
	FILE *f;              /* afile_open: write here */
	const char *what;     /* the step that failed */
};
/* A temporary file beside path (same directory) with mode set by fchmod:
 * the umask plays no part; open for writing as a->f. */
int afile_open(struct afile *a, const char *path, unsigned mode);
/* The same, for a library that writes a file by name: it writes a->tmp. */
int afile_reserve(struct afile *a, const char *path, unsigned mode);
/* Flush, fsync, close, rename over path, fsync the directory.  0: durable
 * (only now may the export be recorded); -1: path untouched, the temporary
 * removed (or, when only the directory's fsync failed, not yet durable). */
int afile_commit(struct afile *a);
/* Close and remove the temporary; path untouched. */
void afile_abort(struct afile *a);
/* A whole buffer, atomically; *what names the failed step. */
int afile_write(const char *path, const void *p, size_t n, unsigned mode, const char **what);
/* All n bytes to fd (short writes and EINTR continued): 0, or -1 with errno
 * (the sealed archive and the attachment streams) */
int fd_write_all(int fd, const void *p, size_t n);

#endif
