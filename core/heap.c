/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * heap.c — a binary min-heap of indexes (heap.h): the item at h[0] is the
 * least; the caller keeps h and its count and says what "less" means.
 */
#include "config.h"

#include "core/heap.h"

void
heap_sift_down(size_t *h, size_t n, size_t i, heap_less_fn less, const void *baton)
{
	for (;;) {
		size_t l = 2 * i + 1, top = i;
		if (l < n && less(baton, h[l], h[top]))
			top = l;
		if (l + 1 < n && less(baton, h[l + 1], h[top]))
			top = l + 1;
		if (top == i)
			return;
		size_t x = h[i];
		h[i] = h[top];
		h[top] = x;
		i = top;
	}
}

void
heap_sift_up(size_t *h, size_t i, heap_less_fn less, const void *baton)
{
	while (i > 0 && less(baton, h[i], h[(i - 1) / 2])) {
		size_t p = (i - 1) / 2, x = h[i];
		h[i] = h[p];
		h[p] = x;
		i = p;
	}
}
