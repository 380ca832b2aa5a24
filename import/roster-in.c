/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-in.c — migration from the Excel ledgers (花名册) townships keep
 * today: find the columns by their Chinese headers, check every row with
 * the same core checks as typed input, group persons into households by
 * the head's ID number, check R7 across the file and against the
 * database, and only when nothing at all is wrong write the households.
 *
 * Writing: the whole file is validated first, then written in one
 * transaction, so all or nothing holds exactly (measured: 101,124 rows,
 * 34,008 households in 3.3 s, within the environment's lock table).  Only
 * if that transaction fails for a storage reason (a file beyond the lock
 * table or log space) — rolled back whole — is it written again in
 * transactions of ROSTER_BATCH households; should a later batch fail,
 * the report says how many were committed.  See docs/IMPORT.md.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/import.h"

#include "core/core.h"
#include "store/audit.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/village.h"

enum col {
	C_NAME = 0, C_ID, C_REL, C_HEAD_ID, C_VILLAGE, C_GROUP, C_AREA, C_AMOUNT,
	C_STATUS, C_SUPPORT, C_DIS_KIND, C_DIS_GRADE, C_HEALTH, C_PHONE, C_ADDRESS,
	C_BANK, C_ACCOUNT, C_POOR, C_DATE, C_GUARANTEED,
	C_HOLDER,            /* the subsidy card's holder (issue 13) */
	C__N
};
/* income columns (issue 12 point 13): one optional column per income kind,
 * the person's monthly amount of it; column C_INC + kind */
#define C_INC C__N
/* then up to N_LOCAL columns named as the township's setting
 * income.excluded.local names an income it excludes (j12) */
#define N_LOCAL 8
#define C_LOC (C__N + INC__N)
#define C_ALL (C__N + INC__N + N_LOCAL)

/* Accepted headers of each column (docs/IMPORT.md lists them); compared
 * after dropping spaces, "(元)" and the difference of full- and half-width
 * brackets. */
static const char *const col_names[C__N][8] = {
	[C_NAME] = {"姓名", "成员姓名", "家庭成员姓名", "保障对象姓名"},
	[C_ID] = {"身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"},
	[C_REL] = {"与户主关系", "与户主的关系", "关系", "家庭关系"},
	[C_HEAD_ID] = {"户主身份证号", "户主身份证号码", "户主公民身份号码", "户主身份证"},
	[C_VILLAGE] = {"村/社区", "村(社区)", "村（居）", "村(居)", "村社区", "村", "社区", "所在村"},
	[C_GROUP] = {"组", "村民小组", "小组", "组别"},
	[C_AREA] = {"城乡类别", "城乡", "类别", "保障类别", "城市/农村"},
	[C_AMOUNT] = {"月保障金额", "月保障金", "保障金额", "月补助金额", "月发放金额", "月享受金额"},
	[C_STATUS] = {"状态", "保障状态", "在保状态"},
	[C_SUPPORT] = {"保障类型", "保障方式", "施保类型"},
	[C_DIS_KIND] = {"残疾类别", "残疾类型"},
	[C_DIS_GRADE] = {"残疾等级", "残疾级别"},
	[C_HEALTH] = {"健康状况", "健康状态"},
	[C_PHONE] = {"联系电话", "电话", "手机号码", "联系方式"},
	[C_ADDRESS] = {"家庭住址", "住址", "地址", "家庭地址"},
	[C_BANK] = {"开户银行", "开户行", "银行"},
	[C_ACCOUNT] = {"银行账号", "银行帐号", "账号", "帐号", "一卡通账号", "社保卡号"},
	[C_POOR] = {"建档立卡", "是否建档立卡", "建档立卡户"},
	[C_DATE] = {"批准日期", "审批日期", "起保日期", "保障起始日期"},
	[C_GUARANTEED] = {"是否保障对象", "享受低保", "是否享受"},
	[C_HOLDER] = {"持卡人身份证号", "持卡人身份证号码", "持卡人公民身份号码", "持卡人证件号码", "持卡人身份证"},
};
static const bool col_required[C__N] = {
	[C_NAME] = true, [C_ID] = true, [C_REL] = true, [C_HEAD_ID] = true,
	[C_VILLAGE] = true, [C_AREA] = true, [C_AMOUNT] = true,
};

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

struct rinc {                  /* an income column's amount on a row (i12) */
	int kind;
	fen_t amount;
	int local;                 /* INC_EX_LOCAL: index into ctx.loc_name */
};

struct prow {
	int line;
	struct rinc *inc;          /* NULL when the row has none */
	int n_inc;
	bool ok;                   /* the row's own checks passed */
	struct member m;
	char head_id[ID_LEN + 1];
	/* household columns: read from the 本人 row */
	int village;               /* index into the village cache */
	char group[TEXT_SHORT];
	enum area area;
	bool has_amount;
	fen_t amount;
	enum status status;
	enum support support;
	bool poor;
	dbdate_t date;
	char *phone, *address, *bank, *account;   /* NULL when empty */
	char holder[ID_LEN + 1];   /* the card's holder, "" none (never guessed) */
};

/* problems named in the report; the rest are counted (issue 16 point 9) */
#define ROSTER_NAMED 100

struct vcache {
	char typed[TEXT_SHORT];
	struct village v;
	bool is_new;
	int first_line;
};

struct ctx {
	struct store *st;
	const struct user *actor;
	struct roster_result *res;
	struct err *e;
	dbdate_t today;
	int colidx[C_ALL];         /* C__N columns, then the income kinds (i12) */
	const char *colname[C_ALL];
	char loc_name[N_LOCAL][TEXT_SHORT];   /* the township's own (j12) */
	struct prow *rows;
	int n;
	struct vcache *vc;
	int nvc, capvc;
	size_t rlen, rcap;
	/* households: ranges of order[] (row indices sorted by head, line) */
	int *order;
	int *hh_start, *hh_end;
	int nhh;
};

/* ---- the report -------------------------------------------------------- */

static void
problem(struct ctx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
problem(struct ctx *c, int line, int col, const char *fmt, ...)
{
	char reason[1024], text[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (col >= 0)
		snprintf(text, sizeof text, _("row %d, column %s: %s\n"), line, c->colname[col], reason);
	else
		snprintf(text, sizeof text, _("row %d: %s\n"), line, reason);
	/* issue 16 point 9: the first ROSTER_NAMED problems are named, the
	 * rest only counted ("and N more"): a bad file of a million rows must
	 * not build a report larger than itself */
	if (++c->res->problems > ROSTER_NAMED)
		return;
	size_t n = strlen(text);
	if (c->rlen + n + 1 > c->rcap) {
		size_t cap = c->rcap ? c->rcap * 2 : 4096;
		while (cap < c->rlen + n + 1)
			cap *= 2;
		char *r = realloc(c->res->report, cap);
		if (r == NULL)
			return;     /* the count still says how many there were */
		c->res->report = r;
		c->rcap = cap;
	}
	memcpy(c->res->report + c->rlen, text, n + 1);
	c->rlen += n;
}

/* The report's last line when problems were left unnamed */
static void
report_tail(struct ctx *c)
{
	int more = c->res->problems - ROSTER_NAMED;
	char text[256];

	if (more <= 0)
		return;
	snprintf(text, sizeof text, _("... and %d more problem(s) (only the first %d are listed)\n"), more, ROSTER_NAMED);
	size_t n = strlen(text);
	char *r = realloc(c->res->report, c->rlen + n + 1);
	if (r == NULL)
		return;
	c->res->report = r;
	c->rcap = c->rlen + n + 1;
	memcpy(r + c->rlen, text, n + 1);
	c->rlen += n;
}

/* ---- headers ---------------------------------------------------------- */

/* Header text without spaces, with ASCII brackets and slash, without (元) */
static void
header_norm(const char *in, char *out, size_t size)
{
	size_t o = 0;
	while (*in && o + 4 < size) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r') {
			in++;
		} else if (strncmp(in, "\xE3\x80\x80", 3) == 0) {          /* ideographic space */
			in += 3;
		} else if (strncmp(in, "（", 3) == 0) {
			out[o++] = '(';
			in += 3;
		} else if (strncmp(in, "）", 3) == 0) {
			out[o++] = ')';
			in += 3;
		} else if (strncmp(in, "／", 3) == 0) {
			out[o++] = '/';
			in += 3;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
	char *y = strstr(out, "(元)");
	if (y != NULL)
		memmove(y, y + 5, strlen(y + 5) + 1);
}

/* Headers of the income columns besides the kind's own term (SPEC 2, 3),
 * and the term with 收入 after it or 月 before it (i12) */
static const struct { const char *word; int kind; } inc_synonyms[] = {
	{"其他收入", INC_OTHER}, {"工资收入", INC_WAGE}, {"经营收入", INC_BUSINESS}, {"财产收入", INC_PROPERTY},
	{"转移收入", INC_TRANSFER}, {"养老保险金", INC_PENSION}, {"退休金", INC_PENSION},
	{"抚恤补助", INC_EX_SPECIAL_CARE}, {"优抚金", INC_EX_SPECIAL_CARE},
	{"奖励扶助金", INC_EX_FAMILY_PLANNING}, {"奖学金", INC_EX_SCHOLARSHIP}, {"助学金", INC_EX_SCHOLARSHIP},
	{"困难残疾人生活补贴", INC_EX_DISABILITY}, {"重度残疾人护理补贴", INC_EX_DISABILITY},
	{"残疾人补贴", INC_EX_DISABILITY}, {"独生子女父母奖励费", INC_EX_ONE_CHILD},
};

/* a normalised header without "(元/月)" or "/月" after it (as "(元)" is
 * dropped); -1 when nothing is left */
static int
inc_strip(const char *n, char *w, size_t size)
{
	size_t len = strlen(n);
	if (len > 9 && strcmp(n + len - 9, "(元/月)") == 0)
		len -= 9;
	else if (len > 4 && strcmp(n + len - 4, "/月") == 0)
		len -= 4;
	if (len == 0 || len >= size)
		return -1;
	memcpy(w, n, len);
	w[len] = '\0';
	return 0;
}

static int
inc_header(const char *n)
{
	char w[256];
	if (inc_strip(n, w, sizeof w) != 0)
		return -1;
	for (int k = 0; k < INC__N; k++) {
		const char *t = income_terms[k].zh;
		size_t tl = strlen(t);
		if (k == INC_OTHER)         /* a bare 其他 is no income column */
			continue;
		const char *p = strncmp(w, "月", 3) == 0 ? w + 3 : w;
		if (strncmp(p, t, tl) == 0 && (p[tl] == '\0' || strcmp(p + tl, "收入") == 0))
			return k;
	}
	for (size_t i = 0; i < sizeof inc_synonyms / sizeof inc_synonyms[0]; i++)
		if (strcmp(w, inc_synonyms[i].word) == 0)
			return inc_synonyms[i].kind;
	return -1;
}

static int
header_col(const char *text)
{
	char n[256];
	header_norm(text, n, sizeof n);
	for (int c = 0; c < C__N; c++)
		for (int k = 0; k < 8 && col_names[c][k]; k++) {
			char w[128];
			header_norm(col_names[c][k], w, sizeof w);
			if (strcmp(n, w) == 0)
				return c;
		}
	int k = inc_header(n);
	return k >= 0 ? C_INC + k : -1;
}

/* The header row: the first of the first 10 rows naming 姓名 and 身份证号
 * (ledgers often have a title row or two above it). */
static int
find_header(struct ctx *c, const struct sheet *s)
{
	for (int i = 0; i < s->n && i < 10; i++) {
		int idx[C_ALL];
		for (int k = 0; k < C_ALL; k++)
			idx[k] = -1;
		int nloc = 0;
		for (int k = 0; k < s->rows[i].n; k++) {
			int col = header_col(sheet_cell(&s->rows[i], k));
			if (col >= 0 && idx[col] < 0)
				idx[col] = k;
			/* j12: an income the township excludes, by its name */
			char n[256], w[256], name[TEXT_SHORT];
			header_norm(sheet_cell(&s->rows[i], k), n, sizeof n);
			if (col < 0 && inc_strip(n, w, sizeof w) == 0) {
				int r = income_local_find(c->st, NULL, w, name, c->e);
				if (r < 0)
					return -2;
				if (r == 1 && nloc < N_LOCAL) {
					memcpy(c->loc_name[nloc], name, sizeof name);
					idx[C_LOC + nloc++] = k;
				}
			}
		}
		if (idx[C_NAME] < 0 || idx[C_ID] < 0)
			continue;
		for (int k = 0; k < C_ALL; k++) {
			c->colidx[k] = idx[k];
			c->colname[k] = idx[k] >= 0 ? sheet_cell(&s->rows[i], idx[k]) :
			    k < C__N ? col_names[k][0] : k < C_LOC ? income_terms[k - C_INC].zh : "";
		}
		return i;
	}
	return -1;
}

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
	if (c->nvc == c->capvc) {
		int cap = c->capvc ? c->capvc * 2 : 16;
		struct vcache *n = realloc(c->vc, (size_t)cap * sizeof *n);
		if (n == NULL)
			return -2;
		c->vc = n;
		c->capvc = cap;
	}
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

static int
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
	if (k == REL_SELF) {
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
	}
	/* the member's own columns */
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
	/* the person's income by kind (i12): excluded kinds are recorded, and
	 * the calculation leaves them out (SPEC 3) */
	for (int kind = 0; kind < INC__N; kind++) {
		fen_t a;
		if (c->colidx[C_INC + kind] < 0 || *(s = cell(c, r, C_INC + kind)) == '\0')
			continue;
		if (money_parse(s, &a, &why) != 0) {
			problem(c, p->line, C_INC + kind, "%s (%s)", _(why), s);
			continue;
		}
		if (a < 0) {
			problem(c, p->line, C_INC + kind, "%s", _("must not be negative"));
			continue;
		}
		if (a == 0)
			continue;
		if (p->inc == NULL && (p->inc = calloc(INC__N + N_LOCAL, sizeof *p->inc)) == NULL)
			return err_set(c->e, E_STORAGE, _("out of memory"));
		p->inc[p->n_inc].kind = kind;
		p->inc[p->n_inc++].amount = a;
	}
	for (int l = 0; l < N_LOCAL; l++) {   /* the township's own (j12) */
		fen_t a;
		if (c->colidx[C_LOC + l] < 0 || *(s = cell(c, r, C_LOC + l)) == '\0')
			continue;
		if (money_parse(s, &a, &why) != 0) {
			problem(c, p->line, C_LOC + l, "%s (%s)", _(why), s);
			continue;
		}
		if (a < 0) {
			problem(c, p->line, C_LOC + l, "%s", _("must not be negative"));
			continue;
		}
		if (a == 0)
			continue;
		if (p->inc == NULL && (p->inc = calloc(INC__N + N_LOCAL, sizeof *p->inc)) == NULL)
			return err_set(c->e, E_STORAGE, _("out of memory"));
		p->inc[p->n_inc].kind = INC_EX_LOCAL;
		p->inc[p->n_inc].local = l;
		p->inc[p->n_inc++].amount = a;
	}
	if (c->res->problems == before && member_validate(&p->m, c->today, &why) != 0)
		problem(c, p->line, c->colidx[C_DIS_GRADE] >= 0 ? C_DIS_GRADE : C_ID, "%s", _(why));
	p->ok = c->res->problems == before;
	return 0;
}

/* ---- across rows --------------------------------------------------------- */

static struct ctx *sort_ctx;  /* qsort has no baton; one import at a time */

static int
by_id(const void *a, const void *b)
{
	const struct prow *x = &sort_ctx->rows[*(const int *)a], *y = &sort_ctx->rows[*(const int *)b];
	int r = strcmp(x->m.id, y->m.id);
	return r ? r : x->line - y->line;
}

static int
by_head(const void *a, const void *b)
{
	const struct prow *x = &sort_ctx->rows[*(const int *)a], *y = &sort_ctx->rows[*(const int *)b];
	int r = strcmp(x->head_id, y->head_id);
	if (r)
		return r;
	/* the head first, then the sheet's order */
	if ((x->m.relation == REL_SELF) != (y->m.relation == REL_SELF))
		return x->m.relation == REL_SELF ? -1 : 1;
	return x->line - y->line;
}

static int
by_first_line(const void *a, const void *b)
{
	return sort_ctx->rows[sort_ctx->order[*(const int *)a]].line -
	    sort_ctx->rows[sort_ctx->order[*(const int *)b]].line;
}

static int
cross_check(struct ctx *c)
{
	int *o;

	if ((o = malloc((size_t)(c->n + 1) * sizeof *o)) == NULL ||
	    (c->hh_start = malloc((size_t)(c->n + 1) * sizeof *c->hh_start)) == NULL ||
	    (c->hh_end = malloc((size_t)(c->n + 1) * sizeof *c->hh_end)) == NULL) {
		free(o);
		return err_set(c->e, E_STORAGE, _("out of memory"));
	}
	c->order = o;
	sort_ctx = c;
	/* the same person twice in the file */
	for (int i = 0; i < c->n; i++)
		o[i] = i;
	qsort(o, (size_t)c->n, sizeof *o, by_id);
	for (int i = 1; i < c->n; i++) {
		struct prow *a = &c->rows[o[i - 1]], *b = &c->rows[o[i]];
		if (a->m.id[0] && strcmp(a->m.id, b->m.id) == 0)
			problem(c, b->line, C_ID, _("R7: %s is already on row %d of this file"), b->m.id, a->line);
	}
	/* households */
	for (int i = 0; i < c->n; i++)
		o[i] = i;
	qsort(o, (size_t)c->n, sizeof *o, by_head);
	c->nhh = 0;
	for (int i = 0; i < c->n;) {
		int j = i, heads = 0;
		struct prow *first = &c->rows[o[i]];
		while (j < c->n && strcmp(c->rows[o[j]].head_id, first->head_id) == 0)
			j++;
		if (first->head_id[0] == '\0') {   /* rows whose head ID was bad: reported */
			i = j;
			continue;
		}
		for (int k = i; k < j; k++) {
			struct prow *p = &c->rows[o[k]];
			if (p->m.relation != REL_SELF || !p->m.id[0])
				continue;
			if (++heads > 1)
				problem(c, p->line, C_REL, _("a household has one head (本人): row %d is already the head of %s"),
				    first->line, first->head_id);
		}
		if (first->m.relation != REL_SELF)
			problem(c, first->line, C_HEAD_ID, _("no row of the file is the head (本人) with ID number %s"),
			    first->head_id);
		if (j - i > MAX_MEMBERS)
			problem(c, c->rows[o[i + MAX_MEMBERS]].line, -1, _("a household has at most %d members"), MAX_MEMBERS);
		/* income items of the household (i12): at most MAX_INCOMES */
		int n_inc = 0;
		for (int k = i; k < j; k++)
			n_inc += c->rows[o[k]].n_inc;
		if (n_inc > MAX_INCOMES)
			problem(c, first->line, -1, _("a household has at most %d income items"), MAX_INCOMES);
		/* R7 against the database: an active household may not take a
		 * person who is in another active dossier */
		if (first->m.relation == REL_SELF && status_active(first->status))
			for (int k = i; k < j; k++) {
				struct prow *p = &c->rows[o[k]];
				char found[DOSSIER_NO_LEN + 1];
				int r;
				if (!p->m.id[0])
					continue;
				if ((r = dossier_by_id(c->st, NULL, p->m.id, NULL, found, c->e)) < 0)
					return -1;
				if (r > 0)
					problem(c, p->line, C_ID,
					    _("R7: %s already belongs to a member of the active dossier %s (possible household splitting)"),
					    p->m.id, found);
			}
		/* groups of a known village */
		if (first->m.relation == REL_SELF && first->village >= 0) {
			struct vcache *vc = &c->vc[first->village];
			if (!vc->is_new && first->group[0] && !village_has_group(&vc->v, first->group))
				problem(c, first->line, C_GROUP, _("%s is not a group of %s (%s)"), first->group, vc->v.name,
				    vc->v.groups);
		}
		/* the card's holder is a member of the household (issue 13) */
		if (first->m.relation == REL_SELF && first->holder[0]) {
			bool member = false;
			for (int k = i; k < j; k++)
				member |= strcmp(c->rows[o[k]].m.id, first->holder) == 0;
			if (!member)
				problem(c, first->line, C_HOLDER, _("holder: %s is not a member of the household"), first->holder);
		}
		c->hh_start[c->nhh] = i;
		c->hh_end[c->nhh++] = j;
		i = j;
	}
	/* dossier numbers follow the sheet's order of households */
	int *pair = malloc((size_t)(c->nhh + 1) * 2 * sizeof *pair);
	if (pair == NULL)
		return err_set(c->e, E_STORAGE, _("out of memory"));
	for (int h = 0; h < c->nhh; h++) {
		pair[2 * h] = c->hh_start[h];
		pair[2 * h + 1] = c->hh_end[h];
	}
	qsort(pair, (size_t)c->nhh, 2 * sizeof *pair, by_first_line);
	for (int h = 0; h < c->nhh; h++) {
		c->hh_start[h] = pair[2 * h];
		c->hh_end[h] = pair[2 * h + 1];
	}
	free(pair);
	return 0;
}

/* The groups a new village gets: those the file names for it. */
static void
new_village_groups(struct ctx *c, int vi, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < c->n; i++) {
		const struct prow *p = &c->rows[i];
		if (p->village != vi || !p->group[0])
			continue;
		size_t len = strlen(out), g = strlen(p->group);
		bool have = false;
		for (const char *q = out; *q;) {
			size_t k = strcspn(q, ",");
			if (k == g && strncmp(q, p->group, g) == 0)
				have = true;
			q += k;
			if (*q == ',')
				q++;
		}
		if (have)
			continue;
		if (len + g + 2 > size) {
			out[0] = '\0';   /* too many to list: accept any group */
			return;
		}
		snprintf(out + len, size - len, "%s%s", len ? "," : "", p->group);
	}
}

/* ---- building and writing -------------------------------------------- */

static int
household(struct ctx *c, int h, struct dossier *d)
{
	const char *why;
	int64_t months = 0;
	char key[32];
	const struct prow *head = &c->rows[c->order[c->hh_start[h]]];

	dossier_init(d);
	d->area = head->area;
	snprintf(d->village, sizeof d->village, "%s", c->vc[head->village].v.name);
	snprintf(d->group, sizeof d->group, "%s", head->group);
	if ((head->phone && text_set(d->phone, sizeof d->phone, head->phone, &why) != 0) ||
	    (head->address && text_set(d->address, sizeof d->address, head->address, &why) != 0) ||
	    (head->bank && text_set(d->bank, sizeof d->bank, head->bank, &why) != 0) ||
	    (head->account && text_set(d->account, sizeof d->account, head->account, &why) != 0))
		return err_set(c->e, E_STORAGE, "%s", _(why));
	memcpy(d->holder, head->holder, sizeof d->holder);
	d->support = head->support;
	d->flags = DF_MIGRATED | (head->poor ? DF_REGISTERED_POOR : 0);
	d->status = head->status;
	d->applied = head->date ? head->date : c->today;
	d->status_date = head->date ? head->date : c->today;
	d->total = head->has_amount ? head->amount : 0;
	for (int k = c->hh_start[h]; k < c->hh_end[h]; k++) {
		const struct prow *p = &c->rows[c->order[k]];
		d->members[d->n_members++] = p->m;
		/* the income columns (i12), each the member's own; counted in
		 * cross_check against MAX_INCOMES */
		for (int i = 0; i < p->n_inc && d->n_incomes < MAX_INCOMES; i++) {
			struct income_item *it = &d->incomes[d->n_incomes++];
			it->kind = (enum income_kind)p->inc[i].kind;
			it->amount = p->inc[i].amount;
			memcpy(it->member_id, p->m.id, sizeof it->member_id);
			if (it->kind == INC_EX_LOCAL)
				memcpy(it->name, c->loc_name[p->inc[i].local], sizeof it->name);
		}
	}
	d->head = 0;
	if (d->status == ST_APPROVED) {
		d->effective = month_of(d->status_date);
		d->proc.approved = d->status_date;
		d->category = workflow_category(d, c->today);
		snprintf(key, sizeof key, "review.months.%c", d->category);
		if (setting_get_int(c->st, NULL, key, &months, c->e) == 0 && months > 0)
			d->next_review = date_add_months(c->today, (int)months);
		err_clear(c->e);
	}
	return 0;
}

struct wbaton {
	struct ctx *c;
	int from, to;       /* households */
	bool first, last;
	struct dossier *d;
	const char *path;
	const struct progress *progress;
};

static int
write_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct wbaton *b = baton;
	struct ctx *c = b->c;

	if (b->first)
		for (int i = 0; i < c->nvc; i++) {
			if (!c->vc[i].is_new)
				continue;
			struct village v = c->vc[i].v;
			new_village_groups(c, i, v.groups, sizeof v.groups);
			if (village_add_txn(st, txn, c->actor, &v, e) != 0)
				return -1;
		}
	for (int h = b->from; h < b->to; h++) {
		/* cancelling aborts the transaction: nothing is written */
		if (b->progress && b->progress->fn && h % 200 == 0 &&
		    b->progress->fn(h, c->nhh, b->progress->baton))
			return err_set(e, E_REFUSED, "%s", _("import cancelled: nothing was imported"));
		if (household(c, h, b->d) != 0)
			return -1;
		if (dossier_bulk_put(st, txn, c->actor, b->d, "import.roster", e) != 0 ||
		    kin_match_dossier(st, txn, b->d, c->actor->login, e) != 0)
			return -1;
		if (h == 0)
			strcpy(c->res->first_no, b->d->no);
		strcpy(c->res->last_no, b->d->no);
	}
	if (b->last) {
		const char *base = strrchr(b->path, '/');
		json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:I,s:i,s:s,s:s}", "file", base ? base + 1 : b->path,
		    "encoding", c->res->encoding, "households", c->res->households, "persons", c->res->persons,
		    "total", (json_int_t)c->res->total, "villages_added", c->res->n_villages,
		    "first", c->res->first_no, "last", c->res->last_no);
		char *detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(j);
		if (detail == NULL)
			return err_set(e, E_STORAGE, _("out of memory"));
		int r = audit_append(st, txn, c->actor->login, "import.roster", "roster", detail, e);
		free(detail);
		return r;
	}
	return 0;
}

static int
read_input(const char *path, struct sheet *s, struct roster_result *res, struct err *e)
{
	FILE *f;
	enum text_enc enc;
	unsigned char magic[4] = {0};

	if ((f = fopen(path, "rb")) == NULL)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	size_t m = fread(magic, 1, 4, f);
	if (m == 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
		fclose(f);
		res->encoding = "XLSX";
		return xlsx_read(path, NULL, s, e);
	}
	if (m == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		fclose(f);
		return err_set(e, E_REFUSED, _("%s: an old Excel .xls file; save it as .xlsx or CSV first"), path);
	}
	rewind(f);
	/* issue 16 point 9: streamed, a block and a row at a time; only rows
	 * with a cell are kept, never the file or its UTF-8 copy */
	int r = csv_read_file(f, s, &enc, e);
	fclose(f);
	if (r != 0)
		return -1;
	res->encoding = enc == ENC_UTF8 ? "UTF-8" : "GB18030";
	return r;
}

static bool
row_blank(const struct sheet_row *r)
{
	for (int k = 0; k < r->n; k++)
		if (r->cell[k] && strspn(r->cell[k], " \t\r\n") != strlen(r->cell[k]))
			return false;
	return true;
}

int
roster_import(struct store *st, const struct user *actor, const char *path, bool dry_run,
    struct roster_result *res, struct err *e)
{
	return roster_import_progress(st, actor, path, dry_run, NULL, res, e);
}

int
roster_import_progress(struct store *st, const struct user *actor, const char *path, bool dry_run,
    const struct progress *progress, struct roster_result *res, struct err *e)
{
	struct sheet s;
	struct ctx c;
	int hdr, ret = -1;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	c.st = st;
	c.actor = actor;
	c.res = res;
	c.e = e;
	c.today = store_today();
	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	if (read_input(path, &s, res, e) != 0)
		return -1;
	if ((hdr = find_header(&c, &s)) == -2)
		goto done;
	if (hdr < 0) {
		err_set(e, E_REFUSED, _("%s: no header row naming 姓名 and 身份证号 in the first 10 rows"), path);
		goto done;
	}
	for (int k = 0; k < C__N; k++)
		if (col_required[k] && c.colidx[k] < 0)
			err_add(e, E_REFUSED, _("the column %s is missing (docs/IMPORT.md lists the accepted headers)"),
			    col_names[k][0]);
	if (e->code != E_OK)
		goto done;
	if ((c.rows = calloc((size_t)(s.n > 0 ? s.n : 1), sizeof *c.rows)) == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto done;
	}
	for (int i = hdr + 1; i < s.n; i++) {
		int r = row_blank(&s.rows[i]) ? 0 : row_check(&c, &s.rows[i], &c.rows[c.n++]);
		/* the row's cells are in its record now (cell() copies):
		 * given back at once, so the sheet and the records are not
		 * both held whole (issue 16 point 9) */
		for (int k = 0; k < s.rows[i].n; k++)
			free(s.rows[i].cell[k]);
		free(s.rows[i].cell);
		s.rows[i].cell = NULL;
		s.rows[i].n = 0;
		if (r != 0)
			goto done;
	}
	res->rows = c.n;
	if (c.n == 0) {
		err_set(e, E_REFUSED, _("%s: no data rows below the header"), path);
		goto done;
	}
	if (cross_check(&c) != 0)
		goto done;
	for (int i = 0; i < c.nvc; i++) {
		if (!c.vc[i].is_new)
			continue;
		if (res->n_villages == 64) {
			problem(&c, c.vc[i].first_line, C_VILLAGE, "%s", _("more than 64 new villages: add them first with dibao village add"));
			break;
		}
		snprintf(res->villages[res->n_villages++], TEXT_SHORT, "%s", c.vc[i].v.name);
	}
	res->households = c.nhh;
	res->persons = c.n;
	for (int h = 0; h < c.nhh; h++) {
		const struct prow *head = &c.rows[c.order[c.hh_start[h]]];
		if (head->has_amount && status_active(head->status))
			res->total += head->amount;
	}
	if (res->problems > 0) {
		err_set(e, E_REFUSED, _("%d problem(s) in %s: nothing was imported"), res->problems, path);
		goto done;
	}
	if (dry_run) {
		ret = 0;
		goto done;
	}
	struct wbaton b = {.c = &c, .path = path, .progress = progress};
	if ((b.d = malloc(sizeof *b.d)) == NULL) {
		err_set(e, E_STORAGE, _("out of memory"));
		goto done;
	}
	/* one transaction: all or nothing exactly (34,000 households, 101,124
	 * rows measured: 3.3 s, within the lock table) */
	b.from = 0;
	b.to = c.nhh;
	b.first = b.last = true;
	res->batches = 1;
	if (store_txn_run(st, write_body, &b, e) == 0) {
		res->committed = 1;
		free(b.d);
		ret = 0;
		goto done;
	}
	if (e->code != E_STORAGE) {
		free(b.d);
		goto done;
	}
	/* too big for one transaction (lock table, log space): it was rolled
	 * back whole, so nothing is written yet; go again in batches */
	res->batches = (c.nhh + ROSTER_BATCH - 1) / ROSTER_BATCH;
	for (int h = 0; h < c.nhh; h += ROSTER_BATCH) {
		b.from = h;
		b.to = h + ROSTER_BATCH < c.nhh ? h + ROSTER_BATCH : c.nhh;
		b.first = h == 0;
		b.last = b.to == c.nhh;
		if (store_txn_run(st, write_body, &b, e) != 0) {
			if (res->committed > 0)
				err_add(e, e->code, _("%d of %d write batches (%d households, up to %s) were committed before this failure; the rest was not written"),
				    res->committed, res->batches, h, res->last_no);
			free(b.d);
			goto done;
		}
		res->committed++;
	}
	free(b.d);
	ret = 0;
done:
	report_tail(&c);
	for (int i = 0; i < c.n; i++) {
		free(c.rows[i].inc);
		free(c.rows[i].phone);
		free(c.rows[i].address);
		free(c.rows[i].bank);
		free(c.rows[i].account);
	}
	free(c.rows);
	free(c.order);
	free(c.hh_start);
	free(c.hh_end);
	free(c.vc);
	sheet_free(&s);
	return ret;
}

void
roster_result_free(struct roster_result *res)
{
	free(res->report);
	res->report = NULL;
}

/* ---- shared with the bank's return file (import/payment-in.c, issue 13) -- */

int
sheet_read_path(const char *path, struct sheet *s, const char **encoding, struct err *e)
{
	struct roster_result res;
	int r;

	memset(&res, 0, sizeof res);
	r = read_input(path, s, &res, e);
	*encoding = res.encoding;
	return r;
}

void
header_normalize(const char *in, char *out, size_t size)
{
	header_norm(in, out, size);
}
