/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * backup.c — a consistent hot backup while others work (DB_ENV->backup
 * copies the databases and then the logs, so the copy recovers to a
 * consistent state), plus the attachment files; and restore, which copies
 * a backup into an empty data directory and runs catastrophic recovery.
 */
#include "config.h"

#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "store/datadir.h"
#include "core/roles.h"
#include "store/audit-int.h"
#include "store/backup.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/township-key.h"
#include "store/user.h"
#include "store/afile.h"

/* One file, whole or not at all (store/afile.c): a copy a crash cut short
 * is never kept as if complete (issue 20: one atomic write).  A file
 * already there is kept. */
static int
copy_one(const char *src, const char *dst)
{
	struct afile a;
	struct stat sb;
	int in, ret = -1, saved;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (lstat(dst, &sb) == 0) {
		close(in);
		return 0;
	}
	if (afile_reserve(&a, dst, AFILE_PRIVATE) == 0) {
		if (fd_copy(in, a.fd) == 0)
			ret = afile_commit(&a);
		else
			afile_abort(&a);
	}
	saved = errno;
	close(in);
	errno = saved;
	return ret;
}

/* Copy regular files of src into dst, recursing into directories; files
 * already in dst are kept (attachments never change). */
static int
copy_tree(const char *src, const char *dst, bool skip_regions, struct err *e)
{
	DIR *d = opendir(src);
	struct dirent *de;

	if (d == NULL)
		return errno == ENOENT ? 0 : err_set(e, E_STORAGE, "%s: %s", src, strerror(errno));
	if (mkdir(dst, 0700) != 0 && errno != EEXIST) {
		closedir(d);
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), dst, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		char s[PATH_MAX], t[PATH_MAX];
		struct stat sb;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (skip_regions && strncmp(de->d_name, "__db.", 5) == 0)
			continue;
		if ((size_t)snprintf(s, sizeof s, "%s/%s", src, de->d_name) >= sizeof s ||
		    (size_t)snprintf(t, sizeof t, "%s/%s", dst, de->d_name) >= sizeof t) {
			closedir(d);
			return err_set(e, E_STORAGE, _("path too long"));
		}
		if (lstat(s, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (copy_tree(s, t, false, e) != 0) {
				closedir(d);
				return -1;
			}
		} else if (S_ISREG(sb.st_mode) && strstr(de->d_name, ".tmp") == NULL) {
			if (copy_one(s, t) != 0) {
				closedir(d);
				return err_set(e, E_STORAGE, _("cannot copy %s: %s"), s, strerror(errno));
			}
		}
	}
	closedir(d);
	return 0;
}

bool
store_dir_fresh(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (d == NULL)
		return errno == ENOENT;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

struct backup_baton {
	const struct user *actor;
	const char *dir;
};

static int
backup_audit(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct backup_baton *b = baton;
	return audit_appendj(st, txn, b->actor->login, "backup", b->dir,
	    json_pack("{s:b}", "encrypted", st->enc), e);
}

int
store_backup(struct store *st, const struct user *actor, const char *dir, struct err *e)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16];
	struct backup_baton bb = {actor, dir};

	if (strlen(dir) >= PATH_MAX)
		return err_set(e, E_USAGE, _("path too long"));
	/* a backup takes the whole township away: clerks and admins, audited
	 * (the entry is in the copy) */
	if (store_require(actor, ACT_EXPORT, e) != 0)
		return -1;
	/* BDB empties the target first: only a new directory or an earlier
	 * dibao backup may be overwritten, never someone's documents */
	char probe[PATH_MAX + 16];
	struct stat sb;
	snprintf(probe, sizeof probe, "%s/meta.db", dir);
	if (!store_dir_fresh(dir) && stat(probe, &sb) != 0)
		return err_set(e, E_REFUSED, _("%s is not empty and not an earlier dibao backup: choose a new directory"), dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
	if (store_txn_run(st, backup_audit, &bb, e) != 0)
		return -1;
	if (store_hot_backup(st, dir, _("backup"), e) != 0)
		return -1;
	/* encrypted (i14): the key file with its wraps goes with the copy */
	if (crypt_backup_keys(st, dir, e) != 0)
		return -1;
	/* issue 16.5: and the township's signing key (restored with the rest) */
	if (township_sign_backup(st, dir, e) != 0)
		return -1;
	snprintf(src, sizeof src, "%s/files", st->dir);
	snprintf(dst, sizeof dst, "%s/files", dir);
	return copy_tree(src, dst, false, e);
}

int
store_restore(const char *backup_dir, const char *data_dir, const char *login, const char *password,
    struct err *e)
{
	struct store *st;
	struct user u;
	unsigned char key[32];
	bool enc = store_dir_encrypted(backup_dir);
	char probe[PATH_MAX];
	struct stat sb;

	snprintf(probe, sizeof probe, "%s/meta.db", backup_dir);
	if (stat(probe, &sb) != 0)
		return err_set(e, E_REFUSED, _("%s is not a dibao backup (no meta.db)"), backup_dir);
	if (!store_dir_fresh(data_dir))
		return err_set(e, E_REFUSED,
		    _("%s is not empty: restore only into a new, empty data directory (move the old one aside first)"),
		    data_dir);
	/* an encrypted backup opens only with a password of its own users:
	 * checked before anything is copied */
	if (enc && crypt_unwrap(backup_dir, WRAP_USER, login ? login : "", password, key, NULL, e) != 0)
		return -1;
	if (store_mkdirs(data_dir, e) != 0 || copy_tree(backup_dir, data_dir, true, e) != 0)
		goto fail;
	/* catastrophic recovery replays every log the backup carries */
	if (store_open_key(&st, data_dir, STORE_FATAL, enc ? key : NULL, e) != 0)
		goto fail;
	if (user_login(st, login ? login : "", password, &u, e) != 0) {
		store_close(st);
		goto fail;
	}
	store_close(st);
	sodium_memzero(key, sizeof key);
	return 0;
fail:
	sodium_memzero(key, sizeof key);
	afile_empty_tree(data_dir); /* what a refused restore copied */
	return -1;
}
