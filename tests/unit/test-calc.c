/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-calc.c — the benefit calculation (按标补差) against households
 * worked out by hand: every expected amount below is a literal computed
 * on paper from SPEC section 3, never by the formula under test, so a
 * wrong formula cannot agree with itself.
 *
 * Unless a case says otherwise: the month is 2026-01, S = 650.00 元
 * (65000 fen) from 2026-01, the default rates (60+ 10%, 70+ 15%, 80+ 20%,
 * severe disability 30%, serious illness 20%, minor 10%), threshold 1.5
 * and the total rounded to the yuan, half up.  Ages are reached by
 * 2026-01-31.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/calc.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/terms.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

#define JAN 202601
#define DEC 202512
#define S650 65000

static const char NOBODY[] = "single-person guarantee: no living member in the guarantee is severely disabled or seriously ill";
static const char ABOVE[] = "single-person guarantee: the household's per-capita income is above the threshold";

/* Birth dates and the age each reaches by the end of 2026-01 (and of
 * 2025-12: the same for all used in December). */
#define B45 19800610
#define B43 19820920
#define B20 20050705
#define B65 19600501
#define B50 19751010
#define B48 19770808
#define B25 20000404

/* A member as the case builds it, and what the record must say of them. */
struct tmem {
	dbdate_t birth;                 /* 0 ends the list */
	enum health health;
	enum disability dis;
	int grade;
	unsigned flags;
	dbdate_t death;
	/* expected */
	bool living, guaranteed;
	int age;
	enum addon_cat cat;
	fen_t own, base, addon;
};

struct tinc {
	fen_t amount;                   /* 0 ends the list */
	int who;                        /* member index, or -1: the household's */
};

struct tcase {
	const char *name;
	enum support support;
	enum poverty poverty;
	dbmonth_t month;
	fen_t standard;
	dbmonth_t from;
	enum rounding rounding;         /* 0 is the default, whole yuan half up */
	int threshold;                  /* per-mille; 0 = the default 1500 */
	fen_t fixed_all;                /* > 0: every category this fixed amount */
	fen_t fixed_severe;             /* > 0: severe disability a fixed amount */
	struct tmem m[6];
	struct tinc inc[4];
	fen_t exp[3];                   /* 0 ends the list */
	/* expected */
	int rc;
	const char *why;
	fen_t income, expenses, H, P;
	int members, guaranteed;
	fen_t base, addons, unrounded, total;
};

#define HH SUPPORT_HOUSEHOLD
#define SI SUPPORT_SINGLE
#define IN POVERTY_INCOME
#define EX POVERTY_EXPENSE
#define STD .month = JAN, .standard = S650, .from = JAN
/* expected member shorthands */
#define GET(...) .living = true, .guaranteed = true, __VA_ARGS__
#define NOT(...) .living = true, .guaranteed = false, __VA_ARGS__

static const struct tcase cases[] = {
	/* ---- 整户保 × 收入型/支出型 --------------------------------------- */
	{"整户保 收入型: P = 1000.00 / 3 rounded down to 333.33", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 100000, .base = 31667)},
		{.birth = B43, GET(.age = 43, .base = 31667)},
		{.birth = B20, GET(.age = 20, .base = 31667)}},
	    .inc = {{100000, 0}},
	    .income = 100000, .H = 100000, .P = 33333, .members = 3, .guaranteed = 3,
	    .base = 95001, .unrounded = 95001, .total = 95000},
	{"整户保 支出型: H = 1200 - 300 - 150; a 65-year-old gets 60+", HH, EX, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 120000, .base = 40000)},
		{.birth = B43, GET(.age = 43, .base = 40000)},
		{.birth = B65, GET(.age = 65, .cat = ADDON_AGE60, .base = 40000, .addon = 6500)}},
	    .inc = {{120000, 0}}, .exp = {30000, 15000},
	    .income = 120000, .expenses = 45000, .H = 75000, .P = 25000, .members = 3,
	    .guaranteed = 3, .base = 120000, .addons = 6500, .unrounded = 126500, .total = 126500},
	{"整户保 支出型: expenses above income give H = 0, not negative", HH, EX, STD,
	    .m = {{.birth = B45, GET(.age = 45, .base = 65000)},
		{.birth = B43, GET(.age = 43, .base = 65000)}},
	    .inc = {{50000, -1}}, .exp = {80000},
	    .income = 50000, .expenses = 80000, .H = 0, .P = 0, .members = 2, .guaranteed = 2,
	    .base = 130000, .unrounded = 130000, .total = 130000},
	{"整户保 收入型: expenses recorded but not subtracted", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .base = 35000)},
		{.birth = B43, GET(.age = 43, .own = 60000, .base = 35000)}},
	    .inc = {{60000, 1}}, .exp = {20000},
	    .income = 60000, .expenses = 20000, .H = 60000, .P = 30000, .members = 2,
	    .guaranteed = 2, .base = 70000, .unrounded = 70000, .total = 70000},
	{"整户保: zero income", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .base = 65000)},
		{.birth = B43, GET(.age = 43, .base = 65000)},
		{.birth = B20, GET(.age = 20, .base = 65000)}},
	    .members = 3, .guaranteed = 3, .base = 195000, .unrounded = 195000, .total = 195000},
	{"整户保: P above S gives base 0, the add-on is still computed", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 140000)},
		{.birth = B65, GET(.age = 65, .cat = ADDON_AGE60, .addon = 6500)}},
	    .inc = {{140000, 0}},
	    .income = 140000, .H = 140000, .P = 70000, .members = 2, .guaranteed = 2,
	    .addons = 6500, .unrounded = 6500, .total = 6500},

	/* ---- 单人保 × 收入型/支出型 and the threshold --------------------- */
	{"单人保 收入型: the severely disabled son receives S - own income", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 150000)},
		{.birth = B48, NOT(.age = 48)},
		{.birth = B25, .dis = DIS_PHYSICAL, .grade = 1,
		    GET(.age = 25, .cat = ADDON_SEVERE_DISABILITY, .own = 10000, .base = 55000,
			.addon = 19500)}},
	    .inc = {{150000, 0}, {10000, 2}},
	    .income = 160000, .H = 160000, .P = 53333, .members = 3, .guaranteed = 1,
	    .base = 55000, .addons = 19500, .unrounded = 74500, .total = 74500},
	{"单人保 支出型: the seriously ill wife receives", SI, EX, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 200000)},
		{.birth = B48, .health = HEALTH_SERIOUS,
		    GET(.age = 48, .cat = ADDON_SERIOUS_ILLNESS, .base = 65000, .addon = 13000)}},
	    .inc = {{200000, 0}}, .exp = {80000},
	    .income = 200000, .expenses = 80000, .H = 120000, .P = 60000, .members = 2,
	    .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000, .total = 78000},
	{"单人保: P = 975.00, exactly 1.5 S, accepted (intellectual grade 3 is severe)", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 195000)},
		{.birth = B25, .dis = DIS_INTELLECTUAL, .grade = 3,
		    GET(.age = 25, .cat = ADDON_SEVERE_DISABILITY, .base = 65000, .addon = 19500)}},
	    .inc = {{195000, 0}},
	    .income = 195000, .H = 195000, .P = 97500, .members = 2, .guaranteed = 1,
	    .base = 65000, .addons = 19500, .unrounded = 84500, .total = 84500},
	{"单人保: P = 975.01, one fen above 1.5 S, refused and nothing paid", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 195002)},
		{.birth = B25, .dis = DIS_INTELLECTUAL, .grade = 3, NOT(.age = 25)}},
	    .inc = {{195002, 0}},
	    .rc = -1, .why = ABOVE,
	    .income = 195002, .H = 195002, .P = 97501, .members = 2},
	{"单人保: H = 1950.01 over 2 rounds down to 975.00, accepted", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 195001)},
		{.birth = B25, .dis = DIS_INTELLECTUAL, .grade = 3,
		    GET(.age = 25, .cat = ADDON_SEVERE_DISABILITY, .base = 65000, .addon = 19500)}},
	    .inc = {{195001, 0}},
	    .income = 195001, .H = 195001, .P = 97500, .members = 2, .guaranteed = 1,
	    .base = 65000, .addons = 19500, .unrounded = 84500, .total = 84500},
	{"单人保 支出型, threshold 2: P = 1300.00 accepted; own pension 300", SI, EX, STD,
	    .threshold = 2000,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 250000)},
		{.birth = B48, .health = HEALTH_SERIOUS,
		    GET(.age = 48, .cat = ADDON_SERIOUS_ILLNESS, .own = 30000, .base = 35000,
			.addon = 13000)}},
	    .inc = {{250000, 0}, {30000, 1}}, .exp = {20000},
	    .income = 280000, .expenses = 20000, .H = 260000, .P = 130000, .members = 2,
	    .guaranteed = 1, .base = 35000, .addons = 13000, .unrounded = 48000, .total = 48000},
	{"单人保 支出型, threshold 2: P = 1300.01 refused", SI, EX, STD,
	    .threshold = 2000,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 250002)},
		{.birth = B48, .health = HEALTH_SERIOUS, NOT(.age = 48, .own = 30000)}},
	    .inc = {{250002, 0}, {30000, 1}}, .exp = {20000},
	    .rc = -1, .why = ABOVE,
	    .income = 280002, .expenses = 20000, .H = 260002, .P = 130001, .members = 2},
	{"单人保: nobody severely disabled or seriously ill (physical grade 3, chronic)", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50, .own = 60000)},
		{.birth = B48, .health = HEALTH_CHRONIC, NOT(.age = 48)},
		{.birth = B25, .dis = DIS_PHYSICAL, .grade = 3, NOT(.age = 25)}},
	    .inc = {{60000, 0}},
	    .rc = -1, .why = NOBODY,
	    .income = 60000, .H = 60000, .P = 20000, .members = 3},
	{"单人保: the seriously ill member is not in the guarantee", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50)},
		{.birth = B48, .health = HEALTH_SERIOUS, .flags = MF_NOT_GUARANTEED, NOT(.age = 48)}},
	    .rc = -1, .why = NOBODY, .members = 2},
	{"单人保: the seriously ill member died the month before", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50)},
		{.birth = B48, .health = HEALTH_SERIOUS, .death = 20251231, .age = 48}},
	    .rc = -1, .why = NOBODY, .members = 1},
	{"单人保: the first eligible member in order receives, only one", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50)},
		{.birth = B48, .health = HEALTH_SERIOUS,
		    GET(.age = 48, .cat = ADDON_SERIOUS_ILLNESS, .base = 65000, .addon = 13000)},
		{.birth = B25, .dis = DIS_MENTAL, .grade = 2, NOT(.age = 25)}},
	    .members = 3, .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000,
	    .total = 78000},
	{"单人保: own income above S gives base 0, the add-on still", SI, IN, STD,
	    .m = {{.birth = B50, NOT(.age = 50)},
		{.birth = B48, .health = HEALTH_SERIOUS,
		    GET(.age = 48, .cat = ADDON_SERIOUS_ILLNESS, .own = 70000, .addon = 13000)}},
	    .inc = {{70000, 1}},
	    .income = 70000, .H = 70000, .P = 35000, .members = 2, .guaranteed = 1,
	    .addons = 13000, .unrounded = 13000, .total = 13000},

	/* ---- add-ons: each alone, combined, highest wins ----------------- */
	{"add-on 60+ alone (60 in the month)", HH, IN, STD,
	    .m = {{.birth = 19650610, GET(.age = 60, .cat = ADDON_AGE60, .base = 65000, .addon = 6500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 6500, .unrounded = 71500,
	    .total = 71500},
	{"add-on 70+ alone: 97.50, total 747.50 rounds to 748", HH, IN, STD,
	    .m = {{.birth = 19550303, GET(.age = 70, .cat = ADDON_AGE70, .base = 65000, .addon = 9750)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 9750, .unrounded = 74750,
	    .total = 74800},
	{"add-on 80+ alone", HH, IN, STD,
	    .m = {{.birth = 19441201, GET(.age = 81, .cat = ADDON_AGE80, .base = 65000, .addon = 13000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000,
	    .total = 78000},
	{"add-on severe disability alone", HH, IN, STD,
	    .m = {{.birth = B45, .dis = DIS_HEARING, .grade = 2,
		GET(.age = 45, .cat = ADDON_SEVERE_DISABILITY, .base = 65000, .addon = 19500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 19500, .unrounded = 84500,
	    .total = 84500},
	{"add-on serious illness alone", HH, IN, STD,
	    .m = {{.birth = B45, .health = HEALTH_SERIOUS,
		GET(.age = 45, .cat = ADDON_SERIOUS_ILLNESS, .base = 65000, .addon = 13000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000,
	    .total = 78000},
	{"add-on minor alone", HH, IN, STD,
	    .m = {{.birth = 20150815, GET(.age = 10, .cat = ADDON_MINOR, .base = 65000, .addon = 6500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 6500, .unrounded = 71500,
	    .total = 71500},
	{"82 and severely disabled: 30% beats 20%", HH, IN, STD,
	    .m = {{.birth = 19430715, .dis = DIS_VISION, .grade = 1,
		GET(.age = 82, .cat = ADDON_SEVERE_DISABILITY, .base = 65000, .addon = 19500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 19500, .unrounded = 84500,
	    .total = 84500},
	{"75 and seriously ill: 20% beats 15%", HH, IN, STD,
	    .m = {{.birth = 19500420, .health = HEALTH_SERIOUS,
		GET(.age = 75, .cat = ADDON_SERIOUS_ILLNESS, .base = 65000, .addon = 13000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000,
	    .total = 78000},
	{"85 and seriously ill: a tie at 20% goes to 80+ (the lower category)", HH, IN, STD,
	    .m = {{.birth = 19400202, .health = HEALTH_SERIOUS,
		GET(.age = 85, .cat = ADDON_AGE80, .base = 65000, .addon = 13000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 13000, .unrounded = 78000,
	    .total = 78000},
	{"a severely disabled minor: 30% beats 10%", HH, IN, STD,
	    .m = {{.birth = 20120101, .dis = DIS_MULTIPLE, .grade = 2,
		GET(.age = 14, .cat = ADDON_SEVERE_DISABILITY, .base = 65000, .addon = 19500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 19500, .unrounded = 84500,
	    .total = 84500},
	{"turning 18 within the month: no minor add-on", HH, IN, STD,
	    .m = {{.birth = 20080120, GET(.age = 18, .base = 65000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .unrounded = 65000, .total = 65000},
	{"turning 18 the next month: still a minor", HH, IN, STD,
	    .m = {{.birth = 20080201, GET(.age = 17, .cat = ADDON_MINOR, .base = 65000, .addon = 6500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 6500, .unrounded = 71500,
	    .total = 71500},
	{"turning 60 on the month's last day: 60+", HH, IN, STD,
	    .m = {{.birth = 19660131, GET(.age = 60, .cat = ADDON_AGE60, .base = 65000, .addon = 6500)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .addons = 6500, .unrounded = 71500,
	    .total = 71500},
	{"turning 60 the next month: nothing yet", HH, IN, STD,
	    .m = {{.birth = 19660201, GET(.age = 59, .base = 65000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .unrounded = 65000, .total = 65000},
	{"physical grade 3 and a chronic illness: no category", HH, IN, STD,
	    .m = {{.birth = B45, .dis = DIS_PHYSICAL, .grade = 3, .health = HEALTH_CHRONIC,
		GET(.age = 45, .base = 65000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .unrounded = 65000, .total = 65000},
	{"every category in one household, each person once", HH, IN, STD,
	    .m = {{.birth = 19441201, GET(.age = 81, .cat = ADDON_AGE80, .own = 50000, .base = 55000,
		    .addon = 13000)},
		{.birth = 19430715, .dis = DIS_VISION, .grade = 1,
		    GET(.age = 82, .cat = ADDON_SEVERE_DISABILITY, .base = 55000, .addon = 19500)},
		{.birth = B45, .health = HEALTH_SERIOUS,
		    GET(.age = 45, .cat = ADDON_SERIOUS_ILLNESS, .base = 55000, .addon = 13000)},
		{.birth = 20150815, GET(.age = 10, .cat = ADDON_MINOR, .base = 55000, .addon = 6500)},
		{.birth = B43, GET(.age = 43, .base = 55000)}},
	    .inc = {{50000, 0}},
	    .income = 50000, .H = 50000, .P = 10000, .members = 5, .guaranteed = 5,
	    .base = 275000, .addons = 52000, .unrounded = 327000, .total = 327000},
	{"fixed 104 元 per person (rural, S = 580); 75 and disabled: tie to 70+", HH, IN,
	    .month = JAN, .standard = 58000, .from = JAN, .fixed_all = 10400,
	    .m = {{.birth = 19500420, .dis = DIS_PHYSICAL, .grade = 1,
		    GET(.age = 75, .cat = ADDON_AGE70, .own = 46000, .base = 46500, .addon = 10400)},
		{.birth = B45, .dis = DIS_PHYSICAL, .grade = 1,
		    GET(.age = 45, .cat = ADDON_SEVERE_DISABILITY, .base = 46500, .addon = 10400)},
		{.birth = 20150815, GET(.age = 10, .cat = ADDON_MINOR, .base = 46500, .addon = 10400)},
		{.birth = B43, GET(.age = 43, .base = 46500)}},
	    .inc = {{46000, 0}},
	    .income = 46000, .H = 46000, .P = 11500, .members = 4, .guaranteed = 4,
	    .base = 186000, .addons = 31200, .unrounded = 217200, .total = 217200},
	{"severe disability a fixed 142 元 beside rates (S = 700)", HH, IN,
	    .month = JAN, .standard = 70000, .from = JAN, .fixed_severe = 14200,
	    .m = {{.birth = B65, .dis = DIS_HEARING, .grade = 2,
		    GET(.age = 65, .cat = ADDON_SEVERE_DISABILITY, .base = 70000, .addon = 14200)},
		{.birth = 19441201, GET(.age = 81, .cat = ADDON_AGE80, .base = 70000, .addon = 14000)}},
	    .members = 2, .guaranteed = 2, .base = 140000, .addons = 28200, .unrounded = 168200,
	    .total = 168200},

	/* ---- a standard change: the caller passes S ---------------------- */
	{"2025-12 under S = 650 (from 2025-01)", HH, IN,
	    .month = DEC, .standard = 65000, .from = 202501,
	    .m = {{.birth = B45, GET(.age = 45, .own = 40000, .base = 45000)},
		{.birth = 19550601, GET(.age = 70, .cat = ADDON_AGE70, .base = 45000, .addon = 9750)}},
	    .inc = {{40000, 0}},
	    .income = 40000, .H = 40000, .P = 20000, .members = 2, .guaranteed = 2,
	    .base = 90000, .addons = 9750, .unrounded = 99750, .total = 99800},
	{"2026-01 under S = 700 (from 2026-01): the same household", HH, IN,
	    .month = JAN, .standard = 70000, .from = JAN,
	    .m = {{.birth = B45, GET(.age = 45, .own = 40000, .base = 50000)},
		{.birth = 19550601, GET(.age = 70, .cat = ADDON_AGE70, .base = 50000, .addon = 10500)}},
	    .inc = {{40000, 0}},
	    .income = 40000, .H = 40000, .P = 20000, .members = 2, .guaranteed = 2,
	    .base = 100000, .addons = 10500, .unrounded = 110500, .total = 110500},

	/* ---- rounding of the total --------------------------------------- */
	{"649.51 to the yuan half up: 650", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 49, .base = 64951)}},
	    .inc = {{49, 0}},
	    .income = 49, .H = 49, .P = 49, .members = 1, .guaranteed = 1,
	    .base = 64951, .unrounded = 64951, .total = 65000},
	{"649.50 to the yuan half up: 650", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 50, .base = 64950)}},
	    .inc = {{50, 0}},
	    .income = 50, .H = 50, .P = 50, .members = 1, .guaranteed = 1,
	    .base = 64950, .unrounded = 64950, .total = 65000},
	{"649.49 to the yuan half up: 649", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 51, .base = 64949)}},
	    .inc = {{51, 0}},
	    .income = 51, .H = 51, .P = 51, .members = 1, .guaranteed = 1,
	    .base = 64949, .unrounded = 64949, .total = 64900},
	{"649.49 to the fen: unchanged", HH, IN, STD, .rounding = ROUND_FEN,
	    .m = {{.birth = B45, GET(.age = 45, .own = 51, .base = 64949)}},
	    .inc = {{51, 0}},
	    .income = 51, .H = 51, .P = 51, .members = 1, .guaranteed = 1,
	    .base = 64949, .unrounded = 64949, .total = 64949},
	{"649.49 to the jiao half up: 649.50", HH, IN, STD, .rounding = ROUND_JIAO_HALF_UP,
	    .m = {{.birth = B45, GET(.age = 45, .own = 51, .base = 64949)}},
	    .inc = {{51, 0}},
	    .income = 51, .H = 51, .P = 51, .members = 1, .guaranteed = 1,
	    .base = 64949, .unrounded = 64949, .total = 64950},
	{"649.44 to the jiao half up: 649.40", HH, IN, STD, .rounding = ROUND_JIAO_HALF_UP,
	    .m = {{.birth = B45, GET(.age = 45, .own = 56, .base = 64944)}},
	    .inc = {{56, 0}},
	    .income = 56, .H = 56, .P = 56, .members = 1, .guaranteed = 1,
	    .base = 64944, .unrounded = 64944, .total = 64940},
	{"649.01 to the yuan, always up: 650", HH, IN, STD, .rounding = ROUND_YUAN_UP,
	    .m = {{.birth = B45, GET(.age = 45, .own = 99, .base = 64901)}},
	    .inc = {{99, 0}},
	    .income = 99, .H = 99, .P = 99, .members = 1, .guaranteed = 1,
	    .base = 64901, .unrounded = 64901, .total = 65000},
	{"650.00 to the yuan, always up: unchanged", HH, IN, STD, .rounding = ROUND_YUAN_UP,
	    .m = {{.birth = B45, GET(.age = 45, .base = 65000)}},
	    .members = 1, .guaranteed = 1, .base = 65000, .unrounded = 65000, .total = 65000},

	/* ---- deaths, members outside the guarantee, no one left ---------- */
	{"died in the month computed: still counted and paid", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 90000, .base = 35000)},
		{.birth = B43, .death = 20260115, GET(.age = 43, .base = 35000)},
		{.birth = B20, GET(.age = 20, .base = 35000)}},
	    .inc = {{90000, 0}},
	    .income = 90000, .H = 90000, .P = 30000, .members = 3, .guaranteed = 3,
	    .base = 105000, .unrounded = 105000, .total = 105000},
	{"died after the month computed (a back calculation): counted", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 90000, .base = 35000)},
		{.birth = B43, .death = 20260305, GET(.age = 43, .base = 35000)},
		{.birth = B20, GET(.age = 20, .base = 35000)}},
	    .inc = {{90000, 0}},
	    .income = 90000, .H = 90000, .P = 30000, .members = 3, .guaranteed = 3,
	    .base = 105000, .unrounded = 105000, .total = 105000},
	{"died the month before: P over the two survivors", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 90000, .base = 20000)},
		{.birth = B43, .death = 20251220, .age = 43},
		{.birth = B20, GET(.age = 20, .base = 20000)}},
	    .inc = {{90000, 0}},
	    .income = 90000, .H = 90000, .P = 45000, .members = 2, .guaranteed = 2,
	    .base = 40000, .unrounded = 40000, .total = 40000},
	{"not in the guarantee: counted in P, receives nothing, no add-on", HH, IN, STD,
	    .m = {{.birth = B45, GET(.age = 45, .own = 90000, .base = 35000)},
		{.birth = B65, .flags = MF_NOT_GUARANTEED, NOT(.age = 65)},
		{.birth = B43, GET(.age = 43, .base = 35000)}},
	    .inc = {{90000, 0}},
	    .income = 90000, .H = 90000, .P = 30000, .members = 3, .guaranteed = 2,
	    .base = 70000, .unrounded = 70000, .total = 70000},
	{"整户保 with no living member: total 0, not an error", HH, IN, STD,
	    .m = {{.birth = B45, .death = 20251105, .age = 45, .own = 30000}},
	    .inc = {{30000, 0}},
	    .income = 30000, .H = 30000},
	{"单人保 with no living member: total 0, not an error", SI, EX, STD,
	    .m = {{.birth = B48, .health = HEALTH_SERIOUS, .death = 20251105, .age = 48}},
	    .exp = {10000}, .expenses = 10000},
};

/* An ID number for a birth date: region 330102, sequence k, check char. */
static void
make_id(char id[ID_LEN + 1], dbdate_t birth, int k)
{
	char d17[18];

	snprintf(d17, sizeof d17, "330102%08d%03d", (int)birth, k % 1000);
	memcpy(id, d17, 17);
	id[17] = id_check_char(d17);
	id[18] = '\0';
}

static void
build(const struct tcase *c, struct dossier *d, struct calc_params *p)
{
	dossier_init(d);
	d->area = AREA_RURAL;
	d->support = c->support;
	d->poverty = c->poverty;
	for (int i = 0; i < (int)N(c->m) && c->m[i].birth != 0; i++) {
		const struct tmem *t = &c->m[i];
		struct member *mb = &d->members[d->n_members++];
		struct id_info info;
		const char *why = NULL;

		snprintf(mb->name, sizeof mb->name, "成员%d", i + 1);
		make_id(mb->id, t->birth, i + 1);
		/* the birth comes from the ID, as the store derives it */
		if (id_check(mb->id, 20260630, &info, &why) != 0)
			fail_msg("%s: member %d: %s", c->name, i, why);
		mb->birth = info.birth;
		mb->sex = info.sex;
		mb->relation = i == 0 ? REL_SELF : REL_OTHER;
		mb->health = t->health;
		mb->disability = t->dis;
		mb->disability_grade = t->grade;
		mb->flags = t->flags;
		mb->death = t->death;
	}
	for (int i = 0; i < (int)N(c->inc) && c->inc[i].amount != 0; i++) {
		struct income_item *it = &d->incomes[d->n_incomes++];

		it->kind = INC_WAGE;
		it->amount = c->inc[i].amount;
		if (c->inc[i].who >= 0)
			memcpy(it->member_id, d->members[c->inc[i].who].id, sizeof it->member_id);
	}
	for (int i = 0; i < (int)N(c->exp) && c->exp[i] != 0; i++) {
		d->expenses[d->n_expenses].kind = EXP_MEDICAL;
		d->expenses[d->n_expenses++].amount = c->exp[i];
	}

	calc_params_default(p, c->standard, c->from);
	p->rounding = c->rounding;
	if (c->threshold != 0)
		p->single_threshold_permille = c->threshold;
	for (int k = ADDON_NONE + 1; k < ADDON__N; k++)
		if (c->fixed_all > 0)
			p->addon_fixed[k] = c->fixed_all;
	if (c->fixed_severe > 0)
		p->addon_fixed[ADDON_SEVERE_DISABILITY] = c->fixed_severe;
}

#define EQ(what, got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ != w_) \
		fail_msg("%s: %s is %lld, wanted %lld", c->name, what, g_, w_); \
} while (0)

static void
check_case(const struct tcase *c)
{
	static struct dossier d;
	struct calc_params p;
	struct calc_record r;
	const char *why = NULL;
	int rc;

	build(c, &d, &p);
	memset(&r, 0x5a, sizeof r);
	rc = calc_dossier(&d, c->month, &p, &r, &why);
	EQ("rc", rc, c->rc);
	if (c->rc != 0) {
		if (why == NULL || strcmp(why, c->why) != 0)
			fail_msg("%s: why \"%s\", wanted \"%s\"", c->name, why ? why : "(null)", c->why);
	}
	EQ("month", r.month, c->month);
	EQ("standard", r.standard, c->standard);
	EQ("standard_from", r.standard_from, c->from);
	EQ("support", r.support, c->support);
	EQ("poverty", r.poverty, c->poverty);
	EQ("threshold", r.threshold_permille, c->threshold ? c->threshold : 1500);
	EQ("rounding", r.rounding, c->rounding);
	EQ("income", r.income, c->income);
	EQ("expenses", r.expenses, c->expenses);
	EQ("H", r.household_income, c->H);
	EQ("P", r.per_capita, c->P);
	EQ("members", r.members, c->members);
	EQ("guaranteed", r.guaranteed, c->guaranteed);
	EQ("base", r.base, c->base);
	EQ("addons", r.addons, c->addons);
	EQ("unrounded", r.unrounded, c->unrounded);
	EQ("total", r.total, c->total);
	EQ("n", r.n, d.n_members);
	for (int i = 0; i < d.n_members; i++) {
		const struct tmem *t = &c->m[i];
		const struct calc_member *cm = &r.m[i];
		char what[32];

		if (strcmp(cm->id, d.members[i].id) != 0)
			fail_msg("%s: member %d id %s, wanted %s", c->name, i, cm->id, d.members[i].id);
#define MEQ(f, want) do { snprintf(what, sizeof what, "m[%d].%s", i, #f); \
	EQ(what, cm->f, want); } while (0)
		MEQ(living, t->living);
		MEQ(guaranteed, t->guaranteed);
		MEQ(age, t->age);
		MEQ(cat, t->cat);
		MEQ(own_income, t->own);
		MEQ(base, t->base);
		MEQ(addon, t->addon);
#undef MEQ
	}
}

static void
test_table(void **state)
{
	for (size_t i = 0; i < N(cases); i++)
		check_case(&cases[i]);
}

/* The SPEC's defaults, as calc_params_default gives them. */
static void
test_defaults(void **state)
{
	struct calc_params p;

	memset(&p, 0x5a, sizeof p);
	calc_params_default(&p, 65000, 202601);
	assert_int_equal(p.standard, 65000);
	assert_int_equal(p.standard_from, 202601);
	assert_int_equal(p.single_threshold_permille, 1500);
	assert_int_equal(p.rounding, ROUND_YUAN_HALF_UP);
	assert_int_equal(p.addon_permille[ADDON_NONE], 0);
	assert_int_equal(p.addon_permille[ADDON_AGE60], 100);
	assert_int_equal(p.addon_permille[ADDON_AGE70], 150);
	assert_int_equal(p.addon_permille[ADDON_AGE80], 200);
	assert_int_equal(p.addon_permille[ADDON_SEVERE_DISABILITY], 300);
	assert_int_equal(p.addon_permille[ADDON_SERIOUS_ILLNESS], 200);
	assert_int_equal(p.addon_permille[ADDON_MINOR], 100);
	for (int k = 0; k < ADDON__N; k++)
		assert_int_equal(p.addon_fixed[k], 0);
}

static void
test_terms(void **state)
{
	static const char *const zh[ADDON__N] = {
		"无", "60周岁以上老年人", "70周岁以上老年人", "80周岁以上老年人", "重度残疾人",
		"重病患者", "未成年人",
	};
	static const char *const en[ADDON__N] = {
		"none", "age60", "age70", "age80", "severe-disability", "serious-illness", "minor",
	};

	for (int k = 0; k < ADDON__N; k++) {
		assert_string_equal(addon_terms[k].zh, zh[k]);
		assert_string_equal(addon_terms[k].en, en[k]);
	}
	assert_int_equal(term_find(addon_terms, ADDON__N, "重度残疾人"), ADDON_SEVERE_DISABILITY);
	assert_int_equal(term_find(addon_terms, ADDON__N, "MINOR"), ADDON_MINOR);
}

/* A month that is not one is refused rather than computed. */
static void
test_bad_month(void **state)
{
	static struct dossier d;
	struct calc_params p;
	struct calc_record r;
	const char *why = NULL;

	build(&cases[0], &d, &p);
	assert_int_equal(calc_dossier(&d, 202613, &p, &r, &why), -1);
	assert_string_equal(why, "month: must be written YYYY-MM");
	why = NULL;
	assert_int_equal(calc_dossier(&d, 0, &p, &r, &why), -1);
	assert_non_null(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_bad_month),
	};
	int failures = cmocka_run_group_tests(tests, NULL, NULL);

	return failures ? 1 : 0;
}
