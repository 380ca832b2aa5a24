/*
 * fuzz-archive.c — libFuzzer harness (issue 16): the county's import of a
 * township's monthly archive (zip or tar.gz read in memory under caps,
 * entry names checked, the manifest, every hash, the roster) against a real
 * county database made once per run in a temporary directory.  An input
 * that passes every check is imported like any other (one transaction).
 * The seed corpus keeps the archive that once made people_from_roster use
 * the sheet it had freed (issue 16, point 3).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/archive.h"

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static struct user admin;
static char dir[128], path[192];

static void
cleanup(void)
{
	char cmd[256];
	if (st != NULL)
		store_close(st);
	unlink(path);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-archive: could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;
	char data[160];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "/tmp/dibao-fuzz-archive.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(path, sizeof path, "%s/in.bin", dir);
	if (store_open(&st, data, STORE_CREATE, &e) != 0 ||
	    store_init(st, "330102", "西湖区", true, "cadmin", "secret-admin", &e) != 0 ||
	    user_login(st, "cadmin", "secret-admin", &admin, &e) != 0) {
		fprintf(stderr, "fuzz-archive: %s\n", e.msg);
		abort();
	}
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct archive_caps caps = archive_default_caps;
	struct archive_import_result res;
	struct err e;
	FILE *f;

	/* small caps keep a run fast; the checks are the same */
	caps.entry_max = (size_t)4 << 20;
	caps.total_max = (size_t)16 << 20;
	caps.entries_max = 1000;
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	err_clear(&e);
	(void)archive_import(st, &admin, path, &caps, &res, &e);
	return 0;
}
