/*
 * fuzz-csv.c — libFuzzer harness (issue 16): a roster CSV as it arrives,
 * UTF-8 or GBK: the encoding guess and conversion, then the RFC 4180 parser
 * (quotes, embedded newlines, caps on columns and cell size).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct sheet s;
	char *text = NULL;
	size_t len = 0;
	enum text_enc enc;

	err_clear(&e);
	if (text_to_utf8((const char *)data, size, &text, &len, &enc, &e) != 0)
		return 0;
	if (csv_parse(text, len, &s, &e) == 0) {
		for (int i = 0; i < s.n; i++)
			for (int k = 0; k < s.rows[i].n; k++)
				(void)sheet_cell(&s.rows[i], k);
		sheet_free(&s);
	}
	free(text);
	return 0;
}
