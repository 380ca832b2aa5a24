/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-replica.c — `dibao replica`: the standby PC (SPEC section 12) over
 * Berkeley DB's replication manager (store/replica.c).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/base.h"
#include "store/replica.h"

#include "store/crypt.h"
#include "store/err.h"

static int
parse_conf(struct cli *c, const char *self, const char *peer, const char *prio, struct replica_conf *rc)
{
	memset(rc, 0, sizeof *rc);
	rc->priority = 100;
	if (replica_addr_parse("--self", self, &rc->self, &c->e) != 0)
		return -1;
	if (peer != NULL) {
		if (replica_addr_parse("--peer", peer, &rc->peers[0], &c->e) != 0)
			return -1;
		rc->npeers = 1;
		if (strcmp(rc->peers[0].host, rc->self.host) == 0 && rc->peers[0].port == rc->self.port)
			return err_set(&c->e, E_REFUSED, "%s", _("--peer: must be another site than --self"));
	}
	if (prio != NULL) {
		long p;
		if (cli_parse_int(c, "--priority", prio, 0, 1000000, &p) != 0)
			return -1;
		rc->priority = (int)p;
	}
	return 0;
}

static int
init_exec(struct cli *c, int argc, char **argv)
{
	const char *self = NULL, *peer = NULL, *prio = NULL;
	const struct opt opts[] = {
		{"self", OPT_VALUE, &self}, {"peer", OPT_VALUE, &peer}, {"priority", OPT_VALUE, &prio},
		{NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	struct replica_conf rc;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || self == NULL)
		return cli_usage_cmd(c);
	if (parse_conf(c, self, peer, prio, &rc) != 0)
		return cli_fail(c);
	snprintf(rc.role, sizeof rc.role, "master");
	if (replica_init(&c->st, &c->user, &rc, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("%s is now the master site %s; start \"dibao replica run\" (or the dibao-replica service)\n"),
		    c->data_dir, self);
	return 0;
}

/* The password of the user whose wrap unwraps an encrypted store's data
 * key for the replication process: a systemd credential named "password"
 * (LoadCredentialEncrypted=, see docs/STANDBY.md), else DIBAO_PASSWORD,
 * else asked on the terminal. */
static const char *
run_password(void)
{
	static char buf[256];
	const char *cd = getenv("CREDENTIALS_DIRECTORY");
	char path[4096];
	FILE *f;
	if (cd != NULL && snprintf(path, sizeof path, "%s/password", cd) < (int)sizeof path &&
	    (f = fopen(path, "r")) != NULL) {
		char *r = fgets(buf, sizeof buf, f);
		fclose(f);
		if (r != NULL) {
			buf[strcspn(buf, "\r\n")] = '\0';
			return buf;
		}
	}
	return cli_password(_("password: "), "DIBAO_PASSWORD");
}

static int
join_exec(struct cli *c, int argc, char **argv)
{
	const char *self = NULL, *from = NULL, *prio = NULL, *wait = NULL, *keys = NULL, *pw = NULL;
	const struct opt opts[] = {
		{"self", OPT_VALUE, &self}, {"from", OPT_VALUE, &from}, {"priority", OPT_VALUE, &prio},
		{"wait", OPT_VALUE, &wait}, {"keys", OPT_VALUE, &keys}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;
	long w = 120;
	struct replica_conf rc;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || self == NULL || from == NULL)
		return cli_usage_cmd(c);
	if (parse_conf(c, self, from, prio, &rc) != 0 ||
	    (wait != NULL && cli_parse_int(c, "--wait", wait, 1, 86400, &w) != 0))
		return cli_fail(c);
	snprintf(rc.role, sizeof rc.role, "standby");
	/* an encrypted group: the master's key file, and a user of the master
	 * whose password unwraps the data key */
	if (keys != NULL && (pw = run_password()) == NULL) {
		err_set(&c->e, E_REFUSED, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
		return cli_fail(c);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (replica_join(c->data_dir, &rc, keys, c->login, pw, (int)w, &c->e) != 0)
		return cli_fail(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:f}", "self", self, "master", from, "seconds", s));
	printf(_("%s is now a standby of %s (copied in %.1f s); start \"dibao replica run\" (or the dibao-replica service)\n"),
	    c->data_dir, from, s);
	return 0;
}

static volatile int stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
say(const char *line)
{
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];
	localtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s dibao replica: %s\n", ts, line);
}

static int
run_exec(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_usage_cmd(c);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	const char *pw = NULL;
	if (store_dir_encrypted(c->data_dir) && (pw = run_password()) == NULL) {
		err_set(&c->e, E_REFUSED, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
		return cli_fail(c);
	}
	if (replica_run(c->data_dir, c->login, pw, &stop_flag, say, &c->e) != 0)
		return cli_fail(c);
	return 0;
}

static int
status_exec(struct cli *c, int argc, char **argv)
{
	struct replica_info ri;
	(void)argv;
	if (argc != 0)
		return cli_usage_cmd(c);
	if (replica_info_get(c->st, &ri, &c->e) != 0)
		return cli_fail(c);
	const char *role = !ri.site ? "none" : ri.master ? "master" : "standby";
	const char *state = !ri.site ? "none" : ri.behind ? "behind" : "in-step";
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:b,s:s,s:o,s:o}", "role", role, "self", ri.self_addr,
		    "master", ri.master_addr, "running", ri.running, "state", state,
		    "sites", ri.sites ? ri.sites : json_array(), "events", ri.events ? ri.events : json_array());
		if (ri.master_away_s >= 0)
			json_object_set_new(j, "master_away_seconds", json_integer(ri.master_away_s));
		/* the lag as figures (null: not known yet) */
		json_object_set_new(j, "lag_bytes", ri.lag_bytes >= 0 ? json_integer(ri.lag_bytes) : json_null());
		json_object_set_new(j, "lag_seconds", ri.lag_bytes >= 0 ? json_integer(ri.lag_seconds) : json_null());
		json_object_set_new(j, "rolled_back", ri.rollback ? ri.rollback : json_array());
		return cli_print_json(j);
	}
	if (!ri.site) {
		printf("%s\n", _("this data directory is not a replication site (dibao replica init / join)"));
		json_decref(ri.sites);
		json_decref(ri.events);
		json_decref(ri.rollback);
		return 0;
	}
	printf(_("role:      %s (%s)\n"), ri.master ? _("master") : _("standby"), ri.self_addr);
	printf(_("master:    %s\n"), ri.master_addr[0] ? ri.master_addr : "?");
	printf(_("process:   %s\n"), ri.running ? _("dibao replica run is running") : _("dibao replica run is NOT running"));
	printf(_("state:     %s\n"), !ri.behind ? _("in step") : ri.master ? _("standby not in step") : _("not in step (master unreachable or still catching up)"));
	if (ri.master_away_s > 0)
		printf(_("           the master has been unreachable for %ld s\n"), ri.master_away_s);
	if (ri.lag_bytes >= 0)
		printf(_("lag:       %lld bytes of log, %ld s behind\n"), ri.lag_bytes, ri.lag_seconds);
	else
		printf("%s\n", _("lag:       not known yet"));
	size_t i;
	json_t *s;
	json_array_foreach(ri.sites, i, s) {
		printf(_("site:      %s %s %s"), json_string_value(json_object_get(s, "address")),
		    json_is_true(json_object_get(s, "connected")) ? _("connected") : _("away"),
		    json_string_value(json_object_get(s, "role")) ? json_string_value(json_object_get(s, "role")) : "");
		if (json_is_integer(json_object_get(s, "lag_bytes")))
			printf(_(" (lag %lld bytes, %lld s)"), (long long)json_integer_value(json_object_get(s, "lag_bytes")),
			    (long long)json_integer_value(json_object_get(s, "lag_seconds")));
		putchar('\n');
	}
	json_array_foreach(ri.events, i, s) {
		time_t t = (time_t)json_integer_value(json_object_get(s, "time"));
		struct tm tm;
		char ts[32];
		localtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%H:%M:%S", &tm);
		printf(_("event:     %s %s\n"), ts, json_string_value(json_object_get(s, "event")));
	}
	json_array_foreach(ri.rollback, i, s)
		printf(_("rolled back: #%lld %s %s %s (committed here while the standby was away, never acknowledged)\n"),
		    (long long)json_integer_value(json_object_get(s, "seq")),
		    json_string_value(json_object_get(s, "op")), json_string_value(json_object_get(s, "action")),
		    json_string_value(json_object_get(s, "object")));
	json_decref(ri.sites);
	json_decref(ri.events);
	json_decref(ri.rollback);
	return 0;
}

static int
promote_exec(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_usage_cmd(c);
	if (replica_promote(c->st, &c->user, 15, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf("%s\n", _("this site is now the master"));
	return 0;
}

const struct cmd_entry cmds_replica[] = {
	{"replica", "init", "replica init --self HOST:PORT [--peer HOST:PORT] [--priority N]",
	    N_("make this data directory a replication site (the first is master)"), NEEDS_USER, init_exec},
	{"replica", "join", "replica join --self HOST:PORT --from HOST:PORT [--keys DIBAO.KEYS] [--wait SECONDS]",
	    N_("make an empty data directory a standby, copied from the master"), NEEDS_SELF, join_exec},
	{"replica", "run", "replica run",
	    N_("the replication process of this PC (foreground; a service runs it)"), NEEDS_SELF, run_exec},
	{"replica", "status", "replica status",
	    N_("role (master|standby), master, sites, lag; --json"), NEEDS_STORE, status_exec},
	{"replica", "promote", "replica promote",
	    N_("(admin, on a standby whose master is gone) become the master"), NEEDS_USER, promote_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
