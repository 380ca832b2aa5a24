/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/check-int.h — inside `dibao check`: the files verified in a thread
 * beside the index walk (check-verify.c).
 */
#ifndef DIBAO_STORE_CHECK_INT_H
#define DIBAO_STORE_CHECK_INT_H

#include "store/check.h"
#include "store/env.h"

struct check_verify;
/* Start verifying every database file of st (a snapshot whose files are in
 * dir) in a thread; NULL when out of memory. */
struct check_verify *check_verify_start(struct store *st, const char *dir);
/* Verify the files still waiting in the caller's thread, wait for the
 * rest, report each damaged one through fn in table order, free v;
 * returns the number reported. */
int check_verify_finish(struct check_verify *v, problem_fn fn, void *baton);

#endif
