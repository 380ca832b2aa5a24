/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/env-int.h — inside the store only: the environment handle, the table of
 * databases, record reads and writes, the index extractors and the fault
 * handling under them (env.c, txn.c, walk.c, index.c, failchk.c,
 * check-snapshot.c).  Nothing outside store/ includes this.
 */
#ifndef DIBAO_STORE_ENV_INT_H
#define DIBAO_STORE_ENV_INT_H

#include <db.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

#include "core/sizes.h"
#include "store/codec.h"
#include "store/crypt.h"
#include "store/env.h"
#include "store/err.h"

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
	/* the audit entry the running transaction appended last (audit.c):
	 * after a commit that failed for a crashed process (DB_RUNRECOVERY),
	 * finding it in the chain says the transaction committed (txn.c) */
	uint64_t txn_audit_seq;
	unsigned char txn_audit_hash[32];
	char bdb_msg[512];    /* last message from BDB's errcall */
	/* BDB's word on a damaged page (a checksum that fails, a page that
	 * does not decrypt, "FILE: pgin failed for page N"), kept when later
	 * messages (the panic) overwrite bdb_msg: DB_RUNRECOVERY with it is
	 * damage, not another process's recovery */
	char bdb_damage[256];
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
	const struct store_hooks *hooks; /* open.c: the layers above taking part */
	struct bulk *bulk;    /* bulk-index.c: a load's indexes, built at its end */
};

/* bulk-index.c, for the running load (bulk-index.h): the handle a new
 * dossier is written through (NULL: the store's own); its record's index
 * entries noted; a transaction's begun, committed; the environment's
 * handles about to close. */
DB *store_bulk_primary(struct store *st);
void store_bulk_note(struct store *st, const DBT *k, const DBT *v);
void store_bulk_txn_begin(struct store *st);
void store_bulk_txn_committed(struct store *st);
void store_bulk_handles_close(struct store *st);

/* What the layers above env.c add to opening an environment, given by the
 * caller of store_env_open (open.c: encryption at rest, crypt-env.c, and
 * the standby PC, replica.c), so that env.c names none of them.  Any
 * member may be NULL. */
struct store_hooks {
	/* before anything opens: the key, the directory lock */
	int (*attach)(struct store *st, int flags, const unsigned char *key, struct err *e);
	/* before DB_ENV->open: the handle's settings and open flags */
	int (*setup)(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e);
	/* the same, but not for catastrophic recovery (STORE_FATAL) */
	int (*setup_live)(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e);
	/* after DB_ENV->open succeeded */
	void (*opened)(struct store *st);
	/* after DB_ENV->close */
	void (*release)(struct store *st);
	/* store_txn_run asks before each write transaction: 0, or -1 refusing */
	int (*write_check)(struct store *st, struct err *e);
};
/* store_open_key with the given hooks (NULL: none) */
int store_env_open(struct store **out, const char *dir, int flags, const unsigned char *key,
    const struct store_hooks *hooks, struct err *e);

/* The environment's sizes and deadlock detection, before DB_ENV->open
 * (env.c, and the standby's raw open in replica.c): 0 or a BDB code. */
int store_env_config(DB_ENV *env);
/* Map a BDB return code to an error, with what we were doing. */
int store_dberr(struct store *st, int ret, const char *doing, struct err *e);
/* mkdir -p: the directories above dir as needed (0755), dir itself 0700;
 * an existing dir is fine.  E_STORAGE naming the one that failed. */
int store_mkdirs(const char *dir, struct err *e);
/* Is this BDB code one store_txn_run retries? */
bool store_retryable(int ret);
/* A hot backup of the environment into dir (DB_BACKUP_CLEAN), started
 * again after another process's recovery: 0, or -1 with e (doing names
 * it). */
int store_hot_backup(struct store *st, const char *dir, const char *doing, struct err *e);
/* Reopen after DB_RUNRECOVERY */
int store_reopen(struct store *st, struct err *e);

/* small DBT helpers */
static inline void
dbt_init(DBT *d, const void *p, size_t n)
{
	memset(d, 0, sizeof *d);
	d->data = (void *)p;
	d->size = (u_int32_t)n;
}

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

/* tables.c: table i's file through a handle of its own, associated with
 * nothing (a secondary so takes puts and gives its own entries; a primary
 * so writes no index), opened with oflags: 0, or -1 with e */
int store_table_plain(struct store *st, int i, u_int32_t oflags, DB **out, struct err *e);
/* index.c */
int idx_keys(struct store *st, int si, const DBT *k, const DBT *v, DBT *res, DBT **keys, u_int32_t *n);
void idx_keys_done(DBT *res);
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
/* store_close has begun: stuck from now on, the command's work is done
 * (the stuck handler is told: closing). */
void store_failchk_closing(void);
/* Around a transaction's commit (txn.c): stuck between the two, whether it
 * committed is unknown.  Each commit counts, even one that failed (it may
 * have reached the log before the error). */
/* seq and hash: the transaction's last audit entry (0: none), which a
 * re-run after a commit stuck for good looks for (settle.c) */
void store_commit_begin(uint64_t seq, const unsigned char hash[32]);
void store_commit_end(void);
/* Before this process executes itself again (restart.c): its slot in
 * __db.register no longer names it (its pid is the new process's too, and
 * BDB refuses a pid twice), so the new process finds a dead registrant and
 * recovers the environment.  Async-signal-safe. */
void store_failchk_release(void);
/* The seeded random back-off after a deadlock. */
void store_backoff(int attempt);
/* Close a cursor; the first error wins: ret unless ret was 0 or
 * DB_NOTFOUND and the close failed. */
int store_cursor_close(DBC *c, int ret);
/* A read outside a transaction failed with ret: true when it should simply
 * run again (a deadlock or an expired lock wait, after a back-off; another
 * process's recovery, after reopening).  *tries counts the attempts. */
bool store_read_again(struct store *st, int ret, int *tries);

/* env.c: Berkeley DB's messages in this thread go to buf (size bytes)
 * instead of st->bdb_msg until called again with NULL: a thread beside
 * another that uses the same store (check-verify.c). */
void store_bdb_msg_here(char *buf, size_t size);

/* check-snapshot.c: a consistent copy to check (a hot backup under
 * $TMPDIR opened with catastrophic recovery); close removes it. */
int store_snapshot_open(struct store *st, struct store **snap, char dir[PATH_MAX], struct err *e);
void store_snapshot_close(struct store *snap, const char *dir);

#endif
