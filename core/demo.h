/* SPDX-License-Identifier: GPL-3.0-or-later */
/* demo.h — a deterministic synthetic township (demo.c). */
#ifndef DIBAO_CORE_DEMO_H
#define DIBAO_CORE_DEMO_H

#include "core/base.h"
#include "core/dossier-model.h"

struct demo_rng { uint64_t s; };            /* splitmix64 */
void demo_seed(struct demo_rng *r, uint64_t seed);
uint32_t demo_next(struct demo_rng *r, uint32_t n);   /* uniform 0..n-1 */
/* The demo villages: name and groups ("一组,二组,…"); NULL-terminated. */
extern const char *const demo_villages[][2];
/* Fill *d with household number `index` (0-based) of a demo township, as
 * of `today`: everything but d->no (the caller assigns numbers).  Uses the
 * standards urban/rural (fen) to place incomes around the line.  The same
 * (seed state, index) always gives the same household: *r is read, not
 * advanced, so households can be made in any order.  ID numbers are
 * unique across indices 0..243,332 whatever the seed. */
void demo_household(struct demo_rng *r, int index, dbdate_t today, fen_t std_urban,
    fen_t std_rural, struct dossier *d);

#endif
