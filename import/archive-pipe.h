/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-pipe.h — the monthly archive's libarchive writer in a thread of
 * its own (issue 17): the exporter makes the entries while the thread
 * formats them and compresses them (deflate is a quarter of an export), so
 * the two run on two cores.  The thread makes the same libarchive calls in
 * the same order as the exporter made them itself: the bytes do not change.
 * It also hashes the dossiers' entries for the manifest, which balances
 * the two cores.
 */
#ifndef DIBAO_IMPORT_ARCHIVE_PIPE_H
#define DIBAO_IMPORT_ARCHIVE_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct archive;
struct apipe;

/* The thread takes over a, opened: until apipe_end, only it uses a.  A
 * listed entry (below) is hashed by the thread, which writes its line
 * "sha256 size path" to lines (NULL: none).  NULL: out of memory, or no
 * thread could be made. */
struct apipe *apipe_start(struct archive *a, bool zip, int64_t mtime, FILE *lines);
/* An entry's header (len bytes follow; store: zip's stored method), then
 * its bytes (copied).  Both wait while more than a few pieces are queued.
 * -1: the thread failed; apipe_error says how. */
int apipe_header(struct apipe *p, const char *path, uint64_t len, bool store, bool listed);
int apipe_data(struct apipe *p, const void *data, size_t n);
/* Waits until the thread has done every operation queued (the lines of
 * the listed entries written); -1 when it failed. */
int apipe_drain(struct apipe *p);
/* Waits for the queue to be written and the thread to end (also after a
 * failure on either side); the handle is the caller's again.  0, or -1
 * when the thread failed. */
int apipe_end(struct apipe *p);
/* The failure: the entry's name ("" for none) and libarchive's message. */
const char *apipe_error(const struct apipe *p, const char **path);
/* Ends the thread if apipe_end was not called, and frees. */
void apipe_free(struct apipe *p);

#endif
