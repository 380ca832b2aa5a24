/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * latch-die — a test helper (tests/cli/failchk-restart.sh, issue 16): a
 * dibao process that holds one of Berkeley DB's internal mutexes, ready to
 * be killed with SIGKILL while it does, as the kill -9 torture's victims
 * sometimes are.  It opens a plain data directory as dibao does (DB_REGISTER,
 * failure checking), takes the buffer latch of a database's root page for
 * writing (DB_MPOOLFILE->get with DB_MPOOL_DIRTY, as a page split does),
 * prints "held" and waits.  Every other process that touches the page
 * sleeps on that latch; once this one is killed, nothing in BDB 5.3 can
 * wake them (store/failchk.c).
 *
 * (Readers pass a page latched so, only writers wait: the page of a
 * database the command writes.)
 *
 *   latch-die DIR villages|dossiers
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

int
main(int argc, char **argv)
{
	struct store *st;
	struct err e;
	DB_MPOOLFILE *mpf;
	db_pgno_t pgno = 1;   /* a btree's root page stays page 1 */
	void *page;
	int ret;

	if (argc != 3 || (strcmp(argv[2], "villages") != 0 && strcmp(argv[2], "dossiers") != 0)) {
		fprintf(stderr, "usage: latch-die DIR villages|dossiers\n");
		return 2;
	}
	err_clear(&e);
	if (store_open(&st, argv[1], 0, &e) != 0) {
		fprintf(stderr, "latch-die: %s\n", e.msg);
		return 1;
	}
	DB *db = st->db[strcmp(argv[2], "villages") == 0 ? DBI_VILLAGES : DBI_DOSSIERS];
	mpf = db->get_mpf(db);
	if ((ret = mpf->get(mpf, &pgno, NULL, DB_MPOOL_DIRTY, &page)) != 0) {
		fprintf(stderr, "latch-die: %s\n", db_strerror(ret));
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}
