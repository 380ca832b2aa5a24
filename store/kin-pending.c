/*
 * kin-pending.c — TEMPORARY until the kin registry branch is merged in
 * this session: no registry yet, so no matches and no conflicts.
 */
#include "config.h"

#include "store/store-int.h"

int
kin_unfiled(struct store *st, store_txn *txn, const char *dossier, int *count, struct err *e)
{
	*count = 0;
	return 0;
}

int
kin_has_match(struct store *st, store_txn *txn, const char *dossier, bool *yes, struct err *e)
{
	*yes = false;
	return 0;
}

int
kin_conflict(struct store *st, store_txn *txn, const struct user *actor, const struct dossier *d,
    char *why, size_t whysize, struct err *e)
{
	return 0;
}
