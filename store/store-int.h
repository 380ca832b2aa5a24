/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store-int.h — what the store's own files share: the environment handle
 * and the table of databases.  Nothing outside store/ includes this.
 */
#ifndef DIBAO_STORE_INT_H
#define DIBAO_STORE_INT_H

#include <db.h>
#include <jansson.h>
#include <limits.h>
#include <string.h>
#include <sys/types.h>

#include "store/store.h"

enum dbi {
	DBI_META = 0,
	DBI_SETTINGS,
	DBI_STANDARDS,
	DBI_VILLAGES,
	DBI_USERS,
	DBI_DOSSIERS,
	DBI_DOSSIER_IDNO,    /* member ID number -> dossier (one per member) */
	DBI_DOSSIER_VILLAGE,
	DBI_DOSSIER_STATUS,
	DBI_DOSSIER_NAME,    /* member name -> dossier (prefix search) */
	DBI_AUDIT,
	DBI_AUDIT_OBJECT,
	DBI_ATTACH,
	DBI_CHECKLIST,       /* the township's checklist template, by item code */
#define DBI_FIRST_ADDED DBI_CHECKLIST /* tables from here on may be added to an older directory */
	DBI_CALCS,           /* calculation records: dossier + sequence */
	DBI_KIN_STAFF,        /* staff ID number -> 关联人员 */
	DBI_KIN_RELATIVES,    /* staff ID + relative ID -> declared relative */
	DBI_KIN_RELATIVE_IDNO,/* relative ID -> relatives key (duplicates) */
	DBI_KIN_MATCHES,      /* dossier + member ID + staff ID -> match */
	DBI_KIN_FILINGS,      /* filing number -> 备案记录 */
	DBI_PRINTS,           /* print number -> print record (prints.c) */
	DBI_PRINT_CODE,       /* verification code -> print numbers (duplicates) */
	DBI_CLUES,            /* clue number -> 举报线索 */
	DBI_FIXES,            /* rectification number -> 整改 */
	DBI_VISITS,           /* screening kind + dossier -> last visit outcome */
	DBI_COUNTY_ARCHIVES,  /* township + "-" + YYYY-MM -> archive imported (county) */
	DBI_COUNTY_PEOPLE,    /* township + ID number -> person enrolled (county) */
	DBI_COUNTY_PEOPLE_IDNO,/* ID number -> people keys (duplicates) */
	DBI_COUNTY_CASES,     /* township + "-" + YYYY-MM + "-" + dossier -> case */
	/* payment (issue 13): the subsidy card's account index, batches, rows */
	DBI_DOSSIER_ACCOUNT,  /* subsidy-card account -> dossier (duplicates: R14) */
	DBI_PAY_BATCHES,      /* u32 month -> submitted payment batch */
	DBI_PAY_ROWS,         /* u32 month + u8 kind + dossier -> batch row */
	DBI_PAY_HISTORY,      /* dossier + u32 month + u8 kind + u32 of-month -> history entry */
	DBI_PAY_RECON,        /* u32 month + u32 item -> reconciliation item */
	DBI_COUNTY_PAYMENTS,  /* township + "-" + YYYY-MM -> payment batch summary (county, issue 13) */
	/* the standby PC (issue 18): files the standby materialises */
	DBI_REPLICA_FILES,    /* relative path + NUL + u32 chunk -> file chunk */
	DBI__N
};

typedef int (*extract_fn)(DB *, const DBT *, const DBT *, DBT *);

struct db_table {
	const char *file;
	DBTYPE type;
	unsigned flags;       /* DB_DUPSORT for non-unique secondaries */
	int primary;          /* -1, or the primary this indexes */
	extract_fn extract;
	u_int32_t pagesize;   /* 0 = BDB's default */
};

extern const struct db_table db_tables[DBI__N];

struct store {
	DB_ENV *env;
	DB *db[DBI__N];
	char dir[PATH_MAX];
	int flags;
	unsigned commits;
	int last_ret;         /* last BDB code seen by store_dberr(): retry? */
	char bdb_msg[512];    /* last message from BDB's errcall */
	/* integrity (i12): the version the clerk saw, checked by the next
	 * dossier write inside its transaction (store_expect_version) */
	uint32_t expect_version;
	char expect_no[DOSSIER_NO_LEN + 1];
	/* encryption at rest (crypt.c) */
	bool enc;
	unsigned char key[32];
	char recovery[RECOVERY_CODE_MAX]; /* set by init, for the recovery sheet */
	int lockfd;
	long shmkey;          /* the regions' System V base key */
	struct failchk *fc;   /* failchk.c: the watchdog (issue 16) */
	struct audit_track *track; /* audit-state.c: this transaction's writes (issue 16.5) */
};

/* Map a BDB return code to an error, with what we were doing. */
int store_dberr(struct store *st, int ret, const char *doing, struct err *e);
/* mkdir -p: the directories above dir as needed (0755), dir itself 0700;
 * an existing dir is fine.  E_STORAGE naming the one that failed. */
int store_mkdirs(const char *dir, struct err *e);
/* Is this BDB code one store_txn_run retries? */
bool store_retryable(int ret);
/* ---- crypt.c (i14): the key file and the encrypted environment ---- */
/* WRAP_RESET (issue 14): a user of a store that `dibao encrypt` converted,
 * who has no wrap until an administrator sets a new password; what stays
 * is the old password's Argon2id string, so the login can tell them so */
enum { WRAP_USER = 1, WRAP_RECOVERY = 2, WRAP_DISABLED = 3, WRAP_RESET = 4 };
struct key_wrap {
	char login[USER_MAX_BYTES];
	int kind;
	unsigned char salt[16];            /* crypto_pwhash_SALTBYTES */
	uint64_t ops, mem;
	unsigned char nonce[24];           /* crypto_secretbox_NONCEBYTES */
	unsigned char box[16 + 32];        /* MAC + data key */
	unsigned char check[32];           /* BLAKE2b of the wrapping key */
	char pwhash[128];                  /* WRAP_RESET: the old Argon2id string */
};
int crypt_attach(struct store *st, int flags, const unsigned char *key, struct err *e);
int crypt_env_setup(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e);
void crypt_env_opened(struct store *st);
void crypt_env_release(struct store *st);
int crypt_wrap_make(const struct store *st, const char *secret, struct key_wrap *k, struct err *e);
int crypt_wrap_put(struct store *st, const char *login, const struct key_wrap *k, struct err *e);
int crypt_wrap_del(struct store *st, const char *login, struct err *e);
/* resets: the users of an encrypted conversion who need a new password
 * (login and old Argon2id string), n of them */
int crypt_keys_init(struct store *st, const char *admin, const char *password, const struct user *resets, int n,
    struct err *e);
int crypt_unwrap(const char *dir, int kind, const char *login, const char *secret, unsigned char key[32],
    bool *outdated, struct err *e);
int crypt_check(struct store *st, problem_fn fn, void *baton);
int crypt_backup_keys(struct store *st, const char *dir, struct err *e);
void crypt_attach_key(const struct store *st, unsigned char out[32]);
int attach_copy_sealed(struct store *dst, const char *src_path, const char *sha_hex, struct err *e);
int user_lock_all_but(struct store *st, store_txn *txn, const char *login, json_t *locked, struct err *e);
/* Reopen after DB_RUNRECOVERY */
int store_reopen(struct store *st, struct err *e);

/* dossier record field tags (FORMAT.md), shared with the index extractors */
enum dossier_tag {
	DT_NO = 1, DT_VERSION, DT_AREA, DT_VILLAGE, DT_GROUP, DT_ADDRESS, DT_PHONE,
	DT_BANK, DT_ACCOUNT, DT_SUPPORT, DT_POVERTY, DT_CATEGORY, DT_FLAGS,
	DT_STATUS, DT_APPLIED, DT_STATUS_DATE, DT_TOTAL, DT_EFFECTIVE,
	DT_NEXT_REVIEW, DT_EXIT_REASON, DT_PREVIOUS, DT_HEAD,
	DT_MEMBER = 30, DT_INCOME, DT_EXPENSE, DT_CHECK, DT_PROC, DT_ITEM,
	DT_DEPOSITS = 40, DT_VEHICLES, DT_PROD_VEHICLES, DT_HOUSES, DT_BUSINESSES,
	DT_HOLDER = 60,       /* the subsidy card's holder (issue 13) */
};
enum member_tag {
	MT_NAME = 1, MT_ID, MT_BIRTH, MT_SEX, MT_RELATION, MT_HEALTH, MT_ILLNESS,
	MT_DISABILITY, MT_GRADE, MT_LABOUR, MT_OCCUPATION, MT_FLAGS, MT_DEATH,
	MT_DEATH_CERT, MT_DEATH_CAUSE,
};
enum proc_tag {
	PT_ACCEPTED = 1, PT_SURVEYOR1, PT_SURVEYOR2, PT_SURVEYED, PT_VERIFIED, PT_EVALUATED,
	PT_EVAL_PARTICIPANTS, PT_EVAL_REPS, PT_REVIEWED_BY, PT_REVIEWED, PT_NOTICE_START,
	PT_NOTICE_END, PT_APPROVED_BY, PT_APPROVED, PT_DECIDED_BY, PT_DECIDED, PT_REASON,
	PT_OVERRIDE, PT_LAST_REVIEW, PT_GRADUAL_EXIT_END, PT_CALC_SEQ,
};
enum item_tag2 { CT_CODE = 1, CT_RECEIVED, CT_RECEIVED_BY, CT_SIGNED, CT_STAMPED, CT_SCAN, CT_NOTE };
#define DOSSIER_REC_VERSION 1

/* kin registry record tags (FORMAT.md 4.9–4.12) */
enum kin_staff_tag {
	KS_ID = 1, KS_NAME, KS_KIND, KS_UNIT, KS_POSITION, KS_FROM, KS_TO, KS_ENDED,
	KS_REGISTERED, KS_REGISTERED_BY,
};
enum kin_relative_tag {
	KR_STAFF = 1, KR_ID, KR_NAME, KR_RELATION, KR_DECLARED, KR_REMOVED, KR_DECLARED_BY,
};
enum kin_match_tag {
	KM_DOSSIER = 1, KM_MEMBER, KM_STAFF, KM_RELATION, KM_MEMBER_NAME, KM_STAFF_NAME,
	KM_FOUND, KM_FILING,
};
enum kin_filing_tag {
	KF_NO = 1, KF_DOSSIER, KF_MEMBER, KF_MEMBER_NAME, KF_NOTE, KF_STATUS, KF_FILED_BY,
	KF_FILED, KF_REVIEWED_BY, KF_REVIEWED, KF_REPORTED,
	KF_STAFF = 20, /* nested: KFS_* */
};
enum kin_filing_staff_tag { KFS_ID = 1, KFS_NAME, KFS_RELATION };
#define KIN_REC_VERSION 1

/* print record tags (FORMAT.md 4.13) */
enum print_tag {
	PR_SEQ = 1, PR_CODE, PR_FORM, PR_DOSSIER, PR_SCOPE, PR_VERSION, PR_HASH, PR_OP,
	PR_TIME, PR_COPIES, PR_REPRINT_OF,
};
#define PRINT_REC_VERSION 1
/* fixed-width keys: ID numbers are 18 bytes, dossier numbers 20 */
#define KIN_REL_KEY_LEN (2 * ID_LEN)
#define KIN_MATCH_KEY_LEN (DOSSIER_NO_LEN + 2 * ID_LEN)

/* ledger record tags (FORMAT.md 4.13–4.15) */
enum clue_tag {
	CL_NO = 1, CL_RECEIVED, CL_CHANNEL, CL_REPORTER, CL_DOSSIER, CL_CONTENT, CL_CATEGORY,
	CL_HANDLER, CL_DEADLINE, CL_RECORDED_BY, CL_FINDING, CL_ACTION, CL_TRANSFERRED,
	CL_CLOSED, CL_CLOSED_BY,
	CL_NOTE = 20, /* nested: LN_* */
};
enum fix_tag {
	FX_NO = 1, FX_RECORDED, FX_PROBLEM, FX_SOURCE, FX_MEASURE, FX_OWNER, FX_DEADLINE,
	FX_RECORDED_BY, FX_EVIDENCE, FX_CLOSED, FX_CLOSED_BY,
	FX_NOTE = 20, /* nested: LN_* */
};
enum ledger_note_tag { LN_DATE = 1, LN_BY, LN_TEXT };
/* county record tags (FORMAT.md 4.17–4.19) */
enum county_archive_tag {
	CA_TOWNSHIP = 1, CA_NAME, CA_PERIOD, CA_MANIFEST, CA_PREVIOUS, CA_DOSSIERS, CA_FILES,
	CA_AUDIT, CA_FILINGS, CA_PEOPLE, CA_CASES, CA_IMPORTED, CA_BY,
	CA_AUDIT_HEAD, CA_SIGNER, /* issue 16.5 */
};
enum county_person_tag { CP_ID = 1, CP_TOWNSHIP, CP_DOSSIER, CP_NAME, CP_PERIOD, CP_STATUS };
enum county_case_tag {
	CC_TOWNSHIP = 1, CC_PERIOD, CC_DOSSIER, CC_HEAD, CC_VILLAGE, CC_PERSONS, CC_TOTAL, CC_KIN, CC_ADDED,
};
#define COUNTY_REC_VERSION 1
enum visit_tag { VS_KIND = 1, VS_DOSSIER, VS_DATE, VS_BY, VS_OUTCOME };
#define LEDGER_REC_VERSION 1
/* clue.c: the progress notes of both ledgers */
void ledger_notes_encode(struct buf *b, uint16_t tag, const struct ledger_note *n, int count);
int ledger_note_decode(const struct rec_reader *r, struct ledger_note *n);
/* clue.c: generic get (1 = not found) and put of a ledger record */
/* case.c: the NOTICED step (and every other advance) inside a caller's txn */
int case_advance_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    const struct case_opts *o, struct case_result *res, struct err *e);

/* audit.c: append with a JSON detail (stolen; NULL allowed) */
#include <jansson.h>
int audit_appendj(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, json_t *detail, struct err *e);
/* dossier.c: dossier_update whose audit detail fn fills as it goes */
int dossier_update_detail(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e);

/* dossier.c: refused (closed: apply again) unless the case is open, as
 * for every change to members and finances */
int dossier_require_open(const struct dossier *d, struct err *e);

/* dossier.c: dossier_update_detail inside the caller's transaction */
int dossier_update_txn(struct store *st, store_txn *txn, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, json_t *detail, struct err *e);

/* walk.c: fn gets each record's bytes; it returns 0 to go on, 1 to stop,
 * -1 when the record does not decode (the walk fails with `damaged`). */
typedef int (*walk_fn)(const void *p, size_t len, void *baton);
/* Read a record (malloc'd into out; with DB_RMW inside a transaction when
 * rmw): 0 found, 1 not found, -1 error.  Write one: create refuses an
 * existing key. */
int record_get(struct store *st, store_txn *txn, int dbi, const void *key, size_t klen, DBT *out, bool rmw,
    struct err *e);
int record_put(struct store *st, store_txn *txn, int dbi, const void *key, size_t klen, const struct buf *b,
    bool create, struct err *e);
int store_walk(struct store *st, int dbi, walk_fn fn, void *baton, const char *damaged, struct err *e);
/* dossier.c: the first active dossier an index lists under key, other than
 * except_no (1 found, 0 none); by ID number and by card account (R14) */
int dossier_active_by_index(struct store *st, store_txn *txn, int dbi, const char *key, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], const char *what, struct err *e);
/* county-payment.c (issue 13): store an archive's payment batch summary */
int county_payment_put(struct store *st, store_txn *txn, const struct county_payment *p, struct err *e);

/* settings.c: write a setting without checks or audit (init) */
int setting_put_raw(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e);

/* attach.c */
int attach_hash_file(const char *path, unsigned char out[32], off_t *size);

/* index.c */
int idx_dossier_idno(DB *, const DBT *, const DBT *, DBT *);
int idx_dossier_village(DB *, const DBT *, const DBT *, DBT *);
int idx_dossier_status(DB *, const DBT *, const DBT *, DBT *);
int idx_dossier_name(DB *, const DBT *, const DBT *, DBT *);
int idx_audit_object(DB *, const DBT *, const DBT *, DBT *);
int idx_kin_relative_idno(DB *, const DBT *, const DBT *, DBT *);
int idx_print_code(DB *, const DBT *, const DBT *, DBT *);
int idx_county_people_idno(DB *, const DBT *, const DBT *, DBT *);
int idx_dossier_account(DB *, const DBT *, const DBT *, DBT *);

/* ---- faults (issue 16): failchk.c, txn.c ---- */
/* Before DB_ENV->open: thread naming, liveness and count for DB_FAILCHK. */
int store_failchk_setup(DB_ENV *env);
/* The watchdog thread of an open store: start once, point it at the open
 * environment (NULL while closed), end at store_close. */
int store_failchk_start(struct store *st);
void store_failchk_env(struct store *st, DB_ENV *env);
void store_failchk_end(struct store *st);
/* The open failed on regions an older dibao made without a thread table:
 * true when they were removed (no one uses them) and the open may retry. */
bool store_failchk_old_regions(struct store *st);
/* The open failed for a full disk (ENOSPC): the partial regions removed
 * when no one else uses them, and e says which disk and how much space;
 * -1 either way (as an error return). */
int store_failchk_nospace(struct store *st, struct err *e);
/* The region files of dir made whole on disk (no holes a full disk would
 * turn into SIGBUS): 0 or an errno (ENOSPC) */
int store_regions_back(const char *dir);
/* Expire overdue lock waits and run failchk now: 0 or a BDB code
 * (DB_RUNRECOVERY: reopen). */
int store_failchk(struct store *st);
/* Remove the region files of dir when no process uses it, even when a
 * killed process's attachment is still counted in them: 0 or a BDB/errno
 * code (EBUSY: a live process uses it).  setup (may be NULL) configures each
 * handle before it attaches (an encrypted store's key and shared memory). */
int store_regions_remove(const char *dir, int (*setup)(DB_ENV *env, void *baton), void *baton);
/* store_close has begun: stuck from now on, the command's work is done and
 * the stuck handler gets NULL instead of a message. */
void store_failchk_closing(void);
/* The seeded random back-off after a deadlock. */
void store_backoff(int attempt);
/* Close a cursor; the first error wins: ret unless ret was 0 or
 * DB_NOTFOUND and the close failed. */
int store_cursor_close(DBC *c, int ret);
/* A read outside a transaction failed with ret: true when it should simply
 * run again (a deadlock or an expired lock wait, after a back-off; another
 * process's recovery, after reopening).  *tries counts the attempts. */
bool store_read_again(struct store *st, int ret, int *tries);

/* check-snapshot.c: a consistent copy to check (a hot backup under
 * $TMPDIR opened with catastrophic recovery); close removes it. */
int store_snapshot_open(struct store *st, struct store **snap, char dir[PATH_MAX], struct err *e);
void store_snapshot_close(struct store *snap, const char *dir);

/* ---- audit-state.c: the chain covers state (issue 16, point 5) ---- */
/* the audit entry's fields (FORMAT.md 4.x): version 2 adds AT_STATE */
enum audit_tag {
	AT_SEQ = 1, AT_TIME, AT_OP, AT_OBJECT, AT_ACTION, AT_DETAIL, AT_PREV, AT_HASH,
	AT_STATE = 9,         /* nested: a record written (file, key, SHA-256) or deleted */
};
#define AUDIT_REC_VERSION 2
/* Note a record written (val) or deleted (val NULL) in the current
 * transaction: every put and del of a record table calls this. */
void audit_track(struct store *st, int dbi, const void *key, size_t klen, const void *val, size_t vlen);
/* store_txn_run: a transaction (attempt) begins; the store closes. */
void audit_track_begin(struct store *st);
void audit_track_free(struct store *st);
/* audit.c: the writes noted so far as state fields of the entry in b;
 * then the entry's sequence number, remembered for the seal */
int audit_state_fields(struct store *st, struct buf *b, struct err *e);
void audit_state_entry(struct store *st, uint64_t seq);
/* store_txn_run, before the commit: writes after the last entry join it */
int audit_state_seal(struct store *st, store_txn *txn, struct err *e);
/* check: each record's bytes against its latest state; problems counted */
int audit_state_check(struct store *st, problem_fn fn, void *baton);
/* check.c: one problem reported (fn) and counted */
void store_problemv(problem_fn fn, void *baton, int *count, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* small DBT helpers */
static inline void
dbt_init(DBT *d, const void *p, size_t n)
{
	memset(d, 0, sizeof *d);
	d->data = (void *)p;
	d->size = (u_int32_t)n;
}

/* integrity (i12): R11, the actor must stand aside from this dossier:
 * E_REFUSED with the reason (case.c) */
int dossier_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d, struct err *e);
/* integrity (i12): the active account carrying a resident ID (user.c) */
int user_by_person(struct store *st, store_txn *txn, const char *id, const char *except, char who[USER_MAX_BYTES],
    struct err *e);

#endif
