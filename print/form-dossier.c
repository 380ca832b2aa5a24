/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * form-dossier.c — the forms of one dossier (SPEC section 8): application,
 * authorisation, survey, evaluation, review/approval, kin filing, refusal
 * and exit notices (the archive cover and the separator sheets are in
 * form-cover.c).
 *
 * Privacy (SPEC 9): the health of an HIV or confidential member is never
 * printed; ID numbers are whole only on the forms that go into the
 * applicant's own file (application, authorisation, survey, approval), and
 * the bank account only on the approval form.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/base.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/money.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/calc.h"
#include "store/case.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"
#define BODY FORM_BODY_SIZE

const struct member *
form_head(const struct dossier *d)
{
	return &d->members[d->head >= 0 && d->head < d->n_members ? d->head : 0];
}

static bool
hidden_health(const struct member *m)
{
	return (m->flags & (MF_HIV | MF_CONFIDENTIAL)) != 0;
}

/* 健康 / 残疾 as the paper shows it: nothing for a confidential member. */
static void
health_text(const struct member *m, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	if (hidden_health(m))
		return;
	if (m->health != HEALTH_GOOD || m->illness[0])
		o += (size_t)snprintf(buf + o, size - o, "%s%s%s", health_terms[m->health].zh,
		    m->illness[0] ? " " : "", m->illness);
	if (o < size && m->disability != DIS_NONE)
		snprintf(buf + o, size - o, "%s%s残疾%d级", o ? "，" : "", disability_terms[m->disability].zh,
		    m->disability_grade);
	if (buf[0] == '\0')
		snprintf(buf, size, "健康");
}

static void
money_yuan(fen_t f, char buf[40])
{
	char m[32];
	money_format(f, m);
	snprintf(buf, 40, "%s元", m);
}

int
form_living(const struct dossier *d)
{
	return dossier_living(d, store_today());
}

static fen_t
income_sum(const struct dossier *d)
{
	fen_t s = 0;
	for (int i = 0; i < d->n_incomes; i++)
		if (!income_excluded(d->incomes[i].kind))   /* i12: counted income only */
			s += d->incomes[i].amount;
	return s;
}

/* The household as a table; full marks whether ID numbers are whole. */
static int
members_table(struct print_doc *doc, const struct dossier *d, bool full, bool with_labour)
{
	const struct print_table t = {
		.ncols = 6, .width_mm = {10, 20, 22, 44, 36, 24},
		.header = {"序号", "姓名", "与户主关系", "身份证号码", "健康/残疾状况", with_labour ? "劳动能力" : "备注"},
		.size = 10.0f, .pad_mm = 1.0f,
	};
	char no[16], id[ID_LEN + 1], health[160];
	const char *cells[6];
	int k = 0;

	if (print_table_header(doc, &t) != 0)
		return -1;
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		snprintf(no, sizeof no, "%d", ++k);
		if (full)
			snprintf(id, sizeof id, "%s", m->id);
		else
			id_mask(m->id, id);
		health_text(m, health, sizeof health);
		cells[0] = no;
		cells[1] = m->name;
		cells[2] = relation_terms[m->relation].zh;
		cells[3] = id;
		cells[4] = health;
		cells[5] = m->death ? "已故" : with_labour ? labour_terms[m->labour].zh :
		    (m->flags & MF_NOT_GUARANTEED) ? "不纳入保障" : "";
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	return 0;
}

/* The approval form's grid: the form_kv columns, a smaller face and less
 * padding, so the longest real household fits its one page (issue 15). */
static const struct print_table kv_tight = {
	/* a 20-character address on one line */
	.ncols = 4, .width_mm = {21, 66, 21, 48}, .header = {NULL}, .size = 9.0f, .pad_mm = 0.3f,
};

static int
kv_rows(struct print_doc *doc, const struct print_table *t, const char *const *cells, int n)
{
	if (t == NULL)
		return form_kv(doc, cells, n);
	for (int i = 0; i + 4 <= n; i += 4)
		if (print_table_row(doc, t, cells + i) != 0)
			return -1;
	return 0;
}

static int
head_kv_in(struct print_doc *doc, struct form_ctx *c, bool full, const struct print_table *grid)
{
	const struct dossier *d = c->d;
	const struct member *h = form_head(d);
	char id[ID_LEN + 1], birth[32], where[TEXT_MEDIUM], n[16];

	if (full)
		snprintf(id, sizeof id, "%s", h->id);
	else
		id_mask(h->id, id);
	form_date(h->birth, birth);
	snprintf(where, sizeof where, "%s%s%s", d->village, d->group[0] ? " " : "", d->group);
	snprintf(n, sizeof n, "%d 人", form_living(d));
	const char *cells[] = {
		"户主姓名", h->name, "身份证号码", id,
		"性别", h->sex == 'F' ? "女" : "男", "出生日期", birth,
		"村（社区）", where, "家庭人口", n,
		"家庭住址", d->address[0] ? d->address : "", "联系电话", d->phone,
		"城乡类别", area_terms[d->area].zh, "保障方式",
		d->support == SUPPORT_SINGLE ? "单人保" : "整户保",
		/* a re-application shows the household's earlier dossier (i12) */
		"原档案编号", d->previous, "", "",
	};
	int nc = (int)(sizeof cells / sizeof cells[0]);
	if (grid != NULL) {
		/* the tight grid (the approval form) leaves out 性别 and 出生日期:
		 * the whole ID number beside them says both (GB 11643) */
		if (kv_rows(doc, grid, cells, 4) != 0)
			return -1;
		return kv_rows(doc, grid, cells + 8, d->previous[0] ? nc - 8 : nc - 12);
	}
	return kv_rows(doc, grid, cells, d->previous[0] ? nc : nc - 4);
}

static int
head_kv(struct print_doc *doc, struct form_ctx *c, bool full)
{
	return head_kv_in(doc, c, full, NULL);
}

/* ---- 申请书 ------------------------------------------------------------ */

int
form_application(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	char text[1024], inc[40], ds[32];

	if (form_begin(doc, c, c->def->title) != 0 || head_kv(doc, c, true) != 0 ||
	    form_heading(doc, "家庭成员情况") != 0 || members_table(doc, d, true, true) != 0)
		return -1;
	money_yuan(income_sum(d), inc);
	form_date(d->applied, ds);
	snprintf(text, sizeof text,
	    "本人%s，户籍所在地%s%s，家庭共同生活成员%d人，家庭月收入合计%s，生活困难。"
	    "根据《社会救助暂行办法》和最低生活保障的有关规定，特申请%s最低生活保障（%s）。"
	    "本人承诺所提供的家庭人口、收入、财产等情况真实、完整，同意接受入户调查和家庭经济状况核对，"
	    "如有虚报、隐瞒，愿承担相应责任。",
	    form_head(d)->name, d->village, d->group, form_living(d), inc, area_terms[d->area].zh,
	    d->poverty == POVERTY_EXPENSE ? "支出型" : "收入型");
	if (form_heading(doc, "申请理由") != 0 || print_paragraph(doc, PRINT_SONG, BODY, 2, text) != 0 ||
	    print_skip(doc, 10) != 0)
		return -1;
	if (form_stamp_line(doc, c, "申请人（签字或手印）", "", d->applied, false) != 0)
		return -1;
	(void)ds;
	return 0;
}

/* ---- 核对授权书 ---------------------------------------------------------- */

int
form_authorisation(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	const struct print_table t = {
		.ncols = 5, .width_mm = {12, 22, 22, 46, 54},
		.header = {"序号", "姓名", "与户主关系", "身份证号码", "本人签字（手印）及日期"},
		.size = 10.5f, .pad_mm = 3.0f,
	};
	char no[16];
	const char *cells[5];
	int k = 0;

	if (form_begin(doc, c, c->def->title) != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2,
	    "本家庭申请最低生活保障。为核实家庭经济状况，本家庭全体成年成员授权民政部门及其委托的"
	    "机构，通过公安、人力资源社会保障、住房城乡建设、自然资源、市场监管、税务、公积金管理、"
	    "金融机构等单位，查询、核对本家庭成员的户籍、车辆、住房、社会保险、工商登记、纳税、"
	    "存款、有价证券、商业保险等信息。核对结果仅用于最低生活保障的审核确认，"
	    "有关单位和人员应当依法为申请人保密。") != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2,
	    "本授权书由家庭全体成年成员签字（按手印）后生效，有效期至本次申请办结及在保期间的复核。") != 0 ||
	    form_heading(doc, "授权人（家庭全体成年成员）") != 0 || print_table_header(doc, &t) != 0)
		return -1;
	for (int i = 0; i < d->n_members; i++) {
		const struct member *m = &d->members[i];
		if (m->death || date_age_on(m->birth, c->today) < 18)
			continue;
		snprintf(no, sizeof no, "%d", ++k);
		cells[0] = no;
		cells[1] = m->name;
		cells[2] = relation_terms[m->relation].zh;
		cells[3] = m->id;
		cells[4] = "";
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	if (print_skip(doc, 8) != 0 || form_stamp_line(doc, c, "经办人", "", 0, false) != 0)
		return -1;
	return 0;
}

/* ---- 入户调查表 -------------------------------------------------------- */

int
form_survey(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	const struct print_table inc = {
		.ncols = 4, .width_mm = {34, 30, 32, 60},
		.header = {"收入类别", "成员", "月收入（元）", "依据"}, .size = 10.0f, .pad_mm = 1.0f,
	};
	const struct print_table exp = {
		.ncols = 3, .width_mm = {40, 40, 76},
		.header = {"刚性支出类别", "月支出（元）", "说明"}, .size = 10.0f, .pad_mm = 1.0f,
	};
	char a[40], v[16], pv[16], h[16], b[16], s1[NAME_MAX_BYTES], s2[NAME_MAX_BYTES];
	const char *cells[4];

	if (form_begin(doc, c, c->def->title) != 0 || head_kv(doc, c, true) != 0 ||
	    form_heading(doc, "一、家庭成员") != 0 || members_table(doc, d, true, true) != 0 ||
	    form_heading(doc, "二、家庭收入") != 0 || print_table_header(doc, &inc) != 0)
		return -1;
	for (int i = 0; i < d->n_incomes; i++) {
		const struct income_item *it = &d->incomes[i];
		const struct member *m = it->member_id[0] ? dossier_member_c(d, it->member_id) : NULL;
		char amt[32];
		money_format(it->amount, amt);
		char kind[80];
		snprintf(kind, sizeof kind, "%s%s", income_name(it), income_excluded(it->kind) ? "（不计入）" : "");
		cells[0] = kind;
		cells[1] = m ? m->name : "全户";
		cells[2] = amt;
		cells[3] = it->evidence;
		if (print_table_row(doc, &inc, cells) != 0)
			return -1;
	}
	money_format(income_sum(d), a);
	cells[0] = "合计";
	cells[1] = "";
	cells[2] = a;
	cells[3] = "";
	if (print_table_row(doc, &inc, cells) != 0)
		return -1;
	if (d->n_expenses > 0) {
		if (form_heading(doc, "三、刚性支出") != 0 || print_table_header(doc, &exp) != 0)
			return -1;
		for (int i = 0; i < d->n_expenses; i++) {
			char amt[32];
			money_format(d->expenses[i].amount, amt);
			cells[0] = expense_terms[d->expenses[i].kind].zh;
			cells[1] = amt;
			cells[2] = d->expenses[i].note;
			if (print_table_row(doc, &exp, cells) != 0)
				return -1;
		}
	}
	money_yuan(d->assets.deposits, a);
	snprintf(v, sizeof v, "%d 辆", d->assets.vehicles);
	snprintf(pv, sizeof pv, "%d 辆", d->assets.production_vehicles);
	snprintf(h, sizeof h, "%d 处", d->assets.houses);
	snprintf(b, sizeof b, "%d 个", d->assets.businesses);
	const char *kv[] = {
		"存款及有价证券", a, "机动车辆", v,
		"其中生产用车", pv, "住房", h,
		"经营主体", b, "", "",
	};
	if (form_heading(doc, d->n_expenses > 0 ? "四、家庭财产" : "三、家庭财产") != 0 ||
	    form_kv(doc, kv, (int)(sizeof kv / sizeof kv[0])) != 0)
		return -1;
	form_user_name(c, d->proc.surveyors[0], s1, sizeof s1);
	form_user_name(c, d->proc.surveyors[1], s2, sizeof s2);
	if (print_skip(doc, 8) != 0 ||
	    form_stamp_line(doc, c, "调查人", s1, d->proc.surveyed, false) != 0 ||
	    form_stamp_line(doc, c, "调查人", s2, d->proc.surveyed, false) != 0 ||
	    print_sign_line(doc, BODY, "申请人（签字或手印）", NULL, NULL) != 0)
		return -1;
	return 0;
}

/* ---- 民主评议记录 ------------------------------------------------------ */

int
form_evaluation(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	const struct print_table t = {
		.ncols = 4, .width_mm = {14, 48, 44, 50},
		.header = {"序号", "参加人员签名", "身份（居民代表等）", "评议意见"}, .size = 10.5f, .pad_mm = 2.5f,
	};
	char ds[32], p[16], r[16], share[32], where[TEXT_MEDIUM];
	const char *cells[4] = {"", "", "", ""};
	char no[16];

	form_date(d->proc.evaluated, ds);
	snprintf(p, sizeof p, "%d 人", d->proc.eval_participants);
	snprintf(r, sizeof r, "%d 人", d->proc.eval_representatives);
	if (d->proc.eval_participants > 0)
		snprintf(share, sizeof share, "%d%%", d->proc.eval_representatives * 100 / d->proc.eval_participants);
	else
		share[0] = '\0';
	snprintf(where, sizeof where, "%s%s", d->village, d->group);
	const char *kv[] = {
		"评议对象", form_head(d)->name, "所在村（组）", where,
		"评议日期", ds, "参加人数", p,
		"居民代表", r, "代表占比", share,
	};
	if (form_begin(doc, c, c->def->title) != 0 || form_kv(doc, kv, (int)(sizeof kv / sizeof kv[0])) != 0 ||
	    form_heading(doc, "评议情况") != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2,
	    "评议会由乡镇（街道）工作人员主持，村（居）民委员会协助，参加人员中居民代表不少于三分之二。"
	    "参加人员对申请人家庭人口、收入、财产及生活状况的真实性发表意见。") != 0 ||
	    print_skip(doc, 4) != 0 || print_table_header(doc, &t) != 0)
		return -1;
	for (int i = 0; i < 6; i++) {
		snprintf(no, sizeof no, "%d", i + 1);
		cells[0] = no;
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	if (form_heading(doc, "评议结论：□ 同意　□ 不同意　□ 需进一步核查") != 0 || print_skip(doc, 6) != 0 ||
	    form_stamp_line(doc, c, "主持人", "", d->proc.evaluated, false) != 0 ||
	    form_stamp_line(doc, c, "记录人", "", d->proc.evaluated, false) != 0)
		return -1;
	return 0;
}

/* ---- 审核审批表 -------------------------------------------------------- */

static int
rules_block(struct print_doc *doc, struct form_ctx *c)
{
	struct case_result *r = malloc(sizeof *r);
	char line[700];
	int rc = -1;

	if (r == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	memset(r, 0, sizeof *r);
	if (case_rules(c->st, NULL, NULL, c->d, ST__N, false, WHEN_ALWAYS, r, c->e) != 0)
		goto out;
	/* all passed: one line */
	if (r->n == 0) {
		rc = print_skip(doc, 3) != 0 ||
		    print_paragraph(doc, PRINT_SONG, 10.5f, 0, "规则核查结果：各项规则（R1至R13）均已通过。") != 0 ? -1 : 0;
		goto out;
	}
	/* the first finding on the heading's line: the form stays one page */
	if (print_skip(doc, 3) != 0)
		goto out;
	for (int i = 0; i < r->n; i++) {
		snprintf(line, sizeof line, "%s%s（%s）%s", i == 0 ? "规则核查结果：" : "", r->r[i].code,
		    r->r[i].blocking ? "否决" : "提示", r->r[i].message);
		if (print_paragraph(doc, PRINT_SONG, 10.5f, i == 0 ? 0 : 7, line) != 0)
			goto out;
	}
	rc = 0;
out:
	free(r);
	return rc;
}

/* The approval form's calculation: before approval (REVIEWED, NOTICED)
 * the proposed one, for the month payment would start; after, the one
 * approved. */
static int
approval_calc(struct form_ctx *c, bool pending, struct calc_record *k)
{
	const struct dossier *d = c->d;

	if (pending) {
		const char *why;
		return case_calc(c->st, NULL, d, month_add(month_of(store_today()), 1), k, &why, c->e) < 0 ? -1 : 0;
	}
	if (d->proc.calc_seq == 0)
		return err_set(c->e, E_REFUSED,
		    _("dossier %s has no approved calculation yet: the approval form is printed after approval"), d->no);
	return calc_get(c->st, NULL, d->no, d->proc.calc_seq, k, c->e);
}

/* the kinds not counted, by name (i12): the dossier's excluded items */
static void
excluded_kinds(const struct dossier *d, char *exk, size_t size)
{
	exk[0] = '\0';
	for (int i = 0; i < d->n_incomes; i++) {
		const char *kt = income_name(&d->incomes[i]);
		size_t len = strlen(exk);
		if (!income_excluded(d->incomes[i].kind) || strstr(exk, kt) != NULL)
			continue;
		if (len + strlen(kt) + 4 >= size)
			break;   /* MAX_INCOMES names of TEXT_SHORT fit: never reached */
		snprintf(exk + len, size - len, "%s%s", len ? "、" : "", kt);
	}
}

/* 一、计算记录: the household's figures, then its members */
static int
approval_figures(struct print_doc *doc, struct form_ctx *c, const struct calc_record *k)
{
	const struct dossier *d = c->d;
	char s[40], h[40], p[40], n[16], g[16], m[8], bank[160];
	/* the one form that carries the whole account: payment is set up from it */
	snprintf(bank, sizeof bank, "%s", d->bank[0] ? d->bank : "（未登记）");
	money_yuan(k->standard, s);
	money_yuan(k->household_income, h);
	money_yuan(k->per_capita, p);
	snprintf(n, sizeof n, "%d 人", k->members);
	snprintf(g, sizeof g, "%d 人", k->guaranteed);
	month_format(k->month, m);
	char ex[40], exk[MAX_INCOMES * (TEXT_SHORT + 4)];
	money_yuan(k->excluded, ex);
	excluded_kinds(d, exk, sizeof exk);
	const char *kv2[] = {
		"保障标准 S", s, "计算月份", m,
		"家庭月收入 H", h, "月人均收入 P", p,
		"共同生活人数", n, "纳入保障人数", g,
		"开户银行", bank, "银行账号", d->account,
	};
	/* i12: recorded, not counted (SPEC 3); the kinds by name on one
	 * row the width of the grid (issue 15: one page) */
	const struct print_table exrow = {
		.ncols = 2, .width_mm = {21, 135}, .header = {NULL}, .size = 9.0f, .pad_mm = 0.3f,
	};
	char exv[sizeof exk + 64];
	snprintf(exv, sizeof exv, "%s，其中：%s", ex, exk);
	const char *exc[] = {"不计入收入（按规定）", exv};
	if (print_skip(doc, 1) != 0 || print_paragraph(doc, PRINT_SONG, 11, 0, "一、计算记录（按标补差）") != 0 ||
	    kv_rows(doc, &kv_tight, kv2, 16) != 0 || (k->excluded && print_table_row(doc, &exrow, exc) != 0))
		return -1;
	return 0;
}

static int
approval_members(struct print_doc *doc, struct form_ctx *c, const struct calc_record *k)
{
	const struct print_table t = {
		/* a name of nine characters on one line (阿依古丽·买买提明) */
		.ncols = 7, .width_mm = {32, 32, 8, 15, 19, 32, 18},
		.header = {"姓名", "身份证号码", "年龄", "纳入保障", "基本保障金", "分类施保类别", "加发金额"},
		.size = 9.0f, .pad_mm = 0.3f,
	};
	if (print_skip(doc, 1) != 0 || print_table_header(doc, &t) != 0)
		return -1;
	for (int i = 0; i < k->n; i++) {
		const struct calc_member *cm = &k->m[i];
		const struct member *mm = dossier_member_c(c->d, cm->id);
		char age[8], b1[32], a1[32];
		const char *cells[7];
		snprintf(age, sizeof age, "%d", cm->age);
		money_format(cm->base, b1);
		money_format(cm->addon, a1);
		cells[0] = mm ? mm->name : "";
		cells[1] = cm->id;
		cells[2] = age;
		cells[3] = cm->guaranteed ? "是" : cm->living ? "否" : "已故";
		cells[4] = cm->guaranteed ? b1 : "";
		cells[5] = cm->guaranteed && cm->cat ? addon_terms[cm->cat].zh : "";
		cells[6] = cm->guaranteed ? a1 : "";
		if (print_table_row(doc, &t, cells) != 0)
			return -1;
	}
	return 0;
}

/* 二、三: the review's and the approval's opinions (the approver's blank
 * before approval: written by hand, signed and stamped) */
static int
approval_opinions(struct print_doc *doc, struct form_ctx *c, bool pending, const char *tot)
{
	const struct dossier *d = c->d;
	char rv[NAME_MAX_BYTES], ap[NAME_MAX_BYTES];

	/* the approver's written reason for approving over the warnings above
	 * (stored at approval): with the findings, above the opinions, so the
	 * seal's column beside the approval date stays clear of it */
	if (!pending && d->proc.override[0]) {
		char why[TEXT_MEDIUM + 64];
		snprintf(why, sizeof why, "审批人对提示事项的意见：%s", d->proc.override);
		if (print_paragraph(doc, PRINT_SONG, 10.5f, 0, why) != 0)
			return -1;
	}
	/* one page: the opinions follow on without headings of their own */
	form_user_name(c, d->proc.reviewed_by, rv, sizeof rv);
	form_user_name(c, d->proc.approved_by, ap, sizeof ap);
	if (print_skip(doc, 1) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 11, 0, "二、乡镇（街道）审核意见：符合最低生活保障条件，同意。") != 0 ||
	    form_sign_seal_column(doc, NULL, "审核人", rv, d->proc.reviewed) != 0)
		return -1;
	if (pending)
		return print_paragraph(doc, PRINT_SONG, 11, 0, "三、审批意见：") != 0 || print_skip(doc, 4) != 0 ||
		    form_stamp_line(doc, c, "审批人", "", 0, false) != 0 ? -1 : 0;
	char eff[8], line[160];
	month_format(d->effective, eff);
	snprintf(line, sizeof line, "三、审批意见：同意，月保障金%s，自%s起发放。", tot, eff);
	if (print_paragraph(doc, PRINT_SONG, 11, 0, line) != 0 ||
	    form_stamp_line(doc, c, "审批人", ap, d->proc.approved, true) != 0)
		return -1;
	return 0;
}

int
form_approval(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	struct calc_record *k = malloc(sizeof *k);
	char base[40], add[40], unr[40], tot[40], title[160];
	int rc = -1;

	if (k == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	/* before approval the approver's part is blank, so the form is signed
	 * and stamped before approval (SPEC 3) */
	bool pending = d->status == ST_REVIEWED || d->status == ST_NOTICED;
	if (approval_calc(c, pending, k) != 0)
		goto out;
	snprintf(title, sizeof title, "%s%s", c->def->title, pending ? "（待审批）" : "");
	if (form_begin(doc, c, title) != 0 || head_kv_in(doc, c, true, &kv_tight) != 0 ||
	    approval_figures(doc, c, k) != 0 || approval_members(doc, c, k) != 0)
		goto out;
	money_yuan(k->base, base);
	money_yuan(k->addons, add);
	money_yuan(k->unrounded, unr);
	money_yuan(k->total, tot);
	const char *kv3[] = {
		"基本保障金合计", base, "分类施保合计", add,
		"合计（取整前）", unr, "月保障金", tot,
	};
	const struct print_table kv_sums = {
		.ncols = 4, .width_mm = {30, 48, 30, 48}, .header = {NULL}, .size = 9.0f, .pad_mm = 0.3f,
	};
	if (print_skip(doc, 1) != 0 || kv_rows(doc, &kv_sums, kv3, 8) != 0 || rules_block(doc, c) != 0 ||
	    approval_opinions(doc, c, pending, tot) != 0)
		goto out;
	rc = 0;
out:
	free(k);
	return rc;
}

/* ---- 近亲属享受低保备案表 ---------------------------------------------- */

struct filings_baton {
	const char *dossier;
	struct kin_filing *v;
	int n, max;
};

static int
filing_fn(const struct kin_filing *f, void *baton)
{
	struct filings_baton *b = baton;
	if (strcmp(f->dossier, b->dossier) == 0 && b->n < b->max)
		b->v[b->n++] = *f;
	return 0;
}

int
form_kin_filing(struct print_doc *doc, struct form_ctx *c)
{
	const struct print_table t = {
		.ncols = 5, .width_mm = {24, 22, 46, 36, 28},
		.header = {"关联人员", "与成员关系", "身份证号码", "工作单位", "职务"}, .size = 10.0f, .pad_mm = 1.0f,
	};
	struct filings_baton b = {c->d->no, NULL, 0, 8};
	int rc = -1;

	if ((b.v = calloc((size_t)b.max, sizeof *b.v)) == NULL)
		return err_set(c->e, E_STORAGE, "%s", _("out of memory"));
	if (kin_filing_list(c->st, filing_fn, &b, c->e) != 0)
		goto out;
	if (b.n == 0) {
		err_set(c->e, E_REFUSED, _("dossier %s has no kin filing (dibao kin file records one)"), c->d->no);
		goto out;
	}
	if (form_begin(doc, c, c->def->title) != 0)
		goto out;
	for (int i = 0; i < b.n; i++) {
		const struct kin_filing *f = &b.v[i];
		const struct member *m = dossier_member_c(c->d, f->member_id);
		char id[ID_LEN + 1], fb[NAME_MAX_BYTES], rb[NAME_MAX_BYTES], fd[32], rd[32];
		id_mask(f->member_id, id);
		form_user_name(c, f->filed_by, fb, sizeof fb);
		form_user_name(c, f->reviewed_by, rb, sizeof rb);
		form_date(f->filed, fd);
		form_date(f->reviewed, rd);
		const char *kv[] = {
			"备案编号", f->no, "备案状态", filing_status_terms[f->status].zh,
			"低保对象", m ? m->name : f->member_name, "身份证号码", id,
			"户主", form_head(c->d)->name, "村（社区）", c->d->village,
		};
		if ((i > 0 && print_skip(doc, 10) != 0) || form_kv(doc, kv, 12) != 0 ||
		    print_skip(doc, 4) != 0 || print_table_header(doc, &t) != 0)
			goto out;
		for (int k = 0; k < f->n_staff; k++) {
			struct kin_staff ks;
			char sid[ID_LEN + 1];
			const char *cells[5];
			memset(&ks, 0, sizeof ks);
			if (kin_staff_get(c->st, NULL, f->staff[k].staff_id, &ks, c->e) != 0)
				err_clear(c->e);	/* a removed entry: the filing's own name stays */
			id_mask(f->staff[k].staff_id, sid);
			cells[0] = f->staff[k].staff_name;
			cells[1] = kin_relation_term(f->staff[k].relation)->zh;
			cells[2] = sid;
			cells[3] = ks.unit;
			cells[4] = ks.position;
			if (print_table_row(doc, &t, cells) != 0)
				goto out;
		}
		if (form_heading(doc, "情况说明：") != 0 ||
		    print_paragraph(doc, PRINT_SONG, 10.5f, 2, f->note[0] ? f->note : "无") != 0 ||
		    form_stamp_line(doc, c, "备案经办人", fb, f->filed, false) != 0 ||
		    form_stamp_line(doc, c, "复核人", rb, f->reviewed, i == b.n - 1) != 0)
			goto out;
	}
	rc = 0;
out:
	free(b.v);
	return rc;
}

/* ---- notices ----------------------------------------------------------- */

static int
notice_tail(struct print_doc *doc, struct form_ctx *c, dbdate_t date)
{
	char text[600], ds[32];
	const char *county = c->county[0] ? c->county : "县（市、区）";

	snprintf(text, sizeof text,
	    "如对本决定有异议，可以自收到本通知书之日起六十日内向%s人民政府申请行政复议，"
	    "或者在六个月内依法向人民法院提起行政诉讼。", county);
	/* the seal reaches ~60 pt above the date: keep it off the text */
	if (print_paragraph(doc, PRINT_SONG, BODY, 2, text) != 0 || print_skip(doc, 44) != 0)
		return -1;
	/* the issuing authority and date, right-aligned, the seal over the date */
	form_date(date, ds);
	float w1, w2, y;
	char org[128];
	snprintf(org, sizeof org, "%s人民政府", c->township);
	if (print_need(doc, PRINT_MM(30)) != 0 ||
	    print_text_width(doc, PRINT_SONG, BODY, org, strlen(org), &w1) != 0 ||
	    print_text_width(doc, PRINT_SONG, BODY, ds, strlen(ds), &w2) != 0)
		return -1;
	y = print_cursor(doc) - BODY * 1.2f;
	if (print_text_at(doc, PRINT_SONG, BODY, print_right() - PRINT_MM(12) - w1, y, org, strlen(org)) != 0 ||
	    print_text_at(doc, PRINT_SONG, BODY, print_right() - PRINT_MM(12) - w2, y - BODY * 1.8f,
	    ds, strlen(ds)) != 0 ||
	    print_seal(doc, print_right() - PRINT_MM(12) - w2 / 2, y - BODY * 1.5f, c->seal, "民政办") != 0)
		return -1;
	print_set_cursor(doc, y - PRINT_MM(22));
	return 0;
}

int
form_refusal(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	bool after_review = d->proc.reviewed != 0;
	const char *what = after_review ? "不予批准" : "不予受理";
	char title[96], text[1200], id[ID_LEN + 1], ap[32], addressee[NAME_MAX_BYTES + 8];

	if (d->status != ST_REJECTED)
		return err_set(c->e, E_REFUSED, _("dossier %s is not rejected: no refusal notice"), d->no);
	snprintf(title, sizeof title, "最低生活保障%s通知书", what);
	id_mask(form_head(d)->id, id);
	form_date(d->applied, ap);
	snprintf(text, sizeof text,
	    "你户（户主%s，身份证号码%s）于%s提出的最低生活保障申请，经%s，"
	    "因以下原因，决定%s：", form_head(d)->name, id, ap,
	    after_review ? "入户调查、信息核对、民主评议和审核" : "审查", what);
	snprintf(addressee, sizeof addressee, "%s：", form_head(d)->name);
	if (form_begin(doc, c, title) != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 0, addressee) != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2, text) != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2, d->proc.reason[0] ? d->proc.reason : "（未记录）") != 0)
		return -1;
	return notice_tail(doc, c, d->proc.decided ? d->proc.decided : d->status_date);
}

int
form_exit(struct print_doc *doc, struct form_ctx *c)
{
	const struct dossier *d = c->d;
	char text[1200], id[ID_LEN + 1], ds[32], from[32], addressee[NAME_MAX_BYTES + 8];
	dbdate_t dec = d->proc.decided ? d->proc.decided : d->status_date;
	dbmonth_t stop = month_add(month_of(dec), 1);

	if (d->status != ST_EXITED)
		return err_set(c->e, E_REFUSED, _("dossier %s has not exited: no exit notice"), d->no);
	id_mask(form_head(d)->id, id);
	form_date(dec, ds);
	snprintf(from, sizeof from, "%04d年%02d月", stop / 100, stop % 100);
	snprintf(text, sizeof text,
	    "你户（户主%s，身份证号码%s，档案编号%s）经复核，因%s%s%s，"
	    "根据最低生活保障有关规定，决定自%s起停发最低生活保障金，退出最低生活保障。",
	    form_head(d)->name, id, d->no, exit_terms[d->exit_reason].zh,
	    d->proc.reason[0] ? "：" : "", d->proc.reason, from);
	snprintf(addressee, sizeof addressee, "%s：", form_head(d)->name);
	if (form_begin(doc, c, "最低生活保障停保（退出）通知书") != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 0, addressee) != 0 ||
	    print_paragraph(doc, PRINT_SONG, BODY, 2, text) != 0)
		return -1;
	(void)ds;
	return notice_tail(doc, c, dec);
}
