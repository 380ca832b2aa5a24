/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-collect.c — the monthly archive's entries outside the changed
 * dossiers, each into the temporary directory (archive-int.h): the monthly
 * report, the payment batch, the month's audit entries (and from them the
 * changed dossiers, their entries made as the archive is written), the
 * filing register and its cases,
 * the two ledgers, the roster, the README, the chain's previous manifest.
 */
#include "config.h"

#include <stdio.h>
#include <stdio_ext.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "import/manifest.h"
#include "import/payment-files.h"
#include "import/roster.h"
#include "import/archive-int.h"
#include "store/audit.h"
#include "store/checklist.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/kin.h"
#include "store/ledger.h"
#include "store/meta.h"
#include "store/report.h"
#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/kin-model.h"
#include "core/ledger-model.h"
#include "core/sizes.h"
#include "core/array.h"

/* payment-archive.c's entries (issue 13) */
static int
payment_add(void *ctx, const char *rel, unsigned char *data, size_t len)
{
	return ax_add(ctx, rel, data, len, false);
}

/* ---- the month's audit entries and the changed dossiers --------------- */

/* Noted as met; sorted and made unique once the walk is over (a search per
 * entry here made the export quadratic).  Runs of entries about one
 * dossier, the usual case, are noted once.  Kept as year * 100000 +
 * serial (4 bytes, not 21), in the order of the numbers' text. */
static int
dossier_seen(struct actx *x, int year, uint32_t seq)
{
	uint32_t key = (uint32_t)year * 100000 + seq;

	if (x->nd > 0 && x->dossiers[x->nd - 1] == key)
		return 1;
	void *v = array_grow(x->dossiers, &x->capd, x->nd + 1, sizeof *x->dossiers);
	if (v == NULL)
		return -1;
	x->dossiers = v;
	x->dossiers[x->nd++] = key;
	return 0;
}

/* What of an audit detail may leave the township: a clue's reporter never
 * does (the store keeps it out of the chain; this is the second lock). */
static void
scrub(json_t *j)
{
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(j, tmp, k, v) {
			if (strcmp(k, "reporter") == 0 || strcmp(k, "hiv") == 0 || strcmp(k, "confidential") == 0)
				json_object_del(j, k);
			else
				scrub(v);
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			scrub(v);
	}
}

static int
audit_one(const struct audit_entry *a, void *baton)
{
	struct actx *x = baton;
	dbdate_t d = store_date_of(a->time);
	char prev[65], hash[65], when[32];
	time_t tt = (time_t)a->time;
	struct tm tm;
	json_t *detail = NULL;

	if (d < x->from || d > x->to)
		return 0;
	if (a->detail != NULL && a->detail[0] != '\0') {
		if ((detail = json_loads(a->detail, 0, NULL)) != NULL)
			scrub(detail);
		else
			detail = json_string(a->detail);
	}
	hex32(a->prev, prev);
	hex32(a->hash, hash);
	if (localtime_r(&tt, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)a->time);
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "seq", (json_int_t)a->seq, "time", when,
	    "operator", a->op, "action", a->action, "object", a->object,
	    "detail", detail ? detail : json_null(), "prev", prev, "hash", hash);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL) {
		x->audit_failed = true;
		return 1;
	}
	fputs(s, x->audit);
	fputc('\n', x->audit);
	free(s);
	x->audit_entries++;
	/* an entry about a dossier of this township: the dossier changed */
	int year;
	uint32_t seq;
	if (strncmp(a->object, x->code, strlen(x->code)) == 0 && dossier_no_parse(a->object, &year, &seq) == 0 &&
	    dossier_seen(x, year, seq) < 0) {
		x->audit_failed = true;
		return 1;
	}
	return 0;
}

static int
no_cmp(const void *a, const void *b)
{
	uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
	return (p > q) - (p < q);
}

/* ---- the filing register and the ledgers ------------------------------ */


static int
filing_row(const struct kin_filing *f, void *baton)
{
	struct filing_out *o = baton;
	struct actx *x = o->x;
	char b1[11], b2[11], mask[ID_LEN + 1];
	dbdate_t confirmed = f->reviewed ? f->reviewed : f->filed;

	if (f->filed > x->to)
		return 0;	/* filed after the period: next month's */
	/* the status as of the period's end: reported by this (or an earlier)
	 * archive once it was filed by then, else still pending */
	bool done = f->status != FS_PENDING && confirmed <= x->to;
	if (f->status == FS_FILED && confirmed <= x->to) {
		void *v = array_grow(x->carry, &x->capc, x->nc + 1, sizeof *x->carry);
		if (v == NULL) {
			o->failed = true;
			return 1;
		}
		x->carry = v;
		snprintf(x->carry[x->nc++], FILING_NO_LEN + 1, "%s", f->no);
	}
	id_mask(f->member_id, mask);
	for (int i = 0; i < (f->n_staff ? f->n_staff : 1); i++) {
		const struct kin_filing_staff *s = f->n_staff ? &f->staff[i] : NULL;
		const char *cells[12] = {f->no, f->dossier, f->member_name, mask, s ? s->staff_name : "",
		    s ? kin_relation_term(s->relation)->zh : "", f->note,
		    done ? filing_status_terms[FS_REPORTED].zh : filing_status_terms[FS_PENDING].zh,
		    f->filed_by, date_format(f->filed, b1), done ? f->reviewed_by : "", done ? date_format(f->reviewed, b2) : ""};
		ax_csv_cells(&o->c, cells, 12);
	}
	o->rows++;
	return 0;
}

static void
notes_text(const struct ledger_note *n, int count, dbdate_t to, char *buf, size_t size)
{
	size_t len = 0;
	char d[11];
	buf[0] = '\0';
	for (int i = 0; i < count && len < size; i++) {
		if (n[i].date > to)
			continue;
		int w = snprintf(buf + len, size - len, "%s%s %s：%s", len ? "；" : "", date_format(n[i].date, d), n[i].by,
		    n[i].text);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= size)
		buf[size - 1] = '\0';
}


static int
clue_row(const struct clue *c, void *baton)
{
	struct ledger_out *o = baton;
	dbdate_t to = o->x->to;
	char b1[11], b2[11], b3[11], notes[4096];
	bool closed = c->closed && c->closed <= to;

	if (c->received > to)
		return 0;
	notes_text(c->notes, c->n_notes, to, notes, sizeof notes);
	/* the reporter is never written: not even a mark that one exists */
	const char *cells[13] = {c->no, date_format(c->received, b1), clue_channel_terms[c->channel].zh, c->dossier,
	    c->content, clue_category_terms[c->category].zh, c->handler, date_format(c->deadline, b2), notes,
	    closed ? clue_finding_terms[c->finding].zh : "", closed ? c->action : "",
	    closed && c->transferred ? "是" : "否", closed ? date_format(c->closed, b3) : ""};
	ax_csv_cells(&o->c, cells, 13);
	return 0;
}

static int
fix_row(const struct fix *f, void *baton)
{
	struct ledger_out *o = baton;
	dbdate_t to = o->x->to;
	char b1[11], b2[11], b3[11], notes[4096];
	bool closed = f->closed && f->closed <= to;

	if (f->recorded > to)
		return 0;
	notes_text(f->notes, f->n_notes, to, notes, sizeof notes);
	const char *cells[11] = {f->no, date_format(f->recorded, b1), f->problem, fix_source_terms[f->source].zh, f->measure,
	    f->owner, date_format(f->deadline, b2), notes, closed ? f->evidence : "", closed ? "已销号" : "整改中",
	    closed ? date_format(f->closed, b3) : ""};
	ax_csv_cells(&o->c, cells, 11);
	return 0;
}

/* ---- the README --------------------------------------------------------- */

static int
readme(struct actx *x, const char *mon)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	char from[11], to[11];

	if (f == NULL)
		return ax_oom(x);
	fprintf(f,
	    "%s 最低生活保障月度移交档案（%s）\r\n"
	    "====================================\r\n\r\n"
	    "乡镇代码：%s\r\n统计期间：%s 至 %s\r\n本档案由“低保台账终端”（dibao）导出，所有文字均为 UTF-8 编码。\r\n\r\n"
	    "文件说明\r\n--------\r\n"
	    "manifest.json          清单：格式版本、乡镇、期间、导出人、数量，以及其余每个文件的路径、大小和 SHA-256 哈希；\r\n"
	    "                       previous 为上月清单的 SHA-256，各月依次相连成链（首个档案为 null）。\r\n"
	    "说明.txt               本说明。\r\n"
	    "月报/动态管理月报.pdf  本期动态管理月报（盖章版式）；同名 .csv 为其数据。\r\n"
	    "花名册.xlsx            在保人员花名册（Excel），同名 .csv 为同一内容。\r\n"
	    "备案名册.csv           近亲属享受低保备案名册；本档案报送的备案状态为“已报县”。\r\n"
	    "举报线索台账.csv       举报线索台账（不含举报人信息）。\r\n"
	    "整改台账.csv           整改台账。\r\n"
	    "审计日志.jsonl         本期审计记录，每行一条（JSON），含前一条的哈希，可逐条核对哈希链。\r\n"
	    "审计链头.json          期末审计链的条数和链头哈希。\r\n"
	    "户档案/档案编号/       本期有变动的每户：档案记录.json（户档案记录，不含保密信息）、材料清单.csv、\r\n"
	    "                       表单/（本期打印过的表单，按档案现状重新生成的归档副本）、扫描件/。\r\n\r\n"
	    "CSV 文件为带 BOM 的 UTF-8，可直接用 Excel 或 WPS 打开。\r\n\r\n"
	    "核对方法\r\n--------\r\n"
	    "1. 县级系统：dibao import archive 本文件，自动核对每个文件的大小和哈希及月度链，任何不符整体拒收。\r\n"
	    "2. 手工核对：解压后在 Windows 命令行执行  certutil -hashfile 文件名 SHA256，\r\n"
	    "   或在 Linux 执行  sha256sum 文件名，结果应与 manifest.json 中该文件的 sha256 一致。\r\n"
	    "3. manifest.json 本身的 SHA-256 应与下月档案 manifest.json 中的 previous 一致。\r\n",
	    x->name, mon, x->code, date_format(x->from, from), date_format(x->to, to));
	if (ferror(f) | fclose(f)) {
		free(s);
		return ax_oom(x);
	}
	return ax_add(x, "说明.txt", (unsigned char *)s, len, false);
}

/* ---- all of them ------------------------------------------------------- */

int
ax_cancel(struct actx *x)
{
	return err_set(x->e, E_REFUSED, "%s", _("archive cancelled: nothing was written or recorded"));
}

/* The monthly report's progress is the archive's, and so is its cancel. */
static bool
report_progress(int done, int total, void *baton)
{
	struct actx *x = baton;
	const struct progress *pg = x->o->progress;

	x->cancelled = pg->fn(done, total, pg->baton);
	return x->cancelled;
}

/* the monthly report exactly as `report monthly` prints it, and the
 * households added for the manifest; its walk of the dossiers gives the
 * roster its rows (row: collect_roster's walk, st and e are x's) */
static int
collect_report(struct store *st, int (*row)(const struct dossier *d, void *row_baton), void *row_baton, void *baton,
    struct err *e)
{
	struct actx *x = baton;
	struct monthly_report r;

	(void)st;
	(void)e;

	char rpdf[128], rcsv[128];
	snprintf(rpdf, sizeof rpdf, "%s/report.pdf", x->tmpdir);
	snprintf(rcsv, sizeof rcsv, "%s/report.csv", x->tmpdir);
	struct progress rpg = {report_progress, x};
	const struct progress *rp = x->o->progress && x->o->progress->fn ? &rpg : NULL;
	memset(&r, 0, sizeof r);
	struct report_riders riders = {.dossier = row, .dossier_baton = row_baton, .audit = audit_one, .audit_baton = x};
	if (report_monthly_each(x->st, x->o->month, &r, rp, &riders, x->e) != 0)
		return x->cancelled ? ax_cancel(x) : x->audit_failed ? ax_oom(x) : -1;
	int rr = report_monthly_write_built(x->st, &r, rpdf, rcsv, x->e);
	if (rr == 0)
		rr = ax_add_file(x, "月报/动态管理月报.pdf", rpdf, true) != 0 ||
		    ax_add_file(x, "月报/动态管理月报.csv", rcsv, false) != 0 ? -1 : 0;
	unlink(rpdf);
	unlink(rcsv);
	if (rr != 0) {
		report_free(&r);
		return -1;
	}
	x->m.audit_count = r.audit_count;
	snprintf(x->m.audit_head, sizeof x->m.audit_head, "%s", r.head);
	for (size_t i = 0; i < r.added.n; i++) {
		struct manifest_case c;
		memset(&c, 0, sizeof c);
		snprintf(c.dossier, sizeof c.dossier, "%s", r.added.v[i].dossier);
		snprintf(c.head, sizeof c.head, "%s", r.added.v[i].name);
		snprintf(c.village, sizeof c.village, "%s", r.added.v[i].village);
		c.persons = r.added.v[i].persons;
		c.total = r.added.v[i].total;
		c.added = true;
		if (manifest_add_case(&x->m, &c) != 0) {
			report_free(&r);
			return ax_oom(x);
		}
	}
	report_free(&r);
	return 0;
}

/* the month's audit entries, and from them the changed dossiers: written
 * as the report's walk of the chain meets them (audit_one rides it) */
static int
collect_audit_begin(struct actx *x)
{
	ax_spool_name(x, x->audit_path, sizeof x->audit_path);
	if ((x->audit = fopen(x->audit_path, "wb")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->audit_path, strerror(errno));
	__fsetlocking(x->audit, FSETLOCKING_BYCALLER); /* this thread's alone */
	return 0;
}

static int
collect_audit_end(struct actx *x)
{
	int bad = ferror(x->audit);
	if ((fclose(x->audit) != 0) | bad) {
		x->audit = NULL;
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), x->audit_path, strerror(EIO));
	}
	x->audit = NULL;
	if (ax_add_spooled(x, "审计日志.jsonl", x->audit_path, false) != 0)
		return -1;
	json_t *head = json_pack("{s:I,s:s,s:s}", "count", (json_int_t)x->m.audit_count, "head", x->m.audit_head,
	    "as_of", x->m.exported);
	char *hs = head ? json_dumps(head, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(head);
	if (hs == NULL || ax_add(x, "审计链头.json", (unsigned char *)hs, strlen(hs), false) != 0)
		return hs == NULL ? ax_oom(x) : -1;
	return 0;
}

/* the changed dossiers, sorted, once each, and the period's prints of
 * their forms: their entries are made as the archive is written */
static int
collect_dossiers(struct actx *x)
{
	char apath[128];

	if (checklist_template(x->st, NULL, x->defs, MAX_ITEMS, &x->ndefs, x->e) != 0)
		return -1;
	if (x->nd > 1) {
		size_t u = 1;
		qsort(x->dossiers, x->nd, sizeof *x->dossiers, no_cmp);
		for (size_t i = 1; i < x->nd; i++)
			if (x->dossiers[i] != x->dossiers[u - 1])
				x->dossiers[u++] = x->dossiers[i];
		x->nd = u;
	}
	if (ax_collect_prints(x) != 0)
		return -1;
	if (ax_spool_name(x, apath, sizeof apath), (x->lines = fopen(apath, "w+")) == NULL)
		return err_set(x->e, E_STORAGE, _("cannot write %s: %s"), apath, strerror(errno));
	unlink(apath);
	return 0;
}

/* the filing register */
static int
collect_filings(struct actx *x, const char *mon)
{
	char prevkey[64];

	static const char *const fhead[] = {
		"备案编号", "档案编号", "成员姓名", "成员身份证号", "关联人员", "关系", "情况说明", "状态",
		"备案人", "备案日期", "审核人", "审核日期",
	};
	snprintf(prevkey, sizeof prevkey, "archive.filings.%s", mon);
	if (meta_get(x->st, NULL, prevkey, x->reported_before, sizeof x->reported_before, x->e) != 0) {
		if (x->e->code != E_NOTFOUND)
			return -1;
		err_clear(x->e);
		x->reported_before[0] = '\0';
	}
	struct filing_out fo = {.x = x};
	if (ax_csv_begin(x, &fo.c, fhead, 12) != 0)
		return -1;
	if (kin_filing_list(x->st, filing_row, &fo, x->e) != 0 || fo.failed) {
		ax_csv_abort(&fo.c);
		return fo.failed ? ax_oom(x) : -1;
	}
	x->m.filings = fo.rows;
	if (ax_csv_end(x, &fo.c, "备案名册.csv") != 0)
		return -1;
	return 0;
}

/* the kin-filing cases: those this archive reports (again) */
static int
collect_kin_cases(struct actx *x)
{
	char all[8192];
	size_t len = (size_t)snprintf(all, sizeof all, "%s", x->reported_before);
	for (size_t i = 0; i < x->nc && len < sizeof all; i++)
		len += (size_t)snprintf(all + len, sizeof all - len, " %s", x->carry[i]);
	struct kin_filing f;
	for (char *tok = strtok(all, " "); tok != NULL; tok = strtok(NULL, " ")) {
		if (kin_filing_get(x->st, NULL, tok, &f, x->e) != 0)
			return -1;
		size_t k;
		for (k = 0; k < x->m.n_cases; k++)
			if (strcmp(x->m.cases[k].dossier, f.dossier) == 0)
				break;
		if (k < x->m.n_cases) {
			x->m.cases[k].kin = true;
			continue;
		}
		struct dossier *d = malloc(sizeof *d);
		if (d == NULL)
			return ax_oom(x);
		if (dossier_get(x->st, NULL, f.dossier, d, x->e) != 0) {
			free(d);
			return -1;
		}
		struct manifest_case c;
		memset(&c, 0, sizeof c);
		snprintf(c.dossier, sizeof c.dossier, "%s", d->no);
		snprintf(c.head, sizeof c.head, "%s", d->members[d->head].name);
		snprintf(c.village, sizeof c.village, "%s", d->village);
		for (int m = 0; m < d->n_members; m++)
			c.persons += !d->members[m].death && !(d->members[m].flags & MF_NOT_GUARANTEED);
		c.total = d->total;
		c.kin = true;
		free(d);
		if (manifest_add_case(&x->m, &c) != 0)
			return ax_oom(x);
	}
	return 0;
}

/* the ledgers */
static int
collect_ledgers(struct actx *x)
{
	static const char *const chead[] = {
		"线索编号", "受理日期", "来源渠道", "关联档案", "反映内容", "问题类别", "承办人", "办理期限",
		"办理进展", "核查结论", "处理措施", "移交纪检", "销号日期",
	};
	struct ledger_out lo = {.x = x};
	if (ax_csv_begin(x, &lo.c, chead, 13) != 0)
		return -1;
	if (clue_list(x->st, clue_row, &lo, x->e) != 0) {
		ax_csv_abort(&lo.c);
		return -1;
	}
	if (ax_csv_end(x, &lo.c, "举报线索台账.csv") != 0)
		return -1;
	static const char *const xhead[] = {
		"整改编号", "登记日期", "问题", "问题来源", "整改措施", "责任人", "整改期限", "整改进展",
		"整改证据", "状态", "销号日期",
	};
	if (ax_csv_begin(x, &lo.c, xhead, 11) != 0)
		return -1;
	if (fix_list(x->st, fix_row, &lo, x->e) != 0) {
		ax_csv_abort(&lo.c);
		return -1;
	}
	if (ax_csv_end(x, &lo.c, "整改台账.csv") != 0)
		return -1;
	return 0;
}

/* the roster, XLSX for the county's Excel and CSV for its import, and
 * the monthly report, in one walk of the dossiers (the report's); the XLSX
 * is packed by a thread while the other entries are collected
 * (roster_end) */
static int
collect_roster(struct actx *x)
{
	char cpath[128];
	int hh, pp;

	snprintf(x->xlsx, sizeof x->xlsx, "%s/roster.xlsx", x->tmpdir);
	snprintf(cpath, sizeof cpath, "%s/roster.csv", x->tmpdir);
	if (roster_export_pair(x->st, x->actor, x->xlsx, cpath, x->at, collect_report, x, &hh, &pp, &x->xlsx_later,
	    x->e) != 0)
		return -1;
	int ar = ax_add_file(x, "花名册.csv", cpath, false);
	unlink(cpath);
	return ar;
}

static int
roster_end(struct actx *x)
{
	struct roster_close *c = x->xlsx_later;

	x->xlsx_later = NULL;
	if (roster_close_end(x->st, c, x->e) != 0)
		return -1;
	int ar = ax_add_file(x, "花名册.xlsx", x->xlsx, true);
	unlink(x->xlsx);
	return ar;
}

/* the chain: the manifest of the latest archive exported before this
 * month (a month without an archive does not break the chain) */
static int
collect_previous(struct actx *x)
{
	char prevkey[64], pmon[8];

	char thiskey[64];
	month_format(x->o->month, pmon);
	snprintf(thiskey, sizeof thiskey, "archive.manifest.%s", pmon);
	if (meta_last_before(x->st, NULL, "archive.manifest.", thiskey, prevkey, sizeof prevkey,
	    x->m.previous, sizeof x->m.previous, x->e) != 0) {
		if (x->e->code != E_NOTFOUND)
			return -1;
		err_clear(x->e);
		x->m.previous[0] = '\0';
	}
	return 0;
}

int
ax_collect(struct actx *x, const char *mon)
{
	/* the roster, the report and the audit entries first, in one walk of
	 * the dossiers and one of the chain: the XLSX packed beside the rest */
	if (collect_audit_begin(x) != 0 || collect_roster(x) != 0 || collect_audit_end(x) != 0 ||
	    /* the month's payment batch and its reconciliation (issue 13) */
	    payment_archive_entries(x->st, x->o->month, x->to, payment_add, x, x->e) != 0 ||
	    collect_dossiers(x) != 0 || collect_filings(x, mon) != 0 ||
	    collect_kin_cases(x) != 0 || collect_ledgers(x) != 0 || readme(x, mon) != 0 ||
	    collect_previous(x) != 0)
		return -1;
	return roster_end(x);
}
