/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo-int.h — private to the demo township (demo.c: random numbers,
 * tables, people, incomes, the card; demo-household.c: one household).
 * Not for use outside core/demo*.c.
 */
#ifndef DIBAO_CORE_DEMO_INT_H
#define DIBAO_CORE_DEMO_INT_H

#include "core/demo.h"

/* ---- random numbers (demo.c has the stream itself) -------------------- */

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* lo..hi inclusive */
static inline int
rnd(struct demo_rng *r, int lo, int hi)
{
	return lo + (int)demo_next(r, (uint32_t)(hi - lo + 1));
}

/* true with probability num/den */
static inline bool
chance(struct demo_rng *r, uint32_t num, uint32_t den)
{
	return demo_next(r, den) < num;
}

/* Index into a table of integer weights. */
static inline int
weighted(struct demo_rng *r, const int *w, int n)
{
	int total = 0, x;

	for (int i = 0; i < n; i++)
		total += w[i];
	x = (int)demo_next(r, (uint32_t)total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define N(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define PICK(r, a) ((a)[demo_next((r), (uint32_t)N(a))])

static inline bool
demo_living_on(const struct member *m, dbdate_t on)
{
	return m->death == 0 || m->death > on;
}

/* ---- tables (sizes checked against the definitions in demo.c) --------- */

extern const int demo_village_weight[8];
extern const char *const demo_surnames[100];
extern const char *const demo_regions[9];
extern const char *const demo_serious_illness[8];
extern const char *const demo_banks[3];

/* ---- people: ID numbers unique by construction (demo.c) --------------- */

struct slot {
	int doy;                /* 0..364 */
	int seq_half;           /* 0..499: the sequence is 2 × this + sex */
	int year_mod;           /* birth year ≡ this (mod 8) */
};
struct slot demo_slot_of(int index, int pos);
dbdate_t demo_pick_birth(struct demo_rng *r, struct slot s, int lo, int hi, dbdate_t today);
void demo_make_id(struct member *m, const char *region, struct slot s);
void demo_make_name(struct demo_rng *r, char *buf, size_t size, const char *surname, char sex);
const char *demo_other_surname(struct demo_rng *r, const char *not);
void demo_make_condition(struct demo_rng *r, struct member *m, int age, bool urban);
void demo_make_death(struct demo_rng *r, struct member *m, dbdate_t from, dbdate_t to);

/* ---- money (demo.c) ----------------------------------------------------- */

void demo_add_expense(struct dossier *d, enum expense_kind kind, fen_t amount, const char *note);
void demo_make_incomes(struct demo_rng *r, struct dossier *d, fen_t h, dbdate_t today, bool urban);
int demo_addon_pct(const struct member *m, int age);
void demo_card(const struct demo_rng *rs, const struct demo_rng *before, int index, struct dossier *d);

#endif
