/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * setting-words.c — the settings as a clerk reads them (issue 15 point 7):
 * a short Chinese name for each setting instead of its key (the names are
 * core's, beside the settings table: core/setting-names.c), and its value
 * in words (rounding as 到元…, money in 元, an unset value as 未设置, a key
 * shortened).  The keys stay the command line's (`dibao setting set KEY`).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/setting-names.h"
#include "tui/tui.h"

#include "core/base.h"
#include "core/settings-defs.h"
#include "store/err.h"
/* the rounding settings' words, in the order of rounding_names */
const char *const rounding_words[] = {
	N_("to the yuan (half up)"), N_("to the jiao (half up)"), N_("to the fen"), N_("to the yuan (up)"), NULL,
};

/* what the setting is for, as the console says it: the store's
 * description but for the rounding's, which names the command line's values */
const char *
setting_about(const char *key, const char *help)
{
	if (strcmp(key, "rounding") == 0)
		return _("how the monthly total is rounded");
	return help ? help : "";
}

const char *
setting_name(const char *key)
{
	const char *name = setting_short_name(key);
	if (name != NULL)
		return _(name);
	/* a setting added since: its description */
	const struct setting_def *d = setting_def_find(key);
	return d && d->help ? _(d->help) : key;
}

void
setting_value_words(const char *key, const char *val, char *out, size_t size)
{
	const struct setting_def *d = setting_def_find(key);
	int kind = d ? d->kind : SET_TEXT;
	if (val[0] == '\0') {
		snprintf(out, size, "%s", _("(not set)"));
		return;
	}
	switch (kind) {
	case SET_ROUNDING:
		for (int i = 0; rounding_names[i]; i++)
			if (strcmp(rounding_names[i], val) == 0) {
				snprintf(out, size, "%s", _(rounding_words[i]));
				return;
			}
		break;
	case SET_MONEY:
		snprintf(out, size, _("%s yuan"), val);
		return;
	case SET_KEY32:
		/* 64 hex digits do not fit: its start, to compare */
		snprintf(out, size, _("set (%.8s…)"), val);
		return;
	default:
		break;
	}
	snprintf(out, size, "%s", val);
}
