/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica-info.c — the standby PC (SPEC 12): what the replication process
 * publishes (replica-status.json) read back by every other process: the
 * site's role, its peers, the banner and the dashboard's line, and the
 * refusal of a write on a standby.
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
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return true;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return !(p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

json_t *
rep_status_read(const char *dir)
{
	char path[PATH_MAX];
	if (rep_path_in(dir, STATUS_FILE, path, sizeof path) != 0)
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
json_t *
rep_rollback_read(const char *dir)
{
	char path[PATH_MAX];
	if (rep_path_in(dir, ROLLBACK_FILE, path, sizeof path) != 0)
		return NULL;
	return json_load_file(path, 0, NULL);
}

int
rep_master_addr(DB_ENV *env, int eid, char *buf, size_t size)
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
	rep_addr_str(&c.self, ri->self_addr, sizeof ri->self_addr);

	DB_REP_STAT *rs = NULL;
	int ret = st->env->rep_stat(st->env, &rs, 0);
	if (ret != 0)
		return store_dberr(st, ret, _("reading the replication state"), e);
	ri->master = rs->st_status == DB_REP_MASTER;
	ri->standby = rs->st_status == DB_REP_CLIENT;
	if (ri->master)
		snprintf(ri->master_addr, sizeof ri->master_addr, "%s", ri->self_addr);
	else
		rep_master_addr(st->env, rs->st_master, ri->master_addr, sizeof ri->master_addr);
	bool startup = rs->st_startup_complete != 0;
	free(rs);
	if (!ri->master && !ri->standby)
		ri->standby = strcmp(c.role, "master") != 0;

	json_t *s = rep_status_read(st->dir);
	ri->running = s != NULL;
	/* the replication process's own word on its master (it writes its
	 * status every second): a process that joined the environment
	 * before the engine knew its sites may not map the engine's master
	 * to an address (a console showed "主机 ?" though the engine had
	 * caught up) */
	const char *sm = json_string_value(json_object_get(s, "master"));
	if (!ri->master && ri->master_addr[0] == '\0' && sm != NULL && sm[0] != '\0')
		snprintf(ri->master_addr, sizeof ri->master_addr, "%s", sm);
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
			rep_addr_str(&c.peers[k], a, sizeof a);
			json_array_append_new(ri->sites, json_pack("{s:s,s:b}", "address", a, "connected", 0));
		}
		any_away = c.npeers > 0;
		if (ri->master_addr[0] == '\0' && ri->standby && c.npeers > 0)
			rep_addr_str(&c.peers[0], ri->master_addr, sizeof ri->master_addr);
	}
	json_int_t heard = json_integer_value(json_object_get(s, "master_heard"));
	ri->master_connected = master_seen;
	if (heard > 0)
		ri->master_away_s = master_seen ? 0 : (long)(time(NULL) - heard);
	if (ri->master)
		ri->behind = any_away;
	else
		ri->behind = !master_seen || !(startup || json_is_true(json_object_get(s, "caught_up")));
	json_t *rb = rep_rollback_read(st->dir);
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
	if (rep_master_addr(st->env, meid, m, sizeof m) != 0 && c.npeers > 0)
		rep_addr_str(&c.peers[0], m, sizeof m);
	return err_set(e, E_REFUSED, _("this PC is the standby: work on the master %s"), m[0] ? m : "?");
}

