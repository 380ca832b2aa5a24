/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dossier-json.c — a dossier as JSON, for `dibao dossier show` and for
 * the record each changed dossier carries in the monthly archive.  Shared
 * here (not in cli/) because the archive is built below the command line.
 * Without reveal, what is confidential stays home: the account is masked
 * and the HIV and confidential flags are left out altogether.
 */
#include "config.h"

#include <string.h>
#include <jansson.h>

#include "import/dossier-json.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"

json_t *
info_checks_json(const struct dossier *d)
{
	json_t *a = json_array();
	char ds[11];

	for (int k = 0; k < AG__N; k++) {
		const struct info_check *c = dossier_check(d, (enum check_agency)k);
		if (c == NULL)
			continue;
		date_format(c->date, ds);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "agency", agency_terms[c->agency].en,
		    "result", c->result, "date", ds, "recorded_by", c->recorded_by));
	}
	return a;
}

json_t *
dossier_json(const struct dossier *d, bool reveal)
{
	char buf[64], acct[TEXT_SHORT];
	json_t *j = json_object(), *members = json_array(), *inc = json_array(), *exp = json_array();

	json_object_set_new(j, "dossier", json_string(d->no));
	json_object_set_new(j, "version", json_integer(d->version));
	json_object_set_new(j, "status", json_string(status_terms[d->status].en));
	json_object_set_new(j, "area", json_string(area_terms[d->area].en));
	json_object_set_new(j, "village", json_string(d->village));
	json_object_set_new(j, "group", json_string(d->group));
	json_object_set_new(j, "address", json_string(d->address));
	json_object_set_new(j, "phone", json_string(d->phone));
	json_object_set_new(j, "bank", json_string(d->bank));
	if (reveal) {
		json_object_set_new(j, "account", json_string(d->account));
	} else {
		text_mask_account(d->account, acct, sizeof acct);
		json_object_set_new(j, "account", json_string(acct));
	}
	/* the card's holder (issue 13): a dossier with an account but no
	 * holder needs one named, never guessed */
	json_object_set_new(j, "holder_id", d->holder[0] ? json_string(d->holder) : json_null());
	json_object_set_new(j, "holder_needed", json_boolean(d->account[0] && !d->holder[0]));
	json_object_set_new(j, "support", json_string(support_terms[d->support].en));
	json_object_set_new(j, "poverty", json_string(poverty_terms[d->poverty].en));
	buf[0] = d->category;
	buf[1] = '\0';
	json_object_set_new(j, "category", d->category ? json_string(buf) : json_null());
	json_object_set_new(j, "registered_poor", json_boolean(d->flags & DF_REGISTERED_POOR));
	json_object_set_new(j, "extreme_poverty", json_boolean(d->flags & DF_EXTREME_POVERTY));
	date_format(d->applied, buf);
	json_object_set_new(j, "applied", json_string(buf));
	date_format(d->status_date, buf);
	json_object_set_new(j, "status_date", json_string(buf));
	json_object_set_new(j, "total", json_integer(d->total));
	month_format(d->effective, buf);
	json_object_set_new(j, "effective", d->effective ? json_string(buf) : json_null());
	date_format(d->next_review, buf);
	json_object_set_new(j, "next_review", d->next_review ? json_string(buf) : json_null());
	json_object_set_new(j, "exit_reason", d->exit_reason ? json_string(exit_terms[d->exit_reason].en) : json_null());
	json_object_set_new(j, "previous", d->previous[0] ? json_string(d->previous) : json_null());
	json_object_set_new(j, "head_name", json_string(d->n_members ? d->members[d->head].name : ""));
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		char birth[11], death[11], sex[2] = {m->sex, 0};
		date_format(m->birth, birth);
		date_format(m->death, death);
		json_t *mj = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:b,s:s?}",
		    "name", m->name, "id", m->id, "birth", birth, "sex", sex,
		    "relation", relation_terms[m->relation].en, "health", health_terms[m->health].en,
		    "illness", m->illness, "disability", disability_terms[m->disability].en,
		    "disability_grade", m->disability_grade, "labour", labour_terms[m->labour].en,
		    "occupation", m->occupation, "staff", (m->flags & MF_STAFF) != 0,
		    "guaranteed", (m->flags & MF_NOT_GUARANTEED) == 0, "death", m->death ? death : NULL);
		if (reveal) {
			json_object_set_new(mj, "hiv", json_boolean(m->flags & MF_HIV));
			json_object_set_new(mj, "confidential", json_boolean(m->flags & MF_CONFIDENTIAL));
		}
		json_array_append_new(members, mj);
	}
	json_object_set_new(j, "members", members);
	for (int i = 0; i < d->n_incomes; i++)
		json_array_append_new(inc, json_pack("{s:s,s:I,s:s,s:o*}", "kind", income_terms[d->incomes[i].kind].en,
		    "amount", (json_int_t)d->incomes[i].amount, "member", d->incomes[i].member_id,
		    /* j12: the township's name of its own excluded kind; no key otherwise */
		    "name", d->incomes[i].kind == INC_EX_LOCAL ? json_string(d->incomes[i].name) : NULL));
	json_object_set_new(j, "incomes", inc);
	for (int i = 0; i < d->n_expenses; i++)
		json_array_append_new(exp, json_pack("{s:s,s:I}", "kind", expense_terms[d->expenses[i].kind].en,
		    "amount", (json_int_t)d->expenses[i].amount));
	json_object_set_new(j, "expenses", exp);
	json_object_set_new(j, "assets", json_pack("{s:I,s:i,s:i,s:i,s:i}", "deposits", (json_int_t)d->assets.deposits,
	    "vehicles", d->assets.vehicles, "production_vehicles", d->assets.production_vehicles,
	    "houses", d->assets.houses, "businesses", d->assets.businesses));
	json_object_set_new(j, "info_checks", info_checks_json(d));
	return j;
}
