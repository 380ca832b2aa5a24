/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/county-int.h — inside the store only: the county records' field tags and
 * the payment summary's write (county.c, county-payment.c).
 */
#ifndef DIBAO_STORE_COUNTY_INT_H
#define DIBAO_STORE_COUNTY_INT_H

#include "store/county.h"

/* county record tags (FORMAT.md 4.17–4.19) */
enum county_archive_tag {
	CA_TOWNSHIP = 1, CA_NAME, CA_PERIOD, CA_MANIFEST, CA_PREVIOUS, CA_DOSSIERS, CA_FILES,
	CA_AUDIT, CA_FILINGS, CA_PEOPLE, CA_CASES, CA_IMPORTED, CA_BY,
	CA_AUDIT_HEAD, CA_SIGNER, /* issue 16.5 */
};
enum county_person_tag { CP_ID = 1, CP_TOWNSHIP, CP_DOSSIER, CP_NAME, CP_PERIOD, CP_STATUS };
enum county_case_tag {
	CC_TOWNSHIP = 1, CC_PERIOD, CC_DOSSIER, CC_HEAD, CC_VILLAGE, CC_PERSONS, CC_TOTAL, CC_KIN, CC_ADDED,
};
#define COUNTY_REC_VERSION 1

/* county-payment.c (issue 13): store an archive's payment batch summary */
int county_payment_put(struct store *st, store_txn *txn, const struct county_payment *p, struct err *e);

#endif
