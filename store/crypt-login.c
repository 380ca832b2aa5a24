/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crypt-login.c — encryption at rest (SPEC 11), the users' side: the login
 * that unwraps the data key before the environment can open, the recovery
 * code's login, and the key file checked against the users.  Above the
 * environment (open.c, crypt-env.c), the key file (crypt.c) and the users
 * (user.c).
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/afile.h"
#include "store/audit-int.h"
#include "store/check.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/user.h"
#include "store/crypt-int.h"
#include "core/sizes.h"

/* ---- login before the environment opens -------------------------------- */

/* A failed login cannot reach the audit chain of a store it could not
 * open: it is noted in dibao.logins (time and user name, no password) and
 * moved into the chain as "login.fail" by the next login that opens it. */
#define LOGINS "dibao.logins"
#define LOGINS_MAX 65536

static void
note_failure(const char *dir, const char *login)
{
	char path[PATH_MAX], line[128];
	struct stat sb;
	int lk, fd;
	bool name_ok = login != NULL && *login != '\0' && strlen(login) < USER_MAX_BYTES &&
	    strspn(login, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(login);

	if ((size_t)snprintf(path, sizeof path, "%s/" LOGINS, dir) >= sizeof path)
		return;
	int n = snprintf(line, sizeof line, "%lld %s\n", (long long)time(NULL), name_ok ? login : "?");
	if ((lk = dir_lock(dir)) < 0)
		return;
	if ((stat(path, &sb) != 0 || sb.st_size < LOGINS_MAX) &&
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) >= 0) {
		if (write(fd, line, (size_t)n) == n)
			fsync(fd);
		close(fd);
	}
	dir_unlock(lk);
}

struct fail_list {
	char *text;
};

static int
flush_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct fail_list *f = baton;
	char *save = NULL, *copy = strdup(f->text);

	if (copy == NULL)
		return err_set(e, E_STORAGE, _("out of memory"));
	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		long long at;
		char who[USER_MAX_BYTES];
		if (sscanf(l, "%lld %31s", &at, who) != 2)
			continue;
		if (audit_appendj(st, txn, who, "login.fail", who, json_pack("{s:I}", "at", (json_int_t)at), e) != 0) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

static void
flush_failures(struct store *st)
{
	char path[PATH_MAX];
	struct fail_list f = {NULL};
	struct stat sb;
	struct err e;
	int lk, fd;

	if ((size_t)snprintf(path, sizeof path, "%s/" LOGINS, st->dir) >= sizeof path || stat(path, &sb) != 0)
		return;
	/* read under the directory lock, audit without it (a transaction
	 * rewriting the key file takes it), then drop what was audited */
	if ((lk = dir_lock(st->dir)) < 0)
		return;
	bool got = (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 && fstat(fd, &sb) == 0 && sb.st_size <= LOGINS_MAX &&
	    (f.text = calloc(1, (size_t)sb.st_size + 1)) != NULL &&
	    read(fd, f.text, (size_t)sb.st_size) == sb.st_size;
	if (fd >= 0)
		close(fd);
	dir_unlock(lk);
	if (got && store_txn_run(st, flush_body, &f, &e) == 0 && (lk = dir_lock(st->dir)) >= 0) {
		struct stat now;
		if (stat(path, &now) == 0 && now.st_size == sb.st_size)
			unlink(path);
		else if (stat(path, &now) == 0 && (fd = open(path, O_RDWR | O_CLOEXEC)) >= 0) {
			/* more came meanwhile: keep only that */
			size_t rest = (size_t)(now.st_size - sb.st_size);
			char *tail = malloc(rest);
			if (tail != NULL && pread(fd, tail, rest, sb.st_size) == (ssize_t)rest &&
			    pwrite(fd, tail, rest, 0) == (ssize_t)rest)
				(void)ftruncate(fd, (off_t)rest);
			free(tail);
			close(fd);
		}
		dir_unlock(lk);
	}
	free(f.text);
}

int
store_open_login(struct store **out, const char *dir, int flags, const char *login, const char *password,
    struct user *u, struct err *e)
{
	unsigned char key[32];
	bool outdated = false;
	int ret;

	*out = NULL;
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, E_REFUSED, _("no data directory %s: run \"dibao init\" first"), dir);
	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (!store_dir_encrypted(dir)) {
		if (store_open(out, dir, flags, e) != 0)
			return -1;
		if (user_login(*out, login, password, u, e) != 0) {
			store_close(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
	if (crypt_unwrap(dir, WRAP_USER, login, password, key, &outdated, e) != 0) {
		if (e->code == E_REFUSED)
			note_failure(dir, login);
		return -1;
	}
	ret = store_open_key(out, dir, flags, key, e);
	sodium_memzero(key, sizeof key);
	if (ret != 0)
		return -1;
	/* the wrap opened: the password is right; user_login_checked sees to
	 * a disabled user and to hashes and wraps of an older profile */
	if (user_login_checked(*out, login, password, outdated, u, e) != 0) {
		store_close(*out);
		*out = NULL;
		return -1;
	}
	flush_failures(*out);
	return 0;
}

int
store_recover(const char *dir, const char *code, const char *login, const char *password, struct err *e)
{
	unsigned char key[32];
	struct store *st;
	int ret;

	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (!store_dir_encrypted(dir))
		return err_set(e, E_REFUSED, _("%s is not encrypted: it has no recovery code (an admin sets passwords with user passwd)"), dir);
	if (crypt_unwrap(dir, WRAP_RECOVERY, NULL, code, key, NULL, e) != 0)
		return -1;
	ret = store_open_key(&st, dir, 0, key, e);
	sodium_memzero(key, sizeof key);
	if (ret != 0)
		return -1;
	ret = user_recover(st, login, password, e);
	store_close(st);
	return ret;
}


/* The key file against the users (store check): crypt.c reads the file,
 * user.c walks the users. */
int
crypt_check(struct store *st, problem_fn fn, void *baton)
{
	return crypt_check_users(st, user_list, fn, baton);
}
