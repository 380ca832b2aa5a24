/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * setting-names.c — each setting's short name (an English msgid, N_; the
 * edge translates it), beside the settings table (settings.c), so the
 * console's settings screen and the command line name a setting the same
 * way.  A setting added to settings.c gets its name here (tests check).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "core/setting-names.h"
#include "core/base.h"

static const struct { const char *key, *name; } names[] = {
	{"township.name", N_("Township name")}, {"township.code", N_("Township code")},
	{"county.code", N_("County code")}, {"county.name", N_("County name")},
	{"seal.text", N_("Seal text")}, {"phone.township", N_("Township complaint phone")},
	{"phone.county", N_("County complaint phone")}, {"deposit.multiple", N_("Deposit red line (multiple)")},
	{"single.threshold.permille", N_("Single-person threshold (‰)")}, {"notice.days", N_("Notice period (days)")},
	{"review.months.A", N_("Review interval, category A (months)")},
	{"review.months.B", N_("Review interval, category B (months)")},
	{"review.months.C", N_("Review interval, category C (months)")},
	{"gradual.exit.months", N_("Gradual exit (months)")}, {"report.cutoff.day", N_("Monthly report cutoff day")},
	{"rounding", N_("Rounding of the monthly total")},
	{"deadline.start.days", N_("Start of survey (working days)")},
	{"deadline.decide.days", N_("Decision deadline (working days)")},
	{"deadline.refusal.days", N_("Refusal notice (working days)")}, {"holidays", N_("Public holidays")},
	{"clue.deadline.days", N_("Clue deadline (days)")}, {"deadline.near.days", N_("Deadline warning (working days)")},
	{"death.review.months", N_("Review after a death (months)")},
	{"addon.age60.permille", N_("Add-on aged 60+ (‰)")}, {"addon.age70.permille", N_("Add-on aged 70+ (‰)")},
	{"addon.age80.permille", N_("Add-on aged 80+ (‰)")},
	{"addon.severe-disability.permille", N_("Add-on severe disability (‰)")},
	{"addon.serious-illness.permille", N_("Add-on serious illness (‰)")}, {"addon.minor.permille", N_("Add-on minors (‰)")},
	{"addon.age60.fixed.rural", N_("Aged 60+ fixed, rural (yuan)")}, {"addon.age60.fixed.urban", N_("Aged 60+ fixed, urban (yuan)")},
	{"addon.age70.fixed.rural", N_("Aged 70+ fixed, rural (yuan)")}, {"addon.age70.fixed.urban", N_("Aged 70+ fixed, urban (yuan)")},
	{"addon.age80.fixed.rural", N_("Aged 80+ fixed, rural (yuan)")}, {"addon.age80.fixed.urban", N_("Aged 80+ fixed, urban (yuan)")},
	{"addon.severe-disability.fixed.rural", N_("Severe disability fixed, rural (yuan)")},
	{"addon.severe-disability.fixed.urban", N_("Severe disability fixed, urban (yuan)")},
	{"addon.serious-illness.fixed.rural", N_("Serious illness fixed, rural (yuan)")},
	{"addon.serious-illness.fixed.urban", N_("Serious illness fixed, urban (yuan)")},
	{"addon.minor.fixed.rural", N_("Minors fixed, rural (yuan)")}, {"addon.minor.fixed.urban", N_("Minors fixed, urban (yuan)")},
	{"county.key", N_("County public key")}, {"console.lock.minutes", N_("Console lock (minutes)")},
	/* issue 15: j12's setting by a name, not its long description (which
	 * widened the settings list's name column to its cap) */
	{"income.excluded.local", N_("Incomes the township leaves out")},
	{"replica.ack.timeout.ms", N_("Standby acknowledgement (ms)")}, {"replica.elections", N_("Standby elections")},
};

const char *
setting_short_name(const char *key)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].key, key) == 0)
			return names[i].name;
	return NULL;
}
