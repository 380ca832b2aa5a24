/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * base.h — what every part of the domain shares: the value types of SPEC
 * section 2 (money in fen, dates, months) and the msgid marker.
 *
 * Pure C: nothing in core/ does I/O, talks to ncurses or Berkeley DB.
 * Errors come back as an English msgid (marked N_) in *why; the edge
 * translates it with gettext so the clerk reads Chinese under a zh_CN
 * locale.
 */
#ifndef DIBAO_CORE_BASE_H
#define DIBAO_CORE_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Marks a string for xgettext without translating it (core has no I/O). */
#define N_(s) (s)

typedef int64_t fen_t;     /* money: integer fen, 1/100 yuan; never double */
typedef int32_t dbdate_t;  /* a calendar date as YYYYMMDD; 0 = none      */
typedef int32_t dbmonth_t; /* a month as YYYYMM; 0 = none                 */

#endif
