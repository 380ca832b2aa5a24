/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tables.c — the bottom of the store: the table of a data directory's
 * databases (files, types, which index what; a new database goes at the
 * end, with enum dbi in env-int.h and docs/FORMAT.md 1.2), and Berkeley
 * DB's return codes in the store's terms.  Every other store file builds
 * on it; it calls none of them.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "store/env-int.h"
#include "store/err.h"

const struct db_table db_tables[DBI__N] = {
	[DBI_META] =            {"meta.db", DB_BTREE, 0, -1, NULL},
	[DBI_SETTINGS] =        {"settings.db", DB_BTREE, 0, -1, NULL},
	[DBI_STANDARDS] =       {"standards.db", DB_BTREE, 0, -1, NULL},
	[DBI_VILLAGES] =        {"villages.db", DB_BTREE, 0, -1, NULL},
	[DBI_USERS] =           {"users.db", DB_BTREE, 0, -1, NULL},
	/* 8 KiB pages keep a whole household record on its leaf page (records
	 * over a quarter page go to overflow pages, a page each) */
	[DBI_DOSSIERS] =        {"dossiers.db", DB_BTREE, 0, -1, NULL, 8192},
	[DBI_DOSSIER_IDNO] =    {"dossier-idno.db", DB_BTREE, DB_DUPSORT, DBI_DOSSIERS, idx_dossier_idno},
	[DBI_DOSSIER_VILLAGE] = {"dossier-village.db", DB_BTREE, DB_DUPSORT, DBI_DOSSIERS, idx_dossier_village},
	[DBI_DOSSIER_STATUS] =  {"dossier-status.db", DB_BTREE, DB_DUPSORT, DBI_DOSSIERS, idx_dossier_status},
	[DBI_DOSSIER_NAME] =    {"dossier-name.db", DB_BTREE, DB_DUPSORT, DBI_DOSSIERS, idx_dossier_name},
	[DBI_AUDIT] =           {"audit.db", DB_BTREE, 0, -1, NULL},
	[DBI_AUDIT_OBJECT] =    {"audit-object.db", DB_BTREE, DB_DUPSORT, DBI_AUDIT, idx_audit_object},
	[DBI_ATTACH] =          {"attachments.db", DB_BTREE, 0, -1, NULL},
	[DBI_CHECKLIST] =       {"checklist.db", DB_BTREE, 0, -1, NULL},
	[DBI_CALCS] =           {"calcs.db", DB_BTREE, 0, -1, NULL},
	[DBI_KIN_STAFF] =       {"kin-staff.db", DB_BTREE, 0, -1, NULL},
	[DBI_KIN_RELATIVES] =   {"kin-relatives.db", DB_BTREE, 0, -1, NULL},
	[DBI_KIN_RELATIVE_IDNO] = {"kin-relative-idno.db", DB_BTREE, DB_DUPSORT, DBI_KIN_RELATIVES, idx_kin_relative_idno},
	[DBI_KIN_MATCHES] =     {"kin-matches.db", DB_BTREE, 0, -1, NULL},
	[DBI_KIN_FILINGS] =     {"kin-filings.db", DB_BTREE, 0, -1, NULL},
	[DBI_PRINTS] =          {"prints.db", DB_BTREE, 0, -1, NULL},
	[DBI_PRINT_CODE] =      {"print-code.db", DB_BTREE, DB_DUPSORT, DBI_PRINTS, idx_print_code},
	[DBI_CLUES] =           {"clues.db", DB_BTREE, 0, -1, NULL},
	[DBI_FIXES] =           {"fixes.db", DB_BTREE, 0, -1, NULL},
	[DBI_VISITS] =          {"visits.db", DB_BTREE, 0, -1, NULL},
	[DBI_COUNTY_ARCHIVES] = {"county-archives.db", DB_BTREE, 0, -1, NULL},
	[DBI_COUNTY_PEOPLE] =   {"county-people.db", DB_BTREE, 0, -1, NULL},
	[DBI_COUNTY_PEOPLE_IDNO] = {"county-people-idno.db", DB_BTREE, DB_DUPSORT, DBI_COUNTY_PEOPLE, idx_county_people_idno},
	[DBI_COUNTY_CASES] =    {"county-cases.db", DB_BTREE, 0, -1, NULL},
	/* payment (issue 13) */
	[DBI_DOSSIER_ACCOUNT] = {"dossier-account.db", DB_BTREE, DB_DUPSORT, DBI_DOSSIERS, idx_dossier_account},
	[DBI_PAY_BATCHES] =     {"pay-batches.db", DB_BTREE, 0, -1, NULL},
	[DBI_PAY_ROWS] =        {"pay-rows.db", DB_BTREE, 0, -1, NULL},
	[DBI_PAY_HISTORY] =     {"pay-history.db", DB_BTREE, 0, -1, NULL},
	[DBI_PAY_RECON] =       {"pay-recon.db", DB_BTREE, 0, -1, NULL},
	[DBI_COUNTY_PAYMENTS] = {"county-payments.db", DB_BTREE, 0, -1, NULL}, /* issue 13 */
	/* the standby PC (issue 18): scans and the key file, replicated */
	[DBI_REPLICA_FILES] =   {"replica-files.db", DB_BTREE, 0, -1, NULL},
};

bool
store_retryable(int ret)
{
	return ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED;
}

int
store_dberr(struct store *st, int ret, const char *doing, struct err *e)
{
	if (st != NULL)
		st->last_ret = ret;
	if (ret == DB_NOTFOUND)
		return err_set(e, E_NOTFOUND, "%s: %s", doing, _("not found"));
	/* Berkeley DB stops (DB_RUNRECOVERY) on a page that fails its
	 * checksum or no longer decrypts: damage, not another process */
	if (ret == DB_RUNRECOVERY && st != NULL && st->bdb_damage[0] != '\0')
		return err_set(e, E_STORAGE, "%s: %s (%s)", doing, _("a page of a database file is damaged"), st->bdb_damage);
	/* a change to a household whose index entries are not in: one of a
	 * load still running (bulk-index.h), or a damaged index */
	if (ret == DB_SECONDARY_BAD)
		return err_set(e, E_STORAGE, "%s: %s", doing,
		    _("its index entries are not in: a load of households puts them in at its end (try again when it has ended), or an index is damaged (run dibao check)"));
	if (ret == DB_RUNRECOVERY)
		return err_set(e, E_STORAGE, "%s: %s", doing,
		    _("another dibao process recovered the database just now (a crashed session); run the command again"));
	if (st != NULL && st->bdb_msg[0] != '\0')
		return err_set(e, E_STORAGE, "%s: %s (%s)", doing, db_strerror(ret), st->bdb_msg);
	return err_set(e, E_STORAGE, "%s: %s", doing, db_strerror(ret));
}

int
store_cursor_close(DBC *c, int ret)
{
	int r = c->close(c);
	return (ret == 0 || ret == DB_NOTFOUND) && r != 0 ? r : ret;
}

int
store_table_plain(struct store *st, int i, u_int32_t oflags, DB **out, struct err *e)
{
	const struct db_table *t = &db_tables[i];
	DB *db = NULL;
	int ret;

	*out = NULL;
	if ((ret = db_create(&db, st->env, 0)) != 0 ||
	    (t->flags != 0 && (ret = db->set_flags(db, t->flags)) != 0) ||
	    (st->enc && (ret = db->set_flags(db, DB_ENCRYPT)) != 0) ||
	    (ret = db->open(db, NULL, t->file, NULL, t->type, oflags, 0600)) != 0) {
		if (db != NULL)
			db->close(db, 0);
		return store_dberr(st, ret, t->file, e);
	}
	*out = db;
	return 0;
}
