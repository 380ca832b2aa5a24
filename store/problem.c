/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * problem.c — `dibao check`'s one problem reporter: a problem formatted,
 * counted and handed to the caller's problem_fn.  Below every check
 * (check.c, audit-state.c), which all report through it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "store/check.h"

void
store_problemv(problem_fn fn, void *baton, int *count, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	(*count)++;
	fn(msg, baton);
}
