/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roles.h — users, their roles and who may do what (SPEC section 1;
 * roles.c, the role terms in model.c).
 */
#ifndef DIBAO_CORE_ROLES_H
#define DIBAO_CORE_ROLES_H

#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"

enum role {
	ROLE_ADMIN = 0, ROLE_CLERK, ROLE_REVIEWER, ROLE_APPROVER, ROLE_INSPECTOR,
	ROLE__N
};
extern const struct term role_terms[ROLE__N];

struct user {
	char login[USER_MAX_BYTES];
	char name[NAME_MAX_BYTES];
	enum role role;
	char id[ID_LEN + 1];            /* optional: links to the kin registry (R11) */
	char pwhash[128];               /* Argon2id string from libsodium */
	bool disabled;
	int64_t created;                /* unix time */
};

enum action {
	ACT_READ = 0,          /* everyone, the inspector included */
	ACT_READ_CONFIDENTIAL, /* bank account, HIV, a clue's reporter: audited */
	ACT_USERS,             /* manage users */
	ACT_SETTINGS,          /* settings, standards, villages */
	ACT_CASE,              /* application through evaluation, members, finances */
	ACT_REJECT_EARLY,      /* reject before review */
	ACT_REVIEW,
	ACT_APPROVE,
	ACT_DEMO,              /* load synthetic data */
	ACT_KIN_REGISTRY,      /* the registry of related staff and relatives */
	ACT_KIN_FILE,          /* record a kin filing (备案) */
	ACT_KIN_CONFIRM,       /* confirm another person's filing */
	ACT_LEDGER,            /* record and handle clues and rectifications */
	ACT_READ_REPORTER,     /* a clue's reporter: inspector and admin, audited */
	ACT_EXPORT,            /* files with whole ID numbers or accounts, backups (i14) */
	ACT__N
};
extern const char *const action_names[ACT__N];
bool role_may(enum role r, enum action a);

#endif
