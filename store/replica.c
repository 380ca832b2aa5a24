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

#include "core/core.h"
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
#include "store/replica.h"

#define CONF_FILE "replica.json"
#define STATUS_FILE "replica-status.json"
#define PROMOTE_FILE "replica.promote"
#define ROLLBACK_FILE "replica-rollback.json"
#define REP_ENV_FLAGS (DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | \
    DB_INIT_MPOOL | DB_THREAD | DB_REGISTER | DB_RECOVER | DB_INIT_REP)

/* ---- the engine's events (called on repmgr's threads) ---------------- */

#define NEVENTS 16
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { time_t t; const char *what; } ev_ring[NEVENTS];
static int ev_n;
static volatile int ev_startupdone, ev_panic, ev_newmaster;

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

static void
on_event(DB_ENV *env, u_int32_t which, void *info)
{
	(void)env;
	(void)info;
	if (which == DB_EVENT_REP_STARTUPDONE)
		ev_startupdone = 1;
	if (which == DB_EVENT_PANIC)
		ev_panic = 1;
	if (which == DB_EVENT_REP_NEWMASTER)
		ev_newmaster = 1;
	const char *n = event_name(which);
	if (n == NULL || which == DB_EVENT_REP_CONNECT_TRY_FAILED)
		return;
	pthread_mutex_lock(&ev_lock);
	ev_ring[ev_n % NEVENTS].t = time(NULL);
	ev_ring[ev_n % NEVENTS].what = n;
	ev_n++;
	pthread_mutex_unlock(&ev_lock);
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

static void
addr_str(const struct replica_addr *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u", a->host, a->port);
}

static int
path_in(const char *dir, const char *name, char *buf, size_t size)
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
	if (path_in(dir, CONF_FILE, path, sizeof path) != 0)
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
static int
write_atomic(const char *dir, const char *name, const char *text, struct err *e)
{
	char path[PATH_MAX];
	const char *what = NULL;
	if (path_in(dir, name, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if (afile_write(path, text, strlen(text), AFILE_PRIVATE, &what) != 0)
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(errno));
	return 0;
}

static int
write_json(const char *dir, const char *name, json_t *j, struct err *e)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (text == NULL)
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	int r = write_atomic(dir, name, text, e);
	free(text);
	return r;
}

int
replica_conf_write(const char *dir, const struct replica_conf *c, struct err *e)
{
	char a[300];
	json_t *peers = json_array();
	for (int i = 0; i < c->npeers; i++) {
		addr_str(&c->peers[i], a, sizeof a);
		json_array_append_new(peers, json_string(a));
	}
	addr_str(&c->self, a, sizeof a);
	return write_json(dir, CONF_FILE, json_pack("{s:i,s:s,s:o,s:i,s:s}", "version", 1, "self", a,
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
	if ((ret = env->set_event_notify(env, on_event)) != 0 ||
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
static int run_elections = -1;

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

/* ---- what the replication process publishes ------------------------------ */

/* a process that is there and not a zombie (a killed process whose parent
 * died too may stay a zombie for a while) */
static bool
pid_alive(pid_t pid)
{
	char path[64], buf[256];
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return true;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return !(p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static json_t *
status_read(const char *dir)
{
	char path[PATH_MAX];
	if (path_in(dir, STATUS_FILE, path, sizeof path) != 0)
		return NULL;
	json_t *j = json_load_file(path, 0, NULL);
	if (j == NULL)
		return NULL;
	json_int_t pid = json_integer_value(json_object_get(j, "pid"));
	json_int_t t = json_integer_value(json_object_get(j, "time"));
	time_t now = time(NULL);
	/* a stale file is a replication process that is gone */
	if (pid <= 0 || !pid_alive((pid_t)pid) || now - t > 5) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* json of the rollback waiting to be audited, or NULL */
static json_t *
rollback_read(const char *dir)
{
	char path[PATH_MAX];
	if (path_in(dir, ROLLBACK_FILE, path, sizeof path) != 0)
		return NULL;
	return json_load_file(path, 0, NULL);
}

static int
master_addr(DB_ENV *env, int eid, char *buf, size_t size)
{
	DB_REPMGR_SITE *list = NULL;
	u_int n = 0;
	buf[0] = '\0';
	if (eid < 0 || env->repmgr_site_list(env, &n, &list) != 0)
		return -1;
	for (u_int i = 0; i < n; i++)
		if (list[i].eid == eid)
			snprintf(buf, size, "%s:%u", list[i].host, list[i].port);
	free(list);
	return buf[0] ? 0 : -1;
}

int
replica_info_get(struct store *st, struct replica_info *ri, struct err *e)
{
	struct replica_conf c;
	memset(ri, 0, sizeof *ri);
	ri->master_away_s = -1;
	ri->lag_bytes = -1;
	ri->lag_seconds = -1;
	int r = replica_conf_read(st->dir, &c, e);
	if (r <= 0)
		return r;
	ri->site = true;
	addr_str(&c.self, ri->self_addr, sizeof ri->self_addr);

	DB_REP_STAT *rs = NULL;
	int ret = st->env->rep_stat(st->env, &rs, 0);
	if (ret != 0)
		return store_dberr(st, ret, _("reading the replication state"), e);
	ri->master = rs->st_status == DB_REP_MASTER;
	ri->standby = rs->st_status == DB_REP_CLIENT;
	if (ri->master)
		snprintf(ri->master_addr, sizeof ri->master_addr, "%s", ri->self_addr);
	else
		master_addr(st->env, rs->st_master, ri->master_addr, sizeof ri->master_addr);
	bool startup = rs->st_startup_complete != 0;
	free(rs);
	if (!ri->master && !ri->standby)
		ri->standby = strcmp(c.role, "master") != 0;

	json_t *s = status_read(st->dir);
	ri->running = s != NULL;
	ri->sites = json_array();
	json_t *site;
	size_t i;
	bool any_away = false, master_seen = false;
	json_array_foreach(json_object_get(s, "sites"), i, site) {
		json_array_append(ri->sites, site);
		const char *a = json_string_value(json_object_get(site, "address"));
		bool conn = json_is_true(json_object_get(site, "connected"));
		if (!conn)
			any_away = true;
		if (a && strcmp(a, ri->master_addr) == 0 && conn)
			master_seen = true;
		json_t *lb = json_object_get(site, "lag_bytes"), *ls = json_object_get(site, "lag_seconds");
		if (ri->master && json_is_integer(lb) && json_integer_value(lb) > ri->lag_bytes) {
			ri->lag_bytes = (long long)json_integer_value(lb);
			ri->lag_seconds = (long)json_integer_value(ls);
		}
	}
	if (!ri->master && json_is_integer(json_object_get(json_object_get(s, "lag"), "lag_bytes"))) {
		ri->lag_bytes = (long long)json_integer_value(json_object_get(json_object_get(s, "lag"), "lag_bytes"));
		ri->lag_seconds = (long)json_integer_value(json_object_get(json_object_get(s, "lag"), "lag_seconds"));
	}
	if (s == NULL) {
		/* no replication process: what the configuration names */
		for (int k = 0; k < c.npeers; k++) {
			char a[300];
			addr_str(&c.peers[k], a, sizeof a);
			json_array_append_new(ri->sites, json_pack("{s:s,s:b}", "address", a, "connected", 0));
		}
		any_away = c.npeers > 0;
		if (ri->master_addr[0] == '\0' && ri->standby && c.npeers > 0)
			addr_str(&c.peers[0], ri->master_addr, sizeof ri->master_addr);
	}
	json_int_t heard = json_integer_value(json_object_get(s, "master_heard"));
	ri->master_connected = master_seen;
	if (heard > 0)
		ri->master_away_s = master_seen ? 0 : (long)(time(NULL) - heard);
	if (ri->master)
		ri->behind = any_away;
	else
		ri->behind = !master_seen || !(startup || json_is_true(json_object_get(s, "caught_up")));
	json_t *rb = rollback_read(st->dir);
	ri->rollback = json_incref(json_object_get(rb, "lost"));
	json_decref(rb);
	ri->events = json_incref(json_object_get(s, "events"));
	if (ri->events == NULL)
		ri->events = json_array();
	json_decref(s);
	return 0;
}

bool
replica_banner(struct store *st, char *buf, size_t size)
{
	struct replica_info ri;
	struct err e;
	buf[0] = '\0';
	if (st == NULL || replica_info_get(st, &ri, &e) != 0 || !ri.site)
		return false;
	if (ri.master)
		snprintf(buf, size, "%s%s", _("master PC"), ri.behind ? _(" · standby not in step") : "");
	else
		snprintf(buf, size, _("standby PC (master %s)%s"), ri.master_addr[0] ? ri.master_addr : "?",
		    ri.behind ? _(" · not in step") : "");
	/* the lag figures when the standby is away or has been behind for a
	 * while: a commit puts the standby behind for a moment every time,
	 * which the title bar does not need to flicker with */
	if (ri.lag_bytes > 0 && (ri.behind || ri.lag_seconds >= 5)) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, _(" · %lld bytes, %ld s behind"), ri.lag_bytes, ri.lag_seconds);
	}
	size_t lost = json_array_size(ri.rollback);
	if (lost > 0) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, _(" · %zu unacknowledged change(s) rolled back"), lost);
	}
	json_decref(ri.sites);
	json_decref(ri.events);
	json_decref(ri.rollback);
	return ri.behind || lost > 0;
}

long
replica_master_away(struct store *st)
{
	struct replica_info ri;
	struct err e;
	if (st == NULL || replica_info_get(st, &ri, &e) != 0 || !ri.site)
		return -1;
	long away = ri.master || ri.master_connected ? -1 : ri.master_away_s;
	json_decref(ri.sites);
	json_decref(ri.events);
	json_decref(ri.rollback);
	return away;
}

void
replica_describe(struct store *st, char *buf, size_t size)
{
	struct replica_info ri;
	struct err e;
	size_t n;
	buf[0] = '\0';
	if (st == NULL || replica_info_get(st, &ri, &e) != 0 || !ri.site)
		return;
	snprintf(buf, size, _("Standby PC: this site %s is the %s; replication process %s"), ri.self_addr,
	    ri.master ? _("master") : _("standby"), ri.running ? _("running") : _("NOT running"));
	/* the lag before the sites: the screen's line is clipped at its end */
	if (ri.lag_bytes >= 0) {
		n = strlen(buf);
		snprintf(buf + n, size - n, _("; lag %lld bytes of log, %ld s"), ri.lag_bytes, ri.lag_seconds);
	}
	n = strlen(buf);
	snprintf(buf + n, size - n, "%s", _("; sites:"));
	size_t i;
	json_t *s;
	json_array_foreach(ri.sites, i, s) {
		n = strlen(buf);
		snprintf(buf + n, size - n, " %s (%s)", json_string_value(json_object_get(s, "address")),
		    json_is_true(json_object_get(s, "connected")) ? _("connected") : _("away"));
	}
	json_decref(ri.sites);
	json_decref(ri.events);
	json_decref(ri.rollback);
}

int
replica_write_check(struct store *st, struct err *e)
{
	struct replica_conf c;
	struct err e2;
	if (replica_conf_read(st->dir, &c, &e2) <= 0)
		return 0;
	DB_REP_STAT *rs = NULL;
	if (st->env->rep_stat(st->env, &rs, 0) != 0)
		return 0; /* the write itself will report the storage error */
	bool master = rs->st_status == DB_REP_MASTER;
	bool client = rs->st_status == DB_REP_CLIENT;
	int meid = rs->st_master;
	free(rs);
	if (master || (!client && strcmp(c.role, "master") == 0))
		return 0;
	char m[300] = "";
	if (master_addr(st->env, meid, m, sizeof m) != 0 && c.npeers > 0)
		addr_str(&c.peers[0], m, sizeof m);
	return err_set(e, E_REFUSED, _("this PC is the standby: work on the master %s"), m[0] ? m : "?");
}

/* ---- init and join ------------------------------------------------------- */

static int rf_all_body(struct store *st, store_txn *txn, void *baton, struct err *e);

/* The data key of the replication process and of a join (encrypted
 * stores): every process of every site opens the environment with the same
 * key (BDB's set_encrypt must match across the group). */
static unsigned char run_key[32];
static bool run_enc;

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
static int
drop_regions(const char *dir, const unsigned char *key, struct err *e)
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

static int
audit_rep(struct store *st, const struct user *actor, const char *action, json_t *detail, struct err *e)
{
	json_t *pair[3] = {json_string(actor ? actor->login : "dibao"), json_string(action), detail};
	int r = store_txn_run(st, audit_body, pair, e);
	json_decref(pair[0]);
	json_decref(pair[1]);
	json_decref(pair[2]);
	return r;
}

int
replica_init(struct store **stp, const struct user *actor, const struct replica_conf *c, struct err *e)
{
	struct store *st = *stp;
	struct replica_conf old;
	char dir[PATH_MAX];
	char a[300];

	if (store_require(actor, ACT_USERS, e) != 0)
		return -1;
	int r = replica_conf_read(st->dir, &old, e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_REFUSED, _("%s is already a replication site (%s)"), st->dir, CONF_FILE);
	snprintf(dir, sizeof dir, "%s", st->dir);
	/* an encrypted store opens again with the key the login unwrapped */
	unsigned char key[32];
	bool enc = st->enc;
	memcpy(key, st->key, sizeof key);
	store_close(st);
	*stp = NULL;
	int ok = drop_regions(dir, enc ? key : NULL, e) == 0 && replica_conf_write(dir, c, e) == 0 &&
	    store_open_key(stp, dir, 0, enc ? key : NULL, e) == 0;
	memset(key, 0, sizeof key);
	if (!ok)
		return -1;
	/* the scans already there, for the standby (replica-files.db) */
	long nfiles = 0;
	if (store_txn_run(*stp, rf_all_body, &nfiles, e) != 0)
		return -1;
	addr_str(&c->self, a, sizeof a);
	json_t *peers = json_array();
	for (int i = 0; i < c->npeers; i++) {
		char p[300];
		addr_str(&c->peers[i], p, sizeof p);
		json_array_append_new(peers, json_string(p));
	}
	return audit_rep(*stp, actor, "replica.init", json_pack("{s:s,s:o,s:i}", "self", a, "peers", peers,
	    "priority", c->priority), e);
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

/* the same environment settings as env.c's open_env; k carries the data
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
	if ((ret = env->mutex_set_max(env, 20000)) != 0 ||
	    (ret = env->set_cachesize(env, 0, 8 * 1024 * 1024, 1)) != 0 ||
	    (ret = env->set_lk_max_locks(env, 20000)) != 0 ||
	    (ret = env->set_lk_max_objects(env, 20000)) != 0 ||
	    (ret = env->set_lk_max_lockers(env, 2000)) != 0 ||
	    (ret = env->set_lg_bsize(env, 256 * 1024)) != 0 ||
	    (ret = env->set_lk_detect(env, DB_LOCK_DEFAULT)) != 0 ||
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
	if ((f = fopen(keys, "rb")) == NULL || fstat(fileno(f), &sb) != 0 || sb.st_size <= 0 ||
	    sb.st_size > 1024 * 1024 || (p = malloc((size_t)sb.st_size)) == NULL ||
	    fread(p, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		int err = errno;
		if (f != NULL)
			fclose(f);
		free(p);
		return err_set(e, E_REFUSED, _("--keys: cannot read %s: %s"), keys, strerror(err ? err : EIO));
	}
	fclose(f);
	if (path_in(dir, "dibao.keys", path, sizeof path) != 0 ||
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
	if (path_in(dir, "meta.db", path, sizeof path) != 0)
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
	ev_startupdone = 0;
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
	while (time(NULL) < until + 1 && !ev_startupdone && !ev_panic)
		usleep(100000);
	done = ev_startupdone && !ev_panic;
	/* then until the log has been quiet for a second and a half: closing
	 * while a master's transaction is half-way over leaves a log the next
	 * start cannot roll back (measured: ENOENT on the backward pass, the
	 * region panics, with a master writing during the join) */
	DB_LSN last = {0, 0};
	for (int quiet = 0; done && quiet < 15 && time(NULL) < until + 30 && !ev_panic;) {
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
	done = done && !ev_panic;
	env->close(env, 0);
late:
	if (!done) {
		char m[300];
		key_holder_free(k);
		addr_str(&c->peers[0], m, sizeof m);
		if (ev_panic)
			return err_set(e, E_REFUSED, _("no copy from the master %s: %s"), m,
			    raw_msg[0] ? raw_msg : _("the engine stopped (is the key file the master's?)"));
		return err_set(e, E_REFUSED, _("no copy from the master %s within %d seconds: is its \"dibao replica run\" running and the port open?"),
		    m, timeout_s);
	}
	ret = drop_regions(dir, k->enc ? k->key : NULL, e);
	key_holder_free(k);
	return ret;
}

/* ---- what a returning master loses ------------------------------------------ */

/* A master that committed while its standby was away, and came back after
 * the standby was promoted, has commits nobody acknowledged: the engine
 * rolls them back when it joins the new master.  The last entries of the
 * audit chain before the engine starts, compared with the chain once caught
 * up, name them; the report waits in replica-rollback.json (status and
 * dashboard show it) until `replica promote` makes this site the master
 * again and writes it to the audit chain. */
#define SNAP_N 64
struct snap {
	uint64_t seq;
	int64_t time;
	unsigned char hash[32];
	char op[USER_MAX_BYTES];
	char action[TEXT_SHORT];
	char object[TEXT_SHORT];
};
struct snaps {
	struct snap s[SNAP_N];
	void *raw[SNAP_N];     /* the records as stored (snap_raw) */
	u_int32_t rawlen[SNAP_N];
	uint64_t n;       /* entries seen */
	json_t *lost;     /* second pass: what no longer matches */
};

static int
snap_fn(const struct audit_entry *a, void *baton)
{
	struct snaps *sn = baton;
	struct snap *p = &sn->s[sn->n++ % SNAP_N];
	p->seq = a->seq;
	p->time = a->time;
	memcpy(p->hash, a->hash, 32);
	snprintf(p->op, sizeof p->op, "%s", a->op);
	snprintf(p->action, sizeof p->action, "%s", a->action);
	snprintf(p->object, sizeof p->object, "%s", a->object);
	return 0;
}

/* The entry seq as stored, read through a handle of its own: after the
 * engine rolled back or re-copied pages, the handles opened before are
 * dead (DB_REP_HANDLE_DEAD).  1 found (*out malloc'd), 0 absent, -1 error. */
static int
raw_entry(DB *db, uint64_t seq, DBT *out)
{
	unsigned char k[8];
	DBT key;
	for (int i = 0; i < 8; i++)
		k[i] = (unsigned char)(seq >> (56 - 8 * i));
	memset(&key, 0, sizeof key);
	memset(out, 0, sizeof *out);
	key.data = k;
	key.size = 8;
	out->flags = DB_DBT_MALLOC;
	int ret = db->get(db, NULL, &key, out, 0);
	return ret == 0 ? 1 : ret == DB_NOTFOUND ? 0 : -1;
}

static int
audit_handle(struct store *st, DB **out)
{
	DB *db;
	int ret;
	*out = NULL;
	if ((ret = db_create(&db, st->env, 0)) != 0)
		return ret;
	if ((ret = db->open(db, NULL, db_tables[DBI_AUDIT].file, NULL, DB_BTREE, DB_THREAD | DB_RDONLY, 0)) != 0) {
		db->close(db, 0);
		return ret;
	}
	*out = db;
	return 0;
}

/* the raw records of the entries kept in *sn (before the engine starts) */
static void
snap_raw(struct store *st, struct snaps *sn)
{
	DB *db;
	uint64_t kept = sn->n < SNAP_N ? sn->n : SNAP_N;
	if (audit_handle(st, &db) != 0)
		return;
	for (uint64_t i = 0; i < kept; i++) {
		DBT v;
		if (raw_entry(db, sn->s[i].seq, &v) == 1) {
			sn->raw[i] = v.data;
			sn->rawlen[i] = v.size;
		}
	}
	db->close(db, 0);
}

/* after catching up: what of *before is gone; written to ROLLBACK_FILE */
static int
rollback_check(struct store *st, const struct snaps *before, void (*say)(const char *))
{
	struct err e;
	DB *db;
	bool same[SNAP_N] = {false};
	uint64_t kept = before->n < SNAP_N ? before->n : SNAP_N;
	if (kept == 0 || audit_handle(st, &db) != 0)
		return 0;
	for (uint64_t i = 0; i < kept; i++) {
		DBT v;
		int r = raw_entry(db, before->s[i].seq, &v);
		if (r < 0) {
			db->close(db, 0);
			return 0; /* look again later */
		}
		same[i] = r == 1 && before->raw[i] != NULL && v.size == before->rawlen[i] &&
		    memcmp(v.data, before->raw[i], v.size) == 0;
		free(v.data);
	}
	db->close(db, 0);
	json_t *lost = json_array();
	for (uint64_t i = 0; i < kept; i++) {
		const struct snap *p = &before->s[i];
		if (!same[i])
			json_array_append_new(lost, json_pack("{s:I,s:I,s:s,s:s,s:s}", "seq", (json_int_t)p->seq,
			    "time", (json_int_t)p->time, "op", p->op, "action", p->action, "object", p->object));
	}
	size_t n = json_array_size(lost);
	if (n == 0) {
		/* a look while the engine was still applying may have seen
		 * more than it finally undid: the last look stands */
		char rp[PATH_MAX];
		if (path_in(st->dir, ROLLBACK_FILE, rp, sizeof rp) == 0)
			unlink(rp);
		json_decref(lost);
		return 0;
	}
	char line[300];
	snprintf(line, sizeof line, _("rollback: %zu change(s) this site committed while its standby was away were never acknowledged and were undone by the engine (see replica status)"), n);
	say(line);
	on_event(NULL, DB_EVENT_REP_WOULD_ROLLBACK, NULL);
	if (write_json(st->dir, ROLLBACK_FILE, json_pack("{s:I,s:o}", "time", (json_int_t)time(NULL), "lost", lost), &e) != 0)
		say(e.msg);
	return (int)n;
}

/* ---- files the standby materialises (replica-files.db) --------------------- */

/* Berkeley DB replicates databases only.  The files of a data directory a
 * standby needs besides them — the scans under files/ and the key file
 * dibao.keys — are also kept, byte for byte as they lie on disk (a scan
 * sealed by secretstream in an encrypted store), in the database
 * replica-files.db: key = the file's path relative to the data directory,
 * a NUL, the chunk number (u32 big-endian); value = record type 70 (the
 * file's whole size, the chunk's bytes).  The engine replicates them with
 * everything else; the standby's replication process writes each file into
 * place (core/afile.c). */
#define RF_CHUNK (64 * 1024)
enum { RF_SIZE = 1, RF_BYTES = 2 };
#define KEYS_REL "dibao.keys"

static size_t
rf_key(unsigned char *k, size_t size, const char *rel, uint32_t chunk)
{
	size_t n = strlen(rel);
	if (n + 5 > size)
		return 0;
	memcpy(k, rel, n + 1);
	for (int i = 0; i < 4; i++)
		k[n + 1 + i] = (unsigned char)(chunk >> (24 - 8 * i));
	return n + 5;
}

/* A relative path the standby may write: dibao.keys, or files/XX/<sha>
 * whose XX are the first two of its 64 lowercase hex digits. */
static bool
rf_rel_ok(const char *rel)
{
	if (strcmp(rel, KEYS_REL) == 0)
		return true;
	if (strlen(rel) != 6 + 3 + 64 || strncmp(rel, "files/", 6) != 0 || rel[8] != '/' ||
	    strncmp(rel + 6, rel + 9, 2) != 0)
		return false;
	for (const char *p = rel + 9; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static int
rf_put_chunk(struct store *st, DB_TXN *txn, const char *rel, uint32_t i, uint64_t total, const void *p, size_t n)
{
	DB *db = st->db[DBI_REPLICA_FILES];
	unsigned char k[PATH_MAX];
	struct buf b;
	DBT key, val;
	size_t kn = rf_key(k, sizeof k, rel, i);
	if (kn == 0)
		return ENAMETOOLONG;
	buf_init(&b);
	rec_begin(&b, RT_REPLICA_CHUNK, 1);
	rec_int(&b, RF_SIZE, (int64_t)total);
	rec_blob(&b, RF_BYTES, p, n);
	dbt_init(&key, k, kn);
	dbt_init(&val, b.p, b.len);
	int ret = b.oom ? ENOMEM : db->put(db, txn, &key, &val, 0);
	if (ret == 0)
		audit_track(st, DBI_REPLICA_FILES, key.data, key.size, val.data, val.size); /* issue 16.5 */
	buf_free(&b);
	return ret;
}

/* Chunks from number `from` on (an older, longer version of the file) go. */
static int
rf_trim(struct store *st, DB_TXN *txn, const char *rel, uint32_t from)
{
	DB *db = st->db[DBI_REPLICA_FILES];
	unsigned char k[PATH_MAX];
	DBT key;
	for (uint32_t i = from;; i++) {
		size_t kn = rf_key(k, sizeof k, rel, i);
		dbt_init(&key, k, kn);
		int ret = db->del(db, txn, &key, 0);
		if (ret == DB_NOTFOUND)
			return 0;
		if (ret != 0)
			return ret;
		audit_track(st, DBI_REPLICA_FILES, key.data, key.size, NULL, 0); /* issue 16.5 */
	}
}

/* The file rel of the data directory, as it lies on disk, into the
 * database (streamed a chunk at a time). */
static int
rf_put_file(struct store *st, DB_TXN *txn, const char *rel, struct err *e)
{
	char path[PATH_MAX];
	unsigned char *chunk;
	struct stat sb;
	int fd, ret = 0;
	uint32_t i = 0;

	if (path_in(st->dir, rel, path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return err_set(e, E_STORAGE, _("cannot read %s: %s"), path, strerror(err));
	}
	if ((chunk = malloc(RF_CHUNK)) == NULL) {
		close(fd);
		return err_set(e, E_STORAGE, "%s", strerror(ENOMEM));
	}
	uint64_t total = (uint64_t)sb.st_size, done = 0;
	do {
		size_t want = total - done < RF_CHUNK ? (size_t)(total - done) : RF_CHUNK, got = 0;
		while (got < want) {
			ssize_t r = read(fd, chunk + got, want - got);
			if (r <= 0) {
				int err = r < 0 ? errno : EIO;
				free(chunk);
				close(fd);
				return err_set(e, E_STORAGE, _("cannot read %s: %s"), path, strerror(err));
			}
			got += (size_t)r;
		}
		if ((ret = rf_put_chunk(st, txn, rel, i++, total, chunk, want)) != 0)
			break;
		done += want;
	} while (done < total);
	free(chunk);
	close(fd);
	if (ret == 0)
		ret = rf_trim(st, txn, rel, i);
	return ret == 0 ? 0 : store_dberr(st, ret, _("recording the attachment"), e);
}

/* The whole file rel from the database: 1 (*out malloc'd), 0 absent or
 * not complete yet, -1 a read error. */
static int
rf_get(DB *db, DB_TXN *txn, const char *rel, unsigned char **out, size_t *len)
{
	unsigned char k[PATH_MAX], *p = NULL;
	uint64_t total = 0, done = 0;
	*out = NULL;
	*len = 0;
	for (uint32_t i = 0; i == 0 || done < total; i++) {
		DBT key, val;
		struct rec_reader r;
		size_t kn = rf_key(k, sizeof k, rel, i);
		if (kn == 0)
			return -1;
		dbt_init(&key, k, kn);
		memset(&val, 0, sizeof val);
		val.flags = DB_DBT_MALLOC;
		int ret = db->get(db, txn, &key, &val, 0);
		if (ret != 0) {
			free(p);
			return ret == DB_NOTFOUND ? 0 : -1;
		}
		const unsigned char *bytes = NULL;
		uint32_t blen = 0;
		int64_t size = -1;
		if (rec_open(&r, val.data, val.size, RT_REPLICA_CHUNK, 1) == 0) {
			int f;
			while ((f = rec_next(&r)) == 1) {
				if (r.tag == RF_SIZE)
					size = rec_get_int(&r);
				else if (r.tag == RF_BYTES)
					bytes = r.val, blen = r.vlen;
			}
			if (f != 0)
				size = -1;
		}
		if (size < 0 || bytes == NULL || (i == 0 && size > (int64_t)1 << 32) || (i > 0 && (uint64_t)size != total) ||
		    done + blen > (uint64_t)size) {
			free(val.data);
			free(p);
			return -1;
		}
		if (i == 0) {
			total = (uint64_t)size;
			if ((p = malloc(total > 0 ? (size_t)total : 1)) == NULL) {
				free(val.data);
				return -1;
			}
		}
		memcpy(p + done, bytes, blen);
		done += blen;
		free(val.data);
		if (blen == 0 && done < total) {
			free(p);
			return -1;
		}
	}
	*out = p;
	*len = (size_t)total;
	return 1;
}

int
replica_attach_put(struct store *st, store_txn *txn, const char *sha_hex, struct err *e)
{
	char conf[PATH_MAX], rel[128];
	struct stat sb;
	if (path_in(st->dir, CONF_FILE, conf, sizeof conf) != 0 || stat(conf, &sb) != 0)
		return 0; /* not a replication site */
	snprintf(rel, sizeof rel, "files/%.2s/%s", sha_hex, sha_hex);
	/* a scan attached again: its file, sealed once, is there already */
	unsigned char k[PATH_MAX];
	DBT key, val;
	size_t kn = rf_key(k, sizeof k, rel, 0);
	dbt_init(&key, k, kn);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_PARTIAL | DB_DBT_USERMEM; /* whether it is there, not its bytes */
	int ret = st->db[DBI_REPLICA_FILES]->get(st->db[DBI_REPLICA_FILES], txn, &key, &val, 0);
	if (ret == 0)
		return 0;
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("recording the attachment"), e);
	return rf_put_file(st, txn, rel, e);
}

/* replica init: the scans already there go into replica-files.db */
static int
rf_all_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	DBC *cur;
	DBT k, v;
	int ret;
	long *n = baton;
	*n = 0;
	if ((ret = st->db[DBI_ATTACH]->cursor(st->db[DBI_ATTACH], txn, &cur, 0)) != 0)
		return store_dberr(st, ret, db_tables[DBI_ATTACH].file, e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		char sha[65];
		if (k.size != 64)
			continue;
		memcpy(sha, k.data, 64);
		sha[64] = '\0';
		if (replica_attach_put(st, txn, sha, e) != 0) {
			cur->close(cur);
			return -1;
		}
		(*n)++;
	}
	cur->close(cur);
	if (ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[DBI_ATTACH].file, e);
	return audit_appendj(st, txn, "dibao", "replica.files", st->dir, json_pack("{s:i}", "attachments", (int)*n), e);
}

/* The master's replication process: the key file, when it changed (a
 * user added, a password set), into replica-files.db, audited. */
struct keys_baton {
	const unsigned char *p;
	size_t n;
};

static int
keys_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct keys_baton *kb = baton;
	unsigned char h[32];
	char hex[65];
	int ret = rf_put_chunk(st, txn, KEYS_REL, 0, kb->n, kb->p, kb->n);
	if (ret == 0)
		ret = rf_trim(st, txn, KEYS_REL, 1);
	if (ret != 0)
		return store_dberr(st, ret, KEYS_REL, e);
	crypto_hash_sha256(h, kb->p, kb->n);
	hex32(h, hex);
	return audit_appendj(st, txn, "dibao", "replica.keys", KEYS_REL, json_pack("{s:i,s:s}", "bytes", (int)kb->n,
	    "sha256", hex), e);
}

static unsigned char *
read_small(const char *path, size_t *n)
{
	struct stat sb;
	unsigned char *p = NULL;
	FILE *f = fopen(path, "rb");
	*n = 0;
	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && sb.st_size < RF_CHUNK &&
	    (p = malloc((size_t)sb.st_size)) != NULL && fread(p, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		free(p);
		p = NULL;
	}
	if (p != NULL)
		*n = (size_t)sb.st_size;
	fclose(f);
	return p;
}

static void
keys_mirror(struct store *st, void (*say)(const char *))
{
	char path[PATH_MAX];
	size_t n, dn;
	unsigned char *p, *d = NULL;
	struct err e;
	if (path_in(st->dir, KEYS_REL, path, sizeof path) != 0 || (p = read_small(path, &n)) == NULL)
		return;
	int r = rf_get(st->db[DBI_REPLICA_FILES], NULL, KEYS_REL, &d, &dn);
	if (r == 0 || (r == 1 && (dn != n || memcmp(d, p, n) != 0))) {
		struct keys_baton kb = {p, n};
		if (store_txn_run(st, keys_body, &kb, &e) != 0)
			say(e.msg);
	}
	free(d);
	free(p);
}

/* A standby's replication process: the files the database holds and the
 * directory lacks (or, the key file, holds otherwise) are written into
 * place.  A fresh handle each time: the engine may have re-copied pages
 * (DB_REP_HANDLE_DEAD).  Returns the files written. */
static int
materialise(struct store *st, void (*say)(const char *))
{
	DB *db;
	DBC *cur;
	DBT k, v;
	int ret, written = 0;
	json_t *todo = json_array();

	if (db_create(&db, st->env, 0) != 0) {
		json_decref(todo);
		return 0;
	}
	if (db->open(db, NULL, db_tables[DBI_REPLICA_FILES].file, NULL, DB_BTREE, DB_THREAD | DB_RDONLY, 0) != 0 ||
	    db->cursor(db, NULL, &cur, 0) != 0) {
		db->close(db, 0);
		json_decref(todo);
		return 0;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_PARTIAL; /* the keys only */
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		const unsigned char *kp = k.data;
		char rel[PATH_MAX], path[PATH_MAX];
		struct stat sb;
		if (k.size < 6 || k.size - 4 > sizeof rel || kp[k.size - 5] != '\0' ||
		    kp[k.size - 4] | kp[k.size - 3] | kp[k.size - 2] | kp[k.size - 1])
			continue; /* not the first chunk of a file */
		memcpy(rel, kp, k.size - 4);
		if (!rf_rel_ok(rel) || path_in(st->dir, rel, path, sizeof path) != 0)
			continue;
		if (strcmp(rel, KEYS_REL) == 0 || stat(path, &sb) != 0)
			json_array_append_new(todo, json_string(rel));
	}
	cur->close(cur);
	size_t i;
	json_t *j;
	json_array_foreach(todo, i, j) {
		const char *rel = json_string_value(j);
		char path[PATH_MAX], sub[PATH_MAX + 16];
		unsigned char *p, *old;
		size_t n, on;
		const char *what;
		if (rf_get(db, NULL, rel, &p, &n) != 1 || path_in(st->dir, rel, path, sizeof path) != 0) {
			continue;
		}
		if (strcmp(rel, KEYS_REL) == 0) {
			old = read_small(path, &on);
			bool same = old != NULL && on == n && memcmp(old, p, n) == 0;
			free(old);
			if (same) {
				free(p);
				continue;
			}
		} else {
			/* files/ and files/XX/ */
			snprintf(sub, sizeof sub, "%s/files", st->dir);
			mkdir(sub, 0700);
			snprintf(sub, sizeof sub, "%s/files/%.2s", st->dir, rel + 6);
			mkdir(sub, 0700);
		}
		if (afile_write(path, p, n, AFILE_PRIVATE, &what) != 0) {
			char line[PATH_MAX + 100];
			snprintf(line, sizeof line, _("cannot write %s: %s"), path, strerror(errno));
			say(line);
		} else {
			written++;
		}
		free(p);
	}
	json_decref(todo);
	db->close(db, 0);
	return written;
}

/* ---- lag: how far a standby's log is behind the master's ------------------- */

/* Berkeley DB 5.3 does not tell a master where each standby's log ends.
 * The replication processes ask each other over the engine's own message
 * channel (DB_CHANNEL, repmgr_msg_dispatch): once a second a standby sends
 * "dibao-lag 1 ADDRESS FILE OFFSET" (the end of its log) to the master,
 * whose dispatch records it and answers with the end of its own log.  Both
 * then know the lag in bytes of log; the seconds behind count from the last
 * time the lag was nil. */
#define LAG_MAX 8
static pthread_mutex_t lag_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lag_site {
	char addr[300];
	DB_LSN lsn;       /* the end of its log, as it said */
	int64_t lag;      /* bytes behind the end of ours then */
	time_t heard;     /* when it said so */
	time_t in_step;   /* the last time its lag was nil */
} lag_sites[LAG_MAX];
static u_int32_t lag_lg_max = 10 * 1024 * 1024;

static int64_t
lsn_diff(const DB_LSN *a, const DB_LSN *b)
{
	/* a - b in bytes of log (a file holds at most lg_max bytes) */
	int64_t d = ((int64_t)a->file - (int64_t)b->file) * (int64_t)lag_lg_max + (int64_t)a->offset - (int64_t)b->offset;
	return d > 0 ? d : 0;
}

static int
log_end(DB_ENV *env, DB_LSN *out)
{
	DB_LOG_STAT *ls = NULL;
	int ret = env->log_stat(env, &ls, 0);
	if (ret != 0)
		return ret;
	out->file = ls->st_cur_file;
	out->offset = ls->st_cur_offset;
	free(ls);
	return 0;
}

/* the master's side (on a repmgr thread) */
static void
on_msg(DB_ENV *env, DB_CHANNEL *ch, DBT *req, u_int32_t nreq, u_int32_t flags)
{
	char text[400], addr[300];
	unsigned long f, o;
	DB_LSN mine;
	if (nreq != 1 || req[0].size >= sizeof text)
		return;
	memcpy(text, req[0].data, req[0].size);
	text[req[0].size] = '\0';
	if (sscanf(text, "dibao-lag 1 %299s %lu %lu", addr, &f, &o) != 3 || log_end(env, &mine) != 0)
		return;
	time_t now = time(NULL);
	pthread_mutex_lock(&lag_lock);
	struct lag_site *ls = NULL;
	for (int i = 0; i < LAG_MAX && ls == NULL; i++)
		if (strcmp(lag_sites[i].addr, addr) == 0 || lag_sites[i].addr[0] == '\0')
			ls = &lag_sites[i];
	if (ls != NULL) {
		if (ls->addr[0] == '\0') {
			snprintf(ls->addr, sizeof ls->addr, "%s", addr);
			ls->in_step = now;
		}
		ls->lsn.file = (u_int32_t)f;
		ls->lsn.offset = (u_int32_t)o;
		ls->heard = now;
		ls->lag = lsn_diff(&mine, &ls->lsn);
		if (ls->lag == 0)
			ls->in_step = now;
	}
	pthread_mutex_unlock(&lag_lock);
	if (flags & DB_REPMGR_NEED_RESPONSE) {
		DBT resp;
		int n = snprintf(text, sizeof text, "dibao-lag 1 %lu %lu", (unsigned long)mine.file, (unsigned long)mine.offset);
		memset(&resp, 0, sizeof resp);
		resp.data = text;
		resp.size = (u_int32_t)n;
		ch->send_msg(ch, &resp, 1, 0);
	}
}

/* the standby's side: ask the master; its lag in bytes, or -1 unknown */
static int64_t
lag_ask(struct store *st, const struct replica_conf *c)
{
	DB_CHANNEL *ch = NULL;
	DB_LSN mine, master;
	char text[400], a[300];
	DBT req, resp;
	int64_t lag = -1;
	if (log_end(st->env, &mine) != 0 || st->env->repmgr_channel(st->env, DB_EID_MASTER, &ch, 0) != 0)
		return -1;
	addr_str(&c->self, a, sizeof a);
	int n = snprintf(text, sizeof text, "dibao-lag 1 %s %lu %lu", a, (unsigned long)mine.file, (unsigned long)mine.offset);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.data = text;
	req.size = (u_int32_t)n;
	resp.flags = DB_DBT_MALLOC;
	if (ch->send_request(ch, &req, 1, &resp, 1000000, 0) == 0 && resp.data != NULL && resp.size < sizeof text) {
		unsigned long f, o;
		memcpy(text, resp.data, resp.size);
		text[resp.size] = '\0';
		if (sscanf(text, "dibao-lag 1 %lu %lu", &f, &o) == 2) {
			master.file = (u_int32_t)f;
			master.offset = (u_int32_t)o;
			lag = lsn_diff(&master, &mine);
		}
	}
	free(resp.data);
	ch->close(ch, 0);
	return lag;
}

/* ---- the replication process ------------------------------------------------ */

/* a standby's own lag, as the master answered (lag_ask) */
struct self_lag {
	bool known;
	int64_t bytes;
	time_t in_step;
};

static int
status_publish(struct store *st, const struct replica_conf *c, time_t *master_heard, const struct self_lag *self_lag)
{
	DB_REPMGR_SITE *list = NULL;
	u_int n = 0;
	DB_REP_STAT *rs = NULL;
	struct err e;
	int ret;

	if ((ret = st->env->rep_stat(st->env, &rs, 0)) != 0)
		return ret;
	bool master = rs->st_status == DB_REP_MASTER;
	int meid = rs->st_master;
	bool caught_up = rs->st_startup_complete != 0;
	free(rs);
	if ((ret = st->env->repmgr_site_list(st->env, &n, &list)) != 0)
		return ret;
	json_t *sites = json_array();
	char maddr[300] = "";
	for (u_int i = 0; i < n; i++) {
		char a[300];
		snprintf(a, sizeof a, "%s:%u", list[i].host, list[i].port);
		bool conn = list[i].status == DB_REPMGR_CONNECTED;
		if (list[i].eid == meid) {
			snprintf(maddr, sizeof maddr, "%s", a);
			if (conn)
				*master_heard = time(NULL);
		}
		json_t *site = json_pack("{s:s,s:s,s:b}", "address", a,
		    "role", list[i].eid == meid ? "master" : "standby", "connected", conn);
		if (master && list[i].eid != meid) {
			/* what the standby last said of its log (lag_ask) */
			DB_LSN end;
			pthread_mutex_lock(&lag_lock);
			for (int k = 0; k < LAG_MAX; k++)
				if (strcmp(lag_sites[k].addr, a) == 0 && log_end(st->env, &end) == 0) {
					/* as of its last word, while it speaks each
					 * second (every process that opens the store
					 * logs its handles: the end moves on); away,
					 * all that was logged since */
					bool fresh = conn && time(NULL) - lag_sites[k].heard <= 2;
					int64_t b = fresh ? lag_sites[k].lag : lsn_diff(&end, &lag_sites[k].lsn);
					json_object_set_new(site, "lag_bytes", json_integer(b));
					json_object_set_new(site, "lag_seconds",
					    json_integer(b == 0 && conn ? 0 : (json_int_t)(time(NULL) - lag_sites[k].in_step)));
				}
			pthread_mutex_unlock(&lag_lock);
		}
		json_array_append_new(sites, site);
	}
	free(list);
	if (master)
		addr_str(&c->self, maddr, sizeof maddr);
	json_t *evs = json_array();
	pthread_mutex_lock(&ev_lock);
	for (int k = ev_n > NEVENTS ? ev_n - NEVENTS : 0; k < ev_n; k++)
		json_array_append_new(evs, json_pack("{s:I,s:s}", "time", (json_int_t)ev_ring[k % NEVENTS].t,
		    "event", ev_ring[k % NEVENTS].what));
	pthread_mutex_unlock(&ev_lock);
	json_t *lag = json_object();
	if (!master && self_lag != NULL && self_lag->known) {
		json_object_set_new(lag, "lag_bytes", json_integer(self_lag->bytes));
		json_object_set_new(lag, "lag_seconds", json_integer(self_lag->bytes == 0 ? 0 :
		    (json_int_t)(time(NULL) - self_lag->in_step)));
	}
	return write_json(st->dir, STATUS_FILE, json_pack("{s:I,s:I,s:s,s:s,s:o,s:b,s:I,s:o,s:o}",
	    "pid", (json_int_t)getpid(), "time", (json_int_t)time(NULL),
	    "role", master ? "master" : "standby", "master", maddr, "sites", sites,
	    "caught_up", master || caught_up, "master_heard", (json_int_t)*master_heard, "events", evs,
	    "lag", lag), &e)
	    == 0 ? 0 : EIO;
}

static int
rep_role(struct store *st)
{
	DB_REP_STAT *rs = NULL;
	if (st->env->rep_stat(st->env, &rs, 0) != 0)
		return 0;
	int r = rs->st_status == DB_REP_MASTER ? 2 : rs->st_master >= 0 && rs->st_status == DB_REP_CLIENT ? 1 : 0;
	free(rs);
	return r;
}

/* start the engine in this (the replication) process */
static int
start(struct store *st, struct replica_conf *c, void (*say)(const char *), struct err *e)
{
	int64_t ack_ms = 2000;
	int ret;
	struct err e2;

	if (setting_get_int(st, NULL, "replica.ack.timeout.ms", &ack_ms, &e2) != 0)
		ack_ms = 2000;
	if ((ret = st->env->rep_set_timeout(st->env, DB_REP_ACK_TIMEOUT, (db_timeout_t)ack_ms * 1000)) != 0 ||
	    (ret = st->env->rep_set_timeout(st->env, DB_REP_CHECKPOINT_DELAY, 0)) != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	if ((ret = st->env->rep_set_config(st->env, DB_REPMGR_CONF_ELECTIONS, run_elections == 1)) != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	/* the lag figures (on_msg) */
	u_int32_t lgmax = 0;
	if (st->env->get_lg_max(st->env, &lgmax) == 0 && lgmax > 0)
		lag_lg_max = lgmax;
	if ((ret = st->env->repmgr_msg_dispatch(st->env, on_msg, 0)) != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	if (run_elections == 1) {
		ret = st->env->repmgr_start(st->env, 3, DB_REP_ELECTION);
		if (ret == DB_REP_IGNORE)
			return err_set(e, E_REFUSED, "%s",
			    _("another dibao process on this PC holds the replication role: close every console and command, then start \"dibao replica run\" again"));
		if (ret != 0)
			return store_dberr(st, ret, _("starting replication"), e);
		say(_("replication started; the sites elect their master by majority"));
		return 0;
	}
	/* Every site starts as a standby and looks for a master; one that
	 * was the master takes the role back only if nobody else has it, so
	 * an old master that returns after a promotion becomes the standby. */
	ret = st->env->repmgr_start(st->env, 3, DB_REP_CLIENT);
	if (ret == DB_REP_IGNORE)
		return err_set(e, E_REFUSED, "%s",
		    _("another dibao process on this PC holds the replication role: close every console and command, then start \"dibao replica run\" again"));
	if (ret != 0)
		return store_dberr(st, ret, _("starting replication"), e);
	if (strcmp(c->role, "master") == 0 && rep_role(st) != 2) {
		for (int i = 0; i < 30 && rep_role(st) == 0; i++)
			usleep(100000);
		if (rep_role(st) == 0) {
			if ((ret = st->env->repmgr_start(st->env, 0, DB_REP_MASTER)) != 0)
				return store_dberr(st, ret, _("becoming the master"), e);
		}
	}
	return 0;
}

/* Open the environment for the replication process: failchk for a
 * predecessor that died, the elections setting, and a fresh region when a
 * stale one would make this process a subordinate. */
static int
run_open(const char *dir, struct store **stp, void (*say)(const char *), struct err *e)
{
	struct store *st = NULL;
	*stp = NULL;
	ev_panic = 0;
	/* elections by majority: a setting (replicated like any other), read
	 * first; the environment is then opened again with it.  A command
	 * opening the environment at the same instant can make this open fail
	 * once (BDB0126 mmap): try again a few times. */
	for (int tries = 0; store_open_key(&st, dir, 0, run_enc ? run_key : NULL, e) != 0; tries++) {
		if (tries == 10)
			return -1;
		usleep(300000);
	}
	/* a replication process that died (power cut, kill -9) or left still
	 * holds the role in the shared region: failchk hands it back, and the
	 * environment is opened again for the engine to start cleanly */
	int fr = st->env->failchk(st->env, 0);
	if (fr != 0)
		say(db_strerror(fr));
	int64_t el = 0;
	struct err e4;
	if (setting_get_int(st, NULL, "replica.elections", &el, &e4) != 0)
		el = 0;
	run_elections = el == 1; /* two sites still need both (2SITE_STRICT) */
	/* A shared region left by an earlier replication process that said
	 * "master" makes every process that opens it a subordinate sender
	 * (BDB refuses the configuration then, and this process would never
	 * own the port): such regions are dropped, when nobody else has the
	 * environment open, and built again */
	bool stale = st->env->rep_set_config(st->env, DB_REPMGR_CONF_ELECTIONS, run_elections == 1) == EINVAL;
	store_close(st);
	st = NULL;
	if (stale && drop_regions(dir, run_enc ? run_key : NULL, e) != 0)
		return -1;
	for (int tries = 0; store_open_key(&st, dir, 0, run_enc ? run_key : NULL, e) != 0; tries++) {
		if (tries == 10)
			return -1;
		usleep(300000);
	}
	*stp = st;
	return 0;
}

int
replica_run(const char *dir, const char *login, const char *password, volatile int *stop,
    void (*say)(const char *line), struct err *e)
{
	struct replica_conf c;
	struct store *st = NULL;
	char line[600];
	time_t master_heard = 0;
	int role = -1;

	int r = replica_conf_read(dir, &c, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, E_REFUSED, _("%s is not a replication site: run \"dibao replica init\" or \"dibao replica join\" first"), dir);
	json_t *other = status_read(dir);
	if (other != NULL) {
		json_int_t pid = json_integer_value(json_object_get(other, "pid"));
		json_decref(other);
		return err_set(e, E_REFUSED, _("the replication process of %s is already running (process %lld)"),
		    dir, (long long)pid);
	}
	/* an encrypted store: a user's password unwraps the data key, which
	 * this process keeps for as long as it runs (it opens the environment
	 * again after another process's recovery) */
	run_enc = false;
	if (store_dir_encrypted(dir)) {
		if (login == NULL || *login == '\0')
			return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
		if (crypt_unwrap(dir, WRAP_USER, login, password, run_key, NULL, e) != 0)
			return -1;
		run_enc = true;
	}
	if (run_open(dir, &st, say, e) != 0)
		return -1;
	static struct snaps before;
	struct err e5;
	memset(&before, 0, sizeof before);
	if (audit_walk(st, NULL, snap_fn, &before, &e5) != 0)
		say(e5.msg);
	snap_raw(st, &before);
	bool checked = false;
	ev_startupdone = 0;
	time_t caught = 0;
	int looks = 0;
	if (start(st, &c, say, e) != 0) {
		store_close(st);
		return -1;
	}
	char promote[PATH_MAX];
	path_in(dir, PROMOTE_FILE, promote, sizeof promote);
	unsigned tick = 0;
	bool files_said = false;
	struct self_lag slag = {false, 0, 0};
	while (!*stop) {
		int ret = status_publish(st, &c, &master_heard, &slag);
		if (ret == DB_RUNRECOVERY || ev_panic) {
			/* another process recovered the environment (a crashed
			 * session): open it again and restart the engine */
			say(_("the environment was recovered by another process; restarting replication"));
			store_close(st);
			st = NULL;
			ev_panic = 0;
			if (run_open(dir, &st, say, e) != 0 || start(st, &c, say, e) != 0) {
				store_close(st);
				return -1;
			}
			continue;
		}
		int now = rep_role(st);
		if (now == 1 && tick % 5 == 0) {
			int64_t b = lag_ask(st, &c);
			if (b >= 0) {
				if (!slag.known || b == 0)
					slag.in_step = time(NULL);
				slag.known = true;
				slag.bytes = b;
			}
		} else if (now != 1) {
			slag.known = false;
		}
		if (now != role && now != 0) {
			struct replica_conf c2;
			struct err e2;
			snprintf(line, sizeof line, now == 2 ? _("this site is the master (%s)") : _("this site is a standby"),
			    c.self.host);
			say(line);
			if (replica_conf_read(dir, &c2, &e2) > 0) {
				snprintf(c2.role, sizeof c2.role, "%s", now == 2 ? "master" : "standby");
				if (replica_conf_write(dir, &c2, &e2) != 0)
					say(e2.msg);
				c = c2;
			}
			role = now;
		}
		if (!checked && now == 1) {
			/* the engine may roll back a moment after it says it
			 * caught up: look 1, 2, 4 and 8 s after that */
			DB_REP_STAT *rs = NULL;
			if (st->env->rep_stat(st->env, &rs, 0) == 0) {
				if ((rs->st_startup_complete || ev_startupdone) && caught == 0)
					caught = time(NULL);
				free(rs);
			}
			time_t since = caught ? time(NULL) - caught : -1;
			if (since >= (1 << looks)) {
				looks++;
				rollback_check(st, &before, say);
				checked = looks > 3;
			}
		} else if (now == 2) {
			checked = true;
		}
		/* the files beside the databases (replica-files.db): the master
		 * records a changed key file, a standby writes what it lacks */
		if (++tick % 5 == 0) {
			if (now == 2)
				keys_mirror(st, say);
			else if (now == 1 && materialise(st, say) > 0 && !files_said) {
				say(_("files from the master written (scans, key file)"));
				files_said = true;
			}
		}
		if (access(promote, F_OK) == 0) {
			unlink(promote);
			if (now != 2) {
				ret = st->env->repmgr_start(st->env, 0, DB_REP_MASTER);
				say(ret == 0 ? _("promoted: this site is now the master") : db_strerror(ret));
			}
		}
		usleep(200000);
	}
	store_close(st);
	char path[PATH_MAX];
	if (path_in(dir, STATUS_FILE, path, sizeof path) == 0)
		unlink(path);
	return 0;
}

int
replica_promote(struct store *st, const struct user *actor, int timeout_s, struct err *e)
{
	struct replica_info ri;
	if (store_require(actor, ACT_USERS, e) != 0)
		return -1;
	if (replica_info_get(st, &ri, e) != 0)
		return -1;
	json_decref(ri.sites);
	json_decref(ri.events);
	json_decref(ri.rollback);
	if (!ri.site)
		return err_set(e, E_REFUSED, _("%s is not a replication site"), st->dir);
	if (ri.master)
		return err_set(e, E_REFUSED, _("this site is already the master"));
	if (!ri.running)
		return err_set(e, E_REFUSED, _("the replication process of this PC is not running: start \"dibao replica run\" (or its service) first"));
	if (ri.master_connected)
		return err_set(e, E_REFUSED, _("the master %s is still reachable: two masters must never exist; stop it first"),
		    ri.master_addr);
	if (write_atomic(st->dir, PROMOTE_FILE, "promote\n", e) != 0)
		return -1;
	for (int i = 0; i < timeout_s * 10; i++) {
		if (rep_role(st) == 2) {
			/* a rollback this site suffered goes into the chain now
			 * (this process's handles are fresh; the replication
			 * process's may have died with the engine's rollback) */
			json_t *rb = rollback_read(st->dir);
			if (rb != NULL) {
				if (audit_rep(st, actor, "replica.rollback", rb, e) != 0)
					return -1;
				char rp[PATH_MAX];
				if (path_in(st->dir, ROLLBACK_FILE, rp, sizeof rp) == 0)
					unlink(rp);
			}
			char was[300];
			snprintf(was, sizeof was, "%s", ri.master_addr);
			return audit_rep(st, actor, "replica.promote", json_pack("{s:s,s:s}", "site", ri.self_addr,
			    "old_master", was), e);
		}
		usleep(100000);
	}
	return err_set(e, E_STORAGE, _("the replication process did not take the master role within %d seconds"), timeout_s);
}
