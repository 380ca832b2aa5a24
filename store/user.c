/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * user.c — users and roles, passwords (Argon2id through libsodium with
 * OWASP's minimum profile: 19 MiB, 2 passes, 1 lane, so an old PC logs in
 * without a 64 MiB peak), and `init`, which creates the data directory's
 * identity and its first administrator.  In an encrypted directory every
 * password change also rewraps the data key (crypt.c).
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/roles.h"
#include "core/sizes.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/settings.h"
#include "store/user.h"

enum user_tag { UT_LOGIN = 1, UT_NAME, UT_ROLE, UT_ID, UT_PWHASH, UT_DISABLED, UT_CREATED };
#define USER_REC_VERSION 1

static void
user_encode(const struct user *u, struct buf *b)
{
	rec_begin(b, RT_USER, USER_REC_VERSION);
	rec_str(b, UT_LOGIN, u->login);
	rec_str(b, UT_NAME, u->name);
	rec_int(b, UT_ROLE, u->role);
	rec_str(b, UT_ID, u->id);
	rec_str(b, UT_PWHASH, u->pwhash);
	rec_int(b, UT_DISABLED, u->disabled);
	rec_int(b, UT_CREATED, u->created);
}

static int
user_decode(const void *p, size_t len, struct user *u)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(u, 0, sizeof *u);
	if (rec_open(&r, p, len, RT_USER, USER_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case UT_LOGIN: bad |= rec_get_str(&r, u->login, sizeof u->login); break;
		case UT_NAME: bad |= rec_get_str(&r, u->name, sizeof u->name); break;
		case UT_ROLE: u->role = (enum role)rec_get_int(&r); break;
		case UT_ID: bad |= rec_get_str(&r, u->id, sizeof u->id); break;
		case UT_PWHASH: bad |= rec_get_str(&r, u->pwhash, sizeof u->pwhash); break;
		case UT_DISABLED: u->disabled = rec_get_int(&r) != 0; break;
		case UT_CREATED: u->created = rec_get_int(&r); break;
		default: break;
		}
	}
	if (n < 0 || bad || u->role >= ROLE__N)
		return -1;
	return 0;
}

int
user_get(struct store *st, store_txn *txn, const char *login, struct user *out, struct err *e)
{
	DBT k, v;
	int ret;

	dbt_init(&k, login, strlen(login));
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_MALLOC;
	ret = st->db[DBI_USERS]->get(st->db[DBI_USERS], txn, &k, &v, txn ? DB_RMW : 0);
	/* outside a transaction (the login) a standby's handle may die under
	 * the master's sync (DB_REP_HANDLE_DEAD, met by a console logging in on
	 * a standby still catching up): reopened and read again */
	for (int tries = 0; ret != 0 && ret != DB_NOTFOUND && txn == NULL && store_read_again(st, ret, &tries);)
		ret = st->db[DBI_USERS]->get(st->db[DBI_USERS], txn, &k, &v, 0);
	if (ret == DB_NOTFOUND)
		return err_set(e, E_NOTFOUND, _("no user %s"), login);
	if (ret != 0)
		return store_dberr(st, ret, login, e);
	ret = user_decode(v.data, v.size, out);
	free(v.data);
	if (ret != 0)
		return err_set(e, E_STORAGE, _("the record of user %s is damaged"), login);
	return 0;
}

static int
user_put(struct store *st, store_txn *txn, const struct user *u, bool create, struct err *e)
{
	struct buf b;
	DBT k, v;
	int ret;

	buf_init(&b);
	user_encode(u, &b);
	if (b.oom) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	dbt_init(&k, u->login, strlen(u->login));
	dbt_init(&v, b.p, b.len);
	ret = st->db[DBI_USERS]->put(st->db[DBI_USERS], txn, &k, &v, create ? DB_NOOVERWRITE : 0);
	if (ret == 0)
		audit_track(st, DBI_USERS, k.data, k.size, v.data, v.size); /* issue 16.5 */
	buf_free(&b);
	if (ret == DB_KEYEXIST)
		return err_set(e, E_REFUSED, _("user: %s already exists"), u->login);
	if (ret != 0)
		return store_dberr(st, ret, u->login, e);
	return 0;
}

static int
hash_password(const char *pw, char out[128], struct err *e)
{
	if (pw == NULL || strlen(pw) < 6)
		return err_set(e, E_REFUSED, _("password: must be at least 6 characters"));
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), DIBAO_PWHASH_OPS, DIBAO_PWHASH_MEM,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(e, E_STORAGE, _("password hashing failed (out of memory)"));
	return 0;
}

static int
check_login_name(const char *login, struct err *e)
{
	size_t n = strlen(login);
	if (n == 0 || n >= USER_MAX_BYTES)
		return err_set(e, E_REFUSED, _("user name: 1 to %d characters"), USER_MAX_BYTES - 1);
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-' || c == '.'))
			return err_set(e, E_REFUSED, _("user name: only letters, digits, _ - . are allowed"));
	}
	return 0;
}

struct add_baton {
	const struct user *actor;
	struct user u;
	bool wrap;
	struct key_wrap w;
};

/* Every user record through one cursor (in txn, or none): fn gets the
 * user, the cursor and the record's key (to rewrite it in place); it
 * returns 0 to go on, USERS_STOP to stop, or a Berkeley DB or errno code
 * (the walk fails with it).  0, or -1 with e set. */
enum { USERS_STOP = -1 }; /* no Berkeley DB or errno code */
typedef int (*user_rec_fn)(struct store *st, DBC *c, DBT *k, struct user *u, void *baton);

static int
users_walk(struct store *st, store_txn *txn, user_rec_fn fn, void *baton, struct err *e)
{
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = st->db[DBI_USERS]->cursor(st->db[DBI_USERS], txn, &c, 0)) != 0)
		return store_dberr(st, ret, _("listing users"), e);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		struct user u;
		if (user_decode(v.data, v.size, &u) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, _("a user record is damaged"));
		}
		int r = fn(st, c, &k, &u, baton);
		if (r == USERS_STOP)
			break;
		if (r != 0) {
			ret = r;
			break;
		}
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, _("listing users"), e);
	return 0;
}

struct by_person {
	const char *id, *except;
	char *who;
	int found;
};

static int
by_person_fn(struct store *st, DBC *c, DBT *k, struct user *u, void *baton)
{
	struct by_person *b = baton;
	(void)st, (void)c, (void)k;
	if (u->disabled || strcmp(u->id, b->id) != 0 || (b->except != NULL && strcmp(u->login, b->except) == 0))
		return 0;
	snprintf(b->who, USER_MAX_BYTES, "%s", u->login);
	b->found = 1;
	return USERS_STOP;
}

/* integrity (i12, SPEC 3): a person is known by the resident ID on the
 * account; the active account carrying `id` other than `except`, if any,
 * into who (returns 1), 0 when none. */
int
user_by_person(struct store *st, store_txn *txn, const char *id, const char *except, char who[USER_MAX_BYTES],
    struct err *e)
{
	struct by_person b = {id, except, who, 0};

	if (id == NULL || id[0] == '\0')
		return 0;
	if (users_walk(st, txn, by_person_fn, &b, e) != 0)
		return -1;
	return b.found;
}

static int
add_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct add_baton *a = baton;
	char who[USER_MAX_BYTES];
	int r = user_by_person(st, txn, a->u.id, a->u.login, who, e);

	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, E_REFUSED, _("ID number: the active account %s already carries %s: one person, one account"),
		    who, a->u.id);
	if (user_put(st, txn, &a->u, true, e) != 0)
		return -1;
	/* the key file last: the commit follows it */
	if (a->wrap && crypt_wrap_put(st, a->u.login, &a->w, e) != 0)
		return -1;
	return audit_appendj(st, txn, a->actor->login, "user.add", a->u.login,
	    json_pack("{s:s,s:s,s:s}", "role", role_terms[a->u.role].en, "name", a->u.name, "id", a->u.id), e);
}

static int
validate_user(struct user *u, struct err *e)
{
	const char *why;
	if (check_login_name(u->login, e) != 0)
		return -1;
	if (u->name[0] == '\0' || text_check(u->name, sizeof u->name - 1, &why) != 0)
		return err_set(e, E_REFUSED, "%s", _("name: must not be empty"));
	if (u->id[0] != '\0') {
		struct id_info info;
		dbdate_t today = date_from_epoch(time(NULL), 8 * 3600);
		if (id_check(u->id, today, &info, &why) != 0)
			return err_set(e, E_REFUSED, "%s", _(why));
		memcpy(u->id, info.id, sizeof u->id);
	}
	return 0;
}

int
user_add(struct store *st, const struct user *actor, const struct user *u,
    const char *password, struct err *e)
{
	struct add_baton a = {.actor = actor, .u = *u};

	if (store_require(actor, ACT_USERS, e) != 0 || validate_user(&a.u, e) != 0)
		return -1;
	/* no password: a locked account ("!" matches no Argon2id string) until
	 * an admin sets one with user passwd */
	if (password == NULL)
		strcpy(a.u.pwhash, "!");
	else if (hash_password(password, a.u.pwhash, e) != 0)
		return -1;
	if (password != NULL && st->enc) {
		if (crypt_wrap_make(st, password, &a.w, e) != 0)
			return -1;
		a.wrap = true;
	}
	a.u.created = (int64_t)time(NULL);
	a.u.disabled = false;
	return store_txn_run(st, add_body, &a, e);
}

/* a new password, a disabled user, a recovery (pw_body), or a hash or wrap
 * made again at the login (rehash: rehash_put, with wrap) */
struct pw_baton {
	const struct user *actor;
	const char *login;
	char hash[128];
	bool disable;
	bool recover;
	bool rehash;
	bool wrap;
	struct key_wrap w;
};

static int rehash_put(struct store *st, store_txn *txn, const struct pw_baton *r, struct user *u,
    struct err *e);

static int
pw_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct pw_baton *p = baton;
	struct user u;

	if (user_get(st, txn, p->login, &u, e) != 0)
		return -1;
	if (p->rehash)
		return rehash_put(st, txn, p, &u, e);
	if (p->disable) {
		if (strcmp(p->login, p->actor->login) == 0)
			return err_set(e, E_REFUSED, _("user: you cannot disable yourself"));
		u.disabled = true;
	} else {
		if (p->recover && (u.role != ROLE_ADMIN || u.disabled))
			return err_set(e, E_REFUSED, _("recovery: %s is not an enabled administrator"), p->login);
		memcpy(u.pwhash, p->hash, sizeof u.pwhash);
	}
	if (user_put(st, txn, &u, false, e) != 0)
		return -1;
	/* the key file: a disabled user's wrap goes, a new password rewraps
	 * (a disabled user's wrap is not brought back by a new password) */
	if (p->disable ? crypt_wrap_del(st, p->login, e) != 0 :
	    (!u.disabled && crypt_wrap_put(st, p->login, &p->w, e) != 0))
		return -1;
	return audit_append(st, txn, p->recover ? p->login : p->actor->login,
	    p->disable ? "user.disable" : p->recover ? "user.recover" : "user.passwd", p->login, NULL, e);
}

/* A new password: its hash and (encrypted) its wrap, then pw_body. */
static int
pw_set(struct store *st, struct pw_baton *p, const char *password, struct err *e)
{
	if (hash_password(password, p->hash, e) != 0)
		return -1;
	if (st->enc && crypt_wrap_make(st, password, &p->w, e) != 0)
		return -1;
	return store_txn_run(st, pw_body, p, e);
}

int
user_passwd(struct store *st, const struct user *actor, const char *login,
    const char *password, struct err *e)
{
	struct pw_baton p = {.actor = actor, .login = login};

	if (actor == NULL || strcmp(actor->login, login) != 0)
		if (store_require(actor, ACT_USERS, e) != 0)
			return -1;
	return pw_set(st, &p, password, e);
}

int
user_recover(struct store *st, const char *login, const char *password, struct err *e)
{
	struct pw_baton p = {.login = login, .recover = true};

	return pw_set(st, &p, password, e);
}

int
user_disable(struct store *st, const struct user *actor, const char *login, struct err *e)
{
	struct pw_baton p = {.actor = actor, .login = login, .disable = true};

	if (store_require(actor, ACT_USERS, e) != 0)
		return -1;
	return store_txn_run(st, pw_body, &p, e);
}

struct list_baton {
	user_fn fn;
	void *baton;
};

static int
list_fn(struct store *st, DBC *c, DBT *k, struct user *u, void *baton)
{
	struct list_baton *b = baton;
	(void)st, (void)c, (void)k;
	return b->fn(u, b->baton) != 0 ? USERS_STOP : 0;
}

int
user_list(struct store *st, user_fn fn, void *baton, struct err *e)
{
	struct list_baton b = {fn, baton};
	return users_walk(st, NULL, list_fn, &b, e);
}

struct fail_baton {
	const char *login;
};

static int
login_fail_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct fail_baton *f = baton;
	struct err ignored;
	/* what was typed is untrusted: record it only when it is a possible
	 * user name, so the chain never holds text it cannot read back */
	const char *who = check_login_name(f->login, &ignored) == 0 ? f->login : "?";
	return audit_append(st, txn, who, "login.fail", who, NULL, e);
}

/* pw_body for the login's own rehash (rehash below) */
static int
rehash_put(struct store *st, store_txn *txn, const struct pw_baton *r, struct user *u, struct err *e)
{
	if (r->hash[0] != '\0')
		memcpy(u->pwhash, r->hash, sizeof u->pwhash);
	if (user_put(st, txn, u, false, e) != 0 ||
	    (r->wrap && crypt_wrap_put(st, r->login, &r->w, e) != 0))
		return -1;
	return audit_appendj(st, txn, r->login, "user.rehash", r->login,
	    json_pack("{s:i,s:i}", "opslimit", DIBAO_PWHASH_OPS, "memlimit", (int)DIBAO_PWHASH_MEM), e);
}

/* A hash (or a wrap) made with older limits is made again with today's
 * profile at the login that proves the password.  Failing to do so does
 * not fail the login: the old one still verifies. */
static void
rehash(struct store *st, const struct user *u, const char *password, bool rewrap)
{
	struct pw_baton r = {.login = u->login, .rehash = true};
	struct err e;

	if (crypto_pwhash_str_needs_rehash(u->pwhash, DIBAO_PWHASH_OPS, DIBAO_PWHASH_MEM) != 0 &&
	    hash_password(password, r.hash, &e) != 0)
		return;
	if (rewrap && st->enc) {
		if (crypt_wrap_make(st, password, &r.w, &e) != 0)
			return;
		r.wrap = true;
	}
	if (r.hash[0] != '\0' || r.wrap)
		store_txn_run(st, pw_body, &r, &e);
}

int
user_login_checked(struct store *st, const char *login, const char *password, bool rewrap,
    struct user *out, struct err *e)
{
	if (user_get(st, NULL, login, out, e) != 0) {
		if (e->code == E_NOTFOUND)
			return err_set(e, E_REFUSED, _("login: wrong user name or password"));
		return -1;
	}
	if (out->disabled)
		return err_set(e, E_REFUSED, _("user %s is disabled"), login);
	rehash(st, out, password, rewrap);
	return 0;
}

int
user_login(struct store *st, const char *login, const char *password, struct user *out, struct err *e)
{
	struct err e2;
	struct fail_baton f = {.login = login};

	if (login == NULL || *login == '\0')
		return err_set(e, E_REFUSED, _("a user is needed: give --user or DIBAO_USER"));
	if (user_get(st, NULL, login, out, e) != 0) {
		if (e->code != E_NOTFOUND)
			return -1;
		/* same message, and the same trace, for an unknown user and a
		 * wrong password */
		store_txn_run(st, login_fail_body, &f, &e2);
		return err_set(e, E_REFUSED, _("login: wrong user name or password"));
	}
	if (password == NULL || crypto_pwhash_str_verify(out->pwhash, password, strlen(password)) != 0) {
		store_txn_run(st, login_fail_body, &f, &e2);
		return err_set(e, E_REFUSED, _("login: wrong user name or password"));
	}
	if (out->disabled)
		return err_set(e, E_REFUSED, _("user %s is disabled"), login);
	rehash(st, out, password, false);
	return 0;
}

struct init_baton {
	const char *code, *name, *password;
	bool county;
	struct user admin;
};

static int
init_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct init_baton *b = baton;
	char fmt[16];

	snprintf(fmt, sizeof fmt, "%d", STORE_FORMAT);
	if (meta_put(st, txn, "format", fmt, e) != 0 ||
	    meta_put(st, txn, "kind", b->county ? "county" : "township", e) != 0 ||
	    setting_put_raw(st, txn, b->county ? "county.code" : "township.code", b->code, e) != 0 ||
	    setting_put_raw(st, txn, b->county ? "county.name" : "township.name", b->name, e) != 0 ||
	    user_put(st, txn, &b->admin, true, e) != 0)
		return -1;
	/* an encrypted directory: the key file with the admin's and the
	 * recovery code's wraps, the last step before the commit */
	if (crypt_keys_init(st, b->admin.login, b->password, NULL, 0, e) != 0)
		return -1;
	return audit_appendj(st, txn, b->admin.login, "init", b->code,
	    json_pack("{s:s,s:s,s:s,s:s}", "kind", b->county ? "county" : "township", "code", b->code,
	    "name", b->name, "admin", b->admin.login), e);
}

int
store_init(struct store *st, const char *code, const char *name, bool county,
    const char *admin, const char *password, struct err *e)
{
	struct init_baton b = {.code = code, .name = name, .county = county, .password = password};
	const char *why;
	size_t clen = strlen(code);

	if (county ? (clen != 6 || strspn(code, "0123456789") != 6) : !township_code_valid(code))
		return err_set(e, E_REFUSED, county ? _("county code: must be 6 digits") :
		    _("township code: must be 9 digits"));
	if (*name == '\0' || text_check(name, TEXT_SHORT - 1, &why) != 0)
		return err_set(e, E_REFUSED, _("township name: must not be empty, at most 21 characters"));
	if (check_login_name(admin, e) != 0)
		return -1;
	snprintf(b.admin.login, sizeof b.admin.login, "%s", admin);
	snprintf(b.admin.name, sizeof b.admin.name, "%s", admin);
	b.admin.role = ROLE_ADMIN;
	b.admin.created = (int64_t)time(NULL);
	if (hash_password(password, b.admin.pwhash, e) != 0)
		return -1;
	return store_txn_run(st, init_body, &b, e);
}

struct lock_baton {
	const char *login;
	json_t *locked;
};

static int
lock_fn(struct store *st, DBC *c, DBT *k, struct user *u, void *baton)
{
	struct lock_baton *b = baton;
	if (strcmp(u->login, b->login) == 0 || u->disabled || strcmp(u->pwhash, "!") == 0)
		return 0;
	strcpy(u->pwhash, "!");
	struct buf buf;
	buf_init(&buf);
	user_encode(u, &buf);
	DBT nv;
	dbt_init(&nv, buf.p, buf.len);
	int ret = buf.oom ? ENOMEM : c->put(c, k, &nv, DB_CURRENT);
	if (ret == 0)
		audit_track(st, DBI_USERS, k->data, k->size, nv.data, nv.size); /* issue 16.5 */
	buf_free(&buf);
	if (ret != 0)
		return ret;
	json_array_append_new(b->locked, json_string(u->login));
	return 0;
}

/* dibao encrypt (i14): in the new encrypted store only the converting
 * administrator has a key; every other enabled user's password is locked
 * ("!") until an administrator sets a new one (user passwd), which wraps
 * the key for them.  Their logins are appended to `locked`. */
int
user_lock_all_but(struct store *st, store_txn *txn, const char *login, json_t *locked, struct err *e)
{
	struct lock_baton b = {login, locked};
	return users_walk(st, txn, lock_fn, &b, e);
}

struct console_baton {
	const char *login, *event, *other;
};

static int
console_body(struct store *st, store_txn *txn, void *baton, struct err *e)
{
	struct console_baton *b = baton;
	return audit_appendj(st, txn, b->login, b->event, "console",
	    b->other ? json_pack("{s:s}", "from", b->other) : json_object(), e);
}

int
user_console_event(struct store *st, const char *login, const char *event, const char *other, struct err *e)
{
	struct console_baton b = {login, event, other};
	return store_txn_run(st, console_body, &b, e);
}
