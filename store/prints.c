/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * prints.c — the record of every printed form (SPEC section 8, issue 6):
 * which form, of which dossier (or village or month), which version of
 * the record and its SHA-256, who printed it, when, how many copies, and
 * which earlier print a reprint (补打) repeats.  The verification code on
 * the sheet is derived from the township, the subject, the form and that
 * hash, so `dibao verify CODE` finds the print through an index and tells
 * whether the dossier has changed since.
 *
 * The store never lays out a PDF: the print layer calls prints_record()
 * inside its own transaction and writes the file before the commit.
 */
#include "config.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "core/dossier-model.h"
#include "core/roles.h"
#include "core/text.h"
#include "store/audit-int.h"
#include "store/audit.h"
#include "store/codec.h"
#include "store/dossier-int.h"
#include "store/dossier.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"
#include "store/meta.h"
#include "store/prints-int.h"
#include "store/prints.h"
#include "store/records.h"
#include "store/user.h"

int
prints_encode(const struct prints_entry *p, struct buf *b)
{
	rec_begin(b, RT_PRINT, PRINT_REC_VERSION);
	rec_int(b, PR_SEQ, p->seq);
	rec_str(b, PR_CODE, p->code);
	rec_str(b, PR_FORM, p->form);
	rec_str(b, PR_DOSSIER, p->dossier);
	rec_str(b, PR_SCOPE, p->scope);
	rec_int(b, PR_VERSION, p->version);
	rec_blob(b, PR_HASH, p->hash, sizeof p->hash);
	rec_str(b, PR_OP, p->op);
	rec_int(b, PR_TIME, p->time);
	rec_int(b, PR_COPIES, p->copies);
	rec_int(b, PR_REPRINT_OF, p->reprint_of);
	return b->oom ? -1 : 0;
}

int
prints_decode(const void *data, size_t len, struct prints_entry *p)
{
	struct rec_reader r;
	int n, bad = 0;

	memset(p, 0, sizeof *p);
	if (rec_open(&r, data, len, RT_PRINT, PRINT_REC_VERSION) != 0)
		return -1;
	while ((n = rec_next(&r)) == 1) {
		switch (r.tag) {
		case PR_SEQ: p->seq = (uint32_t)rec_get_int(&r); break;
		case PR_CODE: bad |= rec_get_str(&r, p->code, sizeof p->code); break;
		case PR_FORM: bad |= rec_get_str(&r, p->form, sizeof p->form); break;
		case PR_DOSSIER: bad |= rec_get_str(&r, p->dossier, sizeof p->dossier); break;
		case PR_SCOPE: bad |= rec_get_str(&r, p->scope, sizeof p->scope); break;
		case PR_VERSION: p->version = (uint32_t)rec_get_int(&r); break;
		case PR_HASH:
			if (r.vlen != sizeof p->hash)
				bad = -1;
			else
				memcpy(p->hash, r.val, sizeof p->hash);
			break;
		case PR_OP: bad |= rec_get_str(&r, p->op, sizeof p->op); break;
		case PR_TIME: p->time = rec_get_int(&r); break;
		case PR_COPIES: p->copies = (int)rec_get_int(&r); break;
		case PR_REPRINT_OF: p->reprint_of = (uint32_t)rec_get_int(&r); break;
		default: break; /* a newer minor field: skipped */
		}
	}
	return n < 0 || bad ? -1 : 0;
}

void
prints_code_derive(const char *township, const char *subject, const char *form,
    const unsigned char hash[32], char out[PRINT_CODE_LEN + 1])
{
	crypto_hash_sha256_state s;
	unsigned char d[32];
	char hx[65];

	/* separators keep ("a","bc") and ("ab","c") apart */
	hex32(hash, hx);
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)"dibao-print-1\n", 14);
	crypto_hash_sha256_update(&s, (const unsigned char *)township, strlen(township) + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)subject, strlen(subject) + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)form, strlen(form) + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)hx, 64);
	crypto_hash_sha256_final(&s, d);
	verify_code_format(d, out);
}

int
dossier_get_hashed(struct store *st, store_txn *txn, const char *no, struct dossier *out,
    unsigned char hash[32], struct err *e)
{
	DBT v;
	int ret;

	/* hash the bytes as stored, not a re-encoding: what verify compares
	 * must not depend on this build's encoder; a version 2 record's bytes
	 * as version 1 holds them (the deflated part inflated, not deflated
	 * again: dossier_v1_bytes) */
	if (dossier_get_raw(st, txn, no, &v, e) != 0)
		return -1;
	struct buf b;
	buf_init(&b);
	ret = dossier_v1_bytes(v.data, v.size, &b);
	if (ret == 0)
		crypto_hash_sha256(hash, b.p, b.len);
	buf_free(&b);
	if (ret == 0 && out)
		ret = dossier_decode(v.data, v.size, out);
	free(v.data);
	if (ret != 0)
		return err_set(e, E_STORAGE, _("the record of dossier %s is damaged"), no);
	return 0;
}

static void
seq_key(uint32_t seq, unsigned char k[4])
{
	k[0] = (unsigned char)(seq >> 24);
	k[1] = (unsigned char)(seq >> 16);
	k[2] = (unsigned char)(seq >> 8);
	k[3] = (unsigned char)seq;
}

static json_t *
prints_json(const struct prints_entry *p)
{
	char hx[65];
	json_t *j;

	hex32(p->hash, hx);
	j = json_pack("{s:I,s:s,s:s,s:I,s:s,s:i}", "print", (json_int_t)p->seq, "form", p->form,
	    "code", p->code, "version", (json_int_t)p->version, "hash", hx, "copies", p->copies);
	if (j == NULL)
		return NULL;
	if (p->scope[0])
		json_object_set_new(j, "scope", json_string(p->scope));
	if (p->reprint_of)
		json_object_set_new(j, "reprint_of", json_integer(p->reprint_of));
	return j;
}

int
prints_record(struct store *st, store_txn *txn, const struct user *actor, struct prints_entry *p,
    struct err *e)
{
	unsigned char now[32], k[4];
	struct buf b;
	DBT kk, vv;
	int ret;

	/* reading is everyone's right, the inspector's too: a print changes
	 * no case data, it is only recorded */
	if (store_require(actor, ACT_READ, e) != 0)
		return -1;
	if (p->copies < 1)
		p->copies = 1;
	if (p->dossier[0] != '\0') {
		/* the sheet must show the version it claims: refuse if someone
		 * changed the dossier while the form was being laid out */
		if (dossier_get_hashed(st, txn, p->dossier, NULL, now, e) != 0)
			return -1;
		if (memcmp(now, p->hash, 32) != 0)
			return err_set(e, E_REFUSED, _("dossier %s changed while the form was being prepared; print it again"),
			    p->dossier);
	}
	if (meta_next(st, txn, "seq.print", &p->seq, e) != 0)
		return -1;
	snprintf(p->op, sizeof p->op, "%s", actor->login);
	p->time = (int64_t)time(NULL);
	buf_init(&b);
	if (prints_encode(p, &b) != 0) {
		buf_free(&b);
		return err_set(e, E_STORAGE, _("out of memory"));
	}
	seq_key(p->seq, k);
	dbt_init(&kk, k, sizeof k);
	dbt_init(&vv, b.p, b.len);
	ret = st->db[DBI_PRINTS]->put(st->db[DBI_PRINTS], txn, &kk, &vv, DB_NOOVERWRITE);
	if (ret == 0)
		audit_track(st, DBI_PRINTS, kk.data, kk.size, vv.data, vv.size); /* issue 16.5 */
	buf_free(&b);
	if (ret != 0)
		return store_dberr(st, ret, db_tables[DBI_PRINTS].file, e);
	return audit_appendj(st, txn, actor->login, p->reprint_of ? "print.reprint" : "print",
	    p->dossier[0] ? p->dossier : p->scope, prints_json(p), e);
}

/* Walk the prints with this code (code != NULL, through the index) or all
 * of them; fn returns nonzero to stop. */
static int
walk(struct store *st, store_txn *txn, const char *code, prints_fn fn, void *baton, struct err *e)
{
	int dbi = code ? DBI_PRINT_CODE : DBI_PRINTS;
	DB *db = st->db[dbi];
	DBC *c;
	DBT k, pk, v;
	int ret, stop = 0;
	struct prints_entry p;

	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	memset(&k, 0, sizeof k);
	memset(&pk, 0, sizeof pk);
	memset(&v, 0, sizeof v);
	if (code) {
		dbt_init(&k, code, strlen(code));
		ret = c->pget(c, &k, &pk, &v, DB_SET);
	} else {
		ret = c->get(c, &k, &v, DB_NEXT);
	}
	while (ret == 0 && !stop) {
		if (prints_decode(v.data, v.size, &p) != 0) {
			c->close(c);
			return err_set(e, E_STORAGE, "%s", _("a print record is damaged"));
		}
		stop = fn(&p, baton);
		ret = code ? c->pget(c, &k, &pk, &v, DB_NEXT_DUP) : c->get(c, &k, &v, DB_NEXT);
	}
	ret = store_cursor_close(c, ret);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, ret, db_tables[dbi].file, e);
	return 0;
}

int
prints_by_code(struct store *st, const char *code, prints_fn fn, void *baton, struct err *e)
{
	return walk(st, NULL, code, fn, baton, e);
}

int
prints_list(struct store *st, prints_fn fn, void *baton, struct err *e)
{
	return walk(st, NULL, NULL, fn, baton, e);
}

struct last_baton {
	const char *form, *dossier, *scope;
	struct prints_entry *out;
	bool found;
};

static int
last_fn(const struct prints_entry *p, void *baton)
{
	struct last_baton *b = baton;
	if (strcmp(p->form, b->form) != 0 || strcmp(p->dossier, b->dossier) != 0 ||
	    strcmp(p->scope, b->scope) != 0)
		return 0;
	/* the first print of a code is the original; otherwise the latest */
	if (!b->found || p->seq > b->out->seq)
		*b->out = *p;
	b->found = true;
	return 0;
}

static int
first_fn(const struct prints_entry *p, void *baton)
{
	struct last_baton *b = baton;
	if (strcmp(p->form, b->form) != 0 || strcmp(p->dossier, b->dossier) != 0 ||
	    strcmp(p->scope, b->scope) != 0)
		return 0;
	if (!b->found || p->seq < b->out->seq)
		*b->out = *p;
	b->found = true;
	return 0;
}

int
prints_find(struct store *st, store_txn *txn, const char *form, const char *dossier, const char *scope,
    const char *code, struct prints_entry *out, struct err *e)
{
	struct last_baton b = {form, dossier ? dossier : "", scope ? scope : "", out, false};

	if (walk(st, txn, code, code ? first_fn : last_fn, &b, e) != 0)
		return -1;
	if (!b.found)
		return err_set(e, E_NOTFOUND, "%s", _("no earlier print of this form"));
	return 0;
}
