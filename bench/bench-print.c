/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-print.c — figures for docs/PERFORMANCE.md (not a test): printing
 * one approval form (start to finished file, in process: the login's
 * Argon2id is not counted), and a batch of approval forms as one PDF.
 *
 * usage: bench-print DATA_DIR USER COUNT   (a loaded demo data directory)
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "print/forms.h"

#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"
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

struct nos {
	char (*v)[DOSSIER_NO_LEN + 1];
	int n, cap;
};

static int
collect(const struct dossier *d, void *baton)
{
	struct nos *l = baton;
	if (d->proc.calc_seq == 0)
		return 0;
	if (l->n == l->cap)
		return 1;
	strcpy(l->v[l->n++], d->no);
	return 0;
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct err e;
	struct user u;
	struct nos l = {0};
	struct stat sb;
	double t0;

	if (argc != 4 || sodium_init() < 0)
		return 2;
	l.cap = atoi(argv[3]);
	if ((l.v = calloc((size_t)l.cap, sizeof *l.v)) == NULL)
		return 3;
	if (store_open(&st, argv[1], 0, &e) != 0 || user_get(st, NULL, argv[2], &u, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 3;
	}
	struct dossier_filter f = {.status = ST_APPROVED};
	if (dossier_list(st, &f, collect, &l, &e) != 0 || l.n == 0)
		return 3;
	for (int i = 0; i < 3; i++) {
		struct print_job job = {.form = "approval", .dossier = l.v[i], .copies = 1, .out = "/tmp/bench-one.pdf"};
		t0 = now_ms();
		if (print_job_run(st, &u, &job, &e) != 0) {
			fprintf(stderr, "%s\n", e.msg);
			return 3;
		}
		stat(job.out, &sb);
		printf("one approval form                  %6.1f ms   %ld KB\n", now_ms() - t0, (long)sb.st_size / 1024);
	}
	const char **nos = malloc((size_t)l.n * sizeof *nos);
	for (int i = 0; i < l.n; i++)
		nos[i] = l.v[i];
	int printed = 0;
	t0 = now_ms();
	if (print_batch_run(st, &u, "approval", nos, l.n, "/tmp/bench-batch.pdf", NULL, &printed, NULL, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 3;
	}
	double ms = now_ms() - t0;
	stat("/tmp/bench-batch.pdf", &sb);
	printf("batch of %d approval forms          %6.1f s    %ld KB\n", printed, ms / 1e3, (long)sb.st_size / 1024);
	printf("  (pages: run pdfinfo /tmp/bench-batch.pdf)\n");
	store_close(st);
	free(nos);
	free(l.v);
	return 0;
}
