/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * settings.c — every setting a township can change (SPEC "Settings"), its
 * default and how a new value is checked.  Stored as text by the store.
 */
#include "core/date.h"
#include "core/text.h"
#include "core/settings-defs.h"
#include "core/base.h"
#include "core/money.h"

#include <stdlib.h>
#include <string.h>

const char *const rounding_names[] = {"yuan", "jiao", "fen", "yuan-up", NULL};

const struct setting_def setting_defs[] = {
	{"township.name", "", N_("township name"), SET_TEXT, 0, 0},
	{"township.code", "", N_("9-digit township code (set by init, read-only)"), SET_READONLY, 0, 0},
	{"county.code", "", N_("6-digit county code (county databases, read-only)"), SET_READONLY, 0, 0},
	{"county.name", "", N_("county name"), SET_TEXT, 0, 0},
	{"seal.text", "", N_("text along the seal's arc (default: township name)"), SET_TEXT, 0, 0},
	{"phone.township", "", N_("complaint phone of the township"), SET_TEXT, 0, 0},
	{"phone.county", "", N_("complaint phone of the county"), SET_TEXT, 0, 0},
	{"deposit.multiple", "50", N_("deposit red line: multiple of the standard per member"), SET_INT, 1, 1000},
	{"single.threshold.permille", "1500", N_("single-person guarantee income threshold, per mille of the standard"), SET_INT, 1000, 5000},
	{"notice.days", "7", N_("public notice period in days"), SET_INT, 1, 60},
	{"review.months.A", "12", N_("review interval of category A, months"), SET_INT, 1, 36},
	{"review.months.B", "6", N_("review interval of category B, months"), SET_INT, 1, 36},
	{"review.months.C", "3", N_("review interval of category C, months"), SET_INT, 1, 36},
	{"gradual.exit.months", "6", N_("gradual exit period in months (0 = off)"), SET_INT, 0, 24},
	{"report.cutoff.day", "25", N_("monthly report cutoff day"), SET_INT, 1, 28},
	{"rounding", "yuan", N_("rounding of the monthly total: yuan, jiao, fen, yuan-up"), SET_ROUNDING, 0, 0},
	{"deadline.start.days", "3", N_("working days to start survey and check after acceptance"), SET_INT, 1, 30},
	{"deadline.decide.days", "20", N_("working days to decide a case"), SET_INT, 1, 90},
	{"deadline.refusal.days", "3", N_("working days to notify a refusal"), SET_INT, 1, 30},
	{"holidays", "", N_("public holidays, YYYY-MM-DD separated by commas"), SET_DATES, 0, 0},
	{"clue.deadline.days", "30", N_("days to handle a complaint clue"), SET_INT, 1, 365},
	{"deadline.near.days", "2", N_("working days before a deadline when a case is flagged as near"), SET_INT, 0, 10},
	{"death.review.months", "3", N_("months within which a review follows a death"), SET_INT, 1, 12},
	{"addon.age60.permille", "100", N_("add-on for members aged 60+, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.age70.permille", "150", N_("add-on for members aged 70+, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.age80.permille", "200", N_("add-on for members aged 80+, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.severe-disability.permille", "300", N_("add-on for severely disabled members, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.serious-illness.permille", "200", N_("add-on for seriously ill members, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.minor.permille", "100", N_("add-on for minors, per mille of the standard"), SET_INT, 0, 1000},
	{"addon.age60.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.age60.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.age70.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.age70.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.age80.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.age80.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.severe-disability.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.severe-disability.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.serious-illness.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.serious-illness.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.minor.fixed.rural", "0", N_("fixed add-on per person instead (rural, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	{"addon.minor.fixed.urban", "0", N_("fixed add-on per person instead (urban, yuan; 0 = use the rate)"), SET_MONEY, 0, 0},
	/* integrity (j12): income the township excludes besides SPEC's list */
	{"income.excluded.local", "", N_("income the township also leaves out of the calculation (SPEC 3): names separated by commas"), SET_TEXT, 0, 0},
	/* protection (i14) */
	{"county.key", "", N_("the county's public key (dibao county key): the monthly archive is sealed to it"), SET_KEY32, 0, 0},
	{"console.lock.minutes", "10", N_("minutes without a key before the console locks itself"), SET_INT, 1, 240},
	/* the standby PC (store/replica.c) */
	{"replica.ack.timeout.ms", "2000", N_("milliseconds a commit waits for the standby's acknowledgement"), SET_INT, 100, 60000},
	{"replica.elections", "0", N_("three or more sites: 1 = a majority elects the new master, 0 = an admin promotes"), SET_INT, 0, 1},
};
const int n_setting_defs = (int)(sizeof setting_defs / sizeof setting_defs[0]);

const struct setting_def *
setting_def_find(const char *key)
{
	for (int i = 0; i < n_setting_defs; i++)
		if (strcmp(setting_defs[i].key, key) == 0)
			return &setting_defs[i];
	return NULL;
}

int
rounding_parse(const char *s, enum rounding *out)
{
	for (int i = 0; rounding_names[i] != NULL; i++) {
		if (strcmp(rounding_names[i], s) == 0) {
			*out = (enum rounding)i;
			return 0;
		}
	}
	return -1;
}

static int
check_dates(const char *val, char *out, size_t outsize, const char **why)
{
	size_t used = 0;
	const char *p = val;

	out[0] = '\0';
	while (*p != '\0') {
		char one[32];
		size_t n = strcspn(p, ", ");
		dbdate_t d;
		if (n > 0) {
			if (n >= sizeof one) {
				*why = N_("holidays: each must be a date YYYY-MM-DD");
				return -1;
			}
			memcpy(one, p, n);
			one[n] = '\0';
			if (date_parse(one, &d, why) != 0)
				return -1;
			if (used + 12 >= outsize) {
				*why = N_("holidays: too many dates");
				return -1;
			}
			if (used > 0)
				out[used++] = ',';
			date_format(d, out + used);
			used += 10;
		}
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

int
setting_validate(const struct setting_def *d, const char *val, char *out, size_t outsize,
    const char **why)
{
	enum rounding r;
	char *end;
	long v;

	switch (d->kind) {
	case SET_INT:
		v = strtol(val, &end, 10);
		if (*val == '\0' || *end != '\0') {
			*why = N_("value: must be a whole number");
			return -1;
		}
		if (v < d->min || v > d->max) {
			*why = N_("value: out of the allowed range");
			return -1;
		}
		break;
	case SET_ROUNDING:
		if (rounding_parse(val, &r) != 0) {
			*why = N_("value: must be one of yuan, jiao, fen, yuan-up");
			return -1;
		}
		break;
	case SET_DATES:
		return check_dates(val, out, outsize, why);
	case SET_MONEY: {
		fen_t f;
		if (money_parse(val, &f, why) != 0)
			return -1;
		if (f < 0) {
			*why = N_("value: must not be negative");
			return -1;
		}
		money_format(f, out);
		return 0;
	}
	case SET_READONLY:
		*why = N_("value: this setting is fixed when the database is created");
		return -1;
	case SET_KEY32: {
		size_t n = strlen(val);
		if (n != 0 && (n != 64 || strspn(val, "0123456789abcdefABCDEF") != 64)) {
			*why = N_("value: must be 64 hexadecimal digits, as dibao county key prints them");
			return -1;
		}
		if (outsize <= n) {
			*why = N_("value: too long");
			return -1;
		}
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)(val[i] >= 'A' && val[i] <= 'F' ? val[i] - 'A' + 'a' : val[i]);
		return 0;
	}
	default:
		break;
	}
	return text_set(out, outsize, val, why);
}
