/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/screen.h — 重点筛查 lists, visits and the public notice (SPEC 7; screen.c,
 * notice-phones.c).
 */
#ifndef DIBAO_STORE_SCREEN_H
#define DIBAO_STORE_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/ledger-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"
#include "store/codec.h"

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

#endif
