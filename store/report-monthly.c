/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report-monthly.c — the monthly dynamic-management report (动态管理月报,
 * SPEC 7) and the statistics behind `dibao stats`, rebuilt from the audit
 * chain and the stored calculation records as of a date.
 *
 * Why from the chain: the report of a month must come out byte for byte
 * the same when it is printed again later, so nothing may depend on
 * "now".  Only entries dated up to the period's end count; each dossier's
 * standing (in the guarantee or not, amount, calculation) is replayed from
 * them; persons are the guaranteed members of the calculation record then
 * in force.  What the chain does not carry (village, area, category,
 * support type, disability, names) comes from the dossier record, which
 * keeps those fields through history (a death is a date, never a removal).
 */
#include "config.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "core/array.h"
#include "core/base.h"
#include "core/calc.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/calc.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/ledger.h"
#include "store/report.h"
#include "store/settings.h"

/* a dossier's standing as replayed */
struct dstate {
	char no[DOSSIER_NO_LEN + 1];
	bool used, in;
	fen_t total;
	uint32_t calc_seq;
	int persons;
};

struct replay {
	struct store *st;
	dbdate_t from, to;
	struct monthly_report *r;
	struct dstate *tab;          /* dense, n of cap (issue 17: the open table */
	size_t cap, n;               /* held 2.6 states a dossier, 16 MB at 100,000) */
	uint32_t *idx;               /* open addressing into tab, icap slots */
	size_t icap;
	int failed;
	struct err *e;
	const struct progress *pg;   /* NULL: none */
	uint64_t length;             /* the chain's, before the walk */
	uint64_t walked;             /* entries read so far */
	dossier_fn each;             /* also called for every dossier (stats); NULL: none */
	void *each_baton;
	audit_fn audit;              /* also called for every audit entry (the archive's); NULL: none */
	void *audit_baton;
};

/* Tell the progress every so many entries or households: a redraw for each
 * would cost more than the work. */
#define PROGRESS_EVERY 1024

static int
clamp_int(uint64_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* true (e set) when the clerk cancels: the caller stops and frees */
static bool
cancelled(struct replay *p, uint64_t done, uint64_t total)
{
	const struct progress *pg = p->pg;

	if (pg == NULL || pg->fn == NULL)
		return false;
	/* entries appended since the length was read are walked too */
	if (!pg->fn(clamp_int(done), clamp_int(total > done ? total : done), pg->baton))
		return false;
	err_set(p->e, E_REFUSED, "%s", _("report cancelled: nothing was written"));
	return true;
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int
grow(struct replay *p)
{
	struct dstate *nt = array_grow(p->tab, &p->cap, p->n + 1, sizeof *nt);
	if (nt == NULL)
		return -1;
	p->tab = nt;
	if ((p->n + 1) * 2 > p->icap) {
		size_t ncap = p->icap ? p->icap * 2 : 2048;
		uint32_t *ni = malloc(ncap * sizeof *ni);
		if (ni == NULL)
			return -1;
		memset(ni, 0xff, ncap * sizeof *ni);
		for (size_t i = 0; i < p->n; i++) {
			size_t k = hash_str(p->tab[i].no) & (ncap - 1);
			while (ni[k] != UINT32_MAX)
				k = (k + 1) & (ncap - 1);
			ni[k] = (uint32_t)i;
		}
		free(p->idx);
		p->idx = ni;
		p->icap = ncap;
	}
	return 0;
}

static struct dstate *
state_of(struct replay *p, const char *no)
{
	if ((p->n == p->cap || (p->n + 1) * 2 > p->icap) && grow(p) != 0)
		return NULL;
	if (p->n >= UINT32_MAX)
		return NULL;
	size_t k = hash_str(no) & (p->icap - 1);
	while (p->idx[k] != UINT32_MAX) {
		struct dstate *d = &p->tab[p->idx[k]];
		if (strcmp(d->no, no) == 0)
			return d;
		k = (k + 1) & (p->icap - 1);
	}
	struct dstate *d = &p->tab[p->n];
	memset(d, 0, sizeof *d);
	d->used = true;
	snprintf(d->no, sizeof d->no, "%s", no);
	p->idx[k] = (uint32_t)p->n++;
	return d;
}

static int
item_push(struct monthly_list *l, const struct monthly_item *it)
{
	struct monthly_item *nv = array_grow(l->v, &l->cap, l->n + 1, sizeof *nv);
	if (nv == NULL)
		return -1;
	l->v = nv;
	l->v[l->n++] = *it;
	return 0;
}

static fen_t
jint(json_t *j, const char *key, fen_t def)
{
	json_t *v = json_object_get(j, key);
	return json_is_integer(v) ? (fen_t)json_integer_value(v) : def;
}

static const char *
jstr(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s ? s : "";
}

/* Name and village of the dossier for a line of the report. */
static void
fill_item(struct replay *p, struct monthly_item *it, const char *no, const char *member_id)
{
	struct dossier *d = malloc(sizeof *d);
	struct err e2;

	memset(it, 0, sizeof *it);
	snprintf(it->dossier, sizeof it->dossier, "%s", no);
	if (d == NULL)
		return;
	if (dossier_get(p->st, NULL, no, d, &e2) == 0) {
		const struct member *m = member_id ? dossier_member_c(d, member_id) : NULL;
		if (m == NULL && d->head >= 0 && d->head < d->n_members)
			m = &d->members[d->head];
		if (m)
			snprintf(it->name, sizeof it->name, "%s", m->name);
		snprintf(it->village, sizeof it->village, "%s", d->village);
	}
	free(d);
}

/* An entry that re-set a household's amount (a review, the monthly
 * recalculation, a death): the entry itself says what the amount was, since
 * a bulk-loaded household has no replayed amount.  A change within the
 * period is a line of the report.  0, or -1 out of memory. */
static int
amount_changed(struct replay *p, struct dstate *s, json_t *j, const char *no, dbdate_t day,
    bool in_period, const char *reason)
{
	struct monthly_item it;
	fen_t old = jint(j, "old_total", s->total);

	s->total = jint(j, "total", s->total);
	s->calc_seq = (uint32_t)jint(j, "calc_seq", s->calc_seq);
	if (!in_period || old == s->total)
		return 0;
	fill_item(p, &it, no, NULL);
	it.date = day;
	it.old_total = old;
	it.total = s->total;
	snprintf(it.reason, sizeof it.reason, "%s", reason);
	return item_push(&p->r->changed, &it);
}

/* A household leaves the roll within the period: a line of the report. */
static int
removed(struct replay *p, const struct dstate *s, json_t *j, const char *no, dbdate_t day, const char *reason)
{
	struct monthly_item it;

	fill_item(p, &it, no, NULL);
	it.date = day;
	it.old_total = jint(j, "old_total", s->total);
	it.persons = s->persons;
	snprintf(it.reason, sizeof it.reason, "%s", reason);
	return item_push(&p->r->removed, &it);
}

/* A member's death: a line of the deaths, and the household leaves (the
 * last member) or its amount is set again.  0, or -1 out of memory. */
static int
death(struct replay *p, struct dstate *s, json_t *j, const char *no, dbdate_t day, bool in_period)
{
	struct monthly_item it;
	const char *id = jstr(j, "id");
	dbdate_t died = 0;
	const char *why;
	int bad = 0;

	if (date_parse(jstr(j, "date"), &died, &why) != 0)
		died = 0;
	if (in_period) {
		fill_item(p, &it, no, id);
		it.date = died;
		snprintf(it.reason, sizeof it.reason, "%s", "死亡");
		snprintf(it.member_id, sizeof it.member_id, "%s", id);
		bad |= item_push(&p->r->deaths, &it);
	}
	if (json_is_true(json_object_get(j, "exited"))) {
		if (in_period && s->in)
			bad |= removed(p, s, j, no, day, exit_terms[EXIT_DEATH].zh);
		s->in = false;
	} else if (json_object_get(j, "total") != NULL && s->in) {
		s->persons = (int)jint(j, "persons", s->persons);
		bad |= amount_changed(p, s, j, no, day, in_period, "成员死亡重新核定");
	}
	return bad;
}

static int
entry_fn(const struct audit_entry *a, void *baton)
{
	struct replay *p = baton;
	struct monthly_report *r = p->r;
	dbdate_t day = store_date_of(a->time);
	struct monthly_item it;
	json_t *j;
	int bad = 0;

	if (p->walked % PROGRESS_EVERY == 0 && cancelled(p, p->walked, p->length)) {
		p->failed = 1;
		return 1;
	}
	p->walked++;
	if (p->audit != NULL && p->audit(a, p->audit_baton) != 0) {
		p->failed = 1;
		return 1;
	}
	if (day == 0 || day > p->to)
		return 0;
	/* the head as of the period's end: the last entry dated within it */
	r->audit_count++;
	hex32(a->hash, r->head);
	bool in_period = day >= p->from;
	if (a->detail == NULL || a->detail[0] != '{')
		return 0;
	if ((j = json_loads(a->detail, 0, NULL)) == NULL)
		return 0;
	struct dstate *s = NULL;
	const char *act = a->action;
	if (strcmp(act, "case.advance") == 0 && strcmp(jstr(j, "to"), "APPROVED") == 0) {
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		s->in = true;
		s->total = jint(j, "total", 0);
		s->calc_seq = (uint32_t)jint(j, "calc_seq", 0);
		s->persons = (int)jint(j, "persons", 0);
		if (in_period) {
			fill_item(p, &it, a->object, NULL);
			it.date = day;
			it.persons = s->persons;
			it.total = s->total;
			snprintf(it.reason, sizeof it.reason, "%s", "新增审批");
			bad |= item_push(&r->added, &it);
		}
	} else if (strcmp(act, "case.review") == 0) {
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		bad |= amount_changed(p, s, j, a->object, day, in_period, "定期复核调整");
	} else if (strcmp(act, "case.recalc") == 0) {
		/* the monthly recalculation: birthdays, a new standard */
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		const char *why = jstr(j, "reason");
		bad |= amount_changed(p, s, j, a->object, day, in_period, strcmp(why, "age") == 0 ? "年龄段变化调整" :
		    strcmp(why, "standard") == 0 ? "保障标准调整" : strcmp(why, "death") == 0 ? "成员减少重新核定" :
		    "重新核算调整");
	} else if (strcmp(act, "case.exit") == 0) {
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		int reason = term_find(exit_terms, EXIT__N, jstr(j, "reason"));
		if (in_period)
			bad |= removed(p, s, j, a->object, day, reason > 0 ? exit_terms[reason].zh : "其他");
		s->in = false;
	} else if (strcmp(act, "member.death") == 0) {
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		bad |= death(p, s, j, a->object, day, in_period);
	} else if (strcmp(jstr(j, "status"), "APPROVED") == 0 && strcmp(act, "member.death") != 0 &&
	    strncmp(act, "case.", 5) != 0) {
		/* a bulk load (demo, roster import) brings households already
		 * approved: their amount is the record's */
		if ((s = state_of(p, a->object)) == NULL)
			goto oom;
		s->in = true;
		s->total = -1;
	}
	json_decref(j);
	if (bad)
		goto oom_nodecref;
	return 0;
oom:
	json_decref(j);
oom_nodecref:
	p->failed = 1;
	err_set(p->e, E_STORAGE, _("out of memory"));
	return 1;
}

static void
count_household(struct monthly_report *r, const struct dossier *d, const struct report_totals *t)
{
	char cat[2] = {d->category ? d->category : '-', '\0'};
	struct report_totals *g;

	report_totals_add(&r->all, t);
	if ((g = report_group(r->village, &r->n_village, REPORT_MAX_VILLAGES, d->village)) != NULL)
		report_totals_add(g, t);
	if ((g = report_group(r->area, &r->n_area, AREA__N, area_terms[d->area].zh)) != NULL)
		report_totals_add(g, t);
	if ((g = report_group(r->category, &r->n_category, 4, cat)) != NULL)
		report_totals_add(g, t);
	if ((g = report_group(r->support, &r->n_support, SUPPORT__N, support_terms[d->support].zh)) != NULL)
		report_totals_add(g, t);
}

static int
dstate_cmp(const void *a, const void *b)
{
	return strcmp((*(struct dstate *const *)a)->no, (*(struct dstate *const *)b)->no);
}

/* One household in the guarantee on p->to: its line in the totals. */
static int
total_one(struct replay *p, const struct dstate *sv, const struct dossier *d, struct calc_record *c, struct err *e)
{
	struct report_totals t;

	memset(&t, 0, sizeof t);
	t.households = 1;
	t.amount = sv->total >= 0 ? sv->total : d->total;
	uint32_t seq = sv->total >= 0 ? sv->calc_seq : d->proc.calc_seq;
	if (seq != 0 && calc_get(p->st, NULL, d->no, seq, c, e) == 0) {
		for (int k = 0; k < c->n; k++) {
			if (!c->m[k].guaranteed)
				continue;
			const struct member *m = dossier_member_c(d, c->m[k].id);
			report_count_person(&t, c->m[k].id, m && m->disability != DIS_NONE, p->to);
		}
	} else {
		if (seq != 0 && e->code == E_STORAGE)
			return -1;
		err_clear(e);
		/* no calculation on record: the living guaranteed members */
		for (int k = 0; k < d->n_members; k++) {
			const struct member *m = &d->members[k];
			if ((m->flags & MF_NOT_GUARANTEED) || (m->death && m->death <= p->to))
				continue;
			report_count_person(&t, m->id, m->disability != DIS_NONE, p->to);
		}
	}
	count_household(p->r, d, &t);
	return 0;
}

/* The totals of the households in the guarantee on p->to, in dossier-number
 * order (so groups come out the same every time): one walk of the
 * dossiers in key order beside the sorted list of those "in", a record
 * decoded only when it is one of them (or when p->each wants every one). */
static int
totals(struct replay *p, struct err *e)
{
	struct dossier *d = malloc(sizeof *d);
	struct calc_record *c = malloc(sizeof *c);
	struct dstate **v = calloc(p->n ? p->n : 1, sizeof *v);
	DB *db = p->st->db[DBI_DOSSIERS];
	DBC *cur = NULL;
	DBT k, val;
	size_t nv = 0, i = 0, seen = 0;
	int ret = 0, r;

	if (d == NULL || c == NULL || v == NULL) {
		ret = err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	for (size_t j = 0; j < p->n; j++)
		if (p->tab[j].used && p->tab[j].in)
			v[nv++] = &p->tab[j];
	if (nv > 1)
		qsort(v, nv, sizeof *v, dstate_cmp);
	if ((r = db->cursor(db, NULL, &cur, 0)) != 0) {
		ret = store_dberr(p->st, r, _("reading the dossiers"), e);
		goto out;
	}
	memset(&k, 0, sizeof k);
	memset(&val, 0, sizeof val);
	while ((r = cur->get(cur, &k, &val, DB_NEXT)) == 0) {
		if (seen++ % PROGRESS_EVERY == 0 && cancelled(p, p->walked + i, p->walked + nv)) {
			ret = -1;
			goto out;
		}
		/* "in" households the walk passed by have no record */
		int cmp = 1;
		while (i < nv) {
			size_t len = strlen(v[i]->no);
			int m = memcmp(v[i]->no, k.data, len < k.size ? len : k.size);
			cmp = m ? m : len < k.size ? -1 : len > k.size;
			if (cmp >= 0)
				break;
			ret = dossier_get(p->st, NULL, v[i]->no, d, e);	/* names it */
			goto out;
		}
		bool in = i < nv && cmp == 0;
		if (!in && p->each == NULL)
			continue;
		if (dossier_decode(val.data, val.size, d) != 0) {
			char no[DOSSIER_NO_LEN + 1];
			snprintf(no, sizeof no, "%.*s", (int)(k.size < DOSSIER_NO_LEN ? k.size : DOSSIER_NO_LEN),
			    (char *)k.data);
			ret = err_set(e, E_STORAGE, _("the record of dossier %s is damaged"), no);
			goto out;
		}
		if (in) {
			if (total_one(p, v[i], d, c, e) != 0) {
				ret = -1;
				goto out;
			}
			i++;
		}
		if (p->each != NULL && p->each(d, p->each_baton) != 0)
			p->each = NULL;
	}
	if (r != DB_NOTFOUND) {
		ret = store_dberr(p->st, r, _("reading the dossiers"), e);
		goto out;
	}
	if (i < nv) {
		ret = dossier_get(p->st, NULL, v[i]->no, d, e);
		if (ret == 0)
			ret = err_set(e, E_STORAGE, _("the record of dossier %s is damaged"), v[i]->no);
	}
out:
	if (cur != NULL)
		cur->close(cur);
	free(v);
	free(d);
	free(c);
	return ret == 0 ? 0 : -1;
}

static int
build(struct store *st, dbdate_t from, dbdate_t to, struct monthly_report *r, const struct progress *pg,
    const struct report_riders *riders, struct err *e)
{
	struct replay p = {.st = st, .from = from, .to = to, .r = r, .e = e, .pg = pg};
	if (riders != NULL) {
		p.each = riders->dossier;
		p.each_baton = riders->dossier_baton;
		p.audit = riders->audit;
		p.audit_baton = riders->audit_baton;
	}
	int ret;

	memset(r, 0, sizeof *r);
	/* the length only sizes the progress: no walk to count */
	if (pg != NULL && audit_length(st, NULL, &p.length, e) != 0)
		return -1;
	r->from = from;
	r->to = to;
	snprintf(r->head, sizeof r->head, "%064d", 0);
	if (grow(&p) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	ret = audit_walk(st, NULL, entry_fn, &p, e);
	if (ret == 0 && p.failed)
		ret = -1;
	if (ret == 0)
		ret = totals(&p, e);
	free(p.tab);
	free(p.idx);
	if (ret != 0) {
		report_free(r);
		memset(r, 0, sizeof *r);
	}
	return ret;
}

int
report_build(struct store *st, dbdate_t from, dbdate_t to, struct monthly_report *r,
    const struct progress *pg, struct err *e)
{
	return build(st, from, to, r, pg, NULL, e);
}

int
report_monthly(struct store *st, dbmonth_t m, struct monthly_report *r, const struct progress *pg,
    struct err *e)
{
	return report_monthly_each(st, m, r, pg, NULL, e);
}

int
report_monthly_each(struct store *st, dbmonth_t m, struct monthly_report *r, const struct progress *pg,
    const struct report_riders *riders, struct err *e)
{
	int64_t cutoff;
	dbdate_t from, to;

	memset(r, 0, sizeof *r);
	if (setting_get_int(st, NULL, "report.cutoff.day", &cutoff, e) != 0)
		return -1;
	report_period(m, (int)cutoff, &from, &to);
	if (build(st, from, to, r, pg, riders, e) != 0)
		return -1;
	r->month = m;
	return 0;
}

void
report_free(struct monthly_report *r)
{
	free(r->added.v);
	free(r->removed.v);
	free(r->changed.v);
	free(r->deaths.v);
	memset(&r->added, 0, sizeof r->added);
	memset(&r->removed, 0, sizeof r->removed);
	memset(&r->changed, 0, sizeof r->changed);
	memset(&r->deaths, 0, sizeof r->deaths);
}

int
report_due(struct store *st, dbdate_t today, dbmonth_t *month, bool *warn, struct err *e)
{
	int64_t cutoff;

	if (setting_get_int(st, NULL, "report.cutoff.day", &cutoff, e) != 0)
		return -1;
	*month = report_month_due(today, (int)cutoff);
	*warn = report_due_warn(today, (int)cutoff);
	return 0;
}

/* ---- statistics --------------------------------------------------------- */

static int
cover_fn(const struct dossier *d, void *baton)
{
	struct stats *s = baton;
	dbdate_t today = store_today();
	if (d->status != ST_APPROVED)
		return 0;
	s->approved++;
	s->reviews_current += d->next_review == 0 || d->next_review >= today;
	return 0;
}

static int
clue_cat_fn(const struct clue *cl, void *baton)
{
	struct stats *s = baton;
	if (cl->closed == 0)
		s->open_clues[cl->category]++;
	return 0;
}

int
stats_build(struct store *st, dbmonth_t m, struct stats *s, const struct progress *pg, struct err *e)
{
	dbdate_t today = store_today();
	/* as of the end of the month (or today, for the month running) */
	dbdate_t asof = month_last_day(m) < today ? month_last_day(m) : today;

	memset(s, 0, sizeof *s);
	s->month = m;
	/* the coverage counted in the same walk of the dossiers as the totals */
	struct report_riders cover = {.dossier = cover_fn, .dossier_baton = s};
	if (build(st, asof, asof, &s->r, pg, &cover, e) != 0)
		return -1;
	if (clue_list(st, clue_cat_fn, s, e) != 0) {
		report_free(&s->r);
		return -1;
	}
	return 0;
}

void
stats_free(struct stats *s)
{
	report_free(&s->r);
}
