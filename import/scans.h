/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import/scans.h — files from the document camera (scans.c): attached to
 * their dossier by name, checked by content, the sources only read.
 */
#ifndef DIBAO_IMPORT_SCANS_H
#define DIBAO_IMPORT_SCANS_H

#include <stddef.h>

#include "core/roles.h"
#include "store/env.h"
#include "store/err.h"

enum scan_outcome { SCAN_ATTACHED = 0, SCAN_UNASSIGNED, SCAN_REFUSED, SCAN_SKIPPED };

typedef void (*scan_fn)(enum scan_outcome o, const char *file, const char *dossier,
    const char *item, const char *why, void *baton);
/* Every file of dir (sorted by name): attached when named
 * <dossier>_<item>[_anything].<jpg|jpeg|png|pdf>, else listed for manual
 * assignment; a file whose content is not what its name says is refused.
 * Source files are only read.  counts[] indexed by enum scan_outcome. */
int scans_import(struct store *st, const struct user *actor, const char *dir, scan_fn fn, void *baton,
    int counts[4], struct err *e);
int scans_assign(struct store *st, const struct user *actor, const char *file, const char *dossier,
    const char *item, struct err *e);
/* "jpeg", "png", "pdf" by the magic bytes, or NULL. */
const char *scan_kind(const unsigned char *p, size_t n);

#endif
