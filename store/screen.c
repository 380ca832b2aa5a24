/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * screen.c — the screening lists (重点筛查, SPEC 7) and the public notice
 * (公示) of a village: who to visit and why, the visit outcomes recorded
 * against each list, and posting a notice, which starts the notice period
 * of every reviewed case of the village through the procedure's own step.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/calc.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/due.h"
#include "core/ledger-model.h"
#include "core/money.h"
#include "core/report.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/calc.h"
#include "store/case-int.h"
#include "store/case.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/ledger-int.h"
#include "store/records.h"
#include "store/screen.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"
#include "core/array.h"

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

/* ---- dossier numbers collected first, then read one by one ----------- */

struct nos {
	char (*v)[DOSSIER_NO_LEN + 1];
	size_t n, cap;
	bool oom;
	int status;     /* -1 any */
};

static int
collect(const struct dossier *d, void *baton)
{
	struct nos *l = baton;
	if (l->status >= 0 && (int)d->status != l->status)
		return 0;
	void *nv = array_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	if (nv == NULL) {
		l->oom = true;
		return 1;
	}
	l->v = nv;
	snprintf(l->v[l->n++], DOSSIER_NO_LEN + 1, "%s", d->no);
	return 0;
}

static int
collect_nos(struct store *st, const char *village, int status, struct nos *l, struct err *e)
{
	struct dossier_filter f = {.status = village ? -1 : status, .village = village};
	memset(l, 0, sizeof *l);
	l->status = status;
	if (dossier_list(st, &f, collect, l, e) != 0)
		return -1;
	if (l->oom)
		return err_set(e, E_STORAGE, _("out of memory"));
	return 0;
}

/* ---- visits ----------------------------------------------------------- */

static void
visit_key(char *key, size_t size, enum screen_kind k, const char *dossier)
{
	snprintf(key, size, "%s:%s", screen_terms[k].en, dossier);
}

int
visit_encode(const struct visit *v, struct buf *b)
{
	rec_begin(b, RT_VISIT, LEDGER_REC_VERSION);
	rec_int(b, VS_KIND, v->kind);
	rec_str(b, VS_DOSSIER, v->dossier);
	rec_int(b, VS_DATE, v->date);
	rec_str(b, VS_BY, v->by);
	rec_str(b, VS_OUTCOME, v->outcome);
	return b->oom ? -1 : 0;
}

int
visit_decode(const void *p, size_t len, struct visit *v)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t x;

	memset(v, 0, sizeof *v);
	if (rec_open(&r, p, len, RT_VISIT, LEDGER_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case VS_KIND: x = rec_get_int(&r); bad |= !ENUM_IN(x, SCR__N); v->kind = (enum screen_kind)x; break;
		case VS_DOSSIER: bad |= rec_get_str(&r, v->dossier, sizeof v->dossier); break;
		case VS_DATE: v->date = (dbdate_t)rec_get_int(&r); break;
		case VS_BY: bad |= rec_get_str(&r, v->by, sizeof v->by); break;
		case VS_OUTCOME: bad |= rec_get_str(&r, v->outcome, sizeof v->outcome); break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* The last visit recorded for (kind, dossier): 0 found, 1 none, -1 error. */
int
visit_get(struct store *st, enum screen_kind k, const char *dossier, struct visit *out, struct err *e)
{
	char key[96];
	DBT v;
	int r;

	visit_key(key, sizeof key, k, dossier);
	if ((r = record_get(st, NULL, DBI_VISITS, key, strlen(key), &v, true, e)) != 0)
		return r;
	r = visit_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the visit record of %s is damaged"), dossier);
	return 0;
}

struct visit_baton {
	const struct user *actor;
	struct visit *v;
};

static int
visit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct visit_baton *b = baton;
	struct dossier *d = malloc(sizeof *d);
	char key[96], ds[11];
	struct buf buf;
	int r;

	if (d == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	r = dossier_get(st, txn, b->v->dossier, d, e);
	free(d);
	if (r != 0)
		return -1;
	visit_key(key, sizeof key, b->v->kind, b->v->dossier);
	buf_init(&buf);
	visit_encode(b->v, &buf);
	/* the latest outcome replaces the earlier one in the list; the chain
	 * keeps every one */
	r = record_put(st, txn, DBI_VISITS, key, strlen(key), &buf, false, e);
	buf_free(&buf);
	if (r != 0)
		return -1;
	date_format(b->v->date, ds);
	return audit_appendj(st, txn, b->actor->login, "screen.visit", b->v->dossier,
	    json_pack("{s:s,s:s,s:s}", "list", screen_terms[b->v->kind].en, "date", ds, "outcome", b->v->outcome), e);
}

int
visit_record(struct store *st, const struct user *actor, enum screen_kind k, const char *dossier,
    const char *outcome, struct err *e)
{
	struct visit v;
	const char *why;
	struct visit_baton b = {actor, &v};

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	memset(&v, 0, sizeof v);
	v.kind = k;
	if (outcome == NULL || outcome[0] == '\0')
		return err_set(e, E_REFUSED, "%s", _("outcome: what the visit found is needed"));
	if (text_set(v.outcome, sizeof v.outcome, outcome, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("outcome"), _(why));
	if (text_set(v.dossier, sizeof v.dossier, dossier, &why) != 0)
		return err_set(e, E_NOTFOUND, _("dossier: no dossier %s"), dossier);
	v.date = store_today();
	snprintf(v.by, sizeof v.by, "%s", actor->login);
	return store_txn_run(st, visit_body, &b, e);
}

/* ---- the lists -------------------------------------------------------- */

static int
row_emit(struct store *st, enum screen_kind k, const struct dossier *d, const struct member *m,
    const char *reason, screen_fn fn, void *baton, int *stop, struct err *e)
{
	struct screen_row row;
	struct visit v;
	int r;

	memset(&row, 0, sizeof row);
	row.kind = k;
	row.d = d;
	row.m = m;
	snprintf(row.reason, sizeof row.reason, "%s", reason);
	if ((r = visit_get(st, k, d->no, &v, e)) < 0)
		return -1;
	if (r == 0) {
		row.visited = v.date;
		snprintf(row.outcome, sizeof row.outcome, "%s", v.outcome);
	}
	err_clear(e);
	*stop = fn(&row, baton);
	return 0;
}

/* 单人保 candidates: severely disabled (or seriously ill) people outside
 * the guarantee in a household with P <= threshold x S. */
static int
candidates(struct store *st, enum screen_kind k, struct dossier *d, dbdate_t today, screen_fn fn,
    void *baton, int *stop, struct err *e)
{
	struct calc_record *c;
	const char *why;
	char reason[TEXT_MEDIUM], p[32], s[32];
	bool whole = d->status == ST_REJECTED || d->status == ST_EXITED;

	if (d->status != ST_APPROVED && !whole)
		return 0;       /* an open case is being handled already */
	if (dossier_living(d, today) == 0)
		return 0;
	if ((c = malloc(sizeof *c)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	int r = case_calc(st, NULL, d, month_of(today), c, &why, e);
	if (r < 0) {
		free(c);
		/* a household whose area has no standard cannot be measured */
		if (e->code == E_NOTFOUND) {
			err_clear(e);
			return 0;
		}
		return -1;
	}
	bool poor_enough = c->per_capita * 1000 <= (fen_t)c->threshold_permille * c->standard;
	money_format(c->per_capita, p);
	money_format(c->standard, s);
	snprintf(reason, sizeof reason, "人均收入%s元，标准%s元，单人保门槛%d‰", p, s, c->threshold_permille);
	free(c);
	if (!poor_enough)
		return 0;
	for (int i = 0; i < d->n_members && !*stop; i++) {
		const struct member *m = &d->members[i];
		if (m->death && m->death <= today)
			continue;
		if (!whole && !(m->flags & MF_NOT_GUARANTEED))
			continue;
		if (k == SCR_DISABLED ? !member_severely_disabled(m) : m->health != HEALTH_SERIOUS)
			continue;
		if (whole) {
			/* not when the person is in another active dossier */
			char other[DOSSIER_NO_LEN + 1];
			int f = dossier_by_id(st, NULL, m->id, d->no, other, e);
			if (f < 0)
				return -1;
			if (f > 0)
				continue;
		}
		if (row_emit(st, k, d, m, reason, fn, baton, stop, e) != 0)
			return -1;
	}
	return 0;
}

int
screen_list(struct store *st, enum screen_kind k, dbdate_t since, screen_fn fn, void *baton, struct err *e)
{
	struct nos l;
	struct dossier *d;
	dbdate_t today = store_today();
	int stop = 0, ret = 0;
	int status = k == SCR_EXITED ? ST_EXITED : k == SCR_REJECTED ? ST_REJECTED :
	    k == SCR_VISIT || k == SCR_OVERDUE ? ST_APPROVED : -1;

	if (!ENUM_IN((int)k, SCR__N))
		return err_set(e, E_USAGE, "screen kind");
	int64_t drm = 0;
	if (k == SCR_OVERDUE && setting_get_int(st, NULL, "death.review.months", &drm, e) != 0)
		return -1;
	int death_months = (int)drm;
	if (collect_nos(st, NULL, status, &l, e) != 0)
		return -1;
	if ((d = malloc(sizeof *d)) == NULL) {
		free(l.v);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	for (size_t i = 0; i < l.n && !stop && ret == 0; i++) {
		if (dossier_get(st, NULL, l.v[i], d, e) != 0) {
			ret = -1;
			break;
		}
		const struct member *head = d->head >= 0 && d->head < d->n_members ? &d->members[d->head] : NULL;
		char reason[TEXT_MEDIUM], ds[11];
		switch (k) {
		case SCR_DISABLED:
		case SCR_ILL:
			ret = candidates(st, k, d, today, fn, baton, &stop, e);
			break;
		case SCR_EXITED:
		case SCR_REJECTED:
			if (since && d->status_date < since)
				break;
			date_format(d->status_date, ds);
			snprintf(reason, sizeof reason, "%s %s%s%s", ds, k == SCR_EXITED ? "退出" : "不予批准",
			    k == SCR_EXITED && d->exit_reason ? "：" : "", k == SCR_EXITED && d->exit_reason ?
			    exit_terms[d->exit_reason].zh : "");
			ret = row_emit(st, k, d, head, reason, fn, baton, &stop, e);
			break;
		case SCR_POOR:
			if (!(d->flags & DF_REGISTERED_POOR) || d->status == ST_APPROVED)
				break;
			snprintf(reason, sizeof reason, "建档立卡户，%s", status_terms[d->status].zh);
			ret = row_emit(st, k, d, head, reason, fn, baton, &stop, e);
			break;
		case SCR_VISIT:
			for (int m = 0; m < d->n_members && !stop && ret == 0; m++) {
				const struct member *x = &d->members[m];
				if ((x->death && x->death <= today) || (x->flags & MF_NOT_GUARANTEED))
					continue;
				int age = date_age_on(x->birth, today);
				if (age >= 60)
					snprintf(reason, sizeof reason, "老年人（%d岁）", age);
				else if (age < 18)
					snprintf(reason, sizeof reason, "%s", "未成年人");
				else if (x->disability != DIS_NONE)
					snprintf(reason, sizeof reason, "%s", "残疾人");
				else
					continue;
				ret = row_emit(st, k, d, x, reason, fn, baton, &stop, e);
			}
			break;
		case SCR_OVERDUE: {
			/* the periodic review, and the review a death opens (i12) */
			dbdate_t dr = death_review_due(d, death_months);
			if (d->next_review != 0 && d->next_review < today) {
				date_format(d->next_review, ds);
				snprintf(reason, sizeof reason, "复核应于%s完成", ds);
				ret = row_emit(st, k, d, head, reason, fn, baton, &stop, e);
			}
			if (ret == 0 && !stop && dr != 0 && dr < today) {
				date_format(dr, ds);
				snprintf(reason, sizeof reason, "死亡后复核应于%s完成", ds);
				ret = row_emit(st, k, d, head, reason, fn, baton, &stop, e);
			}
			break;
		}
		default:
			break;
		}
	}
	free(d);
	free(l.v);
	return ret;
}

/* ---- the public notice ------------------------------------------------ */

struct notice_baton {
	const struct user *actor;
	const char *village;
	dbdate_t date;
	struct nos *l;
	int posted;
};

static int
notice_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct notice_baton *b = baton;
	struct case_opts o = {.date = b->date};
	struct case_result *res = malloc(sizeof *res);
	json_t *list = json_array();

	if (res == NULL || list == NULL) {
		free(res);
		json_decref(list);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	b->posted = 0;
	for (size_t i = 0; i < b->l->n; i++) {
		/* the same step as `advance` from REVIEWED: roles, rules, dates */
		if (case_advance_txn(st, txn, b->actor, b->l->v[i], &o, res, e) != 0) {
			if (e->code != E_STORAGE) {
				char why[sizeof e->msg];
				snprintf(why, sizeof why, "%s", e->msg);
				err_set(e, E_REFUSED, _("dossier %s: %s"), b->l->v[i], why);
			}
			free(res);
			json_decref(list);
			return -1;
		}
		json_array_append_new(list, json_string(b->l->v[i]));
		b->posted++;
	}
	free(res);
	char ds[11];
	date_format(b->date, ds);
	return audit_appendj(st, txn, b->actor->login, "notice.post", b->village,
	    json_pack("{s:s,s:o}", "date", ds, "dossiers", list), e);
}

/* The latest review date among the listed dossiers: the earliest date the
 * notice may carry. */
static int
notice_earliest_of(struct store *st, const struct nos *l, dbdate_t *earliest, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	if (d == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	*earliest = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (dossier_get(st, NULL, l->v[i], d, e) != 0) {
			free(d);
			return -1;
		}
		if (d->proc.reviewed > *earliest)
			*earliest = d->proc.reviewed;
	}
	free(d);
	return 0;
}

int
notice_earliest(struct store *st, const char *village, dbdate_t *earliest, int *n, struct err *e)
{
	struct village v;
	struct nos l;
	*earliest = 0;
	*n = 0;
	if (village_resolve(st, NULL, village, &v, e) != 0 || collect_nos(st, v.name, ST_REVIEWED, &l, e) != 0)
		return -1;
	int ret = notice_earliest_of(st, &l, earliest, e);
	*n = (int)l.n;
	free(l.v);
	return ret;
}

int
notice_post(struct store *st, const struct user *actor, const char *village, dbdate_t date, int *posted,
    struct err *e)
{
	struct village v;
	struct nos l;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0 || village_resolve(st, NULL, village, &v, e) != 0)
		return -1;
	if (date == 0)
		date = store_today();
	if (collect_nos(st, v.name, ST_REVIEWED, &l, e) != 0)
		return -1;
	if (l.n == 0) {
		free(l.v);
		return err_set(e, E_REFUSED, _("village %s has no reviewed case awaiting its public notice"), v.name);
	}
	/* integrity (SPEC 3): the date may be neither in the future nor before
	 * the day a listed case was reviewed (the step checks each again
	 * inside the transaction) */
	dbdate_t earliest = 0;
	if (notice_earliest_of(st, &l, &earliest, e) != 0) {
		free(l.v);
		return -1;
	}
	char ds[11], es[11];
	date_format(date, ds);
	date_format(earliest, es);
	if (date > store_today()) {
		free(l.v);
		return err_set(e, E_REFUSED, _("notice date: %s is in the future"), ds);
	}
	if (date < earliest) {
		free(l.v);
		return err_set(e, E_REFUSED, _("notice date: %s is before a listed case of %s was reviewed: the earliest allowed date is %s"),
		    ds, v.name, es);
	}
	struct notice_baton b = {actor, v.name, date, &l, 0};
	ret = store_txn_run(st, notice_body, &b, e);
	free(l.v);
	*posted = b.posted;
	return ret;
}

int
notice_rows(struct store *st, const char *village, notice_fn fn, void *baton, struct err *e)
{
	struct village v;
	struct nos l;
	struct dossier *d;
	struct calc_record *c;
	dbdate_t today = store_today();
	int ret = 0, stop = 0;

	if (village_resolve(st, NULL, village, &v, e) != 0 || collect_nos(st, v.name, ST_NOTICED, &l, e) != 0)
		return -1;
	d = malloc(sizeof *d);
	c = malloc(sizeof *c);
	if (d == NULL || c == NULL) {
		free(d);
		free(c);
		free(l.v);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	for (size_t i = 0; i < l.n && !stop; i++) {
		struct notice_row row;
		const char *why;
		bool kin = false;
		memset(&row, 0, sizeof row);
		if (dossier_get(st, NULL, l.v[i], d, e) != 0 || kin_has_match(st, NULL, d->no, &kin, e) != 0) {
			ret = -1;
			break;
		}
		/* the amount proposed: what approval would adopt, for the month
		 * payment would start */
		if (case_calc(st, NULL, d, month_add(month_of(today), 1), c, &why, e) < 0) {
			ret = -1;
			break;
		}
		row.d = d;
		row.name = notice_name(d, today);
		row.persons = c->guaranteed;
		row.amount = c->total;
		row.kin = kin;
		stop = fn(&row, baton);
	}
	free(d);
	free(c);
	free(l.v);
	return ret;
}
