/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * setting-names.h — a setting's short name, beside the settings table.
 */
#ifndef DIBAO_CORE_SETTING_NAMES_H
#define DIBAO_CORE_SETTING_NAMES_H

#include "core/base.h"	/* N_ */

/* The setting's short name as an English msgid (N_), "Township name";
 * NULL for a key that has none. */
const char	*setting_short_name(const char *key);

#endif
