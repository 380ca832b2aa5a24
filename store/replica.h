/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica.h — the standby PC (SPEC section 12): a data directory that is a
 * site of a Berkeley DB replication group, kept in step by the engine's own
 * replication manager (repmgr).  Nothing here copies data itself.
 *
 * The site's configuration is replica.json in the data directory (written
 * atomically).  Every process that opens a site's environment joins its
 * replication region (DB_INIT_REP); the one long-running `dibao replica run`
 * is the replication process (it owns the TCP port, talks to the other
 * sites, and publishes what it sees in replica-status.json for the others).
 */
#ifndef DIBAO_REPLICA_H
#define DIBAO_REPLICA_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

#define REPLICA_MAX_PEERS 8

struct replica_addr {
	char host[256];
	unsigned port;
};

struct replica_conf {
	struct replica_addr self;
	struct replica_addr peers[REPLICA_MAX_PEERS];
	int npeers;
	int priority;         /* election priority, 0 = never master by election */
	char role[16];        /* "master" or "standby": the last role this site had */
};

/* "HOST:PORT" → addr; 0 ok, -1 with e naming the field. */
int replica_addr_parse(const char *field, const char *s, struct replica_addr *a, struct err *e);

/* 1 with *c filled when dir is a site, 0 when it is not, -1 on error. */
int replica_conf_read(const char *dir, struct replica_conf *c, struct err *e);
int replica_conf_write(const char *dir, const struct replica_conf *c, struct err *e);

/* env.c: before DB_ENV->open — when the directory is a site, configure the
 * replication manager and add DB_INIT_REP to *oflags.  0 or -1. */
struct __db_env;
int replica_env_setup(struct store *st, struct __db_env *env, uint32_t *oflags, struct err *e);

/* txn.c: before a write transaction — on a standby, refuse naming the
 * master ("本机为备用机，请在主机 … 上操作").  0 may write, -1 refused. */
int replica_write_check(struct store *st, struct err *e);

/* What the console and `replica status` show. */
struct replica_info {
	bool site;            /* this directory is a replication site */
	bool running;         /* its replication process is running */
	bool master;          /* this site is the master now */
	bool standby;         /* this site is a standby now */
	char master_addr[300];/* "host:port" of the master, "" if none known */
	char self_addr[300];
	bool behind;          /* 备用机未同步: a standby is away (on the master), or
	                         this standby has not caught up / lost its master */
	bool master_connected;/* standby: its replication process talks to the master */
	long master_away_s;   /* standby: seconds since it last heard the master (-1 never) */
	json_t *sites;        /* [{"address","role","connected"}] (caller json_decref) */
	json_t *events;       /* recent engine events (rollback, new master …) */
	json_t *rollback;     /* entries the engine rolled back here, not yet audited, or NULL */
	/* the lag, as figures (-1 unknown): a standby's own behind its master;
	 * on the master, the standby furthest behind */
	long long lag_bytes;  /* bytes of log not yet on the standby */
	long lag_seconds;     /* seconds since it was last in step */
};
int replica_info_get(struct store *st, struct replica_info *ri, struct err *e);
/* One line for the title bar / dashboard, "" when not a site; true when
 * it needs attention (备用机未同步, a rollback). */
bool replica_banner(struct store *st, char *buf, size_t size);
/* A standby: seconds its master has been unreachable (-1 not a standby,
 * or the master is there). */
long replica_master_away(struct store *st);
/* The 数据安全 screen: this site and its peers, "" when not a site. */
void replica_describe(struct store *st, char *buf, size_t size);

/* `replica init`: make this (existing township) directory the first site,
 * the master.  No other dibao process may have it open. */
int replica_init(struct store **stp, const struct user *actor, const struct replica_conf *c, struct err *e);
/* `replica join`: fill the empty directory dir from the group (the engine's
 * client initialisation), waiting up to timeout_s.  An encrypted group:
 * keys is the master's key file (dibao.keys) and login/password a user of
 * the master, whose wrap unwraps the data key; keys NULL: a plain group. */
int replica_join(const char *dir, const struct replica_conf *c, const char *keys, const char *login,
    const char *password, int timeout_s, struct err *e);
/* `replica run`: the replication process; returns when *stop becomes true.
 * An encrypted store: login/password unwrap the data key. */
int replica_run(const char *dir, const char *login, const char *password, volatile int *stop,
    void (*say)(const char *line), struct err *e);
/* attach.c, in the attachment's transaction: on a replication site, the
 * stored file (sealed in an encrypted store) also goes into the replicated
 * database replica-files.db, for the standby to materialise.  0 or -1. */
int replica_attach_put(struct store *st, store_txn *txn, const char *sha_hex, struct err *e);

/* `replica promote`: (admin, on a standby whose master is gone) ask the
 * replication process to become the master, wait, then audit it. */
int replica_promote(struct store *st, const struct user *actor, int timeout_s, struct err *e);

#endif
