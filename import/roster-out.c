/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-out.c — the township's roster (花名册) for the county: one row per
 * living member of every active dossier, the household's columns on its
 * head's row (so a column sum counts each household once), in the same
 * headers roster-in.c reads, so export → import reproduces the households.
 *
 * The roster goes to the county's system: full ID numbers and the bank
 * account stay (the payment roster needs them; reading them is audited),
 * but nothing of HIV or other confidential flags, nor illness text, is
 * ever written.
 */
#include "config.h"

#include <stdio.h>
#include <stdio_ext.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <jansson.h>

#include "import/roster.h"
#include "store/afile.h"
#include "store/csv-write.h"

#include "core/dossier-model.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/dossier.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"

static const char *const headers[] = {
	"序号", "户档案编号", "户主姓名", "姓名", "身份证号", "与户主关系", "户主身份证号",
	"村/社区", "组", "城乡类别", "保障人数", "保障类型", "月保障金额(元)", "开户银行",
	"银行账号", "状态", "残疾类别", "残疾等级", "健康状况", "联系电话", "家庭住址", "建档立卡",
	"是否保障对象",
};
#define NCOLS ((int)(sizeof headers / sizeof headers[0]))
enum { X_AMOUNT = 12, X_SEQ = 0, X_PERSONS = 10 };

struct out {
	FILE *csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *money, *text;
	int row;
	int households, persons;
	bool failed;
	struct err *e;
};

/* One row of cells; number columns also given as numbers for the XLSX. */
static void
put_row(struct out *o, const char *cells[NCOLS], const int64_t *nums)
{
	if (o->csv)
		/* names, addresses, phones: guarded against formulas */
		csv_write_row(o->csv, cells, NCOLS);
	for (int k = 0; o->wb != NULL && k < NCOLS; k++) {
		lxw_error r = LXW_NO_ERROR;
		if (cells[k][0] == '\0')
			continue;
		if (nums && k == X_AMOUNT)
			/* Excel has only doubles: fen / 100 is exact to the two
			 * decimals shown, and roster-in reads it back to fen */
			r = worksheet_write_number(o->ws, (lxw_row_t)o->row, (lxw_col_t)k, (double)nums[k] / 100.0, o->money);
		else if (nums && (k == X_SEQ || k == X_PERSONS))
			r = worksheet_write_number(o->ws, (lxw_row_t)o->row, (lxw_col_t)k, (double)nums[k], NULL);
		else
			/* ID and account numbers as text: as numbers Excel would
			 * round them to 15 digits */
			r = worksheet_write_string(o->ws, (lxw_row_t)o->row, (lxw_col_t)k, cells[k], o->text);
		if (r != LXW_NO_ERROR && !o->failed) {
			o->failed = true;
			err_set(o->e, E_STORAGE, "libxlsxwriter: %s", lxw_strerror(r));
		}
	}
	o->row++;
}

static int
one(const struct dossier *d, void *baton)
{
	struct out *o = baton;
	const struct member *head = &d->members[d->head];
	char seq[16], persons[16], amount[32], grade[8];
	int64_t nums[NCOLS] = {0};
	int n = 0;

	if (!status_active(d->status))
		return 0;
	for (int i = 0; i < d->n_members; i++)
		if (d->members[i].death == 0 && !(d->members[i].flags & MF_NOT_GUARANTEED))
			n++;
	o->households++;
	snprintf(seq, sizeof seq, "%d", o->households);
	snprintf(persons, sizeof persons, "%d", n);
	money_format(d->total, amount);
	nums[X_SEQ] = o->households;
	nums[X_PERSONS] = n;
	nums[X_AMOUNT] = d->total;
	/* the head first, then the others in their order */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < d->n_members; i++) {
			const struct member *m = &d->members[i];
			bool is_head = i == d->head;
			if ((pass == 0) != is_head || m->death != 0)
				continue;
			if (m->disability_grade)
				snprintf(grade, sizeof grade, "%d", m->disability_grade);
			else
				grade[0] = '\0';
			const char *cells[NCOLS] = {
				is_head ? seq : "", is_head ? d->no : "", head->name, m->name, m->id,
				relation_terms[is_head ? REL_SELF : m->relation].zh, head->id,
				is_head ? d->village : "", is_head ? d->group : "",
				is_head ? area_terms[d->area].zh : "", is_head ? persons : "",
				is_head ? support_terms[d->support].zh : "", is_head ? amount : "",
				is_head ? d->bank : "", is_head ? d->account : "",
				is_head ? status_terms[d->status].zh : "",
				m->disability != DIS_NONE ? disability_terms[m->disability].zh : "", grade,
				health_terms[m->health].zh, is_head ? d->phone : "", is_head ? d->address : "",
				is_head ? (d->flags & DF_REGISTERED_POOR ? "是" : "否") : "",
				m->flags & MF_NOT_GUARANTEED ? "否" : "是",
			};
			put_row(o, cells, is_head ? nums : NULL);
			o->persons++;
		}
	return o->failed ? 1 : 0;
}

struct audit_baton {
	const struct user *actor;
	const char *detail;
};

static int
audit_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct audit_baton *b = baton;
	return audit_append(st, txn, b->actor->login, "export.roster", "roster", b->detail, e);
}

int
roster_export(struct store *st, const struct user *actor, const char *path,
    int *households, int *persons, struct err *e)
{
	return roster_export_at(st, actor, path, 0, households, persons, e);
}

/* The workbook in libxlsxwriter's constant-memory mode into af's
 * temporary file, its creation time fixed when created != 0. */
static int
workbook_open(struct out *o, struct afile *af, const char *path, int64_t created, struct err *e)
{
	/* constant memory (issue 17): each row goes to a temporary file as it
	 * is written, strings inline; a township of 100,000 households no
	 * longer needs hundreds of megabytes */
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
	if ((o->wb = workbook_new_opt(af->tmp, &wo)) == NULL ||
	    (o->ws = workbook_add_worksheet(o->wb, "花名册")) == NULL)
		return err_set(e, E_REFUSED, _("%s: cannot create the workbook"), path);
	o->money = workbook_add_format(o->wb);
	o->text = workbook_add_format(o->wb);
	if (o->money == NULL || o->text == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	if (created != 0) {
		/* also the zip entries' times: the same data, the same bytes */
		lxw_doc_properties props;
		memset(&props, 0, sizeof props);
		props.created = (time_t)created;
		if (workbook_set_properties(o->wb, &props) != LXW_NO_ERROR)
			return err_set(e, E_STORAGE, _("out of memory"));
	}
	format_set_num_format(o->money, "0.00");
	format_set_num_format(o->text, "@");
	return 0;
}

/* "export.roster" for each file written (xlsx, then csv) */
static int
roster_audit(struct store *st, const struct user *actor, const char *path, const struct out *o, struct err *e)
{
	char detail[512];
	const char *base = strrchr(path, '/');
	json_t *j = json_pack("{s:s,s:i,s:i}", "file", base ? base + 1 : path, "households", o->households,
	    "persons", o->persons);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	snprintf(detail, sizeof detail, "%s", s ? s : "{}");
	free(s);
	struct audit_baton b = {actor, detail};
	return store_txn_run(st, audit_body, &b, e);
}

/* The workbook's end: libxlsxwriter packs its parts into the XLSX (a zip
 * it deflates: a third of the roster's time), then the file is made
 * durable under its name. */
struct roster_close {
	lxw_workbook *wb;
	struct afile af;
	const char *path;
	lxw_error r;
	int committed;          /* 0 done, -1 failed (af.what, errno in err) */
	int err;
	pthread_t thread;
	struct out o;           /* counts, for the audit entry */
	const struct user *actor;
};

static void *
close_main(void *arg)
{
	struct roster_close *c = arg;

	c->r = workbook_close(c->wb);
	c->wb = NULL;
	c->committed = -1;
	if (c->r == LXW_NO_ERROR) {
		c->committed = afile_commit(&c->af);
		c->err = errno;
	}
	return NULL;
}

/* 0 done, or -1 with e (the file removed) */
static int
close_result(struct roster_close *c, struct err *e)
{
	if (c->r != LXW_NO_ERROR) {
		afile_abort(&c->af);
		return err_set(e, E_STORAGE, "%s: libxlsxwriter: %s", c->path, lxw_strerror(c->r));
	}
	if (c->committed != 0)
		return err_set(e, E_STORAGE, _("cannot write %s (%s): %s"), c->path, c->af.what, strerror(c->err));
	return 0;
}

/* Both files in one walk; the XLSX's end handed to *later when not NULL
 * (a thread packs it while the caller goes on: roster_close_end). */
static int
export_pair(struct store *st, const struct user *actor, const char *xlsx, const char *csv, int64_t created,
    roster_walk_fn walk, void *walk_baton, int *households, int *persons, struct roster_close **later,
    struct err *e)
{
	struct out o;
	struct dossier_filter f = {.status = -1};
	struct afile ax, ac;
	int ret = -1;

	/* the roster carries full ID numbers and bank accounts: clerks and
	 * admins only (SPEC 11) */
	if (store_require(actor, ACT_EXPORT, e) != 0)
		return -1;
	memset(&o, 0, sizeof o);
	o.e = e;
	/* whole or not at all, 0600 whatever the umask: ID numbers and
	 * accounts (store/afile.c); recorded only once durable */
	if (xlsx != NULL && afile_reserve(&ax, xlsx, AFILE_PRIVATE) != 0)
		return err_set(e, E_REFUSED, _("%s: %s"), xlsx, strerror(errno));
	if (csv != NULL && afile_open(&ac, csv, AFILE_PRIVATE) != 0) {
		err_set(e, E_REFUSED, _("%s: %s"), csv, strerror(errno));
		if (xlsx != NULL)
			afile_abort(&ax);
		return -1;
	}
	if (xlsx != NULL && workbook_open(&o, &ax, xlsx, created, e) != 0)
		goto out;
	if (csv != NULL) {
		o.csv = ac.f;
		__fsetlocking(o.csv, FSETLOCKING_BYCALLER);  /* this thread's alone: no lock per character */
		fputs("\xEF\xBB\xBF", o.csv);  /* the BOM Excel and WPS need to see UTF-8 */
	}
	put_row(&o, (const char **)headers, NULL);
	if ((walk != NULL ? walk(st, one, &o, walk_baton, e) : dossier_list(st, &f, one, &o, e)) != 0 || o.failed)
		goto out;
	if (csv != NULL && afile_commit(&ac) != 0) {
		err_set(e, E_STORAGE, _("cannot write %s (%s): %s"), csv, ac.what, strerror(errno));
		csv = NULL;     /* aborted by the commit */
		goto out;
	}
	*households = o.households;
	*persons = o.persons;
	if (csv != NULL && roster_audit(st, actor, csv, &o, e) != 0) {
		csv = NULL;
		goto out;
	}
	if (xlsx == NULL)
		return 0;
	struct roster_close *c = calloc(1, sizeof *c);
	if (c == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		csv = NULL;
		goto out;
	}
	*c = (struct roster_close){.wb = o.wb, .af = ax, .path = xlsx, .o = o, .actor = actor};
	o.wb = NULL;
	if (later != NULL && pthread_create(&c->thread, NULL, close_main, c) == 0) {
		*later = c;
		return 0;
	}
	/* here and now */
	close_main(c);
	ret = close_result(c, e) != 0 ? -1 : roster_audit(st, actor, xlsx, &c->o, e);
	free(c);
	return ret;
out:
	if (o.wb != NULL)
		workbook_close(o.wb);
	if (xlsx != NULL)
		afile_abort(&ax);
	if (csv != NULL)
		afile_abort(&ac);
	return ret;
}

int
roster_export_pair(struct store *st, const struct user *actor, const char *xlsx, const char *csv, int64_t created,
    roster_walk_fn walk, void *walk_baton, int *households, int *persons, struct roster_close **later,
    struct err *e)
{
	if (later != NULL)
		*later = NULL;
	return export_pair(st, actor, xlsx, csv, created, walk, walk_baton, households, persons, later, e);
}

int
roster_close_end(struct store *st, struct roster_close *c, struct err *e)
{
	if (c == NULL)
		return 0;
	pthread_join(c->thread, NULL);
	int ret = close_result(c, e) != 0 ? -1 : roster_audit(st, c->actor, c->path, &c->o, e);
	free(c);
	return ret;
}

int
roster_export_at(struct store *st, const struct user *actor, const char *path, int64_t created,
    int *households, int *persons, struct err *e)
{
	size_t len = strlen(path);
	bool xlsx = len > 5 && strcasecmp(path + len - 5, ".xlsx") == 0;

	if (!xlsx && !(len > 4 && strcasecmp(path + len - 4, ".csv") == 0))
		return err_set(e, E_USAGE, _("-o: the file name must end in .csv or .xlsx"));
	return export_pair(st, actor, xlsx ? path : NULL, xlsx ? NULL : path, created, NULL, NULL, households, persons,
	    NULL, e);
}
