/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * verify.c — a verification code's verdicts (verify.h): for each print
 * carrying the code, does the record still derive it (an edited record no
 * longer does), and would the dossier (its hashed record) or the village or
 * month list (its content digest) print the same today.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print/verify.h"
#include "store/settings.h"
#include "store/err.h"
#include "store/prints.h"
#include "core/dossier-model.h"
#include "core/sizes.h"

struct verify_walk {
	struct store	*st;
	char		 township_code[TEXT_SHORT];
	struct dossier	*d;
	int		(*fn)(const struct print_verdict *, void *);
	void		*baton;
};

static int
verdict_of(const struct prints_entry *p, void *baton)
{
	struct verify_walk *w = baton;
	struct print_verdict v;
	char again[PRINT_CODE_LEN + 1];
	unsigned char now[32];
	time_t t = (time_t)p->time;
	struct tm tm;
	struct err e;

	memset(&v, 0, sizeof v);
	v.p = p;
	v.form = form_find(p->form);
	v.list = p->dossier[0] == '\0';
	/* the record must still derive its own code: a print record edited
	 * behind the program's back no longer does */
	prints_code_derive(w->township_code, v.list ? p->scope : p->dossier, p->form, p->hash, again);
	if (strcmp(again, p->code) != 0) {
		v.damaged = true;
		return w->fn(&v, w->baton);
	}
	if (localtime_r(&t, &tm) == NULL || strftime(v.when, sizeof v.when, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(v.when, sizeof v.when, "?");
	err_clear(&e);
	if (v.list) {
		v.changed = print_list_digest(w->st, p->form, p->scope, now, &e) != 0 ||
		    memcmp(now, p->hash, 32) != 0;
		return w->fn(&v, w->baton);
	}
	v.gone = dossier_get_hashed(w->st, NULL, p->dossier, w->d, now, &e) != 0;
	v.changed = v.gone || memcmp(now, p->hash, 32) != 0;
	v.current_version = v.gone ? 0 : w->d->version;
	return w->fn(&v, w->baton);
}

int
print_verify(struct store *st, const char *code,
    int (*fn)(const struct print_verdict *, void *), void *baton, struct err *e)
{
	struct verify_walk w = {.st = st, .fn = fn, .baton = baton};
	int rc;

	if (setting_get(st, NULL, "township.code", w.township_code, sizeof w.township_code, e) != 0)
		return -1;
	if ((w.d = malloc(sizeof *w.d)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	rc = prints_by_code(st, code, verdict_of, &w, e);
	free(w.d);
	return rc;
}
