/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-store.c — figures for docs/PERFORMANCE.md (not a test; prints and
 * never fails CI): loading N demo households, opening the store and
 * showing one dossier, lookups by ID number and by name prefix (median and
 * p95 over 1,000 random keys), check, and the size on disk.
 *
 * usage: bench-store DATA_DIR HOUSEHOLDS   (DATA_DIR must not exist)
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/demo.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/check.h"
#include "store/demo.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Peak RSS since the last reset_peak() (VmHWM), in KB. */
static long
peak_rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Start measuring the peak afresh: the admin's Argon2id hash at init takes
 * 64 MB for a moment, which is login's cost, not the load's. */
static void
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("%-34s median %8.3f ms   p95 %8.3f ms   (n=%d)\n", what, v[n / 2], v[n * 95 / 100], n);
}

static int
count_one(const struct dossier *d, void *baton)
{
	(*(int *)baton)++;
	return 0;
}

static int
copy_no(const struct dossier *d, void *baton)
{
	strcpy(baton, d->no);
	return 1;
}

static void
problem(const char *msg, void *baton)
{
	fprintf(stderr, "check: %s\n", msg);
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct err e;
	struct user admin;
	struct dossier *d = malloc(sizeof *d);
	double t0, lat[1000];
	int n;

	if (argc != 3 || d == NULL)
		return 2;
	n = atoi(argv[2]);
	if (sodium_init() < 0)
		return 3;
	if (store_open(&st, argv[1], STORE_CREATE, &e) != 0 ||
	    store_init(st, "330102001", "青石镇", false, "admin", "bench-password", &e) != 0 ||
	    user_get(st, NULL, "admin", &admin, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 3;
	}
	long rss0 = peak_rss_kb();
	reset_peak();
	t0 = now_ms();
	if (demo_load(st, &admin, n, 1, NULL, NULL, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 3;
	}
	printf("load %d households                 %8.1f s     peak RSS %ld KB (init with its password hash: %ld KB)\n",
	    n, (now_ms() - t0) / 1e3, peak_rss_kb(), rss0);
	store_close(st);

	/* open and show one dossier, as `dibao dossier show` does */
	char no[DOSSIER_NO_LEN + 1];
	if (store_open(&st, argv[1], 0, &e) != 0)
		return 3;
	struct dossier_filter first = {.status = -1, .offset = (size_t)n / 2, .limit = 1};
	if (dossier_list(st, &first, copy_no, no, &e) != 0)
		return 3;
	store_close(st);
	for (int i = 0; i < 20; i++) {
		t0 = now_ms();
		if (store_open(&st, argv[1], 0, &e) != 0 || dossier_get(st, NULL, no, d, &e) != 0)
			return 3;
		lat[i] = now_ms() - t0;
		store_close(st);
	}
	report("open store + show one dossier", lat, 20);

	if (store_open(&st, argv[1], 0, &e) != 0)
		return 3;
	/* random members of the demo township, regenerated from the seed */
	struct demo_rng rng, pick;
	demo_seed(&rng, 1);
	demo_seed(&pick, 99);
	char ids[1000][ID_LEN + 1], names[1000][8];
	for (int i = 0; i < 1000; i++) {
		demo_household(&rng, (int)demo_next(&pick, (uint32_t)n), store_today(), 80000, 65000, d);
		const struct member *m = &d->members[demo_next(&pick, (uint32_t)d->n_members)];
		strcpy(ids[i], m->id);
		/* the surname and the first character of the given name */
		size_t k = 0, chars = 0;
		while (m->name[k] && chars < 2) {
			k++;
			while ((m->name[k] & 0xc0) == 0x80)
				k++;
			chars++;
		}
		memcpy(names[i], m->name, k);
		names[i][k] = '\0';
	}
	int found = 0;
	for (int i = 0; i < 1000; i++) {
		struct dossier_filter f = {.status = -1, .search = ids[i], .limit = 1};
		int k = 0;
		t0 = now_ms();
		dossier_list(st, &f, count_one, &k, &e);
		lat[i] = now_ms() - t0;
		found += k;
	}
	report("lookup by ID number", lat, 1000);
	printf("  (%d of 1000 found)\n", found);
	for (int i = 0; i < 1000; i++) {
		struct dossier_filter f = {.status = -1, .search = names[i], .limit = 20};
		int k = 0;
		t0 = now_ms();
		dossier_list(st, &f, count_one, &k, &e);
		lat[i] = now_ms() - t0;
	}
	report("lookup by name prefix (first 20)", lat, 1000);

	reset_peak();
	t0 = now_ms();
	int problems = store_check(st, problem, NULL, &e);
	printf("check                              %8.1f s     (%d problems)  peak RSS %ld KB\n", (now_ms() - t0) / 1e3, problems, peak_rss_kb());
	store_close(st);
	free(d);
	return 0;
}
