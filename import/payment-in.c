/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-in.c — the bank's return file (回盘文件) of a payment batch
 * (issue 13): CSV in UTF-8 or GBK, or XLSX, with the columns 账号, 户名,
 * 金额, 状态 (成功/失败) and 备注 found by their headers the way roster
 * import finds its own (spaces, bracket widths and "(元)" ignored).  Every
 * row is checked; a file with any bad row is refused whole, naming each.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "import/import.h"
#include "core/core.h"
#include "store/payment.h"

#include "store/audit.h"
#include "store/err.h"

enum bcol { B_ACCOUNT = 0, B_NAME, B_AMOUNT, B_STATUS, B_REMARK, B__N };

static const char *const bcol_names[B__N][8] = {
	[B_ACCOUNT] = {"账号", "银行账号", "银行帐号", "帐号", "卡号", "一卡通账号", "收款账号"},
	[B_NAME] = {"户名", "姓名", "持卡人", "持卡人姓名", "账户名称", "收款人"},
	[B_AMOUNT] = {"金额", "发放金额", "实发金额", "交易金额", "代发金额"},
	[B_STATUS] = {"状态", "处理状态", "交易状态", "结果", "处理结果", "发放结果"},
	[B_REMARK] = {"备注", "失败原因", "说明", "附言", "处理说明"},
};
static const bool bcol_required[B__N] = {[B_ACCOUNT] = true, [B_AMOUNT] = true, [B_STATUS] = true};

#define MAX_NAMED 40   /* bad rows named one by one; the rest counted */

static int
bcol_of(const char *text)
{
	char n[256], w[128];
	header_normalize(text, n, sizeof n);
	for (int c = 0; c < B__N; c++)
		for (int k = 0; k < 8 && bcol_names[c][k]; k++) {
			header_normalize(bcol_names[c][k], w, sizeof w);
			if (strcmp(n, w) == 0)
				return c;
		}
	return -1;
}

static void
trimmed(const char *s, char *out, size_t size)
{
	while (*s == ' ' || *s == '\t')
		s++;
	snprintf(out, size, "%s", s);
	for (size_t n = strlen(out); n > 0 && strchr(" \t\r\n", out[n - 1]); n--)
		out[n - 1] = '\0';
}

static int
file_sha(const char *path, char out[65], struct err *e)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536], h[32];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return err_set(e, E_REFUSED, _("%s: %s"), path, strerror(errno));
	crypto_hash_sha256_init(&st);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		crypto_hash_sha256_update(&st, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return err_set(e, E_REFUSED, _("%s: cannot read"), path);
	crypto_hash_sha256_final(&st, h);
	hex32(h, out);
	return 0;
}

struct problems {
	int n;
	struct err *e;
	const char *head[B__N];
};

static void
bad(struct problems *p, int line, int col, const char *why)
{
	char text[1400];
	size_t n;
	if (p->n++ >= MAX_NAMED)
		return;
	/* roster import's wording, one line each */
	snprintf(text, sizeof text, _("row %d, column %s: %s\n"), line, p->head[col], why);
	n = strlen(text);
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	err_add(p->e, E_REFUSED, "%s", text);
}

int
bank_file_read(const char *path, struct recon_input_row **rows, size_t *n, char sha[65], struct err *e)
{
	struct sheet s = {0};
	const char *enc = NULL;
	int idx[B__N], hdr = -1;
	struct recon_input_row *v = NULL;
	size_t nv = 0;
	struct problems p = {0, e, {0}};

	*rows = NULL;
	*n = 0;
	if (file_sha(path, sha, e) != 0)
		return -1;
	if (sheet_read_path(path, &s, &enc, e) != 0)
		return -1;
	for (int i = 0; i < s.n && i < 10 && hdr < 0; i++) {
		for (int k = 0; k < B__N; k++)
			idx[k] = -1;
		for (int k = 0; k < s.rows[i].n; k++) {
			int c = bcol_of(sheet_cell(&s.rows[i], k));
			if (c >= 0 && idx[c] < 0)
				idx[c] = k;
		}
		if (idx[B_ACCOUNT] >= 0 && idx[B_AMOUNT] >= 0) {
			hdr = i;
			for (int k = 0; k < B__N; k++)
				p.head[k] = idx[k] >= 0 ? sheet_cell(&s.rows[i], idx[k]) : bcol_names[k][0];
		}
	}
	if (hdr < 0) {
		err_set(e, E_REFUSED, _("%s: no header row naming 账号 and 金额 in the first 10 rows"), path);
		goto fail;
	}
	for (int k = 0; k < B__N; k++)
		if (bcol_required[k] && idx[k] < 0)
			err_add(e, E_REFUSED, _("the column %s is missing"), bcol_names[k][0]);
	if (e->code != E_OK)
		goto fail;
	if ((v = calloc((size_t)s.n + 1, sizeof *v)) == NULL) {
		err_set(e, E_STORAGE, "%s", _("out of memory"));
		goto fail;
	}
	for (int i = hdr + 1; i < s.n; i++) {
		const struct sheet_row *r = &s.rows[i];
		char cell[B__N][CSV_MAX_CELL + 1];
		const char *why;
		bool blank = true;
		for (int k = 0; k < B__N; k++) {
			trimmed(idx[k] >= 0 ? sheet_cell(r, idx[k]) : "", cell[k], sizeof cell[k]);
			blank &= cell[k][0] == '\0';
		}
		if (blank)
			continue;
		struct recon_input_row *x = &v[nv++];
		x->line = r->line;
		if (account_normalize(cell[B_ACCOUNT], x->account, &why) != 0)
			bad(&p, r->line, B_ACCOUNT, _(why));
		/* amounts as banks write them: 1,234.50 */
		char amt[64];
		size_t o = 0;
		for (const char *q = cell[B_AMOUNT]; *q && o + 1 < sizeof amt; q++)
			if (*q != ',')
				amt[o++] = *q;
		amt[o] = '\0';
		if (cell[B_AMOUNT][0] == '\0')
			bad(&p, r->line, B_AMOUNT, _("empty"));
		else if (money_parse(amt, &x->amount, &why) != 0)
			bad(&p, r->line, B_AMOUNT, _(why));
		if (strcmp(cell[B_STATUS], "成功") == 0 || strcasecmp(cell[B_STATUS], "success") == 0)
			x->ok = true;
		else if (strcmp(cell[B_STATUS], "失败") == 0 || strcasecmp(cell[B_STATUS], "failed") == 0)
			x->ok = false;
		else
			bad(&p, r->line, B_STATUS, _("must be 成功 or 失败"));
		if (text_set(x->name, sizeof x->name, cell[B_NAME], &why) != 0)
			bad(&p, r->line, B_NAME, _(why));
		if (text_set(x->remark, sizeof x->remark, cell[B_REMARK], &why) != 0)
			bad(&p, r->line, B_REMARK, _(why));
	}
	if (p.n > MAX_NAMED)
		err_add(e, E_REFUSED, _("... and %d more problem(s)"), p.n - MAX_NAMED);
	if (p.n > 0) {
		err_add(e, E_REFUSED, _("%d problem(s) in %s: nothing was reconciled"), p.n, path);
		goto fail;
	}
	if (nv == 0) {
		err_set(e, E_REFUSED, _("%s: no data rows below the header"), path);
		goto fail;
	}
	sheet_free(&s);
	*rows = v;
	*n = nv;
	return 0;
fail:
	free(v);
	sheet_free(&s);
	return -1;
}
