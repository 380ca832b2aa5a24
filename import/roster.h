/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/roster.h — the 花名册: a township's roster read in (roster-in.c,
 * roster-row.c, roster-households.c; every row through the same core
 * checks as typed input) and written for the county (roster-out.c).
 */
#ifndef DIBAO_IMPORT_ROSTER_H
#define DIBAO_IMPORT_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/base.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"

/* ---- roster-in.c: 花名册 import ---------------------------------------- */

#define ROSTER_BATCH 500        /* households per transaction when one is too big */

struct roster_result {
	int rows;                   /* data rows read */
	int households, persons;
	fen_t total;                /* monthly amounts of the households */
	int problems;
	char *report;               /* malloc'd: one line per problem (Chinese) */
	int n_villages;             /* villages added (or to be added) */
	char villages[64][TEXT_SHORT];
	int batches, committed;     /* write transactions planned and committed */
	const char *encoding;       /* "UTF-8", "GB18030", "XLSX" */
	char first_no[DOSSIER_NO_LEN + 1], last_no[DOSSIER_NO_LEN + 1];
};

/* Validate the whole file, then (unless dry_run, and only when nothing is
 * wrong) write it.  0 done; -1 refused (res->report lists every problem)
 * or failed (e says what; res->committed says how far it got). */
int roster_import(struct store *st, const struct user *actor, const char *path, bool dry_run,
    struct roster_result *res, struct err *e);
/* The same, telling progress (households written) and cancellable. */
int roster_import_progress(struct store *st, const struct user *actor, const char *path, bool dry_run,
    const struct progress *progress, struct roster_result *res, struct err *e);
void roster_result_free(struct roster_result *res);

/* ---- roster-out.c: the township's roster for the county --------------- */

/* FILE.csv (UTF-8 with a BOM) or FILE.xlsx; *households, *persons written. */
int roster_export(struct store *st, const struct user *actor, const char *path,
    int *households, int *persons, struct err *e);
/* The same with the XLSX's creation time fixed (created != 0): the monthly
 * archive's roster is byte for byte the same when exported again. */
int roster_export_at(struct store *st, const struct user *actor, const char *path, int64_t created,
    int *households, int *persons, struct err *e);
/* Both files (either may be NULL) in one walk of the dossiers: the
 * monthly archive's roster, XLSX and CSV.  With later not NULL, the XLSX
 * is packed by a thread while the caller goes on (*later set, or NULL when
 * done already): roster_close_end waits for it (xlsx must stay valid till
 * then) and audits it; 0, or -1 with e (the file removed).  walk (below;
 * NULL: every dossier listed) gives the rows. */
struct roster_close;
struct dossier;
/* The walk that gives the roster its rows: row called with every dossier
 * in number order (stop when it returns non-zero); 0, or -1 with e.  The
 * monthly archive's walks the dossiers once for its report and roster. */
typedef int (*roster_walk_fn)(struct store *st, int (*row)(const struct dossier *d, void *row_baton),
    void *row_baton, void *baton, struct err *e);
int roster_export_pair(struct store *st, const struct user *actor, const char *xlsx, const char *csv, int64_t created,
    roster_walk_fn walk, void *walk_baton, int *households, int *persons, struct roster_close **later,
    struct err *e);
int roster_close_end(struct store *st, struct roster_close *c, struct err *e);

#endif
