/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/prints-int.h — inside the store only: the print record's field tags.
 */
#ifndef DIBAO_STORE_PRINTS_INT_H
#define DIBAO_STORE_PRINTS_INT_H



/* print record tags (FORMAT.md 4.13) */
enum print_tag {
	PR_SEQ = 1, PR_CODE, PR_FORM, PR_DOSSIER, PR_SCOPE, PR_VERSION, PR_HASH, PR_OP,
	PR_TIME, PR_COPIES, PR_REPRINT_OF,
};
#define PRINT_REC_VERSION 1

#endif
