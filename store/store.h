/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.h — the Berkeley DB store: one transactional environment per data
 * directory, the record codec, the audit chain, users, settings, standards,
 * villages, dossiers and attachments.
 *
 * Every write runs inside store_txn_run() and appends to the audit chain
 * in the same transaction.  Errors come back in a struct err whose code
 * maps to the command line's exit status; the store never exits.
 */
#ifndef DIBAO_STORE_H
#define DIBAO_STORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"

#define _(s) dgettext("dibao", s)
#include <libintl.h>

/* ---- err.c ------------------------------------------------------------ */

enum err_code {
	E_OK = 0,
	E_REFUSED = 1,  /* invalid input, a rule says no, not allowed */
	E_USAGE = 2,
	E_STORAGE = 3,  /* storage or internal error */
	E_NOTFOUND = 4, /* reported as refused (exit 1) */
	E_CHANGED = 5,  /* changed by someone else since it was read (exit 1) */
};

struct err {
	int code;
	char msg[16384];   /* every reason of a refusal (i12: was 4096) */
};

void err_clear(struct err *e);
/* Set (replace) the error; fmt is already translated.  Returns -1. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append a line to the message (every reason of a refusal).  Returns -1. */
int err_add(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Exit status for the command line. */
int err_exit_status(const struct err *e);

/* Progress of a long job: fn is told how far it got (done never goes
 * back, and is at most total, except that a write transaction retried
 * after a deadlock starts again from 0); returning true cancels it (a
 * cancelled job records and writes nothing and fails E_REFUSED with a
 * message saying so). */
struct progress {
	bool (*fn)(int done, int total, void *baton);
	void *baton;
};

/* ---- codec.c: versioned, byte-order independent records --------------- */

struct buf {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_put_u8(struct buf *b, uint8_t v);
void buf_put_u32(struct buf *b, uint32_t v);
void buf_put_u64(struct buf *b, uint64_t v);
void buf_put_bytes(struct buf *b, const void *p, size_t n);
/* Record header: magic "DB", record type, record format version. */
void rec_begin(struct buf *b, uint8_t type, uint8_t version);
void rec_int(struct buf *b, uint16_t tag, int64_t v);
void rec_str(struct buf *b, uint16_t tag, const char *s);
void rec_blob(struct buf *b, uint16_t tag, const void *p, size_t n);
/* A nested record (a member inside a dossier) */
void rec_nested(struct buf *b, uint16_t tag, const struct buf *inner);

struct rec_reader {
	const unsigned char *p;
	size_t len, off;
	uint8_t type, version;
	/* current field */
	uint16_t tag;
	const unsigned char *val;
	uint32_t vlen;
};

/* Check magic and type; 0 ok, -1 bad header or unknown newer version. */
int rec_open(struct rec_reader *r, const void *p, size_t len, uint8_t type, uint8_t max_version);
/* Open a nested record body (no header). */
void rec_open_nested(struct rec_reader *r, const void *p, size_t len);
/* Next field: 1 got one, 0 end, -1 corrupt. */
int rec_next(struct rec_reader *r);
int64_t rec_get_int(const struct rec_reader *r);
/* Copy the current string field; -1 if it does not fit or is not UTF-8. */
int rec_get_str(const struct rec_reader *r, char *dst, size_t size);

/* record types */
/* Record types: numbers are part of the format (docs/FORMAT.md); never
 * renumber, only append. */
enum rec_type {
	RT_META = 1, RT_USER = 2, RT_DOSSIER = 3, RT_MEMBER = 4, RT_INCOME = 5, RT_EXPENSE = 6,
	RT_CHECK = 7, RT_AUDIT = 8, RT_VILLAGE = 9, RT_ATTACH = 10, RT_CHECKDEF = 11, RT_CALC = 12,
	RT_KIN_STAFF = 13, RT_KIN_RELATIVE = 14, RT_KIN_MATCH = 15, RT_KIN_FILING = 16, RT_PRINT = 17,
	RT_CLUE = 18, RT_FIX = 19, RT_VISIT = 20,
	RT_COUNTY_ARCHIVE = 21, RT_COUNTY_PERSON = 22, RT_COUNTY_CASE = 23,
	/* protection (i14): the key file beside the environment (crypt.c) */
	RT_KEYFILE = 45,
	/* the standby PC (issue 18): a chunk of a replicated file (replica.c) */
	RT_REPLICA_CHUNK = 70,
};

/* ---- env.c ------------------------------------------------------------ */

#define STORE_FORMAT 1 /* on-disk format of the data directory */

struct store;
typedef struct __db_txn store_txn;

enum store_open_flags {
	STORE_CREATE = 1,   /* a new data directory (init) */
	STORE_FATAL = 2,    /* catastrophic recovery (restore) */
	STORE_READONLY = 4, /* do not expect to write (still transactional) */
	STORE_ENCRYPT = 8,  /* with STORE_CREATE: an encrypted data directory (crypt.c) */
};

int store_open(struct store **out, const char *dir, int flags, struct err *e);
void store_close(struct store *st);
const char *store_dir(const struct store *st);
/* Checkpoint and remove log files no recovery needs. */
int store_maintain(struct store *st, struct err *e);

/* ---- failchk.c: a crashed process never freezes the others (issue 16) -- */

/* Release what crashed dibao processes held (their locks, transactions)
 * now; the console calls it in its idle tick, a watchdog thread each second.
 * Reopens (recovery) when BDB asks for it.  0, or -1 with e set. */
int store_failchk_now(struct store *st, struct err *e);
/* Called from the watchdog thread when this process is stuck for good on a
 * lock a crashed process held inside BDB (BDB 5.3 cannot wake it): the front
 * end shows msg and ends the process.  Without one the process waits.
 * msg is NULL when it is stuck in store_close (a crashed process's cache
 * latch): every commit is in the log, the command's work is done, and the
 * front end ends with the command's own status. */
typedef void (*store_stuck_fn)(const char *msg);
void store_set_stuck_handler(store_stuck_fn fn);

/* ---- txn.c ------------------------------------------------------------ */

typedef int (*txn_body_fn)(struct store *st, store_txn *txn, void *baton, struct err *e);
/* Begin, run body, commit; on deadlock abort and retry with back-off; on
 * DB_RUNRECOVERY reopen the environment and retry.  A body returning -1
 * aborts (nothing changed). */
int store_txn_run(struct store *st, txn_body_fn body, void *baton, struct err *e);

/* ---- meta.c: format, township identity, counters --------------------- */

int meta_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e);
int meta_put(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e);
/* The greatest key that starts with prefix and sorts before key (meta keys
 * of months: the latest earlier month); E_NOTFOUND if none. */
int meta_last_before(struct store *st, store_txn *txn, const char *prefix, const char *key,
    char *kbuf, size_t ksize, char *vbuf, size_t vsize, struct err *e);
/* Increment a named counter (read with DB_RMW); returns the new value in *out */
int meta_next(struct store *st, store_txn *txn, const char *key, uint32_t *out, struct err *e);

/* ---- audit.c ---------------------------------------------------------- */

struct audit_entry {
	uint64_t seq;
	int64_t time;
	char op[USER_MAX_BYTES];
	char action[TEXT_SHORT];
	char object[TEXT_SHORT];
	char *detail;              /* malloc'd UTF-8 (JSON or text) */
	unsigned char prev[32];
	unsigned char hash[32];
};

/* Append an entry in txn; detail may be NULL. */
int audit_append(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, const char *detail, struct err *e);
typedef int (*audit_fn)(const struct audit_entry *a, void *baton);
/* Walk all entries in order (object NULL) or those of one object. */
int audit_walk(struct store *st, const char *object, audit_fn fn, void *baton, struct err *e);
/* The number of entries (the head's sequence number): one meta read. */
int audit_length(struct store *st, store_txn *txn, uint64_t *n, struct err *e);
/* Verify the chain; returns 0 if intact, -1 with e naming the first bad entry. */
int audit_verify(struct store *st, uint64_t *count, unsigned char head[32], struct err *e);
void audit_entry_free(struct audit_entry *a);
void hex32(const unsigned char h[32], char out[65]);

/* ---- user.c ----------------------------------------------------------- */

/* Actions checked against the role table (core/roles.c). */
/* password NULL: a locked account until user_passwd sets one */
int user_add(struct store *st, const struct user *actor, const struct user *u,
    const char *password, struct err *e);
int user_get(struct store *st, store_txn *txn, const char *login, struct user *out, struct err *e);
int user_passwd(struct store *st, const struct user *actor, const char *login,
    const char *password, struct err *e);
int user_disable(struct store *st, const struct user *actor, const char *login, struct err *e);
typedef int (*user_fn)(const struct user *u, void *baton);
int user_list(struct store *st, user_fn fn, void *baton, struct err *e);
/* Check the password; audited when it fails. */
int user_login(struct store *st, const char *login, const char *password, struct user *out, struct err *e);
int store_init(struct store *st, const char *code, const char *name, bool county,
    const char *admin, const char *password, struct err *e);

/* ---- settings.c ------------------------------------------------------- */

int setting_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e);
int setting_get_int(struct store *st, store_txn *txn, const char *key, int64_t *out, struct err *e);
int setting_set(struct store *st, const struct user *actor, const char *key, const char *val, struct err *e);
typedef int (*setting_fn)(const char *key, const char *val, const char *help, void *baton);
int setting_list(struct store *st, setting_fn fn, void *baton, struct err *e);

int standard_set(struct store *st, const struct user *actor, enum area a, dbmonth_t from,
    fen_t amount, struct err *e);
/* The standard in force for (area, month); E_NOTFOUND if none. */
int standard_get(struct store *st, store_txn *txn, enum area a, dbmonth_t m, fen_t *out,
    dbmonth_t *from, struct err *e);
typedef int (*standard_fn)(enum area a, dbmonth_t from, fen_t amount, void *baton);
int standard_list(struct store *st, standard_fn fn, void *baton, struct err *e);

/* ---- village.c -------------------------------------------------------- */

struct village {
	char name[TEXT_SHORT];
	char groups[TEXT_MEDIUM];  /* comma separated */
	char aliases[TEXT_MEDIUM]; /* comma separated */
};
int village_add(struct store *st, const struct user *actor, const struct village *v, struct err *e);
/* The same inside the caller's transaction (a roster import adds its
 * villages together with its dossiers). */
int village_add_txn(struct store *st, store_txn *txn, const struct user *actor, const struct village *v,
    struct err *e);
/* Resolve a typed name or alias to the village's name; E_REFUSED if none. */
int village_resolve(struct store *st, store_txn *txn, const char *typed, struct village *out, struct err *e);
typedef int (*village_fn)(const struct village *v, void *baton);
int village_list(struct store *st, village_fn fn, void *baton, struct err *e);
/* A village without a group list accepts any group. */
bool village_has_group(const struct village *v, const char *group);

/* ---- dossier.c -------------------------------------------------------- */

int dossier_encode(const struct dossier *d, struct buf *b);
int dossier_decode(const void *p, size_t len, struct dossier *d);

/* Create: number assigned (printed back in d->no); head as members[0]. */
int dossier_create(struct store *st, const struct user *actor, struct dossier *d, struct err *e);
int dossier_get(struct store *st, store_txn *txn, const char *no, struct dossier *out, struct err *e);

/* Apply fn to the dossier under a write lock, bump the version, store it
 * and append an audit entry (action, detail) — all in one transaction. */
typedef int (*dossier_edit_fn)(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e);
int dossier_update(struct store *st, const struct user *actor, const char *no,
    dossier_edit_fn fn, void *baton, const char *action, const char *detail, struct err *e);
/* integrity (i12): the version of dossier `no` the clerk saw (the console's
 * form, `--version N` on the command line).  The next dossier write is
 * refused with E_CHANGED, inside its transaction, when the dossier is no
 * longer at that version (no NULL: whatever dossier it writes).  One write
 * consumes it; version 0 clears it. */
void store_expect_version(struct store *st, const char *no, uint32_t version);

/* fields of member_edit and asset_set */
#define MEMBER_F_NAME 0x1u
#define MEMBER_F_ID 0x2u
#define MEMBER_F_RELATION 0x4u
#define MEMBER_F_DISABILITY 0x8u
#define MEMBER_F_ILLNESS 0x10u
#define MEMBER_F_LABOUR 0x20u
#define MEMBER_F_OCCUPATION 0x40u
#define MEMBER_F_FLAGS 0x80u
#define ASSET_F_DEPOSITS 0x1u
#define ASSET_F_VEHICLES 0x2u
#define ASSET_F_PROD_VEHICLES 0x4u
#define ASSET_F_HOUSES 0x8u
#define ASSET_F_BUSINESSES 0x10u

/* Today's date in local time (faked by faketime in tests). */
dbdate_t store_today(void);

int member_add(struct store *st, const struct user *actor, const char *no, const struct member *m, struct err *e);
int member_edit(struct store *st, const struct user *actor, const char *no, const char *id,
    const struct member *m, unsigned fields, struct err *e);
int member_death(struct store *st, const struct user *actor, const char *no, const char *id,
    dbdate_t date, const char *cert, const char *cause, struct err *e);
int income_add(struct store *st, const struct user *actor, const char *no, const struct income_item *it, struct err *e);
/* integrity (j12, store/income-local.c): text one of the names the township
 * lists in income.excluded.local?  1 (name filled), 0 no, -1 error. */
int income_local_find(struct store *st, store_txn *txn, const char *text, char name[TEXT_SHORT], struct err *e);
int expense_add(struct store *st, const struct user *actor, const char *no, const struct expense_item *it, struct err *e);
int asset_set(struct store *st, const struct user *actor, const char *no, const struct assets *a, unsigned fields, struct err *e);

/* infocheck.c: record an agency's information-check result (信息核对):
 * one per agency, a second replaces the first (kept in the audit chain);
 * date 0 = today, never in the future; recorded by the actor. */
int infocheck_set(struct store *st, const struct user *actor, const char *no, enum check_agency agency,
    const char *result, dbdate_t date, struct err *e);

/* Record in the audit chain that actor read confidential fields (bank
 * account, HIV and other confidential flags) of a dossier. */
int dossier_reveal(struct store *st, const struct user *actor, const char *no, const char *what, struct err *e);

/* household.c: the household's own fields; NULL / -1 = unchanged.
 * expect_version != 0: refused if the dossier changed since it was read. */
struct household_edit {
	const char *village, *group, *address, *phone, *bank, *account;
	const char *holder;                /* the card's holder's ID (issue 13); NULL unchanged */
	int support, poverty;              /* enum values or -1 */
	int registered_poor, extreme_poverty; /* 0/1 or -1 */
};
int household_edit(struct store *st, const struct user *actor, const char *no, const struct household_edit *h,
    uint32_t expect_version, struct err *e);

/* R7: the active dossier holding this ID number, other than except_no. */
int dossier_by_id(struct store *st, store_txn *txn, const char *id, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e);

struct dossier_filter {
	int status;          /* -1 any */
	const char *village; /* NULL any */
	const char *search;  /* number, ID number, name or name prefix */
	size_t offset, limit;
	/* Keyset paging, without a search: the walked index holds each dossier
	 * once, in dossier-number order (within one status or village), so a
	 * page starts at a dossier number instead of counting `offset` entries
	 * (deep pages cost no more than the first).  start: the first number
	 * listed (or the next one after it); NULL: the beginning.  backward:
	 * the `limit` dossiers before start (NULL: before the end), handed to
	 * fn nearest first. */
	const char *start;
	bool backward;
};
typedef int (*dossier_fn)(const struct dossier *d, void *baton);
int dossier_list(struct store *st, const struct dossier_filter *f, dossier_fn fn, void *baton, struct err *e);
/* How many dossiers f lists (offset, limit and start ignored): from the
 * indexes' duplicate counts without a search and without both a village
 * and a status, else by walking what the list yields. */
int dossier_count(struct store *st, const struct dossier_filter *f, size_t *n, struct err *e);
/* Dossiers per status, from the status index's duplicate counts (fast). */
int dossier_count_by_status(struct store *st, size_t counts[ST__N], struct err *e);

/* Bulk load (demo, roster import): many dossiers, a few hundred a txn. */
int dossier_bulk_put(struct store *st, store_txn *txn, const struct user *actor, struct dossier *d,
    const char *action, struct err *e);
int dossier_next_no(struct store *st, store_txn *txn, int year, char no[DOSSIER_NO_LEN + 1], struct err *e);

/* ---- kin.c, kin-match.c: 近亲属备案 (SPEC 4) ------------------------- */

/* record codecs (the round trips are unit-tested) */
int kin_staff_encode(const struct kin_staff *s, struct buf *b);
int kin_staff_decode(const void *p, size_t len, struct kin_staff *s);
int kin_relative_encode(const struct kin_relative *r, struct buf *b);
int kin_relative_decode(const void *p, size_t len, struct kin_relative *r);
int kin_match_encode(const struct kin_match *m, struct buf *b);
int kin_match_decode(const void *p, size_t len, struct kin_match *m);
int kin_filing_encode(const struct kin_filing *f, struct buf *b);
int kin_filing_decode(const void *p, size_t len, struct kin_filing *f);

/* fields of kin_staff_edit */
#define KIN_F_NAME 0x1u
#define KIN_F_KIND 0x2u
#define KIN_F_UNIT 0x4u
#define KIN_F_POSITION 0x8u
#define KIN_F_FROM 0x10u
#define KIN_F_TO 0x20u

/* The registry (ACT_KIN_REGISTRY).  Each change runs the matching in the
 * same transaction and is audited. */
int kin_staff_add(struct store *st, const struct user *actor, struct kin_staff *s, struct err *e);
int kin_staff_get(struct store *st, store_txn *txn, const char *id, struct kin_staff *out, struct err *e);
int kin_staff_edit(struct store *st, const struct user *actor, const char *id,
    const struct kin_staff *s, unsigned fields, struct err *e);
/* A recorded end (date 0 = today); the record stays. */
int kin_staff_end(struct store *st, const struct user *actor, const char *id, dbdate_t date, struct err *e);
typedef int (*kin_staff_fn)(const struct kin_staff *s, void *baton);
int kin_staff_list(struct store *st, kin_staff_fn fn, void *baton, struct err *e);
int kin_relative_add(struct store *st, const struct user *actor, struct kin_relative *r, struct err *e);
int kin_relative_remove(struct store *st, const struct user *actor, const char *staff_id,
    const char *relative_id, dbdate_t date, struct err *e);
typedef int (*kin_relative_fn)(const struct kin_relative *r, void *baton);
/* staff_id NULL: every declaration of every staff member */
int kin_relative_list(struct store *st, const char *staff_id, kin_relative_fn fn, void *baton, struct err *e);

/* Record the new matches of d's members (called by every dossier write,
 * after the record is written; inactive dossiers are skipped). */
int kin_match_dossier(struct store *st, store_txn *txn, const struct dossier *d,
    const char *actor_login, struct err *e);
/* Full re-scan through the indexes; *found new matches recorded.  pg
 * (NULL: none) is told the staff and relatives read of all there are; a
 * cancel aborts the one transaction, so nothing is recorded. */
int kin_rescan(struct store *st, const struct user *actor, int *found, const struct progress *pg,
    struct err *e);
/* A match with its filing's status (-1: no filing). */
typedef int (*kin_match_fn)(const struct kin_match *m, int filing_status, void *baton);
/* dossier NULL: all matches */
int kin_match_list(struct store *st, const char *dossier, kin_match_fn fn, void *baton, struct err *e);

/* 备案: a pending filing for every unfiled match of the member (ACT_KIN_FILE) */
int kin_file(struct store *st, const struct user *actor, const char *dossier, const char *member_id,
    const char *note, char no[FILING_NO_LEN + 1], struct err *e);
/* Another user with ACT_KIN_CONFIRM makes it filed (已备案). */
int kin_confirm(struct store *st, const struct user *actor, const char *no, struct err *e);
/* The monthly archive: filed → reported (已报县), in the archive's txn. */
int kin_mark_reported(struct store *st, store_txn *txn, const char *filing_no, struct err *e);
int kin_filing_get(struct store *st, store_txn *txn, const char *no, struct kin_filing *out, struct err *e);
typedef int (*kin_filing_fn)(const struct kin_filing *f, void *baton);
int kin_filing_list(struct store *st, kin_filing_fn fn, void *baton, struct err *e);

/* A dossier involving the staff member or a declared relative: the
 * member, who they are to the staff member, and whether it is matched. */
typedef int (*kin_involve_fn)(const struct dossier *d, const struct member *m, int relation,
    bool removed, void *baton);
int kin_staff_dossiers(struct store *st, const char *staff_id, kin_involve_fn fn, void *baton, struct err *e);

/* The rules (the procedure calls them in its own transaction):
 * R8 — matches on the dossier without a filing that is filed or reported; */
int kin_unfiled(struct store *st, store_txn *txn, const char *dossier, int *count, struct err *e);
/* the checklist item JQBA is required when the dossier has any match; */
int kin_has_match(struct store *st, store_txn *txn, const char *dossier, bool *yes, struct err *e);
/* R11 — 1 (why filled) if the actor is a member or has a declared relative
 * among the members, 0 if not, -1 on error. */
int kin_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t whysize, struct err *e);

/* ---- prints.c: every printed form (SPEC 8) --------------------------- */

#define PRINT_CODE_LEN 12 /* "XXXX-XXXX-XX" */
struct prints_entry {
	uint32_t seq;                       /* print number, from 1 */
	char code[PRINT_CODE_LEN + 1];      /* the verification code on the sheet */
	char form[TEXT_SHORT];              /* FORM name (print/forms.c) */
	char dossier[DOSSIER_NO_LEN + 1];   /* "" for a village or month form */
	char scope[TEXT_SHORT];             /* village or YYYY-MM, else "" */
	uint32_t version;                   /* the dossier's record version printed */
	unsigned char hash[32];             /* SHA-256 of the record printed */
	char op[USER_MAX_BYTES];
	int64_t time;                       /* unix time */
	int copies;
	uint32_t reprint_of;                /* the print a 补打 repeats; 0 = none */
};
int prints_encode(const struct prints_entry *p, struct buf *b);
int prints_decode(const void *data, size_t len, struct prints_entry *p);
/* The dossier as stored and the SHA-256 of its stored record bytes (out
 * may be NULL). */
int dossier_get_hashed(struct store *st, store_txn *txn, const char *no, struct dossier *out,
    unsigned char hash[32], struct err *e);
/* The sheet's code from township code, subject (dossier number, village or
 * month), form name and the record's hash. */
void prints_code_derive(const char *township, const char *subject, const char *form,
    const unsigned char hash[32], char out[PRINT_CODE_LEN + 1]);
/* Record a print in txn (seq, op and time filled in) and audit it ("print"
 * or "print.reprint"); refused if the dossier no longer hashes to p->hash. */
int prints_record(struct store *st, store_txn *txn, const struct user *actor, struct prints_entry *p,
    struct err *e);
typedef int (*prints_fn)(const struct prints_entry *p, void *baton);
int prints_by_code(struct store *st, const char *code, prints_fn fn, void *baton, struct err *e);
int prints_list(struct store *st, prints_fn fn, void *baton, struct err *e);
/* An earlier print of form for the dossier (or scope): with code, the
 * first print of that code (the original of that version); without, the
 * latest.  E_NOTFOUND when there is none. */
int prints_find(struct store *st, store_txn *txn, const char *form, const char *dossier, const char *scope,
    const char *code, struct prints_entry *out, struct err *e);

/* ---- attach.c: files kept by SHA-256 beside the environment ----------- */

int attach_put_file(struct store *st, store_txn *txn, const char *path, char sha_hex[65], struct err *e);
int attach_path(const struct store *st, const char *sha_hex, char *buf, size_t size);

/* ---- check.c, backup.c ------------------------------------------------ */

typedef void (*problem_fn)(const char *msg, void *baton);
/* Verify databases, secondary indexes, audit chain, attachments.  Returns
 * the number of problems found (each reported through fn), -1 on error. */
int store_check(struct store *st, problem_fn fn, void *baton, struct err *e);
/* clerks and admins only, audited "backup" (i14) */
int store_backup(struct store *st, const struct user *actor, const char *dir, struct err *e);
/* login/password: the restored directory's user (checked before anything
 * is copied) */
int store_restore(const char *backup_dir, const char *data_dir, const char *login, const char *password,
    struct err *e);

/* ---- crypt.c: encryption at rest, login before the environment opens (i14) */

/* Argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): the
 * password hashes and the key wraps */
#define DIBAO_PWHASH_OPS 2
#define DIBAO_PWHASH_MEM (19u * 1024 * 1024)
#define RECOVERY_CODE_MAX 48
/* Has dir a key file, i.e. is it encrypted? */
bool store_dir_encrypted(const char *dir);
/* Open dir as login: an encrypted directory's data key is unwrapped with
 * the password first; then user_login.  0, or -1 with *out NULL. */
int store_open_login(struct store **out, const char *dir, int flags, const char *login,
    const char *password, struct user *u, struct err *e);
/* Open with a data key already unwrapped (NULL: a plaintext directory). */
int store_open_key(struct store **out, const char *dir, int flags, const unsigned char *key, struct err *e);
bool store_encrypted(const struct store *st);
/* After store_init of an encrypted directory: the recovery code (for the
 * recovery sheet), else NULL. */
const char *store_recovery_code(const struct store *st);
/* An active user with no password, hence no key (after dibao encrypt):
 * an administrator sets a new one (user passwd) */
bool user_needs_key(const struct user *u);
/* The recovery sheet's code opens dir; login (an admin) gets password. */
int store_recover(const char *dir, const char *code, const char *login, const char *password, struct err *e);
/* user.c: the login of store_open_login once the wrap opened (the password
 * is right); rewrap: the wrap is of an older profile */
int user_login_checked(struct store *st, const char *login, const char *password, bool rewrap,
    struct user *out, struct err *e);
int user_recover(struct store *st, const char *login, const char *password, struct err *e);
/* libsodium secretstream over file descriptors, 64 KiB chunks, each with a
 * 4-byte big-endian length; ad authenticates the first chunk.  push: 0 or
 * -1 (errno); pull: 0, -1 damaged/truncated/altered, -2 out of memory or a
 * write failed. */
int crypt_stream_push(int in, int out, const unsigned char key[32], const unsigned char *ad, size_t adlen);
int crypt_stream_pull(int in, int out, const unsigned char key[32], const unsigned char *ad, size_t adlen);
/* An attachment's plaintext (decrypted when the store is encrypted), read
 * whole; and its SHA-256.  -1 with errno (EBADMSG: altered). */
int attach_read(struct store *st, const char *sha_hex, unsigned char **data, size_t *len);
/* The kept file's plain bytes as a stream to read from the start (an
 * encrypted store's scan is opened into an anonymous memory file), or NULL
 * with errno. */
FILE *attach_fopen(struct store *st, const char *sha_hex);
/* user.c: the console's lock, unlock and handover, audited (other: the
 * user handed over from) */
int user_console_event(struct store *st, const char *login, const char *event, const char *other, struct err *e);
/* encrypt.c: convert the plaintext data directory dir (SPEC 11); login is
 * an administrator of it.  The old directory is kept (res->old_dir). */
struct encrypt_result {
	uint64_t records, files;
	char recovery[RECOVERY_CODE_MAX];
	char old_dir[4200];
	char locked[64][USER_MAX_BYTES]; /* users who need a new password */
	int n_locked;
};
int store_encrypt(const char *dir, const char *login, const char *password, struct encrypt_result *res,
    struct err *e);
/* The county's key pair for sealed archives (meta, encrypted at rest);
 * create: made if missing (admin, audited "county.key"). */
int county_keypair(struct store *st, const struct user *actor, bool create, unsigned char pk[32],
    unsigned char sk[32], struct err *e);

/* ---- demo.c --------------------------------------------------------- */
/* Villages, standards (if missing) and N synthetic households. */
int demo_load(struct store *st, const struct user *actor, int households, uint64_t seed,
    void (*progress)(int done, int total, void *), void *pbaton, struct err *e);

/* ---- checklist-store.c --------------------------------------------------- */
/* The template: the township's, or the SPEC's default if never edited. */
int checklist_template(struct store *st, store_txn *txn, struct checklist_def *out, int max, int *n, struct err *e);
int checklist_template_set(struct store *st, const struct user *actor, const struct checklist_def *def, struct err *e);
/* issue 15: the open dossiers (applied up to approval) whose checklist
 * lacks items their next stage needs, of one village (NULL all): fn gets
 * the dossier, that stage and the missing codes ("SQS、SFZ"); a nonzero
 * return stops the walk */
typedef int (*incomplete_fn)(const struct dossier *d, enum status next, const char *missing, void *baton);
int checklist_incomplete(struct store *st, const char *village, incomplete_fn fn, void *baton, struct err *e);
/* sign/stamp: -1 unchanged, 0 or 1; received 0 = unchanged; scan a file. */
int checklist_mark(struct store *st, const struct user *actor, const char *no, const char *code,
    dbdate_t received, int sign, int stamp, const char *scan, const char *note, struct err *e);

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

/* ---- due-list.c --------------------------------------------------------- */
int due_params_load(struct store *st, store_txn *txn, struct due_params *p, char *holidays, size_t size, struct err *e);
typedef int (*due_fn)(const struct dossier *d, const struct due *due, int n, void *baton);
/* Every open or approved dossier with something near or past due. */
int dossier_list_due(struct store *st, due_fn fn, void *baton, struct err *e);

/* ---- calc-record.c ----------------------------------------------------- */
int calc_params_load(struct store *st, store_txn *txn, enum area area, dbmonth_t m,
    struct calc_params *p, struct err *e);
/* 0 computed; 1 computed but not qualifying (*why); -1 error. */
int case_calc(struct store *st, store_txn *txn, const struct dossier *d, dbmonth_t m,
    struct calc_record *out, const char **why, struct err *e);
int calc_store(struct store *st, store_txn *txn, const char *no, const struct calc_record *c,
    uint32_t *seq_out, struct err *e);
int calc_get(struct store *st, store_txn *txn, const char *no, uint32_t seq, struct calc_record *out, struct err *e);

/* ---- roles (core/roles.c is the table; store enforces it) ------------- */
int store_require(const struct user *actor, int action, struct err *e);

/* ---- clue.c, fix.c: the ledgers (SPEC 6) -------------------------------- */
extern const char clue_reporter_hidden[];   /* "（保密）" */
int clue_encode(const struct clue *c, struct buf *b);
int clue_decode(const void *p, size_t len, struct clue *c);
/* c->no is assigned (XS-YYYY-NNN); received today; deadline 0 = from the
 * setting clue.deadline.days; handler "" = the actor.  ACT_LEDGER. */
int clue_add(struct store *st, const struct user *actor, struct clue *c, struct err *e);
int clue_update(struct store *st, const struct user *actor, const char *no, const char *note, struct err *e);
/* 销号: refused without a finding and an action. */
int clue_close(struct store *st, const struct user *actor, const char *no, enum clue_finding finding,
    const char *action, bool transfer, struct err *e);
/* The reporter is shown to ACT_READ_REPORTER (audited read.confidential),
 * else replaced by clue_reporter_hidden. */
int clue_show(struct store *st, const struct user *actor, const char *no, struct clue *out, struct err *e);
typedef int (*clue_fn)(const struct clue *c, void *baton);
/* Every clue in number order, the reporter always hidden. */
int clue_list(struct store *st, clue_fn fn, void *baton, struct err *e);
/* The dashboard: open clues past their deadline today. */
int clue_overdue_count(struct store *st, int *count, struct err *e);
/* R13: an open clue linked to the dossier (an objection) — in txn. */
int objection_open(struct store *st, store_txn *txn, const char *dossier, bool *open, struct err *e);

int fix_encode(const struct fix *f, struct buf *b);
int fix_decode(const void *p, size_t len, struct fix *f);
int fix_add(struct store *st, const struct user *actor, struct fix *f, struct err *e);
int fix_update(struct store *st, const struct user *actor, const char *no, const char *note, struct err *e);
int fix_close(struct store *st, const struct user *actor, const char *no, const char *evidence, struct err *e);
int fix_get(struct store *st, const char *no, struct fix *out, struct err *e);
typedef int (*fix_fn)(const struct fix *f, void *baton);
int fix_list(struct store *st, fix_fn fn, void *baton, struct err *e);
int fix_overdue_count(struct store *st, int *count, struct err *e);

/* ---- report-monthly.c: 动态管理月报 and statistics (SPEC 7) ------------ */
struct monthly_item {
	char dossier[DOSSIER_NO_LEN + 1];
	char village[TEXT_SHORT];
	char name[NAME_MAX_BYTES];     /* the head's, or the dead member's */
	char member_id[ID_LEN + 1];    /* deaths */
	dbdate_t date;
	int persons;
	fen_t old_total, total;
	char reason[TEXT_SHORT];       /* Chinese, as printed */
};
struct monthly_list {
	struct monthly_item *v;
	size_t n, cap;
};
#define REPORT_MAX_VILLAGES 128
struct monthly_report {
	dbmonth_t month;
	dbdate_t from, to;
	uint64_t audit_count;          /* entries dated up to `to` */
	char head[65];                 /* hash of the last of them */
	struct monthly_list added, removed, changed, deaths;
	struct report_totals all;      /* households in the guarantee on `to` */
	struct report_group village[REPORT_MAX_VILLAGES], area[AREA__N], category[4], support[SUPPORT__N];
	int n_village, n_area, n_category, n_support;
};
/* The report of the period [from, to] from the audit chain (reproducible:
 * entries dated after `to` are ignored).  pg (NULL: none) is told the
 * entries read of the chain's length, then the households counted; on a
 * cancel or an error *r is left empty (nothing to free). */
int report_build(struct store *st, dbdate_t from, dbdate_t to, struct monthly_report *r,
    const struct progress *pg, struct err *e);
/* The period ending on the cutoff day of month m (setting report.cutoff.day). */
int report_monthly(struct store *st, dbmonth_t m, struct monthly_report *r, const struct progress *pg,
    struct err *e);
void report_free(struct monthly_report *r);
/* `dibao stats` and the console's statistics: the guarantee as of the end
 * of month m (today for the month running), how many approved dossiers
 * keep their review date, and the open clues by category. */
struct stats {
	dbmonth_t month;
	struct monthly_report r;       /* totals and groups only */
	int approved, reviews_current;
	int open_clues[CC__N];
};
int stats_build(struct store *st, dbmonth_t m, struct stats *s, const struct progress *pg, struct err *e);
void stats_free(struct stats *s);
/* The dashboard: the month whose report is due next, and whether to warn
 * (from the 20th to the cutoff day, SPEC 7). */
int report_due(struct store *st, dbdate_t today, dbmonth_t *month, bool *warn, struct err *e);

/* ---- screen.c: 重点筛查 lists, visits and the public notice (SPEC 7) --- */
struct screen_row {
	enum screen_kind kind;
	const struct dossier *d;
	const struct member *m;        /* the person (or the head) */
	char reason[TEXT_MEDIUM];      /* Chinese, as printed */
	dbdate_t visited;              /* last visit outcome recorded, 0 none */
	char outcome[TEXT_MEDIUM];
};
typedef int (*screen_fn)(const struct screen_row *r, void *baton);
/* since: exited/rejected on or after (0 = all) */
int screen_list(struct store *st, enum screen_kind k, dbdate_t since, screen_fn fn, void *baton, struct err *e);
int visit_encode(const struct visit *v, struct buf *b);
int visit_decode(const void *p, size_t len, struct visit *v);
int visit_get(struct store *st, enum screen_kind k, const char *dossier, struct visit *out, struct err *e);
int visit_record(struct store *st, const struct user *actor, enum screen_kind k, const char *dossier,
    const char *outcome, struct err *e);

/* Post the notice of a village (date 0 = today): every dossier of it at
 * REVIEWED goes to NOTICED through the procedure's step, all or none. */
int notice_post(struct store *st, const struct user *actor, const char *village, dbdate_t date, int *posted,
    struct err *e);
/* integrity (i12): the earliest date a village's notice may carry (the
 * latest review among its REVIEWED dossiers; 0 when none), and how many. */
int notice_earliest(struct store *st, const char *village, dbdate_t *earliest, int *n, struct err *e);
struct notice_row {
	const struct dossier *d;       /* never print its IDs, bank or health */
	const char *name;              /* the head's, or 依规不予公示 */
	int persons;
	fen_t amount;
	bool kin;                      /* 有近亲属备案 */
};
typedef int (*notice_fn)(const struct notice_row *r, void *baton);
/* The rows of a village's notice: its dossiers in their notice period. */
int notice_rows(struct store *st, const char *village, notice_fn fn, void *baton, struct err *e);
/* notice-phones.c (issue 15): both complaint phones into township and
 * county (size bytes each); refused, naming the setting, while either is
 * unset: no notice is posted or printed without them */
int notice_phones_required(struct store *st, store_txn *txn, char *township, char *county, size_t size,
    struct err *e);

/* ---- county.c: the county's side of the monthly archives (SPEC 9) ------ */

#define TOWNSHIP_CODE_LEN 9
/* an archive imported: township + period -> manifest hash and counts */
struct county_archive {
	char township[TOWNSHIP_CODE_LEN + 1];
	char name[TEXT_SHORT];
	dbmonth_t period;
	char manifest[65];             /* SHA-256 of its manifest.json */
	char previous[65];             /* the manifest it follows, "" first */
	int dossiers, files, audit_entries, filings, people, cases;
	int64_t imported;              /* unix time */
	char by[USER_MAX_BYTES];
	/* issue 16.5: the audit chain's head at the period's end ("" in
	 * records of older imports) and the township's signing key (hex) */
	char audit_head[65];
	char signer[65];
};
/* a person enrolled, from the township's latest roster */
struct county_person {
	char id[ID_LEN + 1];
	char township[TOWNSHIP_CODE_LEN + 1];
	char dossier[DOSSIER_NO_LEN + 1];
	char name[NAME_MAX_BYTES];
	dbmonth_t period;              /* of the archive it came from */
	char status[TEXT_SHORT];
};
/* a new or kin-filing case of an archive: what the county visits */
struct county_case {
	char township[TOWNSHIP_CODE_LEN + 1];
	dbmonth_t period;
	char dossier[DOSSIER_NO_LEN + 1];
	char head[NAME_MAX_BYTES];
	char village[TEXT_SHORT];
	int persons;
	fen_t total;
	bool kin, added;
	bool sampled;                  /* county_sample: drawn (or kin) */
};
/* the township's payment batch of an archive's month, as the county keeps
 * it (issue 13, store/county-payment.c, record type 53) */
struct county_payment {
	char township[TOWNSHIP_CODE_LEN + 1];
	dbmonth_t period;
	int households, persons, held, recovery;
	fen_t total, arrears, held_amount, recovery_amount;
	char sha256[65];               /* the batch's SHA-256 as the township froze it */
	bool reconciled;
	int paid, failed, mismatch, unknown, missing;
};
struct county_import {
	struct county_archive a;
	struct county_person *people;
	size_t n_people;
	struct county_case *cases;
	size_t n_cases;
	bool have_payment;             /* (issue 13) the archive carries a batch */
	struct county_payment payment;
	/* issue 16.5: the signature checked (archive-in.c), the key it was
	 * made with (a.signer), the hash the month's first audit entry
	 * follows ("" when the month has none); a changed key is taken only
	 * with accept_new_key, from an admin */
	char audit_first_prev[65];
	bool accept_new_key;
	bool key_new, key_changed;     /* out: pinned now / replaced */
};

int county_archive_encode(const struct county_archive *a, struct buf *b);
int county_archive_decode(const void *p, size_t len, struct county_archive *a);
int county_person_encode(const struct county_person *p, struct buf *b);
int county_person_decode(const void *d, size_t len, struct county_person *p);
int county_case_encode(const struct county_case *c, struct buf *b);
int county_case_decode(const void *p, size_t len, struct county_case *c);

/* Is this a county database (meta kind "county")?  0 yes, -1 refused. */
int county_require(struct store *st, struct err *e);
/* The chain (pure, unit-tested): may an archive of township for period,
 * following manifest `previous` ("" none), with hash `sha`, come after
 * `last` (NULL: nothing imported from that township yet)? */
int county_chain_check(const struct county_archive *last, const char *township, dbmonth_t period,
    const char *previous, const char *sha, struct err *e);
/* The last archive imported from a township (E_NOTFOUND if none). */
/* issue 16.5: the month's first audit entry (first_prev; "" none: its
 * head) continues from the last archive's head; refused naming both */
int county_audit_continues(const struct county_archive *last, const struct county_archive *a, const char *first_prev,
    struct err *e);
struct json_t;
/* issue 16.5: the signer against the key pinned for the township (pinned
 * now if none, inside txn; txn NULL: only checked).  A changed key needs
 * ci->accept_new_key from an admin; *accepted is then the audit detail. */
int county_signer_check(struct store *st, store_txn *txn, const struct user *actor, struct county_import *ci,
    struct json_t **accepted, struct err *e);
int county_last(struct store *st, store_txn *txn, const char *township, struct county_archive *out,
    struct err *e);
/* Record an archive in one transaction: chain checked again under lock,
 * the township's people replaced by the archive's, its cases added,
 * audited "county.import". */
int county_import_run(struct store *st, const struct user *actor, struct county_import *ci,
    struct err *e);
typedef int (*county_archive_fn)(const struct county_archive *a, void *baton);
int county_archive_list(struct store *st, county_archive_fn fn, void *baton, struct err *e);
/* (issue 13) The payment batch stored with a township's archive of a month:
 * 0 found, 1 none (an archive without a batch), -1 error. */
int county_payment_get(struct store *st, const char *township, dbmonth_t period, struct county_payment *out,
    struct err *e);
/* Every ID number active in two or more townships: fn gets its entries. */
typedef int (*county_dup_fn)(const struct county_person *v, int n, void *baton);
int county_duplicates(struct store *st, county_dup_fn fn, void *baton, int *count, struct err *e);

struct county_sample {
	dbmonth_t period;
	char seed[65];                 /* hex of what the draw was seeded with */
	struct county_case *v;         /* every case of the period, sorted */
	size_t n;
	int n_new, n_kin, n_drawn;
};
/* Draw the visit sample of a period: every kin-filing case and at least
 * 30% of the new cases, seeded by the period's manifests (or seed_text);
 * recorded in meta and audited "county.sample". */
int county_sample(struct store *st, const struct user *actor, dbmonth_t period, const char *seed_text,
    struct county_sample *out, struct err *e);
void county_sample_free(struct county_sample *s);

/* ---- township-key.c: the township's signing key (issue 16 point 5) ---- */
#define SIGN_FPR_LEN 40
/* The township's Ed25519 key pair (crypto_sign): its seed in dibao.sign
 * beside the environment (0600; sealed under the data key on an encrypted
 * store).  create: made when missing, audited "township.key". */
int township_sign_key(struct store *st, const struct user *actor, bool create, unsigned char pk[32],
    unsigned char sk[64], struct err *e);
/* A copy of dibao.sign into a backup directory (none: nothing to copy). */
int township_sign_backup(struct store *st, const char *dir, struct err *e);
/* The fingerprint read out by phone: 128 bits of SHA-256(pk) in hex groups. */
void sign_fingerprint(const unsigned char pk[32], char out[SIGN_FPR_LEN]);
/* the same from the key in hex: -1 if it is not 64 hex digits */
int sign_fingerprint_hex(const char *hexpk, char out[SIGN_FPR_LEN]);
/* county: the key pinned for a township: 0 found, 1 none yet, -1 error */
int county_pinned_key(struct store *st, store_txn *txn, const char *township, unsigned char pk[32], struct err *e);
int county_pin_key(struct store *st, store_txn *txn, const char *township, const unsigned char pk[32], struct err *e);

#endif
