/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster-in.c — migration from the Excel ledgers (花名册) townships keep
 * today: find the columns by their Chinese headers, check every row with
 * the same core checks as typed input, group persons into households by
 * the head's ID number, check R7 across the file and against the
 * database, and only when nothing at all is wrong write the households.
 *
 * Writing: the whole file is validated first, then written in one
 * transaction, so all or nothing holds exactly (measured: 101,124 rows,
 * 34,008 households in 3.3 s, within the environment's lock table).  Only
 * if that transaction fails for a storage reason (a file beyond the lock
 * table or log space) — rolled back whole — is it written again in
 * transactions of ROSTER_BATCH households; should a later batch fail,
 * the report says how many were committed.  See docs/IMPORT.md.
 *
 * A CSV or an XLSX is checked a row at a time as it is read, each row then
 * packed into an enciphered temporary file (roster-row.c), and the checks
 * across rows read it through sorts in bounded runs (store/spill.c): memory
 * grows neither with the file (issue 16 point 9) nor with its rows (issue
 * 17).  This file: the headers,
 * the reading and the import; roster-row.c one row; roster-households.c
 * the checks across rows and the writing; roster-problem.c the report.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "import/encoding.h"
#include "import/roster.h"
#include "import/sheet.h"
#include "import/xlsx.h"
#include "import/roster-int.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/scratch.h"
#include "store/user.h"
#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/terms.h"

/* Accepted headers of each column (docs/IMPORT.md lists them); compared
 * after dropping spaces, "(元)" and the difference of full- and half-width
 * brackets. */
static const char *const col_names[C__N][8] = {
	[C_NAME] = {"姓名", "成员姓名", "家庭成员姓名", "保障对象姓名"},
	[C_ID] = {"身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"},
	[C_REL] = {"与户主关系", "与户主的关系", "关系", "家庭关系"},
	[C_HEAD_ID] = {"户主身份证号", "户主身份证号码", "户主公民身份号码", "户主身份证"},
	[C_VILLAGE] = {"村/社区", "村(社区)", "村（居）", "村(居)", "村社区", "村", "社区", "所在村"},
	[C_GROUP] = {"组", "村民小组", "小组", "组别"},
	[C_AREA] = {"城乡类别", "城乡", "类别", "保障类别", "城市/农村"},
	[C_AMOUNT] = {"月保障金额", "月保障金", "保障金额", "月补助金额", "月发放金额", "月享受金额"},
	[C_STATUS] = {"状态", "保障状态", "在保状态"},
	[C_SUPPORT] = {"保障类型", "保障方式", "施保类型"},
	[C_DIS_KIND] = {"残疾类别", "残疾类型"},
	[C_DIS_GRADE] = {"残疾等级", "残疾级别"},
	[C_HEALTH] = {"健康状况", "健康状态"},
	[C_PHONE] = {"联系电话", "电话", "手机号码", "联系方式"},
	[C_ADDRESS] = {"家庭住址", "住址", "地址", "家庭地址"},
	[C_BANK] = {"开户银行", "开户行", "银行"},
	[C_ACCOUNT] = {"银行账号", "银行帐号", "账号", "帐号", "一卡通账号", "社保卡号"},
	[C_POOR] = {"建档立卡", "是否建档立卡", "建档立卡户"},
	[C_DATE] = {"批准日期", "审批日期", "起保日期", "保障起始日期"},
	[C_GUARANTEED] = {"是否保障对象", "享受低保", "是否享受"},
	[C_HOLDER] = {"持卡人身份证号", "持卡人身份证号码", "持卡人公民身份号码", "持卡人证件号码", "持卡人身份证"},
};
static const bool col_required[C__N] = {
	[C_NAME] = true, [C_ID] = true, [C_REL] = true, [C_HEAD_ID] = true,
	[C_VILLAGE] = true, [C_AREA] = true, [C_AMOUNT] = true,
};

/* Words ledgers use besides the SPEC's terms */

/* ---- headers ---------------------------------------------------------- */

/* Header text without spaces, with ASCII brackets and slash, without (元) */
static void
header_norm(const char *in, char *out, size_t size)
{
	size_t o = 0;
	while (*in && o + 4 < size) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r') {
			in++;
		} else if (strncmp(in, "\xE3\x80\x80", 3) == 0) {          /* ideographic space */
			in += 3;
		} else if (strncmp(in, "（", 3) == 0) {
			out[o++] = '(';
			in += 3;
		} else if (strncmp(in, "）", 3) == 0) {
			out[o++] = ')';
			in += 3;
		} else if (strncmp(in, "／", 3) == 0) {
			out[o++] = '/';
			in += 3;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
	char *y = strstr(out, "(元)");
	if (y != NULL)
		memmove(y, y + 5, strlen(y + 5) + 1);
}

/* Headers of the income columns besides the kind's own term (SPEC 2, 3),
 * and the term with 收入 after it or 月 before it (i12) */
static const struct { const char *word; int kind; } inc_synonyms[] = {
	{"其他收入", INC_OTHER}, {"工资收入", INC_WAGE}, {"经营收入", INC_BUSINESS}, {"财产收入", INC_PROPERTY},
	{"转移收入", INC_TRANSFER}, {"养老保险金", INC_PENSION}, {"退休金", INC_PENSION},
	{"抚恤补助", INC_EX_SPECIAL_CARE}, {"优抚金", INC_EX_SPECIAL_CARE},
	{"奖励扶助金", INC_EX_FAMILY_PLANNING}, {"奖学金", INC_EX_SCHOLARSHIP}, {"助学金", INC_EX_SCHOLARSHIP},
	{"困难残疾人生活补贴", INC_EX_DISABILITY}, {"重度残疾人护理补贴", INC_EX_DISABILITY},
	{"残疾人补贴", INC_EX_DISABILITY}, {"独生子女父母奖励费", INC_EX_ONE_CHILD},
};

/* a normalised header without "(元/月)" or "/月" after it (as "(元)" is
 * dropped); -1 when nothing is left */
static int
inc_strip(const char *n, char *w, size_t size)
{
	size_t len = strlen(n);
	if (len > 9 && strcmp(n + len - 9, "(元/月)") == 0)
		len -= 9;
	else if (len > 4 && strcmp(n + len - 4, "/月") == 0)
		len -= 4;
	if (len == 0 || len >= size)
		return -1;
	memcpy(w, n, len);
	w[len] = '\0';
	return 0;
}

static int
inc_header(const char *n)
{
	char w[256];
	if (inc_strip(n, w, sizeof w) != 0)
		return -1;
	for (int k = 0; k < INC__N; k++) {
		const char *t = income_terms[k].zh;
		size_t tl = strlen(t);
		if (k == INC_OTHER)         /* a bare 其他 is no income column */
			continue;
		const char *p = strncmp(w, "月", 3) == 0 ? w + 3 : w;
		if (strncmp(p, t, tl) == 0 && (p[tl] == '\0' || strcmp(p + tl, "收入") == 0))
			return k;
	}
	for (size_t i = 0; i < sizeof inc_synonyms / sizeof inc_synonyms[0]; i++)
		if (strcmp(w, inc_synonyms[i].word) == 0)
			return inc_synonyms[i].kind;
	return -1;
}

static int
header_col(const char *text)
{
	char n[256];
	header_norm(text, n, sizeof n);
	for (int c = 0; c < C__N; c++)
		for (int k = 0; k < 8 && col_names[c][k]; k++) {
			char w[128];
			header_norm(col_names[c][k], w, sizeof w);
			if (strcmp(n, w) == 0)
				return c;
		}
	int k = inc_header(n);
	return k >= 0 ? C_INC + k : -1;
}

/* The header row: the first of the first 10 rows naming 姓名 and 身份证号
 * (ledgers often have a title row or two above it). */
static int
find_header(struct ctx *c, const struct sheet *s)
{
	for (int i = 0; i < s->n && i < 10; i++) {
		int idx[C_ALL];
		for (int k = 0; k < C_ALL; k++)
			idx[k] = -1;
		int nloc = 0;
		for (int k = 0; k < s->rows[i].n; k++) {
			int col = header_col(sheet_cell(&s->rows[i], k));
			if (col >= 0 && idx[col] < 0)
				idx[col] = k;
			/* j12: an income the township excludes, by its name */
			char n[256], w[256], name[TEXT_SHORT];
			header_norm(sheet_cell(&s->rows[i], k), n, sizeof n);
			if (col < 0 && inc_strip(n, w, sizeof w) == 0) {
				int r = income_local_find(c->st, NULL, w, name, c->e);
				if (r < 0)
					return -2;
				if (r == 1 && nloc < N_LOCAL) {
					memcpy(c->loc_name[nloc], name, sizeof name);
					idx[C_LOC + nloc++] = k;
				}
			}
		}
		if (idx[C_NAME] < 0 || idx[C_ID] < 0)
			continue;
		for (int k = 0; k < C_ALL; k++) {
			c->colidx[k] = idx[k];
			c->colname[k] = idx[k] >= 0 ? sheet_cell(&s->rows[i], idx[k]) :
			    k < C__N ? col_names[k][0] : k < C_LOC ? income_terms[k - C_INC].zh : "";
		}
		return i;
	}
	return -1;
}

static int
read_input(const char *path, struct sheet *s, struct roster_result *res, struct err *e)
{
	FILE *f;
	enum text_enc enc;
	unsigned char magic[4] = {0};

	if ((f = fopen(path, "rb")) == NULL)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	size_t m = fread(magic, 1, 4, f);
	if (m == 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
		fclose(f);
		res->encoding = "XLSX";
		return xlsx_read(path, NULL, s, e);
	}
	if (m == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		fclose(f);
		return err_set(e, E_REFUSED, _("%s: an old Excel .xls file; save it as .xlsx or CSV first"), path);
	}
	rewind(f);
	/* issue 16 point 9: streamed, a block and a row at a time; only rows
	 * with a cell are kept, never the file or its UTF-8 copy */
	int r = csv_read_file(f, s, &enc, e);
	fclose(f);
	if (r != 0)
		return -1;
	res->encoding = enc == ENC_UTF8 ? "UTF-8" : "GB18030";
	return r;
}

static bool
row_blank(const struct sheet_row *r)
{
	for (int k = 0; k < r->n; k++)
		if (r->cell[k] && strspn(r->cell[k], " \t\r\n") != strlen(r->cell[k]))
			return false;
	return true;
}

/* The header row, once the first 10 rows are in (or the file ended): 0,
 * or -1 with e set (no header, a required column missing) */
static int
header_found(struct ctx *c, const struct sheet *s)
{
	if ((c->hdr = find_header(c, s)) == -2)
		return -1;
	if (c->hdr < 0)
		return err_set(c->e, E_REFUSED, _("%s: no header row naming 姓名 and 身份证号 in the first 10 rows"), c->path);
	for (int k = 0; k < C__N; k++)
		if (col_required[k] && c->colidx[k] < 0)
			err_add(c->e, E_REFUSED, _("the column %s is missing (docs/IMPORT.md lists the accepted headers)"),
			    col_names[k][0]);
	return c->e->code != E_OK ? -1 : 0;
}

/* The rows read so far below the header: each checked, packed away
 * (roster-row.c) and given back to the sheet at once, so neither the sheet
 * nor the rows are held (issues 16 point 9, 17).  Called as the CSV reader completes each
 * row (csv_read_file_rows), and once at the end with eof. */
static int
take_rows(struct ctx *c, struct sheet *s, bool eof)
{
	if (c->hdr < 0) {
		if (s->n < 11 && !eof)
			return 0;
		if (header_found(c, s) != 0)
			return -1;
	}
	for (int i = c->hdr + 1; i < s->n; i++) {
		struct prow p;
		int r = 0;
		if (!row_blank(&s->rows[i])) {
			r = row_check(c, &s->rows[i], &p);
			r = r == 0 ? row_keep(c, &p) : (row_free(&p), r);
		}
		for (int k = 0; k < s->rows[i].n; k++)
			free(s->rows[i].cell[k]);
		free(s->rows[i].cell);
		s->rows[i].cell = NULL;
		s->rows[i].n = 0;
		if (r != 0)
			return -1;
	}
	s->n = c->hdr + 1;
	return 0;
}

static int
take_rows_cb(struct sheet *s, void *baton)
{
	return take_rows(baton, s, false);
}

/* The file read and every row checked: the roster's own reading, a CSV
 * or an XLSX streamed through take_rows */
static int
read_rows(struct ctx *c, struct sheet *s)
{
	FILE *f;
	enum text_enc enc;
	unsigned char magic[4] = {0};
	const char *path = c->path;

	memset(s, 0, sizeof *s);
	if ((f = fopen(path, "rb")) == NULL)
		return err_set(c->e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	size_t m = fread(magic, 1, 4, f);
	if (m == 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
		/* streamed too (issue 17), the shared strings held */
		fclose(f);
		c->res->encoding = "XLSX";
		if (xlsx_read_rows(path, NULL, s, take_rows_cb, c, c->e) != 0)
			return -1;
		return take_rows(c, s, true);
	}
	if (m == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		fclose(f);
		return read_input(path, s, c->res, c->e);      /* refused, named */
	}
	rewind(f);
	int r = csv_read_file_rows(f, s, &enc, take_rows_cb, c, c->e);
	fclose(f);
	if (r != 0)
		return -1;
	c->res->encoding = enc == ENC_UTF8 ? "UTF-8" : "GB18030";
	return take_rows(c, s, true);
}

int
roster_import(struct store *st, const struct user *actor, const char *path, bool dry_run,
    struct roster_result *res, struct err *e)
{
	return roster_import_progress(st, actor, path, dry_run, NULL, res, e);
}

/* The villages the file adds, once every row and household is checked
 * (cross_check counted the households and their total) */
static void
result_fill(struct ctx *c)
{
	struct roster_result *res = c->res;

	for (int i = 0; i < c->nvc; i++) {
		if (!c->vc[i].is_new)
			continue;
		if (res->n_villages == 64) {
			problem(c, c->vc[i].first_line, C_VILLAGE, "%s", _("more than 64 new villages: add them first with dibao village add"));
			break;
		}
		snprintf(res->villages[res->n_villages++], TEXT_SHORT, "%s", c->vc[i].v.name);
	}
	res->persons = c->n;
}

int
roster_import_progress(struct store *st, const struct user *actor, const char *path, bool dry_run,
    const struct progress *progress, struct roster_result *res, struct err *e)
{
	struct sheet s;
	struct ctx c;
	struct scratch sc;
	int ret = -1;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	memset(&s, 0, sizeof s);
	memset(&sc, 0, sizeof sc);
	c.st = st;
	c.actor = actor;
	c.res = res;
	c.e = e;
	c.path = path;
	c.hdr = -1;
	c.dry_run = dry_run;
	c.today = store_today();
	c.sc = &sc;
	cross_init(&c);
	if (store_require(actor, ACT_SETTINGS, e) != 0)
		return -1;
	/* issue 17: the rows go to an enciphered temporary file, not memory */
	if (scratch_open(&sc) != 0)
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno));
	if (read_rows(&c, &s) != 0)
		goto done;
	res->rows = c.n;
	if (c.n == 0) {
		err_set(e, E_REFUSED, _("%s: no data rows below the header"), path);
		goto done;
	}
	if (cross_check(&c) != 0)
		goto done;
	result_fill(&c);
	if (res->problems > 0) {
		err_set(e, E_REFUSED, _("%d problem(s) in %s: nothing was imported"), res->problems, path);
		goto done;
	}
	ret = dry_run ? 0 : roster_write(&c, progress);
done:
	report_tail(&c);
	cross_free(&c);
	scratch_close(&sc);
	free(c.vc);
	sheet_free(&s);
	return ret;
}

void
roster_result_free(struct roster_result *res)
{
	free(res->report);
	res->report = NULL;
}

/* ---- shared with the bank's return file (import/payment-in.c, issue 13) -- */

int
sheet_read_path(const char *path, struct sheet *s, const char **encoding, struct err *e)
{
	struct roster_result res;
	int r;

	memset(&res, 0, sizeof res);
	r = read_input(path, s, &res, e);
	*encoding = res.encoding;
	return r;
}

void
header_normalize(const char *in, char *out, size_t size)
{
	header_norm(in, out, size);
}
