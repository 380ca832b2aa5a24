/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opts.c — long options for subcommands: --name VALUE, --name=VALUE,
 * --flag, repeated --name for lists; "--" ends options.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#include "store/err.h"

int
opts_parse(int argc, char **argv, const struct opt *opts, char **pos, int *npos, int maxpos)
{
	bool only_pos = false;

	*npos = 0;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || a[1] != '-' || a[2] == '\0') {
			if (!only_pos && strcmp(a, "--") == 0) {
				only_pos = true;
				continue;
			}
			if (*npos >= maxpos) {
				fprintf(stderr, _("dibao: too many arguments: %s\n"), a);
				return -1;
			}
			pos[(*npos)++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt *o = NULL;
		for (const struct opt *p = opts; p && p->name; p++)
			if (strlen(p->name) == nlen && strncmp(p->name, name, nlen) == 0)
				o = p;
		if (o == NULL) {
			fprintf(stderr, _("dibao: unknown option --%.*s\n"), (int)nlen, name);
			return -1;
		}
		if (o->kind == OPT_FLAG) {
			if (eq) {
				fprintf(stderr, _("dibao: option --%s takes no value\n"), o->name);
				return -1;
			}
			*(bool *)o->out = true;
			continue;
		}
		const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (val == NULL) {
			fprintf(stderr, _("dibao: option --%s needs a value\n"), o->name);
			return -1;
		}
		if (o->kind == OPT_VALUE) {
			*(const char **)o->out = val;
		} else {
			struct opt_multi *m = o->out;
			if (m->n >= 16) {
				fprintf(stderr, _("dibao: option --%s given too often\n"), o->name);
				return -1;
			}
			m->v[m->n++] = val;
		}
	}
	return 0;
}
