/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * payment-replay.c — one pass over the payment roster kept for another
 * reader (issue 13): payment roster --csv/--xlsx --pdf computes the roster
 * once; the print's content hash and its pages read the same rows back
 * from a private temporary file (enciphered, scratch.c) instead of computing the roster twice
 * more (each pass about 4 s of CPU and 25 MB at 100,000 households).  The
 * PDF and the bank file made in one command now come from one pass, so
 * they cannot differ even when a dossier changes in between.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/payment.h"
#include "store/payment-int.h"
#include "store/codec.h"
#include "store/err.h"

int
payment_replay_open(struct pay_replay *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (scratch_open(&r->s) != 0)
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno));
	return 0;
}

void
payment_replay_close(struct pay_replay *r)
{
	scratch_close(&r->s);
}

int
payment_replay_add(struct pay_replay *r, const struct pay_row *w, struct err *e)
{
	struct buf one;
	unsigned char len[4];
	int bad;

	buf_init(&one);
	pay_row_encode(w, &one);
	if (one.oom) {
		buf_free(&one);
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	}
	put_u32(len, (uint32_t)one.len);
	bad = scratch_write(&r->s, len, 4, NULL) != 0 || scratch_write(&r->s, one.p, one.len, NULL) != 0;
	buf_free(&one);
	if (bad)
		return err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
	r->n++;
	return 0;
}

int
payment_replay_raw(const struct pay_replay *r, int (*fn)(const unsigned char *p, size_t n, void *baton), void *baton,
    struct err *e)
{
	unsigned char len[4], *p = NULL;
	size_t cap = 0;
	int ret = 0;

	off_t at = 0;
	for (size_t i = 0; i < r->n && ret == 0; i++) {
		uint32_t n;
		if (scratch_read(&r->s, at, len, 4) != 0) {
			ret = err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
			break;
		}
		at += 4;
		if ((n = get_u32(len)) > cap) {
			unsigned char *q = realloc(p, n);
			if (q == NULL) {
				ret = err_set(e, E_STORAGE, "%s", _("out of memory"));
				break;
			}
			p = q;
			cap = n;
		}
		if (scratch_read(&r->s, at, p, n) != 0) {
			ret = err_set(e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(errno ? errno : EIO));
			break;
		}
		at += (off_t)n;
		ret = fn(p, n, baton);
	}
	free(p);
	return ret;
}

struct decoded {
	pay_row_fn fn;
	void *baton;
	struct pay_row *w;
	struct err *e;
};

static int
decoded_row(const unsigned char *p, size_t n, void *baton)
{
	struct decoded *d = baton;
	if (pay_row_decode(p, n, d->w) != 0)
		return err_set(d->e, E_STORAGE, _("a temporary file for the roster: %s"), strerror(EIO));
	return d->fn(d->w, d->baton);
}

int
payment_replay_run(const struct pay_replay *r, pay_row_fn fn, void *baton, struct pay_totals *t, bool *frozen,
    struct err *e)
{
	struct decoded d = {fn, baton, malloc(sizeof *d.w), e};
	int ret;

	if (d.w == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	memcpy(t, r->t, sizeof *t);
	*frozen = r->frozen;
	ret = payment_replay_raw(r, decoded_row, &d, e);
	free(d.w);
	return ret;
}
