/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd-protect.c — the commands that protect the people in the data
 * (SPEC 11): `recover`, the way back in with the recovery sheet's code.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "print/forms.h"

#include "core/base.h"
#include "core/roles.h"
#include "store/crypt.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

static int
recover_exec(struct cli *c, int argc, char **argv)
{
	const char *code = NULL, *pw;
	const struct opt opts[] = {{"code", OPT_VALUE, &code}, {NULL, 0, NULL}};
	char *pos[1];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0 || code == NULL)
		return cli_usage_cmd(c);
	if (c->login == NULL || *c->login == '\0')
		return cli_refuse(c, "%s", _("a user is needed: give --user or DIBAO_USER"));
	if ((pw = cli_password(_("new password: "), "DIBAO_NEW_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_NEW_PASSWORD or run in a terminal)"));
	if (store_recover(c->data_dir, code, c->login, pw, &c->e) != 0)
		return cli_fail(c);
	if (!c->json)
		printf(_("new password set for %s\n"), c->login);
	return 0;
}

/* county key [--pdf FILE]: the public key townships enter as county.key,
 * as hex and on a one-page PDF with its QR (made at the first call) */
static int
county_key_exec(struct cli *c, int argc, char **argv)
{
	const char *pdf = NULL;
	const struct opt opts[] = {{"pdf", OPT_VALUE, &pdf}, {NULL, 0, NULL}};
	char *pos[1], hex[65], path[1200], name[128] = "", code[16] = "", l1[256], l2[256];
	unsigned char pk[32], sk[32];
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	if (county_keypair(c->st, &c->user, true, pk, sk, &c->e) != 0)
		return cli_fail(c);
	sodium_memzero(sk, sizeof sk);
	sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
	setting_get(c->st, NULL, "county.name", name, sizeof name, &c->e);
	setting_get(c->st, NULL, "county.code", code, sizeof code, &c->e);
	err_clear(&c->e);
	if (pdf != NULL) {
		snprintf(path, sizeof path, "%s", pdf);
	} else {
		const char *home = getenv("HOME");
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/低保输出", home && *home ? home : ".");
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return cli_refuse(c, _("cannot create %s: %s"), dir, strerror(errno));
		snprintf(path, sizeof path, "%s/县级公钥-%s.pdf", dir, code);
	}
	snprintf(l1, sizeof l1, _("County: %s (%s)"), name, code);
	snprintf(l2, sizeof l2, "%s", _("Each township enters this key once: dibao setting set county.key KEY (or the settings screen). Monthly archives are then sealed so that only this county opens them."));
	const char *lines[] = {l1, l2};
	if (recovery_sheet_write(path, _("Public key of the county for sealed archives"), lines, 2,
	    _("Public key:"), hex, &c->e) != 0)
		return cli_fail(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s}", "key", hex, "pdf", path));
	printf("%s\n", hex);
	fprintf(stderr, _("dibao: key sheet written to %s\n"), path);
	return 0;
}

/* encrypt [--sheet FILE]: the plaintext data directory becomes encrypted */
static int
encrypt_exec(struct cli *c, int argc, char **argv)
{
	const char *sheet = NULL, *pw;
	const struct opt opts[] = {{"sheet", OPT_VALUE, &sheet}, {NULL, 0, NULL}};
	char *pos[1], path[1200] = "", code[16] = "", name[128] = "";
	struct encrypt_result *r;
	struct store *st;
	struct user u;
	int npos;

	if (opts_parse(argc, argv, opts, pos, &npos, 0) != 0)
		return cli_usage_cmd(c);
	if (c->login == NULL || *c->login == '\0')
		return cli_refuse(c, "%s", _("a user is needed: give --user or DIBAO_USER"));
	if ((pw = cli_password(_("password: "), "DIBAO_PASSWORD")) == NULL)
		return cli_refuse(c, "%s", _("password: none given (set DIBAO_PASSWORD or run in a terminal)"));
	if ((r = calloc(1, sizeof *r)) == NULL)
		return 3;
	if (store_encrypt(c->data_dir, c->login, pw, r, &c->e) != 0) {
		free(r);
		return cli_fail(c);
	}
	/* the recovery sheet of the new key */
	if (store_open_login(&st, c->data_dir, 0, c->login, pw, &u, &c->e) == 0) {
		if (setting_get(st, NULL, "township.code", code, sizeof code, &c->e) != 0 || code[0] == '\0')
			setting_get(st, NULL, "county.code", code, sizeof code, &c->e);
		if (setting_get(st, NULL, "township.name", name, sizeof name, &c->e) != 0 || name[0] == '\0')
			setting_get(st, NULL, "county.name", name, sizeof name, &c->e);
		store_close(st);
	}
	err_clear(&c->e);
	if (cli_recovery_sheet(c, sheet, code, name, r->recovery, path, sizeof path) != 0) {
		cli_fail(c);
		path[0] = '\0';
	}
	if (c->json) {
		json_t *l = json_array();
		for (int i = 0; i < r->n_locked && i < 64; i++)
			json_array_append_new(l, json_string(r->locked[i]));
		int ret = cli_print_json(json_pack("{s:I,s:I,s:s,s:s,s:s?,s:o}", "records", (json_int_t)r->records,
		    "files", (json_int_t)r->files, "old", r->old_dir, "recovery_code", r->recovery,
		    "recovery_sheet", path[0] ? path : NULL, "new_password_needed", l));
		free(r);
		return ret;
	}
	printf(_("%s is encrypted: %llu records and %llu scans copied and verified\n"), c->data_dir,
	    (unsigned long long)r->records, (unsigned long long)r->files);
	printf(_("the unencrypted original is kept in %s: remove it once the encrypted one works\n"), r->old_dir);
	printf(_("recovery code: %s\n"), r->recovery);
	if (path[0])
		printf(_("recovery sheet: %s (print it and keep it in the safe, then delete the file)\n"), path);
	for (int i = 0; i < r->n_locked && i < 64; i++)
		printf(_("user %s needs a new password (dibao user passwd %s)\n"), r->locked[i], r->locked[i]);
	free(r);
	return 0;
}

const struct cmd_entry cmds_protect[] = {
	{"recover", NULL, "recover --code CODE",
	    N_("with the recovery sheet's code: a new password for the administrator named by --user (DIBAO_NEW_PASSWORD)"),
	    NEEDS_SELF, recover_exec},
	{"county", "key", "county key [--pdf FILE]",
	    N_("(county) print the public key that townships enter as county.key, and a one-page PDF with its QR"),
	    NEEDS_USER, county_key_exec},
	{"encrypt", NULL, "encrypt [--sheet FILE.pdf]",
	    N_("(admin) encrypt an existing plaintext data directory: copied, verified, then swapped; the original is kept"),
	    NEEDS_SELF, encrypt_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
