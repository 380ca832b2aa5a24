/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replica-init.c — `dibao replica init`: the working store becomes the
 * first replication site and opens again as one (open.c), so it sits above
 * the environment's set-up of replica.c.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "store/replica-int.h"
#include "store/replica.h"
#include "core/roles.h"

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
	int ok = rep_drop_regions(dir, enc ? key : NULL, e) == 0 && replica_conf_write(dir, c, e) == 0 &&
	    store_open_key(stp, dir, 0, enc ? key : NULL, e) == 0;
	memset(key, 0, sizeof key);
	if (!ok)
		return -1;
	/* the scans already there, for the standby (replica-files.db) */
	long nfiles = 0;
	if (store_txn_run(*stp, rep_rf_all_body, &nfiles, e) != 0)
		return -1;
	rep_addr_str(&c->self, a, sizeof a);
	json_t *peers = json_array();
	for (int i = 0; i < c->npeers; i++) {
		char p[300];
		rep_addr_str(&c->peers[i], p, sizeof p);
		json_array_append_new(peers, json_string(p));
	}
	return rep_audit_rep(*stp, actor, "replica.init", json_pack("{s:s,s:o,s:i}", "self", a, "peers", peers,
	    "priority", c->priority), e);
}
