/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * infocheck.c — the information-check results of a dossier (信息核对,
 * SPEC 2 "Household finances"): one result per agency, with its date and
 * who recorded it.  Recording an agency again replaces its result; the
 * earlier one stays in the audit chain (its own entry, and "replaced" in
 * the new one).  Same rules as the other finance edits: the case role,
 * an open dossier, one transaction with the audit entry.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

struct ic_baton {
	const struct info_check *c;
	json_t *detail;
};

/* Where a new result of agency a goes: the results are kept in the order
 * of the agency table. */
static int
slot_for(const struct dossier *d, enum check_agency a)
{
	int i = 0;
	while (i < d->n_checks && d->checks[i].agency < a)
		i++;
	return i;
}

static int
ic_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	struct ic_baton *b = baton;
	const struct info_check *old;
	int i;

	(void)st;
	(void)txn;
	if (dossier_require_open(d, e) != 0)
		return -1;
	/* checks need the signed authorisation (SQR), so none is older than
	 * the application; a migrated dossier's date of application may be
	 * the import's, so its older results are taken as typed */
	if (b->c->date < d->applied && !(d->flags & DF_MIGRATED))
		return err_set(e, E_REFUSED, "%s", _("check date: must not be before the date of application"));
	old = dossier_check(d, b->c->agency);
	/* a retried transaction sets it again from what it reads then */
	json_object_del(b->detail, "replaced");
	if (old != NULL) {
		i = (int)(old - d->checks);
		json_object_set_new(b->detail, "replaced", json_string(old->result));
	} else {
		i = slot_for(d, b->c->agency);
		if (d->n_checks >= MAX_CHECKS)
			return err_set(e, E_REFUSED, _("information checks: at most %d"), MAX_CHECKS);
		memmove(&d->checks[i + 1], &d->checks[i], (size_t)(d->n_checks - i) * sizeof d->checks[0]);
		d->n_checks++;
	}
	d->checks[i] = *b->c;
	return 0;
}

int
infocheck_set(struct store *st, const struct user *actor, const char *no, enum check_agency agency,
    const char *result, dbdate_t date, struct err *e)
{
	struct info_check c;
	struct ic_baton b = {&c, NULL};
	dbdate_t today = store_today();
	const char *why;
	char ds[11];
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0)
		return -1;
	memset(&c, 0, sizeof c);
	if ((int)agency < 0 || agency >= AG__N)
		return err_set(e, E_REFUSED, "%s", _("agency: not one of the agencies checked"));
	c.agency = agency;
	if (result == NULL || result[0] == '\0')
		return err_set(e, E_REFUSED, "%s", _("check result: must not be empty"));
	if (text_set(c.result, sizeof c.result, result, &why) != 0)
		return err_set(e, E_REFUSED, "%s: %s", _("check result"), _(why));
	c.date = date ? date : today;
	if (date_make(date_year(c.date), date_month(c.date), date_day(c.date)) != c.date)
		return err_set(e, E_REFUSED, "%s", _("check date: not a real date"));
	if (c.date > today)
		return err_set(e, E_REFUSED, "%s", _("check date: must not be in the future"));
	snprintf(c.recorded_by, sizeof c.recorded_by, "%s", actor->login);
	date_format(c.date, ds);
	b.detail = json_pack("{s:s,s:s,s:s}", "agency", agency_terms[agency].en, "result", c.result, "date", ds);
	if (b.detail == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	ret = dossier_update_detail(st, actor, no, ic_fn, &b, "infocheck.set", b.detail, e);
	json_decref(b.detail);
	return ret;
}
