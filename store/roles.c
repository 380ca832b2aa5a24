/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roles.c — the store enforces the role table (core/roles.c): every write
 * of every family asks store_require first.  It sits below users and
 * settings, which both call it.
 */
#include "config.h"

#include "core/roles.h"
#include "store/err.h"
#include "store/user.h"

int
store_require(const struct user *actor, int action, struct err *e)
{
	if (actor == NULL)
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (actor->disabled)
		return err_set(e, E_REFUSED, _("user %s is disabled"), actor->login);
	if (!role_may(actor->role, (enum action)action))
		return err_set(e, E_REFUSED, _("not allowed: the role %s may not %s"),
		    role_terms[actor->role].zh, _(action_names[action]));
	return 0;
}
