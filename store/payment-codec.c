/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-codec.c — the money trail's records (issue 13, docs/FORMAT.md):
 * batch, row and reconciliation item, encoded and decoded.  Their record
 * types are in store/payment.h, their tags in store/payment-int.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/codec.h"
#include "store/records.h"
#include "core/base.h"
#include "core/terms.h"

const struct term recon_terms[RECON__N] = {
	{"成功", "paid"}, {"失败", "failed"}, {"金额不符", "mismatch"}, {"账户不在批次", "unknown"},
	{"回盘缺失", "missing"},
};


/* ---- codecs ------------------------------------------------------------- */

void
pay_batch_encode(const struct pay_batch *b, struct buf *o)
{
	rec_begin(o, RT_PAY_BATCH, PAY_REC_VERSION);
	rec_int(o, PB_MONTH, b->month);
	rec_int(o, PB_SUBMITTED, b->submitted);
	rec_str(o, PB_BY, b->by);
	rec_int(o, PB_HOUSEHOLDS, b->households);
	rec_int(o, PB_PERSONS, b->persons);
	rec_int(o, PB_HELD, b->held);
	rec_int(o, PB_RECOVERY, b->recovery);
	rec_int(o, PB_TOTAL, b->total);
	rec_int(o, PB_ARREARS, b->arrears);
	rec_int(o, PB_HELD_AMOUNT, b->held_amount);
	rec_int(o, PB_RECOVERY_AMOUNT, b->recovery_amount);
	rec_str(o, PB_SHA, b->sha256);
	rec_int(o, PB_RECONCILED, b->reconciled);
	rec_str(o, PB_RECON_BY, b->recon_by);
	rec_str(o, PB_RECON_SHA, b->recon_sha256);
	rec_int(o, PB_PAID, b->paid);
	rec_int(o, PB_FAILED, b->failed);
	rec_int(o, PB_MISMATCH, b->mismatch);
	rec_int(o, PB_UNKNOWN, b->unknown);
	rec_int(o, PB_MISSING, b->missing);
}

int
pay_batch_decode(const void *p, size_t len, struct pay_batch *b)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(b, 0, sizeof *b);
	if (rec_open(&r, p, len, RT_PAY_BATCH, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PB_MONTH: b->month = (dbmonth_t)rec_get_int(&r); break;
		case PB_SUBMITTED: b->submitted = rec_get_int(&r); break;
		case PB_BY: bad |= rec_get_str(&r, b->by, sizeof b->by); break;
		case PB_HOUSEHOLDS: b->households = (int)rec_get_int(&r); break;
		case PB_PERSONS: b->persons = (int)rec_get_int(&r); break;
		case PB_HELD: b->held = (int)rec_get_int(&r); break;
		case PB_RECOVERY: b->recovery = (int)rec_get_int(&r); break;
		case PB_TOTAL: b->total = rec_get_int(&r); break;
		case PB_ARREARS: b->arrears = rec_get_int(&r); break;
		case PB_HELD_AMOUNT: b->held_amount = rec_get_int(&r); break;
		case PB_RECOVERY_AMOUNT: b->recovery_amount = rec_get_int(&r); break;
		case PB_SHA: bad |= rec_get_str(&r, b->sha256, sizeof b->sha256); break;
		case PB_RECONCILED: b->reconciled = rec_get_int(&r); break;
		case PB_RECON_BY: bad |= rec_get_str(&r, b->recon_by, sizeof b->recon_by); break;
		case PB_RECON_SHA: bad |= rec_get_str(&r, b->recon_sha256, sizeof b->recon_sha256); break;
		case PB_PAID: b->paid = (int)rec_get_int(&r); break;
		case PB_FAILED: b->failed = (int)rec_get_int(&r); break;
		case PB_MISMATCH: b->mismatch = (int)rec_get_int(&r); break;
		case PB_UNKNOWN: b->unknown = (int)rec_get_int(&r); break;
		case PB_MISSING: b->missing = (int)rec_get_int(&r); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

void
pay_row_encode(const struct pay_row *w, struct buf *o)
{
	rec_begin(o, RT_PAY_ROW, PAY_REC_VERSION);
	rec_int(o, PW_KIND, w->kind);
	rec_str(o, PW_DOSSIER, w->dossier);
	rec_str(o, PW_VILLAGE, w->village);
	rec_str(o, PW_HEAD, w->head);
	rec_str(o, PW_HOLDER_NAME, w->holder_name);
	rec_str(o, PW_HOLDER_ID, w->holder_id);
	rec_str(o, PW_BANK, w->bank);
	rec_str(o, PW_ACCOUNT, w->account);
	rec_int(o, PW_PERSONS, w->persons);
	rec_int(o, PW_BASE, w->base);
	rec_int(o, PW_ADDONS, w->addons);
	rec_int(o, PW_AMOUNT, w->amount);
	rec_int(o, PW_CALC_SEQ, w->calc_seq);
	rec_int(o, PW_ARREARS, w->arrears);
	rec_int(o, PW_PAY, w->pay);
	rec_str(o, PW_REASON, w->reason);
	for (int i = 0; i < w->n_months; i++) {
		struct buf in;
		buf_init(&in);
		rec_int(&in, PM_MONTH, w->months[i].month);
		rec_int(&in, PM_AMOUNT, w->months[i].amount);
		rec_int(&in, PM_WHY, w->months[i].why);
		rec_nested(o, PW_MONTH, &in);
		if (in.oom)
			o->oom = true;
		buf_free(&in);
	}
}

int
pay_row_decode(const void *p, size_t len, struct pay_row *w)
{
	struct rec_reader r, m;
	int n, bad = 0;

	memset(w, 0, sizeof *w);
	if (rec_open(&r, p, len, RT_PAY_ROW, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PW_KIND: w->kind = (int)rec_get_int(&r); break;
		case PW_DOSSIER: bad |= rec_get_str(&r, w->dossier, sizeof w->dossier); break;
		case PW_VILLAGE: bad |= rec_get_str(&r, w->village, sizeof w->village); break;
		case PW_HEAD: bad |= rec_get_str(&r, w->head, sizeof w->head); break;
		case PW_HOLDER_NAME: bad |= rec_get_str(&r, w->holder_name, sizeof w->holder_name); break;
		case PW_HOLDER_ID: bad |= rec_get_str(&r, w->holder_id, sizeof w->holder_id); break;
		case PW_BANK: bad |= rec_get_str(&r, w->bank, sizeof w->bank); break;
		case PW_ACCOUNT: bad |= rec_get_str(&r, w->account, sizeof w->account); break;
		case PW_PERSONS: w->persons = (int)rec_get_int(&r); break;
		case PW_BASE: w->base = rec_get_int(&r); break;
		case PW_ADDONS: w->addons = rec_get_int(&r); break;
		case PW_AMOUNT: w->amount = rec_get_int(&r); break;
		case PW_CALC_SEQ: w->calc_seq = (uint32_t)rec_get_int(&r); break;
		case PW_ARREARS: w->arrears = rec_get_int(&r); break;
		case PW_PAY: w->pay = rec_get_int(&r); break;
		case PW_REASON: bad |= rec_get_str(&r, w->reason, sizeof w->reason); break;
		case PW_MONTH:
			if (w->n_months >= PAY_MAX_MONTHS)
				return -1;
			rec_open_nested(&m, r.val, r.vlen);
			while (rec_next(&m) == 1) {
				struct pay_month *pm = &w->months[w->n_months];
				if (m.tag == PM_MONTH)
					pm->month = (dbmonth_t)rec_get_int(&m);
				else if (m.tag == PM_AMOUNT)
					pm->amount = rec_get_int(&m);
				else if (m.tag == PM_WHY)
					pm->why = (int)rec_get_int(&m);
			}
			w->n_months++;
			break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

void
pay_recon_encode(const struct recon_item *it, struct buf *o)
{
	rec_begin(o, RT_PAY_RECON, PAY_REC_VERSION);
	rec_int(o, RC_OUTCOME, it->outcome);
	rec_int(o, RC_LINE, it->line);
	rec_str(o, RC_ACCOUNT, it->account);
	rec_str(o, RC_NAME, it->name);
	rec_int(o, RC_BANK_AMOUNT, it->bank_amount);
	rec_int(o, RC_BATCH_AMOUNT, it->batch_amount);
	rec_str(o, RC_DOSSIER, it->dossier);
	rec_str(o, RC_REMARK, it->remark);
}

int
pay_recon_decode(const void *p, size_t len, struct recon_item *it)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(it, 0, sizeof *it);
	if (rec_open(&r, p, len, RT_PAY_RECON, PAY_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case RC_OUTCOME: it->outcome = (int)rec_get_int(&r); bad |= it->outcome < 0 || it->outcome >= RECON__N; break;
		case RC_LINE: it->line = (int)rec_get_int(&r); break;
		case RC_ACCOUNT: bad |= rec_get_str(&r, it->account, sizeof it->account); break;
		case RC_NAME: bad |= rec_get_str(&r, it->name, sizeof it->name); break;
		case RC_BANK_AMOUNT: it->bank_amount = rec_get_int(&r); break;
		case RC_BATCH_AMOUNT: it->batch_amount = rec_get_int(&r); break;
		case RC_DOSSIER: bad |= rec_get_str(&r, it->dossier, sizeof it->dossier); break;
		case RC_REMARK: bad |= rec_get_str(&r, it->remark, sizeof it->remark); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}
