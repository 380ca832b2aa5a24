/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * err.c — one error value carried up from the store to the console's
 * status line or the command line's stderr.  Messages are already
 * translated; a refusal may carry several lines, one per reason.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store/err.h"

void
err_clear(struct err *e)
{
	e->code = E_OK;
	e->msg[0] = '\0';
}

static void
vappend(struct err *e, const char *fmt, va_list ap)
{
	size_t used = strlen(e->msg);
	if (used > 0 && used + 1 < sizeof e->msg) {
		e->msg[used++] = '\n';
		e->msg[used] = '\0';
	}
	if (used < sizeof e->msg) {
		int w = vsnprintf(e->msg + used, sizeof e->msg - used, fmt, ap);
		/* integrity (i12): never cut silently: say so, on a whole character */
		if (w >= 0 && (size_t)w >= sizeof e->msg - used) {
			static const char cut[] = "\n……（理由过多，其余未能显示）";
			size_t at = sizeof e->msg - sizeof cut;
			while (at > 0 && ((unsigned char)e->msg[at] & 0xC0) == 0x80)
				at--;
			memcpy(e->msg + at, cut, sizeof cut);
		}
	}
}

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	e->msg[0] = '\0';
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_add(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	if (e->code == E_OK || code == E_STORAGE)
		e->code = code;
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_exit_status(const struct err *e)
{
	switch (e->code) {
	case E_OK:
		return 0;
	case E_REFUSED:
	case E_NOTFOUND:
	case E_CHANGED:
		return 1;
	case E_USAGE:
		return 2;
	default:
		return 3;
	}
}
