/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-in.c — the bank's return file (回盘文件) of a payment batch
 * (issue 13): CSV in UTF-8 or GBK, or XLSX, with the columns 账号, 户名,
 * 金额, 状态 (成功/失败) and 备注 found by their headers the way roster
 * import finds its own (spaces, bracket widths and "(元)" ignored).  Every
 * row is checked; a file with any bad row is refused whole, naming each.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "import/encoding.h"
#include "import/payment-files.h"
#include "import/sheet.h"
#include "import/xlsx.h"
#include "core/base.h"
#include "core/card.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/text.h"
#include "store/payment.h"

#include "store/audit.h"
#include "store/err.h"
#include "core/array.h"

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

/*
 * The file read a row at a time (issue 13): the header among the first 10
 * rows, then each data row checked and, once the whole file was found
 * good, handed to the reconciliation.  A CSV is streamed (import/csv.c);
 * an XLSX is read as its sheet.
 */
struct bparse {
	const char *path;
	struct err *e;
	int idx[B__N];
	char headbuf[B__N][CSV_MAX_CELL + 1];
	bool have_hdr;
	int seen;                      /* rows looked at for the header */
	struct problems p;
	size_t nrows;
	recon_row_fn fn;               /* NULL: only check */
	void *sink;
	bool stopped;                  /* fn said stop: e is its */
	struct recon_input_row x;
};

static int
find_header(struct bparse *b, const struct sheet_row *r)
{
	for (int k = 0; k < B__N; k++)
		b->idx[k] = -1;
	for (int k = 0; k < r->n; k++) {
		int c = bcol_of(sheet_cell(r, k));
		if (c >= 0 && b->idx[c] < 0)
			b->idx[c] = k;
	}
	if (b->idx[B_ACCOUNT] < 0 || b->idx[B_AMOUNT] < 0)
		return 0;
	b->have_hdr = true;
	for (int k = 0; k < B__N; k++) {
		snprintf(b->headbuf[k], sizeof b->headbuf[k], "%s",
		    b->idx[k] >= 0 ? sheet_cell(r, b->idx[k]) : bcol_names[k][0]);
		b->p.head[k] = b->headbuf[k];
	}
	for (int k = 0; k < B__N; k++)
		if (bcol_required[k] && b->idx[k] < 0)
			err_add(b->e, E_REFUSED, _("the column %s is missing"), bcol_names[k][0]);
	return b->e->code != E_OK ? -1 : 0;
}

/* One data row into b->x; false: blank */
static bool
data_row(struct bparse *b, const struct sheet_row *r)
{
	char cell[B__N][CSV_MAX_CELL + 1];
	struct recon_input_row *x = &b->x;
	struct problems *p = &b->p;
	const char *why;
	bool blank = true;

	for (int k = 0; k < B__N; k++) {
		trimmed(b->idx[k] >= 0 ? sheet_cell(r, b->idx[k]) : "", cell[k], sizeof cell[k]);
		blank &= cell[k][0] == '\0';
	}
	if (blank)
		return false;
	memset(x, 0, sizeof *x);
	x->line = r->line;
	if (account_normalize(cell[B_ACCOUNT], x->account, &why) != 0)
		bad(p, r->line, B_ACCOUNT, _(why));
	/* amounts as banks write them: 1,234.50 */
	char amt[64];
	size_t o = 0;
	for (const char *q = cell[B_AMOUNT]; *q && o + 1 < sizeof amt; q++)
		if (*q != ',')
			amt[o++] = *q;
	amt[o] = '\0';
	if (cell[B_AMOUNT][0] == '\0')
		bad(p, r->line, B_AMOUNT, _("empty"));
	else if (money_parse(amt, &x->amount, &why) != 0)
		bad(p, r->line, B_AMOUNT, _(why));
	if (strcmp(cell[B_STATUS], "成功") == 0 || strcasecmp(cell[B_STATUS], "success") == 0)
		x->ok = true;
	else if (strcmp(cell[B_STATUS], "失败") == 0 || strcasecmp(cell[B_STATUS], "failed") == 0)
		x->ok = false;
	else
		bad(p, r->line, B_STATUS, _("must be 成功 or 失败"));
	if (text_set(x->name, sizeof x->name, cell[B_NAME], &why) != 0)
		bad(p, r->line, B_NAME, _(why));
	if (text_set(x->remark, sizeof x->remark, cell[B_REMARK], &why) != 0)
		bad(p, r->line, B_REMARK, _(why));
	return true;
}

static int
brow(const struct sheet_row *r, void *baton)
{
	struct bparse *b = baton;

	if (!b->have_hdr) {
		if (b->seen++ >= 10)
			return err_set(b->e, E_REFUSED, _("%s: no header row naming 账号 and 金额 in the first 10 rows"),
			    b->path);
		return find_header(b, r);
	}
	if (!data_row(b, r))
		return 0;
	b->nrows++;
	if (b->fn == NULL || b->p.n > 0)
		return 0;
	if (b->fn(&b->x, b->sink) != 0) {
		b->stopped = true;
		return -1;
	}
	return 0;
}

/* Every row of the file through brow; 0, or -1 with e set */
static int
bparse_run(struct bparse *b)
{
	unsigned char magic[4] = {0};
	enum text_enc enc;
	FILE *f;
	int r = 0;

	b->have_hdr = false;
	b->seen = 0;
	b->nrows = 0;
	b->p.n = 0;
	b->p.e = b->e;
	if ((f = fopen(b->path, "rb")) == NULL)
		return err_set(b->e, E_REFUSED, _("%s: %s"), b->path, strerror(errno));
	size_t m = fread(magic, 1, 4, f);
	if (m == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		fclose(f);
		return err_set(b->e, E_REFUSED, _("%s: an old Excel .xls file; save it as .xlsx or CSV first"), b->path);
	}
	if (m == 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
		struct sheet s = {0};
		fclose(f);
		if (xlsx_read(b->path, NULL, &s, b->e) != 0)
			return -1;
		for (int i = 0; i < s.n && r == 0; i++)
			r = brow(&s.rows[i], b);
		sheet_free(&s);
	} else {
		rewind(f);
		r = csv_read_rows(f, brow, b, &enc, b->e);
		fclose(f);
	}
	if (r != 0)
		return -1;
	if (!b->have_hdr)
		return err_set(b->e, E_REFUSED, _("%s: no header row naming 账号 and 金额 in the first 10 rows"), b->path);
	if (b->p.n > MAX_NAMED)
		err_add(b->e, E_REFUSED, _("... and %d more problem(s)"), b->p.n - MAX_NAMED);
	if (b->p.n > 0) {
		err_add(b->e, E_REFUSED, _("%d problem(s) in %s: nothing was reconciled"), b->p.n, b->path);
		return -1;
	}
	if (b->nrows == 0)
		return err_set(b->e, E_REFUSED, _("%s: no data rows below the header"), b->path);
	return 0;
}

/* recon_feed_fn: the checked file again, each row to fn */
static int
bparse_feed(void *src, recon_row_fn fn, void *sink, struct err *e)
{
	struct bparse *b = src;
	struct err mine = {0};

	b->fn = fn;
	b->sink = sink;
	b->stopped = false;
	b->e = &mine;
	int r = bparse_run(b);
	b->e = e;
	if (r == 0)
		return 0;
	if (b->stopped)
		return -1;             /* fn's error, in e already */
	/* it was good a moment ago */
	return err_set(e, E_REFUSED, _("%s changed while it was read: nothing was reconciled"), b->path);
}

int
bank_file_reconcile(struct store *st, const struct user *actor, dbmonth_t m, const char *path, bool replace,
    bool *unchanged, struct pay_batch *out, char sha[65], struct err *e)
{
	struct bparse *b = calloc(1, sizeof *b);
	int r = -1;

	*unchanged = false;
	if (b == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	b->path = path;
	b->e = e;
	/* the whole file checked first: a bad row refuses it whole */
	if (file_sha(path, sha, e) == 0 && bparse_run(b) == 0)
		r = payment_reconcile(st, actor, m, sha, bparse_feed, b, replace, unchanged, out, e);
	free(b);
	return r;
}

/* bank_file_read: every row kept */
struct keep {
	struct recon_input_row *v;
	size_t n, cap;
};

static int
keep_row(const struct recon_input_row *in, void *sink)
{
	struct keep *k = sink;
	struct recon_input_row *v = array_grow(k->v, &k->cap, k->n + 1, sizeof *v);
	if (v == NULL)
		return -1;
	k->v = v;
	k->v[k->n++] = *in;
	return 0;
}

int
bank_file_read(const char *path, struct recon_input_row **rows, size_t *n, char sha[65], struct err *e)
{
	struct bparse *b = calloc(1, sizeof *b);
	struct keep k = {0};
	int r = -1;

	*rows = NULL;
	*n = 0;
	if (b == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	b->path = path;
	b->e = e;
	if (file_sha(path, sha, e) == 0 && bparse_run(b) == 0) {
		b->fn = keep_row;
		b->sink = &k;
		if (bparse_run(b) == 0) {
			*rows = k.v;
			*n = k.n;
			k.v = NULL;
			r = 0;
		} else if (b->stopped) {
			err_set(e, E_STORAGE, "%s", _("out of memory"));
		}
	}
	free(k.v);
	free(b);
	return r;
}
