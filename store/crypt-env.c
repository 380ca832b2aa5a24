/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crypt-env.c — encryption at rest (SPEC 11), the environment side: the
 * shared regions of an encrypted store in system shared memory (their
 * key, their removal by the last process out), and the login that must
 * unwrap the data key before the environment can open (crypt.c holds the
 * key file and its wraps).
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/afile.h"
#include "store/audit-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "store/crypt-int.h"
#include "core/roles.h"
#include "core/sizes.h"

/* ---- the environment --------------------------------------------------- */

int
crypt_attach(struct store *st, int flags, const unsigned char *key, struct err *e)
{
	st->lockfd = -1;
	if ((flags & STORE_CREATE) && store_dir_encrypted(st->dir))
		return err_set(e, E_REFUSED, _("%s already holds a dibao database"), st->dir);
	if ((flags & STORE_CREATE) && (flags & STORE_ENCRYPT)) {
		randombytes_buf(st->key, sizeof st->key);
		st->enc = true;
	} else if (key != NULL) {
		memcpy(st->key, key, sizeof st->key);
		st->enc = true;
	} else if (!(flags & STORE_CREATE) && store_dir_encrypted(st->dir)) {
		return err_set(e, E_REFUSED, _("%s is encrypted: log in (user and password) to open it"), st->dir);
	}
	return 0;
}

/* The System V key of the regions: from the data directory's real path, so
 * two directories never share; a block of 64 keys for BDB's regions. */
static long
shm_key(const char *dir)
{
	char real[PATH_MAX];
	unsigned char h[8];
	uint32_t v;
	if (realpath(dir, real) == NULL)
		snprintf(real, sizeof real, "%s", dir);
	crypto_generichash(h, sizeof h, (const unsigned char *)real, strlen(real), NULL, 0);
	memcpy(&v, h, sizeof v);
	return 0x10000000L + (long)(v % 0x400000u) * 64; /* 0x10000000 .. 0x1fffffc0 */
}

/* Under the directory lock, before the open: __db.001 names the
 * environment's segment (its key is shm_key's base), and when that segment
 * is gone the file is stale — a process killed inside DB_ENV->remove, between
 * removing the segments and the files, or a segment removed by hand.  Every
 * later open would fail to join it (BDB1546, measured in crash.sh): the
 * region files go (not __db.register, which still tells a dead process and
 * so a recovery), and the open makes new regions. */
static void
stale_regions(struct store *st)
{
	char path[PATH_MAX];
	struct stat sb;

	if ((size_t)snprintf(path, sizeof path, "%s/__db.001", st->dir) >= sizeof path || stat(path, &sb) != 0)
		return;
	if (shmget((key_t)st->shmkey, 0, 0) >= 0 || errno != ENOENT)
		return;
	for (int i = 1; i < 100; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/__db.%03d", st->dir, i) >= sizeof path ||
		    (unlink(path) != 0 && errno == ENOENT))
			break;
	}
}

/* A full disk (issue 16 point 2): an encrypted store's regions are made
 * again by every first process (the last one out removes them), and making
 * them writes __db.001 (a few bytes naming the segment: a new block).  So
 * the last one out leaves a block of its own in their place, the reserve,
 * and the next first process gives it back just before the open makes
 * __db.001: on a disk filled meanwhile, reads keep working as on a plain
 * store, whose region files stay.  Both run under the directory lock. */
#define REGION_RESERVE "dibao.region-reserve"
#define REGION_RESERVE_BYTES 16384

static int
reserve_path(const char *dir, const char *name, char path[PATH_MAX])
{
	return (size_t)snprintf(path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX ? -1 : 0;
}

static void
reserve_release(const struct store *st)
{
	char path[PATH_MAX];
	struct stat sb;

	if (reserve_path(st->dir, "__db.001", path) != 0 || stat(path, &sb) == 0 ||
	    reserve_path(st->dir, REGION_RESERVE, path) != 0)
		return;
	(void)unlink(path);
}

static void
reserve_make(const struct store *st)
{
	static const unsigned char zero[REGION_RESERVE_BYTES];
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	if (reserve_path(st->dir, "__db.001", path) != 0 || stat(path, &sb) == 0 ||
	    reserve_path(st->dir, REGION_RESERVE, path) != 0 || stat(path, &sb) == 0)
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return;
	/* written, not sparse: the blocks are really taken (a short write on a
	 * disk already full keeps what it got) */
	if (fd_write_all(fd, zero, sizeof zero) != 0 && fstat(fd, &sb) == 0 && sb.st_size == 0)
		(void)unlink(path);
	close(fd);
}

int
crypt_env_setup(struct store *st, DB_ENV *env, u_int32_t *oflags, struct err *e)
{
	char pw[65];
	int ret;

	if (!st->enc)
		return 0;
	sodium_bin2hex(pw, sizeof pw, st->key, sizeof st->key);
	ret = env->set_encrypt(env, pw, DB_ENCRYPT_AES);
	sodium_memzero(pw, sizeof pw);
	st->shmkey = shm_key(st->dir);
	if (ret != 0 || (ret = env->set_shm_key(env, st->shmkey)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	*oflags |= DB_SYSTEM_MEM;
	/* env.c opens without DB_FAILCHK (issue 16), which an encrypted
	 * environment needs above all: Berkeley DB
	 * 5.3 hands the key to the regions once and then frees it
	 * (__crypto_region_init); with DB_REGISTER and DB_FAILCHK, an open that
	 * finds a dead process in the register attaches the regions a first
	 * time to run failchk, and then a second time without a key: "Invalid
	 * password" when failchk succeeded, and when it answered
	 * DB_RUNRECOVERY (the dead one held a mutex) the recovery's new
	 * regions are made with a null key, a SIGSEGV in memset (measured with
	 * a probe, tests/cli/crash.sh).  Without it, a dead process found in
	 * the register makes the open run recovery, as on a plain store before
	 * failure checking; the watchdog's failchk on an open environment
	 * (failchk.c) is unaffected. */
	/* so every dead process found makes a full recovery: before it, the
	 * survivors are told (panic) and given a moment to finish a commit
	 * they are writing, which the recovery must then see in the log */
	if ((ret = env->set_timeout(env, 300000, DB_SET_REG_TIMEOUT)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* the regions are memory, not files: written whole when made (DB_REGION_INIT,
	 * against SIGBUS on a sparse file of a full disk, failchk.c) they would
	 * only count whole in every process's RSS (measured: check of 10,000
	 * households 81 -> 41 MB, demo load 45 -> 36 MB) */
	if ((ret = env->set_flags(env, DB_REGION_INIT, 0)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* The plain store's 8 MB (env.c): every process that walks the
	 * township fills the whole cache, and its pages count in that process's
	 * memory.  16 MB (issue 14: Berkeley DB decrypts a page each time it
	 * enters the cache) no longer saved reads once check, report and
	 * export read each file in one pass (issue 17; 100,000 households,
	 * CPU the same within the noise for check, stats, report, --due and
	 * the zip export, each 10 MB lower: check 46.8 -> 35.1 MB, zip export
	 * 64.8 -> 54.4 MB); it still saves re-reads of the big writes, which
	 * now cost more CPU (a 34,000-household roster import 5.6 -> 6.8 s,
	 * the payment submit of 62,000 rows 5.6 -> 6.0 s, both 10 MB lower) */
	if ((ret = env->set_cachesize(env, 0, 8 * 1024 * 1024, 1)) != 0)
		return store_dberr(st, ret, _("configuring the database encryption"), e);
	/* held until the environment is open: a process leaving may remove
	 * the regions only when nobody else is attached (crypt_env_release) */
	if (st->lockfd < 0 && (st->lockfd = dir_lock(st->dir)) < 0)
		return err_set(e, E_STORAGE, _("cannot lock %s: %s"), st->dir, strerror(errno));
	stale_regions(st);
	reserve_release(st);
	return 0;
}

void
crypt_env_opened(struct store *st)
{
	dir_unlock(st->lockfd);
	st->lockfd = -1;
}

/* The directory went away under us (a test's clean-up, a clerk deleting
 * it): our segments by their keys, those nobody is attached to. */
static int
shm_remove_keys(long base)
{
	int n = 0;
	for (int i = 0; i < 64; i++) {
		struct shmid_ds ds;
		int id = shmget((key_t)(base + i), 0, 0);
		if (id >= 0 && shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 0 && shmctl(id, IPC_RMID, NULL) == 0)
			n++;
	}
	return n;
}

/* The segments of the encrypted store in dir that no process is attached to
 * (a killed process's, left for the next opener that may never come: the
 * test harness, before it deletes its directories, tests/shm-clean.c). */
int
crypt_regions_remove(const char *dir)
{
	return shm_remove_keys(shm_key(dir));
}

/* After the environment closed: the last process out removes the shared
 * regions (DB_ENV->remove without DB_FORCE refuses while others are
 * attached), so no segment outlives its users. */
void
crypt_env_release(struct store *st)
{
	DB_ENV *env;
	char pw[65];
	int lk;

	if (!st->enc)
		return;
	if (st->lockfd >= 0) {
		/* the open failed while holding the lock */
		lk = st->lockfd;
		st->lockfd = -1;
	} else if ((lk = dir_lock(st->dir)) < 0) {
		if (errno == ENOENT && st->shmkey != 0)
			shm_remove_keys(st->shmkey);
		return;
	}
	if (db_env_create(&env, 0) == 0) {
		sodium_bin2hex(pw, sizeof pw, st->key, sizeof st->key);
		env->set_encrypt(env, pw, DB_ENCRYPT_AES);
		sodium_memzero(pw, sizeof pw);
		env->set_shm_key(env, shm_key(st->dir));
		env->remove(env, st->dir, 0); /* EBUSY while others work: fine */
	}
	reserve_make(st);
	dir_unlock(lk);
}
