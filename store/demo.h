/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/demo.h — synthetic villages and households (demo.c).
 */
#ifndef DIBAO_STORE_DEMO_H
#define DIBAO_STORE_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

/* ---- demo.c --------------------------------------------------------- */
/* Villages, standards (if missing) and N synthetic households. */
int demo_load(struct store *st, const struct user *actor, int households, uint64_t seed,
    void (*progress)(int done, int total, void *), void *pbaton, struct err *e);

#endif
