/*
 * fuzz-xlsx.c — libFuzzer harness (issue 16): an .xlsx roster is a zip of
 * XML read in memory (libarchive + expat): shared and inline strings,
 * numbers, dates, caps on entries and sizes; read whole (xlsx_read) and
 * streamed a row at a time (xlsx_read_rows, the roster import's way).
 * Both take a path, so each input is written to one temporary file first.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import/sheet.h"
#include "import/xlsx.h"

#include "store/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

/* each row taken out of the sheet as it ends, as the roster import does */
static int
take_rows(struct sheet *s, void *baton)
{
	(void)baton;
	sheet_free(s);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct sheet s;
	FILE *f;

	if (path[0] == '\0') {
		snprintf(path, sizeof path, "/tmp/dibao-fuzz-xlsx.%ld.xlsx", (long)getpid());
	}
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	err_clear(&e);
	if (xlsx_read(path, &xlsx_default_caps, &s, &e) == 0)
		sheet_free(&s);
	err_clear(&e);
	if (xlsx_read_rows(path, &xlsx_default_caps, &s, take_rows, NULL, &e) == 0)
		sheet_free(&s);
	unlink(path);
	return 0;
}
