/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/records.h — every record type of the store, in one place.  The
 * numbers are part of the format (docs/FORMAT.md, the record-type table):
 * never renumber, only append.  A record starts with "DB", its type and its
 * format version (rec_begin, store/codec.h).
 */
#ifndef DIBAO_STORE_RECORDS_H
#define DIBAO_STORE_RECORDS_H

enum rec_type {
	RT_META = 1, RT_USER = 2, RT_DOSSIER = 3, RT_MEMBER = 4, RT_INCOME = 5, RT_EXPENSE = 6,
	RT_CHECK = 7, RT_AUDIT = 8, RT_VILLAGE = 9, RT_ATTACH = 10, RT_CHECKDEF = 11, RT_CALC = 12,
	RT_KIN_STAFF = 13, RT_KIN_RELATIVE = 14, RT_KIN_MATCH = 15, RT_KIN_FILING = 16, RT_PRINT = 17,
	RT_CLUE = 18, RT_FIX = 19, RT_VISIT = 20,
	RT_COUNTY_ARCHIVE = 21, RT_COUNTY_PERSON = 22, RT_COUNTY_CASE = 23,
	/* the money trail (issue 13, payment.c) */
	RT_PAY_BATCH = 35, RT_PAY_ROW = 36, RT_PAY_HIST = 37, RT_PAY_RECON = 38,
	/* protection (i14): the key file beside the environment (crypt.c) */
	RT_KEYFILE = 45,
	/* the county's payment summary of an archive (issue 13, county-payment.c) */
	RT_COUNTY_PAYMENT = 53,
	/* the standby PC (issue 18): a chunk of a replicated file (replica.c) */
	RT_REPLICA_CHUNK = 70,
};

#endif
