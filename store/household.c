/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * household.c — the household's own fields of a dossier: village and
 * group, address, phone, the subsidy card (bank and account), support and
 * poverty type, the registered-poor and extreme-poverty flags.  Edited
 * while the case is open; the account is confidential (its change is
 * audited without the number).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/card.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "store/village.h"

struct hh_baton {
	const struct household_edit *h;
	json_t *detail;
	uint32_t expect;
};

static int
hh_fn(struct store *st, store_txn *txn, struct dossier *d, void *baton, struct err *e)
{
	const struct household_edit *h = ((struct hh_baton *)baton)->h;
	json_t *j = ((struct hh_baton *)baton)->detail;
	const char *why;

	/* the console's edit screen: someone else's change meanwhile is not
	 * overwritten (checked under the write lock) */
	if (((struct hh_baton *)baton)->expect != 0 && d->version != ((struct hh_baton *)baton)->expect)
		return err_set(e, E_CHANGED, "%s", _("the dossier was changed by someone else meanwhile: reload it"));
	if (!status_active(d->status))
		return err_set(e, E_REFUSED, _("dossier %s is closed (%s): apply again as a new dossier"),
		    d->no, status_terms[d->status].zh);
	if (h->village) {
		struct village v;
		if (village_resolve(st, txn, h->village, &v, e) != 0)
			return -1;
		strcpy(d->village, v.name);
		json_object_set_new(j, "village", json_string(v.name));
	}
	if (h->group) {
		struct village v;
		if (village_resolve(st, txn, d->village, &v, e) != 0)
			return -1;
		if (h->group[0] && !village_has_group(&v, h->group))
			return err_set(e, E_REFUSED, _("group: %s is not a group of %s (%s)"), h->group, v.name, v.groups);
		if (text_set(d->group, sizeof d->group, h->group, &why) != 0)
			return err_set(e, E_REFUSED, "%s: %s", _("group"), _(why));
		json_object_set_new(j, "group", json_string(d->group));
	}
	struct { const char *src; char *dst; size_t size; const char *field, *key; } t[] = {
		{h->address, d->address, sizeof d->address, _("address"), "address"},
		{h->phone, d->phone, sizeof d->phone, _("phone"), "phone"},
		{h->bank, d->bank, sizeof d->bank, _("bank"), "bank"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].src == NULL)
			continue;
		if (text_set(t[i].dst, t[i].size, t[i].src, &why) != 0)
			return err_set(e, E_REFUSED, "%s: %s", t[i].field, _(why));
		json_object_set_new(j, t[i].key, json_string(t[i].src));
	}
	if (h->account) {
		/* digits only, 12–30 (spaces typed between groups dropped) */
		char acct[ACCOUNT_MAX + 1];
		if (h->account[0] == '\0') {
			d->account[0] = '\0';
			d->holder[0] = '\0';
		} else if (account_normalize(h->account, acct, &why) != 0) {
			return err_set(e, E_REFUSED, "%s: %s", _("account"), _(why));
		} else {
			strcpy(d->account, acct);
		}
		json_object_set_new(j, "account", json_string("(changed)"));
	}
	if (h->holder || (h->account && h->account[0] && d->holder[0] == '\0')) {
		/* the card's holder: a living member, by default the head (issue 13) */
		const char *hid = h->holder ? h->holder : d->members[d->head].id;
		struct id_info info;
		const struct member *m;
		if (d->account[0] == '\0')
			return err_set(e, E_REFUSED, "%s", _("holder: record the bank and the account first"));
		if (id_check(hid, 99991231, &info, &why) != 0)
			return err_set(e, E_REFUSED, "%s: %s (%s)", _("holder"), _(why), hid);
		if ((m = dossier_member_c(d, info.id)) == NULL)
			return err_set(e, E_REFUSED, _("holder: %s is not a member of dossier %s"), info.id, d->no);
		if (m->death != 0)
			return err_set(e, E_REFUSED, _("holder: %s has died; name a living member"), m->name);
		strcpy(d->holder, info.id);
		json_object_set_new(j, "holder", json_string("(changed)"));
	}
	if (d->account[0] && d->bank[0] == '\0')
		return err_set(e, E_REFUSED, "%s", _("bank: the card's bank is needed with the account"));
	if (h->support >= 0) {
		d->support = (enum support)h->support;
		json_object_set_new(j, "support", json_string(support_terms[d->support].en));
	}
	if (h->poverty >= 0) {
		d->poverty = (enum poverty)h->poverty;
		json_object_set_new(j, "poverty", json_string(poverty_terms[d->poverty].en));
	}
	if (h->registered_poor >= 0) {
		d->flags = h->registered_poor ? d->flags | DF_REGISTERED_POOR : d->flags & ~DF_REGISTERED_POOR;
		json_object_set_new(j, "registered_poor", json_boolean(h->registered_poor));
	}
	if (h->extreme_poverty >= 0) {
		d->flags = h->extreme_poverty ? d->flags | DF_EXTREME_POVERTY : d->flags & ~DF_EXTREME_POVERTY;
		json_object_set_new(j, "extreme_poverty", json_boolean(h->extreme_poverty));
	}
	return 0;
}

int
household_edit(struct store *st, const struct user *actor, const char *no, const struct household_edit *h,
    uint32_t expect_version, struct err *e)
{
	struct hh_baton b = {h, json_object(), expect_version};
	int ret;

	if (store_require(actor, ACT_CASE, e) != 0) {
		json_decref(b.detail);
		return -1;
	}
	ret = dossier_update_detail(st, actor, no, hh_fn, &b, "dossier.edit", b.detail, e);
	json_decref(b.detail);
	return ret;
}
