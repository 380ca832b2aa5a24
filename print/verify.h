/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * verify.h — what a printed sheet's verification code says (SPEC section
 * 8): each print carrying the code, whether its record still derives the
 * code, and whether the dossier or list would print the same today.  Both
 * `dibao verify` and the console's print screen (F8) show these verdicts;
 * the judging is here, once.
 */
#ifndef DIBAO_PRINT_VERIFY_H
#define DIBAO_PRINT_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "print/forms.h"

struct print_verdict {
	const struct prints_entry *p;	/* the print record */
	const struct form_def	*form;	/* its form (NULL: a form no longer known) */
	bool			 damaged;	/* the record no longer derives its code */
	bool			 list;		/* a village or month list, not a dossier */
	bool			 gone;		/* the dossier is no longer in the database */
	bool			 changed;	/* printed today it would differ (gone too) */
	uint32_t		 current_version;	/* the dossier's version now, 0 gone */
	char			 when[32];	/* the print's local time, "YYYY-MM-DD HH:MM" */
};

/* Calls fn for every print carrying the code (already parsed by
 * verify_code_parse); fn returns non-zero to stop with that failure. */
int	print_verify(struct store *, const char *code,
	    int (*fn)(const struct print_verdict *, void *), void *baton, struct err *);

#endif
