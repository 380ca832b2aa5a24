/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/backup.h — backup and restore of a data directory (backup.c).
 */
#ifndef DIBAO_STORE_BACKUP_H
#define DIBAO_STORE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

/* clerks and admins only, audited "backup" (i14) */
int store_backup(struct store *st, const struct user *actor, const char *dir, struct err *e);
/* login/password: the restored directory's user (checked before anything
 * is copied) */
int store_restore(const char *backup_dir, const char *data_dir, const char *login, const char *password,
    struct err *e);

#endif
