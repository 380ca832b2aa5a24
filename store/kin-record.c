/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin-record.c — the kin records as stored (SPEC 4): the codecs of staff,
 * relatives, matches and filings, and their reads.  The matching
 * (kin-match.c), the registry (kin.c) and the filings (kin-filing.c) all
 * build on it; it calls none of them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/user.h"
#include "store/kin-int.h"

/* ---- codecs ----------------------------------------------------------- */

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

int
kin_staff_encode(const struct kin_staff *s, struct buf *b)
{
	rec_begin(b, RT_KIN_STAFF, KIN_REC_VERSION);
	rec_str(b, KS_ID, s->id);
	rec_str(b, KS_NAME, s->name);
	rec_int(b, KS_KIND, s->kind);
	rec_str(b, KS_UNIT, s->unit);
	rec_str(b, KS_POSITION, s->position);
	rec_int(b, KS_FROM, s->from);
	rec_int(b, KS_TO, s->to);
	rec_int(b, KS_ENDED, s->ended);
	rec_int(b, KS_REGISTERED, s->registered);
	rec_str(b, KS_REGISTERED_BY, s->registered_by);
	return b->oom ? -1 : 0;
}

int
kin_staff_decode(const void *p, size_t len, struct kin_staff *s)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(s, 0, sizeof *s);
	if (rec_open(&r, p, len, RT_KIN_STAFF, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KS_ID: bad |= rec_get_str(&r, s->id, sizeof s->id); break;
		case KS_NAME: bad |= rec_get_str(&r, s->name, sizeof s->name); break;
		case KS_KIND: v = rec_get_int(&r); bad |= !ENUM_IN(v, SK__N); s->kind = (enum staff_kind)v; break;
		case KS_UNIT: bad |= rec_get_str(&r, s->unit, sizeof s->unit); break;
		case KS_POSITION: bad |= rec_get_str(&r, s->position, sizeof s->position); break;
		case KS_FROM: s->from = (dbdate_t)rec_get_int(&r); break;
		case KS_TO: s->to = (dbdate_t)rec_get_int(&r); break;
		case KS_ENDED: s->ended = (dbdate_t)rec_get_int(&r); break;
		case KS_REGISTERED: s->registered = (dbdate_t)rec_get_int(&r); break;
		case KS_REGISTERED_BY: bad |= rec_get_str(&r, s->registered_by, sizeof s->registered_by); break;
		default: break; /* a newer field: ignored by this version */
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_relative_encode(const struct kin_relative *k, struct buf *b)
{
	rec_begin(b, RT_KIN_RELATIVE, KIN_REC_VERSION);
	rec_str(b, KR_STAFF, k->staff_id);
	rec_str(b, KR_ID, k->id);
	rec_str(b, KR_NAME, k->name);
	rec_int(b, KR_RELATION, k->relation);
	rec_int(b, KR_DECLARED, k->declared);
	rec_int(b, KR_REMOVED, k->removed);
	rec_str(b, KR_DECLARED_BY, k->declared_by);
	return b->oom ? -1 : 0;
}

int
kin_relative_decode(const void *p, size_t len, struct kin_relative *k)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(k, 0, sizeof *k);
	if (rec_open(&r, p, len, RT_KIN_RELATIVE, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KR_STAFF: bad |= rec_get_str(&r, k->staff_id, sizeof k->staff_id); break;
		case KR_ID: bad |= rec_get_str(&r, k->id, sizeof k->id); break;
		case KR_NAME: bad |= rec_get_str(&r, k->name, sizeof k->name); break;
		case KR_RELATION: v = rec_get_int(&r); bad |= !ENUM_IN(v, KREL__N); k->relation = (enum kin_relation)v; break;
		case KR_DECLARED: k->declared = (dbdate_t)rec_get_int(&r); break;
		case KR_REMOVED: k->removed = (dbdate_t)rec_get_int(&r); break;
		case KR_DECLARED_BY: bad |= rec_get_str(&r, k->declared_by, sizeof k->declared_by); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_match_encode(const struct kin_match *m, struct buf *b)
{
	rec_begin(b, RT_KIN_MATCH, KIN_REC_VERSION);
	rec_str(b, KM_DOSSIER, m->dossier);
	rec_str(b, KM_MEMBER, m->member_id);
	rec_str(b, KM_STAFF, m->staff_id);
	rec_int(b, KM_RELATION, m->relation);
	rec_str(b, KM_MEMBER_NAME, m->member_name);
	rec_str(b, KM_STAFF_NAME, m->staff_name);
	rec_int(b, KM_FOUND, m->found);
	rec_str(b, KM_FILING, m->filing);
	return b->oom ? -1 : 0;
}

int
kin_match_decode(const void *p, size_t len, struct kin_match *m)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(m, 0, sizeof *m);
	if (rec_open(&r, p, len, RT_KIN_MATCH, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KM_DOSSIER: bad |= rec_get_str(&r, m->dossier, sizeof m->dossier); break;
		case KM_MEMBER: bad |= rec_get_str(&r, m->member_id, sizeof m->member_id); break;
		case KM_STAFF: bad |= rec_get_str(&r, m->staff_id, sizeof m->staff_id); break;
		case KM_RELATION: v = rec_get_int(&r); bad |= !ENUM_IN(v, KREL__N + 1); m->relation = (int)v; break;
		case KM_MEMBER_NAME: bad |= rec_get_str(&r, m->member_name, sizeof m->member_name); break;
		case KM_STAFF_NAME: bad |= rec_get_str(&r, m->staff_name, sizeof m->staff_name); break;
		case KM_FOUND: m->found = (dbdate_t)rec_get_int(&r); break;
		case KM_FILING: bad |= rec_get_str(&r, m->filing, sizeof m->filing); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
kin_filing_encode(const struct kin_filing *f, struct buf *b)
{
	struct buf in;

	rec_begin(b, RT_KIN_FILING, KIN_REC_VERSION);
	rec_str(b, KF_NO, f->no);
	rec_str(b, KF_DOSSIER, f->dossier);
	rec_str(b, KF_MEMBER, f->member_id);
	rec_str(b, KF_MEMBER_NAME, f->member_name);
	rec_str(b, KF_NOTE, f->note);
	rec_int(b, KF_STATUS, f->status);
	rec_str(b, KF_FILED_BY, f->filed_by);
	rec_int(b, KF_FILED, f->filed);
	rec_str(b, KF_REVIEWED_BY, f->reviewed_by);
	rec_int(b, KF_REVIEWED, f->reviewed);
	rec_int(b, KF_REPORTED, f->reported);
	for (int i = 0; i < f->n_staff; i++) {
		buf_init(&in);
		rec_str(&in, KFS_ID, f->staff[i].staff_id);
		rec_str(&in, KFS_NAME, f->staff[i].staff_name);
		rec_int(&in, KFS_RELATION, f->staff[i].relation);
		rec_nested(b, KF_STAFF, &in);
		if (in.oom)
			b->oom = true;
		buf_free(&in);
	}
	return b->oom ? -1 : 0;
}

int
kin_filing_decode(const void *p, size_t len, struct kin_filing *f)
{
	struct rec_reader r, s;
	int n, m, bad = 0;
	int64_t v;

	memset(f, 0, sizeof *f);
	if (rec_open(&r, p, len, RT_KIN_FILING, KIN_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case KF_NO: bad |= rec_get_str(&r, f->no, sizeof f->no); break;
		case KF_DOSSIER: bad |= rec_get_str(&r, f->dossier, sizeof f->dossier); break;
		case KF_MEMBER: bad |= rec_get_str(&r, f->member_id, sizeof f->member_id); break;
		case KF_MEMBER_NAME: bad |= rec_get_str(&r, f->member_name, sizeof f->member_name); break;
		case KF_NOTE: bad |= rec_get_str(&r, f->note, sizeof f->note); break;
		case KF_STATUS: v = rec_get_int(&r); bad |= !ENUM_IN(v, FS__N); f->status = (enum filing_status)v; break;
		case KF_FILED_BY: bad |= rec_get_str(&r, f->filed_by, sizeof f->filed_by); break;
		case KF_FILED: f->filed = (dbdate_t)rec_get_int(&r); break;
		case KF_REVIEWED_BY: bad |= rec_get_str(&r, f->reviewed_by, sizeof f->reviewed_by); break;
		case KF_REVIEWED: f->reviewed = (dbdate_t)rec_get_int(&r); break;
		case KF_REPORTED: f->reported = (dbdate_t)rec_get_int(&r); break;
		case KF_STAFF: {
			struct kin_filing_staff *fs;
			if (f->n_staff >= MAX_FILING_STAFF)
				return -1;
			fs = &f->staff[f->n_staff++];
			rec_open_nested(&s, r.val, r.vlen);
			while ((m = rec_next(&s)) == 1) {
				switch (s.tag) {
				case KFS_ID: bad |= rec_get_str(&s, fs->staff_id, sizeof fs->staff_id); break;
				case KFS_NAME: bad |= rec_get_str(&s, fs->staff_name, sizeof fs->staff_name); break;
				case KFS_RELATION: v = rec_get_int(&s); bad |= !ENUM_IN(v, KREL__N + 1); fs->relation = (int)v; break;
				default: break;
				}
			}
			bad |= m < 0;
			break;
		}
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* ---- reads ------------------------------------------------------------ */

int
kin_staff_get(struct store *st, store_txn *txn, const char *id, struct kin_staff *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_KIN_STAFF, id, strlen(id), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("staff: %s is not in the kin registry"), id);
	r = kin_staff_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the registry record of %s is damaged"), id);
	return 0;
}

/* Walk relatives: all, or those of one staff member (a key prefix). */
int
kin_relative_walk(struct store *st, store_txn *txn, const char *staff_id, kin_relative_fn fn,
    void *baton, struct err *e)
{
	DB *db = st->db[DBI_KIN_RELATIVES];
	DBC *c;
	DBT k, v;
	int ret, stop = 0;
	u_int32_t flag = DB_NEXT;

	if ((ret = db->cursor(db, txn, &c, txn ? DB_READ_COMMITTED : 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVES].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (staff_id != NULL) {
		dbt_init(&k, staff_id, strlen(staff_id));
		flag = DB_SET_RANGE;
	}
	while (!stop && (ret = c->get(c, &k, &v, flag)) == 0) {
		struct kin_relative r;
		flag = DB_NEXT;
		if (staff_id != NULL && (k.size < ID_LEN || memcmp(k.data, staff_id, ID_LEN) != 0))
			break;
		if (kin_relative_decode(v.data, v.size, &r) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a record of the kin registry is damaged"));
		}
		stop = fn(&r, baton);
		if (stop < 0) {
			c->close(c);
			return -1;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_KIN_RELATIVES].file, e);
	return 0;
}

int
kin_filing_get(struct store *st, store_txn *txn, const char *no, struct kin_filing *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_KIN_FILINGS, no, strlen(no), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("filing: no filing %s"), no);
	r = kin_filing_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the record of filing %s is damaged"), no);
	return 0;
}
