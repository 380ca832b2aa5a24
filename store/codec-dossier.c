/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * codec-dossier.c — a dossier with its members, income and expense items,
 * assets and information-check results as one record (docs/FORMAT.md).
 * Members and items are nested records, so a field added to a member later
 * is read as its default from older records.
 *
 * Version 2 (issue 17) deflates what the indexes and the whole-township
 * walks do not look at: the income, expense and check items, the
 * procedure, the checklist and the assets (tags 31-44, three fifths of a
 * record and very repetitive) are encoded as version 1 encodes them, and
 * stored deflated in one field, DT_PACKED.  The household's own fields
 * and its members stay as they were, so the index extractors and the
 * status lookups read a record of either version alike.  A record is 40%
 * smaller; dossiers.db has as many fewer pages for Berkeley DB to decrypt
 * and the load as many fewer log bytes to encrypt.  Version 1 records
 * (written before) are read as they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/records.h"

enum item_tag { IT_KIND = 1, IT_AMOUNT, IT_MEMBER, IT_TEXT, IT_DATE, IT_BY, IT_NAME /* j12 */ };

static void
member_encode(const struct member *m, struct buf *b)
{
	rec_str(b, MT_NAME, m->name);
	rec_str(b, MT_ID, m->id);
	rec_int(b, MT_BIRTH, m->birth);
	rec_int(b, MT_SEX, m->sex);
	rec_int(b, MT_RELATION, m->relation);
	rec_int(b, MT_HEALTH, m->health);
	rec_str(b, MT_ILLNESS, m->illness);
	rec_int(b, MT_DISABILITY, m->disability);
	rec_int(b, MT_GRADE, m->disability_grade);
	rec_int(b, MT_LABOUR, m->labour);
	rec_str(b, MT_OCCUPATION, m->occupation);
	rec_int(b, MT_FLAGS, m->flags);
	rec_int(b, MT_DEATH, m->death);
	rec_str(b, MT_DEATH_CERT, m->death_cert);
	rec_str(b, MT_DEATH_CAUSE, m->death_cause);
}

/* The procedure's dates and names (DT_PROC's nested record). */
static void
proc_encode(const struct procedure *p, struct buf *in)
{
	rec_int(in, PT_ACCEPTED, p->accepted);
	rec_str(in, PT_SURVEYOR1, p->surveyors[0]);
	rec_str(in, PT_SURVEYOR2, p->surveyors[1]);
	rec_int(in, PT_SURVEYED, p->surveyed);
	rec_int(in, PT_VERIFIED, p->verified);
	rec_int(in, PT_EVALUATED, p->evaluated);
	rec_int(in, PT_EVAL_PARTICIPANTS, p->eval_participants);
	rec_int(in, PT_EVAL_REPS, p->eval_representatives);
	rec_str(in, PT_REVIEWED_BY, p->reviewed_by);
	rec_int(in, PT_REVIEWED, p->reviewed);
	rec_int(in, PT_NOTICE_START, p->notice_start);
	rec_int(in, PT_NOTICE_END, p->notice_end);
	rec_str(in, PT_APPROVED_BY, p->approved_by);
	rec_int(in, PT_APPROVED, p->approved);
	rec_str(in, PT_DECIDED_BY, p->decided_by);
	rec_int(in, PT_DECIDED, p->decided);
	rec_str(in, PT_REASON, p->reason);
	rec_str(in, PT_OVERRIDE, p->override);
	rec_int(in, PT_LAST_REVIEW, p->last_review);
	rec_int(in, PT_GRADUAL_EXIT_END, p->gradual_exit_end);
	rec_int(in, PT_CALC_SEQ, p->calc_seq);
}

static int pack_encode(const struct dossier *d, struct buf *b);

int
dossier_encode(const struct dossier *d, struct buf *b)
{
	struct buf in;

	rec_begin(b, RT_DOSSIER, DOSSIER_REC_VERSION);
	rec_str(b, DT_NO, d->no);
	rec_int(b, DT_VERSION, d->version);
	rec_int(b, DT_AREA, d->area);
	rec_str(b, DT_VILLAGE, d->village);
	rec_str(b, DT_GROUP, d->group);
	rec_str(b, DT_ADDRESS, d->address);
	rec_str(b, DT_PHONE, d->phone);
	rec_str(b, DT_BANK, d->bank);
	rec_str(b, DT_ACCOUNT, d->account);
	if (d->holder[0])
		rec_str(b, DT_HOLDER, d->holder);
	rec_int(b, DT_SUPPORT, d->support);
	rec_int(b, DT_POVERTY, d->poverty);
	rec_int(b, DT_CATEGORY, d->category);
	rec_int(b, DT_FLAGS, d->flags);
	rec_int(b, DT_STATUS, d->status);
	rec_int(b, DT_APPLIED, d->applied);
	rec_int(b, DT_STATUS_DATE, d->status_date);
	rec_int(b, DT_TOTAL, d->total);
	rec_int(b, DT_EFFECTIVE, d->effective);
	rec_int(b, DT_NEXT_REVIEW, d->next_review);
	rec_int(b, DT_EXIT_REASON, d->exit_reason);
	rec_str(b, DT_PREVIOUS, d->previous);
	rec_int(b, DT_HEAD, d->head);
	for (int i = 0; i < d->n_members; i++) {
		buf_init(&in);
		member_encode(&d->members[i], &in);
		rec_nested(b, DT_MEMBER, &in);
		buf_free(&in);
	}
	if (b->oom)
		return -1;
	return pack_encode(d, b);
}

/* Tags 31-44 of version 1: what version 2 deflates. */
static void
body_encode(const struct dossier *d, struct buf *b)
{
	struct buf in;

	for (int i = 0; i < d->n_incomes; i++) {
		const struct income_item *it = &d->incomes[i];
		buf_init(&in);
		rec_int(&in, IT_KIND, it->kind);
		rec_int(&in, IT_AMOUNT, it->amount);
		rec_str(&in, IT_MEMBER, it->member_id);
		rec_str(&in, IT_TEXT, it->evidence);
		if (it->kind == INC_EX_LOCAL)          /* j12: the township's name */
			rec_str(&in, IT_NAME, it->name);
		rec_nested(b, DT_INCOME, &in);
		buf_free(&in);
	}
	for (int i = 0; i < d->n_expenses; i++) {
		const struct expense_item *it = &d->expenses[i];
		buf_init(&in);
		rec_int(&in, IT_KIND, it->kind);
		rec_int(&in, IT_AMOUNT, it->amount);
		rec_str(&in, IT_TEXT, it->note);
		rec_nested(b, DT_EXPENSE, &in);
		buf_free(&in);
	}
	for (int i = 0; i < d->n_checks; i++) {
		const struct info_check *c = &d->checks[i];
		buf_init(&in);
		rec_int(&in, IT_KIND, c->agency);
		rec_str(&in, IT_TEXT, c->result);
		rec_int(&in, IT_DATE, c->date);
		rec_str(&in, IT_BY, c->recorded_by);
		rec_nested(b, DT_CHECK, &in);
		buf_free(&in);
	}
	buf_init(&in);
	proc_encode(&d->proc, &in);
	rec_nested(b, DT_PROC, &in);
	buf_free(&in);
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		buf_init(&in);
		rec_str(&in, CT_CODE, it->code);
		rec_int(&in, CT_RECEIVED, it->received);
		rec_str(&in, CT_RECEIVED_BY, it->received_by);
		rec_int(&in, CT_SIGNED, it->is_signed);
		rec_int(&in, CT_STAMPED, it->stamped);
		for (int k = 0; k < it->n_scans; k++)
			rec_str(&in, CT_SCAN, it->scans[k]);
		rec_str(&in, CT_NOTE, it->note);
		rec_nested(b, DT_ITEM, &in);
		buf_free(&in);
	}
	rec_int(b, DT_DEPOSITS, d->assets.deposits);
	rec_int(b, DT_VEHICLES, d->assets.vehicles);
	rec_int(b, DT_PROD_VEHICLES, d->assets.production_vehicles);
	rec_int(b, DT_HOUSES, d->assets.houses);
	rec_int(b, DT_BUSINESSES, d->assets.businesses);
}

/* raw deflate (no zlib header: the record is checked as a whole by the
 * audit chain), a 4 KB window and a small hash: a record's fields are a
 * few KB at most; level 6 */
#define PACK_LEVEL 6
#define PACK_WBITS 12
#define PACK_MEMLEVEL 4
/* the longest body a record may unpack to: MAX_ITEMS items of MAX_SCANS
 * scans and notes are far below */
#define PACK_MAX (4u << 20)

static int
pack_encode(const struct dossier *d, struct buf *b)
{
	struct buf body, in;
	z_stream z;
	unsigned char *out = NULL;
	int ret = -1;

	buf_init(&body);
	buf_init(&in);
	memset(&z, 0, sizeof z);
	body_encode(d, &body);
	if (body.oom || body.len > PACK_MAX ||
	    deflateInit2(&z, PACK_LEVEL, Z_DEFLATED, -PACK_WBITS, PACK_MEMLEVEL, Z_DEFAULT_STRATEGY) != Z_OK) {
		buf_free(&body);
		return -1;
	}
	uLong bound = deflateBound(&z, (uLong)body.len);
	if ((out = malloc(bound)) != NULL) {
		z.next_in = body.p;
		z.avail_in = (uInt)body.len;
		z.next_out = out;
		z.avail_out = (uInt)bound;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
			rec_int(&in, PK_LEN, (int64_t)body.len);
			rec_blob(&in, PK_DEFLATE, out, z.total_out);
			rec_nested(b, DT_PACKED, &in);
			ret = b->oom ? -1 : 0;
		}
	}
	deflateEnd(&z);
	free(out);
	buf_free(&in);
	buf_free(&body);
	return ret;
}

/* enum range check: a stored value outside the table is corruption */
#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

static int
member_decode(const struct rec_reader *outer, struct member *m)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(m, 0, sizeof *m);
	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case MT_NAME: bad |= rec_get_str(&r, m->name, sizeof m->name); break;
		case MT_ID: bad |= rec_get_str(&r, m->id, sizeof m->id); break;
		case MT_BIRTH: m->birth = (dbdate_t)rec_get_int(&r); break;
		case MT_SEX: m->sex = (char)rec_get_int(&r); break;
		case MT_RELATION: v = rec_get_int(&r); bad |= !ENUM_IN(v, REL__N); m->relation = (enum relation)v; break;
		case MT_HEALTH: v = rec_get_int(&r); bad |= !ENUM_IN(v, HEALTH__N); m->health = (enum health)v; break;
		case MT_ILLNESS: bad |= rec_get_str(&r, m->illness, sizeof m->illness); break;
		case MT_DISABILITY: v = rec_get_int(&r); bad |= !ENUM_IN(v, DIS__N); m->disability = (enum disability)v; break;
		case MT_GRADE: m->disability_grade = (int)rec_get_int(&r); break;
		case MT_LABOUR: v = rec_get_int(&r); bad |= !ENUM_IN(v, LABOUR__N); m->labour = (enum labour)v; break;
		case MT_OCCUPATION: bad |= rec_get_str(&r, m->occupation, sizeof m->occupation); break;
		case MT_FLAGS: m->flags = (unsigned)rec_get_int(&r); break;
		case MT_DEATH: m->death = (dbdate_t)rec_get_int(&r); break;
		case MT_DEATH_CERT: bad |= rec_get_str(&r, m->death_cert, sizeof m->death_cert); break;
		case MT_DEATH_CAUSE: bad |= rec_get_str(&r, m->death_cause, sizeof m->death_cause); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static int
item_decode(const struct rec_reader *outer, int64_t *kind, fen_t *amount, char *member, size_t msize,
    char *text, size_t tsize, dbdate_t *date, char *by, size_t bsize)
{
	struct rec_reader r;
	int n, bad = 0;

	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case IT_KIND: *kind = rec_get_int(&r); break;
		case IT_AMOUNT: if (amount) *amount = rec_get_int(&r); break;
		case IT_MEMBER: if (member) bad |= rec_get_str(&r, member, msize); break;
		case IT_TEXT: if (text) bad |= rec_get_str(&r, text, tsize); break;
		case IT_DATE: if (date) *date = (dbdate_t)rec_get_int(&r); break;
		case IT_BY: if (by) bad |= rec_get_str(&r, by, bsize); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* IT_NAME of an item (j12: the township's name of an excluded income) */
static int
item_name_decode(const struct rec_reader *outer, char *name, size_t size)
{
	struct rec_reader r;
	int n, bad = 0;

	name[0] = '\0';
	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1)
		if (r.tag == IT_NAME)
			bad |= rec_get_str(&r, name, size);
	return n < 0 || bad ? -1 : 0;
}

static int
proc_decode(const struct rec_reader *outer, struct procedure *p)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(p, 0, sizeof *p);
	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PT_ACCEPTED: p->accepted = (dbdate_t)rec_get_int(&r); break;
		case PT_SURVEYOR1: bad |= rec_get_str(&r, p->surveyors[0], sizeof p->surveyors[0]); break;
		case PT_SURVEYOR2: bad |= rec_get_str(&r, p->surveyors[1], sizeof p->surveyors[1]); break;
		case PT_SURVEYED: p->surveyed = (dbdate_t)rec_get_int(&r); break;
		case PT_VERIFIED: p->verified = (dbdate_t)rec_get_int(&r); break;
		case PT_EVALUATED: p->evaluated = (dbdate_t)rec_get_int(&r); break;
		case PT_EVAL_PARTICIPANTS: p->eval_participants = (int)rec_get_int(&r); break;
		case PT_EVAL_REPS: p->eval_representatives = (int)rec_get_int(&r); break;
		case PT_REVIEWED_BY: bad |= rec_get_str(&r, p->reviewed_by, sizeof p->reviewed_by); break;
		case PT_REVIEWED: p->reviewed = (dbdate_t)rec_get_int(&r); break;
		case PT_NOTICE_START: p->notice_start = (dbdate_t)rec_get_int(&r); break;
		case PT_NOTICE_END: p->notice_end = (dbdate_t)rec_get_int(&r); break;
		case PT_APPROVED_BY: bad |= rec_get_str(&r, p->approved_by, sizeof p->approved_by); break;
		case PT_APPROVED: p->approved = (dbdate_t)rec_get_int(&r); break;
		case PT_DECIDED_BY: bad |= rec_get_str(&r, p->decided_by, sizeof p->decided_by); break;
		case PT_DECIDED: p->decided = (dbdate_t)rec_get_int(&r); break;
		case PT_REASON: bad |= rec_get_str(&r, p->reason, sizeof p->reason); break;
		case PT_OVERRIDE: bad |= rec_get_str(&r, p->override, sizeof p->override); break;
		case PT_LAST_REVIEW: p->last_review = (dbdate_t)rec_get_int(&r); break;
		case PT_GRADUAL_EXIT_END: p->gradual_exit_end = (dbdate_t)rec_get_int(&r); break;
		case PT_CALC_SEQ: p->calc_seq = (uint32_t)rec_get_int(&r); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static int
item_state_decode(const struct rec_reader *outer, struct check_item *it)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(it, 0, sizeof *it);
	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CT_CODE: bad |= rec_get_str(&r, it->code, sizeof it->code); break;
		case CT_RECEIVED: it->received = (dbdate_t)rec_get_int(&r); break;
		case CT_RECEIVED_BY: bad |= rec_get_str(&r, it->received_by, sizeof it->received_by); break;
		case CT_SIGNED: it->is_signed = rec_get_int(&r) != 0; break;
		case CT_STAMPED: it->stamped = rec_get_int(&r) != 0; break;
		case CT_SCAN:
			if (it->n_scans >= MAX_SCANS)
				return -1;
			bad |= rec_get_str(&r, it->scans[it->n_scans++], sizeof it->scans[0]);
			break;
		case CT_NOTE: bad |= rec_get_str(&r, it->note, sizeof it->note); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* One field of the record (of version 1, or inside DT_PACKED): 0, or -1
 * when it is damaged or a list is over its maximum. */
static int
field_decode(struct rec_reader *r, struct dossier *d)
{
	int bad = 0;
	int64_t v;

	switch (r->tag) {
	case DT_NO: bad |= rec_get_str(r, d->no, sizeof d->no); break;
	case DT_VERSION: d->version = (uint32_t)rec_get_int(r); break;
	case DT_AREA: v = rec_get_int(r); bad |= !ENUM_IN(v, AREA__N); d->area = (enum area)v; break;
	case DT_VILLAGE: bad |= rec_get_str(r, d->village, sizeof d->village); break;
	case DT_GROUP: bad |= rec_get_str(r, d->group, sizeof d->group); break;
	case DT_ADDRESS: bad |= rec_get_str(r, d->address, sizeof d->address); break;
	case DT_PHONE: bad |= rec_get_str(r, d->phone, sizeof d->phone); break;
	case DT_BANK: bad |= rec_get_str(r, d->bank, sizeof d->bank); break;
	case DT_ACCOUNT: bad |= rec_get_str(r, d->account, sizeof d->account); break;
	case DT_HOLDER: bad |= rec_get_str(r, d->holder, sizeof d->holder); break;
	case DT_SUPPORT: v = rec_get_int(r); bad |= !ENUM_IN(v, SUPPORT__N); d->support = (enum support)v; break;
	case DT_POVERTY: v = rec_get_int(r); bad |= !ENUM_IN(v, POVERTY__N); d->poverty = (enum poverty)v; break;
	case DT_CATEGORY: d->category = (char)rec_get_int(r); break;
	case DT_FLAGS: d->flags = (unsigned)rec_get_int(r); break;
	case DT_STATUS: v = rec_get_int(r); bad |= !ENUM_IN(v, ST__N); d->status = (enum status)v; break;
	case DT_APPLIED: d->applied = (dbdate_t)rec_get_int(r); break;
	case DT_STATUS_DATE: d->status_date = (dbdate_t)rec_get_int(r); break;
	case DT_TOTAL: d->total = rec_get_int(r); break;
	case DT_EFFECTIVE: d->effective = (dbmonth_t)rec_get_int(r); break;
	case DT_NEXT_REVIEW: d->next_review = (dbdate_t)rec_get_int(r); break;
	case DT_EXIT_REASON: v = rec_get_int(r); bad |= !ENUM_IN(v, EXIT__N); d->exit_reason = (enum exit_reason)v; break;
	case DT_PREVIOUS: bad |= rec_get_str(r, d->previous, sizeof d->previous); break;
	case DT_HEAD: d->head = (int)rec_get_int(r); break;
	case DT_MEMBER:
		if (d->n_members >= MAX_MEMBERS)
			return -1;
		bad |= member_decode(r, &d->members[d->n_members++]);
		break;
	case DT_INCOME: {
		struct income_item *it;
		if (d->n_incomes >= MAX_INCOMES)
			return -1;
		it = &d->incomes[d->n_incomes++];
		v = 0;
		bad |= item_decode(r, &v, &it->amount, it->member_id, sizeof it->member_id,
		    it->evidence, sizeof it->evidence, NULL, NULL, 0);
		bad |= !ENUM_IN(v, INC__N);
		it->kind = (enum income_kind)v;
		if (it->kind == INC_EX_LOCAL)      /* j12 */
			bad |= item_name_decode(r, it->name, sizeof it->name);
		break;
	}
	case DT_EXPENSE: {
		struct expense_item *it;
		if (d->n_expenses >= MAX_EXPENSES)
			return -1;
		it = &d->expenses[d->n_expenses++];
		v = 0;
		bad |= item_decode(r, &v, &it->amount, NULL, 0, it->note, sizeof it->note, NULL, NULL, 0);
		bad |= !ENUM_IN(v, EXP__N);
		it->kind = (enum expense_kind)v;
		break;
	}
	case DT_CHECK: {
		struct info_check *c;
		if (d->n_checks >= MAX_CHECKS)
			return -1;
		c = &d->checks[d->n_checks++];
		v = 0;
		bad |= item_decode(r, &v, NULL, NULL, 0, c->result, sizeof c->result, &c->date,
		    c->recorded_by, sizeof c->recorded_by);
		bad |= !ENUM_IN(v, AG__N);
		c->agency = (enum check_agency)v;
		break;
	}
	case DT_PROC: bad |= proc_decode(r, &d->proc); break;
	case DT_ITEM:
		if (d->n_items >= MAX_ITEMS)
			return -1;
		bad |= item_state_decode(r, &d->items[d->n_items++]);
		break;
	case DT_DEPOSITS: d->assets.deposits = rec_get_int(r); break;
	case DT_VEHICLES: d->assets.vehicles = (int)rec_get_int(r); break;
	case DT_PROD_VEHICLES: d->assets.production_vehicles = (int)rec_get_int(r); break;
	case DT_HOUSES: d->assets.houses = (int)rec_get_int(r); break;
	case DT_BUSINESSES: d->assets.businesses = (int)rec_get_int(r); break;
	default: break;
	}
	return bad ? -1 : 0;
}

/* DT_PACKED's fields (tags 31-44, version 1's bytes) inflated into a new
 * buffer, *len bytes: 0, or -1 when damaged */
static int
pack_inflate(const struct rec_reader *outer, unsigned char **body, size_t *blen)
{
	struct rec_reader r;
	const unsigned char *zp = NULL;
	size_t zlen = 0;
	int64_t len = -1;
	int n, bad;

	*body = NULL;
	rec_open_nested(&r, outer->val, outer->vlen);
	while ((n = rec_next(&r)) == 1) {
		if (r.tag == PK_LEN)
			len = rec_get_int(&r);
		else if (r.tag == PK_DEFLATE) {
			zp = r.val;
			zlen = r.vlen;
		}
	}
	if (n < 0 || zp == NULL || len < 0 || len > (int64_t)PACK_MAX)
		return -1;
	unsigned char *p = malloc(len ? (size_t)len : 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	if (p == NULL || inflateInit2(&z, -PACK_WBITS) != Z_OK) {
		free(p);
		return -1;
	}
	z.next_in = (unsigned char *)zp;
	z.avail_in = (uInt)zlen;
	z.next_out = p;
	z.avail_out = (uInt)len;
	/* the whole stream, exactly len bytes, nothing after it */
	bad = inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != (uLong)len || z.avail_in != 0;
	inflateEnd(&z);
	if (bad) {
		free(p);
		return -1;
	}
	*body = p;
	*blen = (size_t)len;
	return 0;
}

static int
pack_decode(const struct rec_reader *outer, struct dossier *d)
{
	struct rec_reader f;
	unsigned char *body;
	size_t len;
	int n, bad = 0;

	if (pack_inflate(outer, &body, &len) != 0)
		return -1;
	rec_open_nested(&f, body, len);
	while ((n = rec_next(&f)) == 1 && !bad)
		bad = f.tag == DT_PACKED || field_decode(&f, d) != 0;
	free(body);
	return bad || n < 0 ? -1 : 0;
}

/* A record's bytes as version 1 holds them: a version 2 record with its
 * DT_PACKED field replaced by the fields it holds, under a version 1
 * header.  It is what the old code stored for the same dossier, byte for
 * byte (version 2 writes the fields in version 1's order and packs the
 * tail), so a printed form's hash (prints.c) neither depends on the
 * deflate of the zlib at hand nor changes with the version. */
int
dossier_v1_bytes(const void *p, size_t len, struct buf *out)
{
	struct rec_reader r;
	int n;

	if (rec_open(&r, p, len, RT_DOSSIER, DOSSIER_REC_VERSION) != 0)
		return -1;
	rec_begin(out, RT_DOSSIER, 1);
	size_t from = r.off, start = r.off;
	while ((n = rec_next(&r)) == 1) {
		if (r.tag == DT_PACKED && r.version >= 2) {
			/* the fields before it as they are, then the ones it holds */
			unsigned char *body;
			size_t blen;
			if (pack_inflate(&r, &body, &blen) != 0)
				return -1;
			buf_put_bytes(out, r.p + from, start - from);
			buf_put_bytes(out, body, blen);
			free(body);
			from = r.off;
		}
		start = r.off;
	}
	if (n < 0)
		return -1;
	buf_put_bytes(out, r.p + from, len - from);
	return out->oom ? -1 : 0;
}

int
dossier_decode(const void *p, size_t len, struct dossier *d)
{
	struct rec_reader r;
	int n, bad = 0;

	dossier_init(d);
	if (rec_open(&r, p, len, RT_DOSSIER, DOSSIER_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1 && !bad) {
		if (r.tag == DT_PACKED)
			bad = r.version < 2 || pack_decode(&r, d) != 0;
		else
			bad = field_decode(&r, d) != 0;
	}
	if (n < 0 || bad || d->no[0] == '\0' || d->head < 0 || (d->n_members > 0 && d->head >= d->n_members))
		return -1;
	return 0;
}
