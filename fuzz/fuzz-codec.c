/*
 * fuzz-codec.c — libFuzzer harness (issue 16): the record codec
 * (docs/FORMAT.md) reads every stored record through the decoders below; a
 * damaged or hand-edited database file must be refused, never overrun.
 * Each input goes to every decoder (each checks the type byte itself).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dossier-model.h"
#include "core/kin-model.h"
#include "core/ledger-model.h"
#include "store/codec.h"
#include "store/county.h"
#include "store/dossier.h"
#include "store/kin.h"
#include "store/ledger.h"
#include "store/prints.h"
#include "store/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dossier d;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kin_staff ks;
	struct kin_relative kr;
	struct kin_match km;
	struct kin_filing kf;
	struct prints_entry pe;
	struct clue *cl = malloc(sizeof *cl);
	struct fix *fx = malloc(sizeof *fx);
	struct visit vi;
	struct county_archive ca;
	struct county_person cp;
	struct county_case cc;
	struct rec_reader r;

	(void)dossier_decode(data, size, &d);
	struct buf v1;          /* a version 2 record's version 1 bytes */
	buf_init(&v1);
	(void)dossier_v1_bytes(data, size, &v1);
	buf_free(&v1);
	(void)kin_staff_decode(data, size, &ks);
	(void)kin_relative_decode(data, size, &kr);
	(void)kin_match_decode(data, size, &km);
	(void)kin_filing_decode(data, size, &kf);
	(void)prints_decode(data, size, &pe);
	if (cl != NULL)
		(void)clue_decode(data, size, cl);
	if (fx != NULL)
		(void)fix_decode(data, size, fx);
	(void)visit_decode(data, size, &vi);
	(void)county_archive_decode(data, size, &ca);
	(void)county_person_decode(data, size, &cp);
	(void)county_case_decode(data, size, &cc);
	/* the generic reader over any type and version */
	if (size >= 2 && rec_open(&r, data, size, data[0], data[1]) == 0) {
		char s[64];
		while (rec_next(&r) == 1) {
			(void)rec_get_int(&r);
			(void)rec_get_str(&r, s, sizeof s);
		}
	}
	free(cl);
	free(fx);
	return 0;
}
