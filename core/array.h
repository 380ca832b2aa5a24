/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * array.h — the one growable array (array.c): every list that grows as it
 * is read (rows, names, pages, keys, bytes) makes its room here.
 */
#ifndef DIBAO_CORE_ARRAY_H
#define DIBAO_CORE_ARRAY_H

#include <stddef.h>

/* Room in the array v (*cap elements of size bytes each) for need
 * elements: v itself when it has them, else v reallocated to *cap doubled
 * (16 when 0) until it does, with *cap updated.  NULL with errno ENOMEM
 * when memory or the size runs out (past INT_MAX elements or SIZE_MAX
 * bytes): v is then untouched and still the caller's to free. */
void *array_grow(void *v, size_t *cap, size_t need, size_t size);

#endif
