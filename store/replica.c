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

#include "store/store-int.h"
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

/* write, fsync, rename over, fsync the directory: all or nothing */
static int
write_atomic(const char *dir, const char *name, const char *text, struct err *e)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	if (path_in(dir, name, path, sizeof path) != 0 ||
	    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), tmp, strerror(errno));
	size_t n = strlen(text);
	ssize_t w = write(fd, text, n);
	if (w < 0 || (size_t)w != n || fsync(fd) != 0) {
		int err = w < 0 || (size_t)w == n ? errno : ENOSPC;
		close(fd);
		unlink(tmp);
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), tmp, strerror(err));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(err));
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		int r = fsync(dfd);
		close(dfd);
		if (r != 0)
			return err_set(e, E_STORAGE, _("cannot write %s: %s"), path, strerror(errno));
	}
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
	snprintf(buf, size, _("Standby PC: this site %s is the %s; replication process %s; sites:"), ri.self_addr,
	    ri.master ? _("master") : _("standby"), ri.running ? _("running") : _("NOT running"));
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

/* Drop the environment's shared regions (no process may have it open), so
 * the next open builds them with or without replication. */
static int
drop_regions(const char *dir, struct err *e)
{
	int ret;
	/* failchk.c: a killed process's attachment does not count (issue 16) */
	if ((ret = store_regions_remove(dir)) != 0)
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
	store_close(st);
	*stp = NULL;
	if (drop_regions(dir, e) != 0 || replica_conf_write(dir, c, e) != 0)
		return -1;
	if (store_open(stp, dir, 0, e) != 0)
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

/* the same environment settings as env.c's open_env */
static int
env_open_raw(const char *dir, const struct replica_conf *c, bool creator, DB_ENV **out, struct err *e)
{
	DB_ENV *env;
	int ret;
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
	    (ret = configure(env, c, creator)) != 0 ||
	    (ret = env->open(env, dir, REP_ENV_FLAGS, 0600)) != 0) {
		env->close(env, 0);
		return err_set(e, E_STORAGE, _("opening the database environment: %s"), db_strerror(ret));
	}
	*out = env;
	return 0;
}

int
replica_join(const char *dir, const struct replica_conf *c, int timeout_s, struct err *e)
{
	DB_ENV *env;
	char path[PATH_MAX];
	struct stat sb;
	int ret;

	if (store_mkdirs(dir, e) != 0)
		return -1;
	if (path_in(dir, "meta.db", path, sizeof path) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	if (stat(path, &sb) == 0)
		return err_set(e, E_REFUSED, _("%s already holds a dibao database: a standby starts from an empty directory"), dir);
	if (replica_conf_write(dir, c, e) != 0)
		return -1;
	ev_startupdone = 0;
	time_t until = time(NULL) + timeout_s;
	int done = 0;
	/* the group is joined through the master (DB_REP_UNAVAIL while it
	 * cannot be reached): try again each second until the deadline */
	for (;;) {
		if (env_open_raw(dir, c, false, &env, e) != 0)
			return -1;
		ret = env->repmgr_start(env, 3, DB_REP_CLIENT);
		if (ret == 0 || ret == DB_REP_IGNORE)
			break;
		env->close(env, 0);
		if (ret != DB_REP_UNAVAIL)
			return err_set(e, E_STORAGE, _("starting replication: %s"), db_strerror(ret));
		if (time(NULL) >= until)
			goto late;
		sleep(1);
	}
	/* the engine copies the master's databases and logs (client init) */
	while (time(NULL) < until + 1 && !ev_startupdone)
		usleep(100000);
	done = ev_startupdone;
	env->close(env, 0);
late:
	if (!done) {
		char m[300];
		addr_str(&c->peers[0], m, sizeof m);
		return err_set(e, E_REFUSED, _("no copy from the master %s within %d seconds: is its \"dibao replica run\" running and the port open?"),
		    m, timeout_s);
	}
	return drop_regions(dir, e);
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

/* ---- the replication process ------------------------------------------------ */

static int
status_publish(struct store *st, const struct replica_conf *c, time_t *master_heard)
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
		json_array_append_new(sites, json_pack("{s:s,s:s,s:b}", "address", a,
		    "role", list[i].eid == meid ? "master" : "standby", "connected", conn));
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
	return write_json(st->dir, STATUS_FILE, json_pack("{s:I,s:I,s:s,s:s,s:o,s:b,s:I,s:o}",
	    "pid", (json_int_t)getpid(), "time", (json_int_t)time(NULL),
	    "role", master ? "master" : "standby", "master", maddr, "sites", sites,
	    "caught_up", master || caught_up, "master_heard", (json_int_t)*master_heard, "events", evs), &e)
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
	for (int tries = 0; store_open(&st, dir, 0, e) != 0; tries++) {
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
	if (stale && drop_regions(dir, e) != 0)
		return -1;
	for (int tries = 0; store_open(&st, dir, 0, e) != 0; tries++) {
		if (tries == 10)
			return -1;
		usleep(300000);
	}
	*stp = st;
	return 0;
}

int
replica_run(const char *dir, volatile int *stop, void (*say)(const char *line), struct err *e)
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
	while (!*stop) {
		int ret = status_publish(st, &c, &master_heard);
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
