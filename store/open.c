/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * open.c — opening a data directory: the environment (env.c) with the
 * layers that take part in it, encryption at rest (crypt-env.c) and the
 * standby PC (replica.c, replica-info.c).  env.c knows them only through
 * this table, so the store reads bottom-up: env.c below, these above it,
 * the open of them all here.
 */
#include "config.h"

#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/replica.h"

static const struct store_hooks hooks = {
	.attach = crypt_attach,
	.setup = crypt_env_setup,
	.setup_live = replica_env_setup,
	.opened = crypt_env_opened,
	.release = crypt_env_release,
	.write_check = replica_write_check,
};

int
store_open(struct store **out, const char *dir, int flags, struct err *e)
{
	return store_open_key(out, dir, flags, NULL, e);
}

int
store_open_key(struct store **out, const char *dir, int flags, const unsigned char *key, struct err *e)
{
	return store_env_open(out, dir, flags, key, &hooks, e);
}
