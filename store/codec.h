/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/codec.h — versioned, byte-order independent records (codec.c); the
 * record types are in store/records.h.
 */
#ifndef DIBAO_STORE_CODEC_H
#define DIBAO_STORE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- codec.c: versioned, byte-order independent records --------------- */

struct buf {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_put_u8(struct buf *b, uint8_t v);
void buf_put_u32(struct buf *b, uint32_t v);
void buf_put_u64(struct buf *b, uint64_t v);
void buf_put_bytes(struct buf *b, const void *p, size_t n);
/* Record header: magic "DB", record type, record format version. */
void rec_begin(struct buf *b, uint8_t type, uint8_t version);
void rec_int(struct buf *b, uint16_t tag, int64_t v);
void rec_str(struct buf *b, uint16_t tag, const char *s);
void rec_blob(struct buf *b, uint16_t tag, const void *p, size_t n);
/* A nested record (a member inside a dossier) */
void rec_nested(struct buf *b, uint16_t tag, const struct buf *inner);
/* The bytes a field of n value bytes takes, its tag and length included */
size_t rec_field_size(uint16_t tag, size_t n);

struct rec_reader {
	const unsigned char *p;
	size_t len, off;
	uint8_t type, version;
	/* current field */
	uint16_t tag;
	const unsigned char *val;
	uint32_t vlen;
};

/* Check magic and type; 0 ok, -1 bad header or unknown newer version. */
int rec_open(struct rec_reader *r, const void *p, size_t len, uint8_t type, uint8_t max_version);
/* Open a nested record body (no header). */
void rec_open_nested(struct rec_reader *r, const void *p, size_t len);
/* Next field: 1 got one, 0 end, -1 corrupt. */
int rec_next(struct rec_reader *r);
int64_t rec_get_int(const struct rec_reader *r);
/* Copy the current string field; -1 if it does not fit or is not UTF-8. */
int rec_get_str(const struct rec_reader *r, char *dst, size_t size);

#endif
