/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * afile.h — every file dibao writes, whole or not at all (issue 16; afile.c):
 * the one atomic-write routine (temporary beside the target, fsync, rename,
 * fsync of the directory).  In store/, the lowest layer that does I/O;
 * print/ and import/ write their files through it.  libc only.  Errors: -1
 * with errno set and a->what naming the step that failed ("fsync",
 * "rename"…).
 */
#ifndef DIBAO_STORE_AFILE_H
#define DIBAO_STORE_AFILE_H

#include <stddef.h>
#include <stdio.h>

/* Files with ID numbers, accounts, names: readable by the clerk only,
 * whatever the umask.  dibao writes no other kind. */
#define AFILE_PRIVATE 0600

struct afile {
	char path[4096];      /* the target */
	char tmp[4096];       /* the temporary beside it ("" once renamed) */
	int fd;
	FILE *f;              /* afile_open: write here */
	const char *what;     /* the step that failed */
};
/* A temporary file beside path (same directory) with mode set by fchmod:
 * the umask plays no part; open for writing as a->f. */
int afile_open(struct afile *a, const char *path, unsigned mode);
/* The same, for a library that writes a file by name: it writes a->tmp. */
int afile_reserve(struct afile *a, const char *path, unsigned mode);
/* Flush, fsync, close, rename over path, fsync the directory.  0: durable
 * (only now may the export be recorded); -1: path untouched, the temporary
 * removed (or, when only the directory's fsync failed, not yet durable). */
int afile_commit(struct afile *a);
/* Close and remove the temporary; path untouched. */
void afile_abort(struct afile *a);
/* Remove what is inside the directory path (not path itself), depth
 * first; what cannot go stays.  -1 when path is no directory to open. */
int afile_empty_tree(const char *path);
/* A whole buffer, atomically; *what names the failed step. */
int afile_write(const char *path, const void *p, size_t n, unsigned mode, const char **what);
/* All n bytes to fd (short writes and EINTR continued): 0, or -1 with errno
 * (the sealed archive and the attachment streams) */
int fd_write_all(int fd, const void *p, size_t n);
/* Everything readable from in, to out (short writes and EINTR continued):
 * 0, or -1 with errno.  The file copies of the attachments and backups. */
int fd_copy(int in, int out);
/* fsync a directory itself (a new entry in it survives a power cut): 0, or
 * -1 with errno */
int dir_sync(const char *dir);

#endif
