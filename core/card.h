/* SPDX-License-Identifier: GPL-3.0-or-later */
/* card.h — the subsidy card and R14 (issue 13; payment.c). */
#ifndef DIBAO_CORE_CARD_H
#define DIBAO_CORE_CARD_H

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/rules.h"

#define ACCOUNT_MIN 12
#define ACCOUNT_MAX 30
/* Digits only (spaces dropped), 12–30 of them; -1 with *why (a msgid). */
int account_normalize(const char *in, char out[ACCOUNT_MAX + 1], const char **why);
/* Why the recorded holder may not receive the money on `on` (a msgid), or
 * NULL: none recorded, not a member, dead. */
const char *holder_problem(const struct dossier *d, dbdate_t on);
/* R14 for a dossier with an account: the holder, and shared_with (another
 * active dossier with the same account, NULL none).  Returns the results
 * written, or -1 when they would not fit in max or a message would be cut
 * (nothing dropped silently, as rules_check). */
int r14_check(const struct dossier *d, const char *shared_with, dbdate_t on, translate_fn tr,
    struct rule_result *out, int max);

#endif
