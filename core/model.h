/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model.h — transitional: removed after the round-3 merge.  The objects of
 * SPEC section 2 are in core/sizes.h, core/terms.h, core/roles.h,
 * core/dossier-model.h, core/kin-model.h and core/ledger-model.h: include
 * those, not this.
 */
#ifndef DIBAO_MODEL_H
#define DIBAO_MODEL_H

#include "core/sizes.h"
#include "core/terms.h"
#include "core/roles.h"
#include "core/dossier-model.h"
#include "core/kin-model.h"
#include "core/ledger-model.h"

#endif
