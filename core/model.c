/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model.c — term tables of the enumerations (Chinese term as in SPEC.md,
 * English alias for scripts) and small facts about dossiers and members.
 */
#include "core/text.h"
#include "core/roles.h"
#include "core/dossier-model.h"
#include "core/kin-model.h"
#include "core/base.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct term area_terms[AREA__N] = {
	{"", "none"}, {"城市", "urban"}, {"农村", "rural"},
};
const struct term support_terms[SUPPORT__N] = {
	{"整户保", "household"}, {"单人保", "single"},
};
const struct term poverty_terms[POVERTY__N] = {
	{"收入型", "income"}, {"支出型", "expense"},
};
const struct term status_terms[ST__N] = {
	{"申请", "APPLIED"}, {"受理", "ACCEPTED"}, {"入户调查", "SURVEYED"},
	{"信息核对", "VERIFIED"}, {"民主评议", "EVALUATED"}, {"审核", "REVIEWED"},
	{"公示中", "NOTICED"}, {"在保", "APPROVED"}, {"不予受理/不予批准", "REJECTED"},
	{"退出", "EXITED"},
};
const struct term relation_terms[REL__N] = {
	{"本人", "self"}, {"配偶", "spouse"}, {"子", "son"}, {"女", "daughter"},
	{"父母", "parent"}, {"兄弟姐妹", "sibling"}, {"祖父母", "grandparent"},
	{"孙子女", "grandchild"}, {"其他", "other"},
};
const struct term health_terms[HEALTH__N] = {
	{"健康", "good"}, {"慢性病", "chronic"}, {"重病", "serious"},
};
const struct term disability_terms[DIS__N] = {
	{"无", "none"}, {"视力", "vision"}, {"听力", "hearing"}, {"言语", "speech"},
	{"肢体", "physical"}, {"智力", "intellectual"}, {"精神", "mental"},
	{"多重", "multiple"},
};
const struct term labour_terms[LABOUR__N] = {
	{"有", "full"}, {"部分丧失", "partial"}, {"完全丧失", "none"},
};
const struct term income_terms[INC__N] = {
	{"工资性", "wage"}, {"经营性", "business"}, {"财产性", "property"},
	{"转移性", "transfer"}, {"养老金", "pension"}, {"其他", "other"},
	/* i12: recorded, not counted (SPEC 3) */
	{"优抚对象抚恤补助", "special-care"}, {"计划生育奖励扶助金", "family-planning"},
	{"奖学金和助学金", "scholarship"}, {"见义勇为奖金", "bravery"},
	{"残疾人两项补贴", "disability-allowance"}, {"高龄津贴", "elderly-allowance"},
	{"独生子女费", "one-child"}, {"低保金", "dibao"},
	/* j12: the township extends the list (setting income.excluded.local) */
	{"乡镇规定不计入收入", "local-excluded"},
};

bool
income_excluded(int kind)
{
	return kind >= INC_EX_SPECIAL_CARE && kind < INC__N;
}

const char *
income_name(const struct income_item *it)
{
	if (it->kind == INC_EX_LOCAL && it->name[0] != '\0')
		return it->name;
	return income_terms[it->kind].zh;
}
const struct term expense_terms[EXP__N] = {
	{"医疗", "medical"}, {"教育", "education"}, {"护理", "care"}, {"其他", "other"},
};
const struct term agency_terms[AG__N] = {
	{"房产", "housing"}, {"公积金", "fund"}, {"社保", "social"}, {"车辆", "vehicle"},
	{"工商", "business"}, {"税务", "tax"}, {"婚姻", "marriage"}, {"殡葬", "funeral"},
	{"银行", "bank"},
};
const struct term exit_terms[EXIT__N] = {
	{"", "none"}, {"收入超标", "income"}, {"死亡", "death"}, {"迁出", "moved"},
	{"自愿退出", "voluntary"}, {"违规清退", "violation"}, {"其他", "other"},
};
const struct term role_terms[ROLE__N] = {
	{"管理员", "admin"}, {"经办人", "clerk"}, {"审核人", "reviewer"},
	{"审批人", "approver"}, {"监督", "inspector"},
};
const struct term staff_kind_terms[SK__N] = {
	{"村（居）委会干部", "village-cadre"}, {"低保经办人员", "dibao-staff"},
	{"民政部门干部职工", "civil-affairs"}, {"财政供养人员", "funded"}, {"其他", "other"},
};
const struct term kin_relation_terms[KREL__N] = {
	{"配偶", "spouse"}, {"父母", "parent"}, {"子女", "child"}, {"兄弟姐妹", "sibling"},
	{"祖父母", "grandparent"}, {"外祖父母", "maternal-grandparent"}, {"孙子女", "grandchild"},
	{"外孙子女", "maternal-grandchild"}, {"配偶父母", "parent-in-law"}, {"其他", "other"},
};
const struct term filing_status_terms[FS__N] = {
	{"待备案", "pending"}, {"已备案", "filed"}, {"已报县", "reported"},
};

const struct term *
kin_relation_term(int rel)
{
	static const struct term self = {"本人", "self"}, bad = {"?", "?"};
	if (rel == KREL_SELF)
		return &self;
	if (rel < 0 || rel >= KREL__N)
		return &bad;
	return &kin_relation_terms[rel];
}

int
term_find(const struct term *t, int n, const char *s)
{
	if (s == NULL || *s == '\0')
		return -1;
	for (int i = 0; i < n; i++) {
		if (t[i].zh[0] != '\0' && strcmp(t[i].zh, s) == 0)
			return i;
		if (strcasecmp(t[i].en, s) == 0)
			return i;
	}
	return -1;
}

void
dossier_init(struct dossier *d)
{
	memset(d, 0, sizeof *d);
	d->area = AREA_NONE;
	d->status = ST_APPLIED;
	d->head = 0;
}

bool
status_active(enum status s)
{
	return s != ST_REJECTED && s != ST_EXITED;
}

const struct member *
dossier_member_c(const struct dossier *d, const char *id)
{
	for (int i = 0; i < d->n_members; i++)
		if (strcmp(d->members[i].id, id) == 0)
			return &d->members[i];
	return NULL;
}

struct member *
dossier_member(struct dossier *d, const char *id)
{
	return (struct member *)dossier_member_c(d, id);
}

const struct info_check *
dossier_check(const struct dossier *d, enum check_agency a)
{
	for (int i = 0; i < d->n_checks; i++)
		if (d->checks[i].agency == a)
			return &d->checks[i];
	return NULL;
}

int
dossier_living(const struct dossier *d, dbdate_t on)
{
	int n = 0;
	for (int i = 0; i < d->n_members; i++)
		if (d->members[i].death == 0 || d->members[i].death > on)
			n++;
	return n;
}

bool
member_severely_disabled(const struct member *m)
{
	if (m->disability == DIS_NONE)
		return false;
	if (m->disability_grade == 1 || m->disability_grade == 2)
		return true;
	return m->disability_grade == 3 &&
	    (m->disability == DIS_INTELLECTUAL || m->disability == DIS_MENTAL);
}

int
member_validate(const struct member *m, dbdate_t today, const char **why)
{
	struct id_info info;

	if (text_check(m->name, NAME_MAX_BYTES - 1, why) != 0 || m->name[0] == '\0') {
		if (m->name[0] == '\0')
			*why = N_("name: must not be empty");
		return -1;
	}
	if (id_check(m->id, today, &info, why) != 0)
		return -1;
	if (m->disability != DIS_NONE && (m->disability_grade < 1 || m->disability_grade > 4)) {
		*why = N_("disability: the grade must be 1 to 4");
		return -1;
	}
	if (m->disability == DIS_NONE && m->disability_grade != 0) {
		*why = N_("disability: a grade needs a kind of disability");
		return -1;
	}
	if (m->death != 0 && (m->death < info.birth || m->death > today)) {
		*why = N_("death date: must lie between the birth date and today");
		return -1;
	}
	return 0;
}

int
dossier_no_format(char buf[DOSSIER_NO_LEN + 1], const char *township_code, int year, uint32_t seq)
{
	if (!township_code_valid(township_code) || year < 1000 || year > 9999 || seq < 1 || seq > 99999)
		return -1;
	snprintf(buf, DOSSIER_NO_LEN + 1, "%s-%04d-%05u", township_code, year, (unsigned)seq);
	return 0;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
township_code_valid(const char *code)
{
	return code != NULL && strlen(code) == TOWNSHIP_CODE_LEN && all_digits(code, TOWNSHIP_CODE_LEN);
}

bool
dossier_no_valid(const char *no)
{
	return no != NULL && strlen(no) == DOSSIER_NO_LEN && all_digits(no, 9) && no[9] == '-' &&
	    all_digits(no + 10, 4) && no[14] == '-' && all_digits(no + 15, 5);
}

int
dossier_no_parse(const char *no, int *year, uint32_t *seq)
{
	if (!dossier_no_valid(no))
		return -1;
	*year = atoi(no + 10);
	*seq = (uint32_t)strtoul(no + 15, NULL, 10);
	/* what dossier_no_format makes, and nothing else */
	return *year >= 1000 && *seq >= 1 ? 0 : -1;
}
