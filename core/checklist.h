/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checklist.h — the document checklist (SPEC section 5; checklist.c). */
#ifndef DIBAO_CORE_CHECKLIST_H
#define DIBAO_CORE_CHECKLIST_H

#include "core/base.h"
#include "core/dossier-model.h"

enum item_when {
	WHEN_ALWAYS = 0, WHEN_DISABLED, WHEN_ILL, WHEN_KIN, WHEN_EXIT, WHEN_REVIEW, WHEN__N
};
extern const struct term when_terms[WHEN__N];

struct checklist_def {
	char code[ITEM_CODE_MAX];
	char name[TEXT_MEDIUM];
	enum status stage;        /* the state it is needed to enter */
	enum item_when when;
	bool needs_sign;
	bool needs_stamp;
};
extern const struct checklist_def checklist_defaults[];
extern const int n_checklist_defaults;

/* Facts about the dossier that decide which conditional items apply. */
struct checklist_facts {
	bool disabled;            /* a member is disabled */
	bool ill;                 /* a member is seriously ill */
	bool kin;                 /* a kin match exists */
};
void checklist_facts_of(const struct dossier *d, bool kin, struct checklist_facts *f);
/* Does the item apply to this dossier? */
bool checklist_applies(const struct checklist_def *def, const struct checklist_facts *f);
/* The dossier's state of an item (NULL if nothing recorded). */
const struct check_item *checklist_item(const struct dossier *d, const char *code);
/* Received, and signed and stamped where the item needs it. */
bool checklist_item_complete(const struct checklist_def *def, const struct check_item *it);
/* Codes of the items needed to enter `target` (or, with WHEN_REVIEW or
 * WHEN_EXIT, to complete a review or an exit) that are incomplete, joined
 * with "、" into buf; returns how many. */
int checklist_missing(const struct dossier *d, const struct checklist_def *defs, int n,
    const struct checklist_facts *f, enum status target, enum item_when event, dbdate_t since,
    char *buf, size_t size);

#endif
