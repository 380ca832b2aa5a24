/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * regions-rss.c — see regions-rss.h.  The regions are found in
 * /proc/self/maps: System V shared memory ("/SYSV…", an encrypted store's
 * DB_SYSTEM_MEM) or the files __db.NNN of the store's directory (a plain
 * store).  madvise(MADV_DONTNEED) on a shared mapping only unmaps the
 * pages from this process (proc(5), madvise(2): "repopulating the memory
 * contents from the up-to-date contents of the underlying mapped file"
 * for shared mappings); nothing Berkeley DB holds is lost.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "store/regions-rss.h"
#include "store/env-int.h"

static bool
is_region(const struct store *st, const char *name)
{
	size_t dl = strlen(st->dir);

	if (strncmp(name, "/SYSV", 5) == 0)
		return true;
	return strncmp(name, st->dir, dl) == 0 && strncmp(name + dl, "/__db.", 6) == 0;
}

unsigned long
store_regions_release(struct store *st)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[PATH_MAX + 256];
	unsigned long done = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned long lo, hi;
		char perms[8];
		int off = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &off) != 3 || off == 0 ||
		    perms[3] != 's')
			continue;
		char *name = line + off;
		name[strcspn(name, "\n")] = '\0';
		if (!is_region(st, name))
			continue;
		if (madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0)
			done += hi - lo;
	}
	fclose(f);
	return done;
}
