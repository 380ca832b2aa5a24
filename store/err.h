/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/err.h — errors (struct err, its codes and exit statuses), progress of a long job,
 * and the gettext shorthand _() every layer above core uses.
 */
#ifndef DIBAO_STORE_ERR_H
#define DIBAO_STORE_ERR_H

#include <stdio.h>
#include <stdarg.h>
#include <stdbool.h>

#include <libintl.h>

#define _(s) dgettext("dibao", s)

/* ---- err.c ------------------------------------------------------------ */

enum err_code {
	E_OK = 0,
	E_REFUSED = 1,  /* invalid input, a rule says no, not allowed */
	E_USAGE = 2,
	E_STORAGE = 3,  /* storage or internal error */
	E_NOTFOUND = 4, /* reported as refused (exit 1) */
	E_CHANGED = 5,  /* changed by someone else since it was read (exit 1) */
};

struct err {
	int code;
	char msg[16384];   /* every reason of a refusal (i12: was 4096) */
};

void err_clear(struct err *e);
/* Set (replace) the error; fmt is already translated.  Returns -1. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append a line to the message (every reason of a refusal).  Returns -1. */
int err_add(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Exit status for the command line. */
int err_exit_status(const struct err *e);

/* Progress of a long job: fn is told how far it got (done never goes
 * back, and is at most total, except that a write transaction retried
 * after a deadlock starts again from 0); returning true cancels it (a
 * cancelled job records and writes nothing and fails E_REFUSED with a
 * message saying so). */
struct progress {
	bool (*fn)(int done, int total, void *baton);
	void *baton;
};

#endif
