/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/dossier-json.h — a dossier as JSON (dossier-json.c): what
 * `dossier show --json` prints and the monthly archive carries.
 */
#ifndef DIBAO_IMPORT_DOSSIER_JSON_H
#define DIBAO_IMPORT_DOSSIER_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/dossier-model.h"

/* reveal false: the account masked and no HIV or confidential flags (what
 * leaves the township never carries them). */
json_t *dossier_json(const struct dossier *d, bool reveal);
/* Its information-check results: [{"agency", "result", "date",
 * "recorded_by"}] in the order of the agency table (key "info_checks"). */
json_t *info_checks_json(const struct dossier *d);
/* The archive's record of d (issue 17): the bytes of dossier_json(d,
 * false) dumped with JSON_INDENT(2) | JSON_SORT_KEYS, written directly
 * (malloc'd, *len bytes, NUL-ended); NULL when out of memory. */
char *dossier_record_text(const struct dossier *d, size_t *len);

#endif
