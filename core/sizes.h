/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sizes.h — the sizes of the records' fixed text fields and lists.
 *
 * Every setter goes through text_set() (core/text.h), which refuses (never
 * truncates) text that does not fit.  Sizes are in bytes of UTF-8; a CJK
 * character takes 3.
 */
#ifndef DIBAO_CORE_SIZES_H
#define DIBAO_CORE_SIZES_H

#define DOSSIER_NO_LEN 20          /* 330102001-2026-00001 */
#define TOWNSHIP_CODE_LEN 9
#define NAME_MAX_BYTES 64          /* about 20 CJK characters */
#define TEXT_SHORT 64
#define TEXT_MEDIUM 256
#define TEXT_LONG 1024
/* a clerk's paragraph: complaint content, progress notes, findings, review
 * notes (1,000 Chinese characters and more, as UTF-8) */
#define TEXT_NOTE 4096
#define USER_MAX_BYTES 32
#define MAX_MEMBERS 32
#define MAX_INCOMES 64
#define MAX_EXPENSES 32
#define MAX_CHECKS 16
#define MAX_ITEMS 24               /* checklist items of one dossier */
#define MAX_SCANS 8                /* scans attached to one checklist item */
#define ITEM_CODE_MAX 8

#endif
