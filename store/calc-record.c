/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * calc-record.c — the benefit calculation with the township's settings:
 * the standard in force for the month, the add-on rates or fixed amounts,
 * the threshold and the rounding; and the calculation records stored with
 * the dossier at approval and at each review, so what an approved amount
 * was computed from stays readable after the standard changes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/dossier-model.h"
#include "core/money.h"
#include "core/settings-defs.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit-int.h"
#include "store/calc.h"
#include "store/codec.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/settings.h"

static const char *const addon_keys[ADDON__N] = {
	NULL, "age60", "age70", "age80", "severe-disability", "serious-illness", "minor",
};

int
calc_params_load(struct store *st, store_txn *txn, enum area area, dbmonth_t m,
    struct calc_params *p, struct err *e)
{
	fen_t s;
	dbmonth_t from;
	int64_t v;
	char key[64], val[64], rnd[32];

	if (standard_get(st, txn, area, m, &s, &from, e) != 0)
		return -1;
	calc_params_default(p, s, from);
	if (setting_get_int(st, txn, "single.threshold.permille", &v, e) != 0)
		return -1;
	p->single_threshold_permille = (int)v;
	if (setting_get(st, txn, "rounding", rnd, sizeof rnd, e) != 0)
		return -1;
	if (rounding_parse(rnd, &p->rounding) != 0)
		p->rounding = ROUND_YUAN_HALF_UP;
	for (int c = 1; c < ADDON__N; c++) {
		fen_t f;
		const char *why;
		snprintf(key, sizeof key, "addon.%s.permille", addon_keys[c]);
		if (setting_get_int(st, txn, key, &v, e) != 0)
			return -1;
		p->addon_permille[c] = (int)v;
		snprintf(key, sizeof key, "addon.%s.fixed.%s", addon_keys[c], area == AREA_URBAN ? "urban" : "rural");
		if (setting_get(st, txn, key, val, sizeof val, e) != 0)
			return -1;
		p->addon_fixed[c] = money_parse(val, &f, &why) == 0 ? f : 0;
	}
	return 0;
}

int
case_calc(struct store *st, store_txn *txn, const struct dossier *d, dbmonth_t m,
    struct calc_record *out, const char **why, struct err *e)
{
	struct calc_params p;

	*why = NULL;
	if (calc_params_load(st, txn, d->area, m, &p, e) != 0)
		return -1;
	if (calc_dossier(d, m, &p, out, why) != 0)
		return 1; /* computed, but the dossier does not qualify: *why */
	return 0;
}

enum calc_tag {
	KT_MONTH = 1, KT_STANDARD, KT_STANDARD_FROM, KT_SUPPORT, KT_POVERTY, KT_INCOME,
	KT_EXPENSES, KT_HOUSEHOLD_INCOME, KT_PER_CAPITA, KT_MEMBERS, KT_GUARANTEED,
	KT_THRESHOLD, KT_BASE, KT_ADDONS, KT_UNROUNDED, KT_TOTAL, KT_ROUNDING,
	KT_MEMBER = 20,
	KT_EXCLUDED = 30,   /* i12: income recorded but not counted */
};
enum calc_member_tag { KM_ID = 1, KM_LIVING, KM_GUARANTEED, KM_AGE, KM_CAT, KM_OWN_INCOME, KM_BASE, KM_ADDON };

static void
calc_encode(const struct calc_record *c, struct buf *b)
{
	rec_begin(b, RT_CALC, 1);
	rec_int(b, KT_MONTH, c->month);
	rec_int(b, KT_STANDARD, c->standard);
	rec_int(b, KT_STANDARD_FROM, c->standard_from);
	rec_int(b, KT_SUPPORT, c->support);
	rec_int(b, KT_POVERTY, c->poverty);
	rec_int(b, KT_INCOME, c->income);
	rec_int(b, KT_EXPENSES, c->expenses);
	rec_int(b, KT_HOUSEHOLD_INCOME, c->household_income);
	rec_int(b, KT_PER_CAPITA, c->per_capita);
	rec_int(b, KT_MEMBERS, c->members);
	rec_int(b, KT_GUARANTEED, c->guaranteed);
	rec_int(b, KT_THRESHOLD, c->threshold_permille);
	rec_int(b, KT_BASE, c->base);
	rec_int(b, KT_ADDONS, c->addons);
	rec_int(b, KT_UNROUNDED, c->unrounded);
	rec_int(b, KT_TOTAL, c->total);
	rec_int(b, KT_ROUNDING, c->rounding);
	if (c->excluded != 0)
		rec_int(b, KT_EXCLUDED, c->excluded);
	for (int i = 0; i < c->n; i++) {
		const struct calc_member *m = &c->m[i];
		struct buf in;
		buf_init(&in);
		rec_str(&in, KM_ID, m->id);
		rec_int(&in, KM_LIVING, m->living);
		rec_int(&in, KM_GUARANTEED, m->guaranteed);
		rec_int(&in, KM_AGE, m->age);
		rec_int(&in, KM_CAT, m->cat);
		rec_int(&in, KM_OWN_INCOME, m->own_income);
		rec_int(&in, KM_BASE, m->base);
		rec_int(&in, KM_ADDON, m->addon);
		rec_nested(b, KT_MEMBER, &in);
		buf_free(&in);
	}
}

static int
calc_decode(const void *p, size_t len, struct calc_record *c)
{
	struct rec_reader r, m;
	int n, bad = 0;

	memset(c, 0, sizeof *c);
	if (rec_open(&r, p, len, RT_CALC, 1) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		int64_t v = r.tag == KT_MEMBER ? 0 : rec_get_int(&r);
		switch (r.tag) {
		case KT_MONTH: c->month = (dbmonth_t)v; break;
		case KT_STANDARD: c->standard = v; break;
		case KT_STANDARD_FROM: c->standard_from = (dbmonth_t)v; break;
		case KT_SUPPORT: bad |= v < 0 || v >= SUPPORT__N; c->support = (enum support)v; break;
		case KT_POVERTY: bad |= v < 0 || v >= POVERTY__N; c->poverty = (enum poverty)v; break;
		case KT_INCOME: c->income = v; break;
		case KT_EXPENSES: c->expenses = v; break;
		case KT_HOUSEHOLD_INCOME: c->household_income = v; break;
		case KT_PER_CAPITA: c->per_capita = v; break;
		case KT_MEMBERS: c->members = (int)v; break;
		case KT_GUARANTEED: c->guaranteed = (int)v; break;
		case KT_THRESHOLD: c->threshold_permille = (int)v; break;
		case KT_BASE: c->base = v; break;
		case KT_ADDONS: c->addons = v; break;
		case KT_UNROUNDED: c->unrounded = v; break;
		case KT_TOTAL: c->total = v; break;
		case KT_ROUNDING: c->rounding = (enum rounding)v; break;
		case KT_EXCLUDED: c->excluded = v; break;
		case KT_MEMBER: {
			struct calc_member *cm;
			if (c->n >= MAX_MEMBERS)
				return -1;
			cm = &c->m[c->n++];
			rec_open_nested(&m, r.val, r.vlen);
			while (rec_next(&m) == 1) {
				int64_t w = m.tag == KM_ID ? 0 : rec_get_int(&m);
				switch (m.tag) {
				case KM_ID: bad |= rec_get_str(&m, cm->id, sizeof cm->id); break;
				case KM_LIVING: cm->living = w != 0; break;
				case KM_GUARANTEED: cm->guaranteed = w != 0; break;
				case KM_AGE: cm->age = (int)w; break;
				case KM_CAT: bad |= w < 0 || w >= ADDON__N; cm->cat = (enum addon_cat)w; break;
				case KM_OWN_INCOME: cm->own_income = w; break;
				case KM_BASE: cm->base = w; break;
				case KM_ADDON: cm->addon = w; break;
				default: break;
				}
			}
			break;
		}
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static size_t
calc_key(const char *no, uint32_t seq, unsigned char k[DOSSIER_NO_LEN + 5])
{
	size_t n = strlen(no);
	memcpy(k, no, n);
	k[n] = (unsigned char)(seq >> 24);
	k[n + 1] = (unsigned char)(seq >> 16);
	k[n + 2] = (unsigned char)(seq >> 8);
	k[n + 3] = (unsigned char)seq;
	return n + 4;
}

int
calc_store(struct store *st, store_txn *txn, const char *no, const struct calc_record *c,
    uint32_t *seq_out, struct err *e)
{
	char key[64];
	unsigned char k[DOSSIER_NO_LEN + 5];
	struct buf b;
	DBT kk, vv;
	int ret;

	snprintf(key, sizeof key, "seq.calc.%s", no);
	if (meta_next(st, txn, key, seq_out, e) != 0)
		return -1;
	buf_init(&b);
	calc_encode(c, &b);
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	dbt_init(&kk, k, calc_key(no, *seq_out, k));
	dbt_init(&vv, b.p, b.len);
	ret = st->db[DBI_CALCS]->put(st->db[DBI_CALCS], txn, &kk, &vv, DB_NOOVERWRITE);
	if (ret == 0)
		audit_track(st, DBI_CALCS, kk.data, kk.size, vv.data, vv.size); /* issue 16.5 */
	buf_free(&b);
	if (ret != 0)
		return store_dberr(st, ret, _("storing the calculation record"), e);
	return 0;
}

int
calc_get(struct store *st, store_txn *txn, const char *no, uint32_t seq, struct calc_record *out, struct err *e)
{
	unsigned char k[DOSSIER_NO_LEN + 5];
	DBT kk, vv;
	int ret;

	if (seq == 0)
		return err_set(e, E_NOTFOUND, _("dossier %s has no stored calculation"), no);
	dbt_init(&kk, k, calc_key(no, seq, k));
	memset(&vv, 0, sizeof vv);
	vv.flags = DB_DBT_MALLOC;
	ret = st->db[DBI_CALCS]->get(st->db[DBI_CALCS], txn, &kk, &vv, 0);
	if (ret != 0)
		return store_dberr(st, ret, _("reading the calculation record"), e);
	ret = calc_decode(vv.data, vv.size, out);
	free(vv.data);
	if (ret != 0)
		return err_set(e, E_STORAGE, _("the calculation record of %s is damaged"), no);
	return 0;
}
