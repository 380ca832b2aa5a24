/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/ledger-int.h — inside the store only: the ledgers' and visits' record
 * tags and the progress notes both ledgers share (clue.c).
 */
#ifndef DIBAO_STORE_LEDGER_INT_H
#define DIBAO_STORE_LEDGER_INT_H

#include <stdint.h>

#include "core/ledger-model.h"
#include "store/codec.h"

/* ledger record tags (FORMAT.md 4.13–4.15) */
enum clue_tag {
	CL_NO = 1, CL_RECEIVED, CL_CHANNEL, CL_REPORTER, CL_DOSSIER, CL_CONTENT, CL_CATEGORY,
	CL_HANDLER, CL_DEADLINE, CL_RECORDED_BY, CL_FINDING, CL_ACTION, CL_TRANSFERRED,
	CL_CLOSED, CL_CLOSED_BY,
	CL_NOTE = 20, /* nested: LN_* */
};
enum fix_tag {
	FX_NO = 1, FX_RECORDED, FX_PROBLEM, FX_SOURCE, FX_MEASURE, FX_OWNER, FX_DEADLINE,
	FX_RECORDED_BY, FX_EVIDENCE, FX_CLOSED, FX_CLOSED_BY,
	FX_NOTE = 20, /* nested: LN_* */
};
enum ledger_note_tag { LN_DATE = 1, LN_BY, LN_TEXT };
enum visit_tag { VS_KIND = 1, VS_DOSSIER, VS_DATE, VS_BY, VS_OUTCOME };
#define LEDGER_REC_VERSION 1
/* clue.c: the progress notes of both ledgers */
void ledger_notes_encode(struct buf *b, uint16_t tag, const struct ledger_note *n, int count);
int ledger_note_decode(const struct rec_reader *r, struct ledger_note *n);

#endif
