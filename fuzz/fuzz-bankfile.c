/*
 * fuzz-bankfile.c — libFuzzer harness (issue 16): the bank's return file
 * (回盘) as payment reconcile reads it: the file's hash, the CSV (UTF-8 or
 * GBK) or XLSX sniffing and parsing, the header search in the first rows,
 * and every row's account, name, amount and status checks.  The reader
 * takes a path: each input is written to one scratch file first.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import/payment-files.h"
#include "store/payment.h"

#include "store/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void
drop(void)
{
	(void)unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct recon_input_row *rows = NULL;
	size_t n = 0;
	char sha[65];
	FILE *f;

	if (path[0] == '\0') {
		int fd;
		snprintf(path, sizeof path, "/tmp/fuzz-bankfile-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
		atexit(drop);
	}
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
	err_clear(&e);
	if (bank_file_read(path, &rows, &n, sha, &e) == 0)
		free(rows);
	return 0;
}
