/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * checklist-store.c — the township's checklist template (the SPEC's
 * default until a township edits it) and each dossier's item states:
 * received (date, by whom), signed, stamped, scans kept by SHA-256, note.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/attach.h"
#include "store/audit-int.h"
#include "store/checklist.h"
#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/user.h"

enum checkdef_tag { CD_CODE = 1, CD_NAME, CD_STAGE, CD_WHEN, CD_SIGN, CD_STAMP };

static int
def_decode(const void *p, size_t len, struct checklist_def *d)
{
	struct rec_reader r;
	int n, bad = 0;
	int64_t v;

	memset(d, 0, sizeof *d);
	if (rec_open(&r, p, len, RT_CHECKDEF, 1) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case CD_CODE: bad |= rec_get_str(&r, d->code, sizeof d->code); break;
		case CD_NAME: bad |= rec_get_str(&r, d->name, sizeof d->name); break;
		case CD_STAGE: v = rec_get_int(&r); bad |= v < 0 || v >= ST__N; d->stage = (enum status)v; break;
		case CD_WHEN: v = rec_get_int(&r); bad |= v < 0 || v >= WHEN__N; d->when = (enum item_when)v; break;
		case CD_SIGN: d->needs_sign = rec_get_int(&r) != 0; break;
		case CD_STAMP: d->needs_stamp = rec_get_int(&r) != 0; break;
		default: break;
		}
	}
	return n < 0 || bad ? -1 : 0;
}

int
checklist_template(struct store *st, store_txn *txn, struct checklist_def *out, int max, int *n, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;

	*n = 0;
	if ((ret = st->db[DBI_CHECKLIST]->cursor(st->db[DBI_CHECKLIST], txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the checklist template"), e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0 && *n < max) {
		if (def_decode(v.data, v.size, &out[*n]) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("the checklist template is damaged"));
		}
		(*n)++;
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("reading the checklist template"), e);
	if (*n == 0) {
		/* never edited: the SPEC's default */
		for (int i = 0; i < n_checklist_defaults && i < max; i++)
			out[(*n)++] = checklist_defaults[i];
	} else {
		/* stored by code; show them in procedure order */
		for (int i = 1; i < *n; i++)
			for (int j = i; j > 0 && out[j].stage < out[j - 1].stage; j--) {
				struct checklist_def t = out[j];
				out[j] = out[j - 1];
				out[j - 1] = t;
			}
	}
	return 0;
}

struct tset_baton {
	const struct user *actor;
	struct checklist_def def;
};

static int
put_def(struct store *st, store_txn *txn, const struct checklist_def *d, struct err *e)
{
	struct buf b;
	DBT k, v;
	int ret;

	buf_init(&b);
	rec_begin(&b, RT_CHECKDEF, 1);
	rec_str(&b, CD_CODE, d->code);
	rec_str(&b, CD_NAME, d->name);
	rec_int(&b, CD_STAGE, d->stage);
	rec_int(&b, CD_WHEN, d->when);
	rec_int(&b, CD_SIGN, d->needs_sign);
	rec_int(&b, CD_STAMP, d->needs_stamp);
	dbt_init(&k, d->code, strlen(d->code));
	dbt_init(&v, b.p, b.len);
	ret = b.oom ? ENOMEM : st->db[DBI_CHECKLIST]->put(st->db[DBI_CHECKLIST], txn, &k, &v, 0);
	if (ret == 0)
		audit_track(st, DBI_CHECKLIST, k.data, k.size, v.data, v.size); /* issue 16.5 */
	buf_free(&b);
	if (ret != 0)
		return store_dberr(st, ret, _("writing the checklist template"), e);
	return 0;
}

static int
tset_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct tset_baton *b = baton;
	struct checklist_def defs[MAX_ITEMS];
	int n;
	DBT k, v;
	int ret;

	/* the first edit stores the whole default template, then changes it */
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	DBC *c;
	if ((ret = st->db[DBI_CHECKLIST]->cursor(st->db[DBI_CHECKLIST], txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("reading the checklist template"), e);
	ret = c->get(c, &k, &v, DB_FIRST);
	ret = store_cursor_close(c, ret);
	if (ret == DB_NOTFOUND) {
		for (int i = 0; i < n_checklist_defaults; i++)
			if (put_def(st, txn, &checklist_defaults[i], e) != 0)
				return -1;
	} else if (ret != 0) {
		return store_dberr(st, ret, _("reading the checklist template"), e);
	}
	if (checklist_template(st, txn, defs, MAX_ITEMS, &n, e) != 0)
		return -1;
	bool exists = false;
	for (int i = 0; i < n; i++)
		if (strcmp(defs[i].code, b->def.code) == 0)
			exists = true;
	if (!exists && n >= MAX_ITEMS)
		return err_set(e, E_REFUSED, _("checklist: at most %d items"), MAX_ITEMS);
	if (put_def(st, txn, &b->def, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "checklist.template", b->def.code,
	    json_pack("{s:s,s:s,s:s,s:b,s:b}", "name", b->def.name, "stage", status_terms[b->def.stage].en,
	    "when", when_terms[b->def.when].en, "sign", b->def.needs_sign, "stamp", b->def.needs_stamp), e);
}

int
checklist_template_set(struct store *st, const struct user *actor, const struct checklist_def *def, struct err *e)
{
	struct tset_baton b = {.actor = actor, .def = *def};
	size_t n = strlen(def->code);

	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	if (n == 0 || n >= ITEM_CODE_MAX || strspn(def->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n)
		return err_set(e, E_REFUSED, _("item code: 1 to 7 capital letters or digits"));
	if (def->name[0] == '\0')
		return err_set(e, E_REFUSED, _("item name: must not be empty"));
	if (def->stage == ST_APPLIED || def->stage == ST_REJECTED)
		return err_set(e, E_REFUSED, _("stage: an item is needed to enter a later stage than application"));
	return store_txn_run(st, tset_body, &b, e);
}

/* ---- marking items on a dossier ---------------------------------------- */

struct mark_baton {
	const struct user *actor;
	const char *code;
	dbdate_t received;
	int sign, stamp;       /* -1 unchanged, 0/1 */
	const char *scan;      /* file to attach, or NULL */
	const char *note;
};

static int
mark_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct mark_baton *b = baton;
	struct checklist_def defs[MAX_ITEMS];
	int n;
	struct check_item *it = NULL;
	const char *why;

	if (checklist_template(st, txn, defs, MAX_ITEMS, &n, e) != 0)
		return -1;
	bool known = false;
	for (int i = 0; i < n; i++)
		if (strcmp(defs[i].code, b->code) == 0)
			known = true;
	if (!known)
		return err_set(e, E_REFUSED, _("item code: %s is not in the checklist (dibao checklist %s)"), b->code, d->no);
	for (int i = 0; i < d->n_items; i++)
		if (strcmp(d->items[i].code, b->code) == 0)
			it = &d->items[i];
	if (it == NULL) {
		if (d->n_items >= MAX_ITEMS)
			return err_set(e, E_REFUSED, _("checklist: at most %d items"), MAX_ITEMS);
		it = &d->items[d->n_items++];
		memset(it, 0, sizeof *it);
		snprintf(it->code, sizeof it->code, "%s", b->code);
	}
	if (b->received) {
		if (b->received > store_today())
			return err_set(e, E_REFUSED, _("received: the date must not be in the future"));
		it->received = b->received;
		snprintf(it->received_by, sizeof it->received_by, "%s", b->actor->login);
	}
	if ((b->sign > 0 || b->stamp > 0 || b->scan) && it->received == 0) {
		/* marking signatures on a document not yet received makes no sense */
		it->received = store_today();
		snprintf(it->received_by, sizeof it->received_by, "%s", b->actor->login);
	}
	if (b->sign >= 0)
		it->is_signed = b->sign;
	if (b->stamp >= 0)
		it->stamped = b->stamp;
	if (b->note && text_set(it->note, sizeof it->note, b->note, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("note"), _(why));
	if (b->scan) {
		char sha[65];
		if (it->n_scans >= MAX_SCANS)
			return err_set(e, E_REFUSED, _("scans: at most %d per item"), MAX_SCANS);
		if (attach_put_file(st, txn, b->scan, sha, e) != 0)
			return -1;
		for (int i = 0; i < it->n_scans; i++)
			if (strcmp(it->scans[i], sha) == 0)
				return 0; /* the same file again: kept once */
		strcpy(it->scans[it->n_scans++], sha);
	}
	return 0;
}

int
checklist_mark(struct store *st, const struct user *actor, const char *no, const char *code,
    dbdate_t received, int sign, int stamp, const char *scan, const char *note, struct err *e)
{
	struct mark_baton b = {actor, code, received, sign, stamp, scan, note};
	char ds[11], *detail;
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	date_format(received, ds);
	json_t *j = json_pack("{s:s,s:s,s:i,s:i}", "code", code, "received", ds, "signed", sign, "stamped", stamp);
	if (scan)
		json_object_set_new(j, "scan", json_string(scan));
	detail = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	ret = dossier_update(st, actor, no, mark_fn, &b, "checklist.mark", detail, e);
	free(detail);
	return ret;
}
