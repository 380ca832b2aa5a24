/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/checklist.h — the checklist template and marks (checklist-store.c,
 * checklist-incomplete.c).
 */
#ifndef DIBAO_STORE_CHECKLIST_H
#define DIBAO_STORE_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/checklist.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/env.h"
#include "store/err.h"

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

#endif
