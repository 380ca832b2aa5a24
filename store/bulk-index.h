/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/bulk-index.h — a load of many new households (the demo load, the
 * roster import) with the dossiers' indexes built after their records, in
 * key order
 * (bulk-index.c, issue 17).  Each household's index entries went into
 * five B-trees at random places: once the three largest outgrew the
 * cache (at ~40,000 households), every household cost a page read and a
 * page written, each deciphered or enciphered, and the load grew 16×
 * from 10,000 to 100,000 households.
 *
 * While a load runs, the new dossiers are written through a handle with
 * no index, their entries kept in a sorted spill (spill.c) and put into
 * the indexes at the end, in order: each index page is then written
 * once.  A mark in meta.db, set before the first household and removed
 * with the last entry, says the indexes lag; a lock on dibao.bulk says
 * its load still runs.  A process opening the store that finds the mark
 * and no load (it was killed, the power failed) completes the indexes
 * from the records (store_bulk_recover).  Until the end, lists and
 * searches by index and `dibao check` do not see the load's households,
 * and a change to one of them by another process is refused by Berkeley
 * DB ("secondary index corrupt"), changing nothing.
 */
#ifndef DIBAO_STORE_BULK_INDEX_H
#define DIBAO_STORE_BULK_INDEX_H

#include <stdbool.h>

#include "store/env.h"
#include "store/err.h"

/* The load starts: the lock taken, the mark set, the handle opened; while
 * another load runs, this one keeps its indexes as it goes (no lock, no
 * mark).  0, or -1 with e. */
int store_bulk_begin(struct store *st, struct err *e);
/* The load ends (its last transaction committed or not): the entries of
 * what committed put into the indexes, the mark removed, everything
 * released.  0, or -1 with e (the mark then stays, for the next open). */
int store_bulk_end(struct store *st, struct err *e);
/* A load in one transaction (the roster import's, all or nothing): the
 * new dossiers through the handle with no index as above, and their
 * entries put in, sorted, by the transaction's own body before it commits
 * (store_bulk_build_txn, a no-op for a load begun by store_bulk_begin):
 * no mark, no lock, nothing to complete after a crash.  A retried
 * transaction starts the entries again.  store_bulk_end ends it. */
int store_bulk_begin_txn(struct store *st, struct err *e);
int store_bulk_build_txn(struct store *st, store_txn *txn, struct err *e);
/* At open: a mark without its load, the indexes completed from the
 * records.  0 (done, or nothing to do, or not ours to do), or -1 with e. */
int store_bulk_recover(struct store *st, int flags, struct err *e);

/* Are the indexes of table p behind its records (the mark set: a load
 * runs, or one died and no open has completed it yet)?  check does not
 * compare them then. */
bool store_bulk_lagging(struct store *st, int p);

#endif
