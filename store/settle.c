/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * settle.c — the outcome of a commit that got stuck for good (issue 16).
 * A process stuck inside its transaction's commit, behind a process that
 * died holding the log's lock, cannot know whether the commit reached the
 * log.  It runs its command again with STORE_PENDING_VAR naming the
 * transaction's last audit entry (failchk.c, restart.c); the re-run, once
 * its open has recovered the environment, looks the entry up: there, the
 * change was saved and the command is not done twice; absent, it never
 * committed and the command simply runs.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit-int.h"
#include "store/audit.h"
#include "store/env.h"
#include "store/err.h"

int
store_settle_pending(struct store *st, bool *saved, char *what, size_t size, struct err *e)
{
	const char *v = getenv(STORE_PENDING_VAR);
	unsigned long long seq;
	unsigned char hash[32];
	char *colon;
	int ret = 0;

	*saved = false;
	if (v == NULL)
		return 0;
	seq = strtoull(v, &colon, 10);
	/* a malformed note settles nothing: the command runs as typed */
	if (seq > 0 && *colon == ':' && unhex32(colon + 1, hash) == 0)
		ret = audit_entry_is(st, (uint64_t)seq, hash, saved, what, size, e);
	unsetenv(STORE_PENDING_VAR);
	return ret;
}
