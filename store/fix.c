/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fix.c — the rectification ledger (整改台账, SPEC 6): a problem, where it
 * came from, the measure, who answers for it and by when; progress notes
 * appended; closed (销号) only with the evidence of the rectification.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/ledger-model.h"
#include "core/report.h"
#include "core/roles.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/ledger-int.h"
#include "store/ledger.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/user.h"

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))

int
fix_encode(const struct fix *f, struct buf *b)
{
	rec_begin(b, RT_FIX, LEDGER_REC_VERSION);
	rec_str(b, FX_NO, f->no);
	rec_int(b, FX_RECORDED, f->recorded);
	rec_str(b, FX_PROBLEM, f->problem);
	rec_int(b, FX_SOURCE, f->source);
	rec_str(b, FX_MEASURE, f->measure);
	rec_str(b, FX_OWNER, f->owner);
	rec_int(b, FX_DEADLINE, f->deadline);
	rec_str(b, FX_RECORDED_BY, f->recorded_by);
	rec_str(b, FX_EVIDENCE, f->evidence);
	rec_int(b, FX_CLOSED, f->closed);
	rec_str(b, FX_CLOSED_BY, f->closed_by);
	ledger_notes_encode(b, FX_NOTE, f->notes, f->n_notes);
	return b->oom ? -1 : 0;
}

int
fix_decode(const void *p, size_t len, struct fix *f)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(f, 0, sizeof *f);
	if (rec_open(&r, p, len, RT_FIX, LEDGER_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case FX_NO: bad |= rec_get_str(&r, f->no, sizeof f->no); break;
		case FX_RECORDED: f->recorded = (dbdate_t)rec_get_int(&r); break;
		case FX_PROBLEM: bad |= rec_get_str(&r, f->problem, sizeof f->problem); break;
		case FX_SOURCE: v = rec_get_int(&r); bad |= !ENUM_IN(v, FSRC__N); f->source = (enum fix_source)v; break;
		case FX_MEASURE: bad |= rec_get_str(&r, f->measure, sizeof f->measure); break;
		case FX_OWNER: bad |= rec_get_str(&r, f->owner, sizeof f->owner); break;
		case FX_DEADLINE: f->deadline = (dbdate_t)rec_get_int(&r); break;
		case FX_RECORDED_BY: bad |= rec_get_str(&r, f->recorded_by, sizeof f->recorded_by); break;
		case FX_EVIDENCE: bad |= rec_get_str(&r, f->evidence, sizeof f->evidence); break;
		case FX_CLOSED: f->closed = (dbdate_t)rec_get_int(&r); break;
		case FX_CLOSED_BY: bad |= rec_get_str(&r, f->closed_by, sizeof f->closed_by); break;
		case FX_NOTE:
			if (f->n_notes >= MAX_NOTES)
				return -1;
			bad |= ledger_note_decode(&r, &f->notes[f->n_notes++]);
			break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

static int
fix_get_txn(struct store *st, store_txn *txn, const char *no, struct fix *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_FIXES, no, strlen(no), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("rectification: no item %s"), no);
	r = fix_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the ledger record %s is damaged"), no);
	return 0;
}

static int
fix_put(struct store *st, store_txn *txn, const struct fix *f, bool create, struct err *e)
{
	struct buf b;
	int ret;

	buf_init(&b);
	fix_encode(f, &b);
	ret = record_put(st, txn, DBI_FIXES, f->no, strlen(f->no), &b, create, e);
	buf_free(&b);
	return ret;
}

struct fix_baton {
	const struct user *actor;
	struct fix *f;
	const char *no, *note, *evidence;
};

static int
add_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct fix_baton *b = baton;
	struct fix *f = b->f;
	char key[32], d[11];
	uint32_t seq;

	snprintf(key, sizeof key, "seq.fix.%04d", date_year(f->recorded));
	if (meta_next(st, txn, key, &seq, e) != 0)
		return -1;
	snprintf(f->no, sizeof f->no, "ZG-%04d-%03u", date_year(f->recorded), (unsigned)seq);
	if (fix_put(st, txn, f, true, e) != 0)
		return -1;
	date_format(f->deadline, d);
	return audit_appendj(st, txn, b->actor->login, "fix.add", f->no,
	    json_pack("{s:s,s:s,s:s,s:s,s:s}", "problem", f->problem, "source", fix_source_terms[f->source].en,
	    "measure", f->measure, "owner", f->owner, "deadline", d), e);
}

int
fix_add(struct store *st, const struct user *actor, struct fix *f, struct err *e)
{
	struct fix_baton b = {.actor = actor, .f = f};

	if (store_require(actor, ACT_LEDGER, e) != 0)
		return -1;
	err_clear(e);
	if (f->problem[0] == '\0')
		err_add(e, E_REFUSED, "%s", _("problem: the problem found is needed"));
	if (f->measure[0] == '\0')
		err_add(e, E_REFUSED, "%s", _("measure: the rectification measure is needed"));
	if (f->owner[0] == '\0')
		err_add(e, E_REFUSED, "%s", _("owner: the person responsible is needed"));
	f->recorded = store_today();
	if (f->deadline == 0)
		err_add(e, E_REFUSED, "%s", _("deadline: the rectification deadline is needed"));
	else if (f->deadline < f->recorded)
		err_add(e, E_REFUSED, "%s", _("deadline: must not be before today"));
	if (e->code != E_OK)
		return -1;
	snprintf(f->recorded_by, sizeof f->recorded_by, "%s", actor->login);
	f->n_notes = 0;
	f->closed = 0;
	return store_txn_run(st, add_body, &b, e);
}

static int
change_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct fix_baton *b = baton;
	struct fix *f = b->f;
	const char *why;

	if (fix_get_txn(st, txn, b->no, f, e) != 0)
		return -1;
	if (f->closed != 0)
		return err_set(e, E_REFUSED, _("rectification %s is closed"), f->no);
	if (b->note != NULL) {
		if (f->n_notes >= MAX_NOTES)
			return err_set(e, E_REFUSED, _("rectification %s has the most notes a record holds (%d)"), f->no, MAX_NOTES);
		struct ledger_note *n = &f->notes[f->n_notes];
		memset(n, 0, sizeof *n);
		if (text_set(n->text, sizeof n->text, b->note, &why) != 0)
			return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
		n->date = store_today();
		snprintf(n->by, sizeof n->by, "%s", b->actor->login);
		f->n_notes++;
		if (fix_put(st, txn, f, false, e) != 0)
			return -1;
		return audit_appendj(st, txn, b->actor->login, "fix.note", f->no, json_pack("{s:s}", "note", n->text), e);
	}
	if (text_set(f->evidence, sizeof f->evidence, b->evidence, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("evidence"), _(why));
	f->closed = store_today();
	snprintf(f->closed_by, sizeof f->closed_by, "%s", b->actor->login);
	if (fix_put(st, txn, f, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "fix.close", f->no, json_pack("{s:s}", "evidence", f->evidence), e);
}

static int
change(struct store *st, const struct user *actor, const char *no, const char *note, const char *evidence,
    struct err *e)
{
	struct fix *f;
	int ret;

	if (store_require(actor, ACT_LEDGER, e) != 0)
		return -1;
	if ((note && note[0] == '\0') || (evidence && evidence[0] == '\0'))
		return err_set(e, E_REFUSED, "%s", note ? _("note: the progress note is needed") :
		    _("evidence: closing a rectification needs its evidence"));
	if ((f = malloc(sizeof *f)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	struct fix_baton b = {.actor = actor, .f = f, .no = no, .note = note, .evidence = evidence};
	ret = store_txn_run(st, change_body, &b, e);
	free(f);
	return ret;
}

int
fix_update(struct store *st, const struct user *actor, const char *no, const char *note, struct err *e)
{
	return change(st, actor, no, note ? note : "", NULL, e);
}

int
fix_close(struct store *st, const struct user *actor, const char *no, const char *evidence, struct err *e)
{
	return change(st, actor, no, NULL, evidence ? evidence : "", e);
}

int
fix_get(struct store *st, const char *no, struct fix *out, struct err *e)
{
	return fix_get_txn(st, NULL, no, out, e);
}

struct fix_walk {
	struct fix f;
	fix_fn fn;
	void *baton;
};

static int
fix_one(const void *p, size_t len, void *baton)
{
	struct fix_walk *w = baton;
	if (fix_decode(p, len, &w->f) != 0)
		return -1;
	return w->fn(&w->f, w->baton) ? 1 : 0;
}

int
fix_list(struct store *st, fix_fn fn, void *baton, struct err *e)
{
	struct fix_walk *w = malloc(sizeof *w);
	int ret;

	if (w == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	w->fn = fn;
	w->baton = baton;
	ret = store_walk(st, DBI_FIXES, fix_one, w, _("a record of the rectification ledger is damaged"), e);
	free(w);
	return ret;
}

static int
overdue_fn(const struct fix *f, void *baton)
{
	int *n = baton;
	*n += ledger_overdue(f->deadline, f->closed, store_today());
	return 0;
}

int
fix_overdue_count(struct store *st, int *count, struct err *e)
{
	*count = 0;
	return fix_list(st, overdue_fn, count, e);
}
