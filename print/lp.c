/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lp.c — a written PDF sent to the default printer through CUPS's `lp`
 * (`dibao print --lp`, and the console's 送打印机).  The console cannot
 * let lp write its "request id" line over the screen: quiet sends lp's
 * output to /dev/null.
 */
#include "config.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include "print/forms.h"

#include "store/env.h"
#include "store/err.h"

extern char **environ;

int
print_lp(const char *path, bool quiet, struct err *e)
{
	char *argv[] = {(char *)"lp", (char *)"--", (char *)path, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, r;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (quiet && (posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0)) {
		posix_spawn_file_actions_destroy(&fa);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	r = posix_spawnp(&pid, "lp", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	/* a page may come out: a command stuck after this is not run again
	 * (store/restart.c, issue 16) */
	if (r == 0)
		store_note_output(1);
	if (r != 0)
		return err_set(e, E_REFUSED, _("printer: the lp command (CUPS) is not installed; the PDF is at %s"), path);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, E_REFUSED, _("printer: lp could not print %s"), path);
	return 0;
}
