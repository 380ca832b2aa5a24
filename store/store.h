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
};

struct err {
	int code;
	char msg[4096];
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
enum rec_type {
	RT_META = 1, RT_USER, RT_DOSSIER, RT_MEMBER, RT_INCOME, RT_EXPENSE,
	RT_CHECK, RT_AUDIT, RT_VILLAGE, RT_ATTACH,
};

/* ---- env.c ------------------------------------------------------------ */

#define STORE_FORMAT 1 /* on-disk format of the data directory */

struct store;
typedef struct __db_txn store_txn;

enum store_open_flags {
	STORE_CREATE = 1,   /* a new data directory (init) */
	STORE_FATAL = 2,    /* catastrophic recovery (restore) */
	STORE_READONLY = 4, /* do not expect to write (still transactional) */
};

int store_open(struct store **out, const char *dir, int flags, struct err *e);
void store_close(struct store *st);
const char *store_dir(const struct store *st);
/* Checkpoint and remove log files no recovery needs. */
int store_maintain(struct store *st, struct err *e);

/* ---- txn.c ------------------------------------------------------------ */

typedef int (*txn_body_fn)(struct store *st, store_txn *txn, void *baton, struct err *e);
/* Begin, run body, commit; on deadlock abort and retry with back-off; on
 * DB_RUNRECOVERY reopen the environment and retry.  A body returning -1
 * aborts (nothing changed). */
int store_txn_run(struct store *st, txn_body_fn body, void *baton, struct err *e);

/* ---- meta.c: format, township identity, counters --------------------- */

int meta_get(struct store *st, store_txn *txn, const char *key, char *buf, size_t size, struct err *e);
int meta_put(struct store *st, store_txn *txn, const char *key, const char *val, struct err *e);
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
/* Verify the chain; returns 0 if intact, -1 with e naming the first bad entry. */
int audit_verify(struct store *st, uint64_t *count, unsigned char head[32], struct err *e);
void audit_entry_free(struct audit_entry *a);
void hex32(const unsigned char h[32], char out[65]);

/* ---- user.c ----------------------------------------------------------- */

/* Actions checked against the role table (core/roles.c). */
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
int expense_add(struct store *st, const struct user *actor, const char *no, const struct expense_item *it, struct err *e);
int asset_set(struct store *st, const struct user *actor, const char *no, const struct assets *a, unsigned fields, struct err *e);

/* Record in the audit chain that actor read confidential fields (bank
 * account, HIV and other confidential flags) of a dossier. */
int dossier_reveal(struct store *st, const struct user *actor, const char *no, const char *what, struct err *e);

/* R7: the active dossier holding this ID number, other than except_no. */
int dossier_by_id(struct store *st, store_txn *txn, const char *id, const char *except_no,
    char found[DOSSIER_NO_LEN + 1], struct err *e);

struct dossier_filter {
	int status;          /* -1 any */
	const char *village; /* NULL any */
	const char *search;  /* number, ID number, name or name prefix */
	size_t offset, limit;
};
typedef int (*dossier_fn)(const struct dossier *d, void *baton);
int dossier_list(struct store *st, const struct dossier_filter *f, dossier_fn fn, void *baton, struct err *e);
/* Dossiers per status, from the status index's duplicate counts (fast). */
int dossier_count_by_status(struct store *st, size_t counts[ST__N], struct err *e);

/* Bulk load (demo, roster import): many dossiers, a few hundred a txn. */
int dossier_bulk_put(struct store *st, store_txn *txn, const struct user *actor, struct dossier *d,
    const char *action, struct err *e);
int dossier_next_no(struct store *st, store_txn *txn, int year, char no[DOSSIER_NO_LEN + 1], struct err *e);

/* ---- attach.c: files kept by SHA-256 beside the environment ----------- */

int attach_put_file(struct store *st, store_txn *txn, const char *path, char sha_hex[65], struct err *e);
int attach_path(const struct store *st, const char *sha_hex, char *buf, size_t size);

/* ---- check.c, backup.c ------------------------------------------------ */

typedef void (*problem_fn)(const char *msg, void *baton);
/* Verify databases, secondary indexes, audit chain, attachments.  Returns
 * the number of problems found (each reported through fn), -1 on error. */
int store_check(struct store *st, problem_fn fn, void *baton, struct err *e);
int store_backup(struct store *st, const char *dir, struct err *e);
int store_restore(const char *backup_dir, const char *data_dir, struct err *e);

/* ---- demo.c --------------------------------------------------------- */
/* Villages, standards (if missing) and N synthetic households. */
int demo_load(struct store *st, const struct user *actor, int households, uint64_t seed,
    void (*progress)(int done, int total, void *), void *pbaton, struct err *e);

/* ---- roles (core/roles.c is the table; store enforces it) ------------- */
int store_require(const struct user *actor, int action, struct err *e);

#endif
