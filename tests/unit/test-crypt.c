/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-crypt.c — encryption at rest and the password profile (store/crypt.c,
 * store/user.c): an encrypted store opens only through a user's wrap; a
 * damaged key file is refused; a disabled user's wrap is gone; a hash of
 * libsodium's older interactive limits still verifies and is rehashed to
 * the OWASP profile at the login.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "import/seal.h"
#include "core/roles.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/scratch.h"
#include "store/user.h"

static void
tmpdir(char dir[PATH_MAX])
{
	snprintf(dir, PATH_MAX, "%s/dibao-crypt.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	strcat(dir, "/data");
}

static void
rmdir_all(char dir[PATH_MAX])
{
	char cmd[PATH_MAX + 16];
	dir[strlen(dir) - 5] = '\0';
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
count_problem(const char *msg, void *baton)
{
	fprintf(stderr, "problem: %s\n", msg);
	++*(int *)baton;
}

/* Every descriptor the process holds past 0-2 is close-on-exec: a command
 * run again (store/restart.c) must not inherit one.  It once inherited the
 * data directory's lock (dir_lock) taken during the open it was stuck in,
 * and waited on its own lock for ever (crash.sh under load). */
static bool inherited[1024];     /* what the test itself was started with */

/* fn on each descriptor this process holds (but the listing's own) */
static void
fds_each(void (*fn)(int fd))
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d))
			fn(atoi(de->d_name));
	closedir(d);
}

static void
note_inherited(int fd)
{
	if (fd >= 0 && fd < 1024)
		inherited[fd] = true;
}

static void
cloexec_or_fail(int fd)
{
	if (fd <= 2 || (fd < 1024 && inherited[fd]))
		return;
	int fl = fcntl(fd, F_GETFD);
	if (fl >= 0 && !(fl & FD_CLOEXEC)) {
		char link[64], to[PATH_MAX];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, to, sizeof to - 1);
		to[n > 0 ? n : 0] = '\0';
		fail_msg("descriptor %d (%s) is not close-on-exec", fd, to);
	}
}

#define all_cloexec() fds_each(cloexec_or_fail)

static void
test_cloexec(void **state)
{
	char dir[PATH_MAX];
	struct store *st;
	struct user admin;
	struct err e;
	(void)state;

	fds_each(note_inherited);
	tmpdir(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	int lk = dir_lock(dir);
	assert_true(lk >= 0);
	assert_true(fcntl(lk, F_GETFD) & FD_CLOEXEC);
	all_cloexec();
	dir_unlock(lk);
	assert_int_equal(store_open(&st, dir, STORE_CREATE | STORE_ENCRYPT, &e), 0);
	assert_int_equal(store_init(st, "330102001", "青石镇", false, "admin", "secret-admin", &e), 0);
	all_cloexec();
	store_close(st);
	assert_int_equal(store_open_login(&st, dir, 0, "admin", "secret-admin", &admin, &e), 0);
	all_cloexec();
	store_close(st);
}

static void
test_encrypted_login(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct store *st;
	struct user admin, u, clerk = {.login = "clerk", .name = "经办人", .role = ROLE_CLERK};
	struct err e;
	int problems = 0;
	(void)state;

	tmpdir(dir);
	assert_int_equal(store_open(&st, dir, STORE_CREATE | STORE_ENCRYPT, &e), 0);
	assert_int_equal(store_init(st, "330102001", "青石镇", false, "admin", "secret-admin", &e), 0);
	assert_true(store_encrypted(st));
	assert_non_null(store_recovery_code(st));
	assert_int_equal(strlen(store_recovery_code(st)), 39); /* 8 groups of 4, 7 dashes */
	assert_int_equal(user_login(st, "admin", "secret-admin", &admin, &e), 0);
	assert_int_equal(user_add(st, &admin, &clerk, "secret-clerk", &e), 0);
	store_close(st);
	assert_true(store_dir_encrypted(dir));

	/* no key, a wrong password, an unknown user: refused */
	assert_int_equal(store_open(&st, dir, 0, &e), -1);
	assert_int_equal(e.code, E_REFUSED);
	assert_int_equal(store_open_login(&st, dir, 0, "admin", "wrong", &u, &e), -1);
	assert_null(st);
	assert_int_equal(store_open_login(&st, dir, 0, "nobody", "secret-admin", &u, &e), -1);
	/* the clerk's own wrap opens it */
	assert_int_equal(store_open_login(&st, dir, 0, "clerk", "secret-clerk", &u, &e), 0);
	assert_int_equal(u.role, ROLE_CLERK);
	store_close(st);

	/* a wrap of an older profile (libsodium's interactive limits, 64 MiB)
	 * opens, and the login wraps the key again with today's: audited once */
	{
		struct key_wrap w;
		unsigned char kek[32];
		uint64_t n1, n2, n3;
		unsigned char head[32];
		assert_int_equal(store_open_login(&st, dir, 0, "admin", "secret-admin", &admin, &e), 0);
		memset(&w, 0, sizeof w);
		randombytes_buf(w.salt, sizeof w.salt);
		randombytes_buf(w.nonce, sizeof w.nonce);
		w.ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		w.mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		assert_int_equal(crypto_pwhash(kek, 32, "secret-clerk", 12, w.salt, w.ops, (size_t)w.mem,
		    crypto_pwhash_ALG_ARGON2ID13), 0);
		crypto_secretbox_easy(w.box, st->key, 32, w.nonce, kek);
		assert_int_equal(crypt_wrap_put(st, "clerk", &w, &e), 0);
		assert_int_equal(audit_verify(st, &n1, head, &e), 0);
		store_close(st);
		assert_int_equal(store_open_login(&st, dir, 0, "clerk", "secret-clerk", &u, &e), 0);
		assert_int_equal(audit_verify(st, &n2, head, &e), 0);
		assert_int_equal(n2, n1 + 1);            /* user.rehash */
		store_close(st);
		assert_int_equal(store_open_login(&st, dir, 0, "clerk", "secret-clerk", &u, &e), 0);
		assert_int_equal(audit_verify(st, &n3, head, &e), 0);
		assert_int_equal(n3, n2);                /* the new wrap is of today's profile */
		store_close(st);
	}

	/* disabled: the wrap is gone, the login names the reason */
	assert_int_equal(store_open_login(&st, dir, 0, "admin", "secret-admin", &admin, &e), 0);
	assert_int_equal(user_disable(st, &admin, "clerk", &e), 0);
	assert_int_equal(crypt_check(st, count_problem, &problems), 0);
	assert_int_equal(problems, 0);
	store_close(st);
	assert_int_equal(store_open_login(&st, dir, 0, "clerk", "secret-clerk", &u, &e), -1);
	assert_non_null(strstr(e.msg, "clerk"));
	assert_int_equal(store_open_login(&st, dir, 0, "clerk", "wrong-one", &u, &e), -1);
	assert_null(strstr(e.msg, "clerk"));

	/* one flipped byte anywhere in the key file: damaged, named */
	snprintf(path, sizeof path, "%s/dibao.keys", dir);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	off_t size = lseek(fd, 0, SEEK_END);
	for (off_t at = 0; at < size; at += 7) {
		unsigned char c;
		assert_int_equal(pread(fd, &c, 1, at), 1);
		c ^= 0x20;
		assert_int_equal(pwrite(fd, &c, 1, at), 1);
		assert_int_equal(store_open_login(&st, dir, 0, "admin", "secret-admin", &u, &e), -1);
		c ^= 0x20;
		assert_int_equal(pwrite(fd, &c, 1, at), 1);
	}
	close(fd);
	assert_int_equal(store_open_login(&st, dir, 0, "admin", "secret-admin", &u, &e), 0);
	store_close(st);
	rmdir_all(dir);
}

static void
test_rehash(void **state)
{
	char dir[PATH_MAX], old[crypto_pwhash_STRBYTES];
	struct store *st;
	struct user admin, u;
	struct buf b;
	struct err e;
	DBT k, v;
	(void)state;

	tmpdir(dir);
	assert_int_equal(store_open(&st, dir, STORE_CREATE, &e), 0);
	assert_int_equal(store_init(st, "330102001", "青石镇", false, "admin", "secret-admin", &e), 0);
	assert_int_equal(user_get(st, NULL, "admin", &admin, &e), 0);
	assert_non_null(strstr(admin.pwhash, "$argon2id$v=19$m=19456,t=2,p=1$"));

	/* a user of an older version: libsodium's interactive limits (64 MiB);
	 * the record written as FORMAT.md 4.2 says (tags 1..7) */
	assert_int_equal(crypto_pwhash_str(old, "secret-old", 10, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
	buf_init(&b);
	rec_begin(&b, RT_USER, 1);
	rec_str(&b, 1, "old");
	rec_str(&b, 2, "老用户");
	rec_int(&b, 3, ROLE_CLERK);
	rec_str(&b, 4, "");
	rec_str(&b, 5, old);
	rec_int(&b, 6, 0);
	rec_int(&b, 7, 0);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = "old";
	k.size = 3;
	v.data = b.p;
	v.size = (u_int32_t)b.len;
	assert_int_equal(st->db[DBI_USERS]->put(st->db[DBI_USERS], NULL, &k, &v, DB_AUTO_COMMIT), 0);
	buf_free(&b);

	assert_int_equal(user_login(st, "old", "wrong", &u, &e), -1);
	assert_int_equal(user_get(st, NULL, "old", &u, &e), 0);
	assert_string_equal(u.pwhash, old);   /* a wrong password changes nothing */
	assert_int_equal(user_login(st, "old", "secret-old", &u, &e), 0);
	assert_int_equal(user_get(st, NULL, "old", &u, &e), 0);
	assert_non_null(strstr(u.pwhash, "$argon2id$v=19$m=19456,t=2,p=1$"));
	assert_int_equal(user_login(st, "old", "secret-old", &u, &e), 0);
	store_close(st);
	rmdir_all(dir);
}

/* ---- the sealed archive is sealed while it streams (issue 14) ---------- */

static unsigned char *
slurp(const char *path, size_t *n)
{
	struct stat sb;
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	unsigned char *p = malloc((size_t)sb.st_size + 1);
	assert_non_null(p);
	assert_int_equal(read(fd, p, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*n = (size_t)sb.st_size;
	return p;
}

static void
write_entries(struct archive *a, size_t big)
{
	unsigned char *b = malloc(big);
	uint32_t x = 12345;
	assert_non_null(b);
	for (size_t i = 0; i < big; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(i % 7 == 0 ? x >> 24 : 'a' + i % 26); /* half compressible */
	}
	const char *names[] = {"top/manifest.json", "top/data.bin"};
	size_t sizes[] = {100, big};
	for (int k = 0; k < 2; k++) {
		struct archive_entry *en = archive_entry_new();
		archive_entry_set_pathname(en, names[k]);
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0600);
		archive_entry_set_size(en, (la_int64_t)sizes[k]);
		archive_entry_set_mtime(en, 1773630000, 0);
		assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, b, sizes[k]), (la_ssize_t)sizes[k]);
		archive_entry_free(en);
	}
	free(b);
}

static struct archive *
new_writer(bool zip)
{
	struct archive *a = archive_write_new();
	if (zip) {
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
		assert_int_equal(archive_write_set_filter_option(a, "gzip", "timestamp", NULL), ARCHIVE_OK);
	}
	return a;
}

static void
test_seal_stream(void **state)
{
	(void)state;
	/* below a chunk, across two, and of many (64 KiB chunks) */
	const size_t bigs[] = {1000, 140000, 700000};
	for (int z = 0; z < 2; z++)
		for (size_t t = 0; t < sizeof bigs / sizeof bigs[0]; t++) {
			char dir[] = "/tmp/dibao-seal.XXXXXX", plain[64], sealed[64];
			struct err e;
			unsigned char pk[32], sk[32];
			assert_non_null(mkdtemp(dir));
			snprintf(plain, sizeof plain, "%s/plain", dir);
			snprintf(sealed, sizeof sealed, "%s/sealed", dir);

			struct archive *a = new_writer(z);
			assert_int_equal(archive_write_open_filename(a, plain), ARCHIVE_OK);
			write_entries(a, bigs[t]);
			assert_int_equal(archive_write_close(a), ARCHIVE_OK);
			archive_write_free(a);

			crypto_box_keypair(pk, sk);
			struct seal_out *so = seal_out_new(pk, "330102001", "2026-03", &e);
			assert_non_null(so);
			a = new_writer(z);
			assert_int_equal(archive_seal_open(a, so, sealed), ARCHIVE_OK);
			write_entries(a, bigs[t]);
			assert_int_equal(archive_write_close(a), ARCHIVE_OK);
			archive_write_free(a);
			archive_seal_free(so);

			/* no name or byte of the content in the sealed file's head */
			struct seal_head h;
			assert_int_equal(seal_peek(sealed, &h, &e), 1);
			assert_string_equal(h.township, "330102001");
			assert_string_equal(h.month, "2026-03");
			struct scratch sc = {0};
			assert_int_equal(seal_open(sealed, pk, sk, &sc, &e), 0);
			size_t n;
			unsigned char *want = slurp(plain, &n);
			assert_int_equal((size_t)sc.end, n);
			unsigned char *got = malloc(n + 1);
			assert_non_null(got);
			assert_int_equal(scratch_read(&sc, 0, got, n), 0);
			assert_memory_equal(got, want, n);   /* the very bytes */
			/* and as libarchive reads it: every entry, by the directory for a zip */
			struct archive *r = archive_read_new();
			struct archive_entry *ent;
			int entries = 0;
			assert_int_equal(archive_read_support_format_zip(r), ARCHIVE_OK);
			assert_int_equal(archive_read_support_format_tar(r), ARCHIVE_OK);
			assert_int_equal(archive_read_support_filter_gzip(r), ARCHIVE_OK);
			assert_int_equal(seal_read_open(r, &sc), ARCHIVE_OK);
			while (archive_read_next_header(r, &ent) == ARCHIVE_OK) {
				entries++;
				assert_int_equal(archive_read_data_skip(r), ARCHIVE_OK);
			}
			assert_int_equal(entries, 2);
			assert_int_equal(archive_read_free(r), ARCHIVE_OK);
			free(got);
			free(want);
			scratch_close(&sc);
			/* cut short: refused as damaged, nothing left open */
			assert_int_equal(truncate(sealed, (off_t)(n / 2 + 200)), 0);
			assert_int_equal(seal_open(sealed, pk, sk, &sc, &e), -1);
			assert_null(sc.f);
			unlink(plain);
			unlink(sealed);
			rmdir(dir);
		}
}

/* The attachment reader (crypt_stream_fopen): the plain bytes and their size
 * from the cipher's layout at every chunk edge, read in odd pieces; a file
 * cut short, altered, with a byte after its last chunk or under another name
 * fails its read with EBADMSG instead of handing out what it has. */
static void
test_stream_reader(void **state)
{
	(void)state;
	const size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072, 200000};
	unsigned char key[32];
	const unsigned char ad[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char dir[] = "/tmp/dibao-sread.XXXXXX", plain[64], ct[64];
	assert_non_null(mkdtemp(dir));
	snprintf(plain, sizeof plain, "%s/plain", dir);
	snprintf(ct, sizeof ct, "%s/ct", dir);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
		size_t n = sizes[t];
		unsigned char *want = malloc(n + 1), *got = malloc(n + 70000);
		assert_non_null(want);
		assert_non_null(got);
		randombytes_buf(want, n);
		int in = open(plain, O_WRONLY | O_CREAT | O_TRUNC, 0600), out;
		assert_true(in >= 0);
		assert_int_equal(write(in, want, n), (ssize_t)n);
		close(in);
		in = open(plain, O_RDONLY);
		out = open(ct, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_int_equal(crypt_stream_push(in, out, key, ad, 64), 0);
		close(in);
		close(out);

		off_t size = -1;
		FILE *f = crypt_stream_fopen(open(ct, O_RDONLY), key, ad, 64, &size);
		assert_non_null(f);
		assert_int_equal(size, (off_t)n);
		size_t have = 0, r;
		while ((r = fread(got + have, 1, 1000 + have % 7, f)) > 0)	/* pieces across chunks */
			have += r;
		assert_false(ferror(f));
		assert_int_equal(have, n);
		assert_memory_equal(got, want, n);
		assert_int_equal(fclose(f), 0);

		size_t glen;
		unsigned char *good = slurp(ct, &glen), *c = malloc(glen + 1);
		assert_non_null(c);
		for (int harm = 0; harm < 4; harm++) {
			size_t len = glen;
			const unsigned char *use_ad = ad;
			memcpy(c, good, glen);
			if (harm == 0)
				len -= 1;			/* cut short */
			else if (harm == 1)
				c[len / 2] ^= 0x40;		/* a bit flipped */
			else if (harm == 2)
				c[len++] = 0;			/* a byte after the final chunk */
			else
				use_ad = (const unsigned char *)"another name, another file, sixty-four bytes long, or so it says!";
			out = open(ct, O_WRONLY | O_TRUNC);
			assert_int_equal(write(out, c, len), (ssize_t)len);
			close(out);
			f = crypt_stream_fopen(open(ct, O_RDONLY), key, use_ad, 64, &size);
			if (f != NULL) {
				errno = 0;
				while (fread(got, 1, 4096, f) > 0)
					;
				assert_true(ferror(f));
				assert_int_equal(errno, EBADMSG);
				fclose(f);
			} else {
				assert_int_equal(errno, EBADMSG);	/* a size that fits no layout */
			}
		}
		free(c);
		free(good);
		free(want);
		free(got);
	}
	unlink(plain);
	unlink(ct);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encrypted_login),
		cmocka_unit_test(test_cloexec),
		cmocka_unit_test(test_rehash),
		cmocka_unit_test(test_seal_stream),
		cmocka_unit_test(test_stream_reader),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
