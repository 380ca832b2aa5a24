/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/audit-int.h — inside the store only: the audit entry's tags, the JSON
 * append, and the chain's cover of state (audit.c, audit-state.c).
 */
#ifndef DIBAO_STORE_AUDIT_INT_H
#define DIBAO_STORE_AUDIT_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/audit.h"
#include "store/check.h"
#include "store/codec.h"
#include "store/env.h"
#include "store/scratch.h"

/* audit.c: append with a JSON detail (stolen; NULL allowed) */
/* Is entry seq of the chain the one whose hash is given?  (Whether a
 * transaction whose commit failed committed after all: txn.c) */
int audit_entry_is(struct store *st, uint64_t seq, const unsigned char hash[32], bool *found,
    char *what, size_t size, struct err *e);
int audit_appendj(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, json_t *detail, struct err *e);

/* ---- audit-state.c: the chain covers state (issue 16, point 5) ---- */
/* the audit entry's fields (FORMAT.md 4.x): version 2 adds AT_STATE */
enum audit_tag {
	AT_SEQ = 1, AT_TIME, AT_OP, AT_OBJECT, AT_ACTION, AT_DETAIL, AT_PREV, AT_HASH,
	AT_STATE = 9,         /* nested: a record written (file, key, SHA-256) or deleted */
};
#define AUDIT_REC_VERSION 2
/* audit-track.c: the writes of the current transaction, noted */
enum state_tag { ST_FILE = 1, ST_KEY, ST_HASH, ST_DELETED };

/* The writes noted so far (audit-track.c): compact notes (table, deleted
 * flag, key, SHA-256) in one buffer; past AUDIT_RUN_BYTES of them they are
 * sorted and spilled as a run to an unlinked temporary file, and the
 * entry's fields are merged from the runs (issue 17: 140,000 writes made
 * 36 MB of list and buffer before, now the encoded fields themselves). */
#define AUDIT_RUN_BYTES (256 * 1024)
struct audit_run;
struct audit_track {
	struct buf cur;              /* notes since the last spill, in write order */
	const unsigned char **idx;   /* their sort */
	size_t icap;
	struct scratch spill;        /* the sorted runs (enciphered); spill.f NULL: none */
	struct audit_run *runs;
	size_t nruns, rcap;
	size_t n;                    /* writes noted */
	size_t bound;                /* their state fields' size, repeats counted */
	size_t maxnote;
	int first_dbi;               /* the table of the first write */
	int io;                      /* errno of the temporary file, 0: none */
	bool oom;
	uint64_t entry;         /* the transaction's last audit entry, 0: none yet */
};
/* Is this table's content covered?  Not meta nor the chain itself. */
bool audit_tracked(int dbi);
/* the notes as state fields (ST_*) appended to b (the last write of each
 * record, in table and key order), room for the hash field after them
 * reserved; then forgotten */
int audit_track_encode(struct audit_track *t, struct buf *b, struct err *e);
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
/* audit.c: store_txn_run, before the commit: writes after the last entry
 * join it */
int audit_state_seal(struct store *st, store_txn *txn, struct err *e);
/* check: each record's bytes against its latest state (audit-state.c):
 * a new state (NULL: out of memory) given the chain's entries in sequence
 * (audit_state_feed), told the chain is done (walked: it was read
 * whole), then each record of a tracked table as the check walks it, then
 * the problems counted (records gone included) and the state freed */
/* audit.c: the chain verified entry by entry as a walk gives them, in
 * key order (audit_verify is one such walk; check feeds the walk that
 * also gives the states): begin, feed each, end (its recorded head read
 * from meta).  end gives what audit_verify gives. */
struct audit_chain {
	uint64_t expect, count;
	unsigned char prev[32];
	bool bad;
	struct err e;           /* the first bad entry, named */
};
void audit_chain_begin(struct audit_chain *ch);
void audit_chain_feed(struct audit_chain *ch, const void *key, size_t klen, const void *val, size_t vlen);
int audit_chain_end(struct store *st, struct audit_chain *ch, uint64_t *count, unsigned char head[32],
    struct err *e);

struct audit_state;
struct audit_state *audit_state_new(struct store *st, problem_fn fn, void *baton);
void audit_state_feed(struct audit_state *c, const void *p, size_t len);
void audit_state_loaded(struct audit_state *c, bool walked);
void audit_state_record(struct audit_state *c, int dbi, const void *key, size_t klen, const void *val, size_t vlen);
int audit_state_done(struct audit_state *c);

#endif
