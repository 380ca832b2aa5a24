/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * latch-die — a test helper (tests/cli/failchk-restart.sh, issue 16): a
 * dibao process that holds one of Berkeley DB's internal mutexes, ready to
 * be killed with SIGKILL while it does, as the kill -9 torture's victims
 * sometimes are.  It opens a data directory as dibao does (DB_REGISTER,
 * an encrypted one with the login of DIBAO_USER and DIBAO_PASSWORD,
 * failure checking), takes the buffer latch of a database's root page for
 * writing (DB_MPOOLFILE->get with DB_MPOOL_DIRTY, as a page split does),
 * prints "held" and waits.  Every other process that touches the page
 * sleeps on that latch; once this one is killed, nothing in BDB 5.3 can
 * wake them (store/failchk.c).
 *
 * (Readers pass a page latched so, only writers wait: the page of a
 * database the command writes.)
 *
 *   latch-die DIR villages|dossiers|audit
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/crypt.h"
#include "store/datadir.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

int
main(int argc, char **argv)
{
	struct store *st;
	struct err e;
	DB_MPOOLFILE *mpf;
	db_pgno_t pgno = 1;   /* a btree's root page stays page 1 */
	void *page;
	int ret;

	static const struct { const char *name; enum dbi dbi; } dbs[] = {
		{"villages", DBI_VILLAGES}, {"dossiers", DBI_DOSSIERS}, {"audit", DBI_AUDIT},
	};
	int k = 0;
	while (argc == 3 && k < 3 && strcmp(argv[2], dbs[k].name) != 0)
		k++;
	if (argc != 3 || k == 3) {
		fprintf(stderr, "usage: latch-die DIR villages|dossiers|audit\n");
		return 2;
	}
	err_clear(&e);
	/* an encrypted store opens with a login: DIBAO_USER and DIBAO_PASSWORD */
	const char *login = getenv("DIBAO_USER"), *pw = getenv("DIBAO_PASSWORD");
	struct user u;
	if ((store_dir_encrypted(argv[1]) ? store_open_login(&st, argv[1], 0, login ? login : "", pw ? pw : "", &u, &e) :
	    store_open(&st, argv[1], 0, &e)) != 0) {
		fprintf(stderr, "latch-die: %s\n", e.msg);
		return 1;
	}
	DB *db = st->db[dbs[k].dbi];
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
