/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-id.c — `dibao id check ID...`: validity, birth date, sex and region
 * of each number, with the reason for every invalid one.  Needs no user.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "store/dossier.h"
#include "store/err.h"

dbdate_t store_today(void);

static int
check_exec(struct cli *c, int argc, char **argv)
{
	json_t *arr = c->json ? json_array() : NULL;
	int bad = 0;
	dbdate_t today = store_today();

	if (argc < 1)
		return cli_usage_cmd(c);
	for (int i = 0; i < argc; i++) {
		struct id_info info;
		const char *why = NULL;
		char birth[11] = "";
		bool ok = id_check(argv[i], today, &info, &why) == 0;
		if (ok)
			date_format(info.birth, birth);
		else
			bad++;
		if (arr) {
			char sex[2] = {ok ? info.sex : 0, 0};
			json_array_append_new(arr, json_pack("{s:s,s:b,s:s?,s:s?,s:s?,s:s?}",
			    "id", ok ? info.id : argv[i], "valid", ok, "reason", ok ? NULL : _(why),
			    "birth", ok ? birth : NULL, "sex", ok ? sex : NULL, "region", ok ? info.region : NULL));
		} else if (ok) {
			const char *prov = id_province(info.region);
			printf(_("%s valid  birth %s  sex %s  region %s %s\n"), info.id, birth,
			    info.sex == 'M' ? _("male") : _("female"), info.region, prov ? prov : "");
		} else {
			printf(_("%s invalid: %s\n"), argv[i], _(why));
		}
	}
	if (arr && cli_print_json(arr) != 0)
		return 3;
	return bad ? 1 : 0;
}

const struct cmd_entry cmds_id[] = {
	{"id", "check", "id check ID...", N_("check resident ID numbers (GB 11643): validity, birth date, sex, region"),
	    NEEDS_NOTHING, check_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
