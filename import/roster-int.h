/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-int.h — shared by the roster import's files (issue 20 split):
 * roster-in.c (headers, reading, the import), roster-row.c (one row's
 * checks, and its packed copy spilled for the whole-file checks),
 * roster-households.c (the checks across rows, the households built and
 * written) and, below them, store/spill.c (the sorts across rows, in
 * runs of the scratch file) and roster-problem.c (the report).
 */
#ifndef DIBAO_IMPORT_ROSTER_INT_H
#define DIBAO_IMPORT_ROSTER_INT_H

#include <stdio.h>
#include <stdint.h>

#include "import/roster.h"
#include "import/sheet.h"
#include "store/spill.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/scratch.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"


enum col {
	C_NAME = 0, C_ID, C_REL, C_HEAD_ID, C_VILLAGE, C_GROUP, C_AREA, C_AMOUNT,
	C_STATUS, C_SUPPORT, C_DIS_KIND, C_DIS_GRADE, C_HEALTH, C_PHONE, C_ADDRESS,
	C_BANK, C_ACCOUNT, C_POOR, C_DATE, C_GUARANTEED,
	C_HOLDER,            /* the subsidy card's holder (issue 13) */
	C__N
};
/* income columns (issue 12 point 13): one optional column per income kind,
 * the person's monthly amount of it; column C_INC + kind */
#define C_INC C__N
/* then up to N_LOCAL columns named as the township's setting
 * income.excluded.local names an income it excludes (j12) */
#define N_LOCAL 8
#define C_LOC (C__N + INC__N)
#define C_ALL (C__N + INC__N + N_LOCAL)


struct rinc {                  /* an income column's amount on a row (i12) */
	int kind;
	fen_t amount;
	int local;                 /* INC_EX_LOCAL: index into ctx.loc_name */
};

/* One row as row_check reads it.  Only one is held whole at a time: the
 * row is packed into the import's scratch file (roster-row.c) and its keys
 * go into the sorts across rows (struct rkey, rid), as a 101,106-row
 * roster once peaked at 132 MB with a record of about 1 KB per row, and at
 * 54 MB with the rows kept compact in memory (issue 17). */
struct prow {
	int line;
	struct rinc *inc;          /* NULL when the row has none */
	int n_inc;
	bool ok;                   /* the row's own checks passed */
	struct member m;
	char head_id[ID_LEN + 1];
	/* household columns: read from the 本人 row */
	int village;               /* index into the village cache */
	char group[TEXT_SHORT];
	enum area area;
	bool has_amount;
	fen_t amount;
	enum status status;
	enum support support;
	bool poor;
	dbdate_t date;
	char *phone, *address, *bank, *account;   /* NULL when empty */
	char holder[ID_LEN + 1];   /* the card's holder, "" none (never guessed) */
};

/* problems named in the report; the rest are counted (issue 16 point 9) */
#define ROSTER_NAMED 100

struct vcache {
	char typed[TEXT_SHORT];
	struct village v;
	bool is_new;
	int first_line;
	/* the groups the file's heads name for it, in the file's order (a new
	 * village gets them); "" and full when they are too many to list */
	char groups[TEXT_MEDIUM];
	bool groups_full;
};


/* What the checks across rows read of every row, sorted by the head's ID
 * number (roster-households.c); the row itself is at (off, len) of the
 * scratch file, packed (roster-row.c) */
struct rkey {
	char head_id[ID_LEN + 1];
	char id[ID_LEN + 1];
	unsigned char relation;
	unsigned char n_inc;
	int32_t line;
	uint32_t len;
	int64_t off;
};
/* The same person twice: sorted by ID number, then line */
struct rid {
	char id[ID_LEN + 1];
	int32_t line;
};
/* The writing's order: households by the first line of their head, each
 * its rows as sorted by head (the head first) */
struct rput {
	int32_t hh_line, seq;
	uint32_t len;
	int64_t off;
};

struct ctx {
	struct store *st;
	const struct user *actor;
	struct roster_result *res;
	struct err *e;
	dbdate_t today;
	bool dry_run;
	int colidx[C_ALL];         /* C__N columns, then the income kinds (i12) */
	const char *colname[C_ALL];
	char loc_name[N_LOCAL][TEXT_SHORT];   /* the township's own (j12) */
	int n;                     /* data rows kept */
	struct scratch *sc;        /* the rows packed, and the sorts' runs */
	struct spill by_id, by_head, by_put;
	int hdr;                   /* the header row's index; -1 before it is found */
	const char *path;
	struct vcache *vc;
	int nvc;
	size_t capvc;
	size_t rlen, rcap;
	int nhh;                   /* households */
};

/* roster-problem.c: a problem of the file into the report (res->report,
 * the first ROSTER_NAMED named, all counted), and the report's last line
 * when some were left unnamed */
void problem(struct ctx *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void report_tail(struct ctx *c);

/* roster-row.c */
int row_check(struct ctx *c, const struct sheet_row *r, struct prow *p);
/* p packed into the scratch file as the next row, its keys into the sorts
 * (its strings and incomes given back) */
int row_keep(struct ctx *c, struct prow *p);
/* The row at (off, len) whole again; its strings point into buf (ROW_MAX
 * bytes), its incomes into inc (INC__N + N_LOCAL items).  0, or -1 with e */
#define ROW_MAX 8192
int row_load(const struct ctx *c, int64_t off, uint32_t len, struct prow *p, struct rinc *inc,
    unsigned char *buf);
void row_free(struct prow *p);

/* roster-households.c: the sorts across rows made empty (c->sc open) and
 * given back; the checks across rows, once every row is kept */
void cross_init(struct ctx *c);
void cross_free(struct ctx *c);
int cross_check(struct ctx *c);
int roster_write(struct ctx *c, const struct progress *progress);

#endif
