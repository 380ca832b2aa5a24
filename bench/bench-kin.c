/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-kin.c — the kin matching at township scale: a data directory
 * already holding the demo households (dibao demo --households 100000)
 * gets 5,000 staff and 20,000 declared relatives (one in ten of them a
 * real member), then the full re-scan and one member add with matching
 * are timed.  Prints figures; not a test.
 *
 * usage: bench-kin DATA_DIR [STAFF] [RELATIVES]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/kin-int.h"

#include "store/codec.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/kin.h"

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* a valid ID number from a sequence number: region 110101, born 1960s */
static void
make_id(char out[ID_LEN + 1], unsigned n)
{
	snprintf(out, ID_LEN + 1, "1101011960%02u%02u%03u", 1 + n / 28 / 1000 % 12, 1 + n / 1000 % 28, n % 1000);
	out[17] = id_check_char(out);
	out[18] = '\0';
}

struct load {
	int staff, relatives, done_s, done_r;
	char (*real)[ID_LEN + 1];    /* member IDs taken from the index */
	int n_real;
};

/* a few hundred records a transaction (GUIDE: bulk loads) */
static int
load_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct load *l = baton;
	struct buf b;
	int n = 0;

	for (; n < 500 && l->done_s < l->staff; n++, l->done_s++) {
		struct kin_staff s = {.kind = (enum staff_kind)(l->done_s % SK__N), .unit = "青石村",
		    .position = "干部", .registered = 20260316, .registered_by = "bench"};
		make_id(s.id, (unsigned)l->done_s);
		snprintf(s.name, sizeof s.name, "干部%d", l->done_s);
		buf_init(&b);
		kin_staff_encode(&s, &b);
		if (record_put(st, txn, DBI_KIN_STAFF, s.id, ID_LEN, &b, true, e) != 0) {
			buf_free(&b);
			return -1;
		}
		buf_free(&b);
	}
	for (; n < 500 && l->done_r < l->relatives; n++, l->done_r++) {
		struct kin_relative r = {.relation = (enum kin_relation)(l->done_r % KREL__N),
		    .declared = 20260316, .declared_by = "bench"};
		char key[KIN_REL_KEY_LEN];
		make_id(r.staff_id, (unsigned)(l->done_r % l->staff));
		if (l->done_r % 10 == 0 && l->done_r / 10 < l->n_real)
			memcpy(r.id, l->real[l->done_r / 10], sizeof r.id);
		else
			make_id(r.id, (unsigned)(100000 + l->done_r));
		snprintf(r.name, sizeof r.name, "亲属%d", l->done_r);
		memcpy(key, r.staff_id, ID_LEN);
		memcpy(key + ID_LEN, r.id, ID_LEN);
		buf_init(&b);
		kin_relative_encode(&r, &b);
		if (record_put(st, txn, DBI_KIN_RELATIVES, key, sizeof key, &b, false, e) != 0) {
			buf_free(&b);
			return -1;
		}
		buf_free(&b);
	}
	return 0;
}

/* every k-th member ID of the dossier ID index */
static int
take_real(struct store *st, struct load *l, int want)
{
	DB *idx = st->db[DBI_DOSSIER_IDNO];
	DBC *c;
	DBT k, v;
	int i = 0, ret;

	if ((l->real = calloc((size_t)want, sizeof *l->real)) == NULL)
		return -1;
	if (idx->cursor(idx, NULL, &c, 0) != 0)
		return -1;
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (l->n_real < want && (ret = c->get(c, &k, &v, DB_NEXT_NODUP)) == 0) {
		if (i++ % 7 != 0 || k.size != ID_LEN)
			continue;
		memcpy(l->real[l->n_real], k.data, ID_LEN);
		l->real[l->n_real++][ID_LEN] = '\0';
	}
	c->close(c);
	return 0;
}

static int
count_fn(const struct kin_match *m, int fs, void *baton)
{
	(*(int *)baton)++;
	return 0;
}

struct pick {
	char no[DOSSIER_NO_LEN + 1];
};

static int
pick_fn(const struct dossier *d, void *baton)
{
	struct pick *p = baton;
	if (d->n_members < MAX_MEMBERS) {
		memcpy(p->no, d->no, sizeof p->no);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct err e;
	struct user clerk = {.login = "bench", .role = ROLE_CLERK};
	struct load l = {0};
	double t0, t1;
	int found = 0, n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-kin DATA_DIR [STAFF] [RELATIVES]\n");
		return 2;
	}
	l.staff = argc > 2 ? atoi(argv[2]) : 5000;
	l.relatives = argc > 3 ? atoi(argv[3]) : 20000;
	if (l.staff <= 0 || l.relatives < 0) {
		fprintf(stderr, "bench-kin: bad counts\n");
		return 2;
	}
	err_clear(&e);
	if (store_open(&st, argv[1], 0, &e) != 0) {
		fprintf(stderr, "bench-kin: %s\n", e.msg);
		return 3;
	}
	if (take_real(st, &l, l.relatives / 10) != 0) {
		fprintf(stderr, "bench-kin: reading the ID index failed\n");
		store_close(st);
		return 3;
	}
	t0 = now();
	while (l.done_s < l.staff || l.done_r < l.relatives) {
		if (store_txn_run(st, load_body, &l, &e) != 0) {
			fprintf(stderr, "bench-kin: %s\n", e.msg);
			store_close(st);
			return 3;
		}
	}
	t1 = now();
	printf("registry load: %d staff, %d relatives (%d of them members): %.2f s\n",
	    l.staff, l.relatives, l.n_real, t1 - t0);

	t0 = now();
	if (kin_rescan(st, &clerk, &found, NULL, &e) != 0) {
		fprintf(stderr, "bench-kin: %s\n", e.msg);
		store_close(st);
		return 3;
	}
	t1 = now();
	printf("full re-scan (first, records %d new matches): %.3f s\n", found, t1 - t0);
	t0 = now();
	kin_rescan(st, &clerk, &found, NULL, &e);
	t1 = now();
	printf("full re-scan (again, %d new): %.3f s\n", found, t1 - t0);
	t0 = now();
	kin_match_list(st, NULL, count_fn, &n, &e);
	t1 = now();
	printf("list all %d matches with their filing status: %.3f s\n", n, t1 - t0);

	/* one member add with matching: a declared relative joins an applicant */
	struct dossier_filter f = {.status = ST_APPLIED, .limit = 1};
	struct pick p = {{0}};
	dossier_list(st, &f, pick_fn, &p, &e);
	if (p.no[0]) {
		struct member m = {.relation = REL_OTHER};
		struct kin_relative r = {.relation = KREL_SIBLING};
		int unfiled = 0;
		make_id(r.staff_id, 1);
		make_id(r.id, 999000);
		strcpy(r.name, "新亲属");
		t0 = now();
		if (kin_relative_add(st, &clerk, &r, &e) != 0)
			fprintf(stderr, "bench-kin: %s\n", e.msg);
		t1 = now();
		printf("relative add with matching (one synced commit): %.2f ms\n", (t1 - t0) * 1e3);
		memcpy(m.id, r.id, sizeof m.id);
		strcpy(m.name, "新成员");
		t0 = now();
		if (member_add(st, &clerk, p.no, &m, &e) != 0)
			fprintf(stderr, "bench-kin: %s\n", e.msg);
		t1 = now();
		printf("member add with matching (one synced commit): %.2f ms\n", (t1 - t0) * 1e3);
		n = 0;
		kin_match_list(st, p.no, count_fn, &n, &e);
		kin_unfiled(st, NULL, p.no, &unfiled, &e);
		printf("  dossier %s: %d match(es), %d unfiled\n", p.no, n, unfiled);
	}
	store_close(st);
	return 0;
}
