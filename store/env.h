/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/env.h — the environment (env.c): open and close a data directory, the
 * transaction runner (txn.c) and the crash watchdog's public side (failchk.c).
 * Every write runs inside store_txn_run() and appends to the audit chain
 * in the same transaction.
 */
#ifndef DIBAO_STORE_ENV_H
#define DIBAO_STORE_ENV_H

#include <stdbool.h>

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
/* What this process was doing when the watchdog found it stuck for good
 * on a lock a crashed process held inside BDB (BDB 5.3 cannot wake it):
 * the front end decides from it whether running its command again is safe
 * (store_restart) or it must end and say what to check. */
struct store_stuck {
	const char *msg;        /* why, translated */
	bool closing;           /* in store_close: every commit is in the log,
	                         * the command's work is done */
	bool in_commit;         /* inside a transaction's commit (its log
	                         * flush): whether it committed is unknown */
	unsigned long commits;  /* transactions this process committed */
	unsigned long output;   /* bytes it sent out (store_note_output) */
	const char *pending;    /* in a commit: the note for store_restart that
	                         * lets the re-run settle it (store_settle_pending) */
};
/* Called from the watchdog thread or a signal handler (async-signal-safe
 * work only); without a handler the process waits. */
typedef void (*store_stuck_fn)(const struct store_stuck *s);
void store_set_stuck_handler(store_stuck_fn fn);
/* What an open says before it works at length (the indexes of a load of
 * households that did not end, completed: tens of seconds at 100,000
 * households): the front end shows msg, translated, while it waits.
 * Without a handler nothing is said. */
typedef void (*store_notice_fn)(const char *msg, void *baton);
void store_set_notice_handler(store_notice_fn fn, void *baton);
/* The front end sent n bytes out of the process (standard output, a
 * printer): a re-run would send them again. */
void store_note_output(unsigned long n);

/* ---- restart.c: a stuck command executed again (issue 16) ------------- */

#define STORE_RESTARTS 3 /* re-executions of one command at most */
/* the note a command stuck inside its commit passes to its re-run */
#define STORE_PENDING_VAR "DIBAO_PENDING_COMMIT"
/* Keep the command line, at the start of main (before argv is changed). */
void store_restart_init(int argc, char **argv);
/* How many times this command line was executed again so far. */
int store_restart_count(void);
/* The process works again (the console after a login): the count starts
 * from 0 for its next restart. */
void store_restart_reset(void);
/* Execute this process's own command line again, as a fresh process that
 * joins and recovers the environment (its registration is released
 * first): from the stuck handler.  note ("NAME=VALUE", or NULL) goes into
 * the new process's environment.  Returns only when it cannot: already
 * restarted STORE_RESTARTS times, or the exec failed. */
void store_restart(const char *note);
/* settle.c: after a re-run for a commit stuck for good (STORE_PENDING_VAR
 * set by the stuck process), was that commit saved?  *saved, with the
 * audit entry's number, action and object in what; the variable is then
 * removed.  0, or -1 with e. */
int store_settle_pending(struct store *st, bool *saved, char *what, size_t size, struct err *e);

/* ---- txn.c ------------------------------------------------------------ */

typedef int (*txn_body_fn)(struct store *st, store_txn *txn, void *baton, struct err *e);
/* Begin, run body, commit; on deadlock abort and retry with back-off; on
 * DB_RUNRECOVERY reopen the environment and retry.  A body returning -1
 * aborts (nothing changed). */
int store_txn_run(struct store *st, txn_body_fn body, void *baton, struct err *e);

#endif
