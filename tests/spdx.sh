#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file carries its licence line (GPL-3.0-or-later, see COPYING):
# scripts/spdx --check lists the ones that do not.
top=${top_srcdir:-.}
[ -x "$top/scripts/spdx" ] || exit 77
exec "$top/scripts/spdx" --check
