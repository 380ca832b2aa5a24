/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-row.c — the roster import (roster-in.c), one row: its cells
 * checked with the same core checks as typed input, and then packed (empty
 * texts taking a byte) into the import's scratch file, an enciphered
 * temporary file (store/scratch.c), for the whole-file checks and the
 * writing, its keys (ID numbers, line, relation; struct rkey, rid) into
 * the sorts across rows (store/spill.c).  Nothing of a row stays in
 * memory (issue 16 point 9: a valid 101,106-row roster peaked at 132 MB
 * with a record of about 1 KB a row; issue 17: at 54 MB, and 80 MB at
 * 252,372 rows, with ~180 bytes a row kept in memory).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/sheet.h"
#include "import/xlsx.h"
#include "import/roster-int.h"
#include "store/err.h"
#include "store/scratch.h"
#include "store/village.h"
#include "core/base.h"
#include "core/card.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "core/text.h"
#include "core/array.h"

/* Words ledgers use besides the SPEC's terms */
static const struct { const char *word; int rel; } rel_synonyms[] = {
	{"户主", REL_SELF}, {"妻", REL_SPOUSE}, {"妻子", REL_SPOUSE}, {"夫", REL_SPOUSE},
	{"丈夫", REL_SPOUSE}, {"儿子", REL_SON}, {"长子", REL_SON}, {"次子", REL_SON},
	{"女儿", REL_DAUGHTER}, {"长女", REL_DAUGHTER}, {"次女", REL_DAUGHTER},
	{"父亲", REL_PARENT}, {"母亲", REL_PARENT}, {"父", REL_PARENT}, {"母", REL_PARENT},
	{"兄", REL_SIBLING}, {"弟", REL_SIBLING}, {"姐", REL_SIBLING}, {"妹", REL_SIBLING},
	{"孙子", REL_GRANDCHILD}, {"孙女", REL_GRANDCHILD}, {"祖父", REL_GRANDPARENT},
	{"祖母", REL_GRANDPARENT}, {"儿媳", REL_OTHER}, {"女婿", REL_OTHER},
};
static const struct { const char *word; int st; } status_synonyms[] = {
	{"正常", ST_APPROVED}, {"在册", ST_APPROVED}, {"保障中", ST_APPROVED}, {"已批准", ST_APPROVED},
	{"停保", ST_EXITED}, {"已退出", ST_EXITED}, {"注销", ST_EXITED},
};

/* ---- one row ------------------------------------------------------------ */

static const char *
cell(const struct ctx *c, const struct sheet_row *r, int col)
{
	static char buf[CSV_MAX_CELL + 1];
	const char *s = c->colidx[col] >= 0 ? sheet_cell(r, c->colidx[col]) : "";
	/* trim spaces around: Excel cells often carry them */
	while (*s == ' ' || *s == '\t')
		s++;
	snprintf(buf, sizeof buf, "%s", s);
	for (size_t n = strlen(buf); n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r' ||
	    buf[n - 1] == '\n'); n--)
		buf[n - 1] = '\0';
	return buf;
}

static int
village_index(struct ctx *c, const char *typed, int line)
{
	struct village v;
	struct err e2;

	for (int i = 0; i < c->nvc; i++)
		if (strcmp(c->vc[i].typed, typed) == 0)
			return i;
	struct vcache *n = array_grow(c->vc, &c->capvc, (size_t)c->nvc + 1, sizeof *n);
	if (n == NULL)
		return -2;
	c->vc = n;
	struct vcache *vc = &c->vc[c->nvc];
	memset(vc, 0, sizeof *vc);
	snprintf(vc->typed, sizeof vc->typed, "%s", typed);
	vc->first_line = line;
	err_clear(&e2);
	if (village_resolve(c->st, NULL, typed, &v, &e2) == 0) {
		vc->v = v;
	} else if (e2.code == E_REFUSED) {
		vc->is_new = true;
		snprintf(vc->v.name, sizeof vc->v.name, "%s", typed);
	} else {
		*c->e = e2;
		return -2;
	}
	return c->nvc++;
}

static char *
dup_or_null(const char *s)
{
	return *s ? strdup(s) : NULL;
}

static bool
parse_yes(const char *s, bool *out)
{
	static const char *const yes[] = {"是", "Y", "y", "1", "TRUE", "√", "有", NULL};
	static const char *const no[] = {"否", "N", "n", "0", "FALSE", "", "无", NULL};
	for (int i = 0; yes[i]; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, true;
	for (int i = 0; no[i]; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, true;
	return false;
}

static int
parse_grade(const char *s)
{
	static const char *const cn[] = {"一级", "二级", "三级", "四级"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, cn[i]) == 0)
			return i + 1;
	if (s[0] >= '1' && s[0] <= '4' && (s[1] == '\0' || strcmp(s + 1, "级") == 0))
		return s[0] - '0';
	return -1;
}

/* The household's columns, read from the head's (本人) row only */
static int
row_household(struct ctx *c, const struct sheet_row *r, struct prow *p)
{
	const char *why, *s;
	int k;

	s = cell(c, r, C_VILLAGE);
	if (*s == '\0') {
		problem(c, p->line, C_VILLAGE, "%s", _("must not be empty"));
	} else if (text_check(s, TEXT_SHORT - 1, &why) != 0 || strchr(s, ',')) {
		problem(c, p->line, C_VILLAGE, "%s", _("the name must not be empty or contain a comma"));
	} else if ((p->village = village_index(c, s, p->line)) == -2) {
		return -1;
	}
	s = cell(c, r, C_GROUP);
	if (text_set(p->group, sizeof p->group, s, &why) != 0 || strchr(s, ','))
		problem(c, p->line, C_GROUP, "%s", _("the name must not be empty or contain a comma"));
	s = cell(c, r, C_AREA);
	if ((k = term_find(area_terms, AREA__N, s)) <= 0) {
		if (strcmp(s, "城镇") == 0)
			k = AREA_URBAN;
		else if (strcmp(s, "乡村") == 0)
			k = AREA_RURAL;
		else
			problem(c, p->line, C_AREA, _("%s: must be 城市 or 农村"), *s ? s : _("(empty)"));
	}
	if (k > 0)
		p->area = (enum area)k;
	s = cell(c, r, C_STATUS);
	if (*s) {
		if ((k = term_find(status_terms, ST__N, s)) < 0)
			for (size_t i = 0; i < sizeof status_synonyms / sizeof status_synonyms[0]; i++)
				if (strcmp(s, status_synonyms[i].word) == 0)
					k = status_synonyms[i].st;
		if (k < 0)
			problem(c, p->line, C_STATUS, _("%s is not a status (在保、退出…)"), s);
		else
			p->status = (enum status)k;
	}
	s = cell(c, r, C_AMOUNT);
	if (*s) {
		if (money_parse(s, &p->amount, &why) != 0)
			problem(c, p->line, C_AMOUNT, "%s (%s)", _(why), s);
		else if (p->amount < 0)
			problem(c, p->line, C_AMOUNT, "%s", _("must not be negative"));
		else
			p->has_amount = true;
	} else if (p->status == ST_APPROVED) {
		problem(c, p->line, C_AMOUNT, "%s", _("an enrolled household needs its monthly amount"));
	}
	s = cell(c, r, C_SUPPORT);
	if (*s) {
		if ((k = term_find(support_terms, SUPPORT__N, s)) < 0)
			problem(c, p->line, C_SUPPORT, _("%s: must be 整户保 or 单人保"), s);
		else
			p->support = (enum support)k;
	}
	s = cell(c, r, C_POOR);
	if (!parse_yes(s, &p->poor))
		problem(c, p->line, C_POOR, _("%s: must be 是 or 否"), s);
	s = cell(c, r, C_DATE);
	if (*s) {
		dbdate_t d = excel_serial_date(s);
		if (d == 0 && date_parse(s, &d, &why) != 0)
			problem(c, p->line, C_DATE, "%s (%s)", _(why), s);
		else if (d > c->today)
			problem(c, p->line, C_DATE, "%s", _("must not be in the future"));
		else
			p->date = d;
	}
	struct { enum col col; char **out; size_t max; } txt[] = {
		{C_PHONE, &p->phone, TEXT_SHORT}, {C_ADDRESS, &p->address, TEXT_MEDIUM},
		{C_BANK, &p->bank, TEXT_SHORT}, {C_ACCOUNT, &p->account, TEXT_SHORT},
	};
	for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++) {
		s = cell(c, r, txt[i].col);
		if (text_check(s, txt[i].max - 1, &why) != 0)
			problem(c, p->line, (int)txt[i].col, "%s", _(why));
		else if ((*txt[i].out = dup_or_null(s)) == NULL && *s)
			return err_set(c->e, E_STORAGE, _("out of memory"));
	}
	/* the subsidy card (issue 13): digits only; the holder a valid ID */
	char acct[ACCOUNT_MAX + 1];
	if (p->account && account_normalize(p->account, acct, &why) != 0)
		problem(c, p->line, C_ACCOUNT, "%s", _(why));
	else if (p->account)
		strcpy(p->account, acct);
	s = cell(c, r, C_HOLDER);
	if (*s) {
		struct id_info hi;
		if (id_check(s, c->today, &hi, &why) != 0)
			problem(c, p->line, C_HOLDER, "%s (%s)", _(why), s);
		else if (!p->account)
			problem(c, p->line, C_HOLDER, "%s", _("holder: record the bank and the account first"));
		else
			strcpy(p->holder, hi.id);
	}
	return 0;
}

/* The member's own columns */
static void
row_member(struct ctx *c, const struct sheet_row *r, struct prow *p)
{
	const char *s;
	int k;

	s = cell(c, r, C_DIS_KIND);
	if (*s) {
		if ((k = term_find(disability_terms, DIS__N, s)) < 0)
			problem(c, p->line, C_DIS_KIND, _("%s is not a kind of disability (视力、听力、言语、肢体、智力、精神、多重)"), s);
		else
			p->m.disability = (enum disability)k;
	}
	s = cell(c, r, C_DIS_GRADE);
	if (*s) {
		if ((k = parse_grade(s)) < 0)
			problem(c, p->line, C_DIS_GRADE, _("%s: the grade must be 1 to 4"), s);
		else
			p->m.disability_grade = k;
	}
	s = cell(c, r, C_GUARANTEED);
	bool yes = true;
	if (*s && !parse_yes(s, &yes))
		problem(c, p->line, C_GUARANTEED, _("%s: must be 是 or 否"), s);
	else if (!yes)
		p->m.flags |= MF_NOT_GUARANTEED;
	s = cell(c, r, C_HEALTH);
	if (*s) {
		if ((k = term_find(health_terms, HEALTH__N, s)) < 0)
			problem(c, p->line, C_HEALTH, _("%s: must be 健康, 慢性病 or 重病"), s);
		else
			p->m.health = (enum health)k;
	}
}

/* The person's income by kind (i12): excluded kinds are recorded, and the
 * calculation leaves them out (SPEC 3) */
/* One income column's amount on the row (i12): kept when above 0; one
 * not a valid amount, or negative, is named in the report */
static int
row_income(struct ctx *c, const struct sheet_row *r, struct prow *p, int col, int kind, int local)
{
	const char *why, *s;
	fen_t a;

	if (c->colidx[col] < 0 || *(s = cell(c, r, col)) == '\0')
		return 0;
	if (money_parse(s, &a, &why) != 0) {
		problem(c, p->line, col, "%s (%s)", _(why), s);
		return 0;
	}
	if (a < 0) {
		problem(c, p->line, col, "%s", _("must not be negative"));
		return 0;
	}
	if (a == 0)
		return 0;
	if (p->inc == NULL && (p->inc = calloc(INC__N + N_LOCAL, sizeof *p->inc)) == NULL)
		return err_set(c->e, E_STORAGE, _("out of memory"));
	p->inc[p->n_inc].kind = kind;
	p->inc[p->n_inc].local = local;
	p->inc[p->n_inc++].amount = a;
	return 0;
}

static int
row_incomes(struct ctx *c, const struct sheet_row *r, struct prow *p)
{
	for (int kind = 0; kind < INC__N; kind++)
		if (row_income(c, r, p, C_INC + kind, kind, 0) != 0)
			return -1;
	for (int l = 0; l < N_LOCAL; l++)     /* the township's own (j12) */
		if (row_income(c, r, p, C_LOC + l, INC_EX_LOCAL, l) != 0)
			return -1;
	return 0;
}

int
row_check(struct ctx *c, const struct sheet_row *r, struct prow *p)
{
	const char *why, *s;
	struct id_info info;
	int before = c->res->problems, k;

	memset(p, 0, sizeof *p);
	p->line = r->line;
	p->village = -1;
	p->status = ST_APPROVED;       /* no 状态 column: enrolled households */

	s = cell(c, r, C_NAME);
	if (*s == '\0')
		problem(c, p->line, C_NAME, "%s", _("must not be empty"));
	else if (text_set(p->m.name, sizeof p->m.name, s, &why) != 0)
		problem(c, p->line, C_NAME, "%s", _(why));
	s = cell(c, r, C_ID);
	if (id_check(s, c->today, &info, &why) != 0) {
		problem(c, p->line, C_ID, "%s (%s)", _(why), s);
	} else {
		strcpy(p->m.id, info.id);
		p->m.birth = info.birth;
		p->m.sex = info.sex;
	}
	s = cell(c, r, C_REL);
	if ((k = term_find(relation_terms, REL__N, s)) < 0)
		for (size_t i = 0; i < sizeof rel_synonyms / sizeof rel_synonyms[0]; i++)
			if (strcmp(s, rel_synonyms[i].word) == 0)
				k = rel_synonyms[i].rel;
	if (k < 0)
		p->m.relation = REL_OTHER;  /* not counted as a head below */
	if (k < 0)
		problem(c, p->line, C_REL, _("%s is not a relation (本人、配偶、子、女、父母、兄弟姐妹、祖父母、孙子女、其他)"),
		    *s ? s : _("(empty)"));
	else
		p->m.relation = (enum relation)k;
	s = cell(c, r, C_HEAD_ID);
	if (*s == '\0' && k == REL_SELF) {
		snprintf(p->head_id, sizeof p->head_id, "%s", p->m.id);
	} else if (id_check(s, c->today, &info, &why) != 0) {
		problem(c, p->line, C_HEAD_ID, "%s (%s)", _(why), *s ? s : _("(empty)"));
	} else {
		strcpy(p->head_id, info.id);
		if (k == REL_SELF && p->m.id[0] && strcmp(p->head_id, p->m.id) != 0)
			problem(c, p->line, C_HEAD_ID, "%s", _("the row of the head (本人) must give the head's own ID number"));
	}
	/* household columns: only the head's row must carry them */
	if (k == REL_SELF && row_household(c, r, p) != 0)
		return -1;
	row_member(c, r, p);
	if (row_incomes(c, r, p) != 0)
		return -1;
	if (c->res->problems == before && member_validate(&p->m, c->today, &why) != 0)
		problem(c, p->line, c->colidx[C_DIS_GRADE] >= 0 ? C_DIS_GRADE : C_ID, "%s", _(why));
	p->ok = c->res->problems == before;
	return 0;
}

/* ---- the row kept compact ------------------------------------------------ */

/* A row's fixed fields, copied whole (memcpy), then its texts and incomes */
struct rfix {
	int line;
	char id[ID_LEN + 1], head_id[ID_LEN + 1];
	unsigned char relation, n_inc;
	int village;
	bool ok, has_amount, poor;
	char sex;
	int health, disability, disability_grade, labour;
	unsigned flags;
	dbdate_t birth, death, date;
	int area, status, support;
	fen_t amount;
};

/* The texts of a row in the order they are packed (NUL-terminated each) */
#define ROW_TEXTS 11
static void
row_texts(struct prow *p, char *t[ROW_TEXTS])
{
	char *v[ROW_TEXTS] = {p->m.name, p->group, p->holder, p->phone, p->address, p->bank, p->account,
	    p->m.illness, p->m.occupation, p->m.death_cert, p->m.death_cause};
	memcpy(t, v, sizeof v);
}

void
row_free(struct prow *p)
{
	free(p->inc);
	free(p->phone);
	free(p->address);
	free(p->bank);
	free(p->account);
	p->inc = NULL;
	p->phone = p->address = p->bank = p->account = NULL;
}

/* A head's group into the groups its village is given when new, in the
 * file's order, each once; too many to list leaves "" (any group) */
static void
village_group(struct ctx *c, const struct prow *p)
{
	if (p->m.relation != REL_SELF || p->village < 0 || !p->group[0])
		return;
	struct vcache *vc = &c->vc[p->village];
	char *out = vc->groups;
	size_t len = strlen(out), g = strlen(p->group);
	if (vc->groups_full)
		return;
	for (const char *q = out; *q;) {
		size_t k = strcspn(q, ",");
		if (k == g && strncmp(q, p->group, g) == 0)
			return;
		q += k;
		if (*q == ',')
			q++;
	}
	if (len + g + 2 > sizeof vc->groups) {
		out[0] = '\0';
		vc->groups_full = true;
		return;
	}
	snprintf(out + len, sizeof vc->groups - len, "%s%s", len ? "," : "", p->group);
}

/* The row's keys into the sorts across rows (roster-households.c): the
 * same person twice, the households; rows without the number take no part */
static int
row_sort_keys(struct ctx *c, const struct prow *p, off_t at, size_t len)
{
	if (p->m.id[0]) {
		struct rid d;
		memset(&d, 0, sizeof d);
		memcpy(d.id, p->m.id, sizeof d.id);
		d.line = p->line;
		if (spill_add(&c->by_id, &d, c->e) != 0)
			return -1;
	}
	if (!p->head_id[0])
		return 0;
	struct rkey k;
	memset(&k, 0, sizeof k);
	memcpy(k.head_id, p->head_id, sizeof k.head_id);
	memcpy(k.id, p->m.id, sizeof k.id);
	k.relation = (unsigned char)p->m.relation;
	k.n_inc = (unsigned char)p->n_inc;
	k.line = p->line;
	k.len = (uint32_t)len;
	k.off = (int64_t)at;
	return spill_add(&c->by_head, &k, c->e);
}

int
row_keep(struct ctx *c, struct prow *p)
{
	char *t[ROW_TEXTS];
	unsigned char buf[ROW_MAX];
	size_t need = sizeof(struct rfix) + (size_t)p->n_inc * sizeof(struct rinc);
	off_t at;
	int r = -1;

	row_texts(p, t);
	for (int i = 0; i < ROW_TEXTS; i++)
		need += (t[i] ? strlen(t[i]) : 0) + 1;
	if (need > sizeof buf) {   /* each text was checked against its field's size */
		err_set(c->e, E_STORAGE, "%s", _("out of memory"));
		goto out;
	}
	unsigned char *o = buf;
	struct rfix f = {
		.line = p->line, .relation = (unsigned char)p->m.relation, .n_inc = (unsigned char)p->n_inc,
		.village = p->village, .ok = p->ok, .has_amount = p->has_amount, .poor = p->poor, .sex = p->m.sex,
		.health = p->m.health, .disability = p->m.disability, .disability_grade = p->m.disability_grade,
		.labour = p->m.labour, .flags = p->m.flags, .birth = p->m.birth, .death = p->m.death, .date = p->date,
		.area = p->area, .status = p->status, .support = p->support, .amount = p->amount,
	};
	memcpy(f.id, p->m.id, sizeof f.id);
	memcpy(f.head_id, p->head_id, sizeof f.head_id);
	memcpy(o, &f, sizeof f);
	o += sizeof f;
	for (int i = 0; i < ROW_TEXTS; i++) {
		size_t n = t[i] ? strlen(t[i]) + 1 : 1;
		memcpy(o, t[i] ? t[i] : "", n);
		o += n;
	}
	if (p->n_inc > 0)
		memcpy(o, p->inc, (size_t)p->n_inc * sizeof *p->inc);
	if (scratch_write(c->sc, buf, need, &at) != 0) {
		err_set(c->e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
		goto out;
	}
	if (row_sort_keys(c, p, at, need) != 0)
		goto out;
	village_group(c, p);
	c->n++;
	r = 0;
out:
	row_free(p);
	return r;
}

/* a packed text back into a fixed field, or as a pointer (NULL if empty) */
static const unsigned char *
text_back(const unsigned char *q, char *field, size_t size, char **ptr)
{
	size_t n = strlen((const char *)q);
	if (field != NULL)
		snprintf(field, size, "%s", (const char *)q);
	else
		*ptr = n ? (char *)q : NULL;
	return q + n + 1;
}

int
row_load(const struct ctx *c, int64_t off, uint32_t len, struct prow *p, struct rinc *inc, unsigned char *buf)
{
	const unsigned char *q = buf;
	struct rfix f;

	if (len > ROW_MAX || len < sizeof f || scratch_read(c->sc, (off_t)off, buf, len) != 0)
		return err_set(c->e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
	memset(p, 0, sizeof *p);
	memcpy(&f, q, sizeof f);
	q += sizeof f;
	p->line = f.line;
	memcpy(p->m.id, f.id, sizeof p->m.id);
	memcpy(p->head_id, f.head_id, sizeof p->head_id);
	p->m.relation = (enum relation)f.relation;
	p->n_inc = f.n_inc;
	p->village = f.village;
	p->ok = f.ok;
	p->has_amount = f.has_amount;
	p->poor = f.poor;
	p->m.sex = f.sex;
	p->m.health = (enum health)f.health;
	p->m.disability = (enum disability)f.disability;
	p->m.disability_grade = f.disability_grade;
	p->m.labour = (enum labour)f.labour;
	p->m.flags = f.flags;
	p->m.birth = f.birth;
	p->m.death = f.death;
	p->date = f.date;
	p->area = (enum area)f.area;
	p->status = (enum status)f.status;
	p->support = (enum support)f.support;
	p->amount = f.amount;
	q = text_back(q, p->m.name, sizeof p->m.name, NULL);
	q = text_back(q, p->group, sizeof p->group, NULL);
	q = text_back(q, p->holder, sizeof p->holder, NULL);
	q = text_back(q, NULL, 0, &p->phone);
	q = text_back(q, NULL, 0, &p->address);
	q = text_back(q, NULL, 0, &p->bank);
	q = text_back(q, NULL, 0, &p->account);
	q = text_back(q, p->m.illness, sizeof p->m.illness, NULL);
	q = text_back(q, p->m.occupation, sizeof p->m.occupation, NULL);
	q = text_back(q, p->m.death_cert, sizeof p->m.death_cert, NULL);
	q = text_back(q, p->m.death_cause, sizeof p->m.death_cause, NULL);
	if (p->n_inc > 0) {
		memcpy(inc, q, (size_t)p->n_inc * sizeof *inc);
		p->inc = inc;
	}
	return 0;
}
