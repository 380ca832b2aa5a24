/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core/heap.h — the one binary min-heap of indexes (heap.c): the merges of
 * sorted runs on disk (store/audit-track.c, store/spill.c) keep
 * their readers' numbers in it, ordered by the caller's less().
 */
#ifndef DIBAO_CORE_HEAP_H
#define DIBAO_CORE_HEAP_H

#include "core/base.h"

/* whether the item a sorts before the item b (baton: the caller's) */
typedef bool (*heap_less_fn)(const void *baton, size_t a, size_t b);

/* h[i] moved down to its place among h[0..n) */
void heap_sift_down(size_t *h, size_t n, size_t i, heap_less_fn less, const void *baton);
/* h[i] moved up to its place (after it was put at the end) */
void heap_sift_up(size_t *h, size_t i, heap_less_fn less, const void *baton);

#endif
