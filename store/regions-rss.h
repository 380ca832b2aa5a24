/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * regions-rss.h — Berkeley DB's shared regions and this process's memory
 * (issue 17).
 */
#ifndef DIBAO_STORE_REGIONS_RSS_H
#define DIBAO_STORE_REGIONS_RSS_H

struct store;

/* Drops the pages of the store's shared regions (the cache above all: 16 MB
 * once a walk has filled it) from this process's resident memory, for a
 * long step that needs the store no more (the archive's writing).  The
 * regions are shared mappings: their contents stay in the shared memory or
 * the region files, and a later access brings a page back.  Returns how
 * many bytes of mappings were released; 0 when there was nothing to do or
 * /proc is not there. */
unsigned long store_regions_release(struct store *st);

#endif
