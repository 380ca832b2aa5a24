/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/env.h — the environment (env.c): open and close a data directory, the
 * transaction runner (txn.c) and the crash watchdog's public side (failchk.c).
 * Every write runs inside store_txn_run() and appends to the audit chain
 * in the same transaction.
 */
#ifndef DIBAO_STORE_ENV_H
#define DIBAO_STORE_ENV_H

#include "store/err.h"

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

#endif
