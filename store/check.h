/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/check.h — `dibao check`: databases, indexes, audit chain, attachments
 * (check.c).
 */
#ifndef DIBAO_STORE_CHECK_H
#define DIBAO_STORE_CHECK_H

#include <stdio.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/env.h"
#include "store/err.h"

/* ---- check.c ----------------------------------------------------------- */

typedef void (*problem_fn)(const char *msg, void *baton);
/* Verify databases, secondary indexes, audit chain, attachments.  Returns
 * the number of problems found (each reported through fn), -1 on error. */
int store_check(struct store *st, problem_fn fn, void *baton, struct err *e);

/* problem.c: one problem reported (fn) and counted */
void store_problemv(problem_fn fn, void *baton, int *count, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* problem.c: a record's key (n bytes) as a message shows it, into out:
 * text as is, a damaged key's bytes in hex; cut short with "…" */
void store_key_text(const void *key, size_t n, char *out, size_t size);

#endif
