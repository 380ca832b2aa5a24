/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.h — transitional: removed after the round-3 merge.  It only
 * includes the family headers of the store (one per object family, listed
 * in docs/HACKING.md); include the ones a file uses instead.
 */
#ifndef DIBAO_STORE_H
#define DIBAO_STORE_H

#include "store/err.h"
#include "store/codec.h"
#include "store/records.h"
#include "store/env.h"
#include "store/meta.h"
#include "store/audit.h"
#include "store/user.h"
#include "store/settings.h"
#include "store/village.h"
#include "store/dossier.h"
#include "store/kin.h"
#include "store/prints.h"
#include "store/attach.h"
#include "store/check.h"
#include "store/backup.h"
#include "store/crypt.h"
#include "store/demo.h"
#include "store/checklist.h"
#include "store/case.h"
#include "store/due.h"
#include "store/calc.h"
#include "store/ledger.h"
#include "store/report.h"
#include "store/screen.h"
#include "store/county.h"
#include "store/township-key.h"

#endif
