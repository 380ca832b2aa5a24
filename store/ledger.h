/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/ledger.h — the ledgers (SPEC 6): clues and rectifications (clue.c, fix.c).
 */
#ifndef DIBAO_STORE_LEDGER_H
#define DIBAO_STORE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ledger-model.h"
#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"

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

#endif
