/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * afile.c — every file dibao writes outside its databases (archives, PDFs,
 * CSV and XLSX, attachments) is written whole or not at all (issue 16):
 * into a temporary file beside the target (same directory, so the rename
 * cannot cross file systems), fsync'ed, renamed over the target, then the
 * directory fsync'ed so the rename itself survives a power cut.  Until
 * afile_commit returns 0 the target is untouched; only then may the export
 * be recorded.
 *
 * The temporary is created by mkstemp (never an existing file, never a
 * symlink followed) and given its mode with fchmod, so the umask does not
 * decide who can read a file of ID numbers and bank accounts.
 *
 * In store/, the lowest layer allowed I/O (issue 20: core/ is pure); print/
 * and import/ write their files through it.  It needs nothing but libc.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/afile.h"

static int
fail(struct afile *a, const char *what, int err)
{
	afile_abort(a);
	a->what = what;
	errno = err;
	return -1;
}

int
afile_reserve(struct afile *a, const char *path, unsigned mode)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->what = "path";
	if (snprintf(a->path, sizeof a->path, "%s", path) >= (int)sizeof a->path ||
	    snprintf(a->tmp, sizeof a->tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof a->tmp) {
		a->tmp[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((a->fd = mkstemp(a->tmp)) < 0) {
		int err = errno;
		a->tmp[0] = '\0';
		return fail(a, "create", err);
	}
	if (fchmod(a->fd, (mode_t)mode) != 0)
		return fail(a, "chmod", errno);
	return 0;
}

int
afile_open(struct afile *a, const char *path, unsigned mode)
{
	if (afile_reserve(a, path, mode) != 0)
		return -1;
	if ((a->f = fdopen(a->fd, "wb")) == NULL)
		return fail(a, "fdopen", errno);
	a->fd = -1;  /* a->f owns it now */
	return 0;
}

/* fsync the directory holding path: the rename is durable only then */
static int
sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	return dir_sync(dir);
}

int
fd_copy(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof buf)) > 0)
		if (fd_write_all(out, buf, (size_t)n) != 0)
			return -1;
	return n < 0 ? -1 : 0;
}

int
dir_sync(const char *dir)
{
	int fd, r, err;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = fsync(fd);
	err = errno;
	close(fd);
	errno = err;
	return r;
}

int
afile_commit(struct afile *a)
{
	int fd;

	if (a->tmp[0] == '\0')
		return fail(a, "commit", EINVAL);
	if (a->f != NULL) {
		errno = 0;
		if (ferror(a->f) || fflush(a->f) != 0)
			return fail(a, "write", errno ? errno : EIO);
		if (fsync(fileno(a->f)) != 0)
			return fail(a, "fsync", errno);
		FILE *f = a->f;
		a->f = NULL;
		if (fclose(f) != 0)
			return fail(a, "close", errno);
	} else {
		/* written by name by a library (libarchive, libxlsxwriter):
		 * open it again to sync what it wrote */
		if (a->fd >= 0) {
			close(a->fd);
			a->fd = -1;
		}
		if ((fd = open(a->tmp, O_RDONLY | O_CLOEXEC)) < 0)
			return fail(a, "open", errno);
		if (fsync(fd) != 0) {
			int err = errno;
			close(fd);
			return fail(a, "fsync", err);
		}
		close(fd);
	}
	if (rename(a->tmp, a->path) != 0)
		return fail(a, "rename", errno);
	a->tmp[0] = '\0';
	if (sync_dir(a->path) != 0) {
		a->what = "fsync";
		return -1;
	}
	return 0;
}

void
afile_abort(struct afile *a)
{
	int err = errno;
	if (a->f != NULL) {
		fclose(a->f);
		a->f = NULL;
	}
	if (a->fd >= 0) {
		close(a->fd);
		a->fd = -1;
	}
	if (a->tmp[0] != '\0') {
		unlink(a->tmp);
		a->tmp[0] = '\0';
	}
	errno = err;
}

int
afile_write(const char *path, const void *p, size_t n, unsigned mode, const char **what)
{
	struct afile a;
	int r = -1;

	if (afile_open(&a, path, mode) == 0) {
		if (n > 0 && fwrite(p, 1, n, a.f) != n)
			fail(&a, "write", errno ? errno : EIO);
		else
			r = afile_commit(&a);
	}
	if (r != 0 && what != NULL)
		*what = a.what;
	return r;
}

int
fd_write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int
afile_empty_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char s[PATH_MAX];
		struct stat sb;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    (size_t)snprintf(s, sizeof s, "%s/%s", path, de->d_name) >= sizeof s || lstat(s, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			afile_empty_tree(s);
			rmdir(s);
		} else {
			unlink(s);
		}
	}
	closedir(d);
	return 0;
}
