/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * conflict.c — R11, the operator stands aside: a member of the household,
 * or (through the kin registry, kin_conflict) a declared relative of one.
 * The procedure's rules (case.c) and every dossier write (dossier.c) ask
 * it; it sits above the kin matching and below both.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/dossier-model.h"
#include "core/roles.h"
#include "store/conflict.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/env-int.h"
#include "store/env.h"

/* R11: the operator is a member of the dossier (the kin registry adds the
 * declared relatives through kin_conflict). */
int
dossier_conflict_of(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t size, struct err *e)
{
	if (actor->id[0] != '\0') {
		for (int i = 0; i < d->n_members; i++) {
			if (strcmp(d->members[i].id, actor->id) == 0) {
				snprintf(why, size, _("R11: you (%s) are member %s of this household and must stand aside"),
				    actor->login, d->members[i].name);
				return 1;
			}
		}
	}
	return kin_conflict(st, txn, actor, d, why, size, e);
}

/* integrity (i12): R11 on every write on the dossier by that person */
int
dossier_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d, struct err *e)
{
	char why[512];
	int r = dossier_conflict_of(st, txn, actor, d, why, sizeof why, e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_REFUSED, "%s", why);
	return 0;
}
