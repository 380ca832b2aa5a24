/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-kin.c — `dibao kin …`: the registry of related staff and their
 * declared close relatives, kin matches, filings (备案) and their views
 * (SPEC section 4).  `kin staff` and `kin relative` take a third word,
 * dispatched here from a small table of their own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"

#define STAFF_USAGE "kin staff add --name NAME --id ID --kind KIND --unit TEXT [--position TEXT]\n" \
	"      [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n" \
	"  dibao kin staff list | show STAFF_ID | end STAFF_ID [--date YYYY-MM-DD]\n" \
	"  dibao kin staff edit STAFF_ID [--name NAME] [--kind KIND] [--unit TEXT] [--position TEXT]\n" \
	"      [--from YYYY-MM-DD] [--to YYYY-MM-DD]"
#define RELATIVE_USAGE "kin relative add STAFF_ID --name NAME --id ID --relation REL [--date YYYY-MM-DD]\n" \
	"  dibao kin relative list [STAFF_ID]\n" \
	"  dibao kin relative remove STAFF_ID RELATIVE_ID [--date YYYY-MM-DD]"

static int
parse_id(struct cli *c, const char *field, const char *s, char out[ID_LEN + 1])
{
	struct id_info info;
	const char *why;

	if (id_check(s, 99991231, &info, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s: %s (%s)", field, _(why), s);
	memcpy(out, info.id, ID_LEN + 1);
	return 0;
}

static int
parse_text(struct cli *c, const char *field, const char *s, char *dst, size_t size)
{
	const char *why;
	if (text_set(dst, size, s, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s: %s", field, _(why));
	return 0;
}

/* ---- staff ------------------------------------------------------------ */

struct staff_opts {
	const char *name, *id, *kind, *unit, *position, *from, *to;
};

/* Fill s from the options; the KIN_F_* fields given, -1 refused. */
static int
staff_from_opts(struct cli *c, const struct staff_opts *o, struct kin_staff *s)
{
	unsigned f = 0;
	int k;

	if (o->name) {
		if (parse_text(c, _("name"), o->name, s->name, sizeof s->name) != 0)
			return -1;
		f |= KIN_F_NAME;
	}
	if (o->kind) {
		if ((k = cli_parse_term(c, _("staff kind"), staff_kind_terms, SK__N, o->kind)) < 0)
			return -1;
		s->kind = (enum staff_kind)k;
		f |= KIN_F_KIND;
	}
	if (o->unit) {
		if (parse_text(c, _("unit"), o->unit, s->unit, sizeof s->unit) != 0)
			return -1;
		f |= KIN_F_UNIT;
	}
	if (o->position) {
		if (parse_text(c, _("position"), o->position, s->position, sizeof s->position) != 0)
			return -1;
		f |= KIN_F_POSITION;
	}
	if (o->from) {
		if (cli_parse_date(c, _("term start"), o->from, &s->from) != 0)
			return -1;
		f |= KIN_F_FROM;
	}
	if (o->to) {
		if (cli_parse_date(c, _("term end"), o->to, &s->to) != 0)
			return -1;
		f |= KIN_F_TO;
	}
	return (int)f;
}

#define STAFF_OPTS(o) \
	{"name", OPT_VALUE, &(o).name}, {"kind", OPT_VALUE, &(o).kind}, \
	{"unit", OPT_VALUE, &(o).unit}, {"position", OPT_VALUE, &(o).position}, \
	{"from", OPT_VALUE, &(o).from}, {"to", OPT_VALUE, &(o).to}

static int
staff_add(struct cli *c, int argc, char **argv)
{
	struct staff_opts o = {0};
	const struct opt opts[] = {STAFF_OPTS(o), {"id", OPT_VALUE, &o.id}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;
	struct kin_staff s;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !o.name || !o.id || !o.kind || !o.unit)
		return cli_usage(STAFF_USAGE);
	memset(&s, 0, sizeof s);
	if (staff_from_opts(c, &o, &s) < 0 || parse_id(c, _("ID number"), o.id, s.id) != 0 ||
	    kin_staff_add(c->st, &c->user, &s, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s}", "staff_id", s.id));
	char idm[ID_LEN + 1];
	printf(_("%s (%s) added to the kin registry\n"), s.name, cli_id(s.id, idm));
	return 0;
}

static json_t *
staff_json(const struct kin_staff *s)
{
	char f[11], t[11], en[11], rg[11];
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "staff_id", s->id, "name", s->name,
	    "kind", staff_kind_terms[s->kind].en, "unit", s->unit, "position", s->position,
	    "from", date_format(s->from, f), "to", date_format(s->to, t), "ended", date_format(s->ended, en),
	    "registered", date_format(s->registered, rg), "registered_by", s->registered_by);
}

/* The text tables of `dibao kin`: each column's head and width, once. */
static const struct cli_col staff_cols[] = {
	{N_("ID number"), 20}, {N_("name"), 10}, {N_("staff kind"), 18}, {N_("unit"), 16},
	{N_("position"), 12}, {N_("term"), 23}, {N_("ended"), 0},
};
static const struct cli_col rel_cols[] = {
	{N_("staff"), 20}, {N_("ID number"), 20}, {N_("name"), 10}, {N_("kin relation"), 10},
	{N_("declared"), 12}, {N_("removed"), 0},
};
static const struct cli_col match_cols[] = {
	{N_("dossier"), 22}, {N_("member"), 10}, {N_("ID number"), 20}, {N_("staff"), 10},
	{N_("kin relation"), 10}, {N_("found"), 12}, {N_("filing"), 14}, {N_("status"), 0},
};
static const struct cli_col register_cols[] = {
	{N_("number"), 14}, {N_("dossier"), 22}, {N_("member"), 10}, {N_("staff"), 10},
	{N_("kin relation"), 10}, {N_("status"), 8}, {N_("filed by"), 10}, {N_("filed"), 12},
	{N_("reviewed by"), 10}, {N_("reviewed"), 12}, {N_("reported"), 0},
};
static const struct cli_col involve_cols[] = {
	{N_("dossier"), 22}, {N_("status"), 18}, {N_("member"), 10}, {N_("ID number"), 20},
	{N_("kin relation"), 10}, {N_("declaration"), 0},
};

static int
staff_row(const struct kin_staff *s, void *baton)
{
	char f[11], t[11], en[11], term[32], idm[ID_LEN + 1];

	snprintf(term, sizeof term, "%s~%s", date_format(s->from, f), date_format(s->to, t));
	const char *cells[] = {
		cli_id(s->id, idm), s->name, staff_kind_terms[s->kind].zh, s->unit, s->position, term,
		s->ended ? date_format(s->ended, en) : "",
	};
	cli_table_row(staff_cols, CLI_NCOLS(staff_cols), cells);
	return 0;
}

static int
staff_json_row(const struct kin_staff *s, void *baton)
{
	json_array_append_new(baton, staff_json(s));
	return 0;
}

static int
staff_list(struct cli *c, int argc, char **argv)
{
	if (argc != 0)
		return cli_usage(STAFF_USAGE);
	if (c->json) {
		json_t *a = json_array();
		if (kin_staff_list(c->st, staff_json_row, a, &c->e) != 0) {
			json_decref(a);
			return cli_fail(c);
		}
		return cli_print_json(a);
	}
	cli_table_head(staff_cols, CLI_NCOLS(staff_cols));
	if (kin_staff_list(c->st, staff_row, c, &c->e) != 0)
		return cli_fail(c);
	return 0;
}

static int
rel_json_row(const struct kin_relative *r, void *baton)
{
	char d[11], rm[11];
	json_array_append_new(baton, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "staff_id", r->staff_id,
	    "id", r->id, "name", r->name, "relation", kin_relation_terms[r->relation].en,
	    "declared", date_format(r->declared, d), "removed_on", date_format(r->removed, rm),
	    "removed", r->removed != 0, "declared_by", r->declared_by));
	return 0;
}

static int
rel_row(const struct kin_relative *r, void *baton)
{
	char d[11], rm[11], sm[ID_LEN + 1], im[ID_LEN + 1], removed[64] = "";
	if (r->removed)
		snprintf(removed, sizeof removed, _("removed %s"), date_format(r->removed, rm));
	const char *cells[] = {
		cli_id(r->staff_id, sm), cli_id(r->id, im), r->name, kin_relation_terms[r->relation].zh,
		date_format(r->declared, d), removed,
	};
	cli_table_row(rel_cols, CLI_NCOLS(rel_cols), cells);
	return 0;
}

static int
staff_show(struct cli *c, int argc, char **argv)
{
	struct kin_staff s;
	char id[ID_LEN + 1], f[11], t[11], en[11], idm[ID_LEN + 1];

	if (argc != 1)
		return cli_usage(STAFF_USAGE);
	if (parse_id(c, _("staff"), argv[0], id) != 0 || kin_staff_get(c->st, NULL, id, &s, &c->e) != 0)
		return cli_fail(c);
	if (c->json) {
		json_t *j = staff_json(&s), *a = json_array();
		if (kin_relative_list(c->st, s.id, rel_json_row, a, &c->e) != 0) {
			json_decref(j);
			json_decref(a);
			return cli_fail(c);
		}
		json_object_set_new(j, "relatives", a);
		return cli_print_json(j);
	}
	printf("%s：%s\n%s：%s\n%s：%s\n%s：%s\n%s：%s\n%s：%s ~ %s\n", _("name"), s.name, _("ID number"), cli_id(s.id, idm),
	    _("staff kind"), staff_kind_terms[s.kind].zh, _("unit"), s.unit, _("position"), s.position,
	    _("term"), date_format(s.from, f), date_format(s.to, t));
	if (s.ended)
		printf("%s：%s\n", _("ended"), date_format(s.ended, en));
	printf("\n%s\n", _("Declared close relatives:"));
	cli_table_head(rel_cols, CLI_NCOLS(rel_cols));
	if (kin_relative_list(c->st, s.id, rel_row, c, &c->e) != 0)
		return cli_fail(c);
	return 0;
}

static int
staff_edit(struct cli *c, int argc, char **argv)
{
	struct staff_opts o = {0};
	const struct opt opts[] = {STAFF_OPTS(o), {NULL, 0, NULL}};
	char *pos[1], id[ID_LEN + 1];
	int npos, f;
	struct kin_staff s;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(STAFF_USAGE);
	memset(&s, 0, sizeof s);
	if ((f = staff_from_opts(c, &o, &s)) < 0 || parse_id(c, _("staff"), pos[0], id) != 0)
		return cli_fail(c);
	if (f == 0)
		return cli_usage(STAFF_USAGE);
	if (kin_staff_edit(c->st, &c->user, id, &s, (unsigned)f, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("registry entry %s changed\n"), cli_id(id, s.id));
	return 0;
}

static int
staff_end(struct cli *c, int argc, char **argv)
{
	const char *date = NULL;
	const struct opt opts[] = {{"date", OPT_VALUE, &date}, {NULL, 0, NULL}};
	char *pos[1], id[ID_LEN + 1], idm[ID_LEN + 1];
	int npos;
	dbdate_t d = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage(STAFF_USAGE);
	if (parse_id(c, _("staff"), pos[0], id) != 0 || (date && cli_parse_date(c, _("date"), date, &d) != 0) ||
	    kin_staff_end(c->st, &c->user, id, d, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("the end of %s is recorded\n"), cli_id(id, idm));
	return 0;
}

/* the family entry logs in for all of them: reads too name their user */
struct sub {
	const char *name;
	int (*exec)(struct cli *, int, char **);
	bool writes;          /* needs a logged-in user; lists and shows do not */
};

static int
dispatch(struct cli *c, const struct sub *subs, const char *usage, int argc, char **argv)
{
	if (argc < 1)
		return cli_usage(usage);
	for (const struct sub *s = subs; s->name; s++) {
		if (strcmp(s->name, argv[0]) != 0)
			continue;
		if (s->writes && cli_login(c) != 0)
			return cli_fail(c);
		return s->exec(c, argc - 1, argv + 1);
	}
	return cli_usage(usage);
}

static const struct sub staff_subs[] = {
	{"add", staff_add, true}, {"list", staff_list, false}, {"show", staff_show, false},
	{"edit", staff_edit, true}, {"end", staff_end, true}, {NULL, NULL, false},
};

static int
staff_exec(struct cli *c, int argc, char **argv)
{
	return dispatch(c, staff_subs, STAFF_USAGE, argc, argv);
}

/* ---- relatives -------------------------------------------------------- */

static int
relative_add(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *id = NULL, *rel = NULL, *date = NULL;
	const struct opt opts[] = {
		{"name", OPT_VALUE, &name}, {"id", OPT_VALUE, &id}, {"relation", OPT_VALUE, &rel},
		{"date", OPT_VALUE, &date}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, r;
	struct kin_relative k;

	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1 || !name || !id || !rel)
		return cli_usage(RELATIVE_USAGE);
	memset(&k, 0, sizeof k);
	if (parse_id(c, _("staff"), pos[0], k.staff_id) != 0 || parse_id(c, _("ID number"), id, k.id) != 0 ||
	    parse_text(c, _("name"), name, k.name, sizeof k.name) != 0 ||
	    (r = cli_parse_term(c, _("kin relation"), kin_relation_terms, KREL__N, rel)) < 0 ||
	    (date && cli_parse_date(c, _("date declared"), date, &k.declared) != 0))
		return cli_fail(c);
	k.relation = (enum kin_relation)r;
	if (kin_relative_add(c->st, &c->user, &k, &c->e) != 0)
		return cli_fail(c);
	char im[ID_LEN + 1], sm[ID_LEN + 1];
	if (!c->json)
		printf(_("%s (%s) declared as %s of %s\n"), k.name, cli_id(k.id, im), kin_relation_terms[k.relation].zh,
		    cli_id(k.staff_id, sm));
	return 0;
}

static int
relative_list(struct cli *c, int argc, char **argv)
{
	char id[ID_LEN + 1];
	const char *staff = NULL;

	if (argc > 1)
		return cli_usage(RELATIVE_USAGE);
	if (argc == 1) {
		if (parse_id(c, _("staff"), argv[0], id) != 0)
			return cli_fail(c);
		staff = id;
	}
	if (c->json) {
		json_t *a = json_array();
		if (kin_relative_list(c->st, staff, rel_json_row, a, &c->e) != 0) {
			json_decref(a);
			return cli_fail(c);
		}
		return cli_print_json(a);
	}
	cli_table_head(rel_cols, CLI_NCOLS(rel_cols));
	if (kin_relative_list(c->st, staff, rel_row, c, &c->e) != 0)
		return cli_fail(c);
	return 0;
}

static int
relative_remove(struct cli *c, int argc, char **argv)
{
	const char *date = NULL;
	const struct opt opts[] = {{"date", OPT_VALUE, &date}, {NULL, 0, NULL}};
	char *pos[2], staff[ID_LEN + 1], id[ID_LEN + 1];
	int npos;
	dbdate_t d = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2)
		return cli_usage(RELATIVE_USAGE);
	if (parse_id(c, _("staff"), pos[0], staff) != 0 || parse_id(c, _("ID number"), pos[1], id) != 0 ||
	    (date && cli_parse_date(c, _("date"), date, &d) != 0) ||
	    kin_relative_remove(c->st, &c->user, staff, id, d, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("the removal of %s is recorded\n"), cli_id(id, staff));
	return 0;
}

static const struct sub relative_subs[] = {
	{"add", relative_add, true}, {"list", relative_list, false}, {"remove", relative_remove, true},
	{NULL, NULL, false},
};

static int
relative_exec(struct cli *c, int argc, char **argv)
{
	return dispatch(c, relative_subs, RELATIVE_USAGE, argc, argv);
}

/* ---- matches and filings ---------------------------------------------- */

static const char *
match_status(int filing_status)
{
	return filing_status < 0 ? "unfiled" : filing_status_terms[filing_status].en;
}

static const char *
match_status_zh(int filing_status)
{
	return filing_status < 0 ? _("not filed") : filing_status_terms[filing_status].zh;
}

struct match_out {
	struct cli *c;
	json_t *a;
	bool unfiled_only;
};

static int
match_row(const struct kin_match *m, int fs, void *baton)
{
	struct match_out *o = baton;
	char found[11], idm[ID_LEN + 1];

	if (o->unfiled_only && (fs == FS_FILED || fs == FS_REPORTED))
		return 0;
	if (o->a) {
		json_array_append_new(o->a, json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s}",
		    "dossier", m->dossier, "member_id", m->member_id, "staff_id", m->staff_id,
		    "relation", kin_relation_term(m->relation)->en,
		    "filing", m->filing[0] ? json_string(m->filing) : json_null(), "status", match_status(fs),
		    "member_name", m->member_name, "staff_name", m->staff_name, "found", date_format(m->found, found)));
		return 0;
	}
	const char *cells[] = {
		m->dossier, m->member_name, cli_id(m->member_id, idm), m->staff_name,
		kin_relation_term(m->relation)->zh, date_format(m->found, found), m->filing, match_status_zh(fs),
	};
	cli_table_row(match_cols, CLI_NCOLS(match_cols), cells);
	return 0;
}

static int
print_matches(struct cli *c, const char *dossier, bool unfiled_only)
{
	struct match_out o = {c, c->json ? json_array() : NULL, unfiled_only};

	if (!c->json)
		cli_table_head(match_cols, CLI_NCOLS(match_cols));
	if (kin_match_list(c->st, dossier, match_row, &o, &c->e) != 0) {
		json_decref(o.a);
		return cli_fail(c);
	}
	return c->json ? cli_print_json(o.a) : 0;
}

static int
matches_exec(struct cli *c, int argc, char **argv)
{
	struct dossier *d;

	if (argc > 1)
		return cli_usage("kin matches [DOSSIER]");
	if (argc == 1) {
		/* a typo must not look like "no matches" */
		if ((d = malloc(sizeof *d)) == NULL)
			return 3;
		int r = dossier_get(c->st, NULL, argv[0], d, &c->e);
		free(d);
		if (r != 0)
			return cli_fail(c);
		return print_matches(c, argv[0], false);
	}
	int found = 0;
	if (kin_rescan(c->st, &c->user, &found, NULL, &c->e) != 0)
		return cli_fail(c);
	if (found > 0)
		fprintf(stderr, _("%d new kin matches recorded\n"), found);
	return print_matches(c, NULL, false);
}

static int
unfiled_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 0)
		return cli_usage("kin unfiled");
	return print_matches(c, NULL, true);
}

static int
file_exec(struct cli *c, int argc, char **argv)
{
	const char *note = NULL;
	const struct opt opts[] = {{"note", OPT_VALUE, &note}, {NULL, 0, NULL}};
	char *pos[2], id[ID_LEN + 1], no[FILING_NO_LEN + 1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 2) != 0 || npos != 2)
		return cli_usage("kin file DOSSIER MEMBER_ID [--note TEXT]");
	if (parse_id(c, _("member"), pos[1], id) != 0 ||
	    kin_file(c->st, &c->user, pos[0], id, note, no, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s}", "number", no));
	printf(_("filing %s recorded (pending confirmation by a reviewer or approver)\n"), no);
	return 0;
}

static int
confirm_exec(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage("kin confirm FILING_NO");
	if (kin_confirm(c->st, &c->user, argv[0], &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("filing %s confirmed: filed\n"), argv[0]);
	return 0;
}

static int
register_row(const struct kin_filing *f, void *baton)
{
	struct match_out *o = baton;
	char fd[11], rd[11], pd[11];

	for (int i = 0; i < f->n_staff; i++) {
		const struct kin_filing_staff *s = &f->staff[i];
		if (o->a) {
			json_array_append_new(o->a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
			    "number", f->no, "dossier", f->dossier, "member_id", f->member_id,
			    "member_name", f->member_name, "staff_id", s->staff_id, "staff_name", s->staff_name,
			    "relation", kin_relation_term(s->relation)->en, "status", filing_status_terms[f->status].en,
			    "note", f->note, "filed_by", f->filed_by, "filed", date_format(f->filed, fd),
			    "reviewed_by", f->reviewed_by, "reviewed", date_format(f->reviewed, rd),
			    "reported", date_format(f->reported, pd)));
			continue;
		}
		const char *cells[] = {
			f->no, f->dossier, f->member_name, s->staff_name, kin_relation_term(s->relation)->zh,
			filing_status_terms[f->status].zh, f->filed_by, date_format(f->filed, fd), f->reviewed_by,
			date_format(f->reviewed, rd), date_format(f->reported, pd),
		};
		cli_table_row(register_cols, CLI_NCOLS(register_cols), cells);
	}
	return 0;
}

static int
register_exec(struct cli *c, int argc, char **argv)
{
	struct match_out o = {c, c->json ? json_array() : NULL, false};

	if (argc != 0)
		return cli_usage("kin register");
	if (!c->json) {
		printf("%s\n", _("Kin filing register (备案名册)"));
		cli_table_head(register_cols, CLI_NCOLS(register_cols));
	}
	if (kin_filing_list(c->st, register_row, &o, &c->e) != 0) {
		json_decref(o.a);
		return cli_fail(c);
	}
	return c->json ? cli_print_json(o.a) : 0;
}

static int
involve_row(const struct dossier *d, const struct member *m, int relation, bool removed, void *baton)
{
	struct match_out *o = baton;

	if (o->a) {
		json_array_append_new(o->a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "dossier", d->no,
		    "status", status_terms[d->status].en, "member_id", m->id, "member_name", m->name,
		    "relation", kin_relation_term(relation)->en, "removed", removed));
		return 0;
	}
	char idm[ID_LEN + 1];
	const char *cells[] = {
		d->no, status_terms[d->status].zh, m->name, cli_id(m->id, idm), kin_relation_term(relation)->zh,
		removed ? _("removed") : "",
	};
	cli_table_row(involve_cols, CLI_NCOLS(involve_cols), cells);
	return 0;
}

static int
staff_dossiers_exec(struct cli *c, int argc, char **argv)
{
	struct match_out o = {c, c->json ? json_array() : NULL, false};
	char id[ID_LEN + 1];

	if (argc != 1)
		return cli_usage("kin staff-dossiers STAFF_ID");
	if (parse_id(c, _("staff"), argv[0], id) != 0) {
		json_decref(o.a);
		return cli_fail(c);
	}
	if (!c->json) {
		cli_table_head(involve_cols, CLI_NCOLS(involve_cols));
	}
	if (kin_staff_dossiers(c->st, id, involve_row, &o, &c->e) != 0) {
		json_decref(o.a);
		return cli_fail(c);
	}
	return c->json ? cli_print_json(o.a) : 0;
}

const struct cmd_entry cmds_kin[] = {
	{"kin", "staff", STAFF_USAGE,
	    N_("the registry of related staff (关联人员): add, list, show, edit, end (a recorded end)"), NEEDS_STORE, staff_exec},
	{"kin", "relative", RELATIVE_USAGE,
	    N_("a staff member's declared close relatives (近亲属); removal is a recorded end"), NEEDS_STORE, relative_exec},
	{"kin", "matches", "kin matches [DOSSIER]",
	    N_("kin matches of a dossier; with none, re-scan the whole registry and list every match"), NEEDS_USER, matches_exec},
	{"kin", "unfiled", "kin unfiled", N_("kin matches without a completed filing"), NEEDS_STORE, unfiled_exec},
	{"kin", "file", "kin file DOSSIER MEMBER_ID [--note TEXT]",
	    N_("record a filing (备案) of a member's kin matches, pending confirmation"), NEEDS_USER, file_exec},
	{"kin", "confirm", "kin confirm FILING_NO",
	    N_("confirm another person's filing (reviewer or approver): filed"), NEEDS_USER, confirm_exec},
	{"kin", "register", "kin register", N_("the filing register (备案名册)"), NEEDS_STORE, register_exec},
	{"kin", "staff-dossiers", "kin staff-dossiers STAFF_ID",
	    N_("dossiers involving a staff member or their declared relatives"), NEEDS_STORE, staff_dossiers_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
