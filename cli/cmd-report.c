/*
 * cmd-report.c — `dibao report monthly`, `dibao notice post`, `dibao
 * report notice` and `dibao stats` (SPEC 7): the monthly dynamic-management
 * report with its zero report of deaths, the public notice of a village,
 * and the statistics.  Paper and CSV content is Chinese directly: it is
 * the document itself, not the program talking.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "print/print.h"

#define MONTHLY_USAGE "report monthly --month YYYY-MM [--pdf FILE] [--csv FILE]"
#define NOTICE_USAGE "notice post --village NAME [--date YYYY-MM-DD] [--pdf FILE] [--csv FILE]"
#define RNOTICE_USAGE "report notice --village NAME [--pdf FILE] [--csv FILE]"
#define ZERO_DEATHS "本月无死亡人员（零报告）"

static const char *
dstr(dbdate_t d, char buf[11])
{
	date_format(d, buf);
	return buf;
}

static const char *
yuan(fen_t f, char buf[32])
{
	money_format(f, buf);
	return buf;
}

/* ---- the monthly report ------------------------------------------------- */

static const char *const item_head[] = {
	"项目", "档案编号", "村（社区）", "姓名", "日期", "人数", "原月保障金（元）", "新月保障金（元）", "原因",
};
static const char *const total_head[] = {
	"汇总", "分组", "户数", "人数", "女性", "老年人（60岁以上）", "未成年人", "残疾人", "月保障金（元）",
};

struct section {
	const char *title;
	const struct monthly_list *l;
};

static void
item_cells(const char *what, const struct monthly_item *it, char bufs[5][32], const char **cells)
{
	cells[0] = what;
	cells[1] = it->dossier;
	cells[2] = it->village;
	cells[3] = it->name;
	cells[4] = dstr(it->date, bufs[0]);
	snprintf(bufs[1], 32, "%d", it->persons);
	cells[5] = it->persons ? bufs[1] : "";
	cells[6] = it->old_total ? yuan(it->old_total, bufs[2]) : "";
	cells[7] = it->total ? yuan(it->total, bufs[3]) : "";
	cells[8] = it->reason;
}

static void
total_cells(const char *what, const char *key, const struct report_totals *t, char bufs[7][32],
    const char **cells)
{
	cells[0] = what;
	cells[1] = key;
	snprintf(bufs[0], 32, "%d", t->households);
	snprintf(bufs[1], 32, "%d", t->persons);
	snprintf(bufs[2], 32, "%d", t->women);
	snprintf(bufs[3], 32, "%d", t->elderly);
	snprintf(bufs[4], 32, "%d", t->minors);
	snprintf(bufs[5], 32, "%d", t->disabled);
	money_format(t->amount, bufs[6]);
	for (int i = 0; i < 7; i++)
		cells[2 + i] = bufs[i];
}

struct tgroup {
	const char *title;
	const struct report_group *g;
	int n;
};

static int
monthly_csv(struct cli *c, const struct monthly_report *r, const char *path, const struct section *s, int ns,
    const struct tgroup *tg, int ntg)
{
	FILE *f = csv_open(c, path, item_head, 9);
	char bufs[7][32];
	const char *cells[9];

	if (f == NULL)
		return -1;
	for (int i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].l->n; k++) {
			item_cells(s[i].title, &s[i].l->v[k], bufs, cells);
			csv_row(f, cells, 9);
		}
	if (r->deaths.n == 0) {
		const char *z[9] = {"死亡", "", "", ZERO_DEATHS, "", "", "", "", ""};
		csv_row(f, z, 9);
	}
	csv_row(f, NULL, 0);
	csv_row(f, total_head, 9);
	total_cells("合计", "全乡镇", &r->all, bufs, cells);
	csv_row(f, cells, 9);
	for (int i = 0; i < ntg; i++)
		for (int k = 0; k < tg[i].n; k++) {
			total_cells(tg[i].title, tg[i].g[k].key, &tg[i].g[k].t, bufs, cells);
			csv_row(f, cells, 9);
		}
	char head[160], from[11], to[11];
	snprintf(head, sizeof head, "审计链截至%s共%llu条，链头哈希%s", dstr(r->to, to),
	    (unsigned long long)r->audit_count, r->head);
	const char *tail[9] = {"统计期间", dstr(r->from, from), "", "", "", "", "", "", ""};
	tail[2] = to;
	csv_row(f, NULL, 0);
	csv_row(f, tail, 3);
	const char *hl[1] = {head};
	csv_row(f, hl, 1);
	return csv_close(c, f, path);
}

static int
monthly_pdf(struct cli *c, const struct monthly_report *r, const char *path, const struct section *s, int ns,
    const struct tgroup *tg, int ntg)
{
	char form[64], mon[8], from[11], to[11], line[512], bufs[7][32];
	const char *cells[9];
	struct print_doc *doc;
	struct print_table ti = {
		.ncols = 7, .width_mm = {36, 18, 16, 18, 10, 26, 32},
		.header = {"档案编号", "村（社区）", "姓名", "日期", "人数", "金额（元）", "原因"},
		.size = 8.5f, .pad_mm = 1.0f,
	};
	struct print_table tt = {
		.ncols = 9, .width_mm = {18, 22, 12, 12, 12, 18, 16, 14, 32},
		.header = {"汇总", "分组", "户数", "人数", "女性", "老年人（60岁以上）", "未成年人", "残疾人", "月保障金（元）"},
		.size = 8.5f, .pad_mm = 1.0f,
	};
	static const char *const roles[] = {"经办人", "审核人"};

	month_format(r->month, mon);
	snprintf(form, sizeof form, "表号：DB-YB  No. %s", mon);
	/* the period end is the document's date: printing later changes nothing */
	if ((doc = pdf_begin(c, "最低生活保障动态管理月报", form, "", r->to, "")) == NULL)
		return -1;
	snprintf(line, sizeof line, "统计期间：%s 至 %s（%s月报）。", dstr(r->from, from), dstr(r->to, to), mon);
	if (print_paragraph(doc, PRINT_SONG, 11, 0, line) != 0)
		return pdf_fail(c, doc);
	for (int i = 0; i < ns; i++) {
		snprintf(line, sizeof line, "%s：%zu户", s[i].title, s[i].l->n);
		if (print_skip(doc, 6) != 0 || print_paragraph(doc, PRINT_SONG, 11, 0, line) != 0)
			return pdf_fail(c, doc);
		if (s[i].l->n == 0) {
			if (strcmp(s[i].title, "死亡人员") == 0 &&
			    print_paragraph(doc, PRINT_SONG, 11, 2, ZERO_DEATHS) != 0)
				return pdf_fail(c, doc);
			continue;
		}
		if (print_table_header(doc, &ti) != 0)
			return pdf_fail(c, doc);
		for (size_t k = 0; k < s[i].l->n; k++) {
			const struct monthly_item *it = &s[i].l->v[k];
			char amount[80], o[32], n[32], p[16];
			if (it->old_total && it->total)
				snprintf(amount, sizeof amount, "%s→%s", yuan(it->old_total, o), yuan(it->total, n));
			else
				snprintf(amount, sizeof amount, "%s", it->total ? yuan(it->total, n) :
				    it->old_total ? yuan(it->old_total, o) : "");
			snprintf(p, sizeof p, "%d", it->persons);
			const char *row[7] = {it->dossier, it->village, it->name, dstr(it->date, from),
			    it->persons ? p : "", amount, it->reason};
			if (print_table_row(doc, &ti, row) != 0)
				return pdf_fail(c, doc);
		}
	}
	if (print_skip(doc, 8) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 11, 0, "期末在保情况（按村、城乡、复核类别、保障类型汇总）") != 0 ||
	    print_table_header(doc, &tt) != 0)
		return pdf_fail(c, doc);
	total_cells("合计", "全乡镇", &r->all, bufs, cells);
	if (print_table_row(doc, &tt, cells) != 0)
		return pdf_fail(c, doc);
	for (int i = 0; i < ntg; i++)
		for (int k = 0; k < tg[i].n; k++) {
			total_cells(tg[i].title, tg[i].g[k].key, &tg[i].g[k].t, bufs, cells);
			if (print_table_row(doc, &tt, cells) != 0)
				return pdf_fail(c, doc);
		}
	snprintf(line, sizeof line, "审计链截至%s共%llu条，链头哈希：", dstr(r->to, to),
	    (unsigned long long)r->audit_count);
	if (print_skip(doc, 8) != 0 || print_paragraph(doc, PRINT_SONG, 10, 0, line) != 0 ||
	    print_paragraph(doc, PRINT_SONG, 9, 0, r->head) != 0)
		return pdf_fail(c, doc);
	if (pdf_sign_and_seal(c, doc, roles, 2) != 0)
		return -1;
	return pdf_end(c, doc, path);
}

static json_t *
list_json(const struct monthly_list *l)
{
	json_t *a = json_array();
	char d[11];
	for (size_t i = 0; i < l->n; i++) {
		const struct monthly_item *it = &l->v[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:s}", "dossier", it->dossier,
		    "village", it->village, "name", it->name, "date", dstr(it->date, d), "persons", it->persons,
		    "old_total", (json_int_t)it->old_total, "total", (json_int_t)it->total, "reason", it->reason));
	}
	return a;
}

static json_t *
totals_json(const struct report_totals *t)
{
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:I}", "households", t->households, "persons", t->persons,
	    "women", t->women, "elderly", t->elderly, "minors", t->minors, "disabled", t->disabled,
	    "amount", (json_int_t)t->amount);
}

static json_t *
groups_json(const struct report_group *g, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, g[i].key, totals_json(&g[i].t));
	return o;
}

/* The report's PDF and CSV exactly as `report monthly` writes them (the
 * monthly archive carries them). */
int
report_monthly_files(struct cli *c, dbmonth_t m, const char *pdf, const char *csv)
{
	struct monthly_report *r = malloc(sizeof *r);
	int ret = 0;

	if (r == NULL)
		return err_set(&c->e, E_STORAGE, "%s", _("out of memory"));
	if (report_monthly(c->st, m, r, &c->e) != 0) {
		free(r);
		return -1;
	}
	const struct section s[] = {
		{"新增", &r->added}, {"减少（退出）", &r->removed}, {"金额变动", &r->changed}, {"死亡人员", &r->deaths},
	};
	const struct tgroup tg[] = {
		{"村（社区）", r->village, r->n_village}, {"城乡", r->area, r->n_area},
		{"复核类别", r->category, r->n_category}, {"保障类型", r->support, r->n_support},
	};
	if (monthly_csv(c, r, csv, s, 4, tg, 4) != 0 || monthly_pdf(c, r, pdf, s, 4, tg, 4) != 0)
		ret = -1;
	report_free(r);
	free(r);
	return ret;
}

static int
monthly_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"month", OPT_VALUE, &month}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, ret = 0;
	dbmonth_t m;
	struct monthly_report *r;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !month)
		return cli_usage(MONTHLY_USAGE);
	if (cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	if (report_monthly(c->st, m, r, &c->e) != 0) {
		free(r);
		return cli_fail(c);
	}
	const struct section s[] = {
		{"新增", &r->added}, {"减少（退出）", &r->removed}, {"金额变动", &r->changed}, {"死亡人员", &r->deaths},
	};
	const struct tgroup tg[] = {
		{"村（社区）", r->village, r->n_village}, {"城乡", r->area, r->n_area},
		{"复核类别", r->category, r->n_category}, {"保障类型", r->support, r->n_support},
	};
	if ((csv && monthly_csv(c, r, csv, s, 4, tg, 4) != 0) || (pdf && monthly_pdf(c, r, pdf, s, 4, tg, 4) != 0)) {
		report_free(r);
		free(r);
		return cli_fail(c);
	}
	char from[11], to[11], mon[8];
	month_format(m, mon);
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:I,s:s}",
		    "month", mon, "from", dstr(r->from, from), "to", dstr(r->to, to),
		    "added", list_json(&r->added), "removed", list_json(&r->removed),
		    "changed", list_json(&r->changed), "deaths", list_json(&r->deaths),
		    "zero_deaths", r->deaths.n == 0, "totals", totals_json(&r->all),
		    "by_village", groups_json(r->village, r->n_village), "by_area", groups_json(r->area, r->n_area),
		    "by_category", groups_json(r->category, r->n_category),
		    "by_support", groups_json(r->support, r->n_support),
		    "audit_count", (json_int_t)r->audit_count, "audit_head", r->head);
		ret = cli_print_json(j);
	} else {
		printf("%s %s %s .. %s\n", "动态管理月报", mon, dstr(r->from, from), dstr(r->to, to));
		for (int i = 0; i < 4; i++) {
			printf("%s：%zu\n", s[i].title, s[i].l->n);
			for (size_t k = 0; k < s[i].l->n; k++) {
				const struct monthly_item *it = &s[i].l->v[k];
				char o[32], n[32];
				printf("  %s %s %s %s %s→%s %s\n", it->dossier, it->village, it->name, dstr(it->date, from),
				    yuan(it->old_total, o), yuan(it->total, n), it->reason);
			}
		}
		if (r->deaths.n == 0)
			printf("%s\n", ZERO_DEATHS);
		char a[32];
		printf("期末在保：%d户 %d人 月保障金%s元\n", r->all.households, r->all.persons, yuan(r->all.amount, a));
		printf("审计链：%llu条 %s\n", (unsigned long long)r->audit_count, r->head);
	}
	report_free(r);
	free(r);
	return ret;
}

/* ---- the public notice -------------------------------------------------- */

static const char *const notice_head[] = {
	"序号", "户主姓名", "村（社区）", "组", "保障人数", "月保障金（元）", "保障类型", "近亲属备案",
	"公示开始", "公示结束",
};

struct nrow {
	char cells[10][NAME_MAX_BYTES];
};

struct nbaton {
	struct nrow *v;
	size_t n, cap;
	bool oom;
};

static int
notice_collect(const struct notice_row *r, void *baton)
{
	struct nbaton *b = baton;
	char d1[11], d2[11], a[32];

	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 32;
		void *nv = realloc(b->v, ncap * sizeof *b->v);
		if (nv == NULL) {
			b->oom = true;
			return 1;
		}
		b->v = nv;
		b->cap = ncap;
	}
	struct nrow *x = &b->v[b->n++];
	memset(x, 0, sizeof *x);
	/* only what the notice needs (seed 004): no ID number, no bank data,
	 * no health; the head's name only where it may be published */
	snprintf(x->cells[0], sizeof x->cells[0], "%zu", b->n);
	snprintf(x->cells[1], sizeof x->cells[1], "%s", r->name);
	snprintf(x->cells[2], sizeof x->cells[2], "%s", r->d->village);
	snprintf(x->cells[3], sizeof x->cells[3], "%s", r->d->group);
	snprintf(x->cells[4], sizeof x->cells[4], "%d", r->persons);
	snprintf(x->cells[5], sizeof x->cells[5], "%s", yuan(r->amount, a));
	snprintf(x->cells[6], sizeof x->cells[6], "%s", support_terms[r->d->support].zh);
	snprintf(x->cells[7], sizeof x->cells[7], "%s", r->kin ? "有近亲属备案" : "");
	snprintf(x->cells[8], sizeof x->cells[8], "%s", dstr(r->d->proc.notice_start, d1));
	snprintf(x->cells[9], sizeof x->cells[9], "%s", dstr(r->d->proc.notice_end, d2));
	return 0;
}

static int
notice_files(struct cli *c, const char *village, const char *pdf, const char *csv)
{
	struct nbaton b = {0};
	struct village v;
	char pt[TEXT_SHORT] = "", pc[TEXT_SHORT] = "", line[512];
	int ret = -1;

	if (village_resolve(c->st, NULL, village, &v, &c->e) != 0 || notice_rows(c->st, v.name, notice_collect, &b, &c->e) != 0)
		goto out;
	if (b.oom) {
		err_set(&c->e, E_STORAGE, "%s", _("out of memory"));
		goto out;
	}
	if (setting_get(c->st, NULL, "phone.township", pt, sizeof pt, &c->e) != 0 ||
	    setting_get(c->st, NULL, "phone.county", pc, sizeof pc, &c->e) != 0)
		goto out;
	snprintf(line, sizeof line, "公示期内如有异议，请向乡镇（街道）或县民政局反映。监督举报电话：乡镇 %s；县民政局 %s。",
	    pt[0] ? pt : "（未设置）", pc[0] ? pc : "（未设置）");
	if (csv) {
		FILE *f = csv_open(c, csv, notice_head, 10);
		if (f == NULL)
			goto out;
		for (size_t i = 0; i < b.n; i++) {
			const char *cells[10];
			for (int k = 0; k < 10; k++)
				cells[k] = b.v[i].cells[k];
			csv_row(f, cells, 10);
		}
		const char *tail[1] = {line};
		csv_row(f, tail, 1);
		if (csv_close(c, f, csv) != 0)
			goto out;
	}
	if (pdf) {
		char title[160];
		struct print_table t = {
			.ncols = 10, .width_mm = {9, 20, 20, 11, 11, 17, 13, 19, 18, 18},
			.header = {"序号", "户主姓名", "村（社区）", "组", "保障人数", "月保障金（元）", "保障类型",
			    "近亲属备案", "公示开始", "公示结束"},
			.size = 8.0f, .pad_mm = 0.8f,
		};
		snprintf(title, sizeof title, "%s最低生活保障公示名单", v.name);
		struct print_doc *doc = pdf_begin(c, title, NULL, c->user.name[0] ? c->user.name : c->user.login, 0, "");
		if (doc == NULL)
			goto out;
		if (print_table_header(doc, &t) != 0) {
			pdf_fail(c, doc);
			goto out;
		}
		for (size_t i = 0; i < b.n; i++) {
			const char *cells[10];
			for (int k = 0; k < 10; k++)
				cells[k] = b.v[i].cells[k];
			if (print_table_row(doc, &t, cells) != 0) {
				pdf_fail(c, doc);
				goto out;
			}
		}
		if (print_skip(doc, 10) != 0 || print_paragraph(doc, PRINT_SONG, 11, 2, line) != 0 ||
		    print_paragraph(doc, PRINT_SONG, 10, 2, "未成年人、艾滋病患者等个人信息需保密的对象依规不予公示姓名。") != 0) {
			pdf_fail(c, doc);
			goto out;
		}
		static const char *const roles[] = {"公示单位（盖章）"};
		if (pdf_sign_and_seal(c, doc, roles, 1) != 0 || pdf_end(c, doc, pdf) != 0)
			goto out;
	}
	if (!c->json && !csv && !pdf)
		for (size_t i = 0; i < b.n; i++)
			printf("%s %s %s %s %s %s %s %s~%s\n", b.v[i].cells[0], b.v[i].cells[1], b.v[i].cells[3],
			    b.v[i].cells[4], b.v[i].cells[5], b.v[i].cells[6], b.v[i].cells[7], b.v[i].cells[8],
			    b.v[i].cells[9]);
	ret = 0;
out:
	free(b.v);
	return ret;
}

static int
notice_post_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *date = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"village", OPT_VALUE, &village}, {"date", OPT_VALUE, &date}, {"pdf", OPT_VALUE, &pdf},
		{"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos, posted = 0;
	dbdate_t d = 0;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !village)
		return cli_usage(NOTICE_USAGE);
	if ((date && cli_parse_date(c, "--date", date, &d) != 0) ||
	    notice_post(c->st, &c->user, village, d, &posted, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("public notice posted: %d households enter their notice period\n"), posted);
	if ((pdf || csv) && notice_files(c, village, pdf, csv) != 0)
		return cli_fail(c);
	return c->json ? cli_print_json(json_pack("{s:i}", "posted", posted)) : 0;
}

static int
report_notice_exec(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *pdf = NULL, *csv = NULL;
	const struct opt opts[] = {
		{"village", OPT_VALUE, &village}, {"pdf", OPT_VALUE, &pdf}, {"csv", OPT_VALUE, &csv}, {NULL, 0, NULL},
	};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || !village)
		return cli_usage(RNOTICE_USAGE);
	if (notice_files(c, village, pdf, csv) != 0)
		return cli_fail(c);
	return 0;
}

/* ---- statistics --------------------------------------------------------- */

struct cover {
	dbdate_t today;
	int approved, current;
};

static int
cover_fn(const struct dossier *d, void *baton)
{
	struct cover *cv = baton;
	if (d->status != ST_APPROVED)
		return 0;
	cv->approved++;
	cv->current += d->next_review == 0 || d->next_review >= cv->today;
	return 0;
}

static int
clue_cat_fn(const struct clue *cl, void *baton)
{
	int *n = baton;
	if (cl->closed == 0)
		n[cl->category]++;
	return 0;
}

static int
stats_exec(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	const struct opt opts[] = {{"month", OPT_VALUE, &month}, {NULL, 0, NULL}};
	char *pos[1];
	int npos, open_by_cat[CC__N] = {0};
	dbmonth_t m;
	dbdate_t today = store_today();
	struct monthly_report *r;
	struct cover cv = {today, 0, 0};
	struct dossier_filter f = {.status = ST_APPROVED};

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage("stats [--month YYYY-MM]");
	m = month_of(today);
	if (month && cli_parse_month(c, "--month", month, &m) != 0)
		return cli_fail(c);
	if ((r = malloc(sizeof *r)) == NULL)
		return cli_refuse(c, "%s", _("out of memory"));
	/* as of the end of the month (or today, for the month running) */
	dbdate_t asof = month_last_day(m) < today ? month_last_day(m) : today;
	if (report_build(c->st, asof, asof, r, &c->e) != 0) {
		free(r);
		return cli_fail(c);
	}
	if (dossier_list(c->st, &f, cover_fn, &cv, &c->e) != 0 || clue_list(c->st, clue_cat_fn, open_by_cat, &c->e) != 0) {
		report_free(r);
		free(r);
		return cli_fail(c);
	}
	int permille = cv.approved ? (int)((int64_t)cv.current * 1000 / cv.approved) : 1000;
	char mon[8], a[32];
	month_format(m, mon);
	int ret = 0;
	if (c->json) {
		json_t *clues = json_object();
		for (int i = 0; i < CC__N; i++)
			json_object_set_new(clues, clue_category_terms[i].en, json_integer(open_by_cat[i]));
		ret = cli_print_json(json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:{s:i,s:i,s:i},s:o}", "month", mon,
		    "totals", totals_json(&r->all), "by_village", groups_json(r->village, r->n_village),
		    "by_area", groups_json(r->area, r->n_area), "by_category", groups_json(r->category, r->n_category),
		    "by_support", groups_json(r->support, r->n_support),
		    "review_coverage", "approved", cv.approved, "current", cv.current, "permille", permille,
		    "open_clues", clues));
	} else {
		printf("%s %s\n", _("statistics as of"), mon);
		printf(_("households %d, persons %d, monthly amount %s yuan\n"), r->all.households, r->all.persons,
		    yuan(r->all.amount, a));
		const struct tgroup tg[] = {
			{_("village"), r->village, r->n_village}, {_("area"), r->area, r->n_area},
			{_("category"), r->category, r->n_category}, {_("support"), r->support, r->n_support},
		};
		for (int i = 0; i < 4; i++)
			for (int k = 0; k < tg[i].n; k++)
				printf("  %s %s: %d / %d / %s\n", tg[i].title, tg[i].g[k].key, tg[i].g[k].t.households,
				    tg[i].g[k].t.persons, yuan(tg[i].g[k].t.amount, a));
		printf(_("review schedule kept: %d of %d approved dossiers (%d.%d%%)\n"), cv.current, cv.approved,
		    permille / 10, permille % 10);
		for (int i = 0; i < CC__N; i++)
			if (open_by_cat[i])
				printf(_("  open clues, %s: %d\n"), clue_category_terms[i].zh, open_by_cat[i]);
	}
	report_free(r);
	free(r);
	return ret;
}

const struct cmd_entry cmds_report[] = {
	{"report", "monthly", MONTHLY_USAGE,
	    N_("the monthly dynamic-management report (动态管理月报) for the period ending on the cutoff day; reproducible"),
	    NEEDS_STORE, monthly_exec},
	{"report", "notice", RNOTICE_USAGE, N_("the public notice list (公示名单) of a village, as PDF or CSV"),
	    NEEDS_USER, report_notice_exec},
	{"notice", "post", NOTICE_USAGE,
	    N_("post the public notice of a village: its reviewed cases enter the notice period"), NEEDS_USER,
	    notice_post_exec},
	{"stats", NULL, "stats [--month YYYY-MM]",
	    N_("households, persons and amounts by village, area, category and support type; review coverage; open clues"),
	    NEEDS_STORE, stats_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
