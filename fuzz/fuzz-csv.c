/*
 * fuzz-csv.c — libFuzzer harness (issue 16): a roster CSV as it arrives,
 * UTF-8 or GBK: the encoding guess and conversion, then the RFC 4180 parser
 * (quotes, embedded newlines, caps on columns and cell size).  Then the
 * streamed reader (issue 16 point 9) on the same bytes: when both accept
 * the input they must give the same sheet.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/encoding.h"
#include "import/sheet.h"

#include "store/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct sheet s;
	char *text = NULL;
	size_t len = 0;
	enum text_enc enc;

	struct sheet t;
	enum text_enc enc2;
	FILE *f = size > 0 ? fmemopen((void *)data, size, "rb") : NULL;
	int streamed = -1;

	err_clear(&e);
	if (f != NULL) {
		streamed = csv_read_file(f, &t, &enc2, &e);
		fclose(f);
	}
	err_clear(&e);
	if (text_to_utf8((const char *)data, size, &text, &len, &enc, &e) != 0) {
		if (streamed == 0)
			sheet_free(&t);
		return 0;
	}
	if (csv_parse(text, len, &s, &e) == 0) {
		for (int i = 0; i < s.n; i++)
			for (int k = 0; k < s.rows[i].n; k++)
				(void)sheet_cell(&s.rows[i], k);
		if (streamed == 0) {
			/* the same rows, lines and cells */
			if (enc2 != enc || t.n != s.n)
				__builtin_trap();
			for (int i = 0; i < s.n; i++) {
				if (t.rows[i].line != s.rows[i].line || t.rows[i].n != s.rows[i].n)
					__builtin_trap();
				for (int k = 0; k < s.rows[i].n; k++)
					if (strcmp(sheet_cell(&t.rows[i], k), sheet_cell(&s.rows[i], k)) != 0)
						__builtin_trap();
			}
		}
		sheet_free(&s);
	}
	if (streamed == 0)
		sheet_free(&t);
	free(text);
	return 0;
}
