/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica-rollback.c — the standby PC (SPEC 12): what a returning master
 * loses, named from the audit chain (replica-rollback.json).
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

/* ---- what a returning master loses ------------------------------------------ */

/* A master that committed while its standby was away, and came back after
 * the standby was promoted, has commits nobody acknowledged: the engine
 * rolls them back when it joins the new master.  The last entries of the
 * audit chain before the engine starts, compared with the chain once caught
 * up, name them; the report waits in replica-rollback.json (status and
 * dashboard show it) until `replica promote` makes this site the master
 * again and writes it to the audit chain. */
int
rep_snap_fn(const struct audit_entry *a, void *baton)
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
void
rep_snap_raw(struct store *st, struct snaps *sn)
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
int
rep_rollback_check(struct store *st, const struct snaps *before, void (*say)(const char *))
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
		if (rep_path_in(st->dir, ROLLBACK_FILE, rp, sizeof rp) == 0)
			unlink(rp);
		json_decref(lost);
		return 0;
	}
	char line[300];
	snprintf(line, sizeof line, _("rollback: %zu change(s) this site committed while its standby was away were never acknowledged and were undone by the engine (see replica status)"), n);
	say(line);
	rep_on_event(NULL, DB_EVENT_REP_WOULD_ROLLBACK, NULL);
	if (rep_write_json(st->dir, ROLLBACK_FILE, json_pack("{s:I,s:o}", "time", (json_int_t)time(NULL), "lost", lost), &e) != 0)
		say(e.msg);
	return (int)n;
}

