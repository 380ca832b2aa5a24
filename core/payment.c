/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment.c — the pure part of the money trail (issue 13, SPEC 3 R14 and
 * SPEC 7): the subsidy card's account number, whether its holder may
 * receive the money, and the held reason of a household the payment
 * roster leaves out.  No I/O: the store finds the facts (another active
 * dossier with the same account) and passes them in.
 */
#include "core/card.h"
#include "core/base.h"
#include "core/dossier-model.h"
#include "core/rules.h"

#include <stdio.h>
#include <string.h>

int
account_normalize(const char *in, char out[ACCOUNT_MAX + 1], const char **why)
{
	size_t n = 0;

	*why = NULL;
	for (const char *p = in; *p; p++) {
		if (*p == ' ')
			continue;               /* typed in groups of four */
		if (*p < '0' || *p > '9') {
			*why = N_("an account number has digits only");
			return -1;
		}
		if (n == ACCOUNT_MAX) {
			*why = N_("an account number has 12 to 30 digits");
			return -1;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n < ACCOUNT_MIN) {
		*why = N_("an account number has 12 to 30 digits");
		return -1;
	}
	return 0;
}

const char *
holder_problem(const struct dossier *d, dbdate_t on)
{
	const struct member *m;

	if (d->holder[0] == '\0')
		return N_("no card holder is recorded: name the dossier's card holder");
	if ((m = dossier_member_c(d, d->holder)) == NULL)
		return N_("the card holder is not a member of the household");
	if (m->death != 0 && m->death <= on)
		return N_("the card holder has died");
	return NULL;
}

int
r14_check(const struct dossier *d, const char *shared_with, dbdate_t on, translate_fn tr,
    struct rule_result *out, int max)
{
	int n = 0;
	const char *why;

	/* every result whole, or -1 (issue 12 point 14: nothing dropped) */
	if (d->account[0] == '\0')
		return 0;
	if ((why = holder_problem(d, on)) != NULL) {
		if (n >= max || rule_result_set(&out[n++], "R14", true, "%s%s", tr(N_("R14: ")), tr(why)) != 0)
			return -1;
	}
	if (shared_with != NULL && shared_with[0]) {
		if (n >= max || rule_result_set(&out[n++], "R14", true,
		    tr(N_("R14: the same account is on the active dossier %s (one card for several households)")),
		    shared_with) != 0)
			return -1;
	}
	return n;
}
