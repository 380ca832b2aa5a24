/*
 * fuzz-manifest.c — libFuzzer harness (issue 16): manifest.json of a
 * township's monthly archive, the first thing the county parses (every
 * field type-checked, every path a safe relative one).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/manifest.h"

#include "store/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct manifest m;

	err_clear(&e);
	memset(&m, 0, sizeof m);
	if (manifest_parse((const char *)data, size, &m, &e) == 0) {
		char top[64], *text;
		size_t len;
		manifest_top(&m, top, sizeof top);
		/* what parses must dump again */
		if ((text = manifest_dump(&m, &len)) != NULL)
			free(text);
	}
	manifest_free(&m);
	return 0;
}
