/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roles.c — the separation of duties of SPEC section 1 as one table: the
 * console and the command line both ask it, through the store.
 */
#include "core/roles.h"
#include "core/base.h"

const char *const action_names[ACT__N] = {
	N_("read"), N_("read confidential fields"), N_("manage users"),
	N_("change settings"), N_("handle cases"), N_("reject before review"),
	N_("review"), N_("approve"), N_("load demo data"),
	N_("manage the kin registry"), N_("record kin filings"), N_("confirm kin filings"),
	N_("keep the clue and rectification ledgers"), N_("read a clue's reporter"),
	N_("take data away (backups, files with whole ID numbers or accounts)"),
};

/* rows: actions; columns: admin, clerk, reviewer, approver, inspector */
static const bool may[ACT__N][ROLE__N] = {
	[ACT_READ] =              {true,  true,  true,  true,  true},
	[ACT_READ_CONFIDENTIAL] = {true,  true,  true,  true,  true},
	[ACT_USERS] =             {true,  false, false, false, false},
	[ACT_SETTINGS] =          {true,  false, false, false, false},
	[ACT_CASE] =              {false, true,  false, false, false},
	[ACT_REJECT_EARLY] =      {false, true,  true,  false, false},
	[ACT_REVIEW] =            {false, false, true,  false, false},
	[ACT_APPROVE] =           {false, false, false, true,  false},
	[ACT_DEMO] =              {true,  false, false, false, false},
	[ACT_KIN_REGISTRY] =      {true,  true,  false, false, false},
	[ACT_KIN_FILE] =          {false, true,  false, false, false},
	[ACT_KIN_CONFIRM] =       {false, false, true,  true,  false},
	[ACT_LEDGER] =            {false, true,  true,  true,  false},
	[ACT_READ_REPORTER] =     {true,  false, false, false, true},
	/* the inspector reads everything on screen but takes nothing away */
	[ACT_EXPORT] =            {true,  true,  false, false, false},
};

bool
role_may(enum role r, enum action a)
{
	if ((int)r < 0 || r >= ROLE__N || (int)a < 0 || a >= ACT__N)
		return false;
	return may[a][r];
}
