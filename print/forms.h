/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * forms.h — the printed forms of SPEC section 8 over the layout layer
 * (print.h) and the store: one table of forms used by `dibao print`, its
 * `--list` and the console; a print job that reads the record, lays the
 * form out, records the print and writes the PDF in one transaction.
 *
 * Form content (titles, labels on the paper) is Chinese in the form code:
 * these are official forms, not translated UI.
 */
#ifndef DIBAO_FORMS_H
#define DIBAO_FORMS_H

#include <stdio.h>

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/ledger-model.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "store/county.h"
#include "store/env.h"
#include "store/err.h"
#include "store/prints.h"
#include "store/report.h"
#include "print/print.h"

struct pay_replay;

enum form_needs { FORM_DOSSIER = 0, FORM_VILLAGE, FORM_MONTH };

/* What a form function gets: the record as printed and the sheet's marks. */
struct form_ctx {
	struct store		*st;
	const struct form_def	*def;
	struct dossier		*d;		/* FORM_DOSSIER */
	const char		*village;	/* FORM_VILLAGE */
	dbmonth_t		 month;		/* FORM_MONTH */
	char			 township[TEXT_SHORT];
	char			 township_code[TEXT_SHORT];
	char			 county[TEXT_SHORT];
	char			 seal[TEXT_MEDIUM];	/* seal text (default: township) */
	char			 code[PRINT_CODE_LEN + 1];
	char			 qr[256];	/* the verification QR's content */
	uint32_t		 version;
	char			 reprint_note[160];	/* "补打（…）" or "" */
	dbdate_t		 today;
	struct err		*e;		/* a store error inside a form */
	/* issue 17: the month's report already built (NULL: the form builds it) */
	const struct monthly_report *monthly;
	/* issue 13: form "payment": the roster's rows of the bank file's pass
	 * (NULL: the form reads the roster itself) */
	const struct pay_replay *payment;
};

struct form_def {
	const char	*name;		/* FORM on the command line */
	const char	*title;		/* Chinese title */
	const char	*number;	/* form number printed top right, "DB-05" */
	enum form_needs	 needs;
	int		(*fn)(struct print_doc *, struct form_ctx *);
	/* for a batch: does the form apply to this dossier at all?  (NULL:
	 * always).  A dossier it does not apply to is left out, not failed. */
	bool		(*applies)(const struct dossier *);
	/* village and month forms: the SHA-256 of the content printed (the
	 * CSV the same list gives), recomputed by `dibao verify` */
	int		(*digest)(struct form_ctx *, unsigned char hash[32]);
};

extern const struct form_def form_table[];	/* ends with name NULL */
const struct form_def *form_find(const char *name);
/* issue 15: a print's form and subject as a clerk reads them: "最低生活保障
 * 审核审批表（DB-05）" (the stored name when no form has it); a scope in
 * words: the village's name, 全乡镇 for "village:", 2027年02月. */
void	form_label(const char *form, char *buf, size_t size);
void	print_scope_words(const char *scope, char *buf, size_t size);

struct print_job {
	const char		*form;
	const char		*dossier;
	const char		*village;
	dbmonth_t		 month;
	bool			 reprint;
	int			 copies;
	const char		*out;		/* the PDF's path */
	const struct print_options *opt;	/* fonts; NULL = defaults */
	/* a copy for the monthly archive: printed as of this unix time (the
	 * period's end, so exporting twice gives the same bytes) and not
	 * recorded as a print (nobody holds a new sheet); 0 = a real print */
	int64_t			 archive_at;
	/* issue 17: form "monthly": the report of job->month already built
	 * by the caller (NULL: built by the job, for its hash and its page) */
	const struct monthly_report *monthly;
	/* issue 13: form "payment": the roster's rows already read by the
	 * caller (import/payment-out.c), for the print's hash and its pages */
	const struct pay_replay *payment;
	/* filled in */
	struct prints_entry	 rec;
	char			 reprint_note[160];
};

/* forms.c: 0 printed and recorded; -1 with e (E_REFUSED for an
 * unprintable character or a form that does not apply, naming why). */
int	print_job_run(struct store *, const struct user *actor, struct print_job *, struct err *);
/* One form for many dossiers in one document (each with its own code and
 * page numbers, each print recorded), in one transaction.  progress may be
 * NULL. */
int	print_batch_run(struct store *, const struct user *actor, const char *form, const char *const *nos,
	    int n, const char *out, const struct print_options *opt, int *printed,
	    const struct progress *progress, struct err *);

/* lp.c: send a written PDF to the default printer (CUPS lp); quiet keeps
 * lp's output off the terminal.  0, or -1 with e (no lp, lp failed). */
int	print_lp(const char *path, bool quiet, struct err *);

/* The content hash of a village or month print as it would be today
 * (scope: "village:NAME" or "month:YYYY-MM"). */
int	print_list_digest(struct store *, const char *form, const char *scope, unsigned char hash[32],
	    struct err *);

/* form helpers (forms.c) for form-*.c */
void	form_date(dbdate_t d, char buf[32]);	/* "2026年03月16日", "" for 0 */
const char *form_user_name(struct form_ctx *, const char *login, char *buf, size_t size);
int	form_begin(struct print_doc *, struct form_ctx *, const char *title);
int	form_kv(struct print_doc *, const char *const *cells, int n);
int	form_heading(struct print_doc *, const char *text);
int	form_stamp_line(struct print_doc *, struct form_ctx *, const char *role,
	    const char *name, dbdate_t date, bool stamp);
/* the seal's text on every form: seal.text, else "<township>人民政府" */
int	 form_seal_text(struct store *, char *out, size_t size, struct err *);

/* form-dossier.c: the forms, and for form-cover.c the household's head
 * and how many of it live today */
#define FORM_BODY_SIZE 12.0f	/* the dossier forms' body text, 小四 */
const struct member *form_head(const struct dossier *);
int	form_living(const struct dossier *);
int	form_application(struct print_doc *, struct form_ctx *);
int	form_authorisation(struct print_doc *, struct form_ctx *);
int	form_survey(struct print_doc *, struct form_ctx *);
int	form_evaluation(struct print_doc *, struct form_ctx *);
int	form_approval(struct print_doc *, struct form_ctx *);
int	form_kin_filing(struct print_doc *, struct form_ctx *);
int	form_refusal(struct print_doc *, struct form_ctx *);
int	form_exit(struct print_doc *, struct form_ctx *);
/* form-cover.c */
int	form_cover(struct print_doc *, struct form_ctx *);
int	form_separators(struct print_doc *, struct form_ctx *);

/* list-out.c: CSV (UTF-8 with BOM, Chinese heads) and list PDFs */
/* a new CSV file (no head yet); NULL with e */
FILE	*list_csv_create(struct err *, const char *path);
FILE	*list_csv_open(struct err *, const char *path, const char *const *head, int n);
void	 list_csv_head(FILE *, const char *const *head, int n);
void	 list_csv_row(FILE *, const char *const *cells, int n);
int	 list_csv_close(struct err *, FILE *, const char *path);
void	 list_csv_abort(FILE *);   /* issue 15: the file not written */
/* A4 document with the township footer; fixed != 0 sets the creation date
 * (reproducible reports).  The _pdf_ calls free the document on failure. */
struct print_doc *list_pdf_begin(struct store *, struct err *, const char *title, const char *form_no,
	    const char *operator_name, dbdate_t fixed, const char *when);
/* the seal's diameter (print/seal.c) */
#define SEAL_MM 42.0f
/* a signature line with its date left of the seal's column, the seal in
 * it when seal (the last lines of a one-page form) */
int	 form_sign_seal_column(struct print_doc *, const char *seal, const char *role, const char *name,
	    dbdate_t date);
int	 list_sign_and_seal(struct store *, struct err *, struct print_doc *, const char *const *roles, int n);
/* issue 15: the same below short lines of text (the seal beside them,
 * not over them), and the height either takes */
int	 list_sign_and_seal_after_text(struct store *, struct err *, struct print_doc *, const char *const *roles, int n);
float	 list_sign_height(int n, bool after_table);
int	 list_pdf_sign_and_seal(struct store *, struct err *, struct print_doc *, const char *const *roles, int n);
int	 list_pdf_end(struct err *, struct print_doc *, const char *path);
int	 list_pdf_fail(struct err *, struct print_doc *);

struct list_table {
	int		 ncols;
	char		**cells;	/* n rows of ncols strings */
	size_t		 n, cap;
	bool		 oom;
};
int	 list_add(struct list_table *, const char *const *cells);
const char *const *list_row(const struct list_table *, size_t i);
void	 list_free(struct list_table *);
int	 list_digest(int (*fn)(FILE *, void *), void *arg, unsigned char hash[32], struct err *);

/* form-report.c: the monthly dynamic-management report (动态管理月报);
 * pdf and csv may be NULL.  Reproducible: the same month, the same bytes.
 * pg (NULL: none) as report_monthly's; a cancel writes no file. */
int	report_monthly_write(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf,
	    const char *csv, const struct progress *pg, struct err *e);
/* list-files.c, i12: the same with the PDF through print_job_run
 * (recorded and coded) */
int	report_monthly_print(struct store *st, const struct user *actor, dbmonth_t m, const char *pdf,
	    const char *csv, const struct progress *pg, struct err *e);
/* issue 17: report_monthly_print from a report already built (its month) */
int	report_monthly_print_built(struct store *st, const struct user *actor, const struct monthly_report *r,
	    const char *pdf, const char *csv, struct err *e);
/* the same from a report already built (report_monthly) */
int	report_monthly_write_built(struct store *st, const struct monthly_report *r, const char *pdf,
	    const char *csv, struct err *e);
int	form_monthly(struct print_doc *, struct form_ctx *);
int	digest_monthly(struct form_ctx *, unsigned char hash[32]);

/* form-notice.c: a village's public notice (公示名单), never an ID number.
 * notice_write (list-files.c): its CSV and PDF; with neither file and
 * list_stdout, its rows on stdout.  notice_export: the CSV (csv not NULL),
 * the rows on stdout (list_stdout), the village's name in vname. */
int	notice_export(struct store *, const char *village, const char *csv, bool list_stdout,
	    char vname[TEXT_SHORT], struct err *);
int	notice_write(struct store *, const struct user *actor, const char *village, const char *pdf,
	    const char *csv, bool list_stdout, struct err *);
int	form_notice(struct print_doc *, struct form_ctx *);
int	digest_notice(struct form_ctx *, unsigned char hash[32]);

/* form-screen.c: the screening lists (重点筛查), IDs masked; village NULL
 * = the whole township.  rows (may be NULL) gets the list's 9 columns.
 * screen_write (list-files.c): its CSV and PDF; screen_export: the list
 * into t (list_free it) and its CSV (csv not NULL). */
int	screen_export(struct store *, enum screen_kind k, dbdate_t since, const char *village, const char *csv,
	    struct list_table *t, struct err *);
int	screen_write(struct store *, const struct user *actor, enum screen_kind k, dbdate_t since,
	    const char *village, const char *pdf, const char *csv, struct list_table *rows, struct err *);
int	form_screen(struct print_doc *, struct form_ctx *);
int	digest_screen(struct form_ctx *, unsigned char hash[32]);

/* form-sample.c: the county's visit list of a drawn sample */
int	sample_write(struct store *, const struct user *actor, const struct county_sample *s, const char *pdf,
	    const char *csv, struct err *);
const char *sample_why(const struct county_case *);	/* why the case is visited */

/* form-ledger.c: the clue and rectification ledgers as of a month's end */
int	ledger_csv_write(struct store *, const struct user *actor, bool clues, bool open, bool overdue,
	    const char *csv, int *rows, struct err *);
int	form_clues(struct print_doc *, struct form_ctx *);
int	digest_clues(struct form_ctx *, unsigned char hash[32]);
int	form_fixes(struct print_doc *, struct form_ctx *);
int	digest_fixes(struct form_ctx *, unsigned char hash[32]);
/* form-incomplete.c (issue 15): the incomplete checklists */
int	form_incomplete(struct print_doc *, struct form_ctx *);
int	digest_incomplete(struct form_ctx *, unsigned char hash[32]);


/* form-payment.c: the payment roster (issue 13), A4 landscape, a month
 * form; and the bank file's columns (import/payment-out.c) */
struct pay_row;
#define PAYMENT_BANK_COLS 15
extern const char *const payment_bank_head[PAYMENT_BANK_COLS];
void	payment_bank_cells(const struct pay_row *w, int seq, char num[8][32], char *months, size_t msize,
	    const char **cells);
void	payment_months_text(const struct pay_row *w, char *buf, size_t size);
int	form_payment(struct print_doc *, struct form_ctx *);
int	digest_payment(struct form_ctx *, unsigned char hash[32]);
/* form-recovery.c (i14): the recovery sheet printed at init, and the
 * county's public key sheet: a title, lines of text, the secret as text and
 * as a QR code, on one page. */
int	recovery_sheet_write(const char *path, const char *title, const char *const *lines, int nlines,
	    const char *label, const char *secret, struct err *e);

#endif
