/*
 * demo.c — loading the synthetic township of core/demo.c: villages,
 * standards and users for trying it out, then N households in batches of
 * a few hundred per transaction (a spinning disk commits ~60 synced
 * transactions a second; one per household would take half an hour).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

#define DEMO_BATCH 200

struct batch {
	const struct user *actor;
	struct demo_rng *rng;
	int from, to;
	dbdate_t today;
	fen_t std_urban, std_rural;
	struct dossier *d;
};

static int
batch_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct batch *b = baton;
	struct demo_rng saved = *b->rng;

	for (int i = b->from; i < b->to; i++) {
		demo_household(b->rng, i, b->today, b->std_urban, b->std_rural, b->d);
		b->d->no[0] = '\0';
		if (dossier_bulk_put(st, txn, b->actor, b->d, "demo.load", e) != 0) {
			/* a retried batch must generate the same households */
			*b->rng = saved;
			return -1;
		}
	}
	return 0;
}

static int
ensure_setup(struct store *st, const struct user *actor, dbdate_t today, fen_t *urban, fen_t *rural, struct err *e)
{
	dbmonth_t jan = month_of(date_make(date_year(today), 1, 1));

	for (int i = 0; demo_villages[i][0] != NULL; i++) {
		struct village v;
		if (village_resolve(st, NULL, demo_villages[i][0], &v, e) == 0)
			continue;
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", demo_villages[i][0]);
		snprintf(v.groups, sizeof v.groups, "%s", demo_villages[i][1]);
		if (village_add(st, actor, &v, e) != 0)
			return -1;
	}
	if (standard_get(st, NULL, AREA_URBAN, month_of(today), urban, NULL, e) != 0) {
		*urban = 80000;
		if (standard_set(st, actor, AREA_URBAN, jan, *urban, e) != 0)
			return -1;
	}
	if (standard_get(st, NULL, AREA_RURAL, month_of(today), rural, NULL, e) != 0) {
		*rural = 65000;
		if (standard_set(st, actor, AREA_RURAL, jan, *rural, e) != 0)
			return -1;
	}
	err_clear(e);
	return 0;
}

int
demo_load(struct store *st, const struct user *actor, int households, uint64_t seed,
    void (*progress)(int done, int total, void *), void *pbaton, struct err *e)
{
	struct demo_rng rng;
	struct batch b = {.actor = actor, .rng = &rng};
	int ret = 0;

	if (store_require(actor, ACT_DEMO, e) != 0)
		return -1;
	if (households < 1 || households > 1000000)
		return err_set(e, E_REFUSED, _("households: 1 to 1000000"));
	b.today = store_today();
	if (ensure_setup(st, actor, b.today, &b.std_urban, &b.std_rural, e) != 0)
		return -1;
	if ((b.d = malloc(sizeof *b.d)) == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	demo_seed(&rng, seed);
	for (int i = 0; i < households && ret == 0; i += DEMO_BATCH) {
		b.from = i;
		b.to = i + DEMO_BATCH < households ? i + DEMO_BATCH : households;
		ret = store_txn_run(st, batch_body, &b, e);
		if (progress)
			progress(b.to, households, pbaton);
	}
	free(b.d);
	return ret;
}
