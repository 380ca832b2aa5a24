/* SPDX-License-Identifier: GPL-3.0-or-later */
/* health.c — a member's health from the illness named (health.h). */
#include "config.h"

#include "core/health.h"
#include "core/terms.h"

enum health
health_of_illness(const char *illness, enum health chosen)
{
	if (chosen == HEALTH_GOOD && illness != NULL && illness[0] != '\0')
		return HEALTH_SERIOUS;
	return chosen;
}
