/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica.c — the standby PC (SPEC section 12) over Berkeley DB's
 * replication manager.  The engine moves the data (log records, and a whole
 * copy through its client initialisation when a site joins); this file only
 * configures it, starts it, reads what it says and tells the user.
 *
 * Files in the data directory:
 *   replica.json         the site's configuration (atomic write)
 *   replica-status.json  what the replication process sees (connections,
 *                        recent events), rewritten every half second; the
 *                        other processes of the PC read it (connection
 *                        states are private to the process that owns them)
 *   replica.promote      a promotion request from `replica promote`
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/roles.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/settings.h"
#include "store/user.h"
#include "store/replica-int.h"
#include "store/replica.h"
#include "store/afile.h"

/* ---- the engine's events (called on repmgr's threads) ---------------- */

pthread_mutex_t rep_ev_lock = PTHREAD_MUTEX_INITIALIZER;
struct rep_event rep_ev_ring[NEVENTS];
int rep_ev_n;
volatile int rep_ev_startupdone, rep_ev_panic, rep_ev_newmaster;

static const char *
event_name(u_int32_t which)
{
	switch (which) {
	case DB_EVENT_PANIC: return "panic";
	case DB_EVENT_REP_CLIENT: return "became-standby";
	case DB_EVENT_REP_MASTER: return "became-master";
	case DB_EVENT_REP_NEWMASTER: return "new-master";
	case DB_EVENT_REP_STARTUPDONE: return "caught-up";
	case DB_EVENT_REP_CONNECT_ESTD: return "connected";
	case DB_EVENT_REP_CONNECT_BROKEN: return "connection-lost";
	case DB_EVENT_REP_DUPMASTER: return "duplicate-master";
	case DB_EVENT_REP_MASTER_FAILURE: return "master-lost";
	case DB_EVENT_REP_PERM_FAILED: return "ack-timeout";
	case DB_EVENT_REP_INIT_DONE: return "copied-from-master";
	case DB_EVENT_REP_JOIN_FAILURE: return "join-failed";
	case DB_EVENT_REP_SITE_ADDED: return "site-added";
	case DB_EVENT_REP_WOULD_ROLLBACK: return "rollback";
	case DB_EVENT_REP_ELECTED: return "elected";
	default: return NULL;
	}
}

void
rep_on_event(DB_ENV *env, u_int32_t which, void *info)
{
	(void)env;
	(void)info;
	if (which == DB_EVENT_REP_STARTUPDONE)
		rep_ev_startupdone = 1;
	if (which == DB_EVENT_PANIC)
		rep_ev_panic = 1;
	if (which == DB_EVENT_REP_NEWMASTER)
		rep_ev_newmaster = 1;
	const char *n = event_name(which);
	if (n == NULL || which == DB_EVENT_REP_CONNECT_TRY_FAILED)
		return;
	pthread_mutex_lock(&rep_ev_lock);
	rep_ev_ring[rep_ev_n % NEVENTS].t = time(NULL);
	rep_ev_ring[rep_ev_n % NEVENTS].what = n;
	rep_ev_n++;
	pthread_mutex_unlock(&rep_ev_lock);
}

/* ---- configuration ------------------------------------------------------ */

int
replica_addr_parse(const char *field, const char *s, struct replica_addr *a, struct err *e)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	char *end;
	if (colon == NULL || colon == s || (size_t)(colon - s) >= sizeof a->host)
		return err_set(e, E_REFUSED, _("%s: \"%s\" is not HOST:PORT"), field, s ? s : "");
	errno = 0;
	long p = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || p < 1 || p > 65535)
		return err_set(e, E_REFUSED, _("%s: the port of \"%s\" must be a number from 1 to 65535"), field, s);
	memcpy(a->host, s, (size_t)(colon - s));
	a->host[colon - s] = '\0';
	a->port = (unsigned)p;
	return 0;
}

void
rep_addr_str(const struct replica_addr *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u", a->host, a->port);
}

int
rep_path_in(const char *dir, const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
replica_conf_read(const char *dir, struct replica_conf *c, struct err *e)
{
	char path[PATH_MAX];
	json_error_t je;
	struct stat sb;

	memset(c, 0, sizeof *c);
	if (rep_path_in(dir, CONF_FILE, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, E_STORAGE, _("cannot read %s: %s"), path, strerror(errno));
	}
	json_t *j = json_load_file(path, 0, &je);
	if (j == NULL)
		return err_set(e, E_STORAGE, _("%s is damaged: %s"), path, je.text);
	const char *self = NULL, *role = "standby";
	json_t *peers = NULL;
	json_int_t prio = 100, ver = 0;
	if (json_unpack_ex(j, &je, 0, "{s:I,s:s,s?o,s?I,s?s}", "version", &ver, "self", &self,
	    "peers", &peers, "priority", &prio, "role", &role) != 0 || ver != 1 ||
	    replica_addr_parse("self", self, &c->self, e) != 0) {
		json_decref(j);
		return err_add(e, E_STORAGE, _("%s is damaged: %s"), path, je.text);
	}
	size_t i;
	json_t *p;
	json_array_foreach(peers, i, p) {
		if (c->npeers == REPLICA_MAX_PEERS ||
		    replica_addr_parse("peers", json_string_value(p), &c->peers[c->npeers], e) != 0) {
			json_decref(j);
			return err_add(e, E_STORAGE, _("%s is damaged: too many or bad peers"), path);
		}
		c->npeers++;
	}
	c->priority = (int)prio;
	snprintf(c->role, sizeof c->role, "%s", role);
	json_decref(j);
	return 1;
}

/* all or nothing: the one atomic write of dibao (core/afile.c) */
int
rep_write_atomic(const char *dir, const char *name, const char *text, struct err *e)
{
	char path[PATH_MAX];
	const char *what = NULL;
	if (rep_path_in(dir, name, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if (afile_write(path, text, strlen(text), AFILE_PRIVATE, &what) != 0)
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(errno));
	return 0;
}

int
rep_write_json(const char *dir, const char *name, json_t *j, struct err *e)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (text == NULL)
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	int r = rep_write_atomic(dir, name, text, e);
	free(text);
	return r;
}

int
replica_conf_write(const char *dir, const struct replica_conf *c, struct err *e)
{
	char a[300];
	json_t *peers = json_array();
	for (int i = 0; i < c->npeers; i++) {
		rep_addr_str(&c->peers[i], a, sizeof a);
		json_array_append_new(peers, json_string(a));
	}
	rep_addr_str(&c->self, a, sizeof a);
	return rep_write_json(dir, CONF_FILE, json_pack("{s:i,s:s,s:o,s:i,s:s}", "version", 1, "self", a,
	    "peers", peers, "priority", c->priority, "role", c->role), e);
}

/* ---- the environment ---------------------------------------------------- */

static int
configure(DB_ENV *env, const struct replica_conf *c, bool creator)
{
	DB_SITE *s;
	int ret;

	if ((ret = env->repmgr_site(env, c->self.host, c->self.port, &s, 0)) != 0)
		return ret;
	if ((ret = s->set_config(s, DB_LOCAL_SITE, 1)) != 0 ||
	    (creator && (ret = s->set_config(s, DB_GROUP_CREATOR, 1)) != 0)) {
		s->close(s);
		return ret;
	}
	if ((ret = s->close(s)) != 0)
		return ret;
	for (int i = 0; i < c->npeers; i++) {
		if ((ret = env->repmgr_site(env, c->peers[i].host, c->peers[i].port, &s, 0)) != 0)
			return ret;
		if ((ret = s->set_config(s, DB_BOOTSTRAP_HELPER, 1)) != 0) {
			s->close(s);
			return ret;
		}
		if ((ret = s->close(s)) != 0)
			return ret;
	}
	/* which processes are alive, for failchk (replica_run): set for every
	 * environment by store/failchk.c */
	if ((ret = env->set_event_notify(env, rep_on_event)) != 0 ||
	    /* two sites never elect on their own: a lone survivor waits for an
	     * admin's `replica promote` */
	    (ret = env->rep_set_config(env, DB_REPMGR_CONF_2SITE_STRICT, 1)) != 0 ||
	    (ret = env->repmgr_set_ack_policy(env, DB_REPMGR_ACKS_ONE_PEER)) != 0 ||
	    (ret = env->rep_set_priority(env, (u_int32_t)c->priority)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_ACK_TIMEOUT, 2000000)) != 0 ||
	    /* the master says where its log ends every half second, so a
	     * standby notices a gap at once; reconnect within a second */
	    (ret = env->rep_set_timeout(env, DB_REP_HEARTBEAT_SEND, 500000)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_HEARTBEAT_MONITOR, 3000000)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_CONNECTION_RETRY, 1000000)) != 0 ||
	    /* a checkpoint on the master would otherwise wait 30 s */
	    (ret = env->rep_set_timeout(env, DB_REP_CHECKPOINT_DELAY, 0)) != 0)
		return ret;
	return 0;
}

/* the replication process decides on elections before it opens the
 * environment (BDB refuses the setting later): -1 = not that process */
int rep_run_elections = -1;

int
replica_env_setup(struct store *st, DB_ENV *env, uint32_t *oflags, struct err *e)
{
	struct replica_conf c;
	int r = replica_conf_read(st->dir, &c, e);
	if (r <= 0)
		return r;
	/* the first master creates the group when it has none yet */
	int ret = configure(env, &c, strcmp(c.role, "master") == 0);
	if (ret != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	*oflags |= DB_INIT_REP;
	return 0;
}

/* ---- init and join ------------------------------------------------------- */

int rep_rf_all_body(struct store *st, store_txn *txn, void *baton, struct err *e);

/* The data key of the replication process and of a join (encrypted
 * stores): every process of every site opens the environment with the same
 * key (BDB's set_encrypt must match across the group). */
unsigned char rep_run_key[32];
bool rep_run_enc;

/* A store structure that only carries the directory and the key, for
 * crypt.c's environment set-up (set_encrypt, the System V key of the
 * regions, the directory lock) on an environment opened here. */
static struct store *
key_holder(const char *dir, const unsigned char *key)
{
	struct store *k = calloc(1, sizeof *k);
	if (k == NULL)
		return NULL;
	snprintf(k->dir, sizeof k->dir, "%s", dir);
	k->lockfd = -1;
	if (key != NULL) {
		memcpy(k->key, key, sizeof k->key);
		k->enc = true;
	}
	return k;
}

static void
key_holder_free(struct store *k)
{
	if (k != NULL) {
		memset(k->key, 0, sizeof k->key);
		if (k->lockfd >= 0)
			crypt_env_opened(k); /* drops the directory lock */
		free(k);
	}
}

/* store_regions_remove's set-up of an encrypted store's handle */
static int
key_setup(DB_ENV *env, void *baton)
{
	struct err e;
	u_int32_t of = 0;
	err_clear(&e);
	return crypt_env_setup(baton, env, &of, &e) != 0 ? EINVAL : 0;
}

/* Drop the environment's shared regions (no process may have it open), so
 * the next open builds them with or without replication.  An encrypted
 * store's regions are in system shared memory, found through its key. */
int
rep_drop_regions(const char *dir, const unsigned char *key, struct err *e)
{
	int ret;
	struct store *k = key_holder(dir, key);
	if (k == NULL)
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	/* failchk.c: a killed process's attachment does not count (issue 16) */
	ret = store_regions_remove(dir, key != NULL ? key_setup : NULL, k);
	key_holder_free(k);
	if (ret != 0 && ret != ENOENT)
		return err_set(e, E_REFUSED,
		    _("another dibao process still has %s open (%s): close every console and command on this PC first"),
		    dir, db_strerror(ret));
	return 0;
}

static int
audit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	json_t **pair = baton;
	return audit_appendj(st, txn, json_string_value(pair[0]), json_string_value(pair[1]),
	    "replica", json_incref(pair[2]), e);
}

int
rep_audit_rep(struct store *st, const struct user *actor, const char *action, json_t *detail, struct err *e)
{
	json_t *pair[3] = {json_string(actor ? actor->login : "dibao"), json_string(action), detail};
	int r = store_txn_run(st, audit_body, pair, e);
	json_decref(pair[0]);
	json_decref(pair[1]);
	json_decref(pair[2]);
	return r;
}

/* the engine's messages while it copies (it looks at every file of the
 * directory, replica.json included, and says so): kept for an error */
static char raw_msg[512];
static void
raw_errcall(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	snprintf(raw_msg, sizeof raw_msg, "%s", msg);
}

/* the same environment settings as env.c's open_env (store_env_config); k carries the data
 * key of an encrypted store (crypt.c sets the encryption and the regions
 * in system shared memory) */
static int
env_open_raw(const char *dir, const struct replica_conf *c, struct store *k, DB_ENV **out, struct err *e)
{
	DB_ENV *env;
	int ret;
	u_int32_t of = REP_ENV_FLAGS;
	*out = NULL;
	if ((ret = db_env_create(&env, 0)) != 0)
		return err_set(e, E_STORAGE, "%s", db_strerror(ret));
	env->set_errcall(env, raw_errcall);
	if ((ret = store_env_config(env)) != 0 ||
	    (ret = configure(env, c, false)) != 0) {
		env->close(env, 0);
		return err_set(e, E_STORAGE, _("opening the database environment: %s"), db_strerror(ret));
	}
	if (k->enc && crypt_env_setup(k, env, &of, e) != 0) {
		env->close(env, 0);
		return -1;
	}
	ret = env->open(env, dir, of, 0600);
	if (k->lockfd >= 0)
		crypt_env_opened(k);
	if (ret != 0) {
		env->close(env, 0);
		return err_set(e, E_STORAGE, _("opening the database environment: %s"), db_strerror(ret));
	}
	*out = env;
	return 0;
}

/* An encrypted group: the master's key file (copied by the admin, e.g.
 * from a USB stick or over the SSH tunnel) goes into the new directory,
 * and a user of the master unwraps the data key from it with his password.
 * 0 (key filled), -1. */
static int
join_keys(const char *dir, const char *keys, const char *login, const char *password, unsigned char key[32],
    struct err *e)
{
	char path[PATH_MAX];
	const char *what = NULL;
	unsigned char *p = NULL;
	struct stat sb;
	FILE *f;

	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if ((f = fopen(keys, "rbe")) == NULL || fstat(fileno(f), &sb) != 0 || sb.st_size <= 0 ||
	    sb.st_size > 1024 * 1024 || (p = malloc((size_t)sb.st_size)) == NULL ||
	    fread(p, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		int err = errno;
		if (f != NULL)
			fclose(f);
		free(p);
		return err_set(e, E_REFUSED, _("--keys: cannot read %s: %s"), keys, strerror(err ? err : EIO));
	}
	fclose(f);
	if (rep_path_in(dir, "dibao.keys", path, sizeof path) != 0 ||
	    afile_write(path, p, (size_t)sb.st_size, AFILE_PRIVATE, &what) != 0) {
		free(p);
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(errno));
	}
	free(p);
	if (crypt_unwrap(dir, WRAP_USER, login, password, key, NULL, e) != 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

int
replica_join(const char *dir, const struct replica_conf *c, const char *keys, const char *login,
    const char *password, int timeout_s, struct err *e)
{
	DB_ENV *env;
	char path[PATH_MAX];
	struct stat sb;
	unsigned char key[32];
	int ret;

	if (store_mkdirs(dir, e) != 0)
		return -1;
	if (rep_path_in(dir, "meta.db", path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if (stat(path, &sb) == 0)
		return err_set(e, E_REFUSED, _("%s already holds a dibao database: a standby starts from an empty directory"), dir);
	if (keys != NULL && join_keys(dir, keys, login, password, key, e) != 0)
		return -1;
	struct store *k = key_holder(dir, keys != NULL ? key : NULL);
	memset(key, 0, sizeof key);
	if (k == NULL)
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	if (replica_conf_write(dir, c, e) != 0) {
		key_holder_free(k);
		return -1;
	}
	rep_ev_startupdone = 0;
	time_t until = time(NULL) + timeout_s;
	int done = 0;
	/* the group is joined through the master (DB_REP_UNAVAIL while it
	 * cannot be reached): try again each second until the deadline */
	for (;;) {
		if (env_open_raw(dir, c, k, &env, e) != 0) {
			key_holder_free(k);
			return -1;
		}
		ret = env->repmgr_start(env, 3, DB_REP_CLIENT);
		if (ret == 0 || ret == DB_REP_IGNORE)
			break;
		env->close(env, 0);
		if (ret != DB_REP_UNAVAIL) {
			key_holder_free(k);
			return err_set(e, E_STORAGE, _("starting replication: %s"), db_strerror(ret));
		}
		if (time(NULL) >= until)
			goto late;
		sleep(1);
	}
	/* the engine copies the master's databases and logs (client init) */
	while (time(NULL) < until + 1 && !rep_ev_startupdone && !rep_ev_panic)
		usleep(100000);
	done = rep_ev_startupdone && !rep_ev_panic;
	/* then until the log has been quiet for a second and a half: closing
	 * while a master's transaction is half-way over leaves a log the next
	 * start cannot roll back (measured: ENOENT on the backward pass, the
	 * region panics, with a master writing during the join) */
	DB_LSN last = {0, 0};
	for (int quiet = 0; done && quiet < 15 && time(NULL) < until + 30 && !rep_ev_panic;) {
		DB_REP_STAT *rs = NULL;
		if (env->rep_stat(env, &rs, 0) != 0)
			break;
		bool same = rs->st_next_lsn.file == last.file && rs->st_next_lsn.offset == last.offset &&
		    rs->st_waiting_lsn.file == 0;
		last = rs->st_next_lsn;
		free(rs);
		quiet = same ? quiet + 1 : 0;
		usleep(100000);
	}
	done = done && !rep_ev_panic;
	env->close(env, 0);
late:
	if (!done) {
		char m[300];
		key_holder_free(k);
		rep_addr_str(&c->peers[0], m, sizeof m);
		if (rep_ev_panic)
			return err_set(e, E_REFUSED, _("no copy from the master %s: %s"), m,
			    raw_msg[0] ? raw_msg : _("the engine stopped (is the key file the master's?)"));
		return err_set(e, E_REFUSED, _("no copy from the master %s within %d seconds: is its \"dibao replica run\" running and the port open?"),
		    m, timeout_s);
	}
	ret = rep_drop_regions(dir, k->enc ? k->key : NULL, e);
	key_holder_free(k);
	return ret;
}

