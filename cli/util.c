/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * util.c — what every command shares: error output (Chinese under a zh_CN
 * locale, on stderr, one line per reason), JSON on stdout, the password
 * prompt without echo, and parsing of the typed values with the field named
 * in every refusal.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/cli.h"

#include "core/base.h"
#include "core/date.h"
#include "core/idno.h"
#include "core/money.h"
#include "core/terms.h"
#include "store/crypt.h"
#include "store/dossier.h"
#include "store/err.h"
#include "store/village.h"

int
cli_usage(const char *usage)
{
	fprintf(stderr, _("usage: dibao %s\n"), usage);
	return 2;
}

/* Each command's usage error names its own entry's usage (main.c hands
 * the entry over in c->cmd), never a table's entry by position. */
int
cli_usage_cmd(const struct cli *c)
{
	return cli_usage(c->cmd != NULL ? c->cmd->usage : "--help");
}

int
cli_fail(struct cli *c)
{
	const char *p = c->e.msg;
	if (*p == '\0')
		p = _("failed");
	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "dibao: %.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
	return err_exit_status(&c->e);
}

int
cli_refuse(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	char msg[2048];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(&c->e, E_REFUSED, "%s", msg);
	return cli_fail(c);
}

/* ---- integrity (i12, SPEC 11): ID numbers masked unless --reveal ------- */

static bool ids_whole;

void
cli_ids_whole(bool whole)
{
	ids_whole = whole;
}

int
cli_reveal(struct cli *c, const char *object)
{
	if (!c->reveal || ids_whole)
		return 0;
	if (dossier_reveal(c->st, &c->user, object, "id", &c->e) != 0)
		return -1;
	ids_whole = true;
	return 0;
}

const char *
cli_id(const char *id, char buf[ID_LEN + 1])
{
	if (ids_whole || id == NULL || id[0] == '\0')
		return id;
	id_mask(id, buf);
	return buf;
}

void
cli_mask_text(char *s)
{
	if (!ids_whole)
		id_mask_text(s);
}

/* every string of j with an ID-shaped run, masked; 0 or -1 (memory) */
static int
mask_json(json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (json_is_string(v)) {
				char *t = strdup(json_string_value(v));
				if (t == NULL)
					return -1;
				if (id_mask_text(t) > 0 && json_object_set_new(j, k, json_string(t)) != 0) {
					free(t);
					return -1;
				}
				free(t);
			} else if (mask_json(v) != 0)
				return -1;
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v)) {
				char *t = strdup(json_string_value(v));
				if (t == NULL)
					return -1;
				if (id_mask_text(t) > 0 && json_array_set_new(j, i, json_string(t)) != 0) {
					free(t);
					return -1;
				}
				free(t);
			} else if (mask_json(v) != 0)
				return -1;
		}
	}
	return 0;
}

int
cli_print_json(json_t *j)
{
	if (j == NULL || (!ids_whole && mask_json(j) != 0)) {
		json_decref(j);
		fprintf(stderr, "dibao: %s\n", _("out of memory"));
		return 3;
	}
	int r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	fputc('\n', stdout);
	return r == 0 ? 0 : 3;
}

const char *
cli_password(const char *prompt, const char *envname)
{
	static char buf[256];
	const char *env = getenv(envname);
	struct termios old, noecho;
	FILE *tty;

	if (env != NULL)
		return env;
	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return NULL;
	fputs(prompt, tty);
	fflush(tty);
	bool restore = tcgetattr(fileno(tty), &old) == 0;
	if (restore) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &noecho);
	}
	char *r = fgets(buf, sizeof buf, tty);
	if (restore)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (r == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

int
cli_parse_money(struct cli *c, const char *field, const char *s, fen_t *out)
{
	const char *why;
	if (money_parse(s, out, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s (%s %s)", _(why), field, s);
	return 0;
}

int
cli_parse_date(struct cli *c, const char *field, const char *s, dbdate_t *out)
{
	const char *why;
	if (date_parse(s, out, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s (%s %s)", _(why), field, s);
	return 0;
}

int
cli_parse_month(struct cli *c, const char *field, const char *s, dbmonth_t *out)
{
	const char *why;
	if (month_parse(s, out, &why) != 0)
		return err_set(&c->e, E_REFUSED, "%s (%s %s)", _(why), field, s);
	return 0;
}

int
cli_parse_term(struct cli *c, const char *field, const struct term *t, int n, const char *s)
{
	int i = term_find(t, n, s);
	if (i < 0) {
		char list[1024] = "";
		size_t used = 0;
		for (int k = 0; k < n; k++) {
			if (t[k].zh[0] == '\0')
				continue;
			int w = snprintf(list + used, sizeof list - used, "%s%s(%s)", used ? "、" : "", t[k].zh, t[k].en);
			if (w < 0 || (size_t)w >= sizeof list - used)
				break;
			used += (size_t)w;
		}
		err_set(&c->e, E_REFUSED, _("%s: \"%s\" is not one of %s"), field, s, list);
		return -1;
	}
	return i;
}

int
cli_parse_int(struct cli *c, const char *field, const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return err_set(&c->e, E_REFUSED, _("%s: must be a whole number from %ld to %ld (%s)"), field, min, max, s);
	*out = v;
	return 0;
}

void
cli_printf_cols(const char *s, int width)
{
	mbstate_t ps;
	const char *p = s;
	int cols = 0;
	wchar_t wc;

	memset(&ps, 0, sizeof ps);
	while (*p) {
		size_t n = mbrtowc(&wc, p, MB_CUR_MAX, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			n = 1;
			wc = L'?';
		}
		int w = wcwidth(wc);
		cols += w > 0 ? w : 0;
		p += n;
	}
	fputs(s, stdout);
	for (; cols < width; cols++)
		fputc(' ', stdout);
}

static void
table_line(const struct cli_col *cols, int n, const char *const *cells, bool head)
{
	for (int i = 0; i < n; i++) {
		const char *s = head ? _(cols[i].head) : cells[i] ? cells[i] : "";
		if (i + 1 < n)
			cli_printf_cols(s, cols[i].width);
		else
			printf("%s\n", s);
	}
}

void
cli_table_head(const struct cli_col *cols, int n)
{
	table_line(cols, n, NULL, true);
}

void
cli_table_row(const struct cli_col *cols, int n, const char *const *cells)
{
	table_line(cols, n, cells, false);
}

int
cli_dossier_arg(struct cli *c, int argc, char **argv, const struct opt *opts, struct dossier **d)
{
	char *pos[1];
	int npos;

	*d = NULL;
	if (opts_parse(argc, argv, opts, pos, &npos, 1) != 0 || npos != 1)
		return cli_usage_cmd(c);
	if ((*d = malloc(sizeof **d)) == NULL)
		return 3;
	if (dossier_get(c->st, NULL, pos[0], *d, &c->e) != 0) {
		free(*d);
		*d = NULL;
		return cli_fail(c);
	}
	return 0;
}

int
cli_dossier_filter(struct cli *c, const char *status, const char *village, struct dossier_filter *f,
    struct village *vl)
{
	if (status && (f->status = cli_parse_term(c, _("status"), status_terms, ST__N, status)) < 0)
		return -1;
	if (village) {
		if (village_resolve(c->st, NULL, village, vl, &c->e) != 0)
			return -1;
		f->village = vl->name;
	}
	return 0;
}

int
cli_login(struct cli *c)
{
	if (c->logged_in)
		return 0;
	const char *pw;
	struct stat sb;
	if (stat(c->data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		err_set(&c->e, E_REFUSED, _("no data directory %s: run \"dibao init\" first"), c->data_dir);
		return -1;
	}
	if (c->login == NULL || *c->login == '\0') {
		err_set(&c->e, E_REFUSED, "%s", _("a user is needed: give --user or DIBAO_USER"));
		return -1;
	}
	if ((pw = cli_password(_("password: "), "DIBAO_PASSWORD")) == NULL) {
		err_set(&c->e, E_REFUSED, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
		return -1;
	}
	/* the login comes first: an encrypted store opens only with the key
	 * the password unwraps (store/crypt.c) */
	if (store_open_login(&c->st, c->data_dir, 0, c->login, pw, &c->user, &c->e) != 0)
		return -1;
	c->logged_in = true;
	return 0;
}
