/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * env.c — the transactional Berkeley DB environment of one data directory
 * and the table of its databases.
 *
 * Every process opens the environment with DB_REGISTER|DB_RECOVER: the
 * first process after a crash runs recovery, and a process that finds a
 * dead one rolls back the dead one's work.  Databases are created only by
 * `dibao init` (STORE_CREATE): a data directory whose files went missing is
 * refused, never silently replaced by an empty one.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "store/audit-int.h"
#include "store/bulk-index.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"

#define ENV_FLAGS (DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | \
    DB_INIT_MPOOL | DB_THREAD | DB_REGISTER)

/* where this thread's Berkeley DB messages go instead of st->bdb_msg
 * (store_bdb_msg_here) */
static __thread char *msg_here;
static __thread size_t msg_here_size;

void
store_bdb_msg_here(char *buf, size_t size)
{
	msg_here = buf;
	msg_here_size = size;
}

static void
errcall(const DB_ENV *env, const char *pfx, const char *msg)
{
	struct store *st = env->app_private;
	(void)pfx;
	if (msg_here != NULL) {
		/* (and nothing of the store's, which another thread uses) */
		snprintf(msg_here, msg_here_size, "%s", msg);
		return;
	}
	if (st != NULL)
		snprintf(st->bdb_msg, sizeof st->bdb_msg, "%s", msg);
	/* the page's file is named by "pgin failed", which follows the
	 * checksum's message */
	if (st != NULL && (strstr(msg, "pgin failed") != NULL ||
	    (st->bdb_damage[0] == '\0' && strstr(msg, "checksum error") != NULL)))
		snprintf(st->bdb_damage, sizeof st->bdb_damage, "%s", msg);
}

static void
close_handles(struct store *st)
{
	store_failchk_env(st, NULL);
	store_bulk_handles_close(st);
	for (int i = DBI__N - 1; i >= 0; i--) {
		if (st->db[i] != NULL) {
			st->db[i]->close(st->db[i], 0);
			st->db[i] = NULL;
		}
	}
	if (st->env != NULL) {
		st->env->close(st->env, 0);
		st->env = NULL;
		/* encryption (i14): the last one out removes the regions */
		if (st->hooks != NULL && st->hooks->release != NULL)
			st->hooks->release(st);
	}
}

int
store_env_config(DB_ENV *env)
{
	int ret;
	/* the default mutex region is nearly used up by a 100k-record load
	 * (TECHNOTES): size it for the township's whole data */
	if ((ret = env->mutex_set_max(env, 20000)) != 0 ||
	    (ret = env->set_cachesize(env, 0, 8 * 1024 * 1024, 1)) != 0 ||
	    (ret = env->set_lk_max_locks(env, 20000)) != 0 ||
	    (ret = env->set_lk_max_objects(env, 20000)) != 0 ||
	    (ret = env->set_lk_max_lockers(env, 2000)) != 0 ||
	    (ret = env->set_lg_bsize(env, 256 * 1024)) != 0)
		return ret;
	return env->set_lk_detect(env, DB_LOCK_DEFAULT);
}

static int
open_env(struct store *st, int flags, struct err *e)
{
	DB_ENV *env;
	int ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return store_dberr(st, ret, _("creating the database environment"), e);
	st->env = env;
	env->app_private = st;
	env->set_errcall(env, errcall);
	env->set_errpfx(env, "dibao");
	if ((ret = store_env_config(env)) != 0 ||
	    (ret = env->set_timeout(env, 10 * 1000000, DB_SET_LOCK_TIMEOUT)) != 0 ||
	    (ret = store_failchk_setup(env)) != 0)
		return store_dberr(st, ret, _("configuring the database environment"), e);

	/* catastrophic recovery (restore) runs on a copy nobody else has open;
	 * BDB refuses it together with DB_REGISTER */
	/* failure checking (issue 16, failchk.c) without DB_FAILCHK here:
	 * with DB_REGISTER it makes an open that finds a killed process
	 * repair it with failchk instead of recovery, and that open joins the
	 * old regions, where it can wait for ever on a mutex the dead process
	 * held (the next command after a kill -9 ended with exit 3), and the
	 * dead process's attachment stays counted (env->remove: EBUSY, the
	 * standby's failover).  Recovery from the logs takes milliseconds and
	 * builds new regions; live processes see DB_RUNRECOVERY and reopen. */
	u_int32_t oflags = (flags & STORE_FATAL) ? (ENV_FLAGS & ~DB_REGISTER) | DB_RECOVER_FATAL :
	    ENV_FLAGS | DB_RECOVER;
	const struct store_hooks *h = st->hooks;
	if (h != NULL && h->setup != NULL && h->setup(st, env, &oflags, e) != 0) /* encryption at rest (i14) */
		return -1;
	/* the standby PC (replica.c): a replication site adds DB_INIT_REP */
	if (h != NULL && h->setup_live != NULL && !(flags & STORE_FATAL) && h->setup_live(st, env, &oflags, e) != 0)
		return -1;
	if ((ret = env->open(env, st->dir, oflags, 0600)) != 0) {
		if (ret == DB_VERSION_MISMATCH)
			return err_set(e, E_STORAGE, _("the data directory %s was written by another Berkeley DB version"), st->dir);
		if (strstr(st->bdb_msg, "region") != NULL) {
			/* a damaged shared-memory region: the data itself lives in the
			 * databases and logs; never paper over it with a new empty one */
			store_dberr(st, ret, _("opening the database environment"), e);
			return err_add(e, E_STORAGE,
			    _("the shared region files %s/__db.* are damaged: make sure no other dibao uses this directory, remove them, and start again (the data is recovered from the logs)"),
			    st->dir);
		}
		return store_dberr(st, ret, _("opening the database environment"), e);
	}
	/* regions in files (a plain store): no hole left for a full disk to
	 * turn into SIGBUS (failchk.c) */
	if (!(oflags & DB_SYSTEM_MEM) && (ret = store_regions_back(st->dir)) != 0)
		return store_dberr(st, ret, _("opening the database environment"), e);
	if (h != NULL && h->opened != NULL)
		h->opened(st);
	return 0;
}

static int
open_dbs(struct store *st, int flags, struct err *e)
{
	DB_TXN *txn = NULL;
	int ret;
	const char *failed = NULL;
	json_t *created = json_array();

	if ((ret = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0) {
		json_decref(created);
		return store_dberr(st, ret, _("opening the databases"), e);
	}
	for (int i = 0; i < DBI__N; i++) {
		const struct db_table *t = &db_tables[i];
		DB *db;
		failed = t->file;
		if ((ret = db_create(&db, st->env, 0)) != 0)
			goto fail;
		st->db[i] = db;
		if ((t->flags != 0 && (ret = db->set_flags(db, t->flags)) != 0) ||
		    (st->enc && (ret = db->set_flags(db, DB_ENCRYPT)) != 0))
			goto fail;
		if (t->pagesize != 0 && (flags & STORE_CREATE) && (ret = db->set_pagesize(db, t->pagesize)) != 0)
			goto fail;
		u_int32_t of = DB_THREAD | ((flags & STORE_CREATE) ? DB_CREATE | DB_EXCL : 0);
		u_int32_t af = 0;
		ret = db->open(db, txn, t->file, NULL, t->type, of, 0600);
		if (ret == ENOENT && !(flags & STORE_CREATE) && (t->primary >= 0 || i >= DBI_FIRST_ADDED)) {
			/* an index is rebuilt from its primary; a table added by a
			 * later version starts empty.  The founding tables' data
			 * cannot be recreated: their absence stays an error. */
			db->close(db, 0);
			st->db[i] = NULL;
			if ((ret = db_create(&db, st->env, 0)) != 0)
				goto fail;
			st->db[i] = db;
			if ((t->flags != 0 && (ret = db->set_flags(db, t->flags)) != 0) ||
			    (st->enc && (ret = db->set_flags(db, DB_ENCRYPT)) != 0) ||
			    (t->pagesize != 0 && (ret = db->set_pagesize(db, t->pagesize)) != 0) ||
			    (ret = db->open(db, txn, t->file, NULL, t->type, DB_THREAD | DB_CREATE, 0600)) != 0)
				goto fail;
			af = DB_CREATE; /* associate fills a new index from the primary */
			json_array_append_new(created, json_string(t->file));
		} else if (ret != 0) {
			goto fail;
		}
		if (t->primary >= 0 &&
		    (ret = st->db[t->primary]->associate(st->db[t->primary], txn, db, t->extract, af)) != 0)
			goto fail;
	}
	if (json_array_size(created) > 0) {
		/* an upgrade is a change like any other: in the audit chain */
		json_t *detail = json_pack("{s:O}", "created", created);
		if (audit_appendj(st, txn, "dibao", "store.upgrade", st->dir, detail, e) != 0) {
			txn->abort(txn);
			json_decref(created);
			return -1;
		}
	}
	json_decref(created);
	created = NULL;
	if ((ret = txn->commit(txn, 0)) != 0) {
		txn = NULL;
		goto fail;
	}
	return 0;
fail:
	json_decref(created);
	if (txn != NULL)
		txn->abort(txn);
	if (ret == ENOENT)
		return err_set(e, E_REFUSED,
		    _("%s is not a complete dibao data directory (%s is missing); run \"dibao init\" for a new one or restore a backup"),
		    st->dir, failed);
	if (ret == EEXIST)
		return err_set(e, E_REFUSED, _("%s already holds a dibao database"), st->dir);
	return store_dberr(st, ret, failed, e);
}

static int
check_format(struct store *st, int flags, struct err *e)
{
	char v[32];
	if (flags & STORE_CREATE)
		return 0;
	if (meta_get(st, NULL, "format", v, sizeof v, e) != 0) {
		if (e->code != E_NOTFOUND)
			return -1;
		return err_set(e, E_STORAGE, _("%s has no format record: not a dibao data directory"), st->dir);
	}
	long fmt = strtol(v, NULL, 10);
	if (fmt > STORE_FORMAT)
		return err_set(e, E_REFUSED,
		    _("%s was written by a newer dibao (data format %ld, this program reads up to %d): use the newer program"),
		    st->dir, fmt, STORE_FORMAT);
	return 0;
}

static int
open_all(struct store *st, int flags, struct err *e)
{
	if (open_env(st, flags, e) != 0 || open_dbs(st, flags, e) != 0 ||
	    check_format(st, flags, e) != 0 || store_bulk_recover(st, flags, e) != 0) {
			close_handles(st);
		return -1;
	}
	store_failchk_env(st, st->env);
	return 0;
}

int
store_mkdirs(const char *dir, struct err *e)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof path)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	memcpy(path, dir, n + 1);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	/* each parent in turn, then the directory itself */
	for (char *p = path + 1; ; p++) {
		bool last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		struct stat sb;
		if (mkdir(path, last ? 0700 : 0755) != 0) {
			int err = errno;
			/* already there: fine if it is a directory */
			if (err == EEXIST && (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)))
				err = ENOTDIR;
			if (err != EEXIST)
				return err_set(e, E_STORAGE, _("cannot create %s: %s"), path, strerror(err));
		}
		if (last)
			return 0;
		*p = '/';
	}
}

int
store_env_open(struct store **out, const char *dir, int flags, const unsigned char *key,
    const struct store_hooks *hooks, struct err *e)
{
	struct store *st;
	struct stat sb;
	int major, minor;

	*out = NULL;
	db_version(&major, &minor, NULL);
	if (major != DB_VERSION_MAJOR || minor != DB_VERSION_MINOR)
		return err_set(e, E_STORAGE, _("Berkeley DB library %d.%d does not match the headers %d.%d"),
		    major, minor, DB_VERSION_MAJOR, DB_VERSION_MINOR);
	if (flags & STORE_CREATE) {
		/* a fresh account may have no ~/.local/share yet */
		if (store_mkdirs(dir, e) != 0)
			return -1;
	} else if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		return err_set(e, E_REFUSED, _("no data directory %s: run \"dibao init\" first"), dir);
	}
	if ((st = calloc(1, sizeof *st)) == NULL)
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	if (strlen(dir) >= sizeof st->dir) {
		free(st);
		return err_set(e, E_USAGE, _("data directory path too long"));
	}
	strcpy(st->dir, dir);
	st->flags = flags & ~(STORE_FATAL | STORE_ENCRYPT);
	st->hooks = hooks;
	st->lockfd = -1;
	if (hooks != NULL && hooks->attach != NULL && hooks->attach(st, flags, key, e) != 0) { /* encryption at rest (i14) */
		free(st);
		return -1;
	}
	if (store_failchk_start(st) != 0) {
		memset(st->key, 0, sizeof st->key);
		free(st);
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	}
	/* another process may be running recovery (a crashed clerk's session)
	 * while we open: its DB_RUNRECOVERY means "open again"; so does EAGAIN
	 * (BDB1546 "unable to join the environment"), met once in CI's crash
	 * test by the first command after a writer was killed while it made
	 * the regions: that open's recovery removes them, and the next one
	 * makes them anew */
	for (int tries = 0;; tries++) {
		st->last_ret = 0;
		if (open_all(st, flags, e) == 0)
			break;
		/* and a deadlock: on a standby PC the opening of a database
		 * can meet the replication engine applying the master's log
		 * (CI: the console on the standby ended at its start with
		 * "dossier-village.db: DB_LOCK_DEADLOCK") */
		if ((st->last_ret != DB_RUNRECOVERY && st->last_ret != EAGAIN && !store_retryable(st->last_ret) &&
		    !(tries == 0 && store_failchk_old_regions(st))) ||
		    tries == 5 || st->bdb_damage[0] != '\0') {
			if (st->last_ret == ENOSPC)
				store_failchk_nospace(st, e);
			store_failchk_end(st);
			free(st);
			return -1;
		}
		usleep(20000 * (tries + 1));
	}
	*out = st;
	return 0;
}

int
store_reopen(struct store *st, struct err *e)
{
	close_handles(st);
	st->bdb_msg[0] = '\0';
	return open_all(st, st->flags & ~STORE_CREATE, e);
}

/* A checkpoint, then the log files no recovery needs removed; not on a
 * standby-PC pair (DB_INIT_REP), whose standby may still ask for them.
 * Housekeeping: a failure leaves the logs, which cost only time. */
static void
logs_trim(struct store *st)
{
	u_int32_t of = 0;
	if (st->env->txn_checkpoint(st->env, 0, 0, 0) == 0 && st->env->get_open_flags(st->env, &of) == 0 &&
	    !(of & DB_INIT_REP))
		(void)st->env->log_archive(st->env, NULL, DB_ARCH_REMOVE);
}

int
store_hot_backup(struct store *st, const char *dir, const char *doing, struct err *e)
{
	int ret, missed = 0;
	/* the copy carries every log file there is, and opening it replays
	 * them all (catastrophic recovery): the logs of commands that did not
	 * commit (a check, a report: each open writes a checkpoint) or of a
	 * process killed before its close stay until some command commits.
	 * Measured: a check of 100,000 households spent 1.1 s replaying two
	 * log files of 10 MB before its first verify */
	logs_trim(st);
	/* another process's crash recovery invalidates our handles midway:
	 * reopen and start the copy again (DB_BACKUP_CLEAN empties it) */
	for (int tries = 0;; tries++) {
		st->bdb_msg[0] = '\0';
		ret = st->env->backup(st->env, dir, DB_CREATE | DB_BACKUP_CLEAN);
		/* the panic shows as DB_RUNRECOVERY or as the failed write before it */
		bool panic = ret == DB_RUNRECOVERY || strstr(st->bdb_msg, "DB_RUNRECOVERY") != NULL;
		/* a writer's checkpoint removed a log file between the copy's
		 * listing and its reading (EPERM, "No such file or directory":
		 * seen in check-live.sh): the copy starts again, from the logs
		 * there are now */
		bool gone = !panic && ret != 0 && (ret == ENOENT || strstr(st->bdb_msg, strerror(ENOENT)) != NULL);
		if (gone && ++missed <= 3) {
			store_backoff(missed);
			continue;
		}
		if (ret == 0 || !panic || tries == 5)
			break;
		if (store_reopen(st, e) != 0)
			return -1;
	}
	if (ret != 0)
		return store_dberr(st, ret, doing, e);
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->bulk != NULL) {
		/* a load not ended by its caller: its indexes built now */
		struct err e = {0};
		(void)store_bulk_end(st, &e);
	}
	/* a process that died inside the library may have left a cache page
	 * latched, which the checkpoint and DB->close's cache flush would wait
	 * for, for ever (issue 16): failchk finds it and marks the environment
	 * for recovery, and then both return at once.  Every commit is in the
	 * log already; the next open recovers. */
	store_failchk_closing();
	if (st->env != NULL)
		(void)store_failchk(st);
	/* a checkpoint, and the log files no recovery needs go: a command
	 * that commits less than CHECKPOINT_EVERY times (an import of 34,000
	 * households in one transaction: 19 log files, 200 MB) left them for
	 * ever, and every later check copied and replayed them (16 s).  Not
	 * on a standby-PC pair: a standby a moment behind still asks the
	 * master for those logs, and without them it must be copied anew
	 * (an internal init) */
	if (st->env != NULL && st->commits > 0)
		logs_trim(st);
	close_handles(st);
	memset(st->key, 0, sizeof st->key);
	store_failchk_end(st);
	audit_track_free(st); /* issue 16.5 */
	free(st);
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

int
store_maintain(struct store *st, struct err *e)
{
	int ret;
	/* a checkpoint bounds recovery time; then the log files before it are
	 * needed by no recovery and can go (a backup copies what it needs) */
	if ((ret = st->env->txn_checkpoint(st->env, 0, 0, 0)) != 0)
		return store_dberr(st, ret, _("checkpoint"), e);
	if ((ret = st->env->log_archive(st->env, NULL, DB_ARCH_REMOVE)) != 0)
		return store_dberr(st, ret, _("removing old log files"), e);
	return 0;
}
