/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * shm-clean — a test helper (tests/lib.sh's clean-up, issues 14/16): an
 * encrypted store's regions live in System V shared memory, removed by the
 * last process out; a process killed by a test (kill -9, a tmux server
 * killed with its console) leaves them for a next opener that never comes
 * once the test deletes its directory (370 segments, 4 GB, were found on
 * a developer's machine).  Given directories, it finds every data
 * directory under them that holds a key file and removes its segments
 * that no process is attached to, through the store's own
 * crypt_regions_remove().  Prints how many went with -v.
 *
 *   shm-clean [-v] DIR...
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/crypt-int.h"

static int removed;

static int
visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	char keys[4200];

	(void)sb;
	(void)ftw;
	if (type == FTW_D && (size_t)snprintf(keys, sizeof keys, "%s/dibao.keys", path) < sizeof keys &&
	    access(keys, F_OK) == 0)
		removed += crypt_regions_remove(path);
	return 0;
}

int
main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;

	for (int i = 1 + verbose; i < argc; i++)
		(void)nftw(argv[i], visit, 16, FTW_PHYS);
	if (verbose)
		printf("%d\n", removed);
	return 0;
}
