/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/audit.h — the audit chain (audit.c).
 */
#ifndef DIBAO_STORE_AUDIT_H
#define DIBAO_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sizes.h"
#include "store/env.h"
#include "store/err.h"

/* ---- audit.c ---------------------------------------------------------- */

struct audit_entry {
	uint64_t seq;
	int64_t time;
	char op[USER_MAX_BYTES];
	char action[TEXT_SHORT];
	char object[TEXT_SHORT];
	char *detail;              /* malloc'd UTF-8 (JSON or text) */
	unsigned char prev[32];
	unsigned char hash[32];
};

/* Append an entry in txn; detail may be NULL. */
int audit_append(struct store *st, store_txn *txn, const char *op, const char *action,
    const char *object, const char *detail, struct err *e);
typedef int (*audit_fn)(const struct audit_entry *a, void *baton);
/* Walk all entries in order (object NULL) or those of one object. */
int audit_walk(struct store *st, const char *object, audit_fn fn, void *baton, struct err *e);
/* The number of entries (the head's sequence number): one meta read. */
int audit_length(struct store *st, store_txn *txn, uint64_t *n, struct err *e);
/* Verify the chain; returns 0 if intact, -1 with e naming the first bad entry. */
int audit_verify(struct store *st, uint64_t *count, unsigned char head[32], struct err *e);
void audit_entry_free(struct audit_entry *a);
void hex32(const unsigned char h[32], char out[65]);
/* 64 hex digits back into 32 bytes: 0, or -1 when s is not that */
int unhex32(const char *s, unsigned char h[32]);

#endif
