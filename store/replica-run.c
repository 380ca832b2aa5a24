/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica-run.c — the standby PC (SPEC 12): the replication process
 * (`dibao replica run`), the lag between the sites, and the promotion.
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
	rep_addr_str(&c->self, a, sizeof a);
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
		rep_addr_str(&c->self, maddr, sizeof maddr);
	json_t *evs = json_array();
	pthread_mutex_lock(&rep_ev_lock);
	for (int k = rep_ev_n > NEVENTS ? rep_ev_n - NEVENTS : 0; k < rep_ev_n; k++)
		json_array_append_new(evs, json_pack("{s:I,s:s}", "time", (json_int_t)rep_ev_ring[k % NEVENTS].t,
		    "event", rep_ev_ring[k % NEVENTS].what));
	pthread_mutex_unlock(&rep_ev_lock);
	json_t *lag = json_object();
	if (!master && self_lag != NULL && self_lag->known) {
		json_object_set_new(lag, "lag_bytes", json_integer(self_lag->bytes));
		json_object_set_new(lag, "lag_seconds", json_integer(self_lag->bytes == 0 ? 0 :
		    (json_int_t)(time(NULL) - self_lag->in_step)));
	}
	return rep_write_json(st->dir, STATUS_FILE, json_pack("{s:I,s:I,s:s,s:s,s:o,s:b,s:I,s:o,s:o}",
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

/* The engine started with its three threads in the role flags asks. */
static int
repmgr_start3(struct store *st, u_int32_t flags, struct err *e)
{
	int ret = st->env->repmgr_start(st->env, 3, flags);
	if (ret == DB_REP_IGNORE)
		return err_set(e, E_REFUSED, "%s",
		    _("another dibao process on this PC holds the replication role: close every console and command, then start \"dibao replica run\" again"));
	if (ret != 0)
		return store_dberr(st, ret, _("starting replication"), e);
	return 0;
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
	if ((ret = st->env->rep_set_config(st->env, DB_REPMGR_CONF_ELECTIONS, rep_run_elections == 1)) != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	/* the lag figures (on_msg) */
	u_int32_t lgmax = 0;
	if (st->env->get_lg_max(st->env, &lgmax) == 0 && lgmax > 0)
		lag_lg_max = lgmax;
	if ((ret = st->env->repmgr_msg_dispatch(st->env, on_msg, 0)) != 0)
		return store_dberr(st, ret, _("configuring replication"), e);
	if (rep_run_elections == 1) {
		if (repmgr_start3(st, DB_REP_ELECTION, e) != 0)
			return -1;
		say(_("replication started; the sites elect their master by majority"));
		return 0;
	}
	/* Every site starts as a standby and looks for a master; one that
	 * was the master takes the role back only if nobody else has it, so
	 * an old master that returns after a promotion becomes the standby. */
	if (repmgr_start3(st, DB_REP_CLIENT, e) != 0)
		return -1;
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
	rep_ev_panic = 0;
	/* elections by majority: a setting (replicated like any other), read
	 * first; the environment is then opened again with it.  A command
	 * opening the environment at the same instant can make this open fail
	 * once (BDB0126 mmap): try again a few times. */
	for (int tries = 0; store_open_key(&st, dir, 0, rep_run_enc ? rep_run_key : NULL, e) != 0; tries++) {
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
	rep_run_elections = el == 1; /* two sites still need both (2SITE_STRICT) */
	/* A shared region left by an earlier replication process that said
	 * "master" makes every process that opens it a subordinate sender
	 * (BDB refuses the configuration then, and this process would never
	 * own the port): such regions are dropped, when nobody else has the
	 * environment open, and built again */
	bool stale = st->env->rep_set_config(st->env, DB_REPMGR_CONF_ELECTIONS, rep_run_elections == 1) == EINVAL;
	store_close(st);
	st = NULL;
	if (stale && rep_drop_regions(dir, rep_run_enc ? rep_run_key : NULL, e) != 0)
		return -1;
	for (int tries = 0; store_open_key(&st, dir, 0, rep_run_enc ? rep_run_key : NULL, e) != 0; tries++) {
		if (tries == 10)
			return -1;
		usleep(300000);
	}
	*stp = st;
	return 0;
}

/* The replication process's state from one look to the next. */
struct run_loop {
	struct replica_conf c;
	int role;                      /* as last said: 1 standby, 2 master, -1 not yet */
	unsigned tick;
	time_t master_heard;
	struct self_lag slag;
	bool checked;                  /* the rollback looks are done */
	time_t caught;                 /* when the engine said it caught up */
	int looks;
	bool files_said;
};

/* An encrypted store: a user's password unwraps the data key, which this
 * process keeps for as long as it runs (it opens the environment again
 * after another process's recovery). */
static int
run_key_unwrap(const char *dir, const char *login, const char *password, struct err *e)
{
	rep_run_enc = false;
	if (!store_dir_encrypted(dir))
		return 0;
	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (crypt_unwrap(dir, WRAP_USER, login, password, rep_run_key, NULL, e) != 0)
		return -1;
	rep_run_enc = true;
	return 0;
}

/* A standby asks the master for its lag every fifth look. */
static void
run_lag(struct store *st, struct run_loop *l, int now)
{
	if (now == 1 && l->tick % 5 == 0) {
		int64_t b = lag_ask(st, &l->c);
		if (b >= 0) {
			if (!l->slag.known || b == 0)
				l->slag.in_step = time(NULL);
			l->slag.known = true;
			l->slag.bytes = b;
		}
	} else if (now != 1) {
		l->slag.known = false;
	}
}

/* The site's role changed: say so, and note it in replica.json. */
static void
run_role(const char *dir, struct run_loop *l, int now, void (*say)(const char *))
{
	struct replica_conf c2;
	struct err e2;
	char line[600];

	if (now == l->role || now == 0)
		return;
	snprintf(line, sizeof line, now == 2 ? _("this site is the master (%s)") : _("this site is a standby"),
	    l->c.self.host);
	say(line);
	if (replica_conf_read(dir, &c2, &e2) > 0) {
		snprintf(c2.role, sizeof c2.role, "%s", now == 2 ? "master" : "standby");
		if (replica_conf_write(dir, &c2, &e2) != 0)
			say(e2.msg);
		l->c = c2;
	}
	l->role = now;
}

/* The engine may roll back a moment after it says it caught up: look 1,
 * 2, 4 and 8 s after that. */
static void
run_rollback(struct store *st, struct run_loop *l, int now, const struct snaps *before, void (*say)(const char *))
{
	if (!l->checked && now == 1) {
		DB_REP_STAT *rs = NULL;
		if (st->env->rep_stat(st->env, &rs, 0) == 0) {
			if ((rs->st_startup_complete || rep_ev_startupdone) && l->caught == 0)
				l->caught = time(NULL);
			free(rs);
		}
		time_t since = l->caught ? time(NULL) - l->caught : -1;
		if (since >= (1 << l->looks)) {
			l->looks++;
			rep_rollback_check(st, before, say);
			l->checked = l->looks > 3;
		}
	} else if (now == 2) {
		l->checked = true;
	}
}

/* The files beside the databases (replica-files.db): the master records a
 * changed key file, a standby writes what it lacks. */
static void
run_files(struct store *st, struct run_loop *l, int now, void (*say)(const char *))
{
	if (++l->tick % 5 != 0)
		return;
	if (now == 2)
		rep_keys_mirror(st, say);
	else if (now == 1 && rep_materialise(st, say) > 0 && !l->files_said) {
		say(_("files from the master written (scans, key file)"));
		l->files_said = true;
	}
}

/* `replica promote` asked by a file: this site becomes the master. */
static void
run_promote(struct store *st, const char *promote, int now, void (*say)(const char *))
{
	if (access(promote, F_OK) != 0)
		return;
	unlink(promote);
	if (now != 2) {
		int ret = st->env->repmgr_start(st->env, 0, DB_REP_MASTER);
		say(ret == 0 ? _("promoted: this site is now the master") : db_strerror(ret));
	}
}

int
replica_run(const char *dir, const char *login, const char *password, volatile int *stop,
    void (*say)(const char *line), struct err *e)
{
	static struct run_loop l;
	struct store *st = NULL;

	memset(&l, 0, sizeof l);
	l.role = -1;
	int r = replica_conf_read(dir, &l.c, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, E_REFUSED, _("%s is not a replication site: run \"dibao replica init\" or \"dibao replica join\" first"), dir);
	json_t *other = rep_status_read(dir);
	if (other != NULL) {
		json_int_t pid = json_integer_value(json_object_get(other, "pid"));
		json_decref(other);
		return err_set(e, E_REFUSED, _("the replication process of %s is already running (process %lld)"),
		    dir, (long long)pid);
	}
	if (run_key_unwrap(dir, login, password, e) != 0 || run_open(dir, &st, say, e) != 0)
		return -1;
	static struct snaps before;
	struct err e5;
	memset(&before, 0, sizeof before);
	if (audit_walk(st, NULL, rep_snap_fn, &before, &e5) != 0)
		say(e5.msg);
	rep_snap_raw(st, &before);
	rep_ev_startupdone = 0;
	if (start(st, &l.c, say, e) != 0) {
		store_close(st);
		return -1;
	}
	char promote[PATH_MAX];
	rep_path_in(dir, PROMOTE_FILE, promote, sizeof promote);
	while (!*stop) {
		int ret = status_publish(st, &l.c, &l.master_heard, &l.slag);
		if (ret == DB_RUNRECOVERY || rep_ev_panic) {
			/* another process recovered the environment (a crashed
			 * session): open it again and restart the engine */
			say(_("the environment was recovered by another process; restarting replication"));
			store_close(st);
			st = NULL;
			rep_ev_panic = 0;
			if (run_open(dir, &st, say, e) != 0 || start(st, &l.c, say, e) != 0) {
				store_close(st);
				return -1;
			}
			continue;
		}
		int now = rep_role(st);
		run_lag(st, &l, now);
		run_role(dir, &l, now, say);
		run_rollback(st, &l, now, &before, say);
		run_files(st, &l, now, say);
		run_promote(st, promote, now, say);
		usleep(200000);
	}
	store_close(st);
	char path[PATH_MAX];
	if (rep_path_in(dir, STATUS_FILE, path, sizeof path) == 0)
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
	if (rep_write_atomic(st->dir, PROMOTE_FILE, "promote\n", e) != 0)
		return -1;
	for (int i = 0; i < timeout_s * 10; i++) {
		if (rep_role(st) == 2) {
			/* a rollback this site suffered goes into the chain now
			 * (this process's handles are fresh; the replication
			 * process's may have died with the engine's rollback) */
			json_t *rb = rep_rollback_read(st->dir);
			if (rb != NULL) {
				if (rep_audit_rep(st, actor, "replica.rollback", rb, e) != 0)
					return -1;
				char rp[PATH_MAX];
				if (rep_path_in(st->dir, ROLLBACK_FILE, rp, sizeof rp) == 0)
					unlink(rp);
			}
			char was[300];
			snprintf(was, sizeof was, "%s", ri.master_addr);
			return rep_audit_rep(st, actor, "replica.promote", json_pack("{s:s,s:s}", "site", ri.self_addr,
			    "old_master", was), e);
		}
		usleep(100000);
	}
	return err_set(e, E_STORAGE, _("the replication process did not take the master role within %d seconds"), timeout_s);
}

