/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * index.c — secondary-key extractors: pure functions of the stored record,
 * so an index can always be rebuilt from its primary (dibao check compares
 * them).  Multi-key indexes (every member's ID number and name) return a
 * DB_DBT_MULTIPLE array.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/terms.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/env-int.h"
#include "store/kin-int.h"
#include "store/prints-int.h"
#include "store/records.h"
#include "core/array.h"

/* Collect one nested member field from every member. */
static int
member_keys(const DBT *data, uint16_t want, DBT *result)
{
	struct rec_reader r, m;
	DBT *keys = NULL;
	int n = 0;
	size_t cap = 0;

	if (rec_open(&r, data->data, data->size, RT_DOSSIER, DOSSIER_REC_VERSION) != 0)
		return EINVAL;
	while (rec_next(&r) == 1) {
		if (r.tag != DT_MEMBER)
			continue;
		rec_open_nested(&m, r.val, r.vlen);
		while (rec_next(&m) == 1) {
			if (m.tag != want || m.vlen == 0)
				continue;
			DBT *k = array_grow(keys, &cap, (size_t)n + 1, sizeof *k);
			if (k == NULL) {
				free(keys);
				return ENOMEM;
			}
			keys = k;
			memset(&keys[n], 0, sizeof keys[n]);
			/* point into the record: BDB copies keys it keeps */
			keys[n].data = (void *)m.val;
			keys[n].size = m.vlen;
			n++;
		}
	}
	if (n == 0) {
		free(keys);
		return DB_DONOTINDEX;
	}
	memset(result, 0, sizeof *result);
	result->flags = DB_DBT_MULTIPLE | DB_DBT_APPMALLOC;
	result->data = keys;
	result->size = (u_int32_t)n;
	return 0;
}

static int
top_field(const DBT *data, uint8_t type, uint8_t ver, uint16_t want, DBT *result)
{
	struct rec_reader r;

	if (rec_open(&r, data->data, data->size, type, ver) != 0)
		return EINVAL;
	while (rec_next(&r) == 1) {
		if (r.tag == want) {
			if (r.vlen == 0)
				return DB_DONOTINDEX;
			dbt_init(result, r.val, r.vlen);
			return 0;
		}
	}
	return DB_DONOTINDEX;
}

int
idx_dossier_idno(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return member_keys(data, MT_ID, result);
}

int
idx_dossier_name(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return member_keys(data, MT_NAME, result);
}

int
idx_dossier_village(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return top_field(data, RT_DOSSIER, DOSSIER_REC_VERSION, DT_VILLAGE, result);
}

int
idx_dossier_status(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	/* the key is the status as one byte (its enum value) */
	struct rec_reader r;
	unsigned char *k;

	if (rec_open(&r, data->data, data->size, RT_DOSSIER, DOSSIER_REC_VERSION) != 0)
		return EINVAL;
	while (rec_next(&r) == 1) {
		if (r.tag != DT_STATUS)
			continue;
		int64_t v = rec_get_int(&r);
		if (v < 0 || v >= ST__N)
			return EINVAL;
		if ((k = malloc(1)) == NULL)
			return ENOMEM;
		k[0] = (unsigned char)v;
		memset(result, 0, sizeof *result);
		result->data = k;
		result->size = 1;
		result->flags = DB_DBT_APPMALLOC;
		return 0;
	}
	return DB_DONOTINDEX;
}

int
idx_audit_object(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return top_field(data, RT_AUDIT, AUDIT_REC_VERSION, AT_OBJECT, result);
}

int
idx_kin_relative_idno(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	/* removed declarations stay indexed: a lookup sees the recorded end */
	return top_field(data, RT_KIN_RELATIVE, KIN_REC_VERSION, KR_ID, result);
}

int
idx_print_code(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return top_field(data, RT_PRINT, PRINT_REC_VERSION, PR_CODE, result);
}

/* payment (issue 13): the subsidy card's account, for R14's one card on
 * several active dossiers; dossiers of every status (the lookup filters) */
int
idx_dossier_account(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	return top_field(data, RT_DOSSIER, DOSSIER_REC_VERSION, DT_ACCOUNT, result);
}

/* The keys the extractor of si gives for the primary record (k, v): n of
 * them in *keys, res to free with idx_keys_done.  0 (n = 0: not indexed),
 * or the extractor's error. */
int
idx_keys(struct store *st, int si, const DBT *k, const DBT *v, DBT *res, DBT **keys, u_int32_t *n)
{
	memset(res, 0, sizeof *res);
	*n = 0;
	int r = db_tables[si].extract(st->db[si], (DBT *)k, (DBT *)v, res);
	if (r == DB_DONOTINDEX)
		return 0;
	if (r != 0)
		return r;
	*keys = (res->flags & DB_DBT_MULTIPLE) ? res->data : res;
	*n = (res->flags & DB_DBT_MULTIPLE) ? res->size : 1;
	return 0;
}

void
idx_keys_done(DBT *res)
{
	if (res->flags & DB_DBT_APPMALLOC)
		free(res->data);
	memset(res, 0, sizeof *res);
}
