/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store-int.h — transitional: removed after the round-3 merge.  It only
 * includes the store's family headers and their inside parts (*-int.h);
 * a store file includes the ones it uses instead.
 */
#ifndef DIBAO_STORE_INT_H
#define DIBAO_STORE_INT_H

#include "store/store.h"

#include "store/env-int.h"
#include "store/crypt-int.h"
#include "store/audit-int.h"
#include "store/dossier-int.h"
#include "store/case-int.h"
#include "store/kin-int.h"
#include "store/prints-int.h"
#include "store/ledger-int.h"
#include "store/county-int.h"

#endif
