/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check-snapshot.c — `dibao check` verifies a consistent snapshot, never
 * files another process is writing (issue 16): DB->verify on a live file
 * saw pages half-way through a split and called a healthy store damaged
 * (4 of 18 runs during a demo load).  The snapshot is Berkeley DB's own hot
 * backup (DB_ENV->backup: the databases and every log they need) into a new
 * directory under $TMPDIR, opened with catastrophic recovery as a restore
 * opens it, so its files hold exactly what had been committed when the copy
 * ended.  Writers are not stopped.  The directory is removed afterwards.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void
store_snapshot_close(struct store *snap, const char *dir)
{
	if (snap != NULL)
		store_close(snap);
	if (dir != NULL && dir[0] != '\0')
		(void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
store_snapshot_open(struct store *st, struct store **snap, char dir[PATH_MAX], struct err *e)
{
	const char *tmp = getenv("TMPDIR");

	*snap = NULL;
	if (snprintf(dir, PATH_MAX, "%s/dibao-check.XXXXXX", tmp && *tmp ? tmp : "/tmp") >= PATH_MAX) {
		dir[0] = '\0';
		return err_set(e, E_USAGE, "%s", _("path too long"));
	}
	if (mkdtemp(dir) == NULL) {
		int err = errno;
		dir[0] = '\0';
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), "$TMPDIR/dibao-check", strerror(err));
	}
	if (store_hot_backup(st, dir, _("taking a snapshot to check"), e) != 0) {
		store_snapshot_close(NULL, dir);
		return -1;
	}
	/* an encrypted store's copy opens with the same data key (i14) */
	if (store_open_key(snap, dir, STORE_FATAL, st->enc ? st->key : NULL, e) != 0) {
		err_add(e, E_STORAGE, "%s", _("the snapshot to check does not open: the databases or their logs are damaged"));
		store_snapshot_close(NULL, dir);
		return -1;
	}
	return 0;
}
