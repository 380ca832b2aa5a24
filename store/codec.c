/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * codec.c — the record format of docs/FORMAT.md: a header ("DB", record
 * type, format version) then tagged fields: tag and length as unsigned
 * LEB128 varints, then the value.  Integers are zigzag LEB128 varints (a
 * small number takes one byte: records stay under the B-tree's overflow
 * size); strings are UTF-8 without NUL.  Byte order never matters.
 * Unknown tags are skipped, so a field added later does not need a new
 * version; a record of a newer version than we know is refused.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/codec.h"
#include "core/array.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
}

void
buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b);
}

static bool
buf_grow(struct buf *b, size_t n)
{
	if (b->oom)
		return false;
	if (b->len + n <= b->cap)
		return true;
	unsigned char *p = array_grow(b->p, &b->cap, b->len + n, 1);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	return true;
}

void
buf_put_bytes(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || !buf_grow(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
buf_put_u8(struct buf *b, uint8_t v)
{
	buf_put_bytes(b, &v, 1);
}

void
buf_put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {v >> 24, v >> 16, v >> 8, v};
	buf_put_bytes(b, x, 4);
}

void
buf_put_u64(struct buf *b, uint64_t v)
{
	buf_put_u32(b, (uint32_t)(v >> 32));
	buf_put_u32(b, (uint32_t)v);
}

void
rec_begin(struct buf *b, uint8_t type, uint8_t version)
{
	buf_put_bytes(b, "DB", 2);
	buf_put_u8(b, type);
	buf_put_u8(b, version);
}

static size_t
varint(unsigned char out[10], uint64_t v)
{
	size_t n = 0;
	do {
		out[n] = v & 0x7f;
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

size_t
rec_field_size(uint16_t tag, size_t n)
{
	unsigned char x[10];
	return varint(x, tag) + varint(x, n) + n;
}

static void
field_head(struct buf *b, uint16_t tag, uint32_t len)
{
	unsigned char x[10];
	buf_put_bytes(b, x, varint(x, tag));
	buf_put_bytes(b, x, varint(x, len));
}

void
rec_int(struct buf *b, uint16_t tag, int64_t v)
{
	unsigned char x[10];
	/* zigzag: small negative numbers stay short too */
	size_t n = varint(x, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
	field_head(b, tag, (uint32_t)n);
	buf_put_bytes(b, x, n);
}

void
rec_str(struct buf *b, uint16_t tag, const char *s)
{
	size_t n = strlen(s);
	field_head(b, tag, (uint32_t)n);
	buf_put_bytes(b, s, n);
}

void
rec_blob(struct buf *b, uint16_t tag, const void *p, size_t n)
{
	field_head(b, tag, (uint32_t)n);
	buf_put_bytes(b, p, n);
}

void
rec_nested(struct buf *b, uint16_t tag, const struct buf *inner)
{
	if (inner->oom)
		b->oom = true;
	rec_blob(b, tag, inner->p, inner->len);
}

int
rec_open(struct rec_reader *r, const void *p, size_t len, uint8_t type, uint8_t max_version)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->len = len;
	if (len < 4 || memcmp(p, "DB", 2) != 0)
		return -1;
	r->type = r->p[2];
	r->version = r->p[3];
	if (r->type != type || r->version == 0 || r->version > max_version)
		return -1;
	r->off = 4;
	return 0;
}

void
rec_open_nested(struct rec_reader *r, const void *p, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->len = len;
}

/* 0 ok, -1 truncated or longer than max */
static int
get_varint(const unsigned char *p, size_t len, size_t *off, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*off >= len)
			return -1;
		unsigned char c = p[(*off)++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			if (v > max)
				return -1;
			*out = v;
			return 0;
		}
	}
	return -1;
}

int
rec_next(struct rec_reader *r)
{
	uint64_t tag, vlen;

	if (r->off == r->len)
		return 0;
	if (get_varint(r->p, r->len, &r->off, UINT16_MAX, &tag) != 0 ||
	    get_varint(r->p, r->len, &r->off, UINT32_MAX, &vlen) != 0)
		return -1;
	r->tag = (uint16_t)tag;
	r->vlen = (uint32_t)vlen;
	if (r->vlen > r->len - r->off)
		return -1;
	r->val = r->p + r->off;
	r->off += r->vlen;
	return 1;
}

int64_t
rec_get_int(const struct rec_reader *r)
{
	size_t off = 0;
	uint64_t z;
	if (get_varint(r->val, r->vlen, &off, UINT64_MAX, &z) != 0 || off != r->vlen)
		return 0;
	return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
}

int
rec_get_str(const struct rec_reader *r, char *dst, size_t size)
{
	const char *why;
	if (r->vlen >= size)
		return -1;
	memcpy(dst, r->val, r->vlen);
	dst[r->vlen] = '\0';
	if (strlen(dst) != r->vlen || text_check(dst, size - 1, &why) != 0)
		return -1;
	return 0;
}
