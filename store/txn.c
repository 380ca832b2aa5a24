/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * txn.c — every write runs as store_txn_run(st, body, baton): begin, body,
 * commit (synchronously: these PCs lose power).  A deadlock aborts and
 * retries a bounded number of times with a random back-off; another
 * process's recovery (DB_RUNRECOVERY) makes us reopen and retry.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/audit-int.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

#define TXN_TRIES 20
#define CHECKPOINT_EVERY 64

#define READ_TRIES 20

/* The back-off's own generator, seeded once per process from its pid and
 * the clock: two processes chosen as deadlock victims together must not
 * wait the same times and collide again in lockstep (random() was never
 * seeded).  Our own state leaves random() to anyone else. */
static unsigned
backoff_rand(void)
{
	static unsigned seed;
	static bool seeded;
	if (!seeded) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		seed = (unsigned)getpid() * 2654435761u ^ (unsigned)now.tv_nsec ^ (unsigned)now.tv_sec;
		seeded = true;
	}
	return (unsigned)rand_r(&seed);
}

void
store_backoff(int attempt)
{
	struct timespec ts;
	long ms = (long)(backoff_rand() % 20 + 1) * (attempt + 1);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* The environment must be opened again: another process's recovery
 * (DB_RUNRECOVERY), or this site's role changed under its handles (the
 * standby PC: a promotion or a master's rollback, DB_REP_HANDLE_DEAD) */
static bool
must_reopen(int ret)
{
	return ret == DB_RUNRECOVERY || ret == DB_REP_HANDLE_DEAD;
}

bool
store_read_again(struct store *st, int ret, int *tries)
{
	struct err e2;

	if (*tries >= READ_TRIES)
		return false;
	if (ret == DB_LOCK_NOTGRANTED && store_failchk(st) == DB_RUNRECOVERY)
		ret = DB_RUNRECOVERY;
	if (store_retryable(ret)) {
		store_backoff((*tries)++);
		return true;
	}
	if (must_reopen(ret)) {
		(*tries)++;
		err_clear(&e2);
		return store_reopen(st, &e2) == 0;
	}
	return false;
}

int
store_txn_run(struct store *st, txn_body_fn body, void *baton, struct err *e)
{
	int ret;

	/* a standby refuses, naming the master (replica-info.c) */
	if (st->hooks != NULL && st->hooks->write_check != NULL && st->hooks->write_check(st, e) != 0)
		return -1;
	for (int attempt = 0; attempt < TXN_TRIES; attempt++) {
		DB_TXN *txn;
		st->last_ret = 0;
		err_clear(e);
		if ((ret = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0) {
			if (must_reopen(ret)) {
				if (store_reopen(st, e) != 0)
					return -1;
				continue;
			}
			return store_dberr(st, ret, _("beginning a transaction"), e);
		}
		audit_track_begin(st); /* issue 16.5: the records written, for the audit */
		store_bulk_txn_begin(st);
		st->txn_audit_seq = 0;
		if (body(st, txn, baton, e) != 0 || audit_state_seal(st, txn, e) != 0) {
			txn->abort(txn);
			if (store_retryable(st->last_ret)) {
				/* a lock wait that expired may be a crashed holder's */
				if (st->last_ret == DB_LOCK_NOTGRANTED && store_failchk(st) == DB_RUNRECOVERY) {
					if (store_reopen(st, e) != 0)
						return -1;
					continue;
				}
				store_backoff(attempt);
				continue;
			}
			if (must_reopen(st->last_ret)) {
				if (store_reopen(st, e) != 0)
					return -1;
				continue;
			}
			return -1;
		}
		/* stuck in there, a process cannot know whether it committed
		 * (failchk.c, issue 16) */
		store_commit_begin(st->txn_audit_seq, st->txn_audit_hash);
		ret = txn->commit(txn, 0);
		store_commit_end();
		if (ret != 0) {
			if (must_reopen(ret)) {
				/* the commit may have reached the log before the
				 * environment failed: after recovery, our audit entry
				 * in the chain says it did, and running the body again
				 * would do the work twice (a second new dossier) */
				uint64_t seq = st->txn_audit_seq;
				unsigned char hash[32];
				bool took = false;
				memcpy(hash, st->txn_audit_hash, sizeof hash);
				if (store_reopen(st, e) != 0)
					return -1;
				if (seq != 0 && audit_entry_is(st, seq, hash, &took, NULL, 0, e) != 0)
					return -1;
				if (took) {
					store_bulk_txn_committed(st);
					return 0;
				}
				continue;
			}
			return store_dberr(st, ret, _("committing"), e);
		}
		store_bulk_txn_committed(st);
		if (++st->commits % CHECKPOINT_EVERY == 0) {
			/* keep recovery short and the logs bounded; failures here
			 * do not undo the committed work */
			(void)st->env->txn_checkpoint(st->env, 1024, 5, 0);
			(void)st->env->log_archive(st->env, NULL, DB_ARCH_REMOVE);
		}
		return 0;
	}
	return err_set(e, E_STORAGE, _("the database stayed busy (deadlock) after %d attempts; try again"), TXN_TRIES);
}

/* (failchk.c finds the crashed processes; the reopen is env.c's) */
int
store_failchk_now(struct store *st, struct err *e)
{
	int ret = store_failchk(st);
	if (ret == DB_RUNRECOVERY)
		return store_reopen(st, e);
	if (ret != 0)
		return store_dberr(st, ret, _("checking for crashed dibao processes"), e);
	return 0;
}
