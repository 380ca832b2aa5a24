/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dossier-json.c — a dossier as JSON, for `dibao dossier show` and for
 * the record each changed dossier carries in the monthly archive.  Shared
 * here (not in cli/) because the archive is built below the command line.
 * Without reveal, what is confidential stays home: the account is masked
 * and the HIV and confidential flags are left out altogether.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/dossier-json.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "core/array.h"

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

/* ---- the archive's record, written directly ---------------------------- */

/*
 * dossier_json(d, false) dumped with JSON_INDENT(2) | JSON_SORT_KEYS, the
 * same bytes, written straight into a buffer: building the objects and
 * dumping them was a fifth of a whole-township export's time.  The layout
 * is jansson's: "{", each key on a line of its own indented two spaces a
 * level, ": " between key and value, "," ending every line but the last,
 * "}" on a line of its own; empty arrays "[]"; strings escaped as jansson
 * escapes them (\" \\ \b \f \n \r \t, other controls \u00XX, UTF-8 as it
 * is).  A string that is not UTF-8 (jansson drops such a value) sends the
 * whole record to jansson instead, so the bytes never differ.
 * tests/unit/test-archive.c compares the two on every kind of field.
 */
struct jtext {
	char *s;
	size_t n, cap;
	bool oom;
	bool refused;           /* a string jansson would not take */
};

static void
jt_put(struct jtext *t, const char *p, size_t n)
{
	if (t->oom)
		return;
	if (t->n + n + 1 > t->cap) {
		/* a record is a few KB: room for one from the start */
		size_t need = t->n + n + 1 > 4096 ? t->n + n + 1 : 4096;
		char *v = array_grow(t->s, &t->cap, need, 1);
		if (v == NULL) {
			t->oom = true;
			return;
		}
		t->s = v;
	}
	memcpy(t->s + t->n, p, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void
jt_str(struct jtext *t, const char *str)
{
	const unsigned char *p = (const unsigned char *)str, *run = p;
	char esc[8];

	jt_put(t, "\"", 1);
	while (*p != '\0') {
		size_t n = 1;
		const char *e = NULL;
		if (*p >= 0x80) {
			/* the one decoder (core/text.c): well-formed UTF-8 as
			 * jansson takes it (no overlong form, surrogate or code
			 * point past U+10FFFF) */
			uint32_t cp;
			if ((n = utf8_decode((const char *)p, SIZE_MAX, &cp)) == 0) {
				t->refused = true;
				return;
			}
		} else if (*p == '"') {
			e = "\\\"";
		} else if (*p == '\\') {
			e = "\\\\";
		} else if (*p < 0x20) {
			static const char named[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
			if (*p < sizeof named && named[*p])
				snprintf(esc, sizeof esc, "\\%c", named[*p]);
			else
				snprintf(esc, sizeof esc, "\\u%04X", (unsigned)*p);
			e = esc;
		}
		if (e != NULL) {
			jt_put(t, (const char *)run, (size_t)(p - run));
			jt_put(t, e, strlen(e));
			run = p + 1;
		}
		p += n;
	}
	jt_put(t, (const char *)run, (size_t)(p - run));
	jt_put(t, "\"", 1);
}

/* a new line indented to depth */
static void
jt_line(struct jtext *t, int depth)
{
	static const char sp[] = "\n                ";
	jt_put(t, sp, 1);
	for (int left = 2 * depth; left > 0; left -= 16)
		jt_put(t, sp + 1, left < 16 ? (size_t)left : 16);
}

/* the key of an object at depth; first: the object's first */
static void
jt_key(struct jtext *t, int depth, bool *first, const char *key)
{
	if (!*first)
		jt_put(t, ",", 1);
	*first = false;
	jt_line(t, depth + 1);
	jt_put(t, "\"", 1);
	jt_put(t, key, strlen(key));
	jt_put(t, "\": ", 3);
}

static void
jt_int(struct jtext *t, long long v)
{
	char b[24];
	jt_put(t, b, (size_t)snprintf(b, sizeof b, "%lld", v));
}

static void
jt_bool(struct jtext *t, bool v)
{
	jt_put(t, v ? "true" : "false", v ? 4 : 5);
}

/* a string, or null when absent */
static void
jt_str_or_null(struct jtext *t, const char *s)
{
	if (s != NULL)
		jt_str(t, s);
	else
		jt_put(t, "null", 4);
}

/* a key and its value */
static void
jt_kstr(struct jtext *t, int depth, bool *first, const char *key, const char *v)
{
	jt_key(t, depth, first, key);
	jt_str(t, v);
}

static void
jt_kint(struct jtext *t, int depth, bool *first, const char *key, long long v)
{
	jt_key(t, depth, first, key);
	jt_int(t, v);
}

static void
jt_kbool(struct jtext *t, int depth, bool *first, const char *key, bool v)
{
	jt_key(t, depth, first, key);
	jt_bool(t, v);
}

static void
jt_kstr_or_null(struct jtext *t, int depth, bool *first, const char *key, const char *v)
{
	jt_key(t, depth, first, key);
	jt_str_or_null(t, v);
}

static void
jt_close(struct jtext *t, int depth, const char *c)
{
	jt_line(t, depth);
	jt_put(t, c, 1);
}

/* array element i of an array at depth: opening "[" before the first */
static void
jt_elem(struct jtext *t, int depth, int i)
{
	jt_put(t, i == 0 ? "[" : ",", 1);
	jt_line(t, depth + 1);
}

static void
jt_array_end(struct jtext *t, int depth, int n)
{
	if (n == 0)
		jt_put(t, "[]", 2);
	else
		jt_close(t, depth, "]");
}

static void
jt_member(struct jtext *t, const struct member *m)
{
	char birth[11], death[11], sex[2] = {m->sex, 0};
	bool first = true;

	jt_put(t, "{", 1);
	jt_kstr(t, 2, &first, "birth", date_format(m->birth, birth));
	jt_kstr_or_null(t, 2, &first, "death", m->death ? date_format(m->death, death) : NULL);
	jt_kstr(t, 2, &first, "disability", disability_terms[m->disability].en);
	jt_kint(t, 2, &first, "disability_grade", m->disability_grade);
	jt_kbool(t, 2, &first, "guaranteed", (m->flags & MF_NOT_GUARANTEED) == 0);
	jt_kstr(t, 2, &first, "health", health_terms[m->health].en);
	jt_kstr(t, 2, &first, "id", m->id);
	jt_kstr(t, 2, &first, "illness", m->illness);
	jt_kstr(t, 2, &first, "labour", labour_terms[m->labour].en);
	jt_kstr(t, 2, &first, "name", m->name);
	jt_kstr(t, 2, &first, "occupation", m->occupation);
	jt_kstr(t, 2, &first, "relation", relation_terms[m->relation].en);
	jt_kstr(t, 2, &first, "sex", sex);
	jt_kbool(t, 2, &first, "staff", (m->flags & MF_STAFF) != 0);
	jt_close(t, 2, "}");
}

/* incomes, expenses, info checks: the arrays of small objects */
static void
jt_lists(struct jtext *t, const struct dossier *d, bool *first)
{
	char ds[11];
	int n = 0;

	jt_key(t, 0, first, "expenses");
	for (int i = 0; i < d->n_expenses; i++) {
		bool f = true;
		jt_elem(t, 1, i);
		jt_put(t, "{", 1);
		jt_kint(t, 2, &f, "amount", d->expenses[i].amount);
		jt_kstr(t, 2, &f, "kind", expense_terms[d->expenses[i].kind].en);
		jt_close(t, 2, "}");
	}
	jt_array_end(t, 1, d->n_expenses);
	jt_kbool(t, 0, first, "extreme_poverty", d->flags & DF_EXTREME_POVERTY);
	jt_kstr(t, 0, first, "group", d->group);
	jt_kstr(t, 0, first, "head_name", d->n_members ? d->members[d->head].name : "");
	jt_kstr_or_null(t, 0, first, "holder_id", d->holder[0] ? d->holder : NULL);
	jt_kbool(t, 0, first, "holder_needed", d->account[0] && !d->holder[0]);
	jt_key(t, 0, first, "incomes");
	for (int i = 0; i < d->n_incomes; i++) {
		const struct income_item *in = &d->incomes[i];
		bool f = true;
		jt_elem(t, 1, i);
		jt_put(t, "{", 1);
		jt_kint(t, 2, &f, "amount", in->amount);
		jt_kstr(t, 2, &f, "kind", income_terms[in->kind].en);
		jt_kstr(t, 2, &f, "member", in->member_id);
		if (in->kind == INC_EX_LOCAL) {
			jt_kstr(t, 2, &f, "name", in->name);
		}
		jt_close(t, 2, "}");
	}
	jt_array_end(t, 1, d->n_incomes);
	jt_key(t, 0, first, "info_checks");
	for (int k = 0; k < AG__N; k++) {
		const struct info_check *c = dossier_check(d, (enum check_agency)k);
		bool f = true;
		if (c == NULL)
			continue;
		jt_elem(t, 1, n++);
		jt_put(t, "{", 1);
		jt_kstr(t, 2, &f, "agency", agency_terms[c->agency].en);
		jt_kstr(t, 2, &f, "date", date_format(c->date, ds));
		jt_kstr(t, 2, &f, "recorded_by", c->recorded_by);
		jt_kstr(t, 2, &f, "result", c->result);
		jt_close(t, 2, "}");
	}
	jt_array_end(t, 1, n);
	jt_key(t, 0, first, "members");
	for (int i = 0; i < d->n_members; i++) {
		jt_elem(t, 1, i);
		jt_member(t, &d->members[i]);
	}
	jt_array_end(t, 1, d->n_members);
}

/* the keys before "expenses" and after "members", in their order */
static void
jt_head(struct jtext *t, const struct dossier *d, bool *first)
{
	char buf[TEXT_SHORT];

	jt_key(t, 0, first, "account");
	text_mask_account(d->account, buf, sizeof buf);
	jt_str(t, buf);
	jt_kstr(t, 0, first, "address", d->address);
	jt_kstr(t, 0, first, "applied", date_format(d->applied, buf));
	jt_kstr(t, 0, first, "area", area_terms[d->area].en);
	jt_key(t, 0, first, "assets");
	bool f = true;
	jt_put(t, "{", 1);
	jt_kint(t, 1, &f, "businesses", d->assets.businesses);
	jt_kint(t, 1, &f, "deposits", d->assets.deposits);
	jt_kint(t, 1, &f, "houses", d->assets.houses);
	jt_kint(t, 1, &f, "production_vehicles", d->assets.production_vehicles);
	jt_kint(t, 1, &f, "vehicles", d->assets.vehicles);
	jt_close(t, 1, "}");
	jt_kstr(t, 0, first, "bank", d->bank);
	jt_key(t, 0, first, "category");
	buf[0] = d->category;
	buf[1] = '\0';
	jt_str_or_null(t, d->category ? buf : NULL);
	jt_kstr(t, 0, first, "dossier", d->no);
	jt_key(t, 0, first, "effective");
	month_format(d->effective, buf);
	jt_str_or_null(t, d->effective ? buf : NULL);
	jt_kstr_or_null(t, 0, first, "exit_reason", d->exit_reason ? exit_terms[d->exit_reason].en : NULL);
}

static void
jt_tail(struct jtext *t, const struct dossier *d, bool *first)
{
	char buf[11];

	jt_kstr_or_null(t, 0, first, "next_review", d->next_review ? date_format(d->next_review, buf) : NULL);
	jt_kstr(t, 0, first, "phone", d->phone);
	jt_kstr(t, 0, first, "poverty", poverty_terms[d->poverty].en);
	jt_kstr_or_null(t, 0, first, "previous", d->previous[0] ? d->previous : NULL);
	jt_kbool(t, 0, first, "registered_poor", d->flags & DF_REGISTERED_POOR);
	jt_kstr(t, 0, first, "status", status_terms[d->status].en);
	jt_kstr(t, 0, first, "status_date", date_format(d->status_date, buf));
	jt_kstr(t, 0, first, "support", support_terms[d->support].en);
	jt_kint(t, 0, first, "total", d->total);
	jt_kint(t, 0, first, "version", d->version);
	jt_kstr(t, 0, first, "village", d->village);
}

char *
dossier_record_text(const struct dossier *d, size_t *len)
{
	struct jtext t = {0};
	bool first = true;

	jt_put(&t, "{", 1);
	jt_head(&t, d, &first);
	jt_lists(&t, d, &first);
	jt_tail(&t, d, &first);
	jt_close(&t, 0, "}");
	if (t.refused) {
		/* jansson's own answer, whatever it makes of the string */
		free(t.s);
		json_t *j = dossier_json(d, false);
		t.s = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
		json_decref(j);
		t.n = t.s ? strlen(t.s) : 0;
	} else if (t.oom) {
		free(t.s);
		t.s = NULL;
	}
	*len = t.n;
	return t.s;
}
