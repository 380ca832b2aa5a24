/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * restart.c — a command stuck for good behind a crashed process executed
 * again from its start (issue 16; failchk.c finds it stuck and says what it
 * was doing, the front end decides).  The process executes its own program
 * (/proc/self/exe) with the command line it was started with and its
 * environment, plus DIBAO_RESTARTS=N: the count bounds the restarts, so a
 * store that stays broken never makes a loop.  Before that its registration
 * in the environment is released (store_failchk_release): the new process
 * finds a dead registrant, and its open recovers the environment as any
 * process's would after a crash.  Everything here may run from a signal
 * handler or the watchdog thread while the main thread sleeps inside BDB:
 * no allocation, no stdio.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/env-int.h"
#include "store/env.h"

#define RESTART_VAR "DIBAO_RESTARTS="
#define ENV_MAX 1024   /* environment entries carried over at most */

extern char **environ;

static char **saved_argv;
static volatile sig_atomic_t restarts;   /* this command line's so far */

void
store_restart_init(int argc, char **argv)
{
	const char *v = getenv("DIBAO_RESTARTS");

	/* the pointers copied: option parsing moves argv's entries about,
	 * never the strings */
	if ((saved_argv = calloc((size_t)argc + 1, sizeof *saved_argv)) != NULL)
		memcpy(saved_argv, argv, (size_t)argc * sizeof *argv);
	restarts = 0;
	if (v != NULL && v[0] >= '0' && v[0] <= '9')
		restarts = atoi(v) > STORE_RESTARTS ? STORE_RESTARTS : atoi(v);
}

int
store_restart_count(void)
{
	return restarts;
}

void
store_restart_reset(void)
{
	restarts = 0;
}

/* "DIBAO_RESTARTS=N" for the new process (no snprintf: a signal handler) */
static void
count_var(char *buf, int n)
{
	size_t l = strlen(RESTART_VAR);
	memcpy(buf, RESTART_VAR, l);
	if (n >= 10)
		buf[l++] = (char)('0' + n / 10 % 10);
	buf[l++] = (char)('0' + n % 10);
	buf[l] = '\0';
}

/* name=… of entry e is the same variable as name=… of note */
static bool
same_var(const char *e, const char *note)
{
	const char *eq = note != NULL ? strchr(note, '=') : NULL;
	return eq != NULL && strncmp(e, note, (size_t)(eq - note + 1)) == 0;
}

void
store_restart(const char *note)
{
	static char *envp[ENV_MAX + 3];
	static char count[sizeof RESTART_VAR + 4];
	sigset_t none;
	int n = 0;

	if (saved_argv == NULL || restarts >= STORE_RESTARTS)
		return;
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, RESTART_VAR, strlen(RESTART_VAR)) == 0 || same_var(*e, note))
			continue;
		if (n == ENV_MAX)
			return;
		envp[n++] = *e;
	}
	count_var(count, restarts + 1);
	envp[n++] = count;
	if (note != NULL)
		envp[n++] = (char *)note;
	envp[n] = NULL;
	store_failchk_release();
	/* a signal handler's mask would stay blocked in the new program (an
	 * exec keeps it): SIGALRM bounds its watchdog's own waits */
	alarm(0);
	sigemptyset(&none);
	(void)pthread_sigmask(SIG_SETMASK, &none, NULL);
	/* the store's files are opened close-on-exec (BDB's and ours) */
	execve("/proc/self/exe", saved_argv, envp);
}
