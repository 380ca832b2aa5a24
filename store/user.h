/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/user.h — users, logins, the role check and the first administrator
 * (user.c, roles.c).
 */
#ifndef DIBAO_STORE_USER_H
#define DIBAO_STORE_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"

/* ---- user.c ----------------------------------------------------------- */

/* Actions checked against the role table (core/roles.c). */
/* password NULL: a locked account until user_passwd sets one */
int user_add(struct store *st, const struct user *actor, const struct user *u,
    const char *password, struct err *e);
int user_get(struct store *st, store_txn *txn, const char *login, struct user *out, struct err *e);
int user_passwd(struct store *st, const struct user *actor, const char *login,
    const char *password, struct err *e);
int user_disable(struct store *st, const struct user *actor, const char *login, struct err *e);
typedef int (*user_fn)(const struct user *u, void *baton);
int user_list(struct store *st, user_fn fn, void *baton, struct err *e);
/* Check the password; audited when it fails. */
int user_login(struct store *st, const char *login, const char *password, struct user *out, struct err *e);
int store_init(struct store *st, const char *code, const char *name, bool county,
    const char *admin, const char *password, struct err *e);

/* user.c: the login of store_open_login once the wrap opened (the password
 * is right); rewrap: the wrap is of an older profile */
int user_login_checked(struct store *st, const char *login, const char *password, bool rewrap,
    struct user *out, struct err *e);
int user_recover(struct store *st, const char *login, const char *password, struct err *e);
/* user.c: the console's lock, unlock and handover, audited (other: the
 * user handed over from) */
int user_console_event(struct store *st, const char *login, const char *event, const char *other, struct err *e);

/* ---- roles.c: core/roles.c is the table, the store enforces it ------- */
int store_require(const struct user *actor, int action, struct err *e);

/* integrity (i12): the active account carrying a resident ID (user.c) */
int user_by_person(struct store *st, store_txn *txn, const char *id, const char *except, char who[USER_MAX_BYTES],
    struct err *e);

#endif
