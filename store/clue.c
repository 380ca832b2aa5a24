/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * clue.c — the complaint clue ledger (举报线索台账, SPEC 6): record, notes,
 * close (销号) with finding and action, lists, the reporter's
 * confidentiality, and the questions the procedure and the dashboard ask
 * (R13: an open objection on a dossier; overdue clues).
 *
 * Nothing is deleted or rewritten: notes are appended, a close is final.
 * The reporter leaves the store only for the inspector and the admin, and
 * each such reading is an audit entry (SPEC 10).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
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
#include "store/settings.h"
#include "store/user.h"

#define ENUM_IN(v, n) ((v) >= 0 && (v) < (n))
const char clue_reporter_hidden[] = "（保密）";

/* ---- shared by both ledgers ------------------------------------------ */

void
ledger_notes_encode(struct buf *b, uint16_t tag, const struct ledger_note *n, int count)
{
	for (int i = 0; i < count; i++) {
		struct buf in;
		buf_init(&in);
		rec_int(&in, LN_DATE, n[i].date);
		rec_str(&in, LN_BY, n[i].by);
		rec_str(&in, LN_TEXT, n[i].text);
		rec_nested(b, tag, &in);
		if (in.oom)
			b->oom = true;
		buf_free(&in);
	}
}

int
ledger_note_decode(const struct rec_reader *r, struct ledger_note *n)
{
	struct rec_reader s;
	int m, bad = 0;

	memset(n, 0, sizeof *n);
	rec_open_nested(&s, r->val, r->vlen);
	while ((m = rec_next(&s)) == 1) {
		switch (s.tag) {
		case LN_DATE: n->date = (dbdate_t)rec_get_int(&s); break;
		case LN_BY: bad |= rec_get_str(&s, n->by, sizeof n->by); break;
		case LN_TEXT: bad |= rec_get_str(&s, n->text, sizeof n->text); break;
		default: break;
		}
	}
	return m < 0 || bad ? -1 : 0;
}

/* ---- codec ------------------------------------------------------------ */

int
clue_encode(const struct clue *c, struct buf *b)
{
	rec_begin(b, RT_CLUE, LEDGER_REC_VERSION);
	rec_str(b, CL_NO, c->no);
	rec_int(b, CL_RECEIVED, c->received);
	rec_int(b, CL_CHANNEL, c->channel);
	rec_str(b, CL_REPORTER, c->reporter);
	rec_str(b, CL_DOSSIER, c->dossier);
	rec_str(b, CL_CONTENT, c->content);
	rec_int(b, CL_CATEGORY, c->category);
	rec_str(b, CL_HANDLER, c->handler);
	rec_int(b, CL_DEADLINE, c->deadline);
	rec_str(b, CL_RECORDED_BY, c->recorded_by);
	rec_int(b, CL_FINDING, c->finding);
	rec_str(b, CL_ACTION, c->action);
	rec_int(b, CL_TRANSFERRED, c->transferred);
	rec_int(b, CL_CLOSED, c->closed);
	rec_str(b, CL_CLOSED_BY, c->closed_by);
	ledger_notes_encode(b, CL_NOTE, c->notes, c->n_notes);
	return b->oom ? -1 : 0;
}

int
clue_decode(const void *p, size_t len, struct clue *c)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(c, 0, sizeof *c);
	if (rec_open(&r, p, len, RT_CLUE, LEDGER_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CL_NO: bad |= rec_get_str(&r, c->no, sizeof c->no); break;
		case CL_RECEIVED: c->received = (dbdate_t)rec_get_int(&r); break;
		case CL_CHANNEL: v = rec_get_int(&r); bad |= !ENUM_IN(v, CH__N); c->channel = (enum clue_channel)v; break;
		case CL_REPORTER: bad |= rec_get_str(&r, c->reporter, sizeof c->reporter); break;
		case CL_DOSSIER: bad |= rec_get_str(&r, c->dossier, sizeof c->dossier); break;
		case CL_CONTENT: bad |= rec_get_str(&r, c->content, sizeof c->content); break;
		case CL_CATEGORY: v = rec_get_int(&r); bad |= !ENUM_IN(v, CC__N); c->category = (enum clue_category)v; break;
		case CL_HANDLER: bad |= rec_get_str(&r, c->handler, sizeof c->handler); break;
		case CL_DEADLINE: c->deadline = (dbdate_t)rec_get_int(&r); break;
		case CL_RECORDED_BY: bad |= rec_get_str(&r, c->recorded_by, sizeof c->recorded_by); break;
		case CL_FINDING: v = rec_get_int(&r); bad |= !ENUM_IN(v, FIND__N); c->finding = (enum clue_finding)v; break;
		case CL_ACTION: bad |= rec_get_str(&r, c->action, sizeof c->action); break;
		case CL_TRANSFERRED: c->transferred = rec_get_int(&r) != 0; break;
		case CL_CLOSED: c->closed = (dbdate_t)rec_get_int(&r); break;
		case CL_CLOSED_BY: bad |= rec_get_str(&r, c->closed_by, sizeof c->closed_by); break;
		case CL_NOTE:
			if (c->n_notes >= MAX_NOTES)
				return -1;
			bad |= ledger_note_decode(&r, &c->notes[c->n_notes++]);
			break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

/* ---- records ---------------------------------------------------------- */

static int
clue_get_txn(struct store *st, store_txn *txn, const char *no, struct clue *out, struct err *e)
{
	DBT v;
	int r = record_get(st, txn, DBI_CLUES, no, strlen(no), &v, true, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_NOTFOUND, _("clue: no clue %s"), no);
	r = clue_decode(v.data, v.size, out);
	free(v.data);
	if (r != 0)
		return err_set(e, E_STORAGE, _("the ledger record %s is damaged"), no);
	return 0;
}

static int
clue_put(struct store *st, store_txn *txn, const struct clue *c, bool create, struct err *e)
{
	struct buf b;
	int ret;

	buf_init(&b);
	clue_encode(c, &b);
	ret = record_put(st, txn, DBI_CLUES, c->no, strlen(c->no), &b, create, e);
	buf_free(&b);
	return ret;
}

/* What the audit chain keeps of a clue: never the reporter. */
static json_t *
clue_json(const struct clue *c)
{
	char d[11];
	date_format(c->deadline, d);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "channel", clue_channel_terms[c->channel].en,
	    "category", clue_category_terms[c->category].en, "dossier", c->dossier,
	    "handler", c->handler, "deadline", d, "content", c->content);
}

struct clue_baton {
	const struct user *actor;
	struct clue *c;
	const char *no, *text;
	enum clue_finding finding;
	bool transfer;
};

static int
add_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct clue_baton *b = baton;
	struct clue *c = b->c;
	struct dossier *d;
	char key[32];
	uint32_t seq;

	if (c->dossier[0] != '\0') {
		if ((d = malloc(sizeof *d)) == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		int r = dossier_get(st, txn, c->dossier, d, e);
		free(d);
		if (r != 0)
			return -1;
	}
	if (c->handler[0] != '\0') {
		struct user u;
		if (user_get(st, txn, c->handler, &u, e) != 0) {
			if (e->code == E_NOTFOUND)
				err_set(e, E_REFUSED, _("handler: no user %s"), c->handler);
			return -1;
		}
	} else {
		snprintf(c->handler, sizeof c->handler, "%s", b->actor->login);
	}
	if (c->deadline == 0) {
		int64_t days;
		if (setting_get_int(st, txn, "clue.deadline.days", &days, e) != 0)
			return -1;
		c->deadline = date_add_days(c->received, (int)days);
	}
	/* per-year numbering: the clerk's paper ledger counts from 1 each year */
	snprintf(key, sizeof key, "seq.clue.%04d", date_year(c->received));
	if (meta_next(st, txn, key, &seq, e) != 0)
		return -1;
	snprintf(c->no, sizeof c->no, "XS-%04d-%03u", date_year(c->received), (unsigned)seq);
	if (clue_put(st, txn, c, true, e) != 0)
		return -1;
	json_t *j = clue_json(c);
	/* that a reporter was named is not secret; who it is, is */
	json_object_set_new(j, "reporter_named", json_boolean(c->reporter[0] != '\0'));
	return audit_appendj(st, txn, b->actor->login, "clue.add", c->no, j, e);
}

int
clue_add(struct store *st, const struct user *actor, struct clue *c, struct err *e)
{
	struct clue_baton b = {.actor = actor, .c = c};
	const char *why;

	if (store_require(actor, ACT_LEDGER, e) != 0)
		return -1;
	if (c->content[0] == '\0')
		return err_set(e, E_REFUSED, _("content: what the clue says is needed"));
	if (text_check(c->content, sizeof c->content - 1, &why) != 0 ||
	    text_check(c->reporter, sizeof c->reporter - 1, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _(why));
	c->received = store_today();
	if (c->deadline != 0 && c->deadline < c->received)
		return err_set(e, E_REFUSED, _("deadline: must not be before today"));
	snprintf(c->recorded_by, sizeof c->recorded_by, "%s", actor->login);
	c->closed = 0;
	c->n_notes = 0;
	return store_txn_run(st, add_body, &b, e);
}

static int
update_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct clue_baton *b = baton;
	struct clue *c = b->c;
	const char *why;

	if (clue_get_txn(st, txn, b->no, c, e) != 0)
		return -1;
	if (c->closed != 0)
		return err_set(e, E_REFUSED, _("clue %s is closed: nothing more can be added"), c->no);
	/* a progress note, appended */
	if (c->n_notes >= MAX_NOTES)
		return err_set(e, E_REFUSED, _("clue %s has the most notes a record holds (%d)"), c->no, MAX_NOTES);
	struct ledger_note *n = &c->notes[c->n_notes];
	memset(n, 0, sizeof *n);
	if (text_set(n->text, sizeof n->text, b->text, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
	n->date = store_today();
	snprintf(n->by, sizeof n->by, "%s", b->actor->login);
	c->n_notes++;
	if (clue_put(st, txn, c, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "clue.note", c->no, json_pack("{s:s}", "note", n->text), e);
}

int
clue_update(struct store *st, const struct user *actor, const char *no, const char *note, struct err *e)
{
	struct clue *c = malloc(sizeof *c);
	struct clue_baton b = {.actor = actor, .c = c, .no = no, .text = note};
	int ret;

	if (c == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (store_require(actor, ACT_LEDGER, e) != 0 || note == NULL || note[0] == '\0') {
		if (e->code == E_OK)
			err_set(e, E_REFUSED, _("note: the progress note is needed"));
		free(c);
		return -1;
	}
	ret = store_txn_run(st, update_body, &b, e);
	free(c);
	return ret;
}

struct close_baton {
	struct clue_baton b;
	const char *action;
};

static int
close_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct close_baton *cb = baton;
	struct clue *c = cb->b.c;
	const char *why;

	if (clue_get_txn(st, txn, cb->b.no, c, e) != 0)
		return -1;
	if (c->closed != 0)
		return err_set(e, E_REFUSED, _("clue %s is already closed"), c->no);
	if (text_set(c->action, sizeof c->action, cb->action, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("action"), _(why));
	c->finding = cb->b.finding;
	c->transferred = cb->b.transfer;
	c->closed = store_today();
	snprintf(c->closed_by, sizeof c->closed_by, "%s", cb->b.actor->login);
	if (clue_put(st, txn, c, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, cb->b.actor->login, "clue.close", c->no,
	    json_pack("{s:s,s:s,s:b}", "finding", clue_finding_terms[c->finding].en, "action", c->action,
	    "transferred", c->transferred), e);
}

int
clue_close(struct store *st, const struct user *actor, const char *no, enum clue_finding finding,
    const char *action, bool transfer, struct err *e)
{
	struct clue *c;
	int ret;

	if (store_require(actor, ACT_LEDGER, e) != 0)
		return -1;
	err_clear(e);
	/* 对账销号: a clue is closed item by item, with what was found and done */
	if (finding <= FIND_NONE || finding >= FIND__N)
		err_add(e, E_REFUSED, "%s", _("finding: closing a clue needs the finding (属实, 部分属实 or 不属实)"));
	if (action == NULL || action[0] == '\0')
		err_add(e, E_REFUSED, "%s", _("action: closing a clue needs the action taken"));
	if (e->code != E_OK)
		return -1;
	if ((c = malloc(sizeof *c)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	struct close_baton cb = {{.actor = actor, .c = c, .no = no, .finding = finding, .transfer = transfer}, action};
	ret = store_txn_run(st, close_body, &cb, e);
	free(c);
	return ret;
}

/* ---- reading ---------------------------------------------------------- */

struct reveal_baton {
	const struct user *actor;
	const char *no;
};

static int
reveal_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct reveal_baton *b = baton;
	return audit_appendj(st, txn, b->actor->login, "read.confidential", b->no,
	    json_pack("{s:s}", "fields", "reporter"), e);
}

int
clue_show(struct store *st, const struct user *actor, const char *no, struct clue *out, struct err *e)
{
	if (store_require(actor, ACT_READ, e) != 0 || clue_get_txn(st, NULL, no, out, e) != 0)
		return -1;
	if (!role_may(actor->role, ACT_READ_REPORTER)) {
		if (out->reporter[0] != '\0')
			snprintf(out->reporter, sizeof out->reporter, "%s", clue_reporter_hidden);
		return 0;
	}
	/* the inspector or admin sees it: the reading itself is recorded */
	if (out->reporter[0] != '\0') {
		struct reveal_baton b = {actor, out->no};
		return store_txn_run(st, reveal_body, &b, e);
	}
	return 0;
}

struct clue_walk {
	struct clue c;
	clue_fn fn;
	void *baton;
};

static int
clue_one(const void *p, size_t len, void *baton)
{
	struct clue_walk *w = baton;
	if (clue_decode(p, len, &w->c) != 0)
		return -1;
	/* lists never carry the reporter: only clue_show does, audited */
	if (w->c.reporter[0] != '\0')
		snprintf(w->c.reporter, sizeof w->c.reporter, "%s", clue_reporter_hidden);
	return w->fn(&w->c, w->baton) ? 1 : 0;
}

int
clue_list(struct store *st, clue_fn fn, void *baton, struct err *e)
{
	struct clue_walk *w = malloc(sizeof *w);
	int ret;

	if (w == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	w->fn = fn;
	w->baton = baton;
	ret = store_walk(st, DBI_CLUES, clue_one, w, _("a record of the clue ledger is damaged"), e);
	free(w);
	return ret;
}

struct count_baton {
	dbdate_t today;
	const char *dossier;
	int n;
};

static int
overdue_fn(const struct clue *c, void *baton)
{
	struct count_baton *b = baton;
	b->n += ledger_overdue(c->deadline, c->closed, b->today);
	return 0;
}

int
clue_overdue_count(struct store *st, int *count, struct err *e)
{
	struct count_baton b = {store_today(), NULL, 0};
	if (clue_list(st, overdue_fn, &b, e) != 0)
		return -1;
	*count = b.n;
	return 0;
}

int
objection_open(struct store *st, store_txn *txn, const char *dossier, bool *open, struct err *e)
{
	DB *db = st->db[DBI_CLUES];
	DBC *cur;
	DBT k, v;
	int ret;
	struct clue *c = malloc(sizeof *c);

	/* the ledger is small (tens of clues a year): a scan in the caller's
	 * transaction sees a clue added or closed in it */
	*open = false;
	if (c == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0) {
		free(c);
		return store_dberr(st, ret, db_tables[DBI_CLUES].file, e);
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (!*open && (ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		if (clue_decode(v.data, v.size, c) != 0) {
			cur->close(cur);
			free(c);
			return err_set(e, E_STORAGE, _("a record of the clue ledger is damaged"));
		}
		/* any open clue on the dossier is an objection until closed */
		*open = c->closed == 0 && strcmp(c->dossier, dossier) == 0;
	}
	ret = store_cursor_close(cur, ret);
	free(c);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_CLUES].file, e);
	return 0;
}
