/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/replica-int.h — inside the store only: what the files of the
 * standby PC share (replica.c: configuration, environment, init and join;
 * replica-info.c, replica-rollback.c, replica-files.c, replica-run.c).
 */
#ifndef DIBAO_STORE_REPLICA_INT_H
#define DIBAO_STORE_REPLICA_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "store/audit.h"
#include "store/env-int.h"
#include "store/replica.h"
#include "core/roles.h"
#include "core/sizes.h"

#define CONF_FILE "replica.json"
#define STATUS_FILE "replica-status.json"
#define PROMOTE_FILE "replica.promote"
#define ROLLBACK_FILE "replica-rollback.json"
#define REP_ENV_FLAGS (DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | \
    DB_INIT_MPOOL | DB_THREAD | DB_REGISTER | DB_RECOVER | DB_INIT_REP)

/* the engine's events (replica.c, called on repmgr's threads) */
#define NEVENTS 16
struct rep_event { time_t t; const char *what; };
extern pthread_mutex_t rep_ev_lock;
extern struct rep_event rep_ev_ring[NEVENTS];
extern int rep_ev_n;
extern volatile int rep_ev_startupdone, rep_ev_panic, rep_ev_newmaster;
/* the replication process's open: elections by majority (-1 unknown), and
 * an encrypted store's data key */
extern int rep_run_elections;
extern unsigned char rep_run_key[32];
extern bool rep_run_enc;

/* what a returning master loses (replica-rollback.c) */
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

/* replica.c: configuration files, the audit of a replica command, the
 * regions of a store taken over */
void rep_addr_str(const struct replica_addr *a, char *buf, size_t size);
int rep_audit_rep(struct store *st, const struct user *actor, const char *action, json_t *detail, struct err *e);
int rep_drop_regions(const char *dir, const unsigned char *key, struct err *e);
void rep_keys_mirror(struct store *st, void (*say)(const char *));
int rep_master_addr(DB_ENV *env, int eid, char *buf, size_t size);
int rep_materialise(struct store *st, void (*say)(const char *));
void rep_on_event(DB_ENV *env, u_int32_t which, void *info);
int rep_path_in(const char *dir, const char *name, char *buf, size_t size);
int rep_rf_all_body(struct store *st, store_txn *txn, void *baton, struct err *e);
int rep_rollback_check(struct store *st, const struct snaps *before, void (*say)(const char *));
json_t *rep_rollback_read(const char *dir);
int rep_snap_fn(const struct audit_entry *a, void *baton);
void rep_snap_raw(struct store *st, struct snaps *sn);
json_t *rep_status_read(const char *dir);
int rep_write_atomic(const char *dir, const char *name, const char *text, struct err *e);
int rep_write_json(const char *dir, const char *name, json_t *j, struct err *e);

#endif
