/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * notice-phones.c — the complaint phones are the point of a public notice
 * (SPEC: 公开举报电话): posting a notice (the advance to 公示中) and
 * printing one are refused while either phone setting is unset, naming
 * the setting, so no notice goes up saying "（未设置）".
 */
#include "config.h"

#include <string.h>

#include "core/settings-defs.h"
#include "store/env.h"
#include "store/err.h"
#include "store/screen.h"
#include "store/settings.h"
#include "store/env-int.h"

int
notice_phones_required(struct store *st, store_txn *txn, char *township, char *county, size_t size,
    struct err *e)
{
	static const char *const keys[2] = {"phone.township", "phone.county"};
	char *out[2] = {township, county};

	for (int i = 0; i < 2; i++) {
		const struct setting_def *d = setting_def_find(keys[i]);
		if (setting_get(st, txn, keys[i], out[i], size, e) != 0)
			return -1;
		if (out[i][0] == '\0')
			return err_set(e, E_REFUSED, _("the notice needs the complaint phones: the setting “%s” (%s) is not set"),
			    d ? _(d->help) : keys[i], keys[i]);
	}
	return 0;
}
