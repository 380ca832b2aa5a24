/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * list-files.c — the list forms written as files by the command line and
 * the console: the monthly report, the public notice and the screening
 * lists, each its CSV (form-report.c, form-notice.c, form-screen.c) and
 * its PDF through the one print path (print_job_run, forms.c: recorded,
 * coded, verifiable).  The top of print/: it uses the job, which uses
 * the forms.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/forms.h"

#include "core/sizes.h"
#include "core/terms.h"
#include "store/err.h"
#include "store/screen.h"

/* integrity (i12): the report as the command line and the console write it:
 * the CSV, and the PDF through the one print path (recorded, coded,
 * verifiable: `print monthly`).  (The archive's copy stays
 * report_monthly_write: it is not a print.) */
int
report_monthly_print(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf, const char *csv,
    const struct progress *pg, struct err *e)
{
	struct monthly_report *r;
	int ret;

	if (!csv && !pdf)
		return 0;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if (report_monthly(st, m, r, pg, e) != 0) {
		free(r);
		return -1;
	}
	ret = report_monthly_print_built(st, actor, r, pdf, csv, e);
	report_free(r);
	free(r);
	return ret;
}

/* issue 17: the same from the report the caller built (`report monthly`
 * built it, then the CSV, the print's hash and its page each built it
 * again: four walks of the chain and the households for one). */
int
report_monthly_print_built(struct store *st, const struct user *actor, const struct monthly_report *r,
    const char *pdf, const char *csv, struct err *e)
{
	if (csv && report_monthly_write_built(st, r, NULL, csv, e) != 0)
		return -1;
	if (pdf) {
		struct print_job j;
		memset(&j, 0, sizeof j);
		j.form = "monthly";
		j.month = r->month;
		j.copies = 1;
		j.out = pdf;
		j.monthly = r;
		if (print_job_run(st, actor, &j, e) != 0)
			return -1;
	}
	return 0;
}

int
screen_write(struct store *st, const struct user *actor, enum screen_kind k, dbdate_t since, const char *village,
    const char *pdf, const char *csv, struct list_table *rows, struct err *e)
{
	struct list_table own = {0}, *t = rows ? rows : &own;
	int ret = -1;

	if (screen_export(st, k, since, village, csv, t, e) != 0)
		goto out;
	if (pdf) {
		/* integrity (i12): through the one print path, as `print screen-KIND`:
		 * the printed list is the whole list (verifiable), never a part */
		char form[40];
		struct print_job j;
		if (since != 0) {
			err_set(e, E_REFUSED, "%s", _("the date since: the printed list (PDF) covers every case so that it can be verified; the cases since a date go to a CSV file"));
			goto out;
		}
		snprintf(form, sizeof form, "screen-%s", screen_terms[k].en);
		memset(&j, 0, sizeof j);
		j.form = form;
		j.village = village;
		j.copies = 1;
		j.out = pdf;
		if (print_job_run(st, actor, &j, e) != 0)
			goto out;
	}
	ret = 0;
out:
	if (t == &own || ret != 0)
		list_free(t);
	return ret;
}

int
notice_write(struct store *st, const struct user *actor, const char *village, const char *pdf, const char *csv,
    bool list_stdout, struct err *e)
{
	char vname[TEXT_SHORT];

	if (notice_export(st, village, csv, list_stdout && !csv && !pdf, vname, e) != 0)
		return -1;
	if (pdf) {
		/* integrity (i12): through the one print path, as `print notice` */
		struct print_job j;
		memset(&j, 0, sizeof j);
		j.form = "notice";
		j.village = vname;
		j.copies = 1;
		j.out = pdf;
		if (print_job_run(st, actor, &j, e) != 0)
			return -1;
	}
	return 0;
}
