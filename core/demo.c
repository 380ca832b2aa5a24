/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo.c — a deterministic synthetic township: households that look like
 * the ones a clerk really keeps (names, valid ID numbers, ages that fit
 * the relations, disabilities, incomes around the line, every status),
 * for the demo data set and for the 100,000-household benchmark.
 *
 * Pure C, integers only: no I/O, no malloc, no floating point, so the
 * same seed gives byte-identical households on every machine.
 */
#include "core/date.h"
#include "core/money.h"
#include "core/demo-int.h"
#include "core/base.h"
#include "core/demo.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

#include <stdio.h>
#include <string.h>

/* ---- random numbers --------------------------------------------------- */

/* splitmix64: one 64-bit state, passes BigCrush, and any seed (even 0)
 * is a good one, which matters when users type the seed. */
void
demo_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

static uint64_t
next64(struct demo_rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

uint32_t
demo_next(struct demo_rng *r, uint32_t n)
{
	uint64_t m;
	uint32_t lo, t;

	if (n == 0)
		return 0;
	/* Lemire's multiply-and-reject: exactly uniform without a division
	 * on the common path. */
	m = (uint64_t)(uint32_t)(next64(r) >> 32) * n;
	lo = (uint32_t)m;
	if (lo < n) {
		t = (uint32_t)(-n) % n;
		while (lo < t) {
			m = (uint64_t)(uint32_t)(next64(r) >> 32) * n;
			lo = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* ---- tables ----------------------------------------------------------- */

const char *const demo_villages[][2] = {
	{"青石村", "一组,二组,三组,四组,五组"},
	{"柳湾村", "一组,二组,三组,四组"},
	{"桃源村", "一组,二组,三组,四组,五组,六组"},
	{"石门村", "一组,二组,三组"},
	{"河口村", "一组,二组,三组,四组,五组"},
	{"龙潭村", "一组,二组,三组,四组"},
	{"东岭社区", "一组,二组,三组"},
	{"城关社区", "一组,二组,三组,四组"},
	{NULL, NULL},
};
/* Villages hold most of a township's 低保 households. */
const int demo_village_weight[] = {16, 13, 16, 9, 14, 10, 10, 12};

const char *const demo_surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
	"任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
	"邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
	"贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
	"莫", "孔", "向", "汤",
};
static const char *const given_m[] = {
	"伟", "强", "军", "勇", "杰", "涛", "明", "斌", "超", "刚", "平", "辉",
	"鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭",
	"宁", "龙", "林", "国", "建", "志", "文", "海", "成", "春", "德", "福",
	"生", "荣", "贵", "兴", "根", "东", "山", "金", "保", "忠", "学", "永",
	"峰", "磊", "洋", "亮", "庆", "祥", "水", "才", "发", "宏", "晨", "睿",
};
static const char *const given_f[] = {
	"芳", "娜", "敏", "静", "秀", "丽", "艳", "娟", "霞", "燕", "玲", "桂",
	"英", "兰", "梅", "红", "萍", "琴", "云", "莲", "凤", "洁", "琳", "婷",
	"雪", "慧", "颖", "倩", "玉", "珍", "华", "丹", "月", "翠", "菊", "花",
	"琼", "娥", "香", "美", "春", "淑", "欣", "怡", "佳", "雨", "晓", "蓉",
};
/* Outside GB2312: the ones that break GBK-only exports and old fonts. */
static const char *const given_rare[] = {"喆", "堃", "珺", "昇", "镕", "赟", "琇"};

/* Real county-level codes; the first is the township's own county. */
const char *const demo_regions[] = {
	"330106", "330102", "330108", "330122", "330781", "410102", "511702",
	"522601", "431102",
};

const char *const demo_serious_illness[] = {
	"尿毒症", "恶性肿瘤", "白血病", "脑卒中后遗症", "肝硬化", "再生障碍性贫血",
	"慢性心力衰竭", "系统性红斑狼疮",
};
static const char *const chronic_illness[] = {
	"高血压", "糖尿病", "慢性阻塞性肺疾病", "类风湿关节炎", "冠心病", "慢性肾炎",
	"哮喘",
};
static const char *const jobs_rural[] = {"务农", "务农", "务农", "外出务工", "灵活就业", "无业"};
static const char *const jobs_urban[] = {"灵活就业", "无业", "保洁员", "个体", "外出务工", "待业"};
static const char *const jobs_staff[] = {"乡村教师", "镇政府工作人员", "卫生院职工", "事业单位职工"};
static const char *const death_docs[] = {"死亡医学证明", "火化证"};
const char *const demo_banks[] = {"农村信用社", "中国农业银行", "邮政储蓄银行"};
static const char *const wage_evidence[] = {"工资条", "单位证明", "银行流水"};
static const char *const farm_evidence[] = {"农业收入测算", "村委会证明"};
static const char *const transfer_evidence[] = {"赡养费协议", "计生奖扶", "银行流水"};

/* ---- ID numbers ------------------------------------------------------- */

/*
 * Uniqueness by construction, not by luck: member slot k = index * 6 +
 * position.  Within a block of 182,500 slots a fixed bijection (multiply
 * by a unit modulo 182,500 = 2^2 * 5^4 * 73) gives each slot its own
 * (day of the year, sequence pair); the block number fixes the birth
 * year modulo 8.  Two slots thus differ in birthday, sequence or birth
 * year whatever their random ages, for every index below 8 * 182,500 / 6
 * = 243,333.  The bijection also scatters neighbours, so a village list
 * does not show runs of people born on the same day.
 */
#define ID_SLOTS 182500u
#define ID_MUL 104729u          /* prime, coprime with 182,500 */
#define ID_ADD 48611u
#define YEAR_MOD 8

struct slot
demo_slot_of(int index, int pos)
{
	uint64_t k = (uint64_t)index * 6 + (uint64_t)pos;
	uint64_t p = ((k % ID_SLOTS) * ID_MUL + ID_ADD) % ID_SLOTS;
	struct slot s;

	s.doy = (int)(p / 500);
	s.seq_half = (int)(p % 500);
	s.year_mod = (int)((k / ID_SLOTS) % YEAR_MOD);
	return s;
}

static dbdate_t
birth_in(int year, int doy)
{
	return date_from_days(date_to_days(date_make(year, 1, 1)) + doy);
}

/*
 * A birth date on the slot's day, aged lo..hi today, in a year of the
 * slot's residue.  Every range the callers ask for spans at least 8
 * years, so one always exists; if not, the nearest such year keeps the
 * number unique at the cost of the age.
 */
dbdate_t
demo_pick_birth(struct demo_rng *r, struct slot s, int lo, int hi, dbdate_t today)
{
	int years[128], n = 0, ty = date_year(today), y;

	if (lo < 0)
		lo = 0;
	if (hi > 105)
		hi = 105;
	for (y = ty - hi - 1; y <= ty - lo && n < N(years); y++) {
		dbdate_t b = birth_in(y, s.doy);
		int age;

		if (((y % YEAR_MOD) + YEAR_MOD) % YEAR_MOD != s.year_mod || b > today)
			continue;
		age = date_age_on(b, today);
		if (age >= lo && age <= hi)
			years[n++] = y;
	}
	if (n > 0)
		return birth_in(years[demo_next(r, (uint32_t)n)], s.doy);
	y = ty - lo - 1;
	while (((y % YEAR_MOD) + YEAR_MOD) % YEAR_MOD != s.year_mod)
		y--;
	return birth_in(y, s.doy);
}

void
demo_make_id(struct member *m, const char *region, struct slot s)
{
	char d17[18];

	snprintf(d17, sizeof d17, "%.6s%08d%03d", region, (int)m->birth,
	    s.seq_half * 2 + (m->sex == 'M' ? 1 : 0));
	memcpy(m->id, d17, 17);
	m->id[17] = id_check_char(d17);
	m->id[18] = '\0';
}

/* ---- people ----------------------------------------------------------- */

void
demo_make_name(struct demo_rng *r, char *buf, size_t size, const char *surname, char sex)
{
	const char *a, *b = "";

	a = sex == 'M' ? PICK(r, given_m) : PICK(r, given_f);
	if (chance(r, 60, 100))
		b = sex == 'M' ? PICK(r, given_m) : PICK(r, given_f);
	/* About 1 in 200: a character outside GB2312, as real rosters have. */
	if (chance(r, 1, 200)) {
		if (b[0] != '\0')
			b = PICK(r, given_rare);
		else
			a = PICK(r, given_rare);
	}
	snprintf(buf, size, "%s%s%s", surname, a, b);
}

const char *
demo_other_surname(struct demo_rng *r, const char *not)
{
	const char *s;

	do
		s = PICK(r, demo_surnames);
	while (strcmp(s, not) == 0);
	return s;
}

/* Health, disability, labour capacity and occupation, consistent with the
 * age: the elderly and the severely disabled cannot work, minors study. */
void
demo_make_condition(struct demo_rng *r, struct member *m, int age, bool urban)
{
	static const int grade_w[] = {20, 30, 25, 25};
	int x = (int)demo_next(r, 1000);

	if (age >= 50 ? x < 55 : x < 30) {
		m->health = HEALTH_SERIOUS;
		snprintf(m->illness, sizeof m->illness, "%s", PICK(r, demo_serious_illness));
	} else if (age >= 40 ? x < 190 : x < 110) {
		m->health = HEALTH_CHRONIC;
		snprintf(m->illness, sizeof m->illness, "%s", PICK(r, chronic_illness));
	}
	if (chance(r, 80, 1000)) {
		m->disability = (enum disability)rnd(r, DIS_VISION, DIS_MULTIPLE);
		m->disability_grade = 1 + weighted(r, grade_w, N(grade_w));
	}

	if (age < 18)
		m->labour = LABOUR_NONE;        /* minors are not counted as labour */
	else if (age >= 70 || member_severely_disabled(m) || m->health == HEALTH_SERIOUS)
		m->labour = chance(r, 85, 100) ? LABOUR_NONE : LABOUR_PARTIAL;
	else if (age >= 60 || m->disability != DIS_NONE || m->health == HEALTH_CHRONIC)
		m->labour = chance(r, 70, 100) ? LABOUR_PARTIAL : LABOUR_FULL;
	else
		m->labour = LABOUR_FULL;

	if (age < 6)
		snprintf(m->occupation, sizeof m->occupation, "学龄前");
	else if (age < 18)
		snprintf(m->occupation, sizeof m->occupation, "学生");
	else if (age < 23 && chance(r, 40, 100))
		snprintf(m->occupation, sizeof m->occupation, "学生");
	else if (age >= 60 || m->labour == LABOUR_NONE)
		snprintf(m->occupation, sizeof m->occupation, "无");
	else
		snprintf(m->occupation, sizeof m->occupation, "%s",
		    urban ? PICK(r, jobs_urban) : PICK(r, jobs_rural));

	/* Confidential flags and government-funded staff: the cases the
	 * rules and the print filters exist for. */
	if (chance(r, 5, 1000))
		m->flags |= MF_HIV;
	else if (chance(r, 3, 1000))
		m->flags |= MF_CONFIDENTIAL;
	if (age >= 22 && age < 60 && m->labour == LABOUR_FULL && chance(r, 28, 1000)) {
		m->flags |= MF_STAFF;
		snprintf(m->occupation, sizeof m->occupation, "%s", PICK(r, jobs_staff));
	}
}

/* A past death: after birth, within the last three years, not today. */
void
demo_make_death(struct demo_rng *r, struct member *m, dbdate_t from, dbdate_t to)
{
	int32_t a = date_to_days(from), b = date_to_days(to);

	if (a < date_to_days(m->birth))
		a = date_to_days(m->birth);
	if (b < a)
		b = a;  /* born after the window: dies at birth, never before */
	m->death = date_from_days(a + (int32_t)demo_next(r, (uint32_t)(b - a + 1)));
	snprintf(m->death_cert, sizeof m->death_cert, "%s%07u",
	    PICK(r, death_docs), demo_next(r, 10000000));
	snprintf(m->death_cause, sizeof m->death_cause, "%s",
	    m->health == HEALTH_SERIOUS ? m->illness : "疾病");
}

/* ---- the household ---------------------------------------------------- */

static void
add_income(struct dossier *d, enum income_kind kind, fen_t amount, const char *member_id,
    const char *evidence)
{
	struct income_item *it;

	if (amount <= 0 || d->n_incomes >= MAX_INCOMES)
		return;
	it = &d->incomes[d->n_incomes++];
	it->kind = kind;
	it->amount = amount;
	if (member_id != NULL)
		snprintf(it->member_id, sizeof it->member_id, "%s", member_id);
	snprintf(it->evidence, sizeof it->evidence, "%s", evidence);
}

void
demo_add_expense(struct dossier *d, enum expense_kind kind, fen_t amount, const char *note)
{
	struct expense_item *it = &d->expenses[d->n_expenses++];

	it->kind = kind;
	it->amount = amount;
	snprintf(it->note, sizeof it->note, "%s", note);
}

/* Split the household's monthly income H into items a clerk would record:
 * pensions of the elderly first, then wages or farming, the rest as
 * transfers (support from children elsewhere, subsidies). */
void
demo_make_incomes(struct demo_rng *r, struct dossier *d, fen_t h, dbdate_t today, bool urban)
{
	fen_t left = h;

	for (int i = 0; i < d->n_members && left > 0; i++) {
		const struct member *m = &d->members[i];
		fen_t p;

		if (m->death != 0 || date_age_on(m->birth, today) < 60)
			continue;
		p = urban ? rnd(r, 40000, 150000) : rnd(r, 15000, 30000);
		if (p > left)
			p = left;
		add_income(d, INC_PENSION, p, m->id, "社保查询");
		left -= p;
	}
	for (int i = 0; i < d->n_members && left > 0; i++) {
		const struct member *m = &d->members[i];
		int age = date_age_on(m->birth, today);
		fen_t w;

		/* the old live on pensions and their children, not on wages */
		if (m->death != 0 || m->labour == LABOUR_NONE || age < 18 || age >= 65)
			continue;
		w = left * rnd(r, 50, 90) / 100;
		if (w <= 0)
			continue;
		if (!urban && chance(r, 50, 100))
			add_income(d, INC_BUSINESS, w, m->id, PICK(r, farm_evidence));
		else
			add_income(d, INC_WAGE, w, m->id, PICK(r, wage_evidence));
		left -= w;
	}
	if (left > 0 && chance(r, 5, 100)) {
		fen_t p = left / 3;

		add_income(d, INC_PROPERTY, p, NULL, "租赁合同");
		left -= p;
	}
	if (left > 0)
		add_income(d, chance(r, 80, 100) ? INC_TRANSFER : INC_OTHER, left, NULL,
		    PICK(r, transfer_evidence));
}

/* Classified add-on per SPEC defaults (percent of S), highest category. */
int
demo_addon_pct(const struct member *m, int age)
{
	int p = 0;

	if (member_severely_disabled(m))
		p = 30;
	if (m->health == HEALTH_SERIOUS && p < 20)
		p = 20;
	if (age >= 80 && p < 20)
		p = 20;
	else if (age >= 70 && p < 15)
		p = 15;
	else if (age >= 60 && p < 10)
		p = 10;
	if (age < 18 && p < 10)
		p = 10;
	return p;
}

/* The subsidy card (issue 13), from its own stream so the rest of the
 * household stays as before: most households have one, held by the head;
 * about 1 in 100 shares the previous household's card (one card for two
 * households, R14), 1 in 100 is held by someone outside the household, and
 * 1 in 100 has no holder recorded (an old ledger's). */
static void
demo_card_account(const struct demo_rng *rs, int index, char out[24])
{
	struct demo_rng c;
	c.s = mix64(rs->s ^ mix64((uint64_t)(uint32_t)index + 0x1f83d9abfb41bd6bULL));
	out[0] = '6';
	for (int i = 1; i < 19; i++)
		out[i] = (char)('0' + demo_next(&c, 10));
	out[19] = '\0';
}

void
demo_card(const struct demo_rng *rs, const struct demo_rng *before, int index, struct dossier *d)
{
	struct demo_rng c = *before;
	c.s = mix64(c.s ^ 0x94d049bb133111ebULL);
	uint32_t p = demo_next(&c, 100);
	if (p >= 92) {
		d->bank[0] = d->account[0] = '\0';    /* no card */
		return;
	}
	snprintf(d->bank, sizeof d->bank, "%s", demo_banks[demo_next(&c, 3)]);
	demo_card_account(rs, index, d->account);
	if (p == 0 && index > 0)
		demo_card_account(rs, index - 1, d->account); /* the previous household's card */
	if (p == 1) {
		/* a card held outside the household: a valid ID of nobody here */
		char id[ID_LEN + 1];
		snprintf(id, sizeof id, "33010219700101%03d", (int)(index % 900) + 100);
		id[17] = id_check_char(id);
		id[18] = '\0';
		memcpy(d->holder, id, sizeof d->holder);
	} else if (p != 2) {
		memcpy(d->holder, d->members[d->head].id, sizeof d->holder);
	}
}
