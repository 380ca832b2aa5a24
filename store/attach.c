/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * attach.c — scans and other attachments, each kept once by its SHA-256
 * under files/ beside the environment.  A file is copied to a temporary
 * name, fsync'ed, renamed into place and its directory fsync'ed (the one
 * helper, store/afile.c), so a power cut leaves either no file or the whole
 * file.  In an encrypted store the file holds the scan sealed with
 * secretstream under a key derived from the data key, its name (the
 * SHA-256) as additional data.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/attach.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/crypt-int.h"
#include "store/crypt.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/records.h"
#include "store/afile.h"
#include "store/replica.h"

enum attach_tag { AT2_SIZE = 1, AT2_NAME, AT2_ADDED };

int
attach_path(const struct store *st, const char *sha_hex, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/files/%.2s/%s", st->dir, sha_hex, sha_hex);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Hash a file; 0 ok, -1 errno set */
int
attach_hash_file(const char *path, unsigned char out[32], off_t *size)
{
	crypto_hash_sha256_state h;
	unsigned char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	*size = 0;
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		*size += n;
	}
	int saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	crypto_hash_sha256_final(&h, out);
	return 0;
}

/* src into the open temporary out (store/afile.c makes it durable) */
static int
copy_into(const char *src, int out)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);

	if (in < 0)
		return -1;
	int r = fd_copy(in, out), saved = errno;
	close(in);
	errno = saved;
	return r;
}

/* src sealed (i14: secretstream under the attachment key, the name as
 * additional data) into the open temporary out (store/afile.c makes it
 * durable) */
static int
seal_into(const struct store *st, const char *src, int out, const char *sha_hex)
{
	unsigned char k[32];
	int in = open(src, O_RDONLY | O_CLOEXEC), r;

	if (in < 0)
		return -1;
	crypt_attach_key(st, k);
	r = crypt_stream_push(in, out, k, (const unsigned char *)sha_hex, 64);
	sodium_memzero(k, sizeof k);
	int saved = errno;
	close(in);
	errno = saved;
	return r != 0 ? -1 : 0;
}

/* dibao encrypt: a plaintext scan into dst's files/, sealed (its record
 * is copied with attachments.db) */
int
attach_copy_sealed(struct store *dst, const char *src_path, const char *sha_hex, struct err *e)
{
	char to[PATH_MAX + 160], dir[PATH_MAX + 32];

	if (attach_path(dst, sha_hex, to, sizeof to) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	snprintf(dir, sizeof dir, "%s/files", dst->dir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/files/%.2s", dst->dir, sha_hex);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
	struct afile af;
	if (afile_reserve(&af, to, AFILE_PRIVATE) != 0 || seal_into(dst, src_path, af.fd, sha_hex) != 0 ||
	    afile_commit(&af) != 0) {
		int saved = errno;
		afile_abort(&af);
		return err_set(e, E_STORAGE, _("cannot store %s: %s"), src_path, strerror(saved));
	}
	return 0;
}

FILE *
attach_fopen(struct store *st, const char *sha_hex, off_t *size)
{
	char path[PATH_MAX + 160];
	unsigned char k[32];
	struct stat sb;
	int src;
	FILE *f;

	if (attach_path(st, sha_hex, path, sizeof path) != 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!st->enc) {
		if ((f = fopen(path, "rbe")) != NULL && size != NULL) {
			if (fstat(fileno(f), &sb) != 0) {
				int saved = errno;
				fclose(f);
				errno = saved;
				return NULL;
			}
			*size = sb.st_size;
		}
		return f;
	}
	if ((src = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	/* decrypted as it is read: one 64 KiB chunk in memory, whatever the
	 * scan's size (issue 17) */
	crypt_attach_key(st, k);
	f = crypt_stream_fopen(src, k, (const unsigned char *)sha_hex, 64, size);
	sodium_memzero(k, sizeof k);
	return f;
}

int
attach_put_file(struct store *st, store_txn *txn, const char *path, char sha_hex[65], struct err *e)
{
	unsigned char h[32];
	off_t size;
	char dst[PATH_MAX + 160], dir[PATH_MAX + 32];
	struct stat sb;
	struct buf b;
	DBT k, v;
	int ret;

	if (attach_hash_file(path, h, &size) != 0)
		return err_set(e, E_REFUSED, _("file %s: %s"), path, strerror(errno));
	hex32(h, sha_hex);
	if (attach_path(st, sha_hex, dst, sizeof dst) != 0)
		return err_set(e, E_STORAGE, _("data directory path too long"));
	snprintf(dir, sizeof dir, "%s/files", st->dir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/files/%.2s", st->dir, sha_hex);
	if (mkdir(dir, 0700) == 0) {
		/* the new folder's own entry must survive a power cut too */
		char files[PATH_MAX + 32];
		snprintf(files, sizeof files, "%s/files", st->dir);
		if (dir_sync(files) != 0)
			return err_set(e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
	} else if (errno != EEXIST) {
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
	}
	if (stat(dst, &sb) != 0) {
		/* not kept yet: copied (sealed in an encrypted store) whole or
		 * not at all (store/afile.c) */
		struct afile af;
		if (afile_reserve(&af, dst, AFILE_PRIVATE) != 0 ||
		    (st->enc ? seal_into(st, path, af.fd, sha_hex) : copy_into(path, af.fd)) != 0 ||
		    afile_commit(&af) != 0) {
			int saved = errno;
			afile_abort(&af);
			return err_set(e, E_STORAGE, _("cannot store %s: %s"), path, strerror(saved));
		}
	}
	/* the standby PC (issue 18): the stored bytes also go into the
	 * replicated database replica-files.db, in this transaction */
	if (replica_attach_put(st, txn, sha_hex, e) != 0)
		return -1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	buf_init(&b);
	rec_begin(&b, RT_ATTACH, 1);
	rec_int(&b, AT2_SIZE, (int64_t)size);
	rec_str(&b, AT2_NAME, base);
	rec_int(&b, AT2_ADDED, (int64_t)time(NULL));
	dbt_init(&k, sha_hex, 64);
	dbt_init(&v, b.p, b.len);
	ret = b.oom ? ENOMEM : st->db[DBI_ATTACH]->put(st->db[DBI_ATTACH], txn, &k, &v, DB_NOOVERWRITE);
	if (ret == 0)
		audit_track(st, DBI_ATTACH, k.data, k.size, v.data, v.size); /* issue 16.5 */
	buf_free(&b);
	if (ret != 0 && ret != DB_KEYEXIST)
		return store_dberr(st, ret, _("recording the attachment"), e);
	return 0;
}
