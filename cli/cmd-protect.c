/*
 * cmd-protect.c — the commands that protect the people in the data
 * (SPEC 11): `recover`, the way back in with the recovery sheet's code.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "print/forms.h"

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
		return cli_usage(cmds_protect[0].usage);
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
		return cli_usage(cmds_protect[1].usage);
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

const struct cmd_entry cmds_protect[] = {
	{"recover", NULL, "recover --code CODE",
	    N_("with the recovery sheet's code: a new password for the administrator named by --user (DIBAO_NEW_PASSWORD)"),
	    NEEDS_SELF, recover_exec},
	{"county", "key", "county key [--pdf FILE]",
	    N_("(county) print the public key that townships enter as county.key, and a one-page PDF with its QR"),
	    NEEDS_USER, county_key_exec},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
