/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * attach.c — scans and other attachments, each kept once by its SHA-256
 * under files/ beside the environment.  A file is copied to a temporary
 * name, fsync'ed, renamed into place and its directory fsync'ed, so a
 * power cut leaves either no file or the whole file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store-int.h"

enum attach_tag { AT2_SIZE = 1, AT2_NAME, AT2_ADDED };

int
attach_path(const struct store *st, const char *sha_hex, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/files/%.2s/%s", st->dir, sha_hex, sha_hex);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Hash a file; 0 ok, -1 errno set */
int
attach_hash_file(const char *path, unsigned char out[32], off_t *size)
{
	crypto_hash_sha256_state h;
	unsigned char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

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

static int
copy_file(const char *src, const char *dst)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY), out;

	if (in < 0)
		return -1;
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				close(in);
				close(out);
				return -1;
			}
			off += w;
		}
	}
	close(in);
	if (n < 0 || fsync(out) != 0) {
		close(out);
		return -1;
	}
	return close(out);
}

int
attach_put_file(struct store *st, store_txn *txn, const char *path, char sha_hex[65], struct err *e)
{
	unsigned char h[32];
	off_t size;
	char dst[PATH_MAX + 160], tmp[PATH_MAX + 192], dir[PATH_MAX + 32];
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
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, E_STORAGE, _("cannot create %s: %s"), dir, strerror(errno));
	if (stat(dst, &sb) != 0) {
		/* not kept yet: copy, sync, rename into place */
		snprintf(tmp, sizeof tmp, "%s.tmp%ld", dst, (long)getpid());
		if (copy_file(path, tmp) != 0) {
			int saved = errno;
			unlink(tmp);
			return err_set(e, E_STORAGE, _("cannot store %s: %s"), path, strerror(saved));
		}
		if (rename(tmp, dst) != 0 || fsync_dir(dir) != 0) {
			int saved = errno;
			unlink(tmp);
			return err_set(e, E_STORAGE, _("cannot store %s: %s"), path, strerror(saved));
		}
	}
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
	buf_free(&b);
	if (ret != 0 && ret != DB_KEYEXIST)
		return store_dberr(st, ret, _("recording the attachment"), e);
	return 0;
}
