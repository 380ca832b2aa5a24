/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-problem.c — the roster import's report (roster-int.h): one line
 * per problem, naming the row and the column, the first ROSTER_NAMED of
 * them only.  The bottom of the roster import's files: it calls none of
 * them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/roster.h"
#include "import/roster-int.h"
#include "store/err.h"
#include "core/array.h"

/* text appended to the report; out of memory leaves it as it was (the
 * count still says how many problems there were) */
static void
report_add(struct ctx *c, const char *text)
{
	size_t n = strlen(text);
	char *r = array_grow(c->res->report, &c->rcap, c->rlen + n + 1, 1);

	if (r == NULL)
		return;
	c->res->report = r;
	memcpy(r + c->rlen, text, n + 1);
	c->rlen += n;
}

void
problem(struct ctx *c, int line, int col, const char *fmt, ...)
{
	char reason[1024], text[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (col >= 0)
		snprintf(text, sizeof text, _("row %d, column %s: %s\n"), line, c->colname[col], reason);
	else
		snprintf(text, sizeof text, _("row %d: %s\n"), line, reason);
	/* issue 16 point 9: the first ROSTER_NAMED problems are named, the
	 * rest only counted ("and N more"): a bad file of a million rows must
	 * not build a report larger than itself */
	if (++c->res->problems > ROSTER_NAMED)
		return;
	report_add(c, text);
}

void
report_tail(struct ctx *c)
{
	int more = c->res->problems - ROSTER_NAMED;
	char text[256];

	if (more <= 0)
		return;
	snprintf(text, sizeof text, _("... and %d more problem(s) (only the first %d are listed)\n"), more, ROSTER_NAMED);
	report_add(c, text);
}
