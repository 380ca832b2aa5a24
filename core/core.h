/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core.h — transitional: removed after the round-3 merge.  Every family
 * of core/ has its own header (base.h, date.h, money.h, idno.h, text.h,
 * sizes.h, terms.h, roles.h, dossier-model.h, kin-model.h, ledger-model.h,
 * settings-defs.h, calc.h, checklist.h, workflow.h, due.h, rules.h,
 * demo.h, report.h, card.h; store/afile.h): include those, not this.
 */
#ifndef DIBAO_CORE_H
#define DIBAO_CORE_H

#include <stdio.h>

#include "core/base.h"
#include "core/date.h"
#include "core/money.h"
#include "core/idno.h"
#include "core/text.h"
#include "core/model.h"
#include "core/roles.h"
#include "core/settings-defs.h"
#include "core/calc.h"
#include "core/checklist.h"
#include "core/workflow.h"
#include "core/due.h"
#include "core/rules.h"
#include "core/demo.h"
#include "core/report.h"
#include "core/card.h"
/* moved to store/ (issue 20: core does no I/O) */
#include "store/afile.h"

#endif
