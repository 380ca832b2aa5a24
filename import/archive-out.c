/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-out.c — `dibao export archive`: the monthly handover archive for
 * the county (SPEC 9, docs/ARCHIVE.md).  Everything goes under one top
 * folder "<township code>-<YYYY-MM>/": the manifest, a Chinese README, the
 * monthly report, the roster, the filing register, the two ledgers, the
 * month's audit entries with the chain head, and each dossier changed in
 * the period with its record, forms, scans and checklist.
 *
 * The archive is built in memory, entries sorted, every time taken from
 * the period's end, so the same month exported twice gives the same
 * manifest.  Zip by default (the county opens it on Windows): names flagged
 * UTF-8, JPEGs/PNGs/PDFs/XLSX stored (already compressed), text deflated.
 * The file is written first; then one transaction records the manifest's
 * hash (the next month's `previous`), marks the carried filings reported
 * to the county and audits the export — if it fails, the file goes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "import/import.h"
#include "print/forms.h"

#define ENTRY_MAX ((size_t)256 * 1024 * 1024)  /* one file we are willing to carry */

struct aentry {
	char *path;             /* full path, top folder included */
	unsigned char *data;
	size_t len;
	bool store;             /* stored, not deflated */
};

struct actx {
	struct store *st;
	const struct user *actor;
	const struct archive_export_opts *o;
	struct err *e;
	char top[64];
	char code[TOWNSHIP_CODE_LEN + 1], name[TEXT_SHORT];
	dbdate_t from, to;
	int64_t at;             /* the period's end, 23:59:59 local */
	struct aentry *v;
	size_t n, cap;
	/* the changed dossiers */
	char (*dossiers)[DOSSIER_NO_LEN + 1];
	size_t nd, capd;
	/* the month's audit entries, as JSON lines */
	FILE *audit;
	char *audit_buf;
	size_t audit_len;
	int audit_entries;
	bool audit_failed;      /* out of memory inside the walk (it stops quietly) */
	bool cancelled;         /* the clerk cancelled during the monthly report */
	/* filings carried (marked reported by this export) */
	char (*carry)[FILING_NO_LEN + 1];
	size_t nc, capc;
	char reported_before[4096];  /* meta archive.filings.M of an earlier export */
	char tmpdir[64];
	struct manifest m;
};

static dbdate_t
local_date(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int
oom(struct actx *x)
{
	return err_set(x->e, E_STORAGE, "%s", _("out of memory"));
}

/* Add an entry under the top folder; data is taken over. */
static int
add(struct actx *x, const char *rel, unsigned char *data, size_t len, bool store)
{
	char path[1024];
	if (snprintf(path, sizeof path, "%s/%s", x->top, rel) >= (int)sizeof path || !archive_path_safe(path)) {
		free(data);
		return err_set(x->e, E_STORAGE, _("archive: an unsafe entry name %s"), rel);
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct aentry *v = realloc(x->v, cap * sizeof *v);
		if (v == NULL) {
			free(data);
			return oom(x);
		}
		x->v = v;
		x->cap = cap;
	}
	if ((x->v[x->n].path = strdup(path)) == NULL) {
		free(data);
		return oom(x);
	}
	x->v[x->n].data = data;
	x->v[x->n].len = len;
	x->v[x->n].store = store;
	x->n++;
	return 0;
}

static int
read_whole(struct actx *x, const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	unsigned char *d;

	if (f == NULL)
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), path, strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 || (size_t)sb.st_size > ENTRY_MAX) {
		fclose(f);
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), path, _("too large"));
	}
	if ((d = malloc((size_t)sb.st_size + 1)) == NULL) {
		fclose(f);
		return oom(x);
	}
	size_t n = fread(d, 1, (size_t)sb.st_size, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n != (size_t)sb.st_size) {
		free(d);
		return err_set(x->e, E_STORAGE, _("cannot read %s: %s"), path, strerror(EIO));
	}
	*out = d;
	*len = n;
	return 0;
}

static int
add_file(struct actx *x, const char *rel, const char *path, bool store)
{
	unsigned char *d;
	size_t len;
	if (read_whole(x, path, &d, &len) != 0)
		return -1;
	return add(x, rel, d, len, store);
}

/* ---- CSV in memory (UTF-8 with the BOM Excel and WPS need) ------------- */

struct memcsv {
	FILE *f;
	char *buf;
	size_t len;
};

static int
csv_begin(struct actx *x, struct memcsv *c, const char *const *head, int n)
{
	if ((c->f = open_memstream(&c->buf, &c->len)) == NULL)
		return oom(x);
	fputs("\xEF\xBB\xBF", c->f);
	for (int i = 0; i < n; i++)
		csv_put_field(c->f, head[i], i == n - 1);
	return 0;
}

static void
csv_cells(struct memcsv *c, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		/* a leading = + - @ would be a formula in Excel */
		if (s[0] == '=' || s[0] == '+' || s[0] == '@' || (s[0] == '-' && (s[1] < '0' || s[1] > '9'))) {
			char q[TEXT_LONG + 2];
			snprintf(q, sizeof q, "'%s", s);
			csv_put_field(c->f, q, i == n - 1);
		} else {
			csv_put_field(c->f, s, i == n - 1);
		}
	}
}

static int
csv_end(struct actx *x, struct memcsv *c, const char *rel)
{
	int bad = ferror(c->f);
	if (fclose(c->f) != 0 || bad) {
		free(c->buf);
		return oom(x);
	}
	return add(x, rel, (unsigned char *)c->buf, c->len, false);
}

/* ---- the month's audit entries and the changed dossiers --------------- */

static int
dossier_seen(struct actx *x, const char *no)
{
	for (size_t i = 0; i < x->nd; i++)
		if (strcmp(x->dossiers[i], no) == 0)
			return 1;
	if (x->nd == x->capd) {
		size_t cap = x->capd ? 2 * x->capd : 32;
		void *v = realloc(x->dossiers, cap * sizeof *x->dossiers);
		if (v == NULL)
			return -1;
		x->dossiers = v;
		x->capd = cap;
	}
	snprintf(x->dossiers[x->nd++], DOSSIER_NO_LEN + 1, "%s", no);
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
	dbdate_t d = local_date(a->time);
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
	if (strlen(a->object) == DOSSIER_NO_LEN && strncmp(a->object, x->code, strlen(x->code)) == 0 &&
	    a->object[strlen(x->code)] == '-' && dossier_seen(x, a->object) < 0) {
		x->audit_failed = true;
		return 1;
	}
	return 0;
}

static int
no_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* ---- one dossier ------------------------------------------------------ */

struct form_pick {
	const char *no;
	dbdate_t from, to;
	char forms[16][TEXT_SHORT];
	int n;
};

static int
pick_print(const struct prints_entry *p, void *baton)
{
	struct form_pick *fp = baton;
	dbdate_t d = local_date(p->time);

	if (strcmp(p->dossier, fp->no) != 0 || d < fp->from || d > fp->to)
		return 0;
	for (int i = 0; i < fp->n; i++)
		if (strcmp(fp->forms[i], p->form) == 0)
			return 0;
	if (fp->n < 16)
		snprintf(fp->forms[fp->n++], TEXT_SHORT, "%s", p->form);
	return 0;
}

static int
dossier_entries(struct actx *x, const char *no, const struct checklist_def *defs, int ndefs)
{
	struct dossier *d = malloc(sizeof *d);
	struct form_pick fp;
	struct memcsv c;
	char rel[512], buf[11], sc[16];
	int ret = -1;
	static const char *const head[] = {
		"材料代码", "材料名称", "需进入阶段", "收到日期", "收件人", "已签字", "已盖章", "扫描件数", "备注",
	};

	if (d == NULL)
		return oom(x);
	if (dossier_get(x->st, NULL, no, d, x->e) != 0) {
		if (x->e->code == E_NOTFOUND) {
			/* an object that only looks like one of our dossiers */
			err_clear(x->e);
			ret = 1;
		}
		goto out;
	}
	/* the record: what dossier show gives, without confidential flags */
	json_t *j = dossier_json(d, false);
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL) {
		oom(x);
		goto out;
	}
	snprintf(rel, sizeof rel, "户档案/%s/档案记录.json", no);
	if (add(x, rel, (unsigned char *)s, strlen(s), false) != 0)
		goto out;

	/* the checklist */
	if (csv_begin(x, &c, head, 9) != 0)
		goto out;
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		const char *nm = "", *stage = "";
		for (int k = 0; k < ndefs; k++)
			if (strcmp(defs[k].code, it->code) == 0) {
				nm = defs[k].name;
				stage = status_terms[defs[k].stage].zh;
			}
		snprintf(sc, sizeof sc, "%d", it->n_scans);
		const char *cells[9] = {it->code, nm, stage, date_format(it->received, buf), it->received_by,
		    it->is_signed ? "是" : "否", it->stamped ? "是" : "否", sc, it->note};
		csv_cells(&c, cells, 9);
	}
	snprintf(rel, sizeof rel, "户档案/%s/材料清单.csv", no);
	if (csv_end(x, &c, rel) != 0)
		goto out;

	/* the scans, from files/ by their SHA-256 */
	for (int i = 0; i < d->n_items; i++) {
		const struct check_item *it = &d->items[i];
		for (int k = 0; k < it->n_scans; k++) {
			char path[4200];
			unsigned char *data;
			size_t len;
			if (attach_path(x->st, it->scans[k], path, sizeof path) != 0) {
				err_set(x->e, E_STORAGE, "%s", _("path too long"));
				goto out;
			}
			if (read_whole(x, path, &data, &len) != 0) {
				err_add(x->e, E_STORAGE, _("the scan %s of %s %s is missing from the files directory: run dibao check"),
				    it->scans[k], no, it->code);
				goto out;
			}
			const char *kind = scan_kind(data, len);
			snprintf(rel, sizeof rel, "户档案/%s/扫描件/%s-%d.%s", no, it->code, k + 1,
			    kind == NULL ? "bin" : strcmp(kind, "jpeg") == 0 ? "jpg" : kind);
			if (add(x, rel, data, len, kind != NULL) != 0)
				goto out;
		}
	}

	/* the forms printed in the period, printed again as archive copies */
	memset(&fp, 0, sizeof fp);
	fp.no = no;
	fp.from = x->from;
	fp.to = x->to;
	if (prints_list(x->st, pick_print, &fp, x->e) != 0)
		goto out;
	for (int i = 0; i < fp.n; i++) {
		const struct form_def *def = form_find(fp.forms[i]);
		char path[128];
		struct print_job job;
		if (def == NULL || def->needs != FORM_DOSSIER)
			continue;
		snprintf(path, sizeof path, "%s/form.pdf", x->tmpdir);
		memset(&job, 0, sizeof job);
		job.form = def->name;
		job.dossier = no;
		job.copies = 1;
		job.out = path;
		job.opt = x->o->print_opt;
		job.archive_at = x->at;
		if (print_job_run(x->st, x->actor, &job, x->e) != 0) {
			if (x->e->code != E_REFUSED)
				goto out;
			/* no longer applies to the record as it stands: the print
			 * record in the audit entries still names it */
			err_clear(x->e);
			continue;
		}
		snprintf(rel, sizeof rel, "户档案/%s/表单/%s-%s.pdf", no, def->name, def->title);
		if (add_file(x, rel, path, true) != 0)
			goto out;
		unlink(path);
	}
	ret = 0;
out:
	free(d);
	return ret;
}

/* ---- the filing register and the ledgers ------------------------------ */

struct filing_out {
	struct actx *x;
	struct memcsv c;
	int rows;
	bool failed;
};

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
		if (x->nc == x->capc) {
			size_t cap = x->capc ? 2 * x->capc : 16;
			void *v = realloc(x->carry, cap * sizeof *x->carry);
			if (v == NULL) {
				o->failed = true;
				return 1;
			}
			x->carry = v;
			x->capc = cap;
		}
		snprintf(x->carry[x->nc++], FILING_NO_LEN + 1, "%s", f->no);
	}
	id_mask(f->member_id, mask);
	for (int i = 0; i < (f->n_staff ? f->n_staff : 1); i++) {
		const struct kin_filing_staff *s = f->n_staff ? &f->staff[i] : NULL;
		const char *cells[12] = {f->no, f->dossier, f->member_name, mask, s ? s->staff_name : "",
		    s ? kin_relation_term(s->relation)->zh : "", f->note,
		    done ? filing_status_terms[FS_REPORTED].zh : filing_status_terms[FS_PENDING].zh,
		    f->filed_by, date_format(f->filed, b1), done ? f->reviewed_by : "", done ? date_format(f->reviewed, b2) : ""};
		csv_cells(&o->c, cells, 12);
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

struct ledger_out {
	struct actx *x;
	struct memcsv c;
};

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
	csv_cells(&o->c, cells, 13);
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
	csv_cells(&o->c, cells, 11);
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
		return oom(x);
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
		return oom(x);
	}
	return add(x, "说明.txt", (unsigned char *)s, len, false);
}

/* ---- writing ------------------------------------------------------------ */

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aentry *)a)->path, ((const struct aentry *)b)->path);
}

static int
write_entry(struct actx *x, struct archive *a, const struct aentry *en)
{
	struct archive_entry *ent = archive_entry_new();
	int r = ARCHIVE_OK;

	if (ent == NULL)
		return oom(x);
	archive_entry_set_pathname_utf8(ent, en->path);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0644);
	archive_entry_set_size(ent, (la_int64_t)en->len);
	archive_entry_set_mtime(ent, (time_t)x->at, 0);
	if (x->o->format == ARCHIVE_ZIP)
		r = en->store ? archive_write_zip_set_compression_store(a) :
		    archive_write_zip_set_compression_deflate(a);
	if (r != ARCHIVE_OK || archive_write_header(a, ent) != ARCHIVE_OK) {
		archive_entry_free(ent);
		return err_set(x->e, E_STORAGE, "%s: %s: %s", x->o->path, en->path, archive_error_string(a));
	}
	archive_entry_free(ent);
	for (size_t off = 0; off < en->len;) {
		la_ssize_t w = archive_write_data(a, en->data + off, en->len - off);
		if (w <= 0)
			return err_set(x->e, E_STORAGE, "%s: %s: %s", x->o->path, en->path, archive_error_string(a));
		off += (size_t)w;
	}
	return 0;
}

static int
write_archive(struct actx *x, const char *path, const struct aentry *manifest)
{
	struct archive *a = archive_write_new();
	int ret = -1;

	if (a == NULL)
		return oom(x);
	if (x->o->format == ARCHIVE_ZIP) {
		/* before the first header: the UTF-8 flag on every name, so
		 * Windows shows the Chinese names */
		if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
		    archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK)
			goto fail;
	} else {
		/* pax: UTF-8 names in the extended headers; no time in the gzip
		 * header, so the bytes depend on the content only */
		if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK)
			goto fail;
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		goto fail;
	/* the manifest first: a reader sees what to expect before the rest */
	if (write_entry(x, a, manifest) != 0)
		goto out;
	for (size_t i = 0; i < x->n; i++)
		if (write_entry(x, a, &x->v[i]) != 0)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	ret = 0;
	goto out;
fail:
	err_set(x->e, E_STORAGE, "%s: %s", path, archive_error_string(a));
out:
	if (archive_write_free(a) != ARCHIVE_OK && ret == 0)
		ret = err_set(x->e, E_STORAGE, _("%s: closing the archive failed"), path);
	if (ret != 0)
		unlink(path);
	return ret;
}

/* ---- the transaction ---------------------------------------------------- */

static int
record_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct actx *x = baton;
	char key[64], mon[8], list[4096];
	size_t len;

	month_format(x->o->month, mon);
	for (size_t i = 0; i < x->nc; i++)
		if (kin_mark_reported(st, txn, x->carry[i], e) != 0)
			return -1;
	/* the filings this month carries, for an export of the same month
	 * again (then they are reported already) */
	len = (size_t)snprintf(list, sizeof list, "%s", x->reported_before);
	for (size_t i = 0; i < x->nc && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? " " : "", x->carry[i]);
	snprintf(key, sizeof key, "archive.filings.%s", mon);
	return meta_put(st, txn, key, list, e);
}

struct rec2 {
	struct actx *x;
	const char *sha;
	const char *file;
};

static int
record_all(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct rec2 *r = baton;
	struct actx *x = r->x;
	char key[64], mon[8];
	json_t *carried;

	if (record_body(st, txn, x, e) != 0)
		return -1;
	month_format(x->o->month, mon);
	snprintf(key, sizeof key, "archive.manifest.%s", mon);
	if (meta_put(st, txn, key, r->sha, e) != 0)
		return -1;
	if ((carried = json_array()) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	for (size_t i = 0; i < x->nc; i++)
		json_array_append_new(carried, json_string(x->carry[i]));
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:o}", "month", mon, "file", r->file,
	    "format", x->o->format == ARCHIVE_ZIP ? "zip" : "tar.gz", "manifest", r->sha,
	    "entries", (int)x->n + 1, "dossiers", x->m.dossiers, "filings_reported", carried);
	char *detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (detail == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	int ret = audit_append(st, txn, x->actor->login, "archive.export", mon, detail, e);
	free(detail);
	return ret;
}

/* ---- the whole export ---------------------------------------------------- */

static void
actx_free(struct actx *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].path);
		free(x->v[i].data);
	}
	free(x->v);
	free(x->dossiers);
	free(x->carry);
	free(x->audit_buf);
	manifest_free(&x->m);
	if (x->tmpdir[0] != '\0')
		rmdir(x->tmpdir);
}

static int
cancel(struct actx *x)
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

static int
collect(struct actx *x, const char *mon)
{
	struct monthly_report r;
	struct checklist_def defs[MAX_ITEMS];
	int ndefs = 0;
	char path[128], rel[256], prevkey[64], pmon[8];
	int hh, pp;

	/* the monthly report exactly as `report monthly` prints it */
	char rpdf[128], rcsv[128];
	snprintf(rpdf, sizeof rpdf, "%s/report.pdf", x->tmpdir);
	snprintf(rcsv, sizeof rcsv, "%s/report.csv", x->tmpdir);
	struct progress rpg = {report_progress, x};
	const struct progress *rp = x->o->progress && x->o->progress->fn ? &rpg : NULL;
	int rr = report_monthly_write(x->st, x->actor, x->o->month, rpdf, rcsv, rp, x->e);
	if (rr == 0)
		rr = add_file(x, "月报/动态管理月报.pdf", rpdf, true) != 0 ||
		    add_file(x, "月报/动态管理月报.csv", rcsv, false) != 0 ? -1 : 0;
	unlink(rpdf);
	unlink(rcsv);
	if (rr != 0)
		return x->cancelled ? cancel(x) : -1;
	memset(&r, 0, sizeof r);
	if (report_monthly(x->st, x->o->month, &r, rp, x->e) != 0)
		return x->cancelled ? cancel(x) : -1;
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
			return oom(x);
		}
	}
	report_free(&r);

	/* the month's audit entries, and from them the changed dossiers */
	if ((x->audit = open_memstream(&x->audit_buf, &x->audit_len)) == NULL)
		return oom(x);
	int wr = audit_walk(x->st, NULL, audit_one, x, x->e);
	int bad = ferror(x->audit);
	if (fclose(x->audit) != 0 || bad) {
		x->audit = NULL;
		return oom(x);
	}
	x->audit = NULL;
	if (wr != 0)
		return -1;
	if (x->audit_failed)
		return oom(x);
	if (add(x, "审计日志.jsonl", (unsigned char *)x->audit_buf, x->audit_len, false) != 0) {
		x->audit_buf = NULL;
		return -1;
	}
	x->audit_buf = NULL;
	json_t *head = json_pack("{s:I,s:s,s:s}", "count", (json_int_t)x->m.audit_count, "head", x->m.audit_head,
	    "as_of", x->m.exported);
	char *hs = head ? json_dumps(head, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(head);
	if (hs == NULL || add(x, "审计链头.json", (unsigned char *)hs, strlen(hs), false) != 0)
		return hs == NULL ? oom(x) : -1;

	/* each changed dossier */
	if (checklist_template(x->st, NULL, defs, MAX_ITEMS, &ndefs, x->e) != 0)
		return -1;
	if (x->nd > 1)
		qsort(x->dossiers, x->nd, sizeof *x->dossiers, no_cmp);
	int kept = 0;
	for (size_t i = 0; i < x->nd; i++) {
		/* the changed dossiers (forms re-rendered, scans read) are the long
		 * part: tell how far, and stop if asked (nothing written yet) */
		const struct progress *pg = x->o->progress;
		if (pg && pg->fn && i % 20 == 0 && pg->fn((int)i, (int)x->nd, pg->baton))
			return cancel(x);
		int r2 = dossier_entries(x, x->dossiers[i], defs, ndefs);
		if (r2 < 0)
			return -1;
		kept += r2 == 0;
	}
	x->m.dossiers = kept;

	/* the filing register */
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
	if (csv_begin(x, &fo.c, fhead, 12) != 0)
		return -1;
	if (kin_filing_list(x->st, filing_row, &fo, x->e) != 0 || fo.failed) {
		fclose(fo.c.f);
		free(fo.c.buf);
		return fo.failed ? oom(x) : -1;
	}
	x->m.filings = fo.rows;
	if (csv_end(x, &fo.c, "备案名册.csv") != 0)
		return -1;
	/* the kin-filing cases: those this archive reports (again) */
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
				return oom(x);
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
				return oom(x);
		}
	}

	/* the ledgers */
	static const char *const chead[] = {
		"线索编号", "受理日期", "来源渠道", "关联档案", "反映内容", "问题类别", "承办人", "办理期限",
		"办理进展", "核查结论", "处理措施", "移交纪检", "销号日期",
	};
	struct ledger_out lo = {.x = x};
	if (csv_begin(x, &lo.c, chead, 13) != 0)
		return -1;
	if (clue_list(x->st, clue_row, &lo, x->e) != 0) {
		fclose(lo.c.f);
		free(lo.c.buf);
		return -1;
	}
	if (csv_end(x, &lo.c, "举报线索台账.csv") != 0)
		return -1;
	static const char *const xhead[] = {
		"整改编号", "登记日期", "问题", "问题来源", "整改措施", "责任人", "整改期限", "整改进展",
		"整改证据", "状态", "销号日期",
	};
	if (csv_begin(x, &lo.c, xhead, 11) != 0)
		return -1;
	if (fix_list(x->st, fix_row, &lo, x->e) != 0) {
		fclose(lo.c.f);
		free(lo.c.buf);
		return -1;
	}
	if (csv_end(x, &lo.c, "整改台账.csv") != 0)
		return -1;

	/* the roster, XLSX for the county's Excel and CSV for its import */
	snprintf(path, sizeof path, "%s/roster.xlsx", x->tmpdir);
	if (roster_export_at(x->st, x->actor, path, x->at, &hh, &pp, x->e) != 0)
		return -1;
	snprintf(rel, sizeof rel, "花名册.xlsx");
	int ar = add_file(x, rel, path, true);
	unlink(path);
	if (ar != 0)
		return -1;
	snprintf(path, sizeof path, "%s/roster.csv", x->tmpdir);
	if (roster_export_at(x->st, x->actor, path, x->at, &hh, &pp, x->e) != 0)
		return -1;
	ar = add_file(x, "花名册.csv", path, false);
	unlink(path);
	if (ar != 0)
		return -1;

	if (readme(x, mon) != 0)
		return -1;

	/* the chain: the manifest of the latest archive exported before this
	 * month (a month without an archive does not break the chain) */
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
archive_export(struct store *st, const struct user *actor, const struct archive_export_opts *o,
    struct archive_export_result *res, struct err *e)
{
	struct actx x;
	char mon[8], kind[32], tmp[4200];
	int64_t cutoff;
	struct tm tm;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.st = st;
	x.actor = actor;
	x.o = o;
	x.e = e;
	if (store_require(actor, ACT_READ_CONFIDENTIAL, e) != 0)
		return -1;
	if (meta_get(st, NULL, "kind", kind, sizeof kind, e) == 0 && strcmp(kind, "county") == 0)
		return err_set(e, E_REFUSED, "%s", _("this is a county database: archives are exported by townships"));
	err_clear(e);
	if (setting_get(st, NULL, "township.code", x.code, sizeof x.code, e) != 0 ||
	    setting_get(st, NULL, "township.name", x.name, sizeof x.name, e) != 0 ||
	    setting_get_int(st, NULL, "report.cutoff.day", &cutoff, e) != 0)
		return -1;
	report_period(o->month, (int)cutoff, &x.from, &x.to);
	month_format(o->month, mon);
	if (store_today() < x.to) {
		char d[11];
		return err_set(e, E_REFUSED, _("the period of %s ends on %s: its archive can be exported from that day on"),
		    mon, date_format(x.to, d));
	}
	/* every time in the archive is the period's last second */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = date_year(x.to) - 1900;
	tm.tm_mon = date_month(x.to) - 1;
	tm.tm_mday = date_day(x.to);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	x.at = (int64_t)mktime(&tm);

	x.m.version = ARCHIVE_VERSION;
	snprintf(x.m.township_code, sizeof x.m.township_code, "%s", x.code);
	snprintf(x.m.township_name, sizeof x.m.township_name, "%s", x.name);
	x.m.period = o->month;
	x.m.from = x.from;
	x.m.to = x.to;
	snprintf(x.m.exported, sizeof x.m.exported, "%04d-%02d-%02dT23:59:59", date_year(x.to), date_month(x.to),
	    date_day(x.to));
	snprintf(x.m.op, sizeof x.m.op, "%s", actor->login);
	manifest_top(&x.m, x.top, sizeof x.top);

	const char *td = getenv("TMPDIR");
	snprintf(x.tmpdir, sizeof x.tmpdir, "%s/dibao-archive.XXXXXX", td && *td && strlen(td) < 40 ? td : "/tmp");
	if (mkdtemp(x.tmpdir) == NULL) {
		err_set(e, E_STORAGE, _("cannot create a temporary directory: %s"), strerror(errno));
		x.tmpdir[0] = '\0';
		goto fail;
	}
	if (collect(&x, mon) != 0)
		goto fail;

	/* the manifest lists every other entry */
	qsort(x.v, x.n, sizeof *x.v, entry_cmp);
	for (size_t i = 0; i < x.n; i++) {
		if (i > 0 && strcmp(x.v[i - 1].path, x.v[i].path) == 0) {
			err_set(e, E_STORAGE, _("archive: %s twice"), x.v[i].path);
			goto fail;
		}
		if (manifest_add_file(&x.m, x.v[i].path, x.v[i].data, x.v[i].len) != 0) {
			oom(&x);
			goto fail;
		}
	}
	x.m.files = (int)x.m.n_files;
	x.m.audit_entries = x.audit_entries;
	size_t mlen;
	char *mtext = manifest_dump(&x.m, &mlen);
	if (mtext == NULL) {
		oom(&x);
		goto fail;
	}
	struct aentry me;
	char mpath[128];
	snprintf(mpath, sizeof mpath, "%s/%s", x.top, ARCHIVE_MANIFEST);
	me.path = mpath;
	me.data = (unsigned char *)mtext;
	me.len = mlen;
	me.store = false;
	sha256_hex(mtext, mlen, res->manifest_sha);

	/* written beside the target, renamed into place, then recorded */
	if (snprintf(tmp, sizeof tmp, "%s.part", o->path) >= (int)sizeof tmp) {
		free(mtext);
		err_set(e, E_USAGE, "%s", _("path too long"));
		goto fail;
	}
	int wr = write_archive(&x, tmp, &me);
	free(mtext);
	if (wr != 0)
		goto fail;
	if (rename(tmp, o->path) != 0) {
		err_set(e, E_STORAGE, _("cannot write %s: %s"), o->path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	const char *base = strrchr(o->path, '/');
	struct rec2 r2 = {&x, res->manifest_sha, base ? base + 1 : o->path};
	if (store_txn_run(st, record_all, &r2, e) != 0) {
		unlink(o->path);
		goto fail;
	}
	snprintf(res->top, sizeof res->top, "%s", x.top);
	res->entries = (int)x.n + 1;
	res->dossiers = x.m.dossiers;
	res->filings_reported = (int)x.nc;
	actx_free(&x);
	return 0;
fail:
	actx_free(&x);
	return -1;
}
