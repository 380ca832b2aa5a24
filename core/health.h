/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * health.h — a member's health from the illness named (SPEC section 2):
 * the one rule both front ends apply when a clerk names or clears an
 * illness.
 */
#ifndef DIBAO_CORE_HEALTH_H
#define DIBAO_CORE_HEALTH_H

#include "core/terms.h"

/* The health a member has with this illness text and this health chosen
 * (HEALTH_GOOD when none was chosen): 慢性病 or 重病 as chosen; an illness
 * named with 健康 is 重病 (as before the choice existed); no illness and no
 * choice is 健康.  A front end where the clerk says 健康 outright (the
 * command line's --health) takes that as said. */
enum health	health_of_illness(const char *illness, enum health chosen);

#endif
