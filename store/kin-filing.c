/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kin-filing.c — the filings (备案记录) of SPEC section 4: a pending filing
 * for every unfiled match of a member, its confirmation by another user,
 * and its report to the county in the monthly archive.  It sits above the
 * matching (kin-match.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/sizes.h"
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

/* ---- filings ---------------------------------------------------------- */

static int
filing_put(struct store *st, store_txn *txn, const struct kin_filing *f, bool create, struct err *e)
{
	struct buf b;
	int ret;

	buf_init(&b);
	if (kin_filing_encode(f, &b) != 0) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	ret = record_put(st, txn, DBI_KIN_FILINGS, f->no, strlen(f->no), &b, create, e);
	buf_free(&b);
	return ret;
}

struct file_baton {
	const struct user *actor;
	const char *dossier, *member_id, *note, *no;
	char *out;
};

static int
file_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct file_baton *b = baton;
	struct dossier *d = malloc(sizeof *d);
	struct kin_match *ms = NULL;
	struct kin_filing *f = calloc(1, sizeof *f);
	int n = 0, ret = -1;
	uint32_t seq;
	char key[32];
	dbdate_t today = store_today();

	if (d == NULL || f == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	if (dossier_get(st, txn, b->dossier, d, e) != 0)
		goto out;
	const struct member *m = dossier_member_c(d, b->member_id);
	if (m == NULL) {
		err_set(e, E_NOTFOUND, _("member: %s is not a member of dossier %s"), b->member_id, d->no);
		goto out;
	}
	if (kin_matches_of(st, txn, d->no, m->id, &ms, &n, e) != 0)
		goto out;
	if (n == 0) {
		err_set(e, E_REFUSED, _("member: %s (%s) of dossier %s has no kin match to file"), m->name, m->id, d->no);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (ms[i].filing[0] != '\0')
			continue;
		if (f->n_staff >= MAX_FILING_STAFF) {
			err_set(e, E_REFUSED, _("filing: at most %d staff members in one filing"), MAX_FILING_STAFF);
			goto out;
		}
		struct kin_filing_staff *fs = &f->staff[f->n_staff++];
		memcpy(fs->staff_id, ms[i].staff_id, sizeof fs->staff_id);
		memcpy(fs->staff_name, ms[i].staff_name, sizeof fs->staff_name);
		fs->relation = ms[i].relation;
	}
	if (f->n_staff == 0) {
		err_set(e, E_REFUSED, _("member: every kin match of %s (%s) already has a filing (%s)"),
		    m->name, m->id, ms[0].filing);
		goto out;
	}
	snprintf(key, sizeof key, "seq.kin.%04d", date_year(today));
	if (meta_next(st, txn, key, &seq, e) != 0)
		goto out;
	if (snprintf(f->no, sizeof f->no, "BA-%04d-%04u", date_year(today), (unsigned)seq) >= (int)sizeof f->no) {
		err_set(e, E_STORAGE, _("filing numbers of the year are used up"));
		goto out;
	}
	memcpy(f->dossier, d->no, sizeof f->dossier);
	memcpy(f->member_id, m->id, sizeof f->member_id);
	memcpy(f->member_name, m->name, sizeof f->member_name);
	if (b->note && tset(f->note, sizeof f->note, b->note) != 0) {
		err_set(e, E_REFUSED, _("note: too long (at most %zu bytes)"), sizeof f->note - 1);
		goto out;
	}
	f->status = FS_PENDING;
	if (tset(f->filed_by, sizeof f->filed_by, b->actor->login) != 0) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto out;
	}
	f->filed = today;
	if (filing_put(st, txn, f, true, e) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (ms[i].filing[0] != '\0')
			continue;
		memcpy(ms[i].filing, f->no, sizeof ms[i].filing);
		if (kin_match_put(st, txn, &ms[i], false, e) != 0)
			goto out;
	}
	json_t *staff = json_array();
	for (int i = 0; i < f->n_staff; i++)
		json_array_append_new(staff, json_pack("{s:s,s:s}", "staff", f->staff[i].staff_id,
		    "relation", kin_relation_term(f->staff[i].relation)->en));
	if (audit_appendj(st, txn, b->actor->login, "kin.file", d->no,
	    json_pack("{s:s,s:s,s:s,s:o}", "number", f->no, "member", f->member_id, "note", f->note,
	    "staff", staff), e) != 0)
		goto out;
	memcpy(b->out, f->no, sizeof f->no);
	ret = 0;
out:
	free(ms);
	free(f);
	free(d);
	return ret;
}

int
kin_file(struct store *st, const struct user *actor, const char *dossier, const char *member_id,
    const char *note, char no[FILING_NO_LEN + 1], struct err *e)
{
	struct file_baton b = {.actor = actor, .dossier = dossier, .member_id = member_id, .note = note, .out = no};

	no[0] = '\0';
	if (store_require(actor, ACT_KIN_FILE, e) != 0)
		return -1;
	if (note && strlen(note) >= TEXT_MEDIUM)
		return err_set(e, E_REFUSED, _("note: too long (at most %d bytes)"), TEXT_MEDIUM - 1);
	return store_txn_run(st, file_body, &b, e);
}

static int
confirm_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct file_baton *b = baton;
	struct kin_filing f;
	char ds[11];
	int bad = 0;

	if (kin_filing_get(st, txn, b->no, &f, e) != 0)
		return -1;
	if (f.status != FS_PENDING)
		return err_set(e, E_REFUSED, _("filing: %s is already %s"), f.no, filing_status_terms[f.status].zh);
	/* separation of duties: every reason is listed */
	if (strcmp(f.filed_by, b->actor->login) == 0)
		bad = err_add(e, E_REFUSED, _("filing: %s was recorded by %s, who may not confirm it; another reviewer or approver must"),
		    f.no, f.filed_by);
	if (!role_may(b->actor->role, ACT_KIN_CONFIRM) || b->actor->disabled)
		bad = err_add(e, E_REFUSED, _("not allowed: the role %s may not %s"),
		    role_terms[b->actor->role].zh, _(action_names[ACT_KIN_CONFIRM]));
	if (bad)
		return -1;
	f.status = FS_FILED;
	if (tset(f.reviewed_by, sizeof f.reviewed_by, b->actor->login) != 0)
		return err_set(e, E_STORAGE, _("out of memory"));
	f.reviewed = store_today();
	date_format(f.reviewed, ds);
	if (filing_put(st, txn, &f, false, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->actor->login, "kin.confirm", f.dossier,
	    json_pack("{s:s,s:s,s:s}", "number", f.no, "member", f.member_id, "reviewed", ds), e);
}

int
kin_confirm(struct store *st, const struct user *actor, const char *no, struct err *e)
{
	struct file_baton b = {.actor = actor, .no = no};

	if (actor == NULL)
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	return store_txn_run(st, confirm_body, &b, e);
}

int
kin_mark_reported(struct store *st, store_txn *txn, const char *filing_no, struct err *e)
{
	struct kin_filing f;
	char ds[11];

	if (kin_filing_get(st, txn, filing_no, &f, e) != 0)
		return -1;
	if (f.status != FS_FILED)
		return err_set(e, E_REFUSED, _("filing: %s is %s; only a filed (已备案) filing is reported to the county"),
		    f.no, filing_status_terms[f.status].zh);
	f.status = FS_REPORTED;
	f.reported = store_today();
	date_format(f.reported, ds);
	if (filing_put(st, txn, &f, false, e) != 0)
		return -1;
	/* the archive runs on behalf of whoever exports it; the export itself
	 * is audited with its user, this entry names the filing */
	return audit_appendj(st, txn, "archive", "kin.reported", f.dossier,
	    json_pack("{s:s,s:s}", "number", f.no, "reported", ds), e);
}

struct filing_walk {
	struct kin_filing f;
	kin_filing_fn fn;
	void *baton;
};

static int
filing_one(const void *p, size_t len, void *baton)
{
	struct filing_walk *w = baton;
	if (kin_filing_decode(p, len, &w->f) != 0)
		return -1;
	return w->fn(&w->f, w->baton) ? 1 : 0;
}

int
kin_filing_list(struct store *st, kin_filing_fn fn, void *baton, struct err *e)
{
	struct filing_walk *w = malloc(sizeof *w);
	int ret;

	if (w == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	w->fn = fn;
	w->baton = baton;
	ret = store_walk(st, DBI_KIN_FILINGS, filing_one, w, _("a filing record is damaged"), e);
	free(w);
	return ret;
}
