/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ledger-model.h — the ledgers of SPEC 6 as C types: complaint clues,
 * rectifications, the screening lists and their visits (terms in model.c).
 */
#ifndef DIBAO_CORE_LEDGER_MODEL_H
#define DIBAO_CORE_LEDGER_MODEL_H

#include "core/base.h"
#include "core/sizes.h"
#include "core/terms.h"

#define LEDGER_NO_LEN 24           /* XS-2026-001, ZG-2026-001 (wider past 999) */
#define MAX_NOTES 32

enum clue_channel {
	CH_PHONE = 0, CH_LETTER, CH_VISIT, CH_ONLINE, CH_ASSIGNED, CH_MEDIA, CH__N
};
enum clue_category {
	CC_RELATION = 0, CC_FAVOUR, CC_WRONG, CC_MISSED, CC_EXTORTION, CC_EMBEZZLE,
	CC_CONDUCT, CC_OTHER, CC__N
};
enum clue_finding { FIND_NONE = 0, FIND_TRUE, FIND_PARTLY, FIND_FALSE, FIND__N };
enum fix_source { FSRC_SELF = 0, FSRC_INSPECTION, FSRC_REPORT, FSRC__N };

extern const struct term clue_channel_terms[CH__N];
extern const struct term clue_category_terms[CC__N];
extern const struct term clue_finding_terms[FIND__N];
extern const struct term fix_source_terms[FSRC__N];

/* A progress note: appended, never rewritten. */
struct ledger_note {
	dbdate_t date;
	char by[USER_MAX_BYTES];
	char text[TEXT_NOTE];
};

/* 举报线索: the reporter is confidential (inspector and admin only). */
struct clue {
	char no[LEDGER_NO_LEN + 1];
	dbdate_t received;
	enum clue_channel channel;
	char reporter[TEXT_MEDIUM];
	char dossier[DOSSIER_NO_LEN + 1]; /* linked dossier, "" none */
	char content[TEXT_NOTE];
	enum clue_category category;
	char handler[USER_MAX_BYTES];
	dbdate_t deadline;
	char recorded_by[USER_MAX_BYTES];
	int n_notes;
	struct ledger_note notes[MAX_NOTES];
	enum clue_finding finding;
	char action[TEXT_NOTE];
	bool transferred;                 /* 移交纪检 */
	dbdate_t closed;                  /* 销号; 0 = open */
	char closed_by[USER_MAX_BYTES];
};

/* 整改台账 */
struct fix {
	char no[LEDGER_NO_LEN + 1];
	dbdate_t recorded;
	char problem[TEXT_NOTE];
	enum fix_source source;
	char measure[TEXT_NOTE];
	char owner[NAME_MAX_BYTES];
	dbdate_t deadline;
	char recorded_by[USER_MAX_BYTES];
	int n_notes;
	struct ledger_note notes[MAX_NOTES];
	char evidence[TEXT_MEDIUM];
	dbdate_t closed;
	char closed_by[USER_MAX_BYTES];
};

/* 重点筛查: the lists, and a visit outcome recorded on one of them */
enum screen_kind {
	SCR_DISABLED = 0, SCR_ILL, SCR_EXITED, SCR_REJECTED, SCR_POOR, SCR_VISIT,
	SCR_OVERDUE, SCR__N
};
extern const struct term screen_terms[SCR__N];

struct visit {
	enum screen_kind kind;
	char dossier[DOSSIER_NO_LEN + 1];
	dbdate_t date;
	char by[USER_MAX_BYTES];
	char outcome[TEXT_MEDIUM];
};

#endif
