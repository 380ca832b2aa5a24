/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pdf-spool.c — page contents kept on disk instead of in memory (issue 13).
 *
 * libharu holds every page's content stream in memory until the document
 * is saved: about 30 KB a page for the payment roster's tables, 150 MB for
 * the 5,161 pages of 100,000 households.  A spooled document gives each
 * new page a content stream of its own kind whose bytes go to one private
 * temporary file (store/scratch.c: unlinked, enciphered: the pages carry
 * names); libharu reads them back, compressed, when it writes the
 * PDF.  What stays in memory per page is libharu's page objects and a
 * few extents: about 2.3 KB, once its resources and size are shared with
 * the other spooled pages (share_resources, issue 17).
 *
 * libharu's public API (hpdf.h) has no way to give a page another content
 * stream: every page writes into an HPDF_MemStream.  So this file, and only
 * this file, uses the library's inside as libharu 2.3.0 (Debian 12)
 * installs it: the page's HPDF_PageAttr_Rec (its contents dictionary
 * and stream, its parent and its resource dictionaries, hpdf_pages.h),
 * HPDF_Stream_Rec with its callbacks (hpdf_streams.h), the dictionary's
 * filter and write_fn (hpdf_objects.h), its list of entries (hpdf_list.h)
 * and HPDF_GetMem.  Every use goes by field name, so a libharu that
 * renames or hides them fails to compile here; libharu's development tree
 * has moved these records to include/internal/, and a build against it
 * needs this file adapted (tests/cli/payment-big.sh checks the spooled
 * pages whole).
 *
 * A stream is a list of extents of the file: writes append to its last
 * extent while that extent ends the file, and start a new one otherwise
 * (the footers, drawn on every page at save time).  Writes are buffered.
 * The spool holds what the PDF holds (masked accounts, names) and no more;
 * the PDF itself is written beside its target and renamed (core/afile.c).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include <hpdf.h>
#include <hpdf_list.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "print/print-int.h"
#include "store/scratch.h"

#define SPOOL_BUF (64 * 1024)

struct print_spool {
	struct scratch sc;      /* the private temporary, enciphered */
	off_t end;              /* logical end: on disk plus buffered */
	size_t nbuf;            /* buffered bytes, at end - nbuf */
	unsigned char buf[SPOOL_BUF];
	unsigned char zin[16384];      /* the page being read: one at a time */
	/* what the spooled pages share, set on their Pages node (issue 17):
	 * one /Resources with the fonts and graphics states, one /MediaBox */
	HPDF_Pages parent;             /* NULL before the first page */
	HPDF_Dict fonts, ext_gstates, xobjects;
	HPDF_Box box;
};

struct extent {
	off_t off;
	uint32_t len;
};

struct sstream {
	struct print_spool *sp;
	struct extent *x;
	int n, cap;
	uint32_t pos;           /* read position (raw bytes) */
	/* read deflated (issue 13): libharu's own deflate, at its default
	 * level, was a tenth of the roster's CPU; Z_BEST_SPEED takes a third
	 * of that for a PDF a fifth larger.  The page's dictionary says
	 * /Filter /FlateDecode itself (z_write_filter) */
	bool deflate;
	z_stream *z;
	bool z_end;
};

static int
spool_flush(struct print_spool *sp)
{
	/* the spool only appends: the buffer goes at the file's end */
	if (scratch_write(&sp->sc, sp->buf, sp->nbuf, NULL) != 0)
		return -1;
	sp->nbuf = 0;
	return 0;
}

static HPDF_STATUS
s_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	struct sstream *s = stream->attr;
	struct print_spool *sp = s->sp;

	if (siz == 0)
		return HPDF_OK;
	if (s->n == 0 || s->x[s->n - 1].off + (off_t)s->x[s->n - 1].len != sp->end) {
		if (s->n == s->cap) {
			int cap = s->cap ? s->cap * 2 : 2;
			struct extent *x = realloc(s->x, (size_t)cap * sizeof *x);
			if (x == NULL)
				return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
			s->x = x;
			s->cap = cap;
		}
		s->x[s->n].off = sp->end;
		s->x[s->n].len = 0;
		s->n++;
	}
	s->x[s->n - 1].len += siz;
	while (siz > 0) {
		size_t k = SPOOL_BUF - sp->nbuf;
		if (k > siz)
			k = siz;
		memcpy(sp->buf + sp->nbuf, ptr, k);
		sp->nbuf += k;
		sp->end += (off_t)k;
		ptr += k;
		siz -= (HPDF_UINT)k;
		if (sp->nbuf == SPOOL_BUF && spool_flush(sp) != 0)
			return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, errno);
	}
	return HPDF_OK;
}

static HPDF_STATUS
s_raw_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct sstream *s = stream->attr;
	HPDF_UINT want = *siz, got = 0;

	if (s->sp->nbuf > 0 && spool_flush(s->sp) != 0)
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, errno);
	while (got < want) {
		uint32_t skip = s->pos;
		int i = 0;
		while (i < s->n && skip >= s->x[i].len)
			skip -= s->x[i++].len;
		if (i == s->n)
			break;
		uint32_t k = s->x[i].len - skip;
		if (k > want - got)
			k = want - got;
		if (scratch_read(&s->sp->sc, s->x[i].off + (off_t)skip, ptr + got, k) != 0)
			return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, errno ? errno : EIO);
		got += (HPDF_UINT)k;
		s->pos += k;
	}
	*siz = got;
	return got < want ? HPDF_STREAM_EOF : HPDF_OK;
}

static void
z_done(struct sstream *s)
{
	if (s->z != NULL) {
		deflateEnd(s->z);
		free(s->z);
		s->z = NULL;
	}
}

/* The page's bytes deflated: what libharu copies into the PDF as is. */
static HPDF_STATUS
s_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct sstream *s = stream->attr;

	if (!s->deflate)
		return s_raw_read(stream, ptr, siz);
	if (s->z == NULL && !s->z_end) {
		if ((s->z = calloc(1, sizeof *s->z)) == NULL)
			return HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
		if (deflateInit(s->z, Z_BEST_SPEED) != Z_OK) {
			free(s->z);
			s->z = NULL;
			return HPDF_SetError(stream->error, HPDF_ZLIB_ERROR, 0);
		}
	}
	if (s->z_end) {
		*siz = 0;
		return HPDF_STREAM_EOF;
	}
	s->z->next_out = ptr;
	s->z->avail_out = *siz;
	while (s->z->avail_out > 0) {
		int flush = Z_NO_FLUSH;
		if (s->z->avail_in == 0) {
			HPDF_UINT n = sizeof s->sp->zin;
			HPDF_STATUS r = s_raw_read(stream, s->sp->zin, &n);
			if (r != HPDF_OK && r != HPDF_STREAM_EOF)
				return r;
			s->z->next_in = s->sp->zin;
			s->z->avail_in = n;
			if (r == HPDF_STREAM_EOF)
				flush = Z_FINISH;
		} else if (s->pos >= stream->size) {
			flush = Z_FINISH;
		}
		int zr = deflate(s->z, flush);
		if (zr == Z_STREAM_END) {
			s->z_end = true;
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return HPDF_SetError(stream->error, HPDF_ZLIB_ERROR, (HPDF_STATUS)zr);
	}
	*siz -= s->z->avail_out;
	if (s->z_end) {
		z_done(s);
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

/* contents' dictionary writer: the filter of what s_read gives */
static HPDF_STATUS
z_write_filter(HPDF_Dict dict, HPDF_Stream out)
{
	if (dict->stream == NULL || dict->stream->size == 0)
		return HPDF_OK;        /* nothing drawn: no data to inflate */
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

static HPDF_STATUS
s_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct sstream *s = stream->attr;
	int64_t p = pos;

	if (s->deflate && mode == HPDF_SEEK_SET && pos == 0) {
		z_done(s);             /* read again from the start */
		s->z_end = false;
		s->pos = 0;
		return HPDF_OK;
	}

	if (mode == HPDF_SEEK_CUR)
		p += s->pos;
	else if (mode == HPDF_SEEK_END)
		p = (int64_t)stream->size - pos;
	if (p < 0 || p > (int64_t)stream->size)
		return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
	s->pos = (uint32_t)p;
	return HPDF_OK;
}

static HPDF_INT32
s_tell(HPDF_Stream stream)
{
	return (HPDF_INT32)((struct sstream *)stream->attr)->pos;
}

static HPDF_UINT32
s_size(HPDF_Stream stream)
{
	return stream->size;
}

static void
s_free(HPDF_Stream stream)
{
	struct sstream *s = stream->attr;
	if (s != NULL) {
		z_done(s);
		free(s->x);
	}
	free(s);
	stream->attr = NULL;
}

struct print_spool *
print_spool_new(void)
{
	struct print_spool *sp = calloc(1, sizeof *sp);

	if (sp == NULL)
		return NULL;
	if (scratch_open(&sp->sc) != 0) {
		free(sp);
		return NULL;
	}
	return sp;
}

void
print_spool_free(struct print_spool *sp)
{
	if (sp == NULL)
		return;
	scratch_close(&sp->sc);
	free(sp);
}

/* A dictionary for one kind of resource, in the shared /Resources. */
static HPDF_Dict
shared_dict(HPDF_Dict res, const char *key)
{
	HPDF_Dict d = HPDF_Dict_New(res->mmgr);
	return d != NULL && HPDF_Dict_Add(res, key, d) == HPDF_OK ? d : NULL;
}

/*
 * The page inherits its resources and its size from its Pages node
 * (ISO 32000-1 §7.7.3.4) instead of carrying its own: libharu gives every
 * page a /Resources dictionary, its /Font dictionary (the font entries
 * again) and a /MediaBox array of four numbers, about 2 KB of objects a
 * page that stayed in memory until the save (issue 17).  libharu looks a
 * page's font, graphics-state and image names up in the dictionaries its
 * page record points at (attr->fonts, ->ext_gstates, ->xobjects), so those
 * point at the shared ones and each name is the same on every page.
 * Every dictionary of the three is made, even the ones nothing uses yet:
 * libharu 2.3.0's search of a parent for an inherited item looks at the
 * page again (HPDF_Page_GetInheritableItem), so it would not find them.
 * A page of another size keeps its own /MediaBox.
 */
static int
share_resources(struct print_spool *sp, HPDF_Page page)
{
	HPDF_PageAttr a = (HPDF_PageAttr)page->attr;
	HPDF_Box box = HPDF_Page_GetMediaBox(page);

	if (sp->parent == NULL) {
		HPDF_Dict res = HPDF_Dict_New(page->mmgr);
		if (res == NULL || HPDF_Dict_Add(a->parent, "Resources", res) != HPDF_OK ||
		    (sp->fonts = shared_dict(res, "Font")) == NULL ||
		    (sp->ext_gstates = shared_dict(res, "ExtGState")) == NULL ||
		    (sp->xobjects = shared_dict(res, "XObject")) == NULL ||
		    HPDF_Dict_Add(a->parent, "MediaBox", HPDF_Box_Array_New(page->mmgr, box)) != HPDF_OK)
			return -1;
		sp->parent = a->parent;
		sp->box = box;
	}
	if (a->parent != sp->parent || a->fonts != NULL || a->ext_gstates != NULL || a->xobjects != NULL)
		return 0;              /* another Pages node, or drawn on already (print/
		                        * makes neither): the page keeps its own */
	if (HPDF_Dict_RemoveElement(page, "Resources") != HPDF_OK)
		return -1;
	a->fonts = sp->fonts;
	a->ext_gstates = sp->ext_gstates;
	a->xobjects = sp->xobjects;
	if (memcmp(&box, &sp->box, sizeof box) == 0 && HPDF_Dict_RemoveElement(page, "MediaBox") != HPDF_OK)
		return -1;
	return 0;
}

/*
 * A dictionary's entries trimmed to what it holds: libharu gives each room
 * for 20 at its first entry (HPDF_DEF_ITEMS_PER_BLOCK, 160 bytes), and a
 * spooled page's holds three (/Type, /Contents, /Parent), its contents'
 * one (/Length).  An entry added later grows it again (HPDF_List_Add).
 */
static int
list_fit(HPDF_List l)
{
	void **obj;

	if (l->count == 0 || l->count == l->block_siz)
		return 0;
	if ((obj = HPDF_GetMem(l->mmgr, l->count * sizeof *obj)) == NULL)
		return -1;
	memcpy(obj, l->obj, l->count * sizeof *obj);
	HPDF_FreeMem(l->mmgr, l->obj);
	l->obj = obj;
	l->block_siz = l->count;
	return 0;
}

/* The page's (empty) content stream replaced by one on the spool, its
 * resources and size shared with the other spooled pages. */
int
print_spool_page(struct print_spool *sp, HPDF_Page page)
{
	HPDF_PageAttr a = (HPDF_PageAttr)page->attr;
	HPDF_Stream old = a->stream, st;
	struct sstream *s;

	if (old == NULL || a->contents == NULL || a->contents->stream != old || old->size != 0)
		return -1;
	if (share_resources(sp, page) != 0 || list_fit(page->list) != 0 || list_fit(a->contents->list) != 0)
		return -1;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return -1;
	if ((st = HPDF_GetMem(page->mmgr, sizeof *st)) == NULL) {
		free(s);
		return -1;
	}
	memset(st, 0, sizeof *st);
	s->sp = sp;
	st->sig_bytes = HPDF_STREAM_SIG_BYTES;
	st->type = HPDF_STREAM_CALLBACK;
	st->mmgr = page->mmgr;
	st->error = old->error;
	st->write_fn = s_write;
	st->read_fn = s_read;
	st->seek_fn = s_seek;
	st->tell_fn = s_tell;
	st->size_fn = s_size;
	st->free_fn = s_free;
	st->attr = s;
	a->contents->stream = st;
	a->stream = st;
	HPDF_Stream_Free(old);
	if (a->contents->write_fn == NULL) {
		/* deflated here (s_read), not by libharu */
		a->contents->filter = HPDF_STREAM_FILTER_NONE;
		a->contents->write_fn = z_write_filter;
		s->deflate = true;
	}
	return 0;
}
