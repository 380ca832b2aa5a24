/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * manifest.c — manifest.json of the monthly handover archive (SPEC 9,
 * docs/ARCHIVE.md): what the township says it sent, with the size and
 * SHA-256 of every other entry and the hash of the previous month's
 * manifest, so the county can check each file and the months form a chain.
 *
 * The bytes must be the same when a month is exported twice: keys sorted,
 * files sorted by path, times taken from the period, never from the clock.
 * Parsing is for untrusted input: every field is type-checked and every
 * path must be a safe relative one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <jansson.h>

#include "import/encoding.h"
#include "import/manifest.h"

#include "core/base.h"
#include "core/date.h"
#include "core/dossier-model.h"
#include "core/sizes.h"
#include "store/audit.h"
#include "store/err.h"
#include "store/scratch.h"
#include "core/array.h"

void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, p, (unsigned long long)n);
	hex32(h, out);
}

void
manifest_top(const struct manifest *m, char *buf, size_t size)
{
	char mon[8];
	month_format(m->period, mon);
	snprintf(buf, size, "%s-%s", m->township_code, mon);
}

bool
archive_path_safe(const char *path)
{
	size_t len = strlen(path);

	if (len == 0 || len > 1024 || path[0] == '/' || !utf8_valid(path, len))
		return false;
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f || *p == ':')
			return false;
	/* every component: not empty, not "." or ".." */
	for (const char *c = path; *c;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (end == NULL)
			break;
		c = end + 1;
		if (*c == '\0')
			return false;	/* a trailing slash names a directory */
	}
	return true;
}

int
manifest_add_file(struct manifest *m, const char *path, const void *data, size_t len)
{
	struct manifest_file *v = array_grow(m->f, &m->cap_files, m->n_files + 1, sizeof *v);
	if (v == NULL)
		return -1;
	m->f = v;
	struct manifest_file *f = &m->f[m->n_files];
	if ((f->path = strdup(path)) == NULL)
		return -1;
	f->size = len;
	if (data != NULL)
		sha256_hex(data, len, f->sha256);
	else
		f->sha256[0] = '\0';
	m->n_files++;
	return 0;
}

int
manifest_add_case(struct manifest *m, const struct manifest_case *c)
{
	struct manifest_case *v = array_grow(m->cases, &m->cap_cases, m->n_cases + 1, sizeof *v);
	if (v == NULL)
		return -1;
	m->cases = v;
	m->cases[m->n_cases++] = *c;
	return 0;
}

void
manifest_free_files(struct manifest *m)
{
	for (size_t i = 0; i < m->n_files; i++)
		free(m->f[i].path);
	free(m->f);
	m->f = NULL;
	m->n_files = m->cap_files = 0;
}

void
manifest_free(struct manifest *m)
{
	manifest_free_files(m);
	free(m->cases);
	m->cases = NULL;
	m->n_cases = m->cap_cases = 0;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct manifest_file *)a)->path, ((const struct manifest_file *)b)->path);
}

static int
case_cmp(const void *a, const void *b)
{
	return strcmp(((const struct manifest_case *)a)->dossier, ((const struct manifest_case *)b)->dossier);
}

int
archive_sign_message(const char *top, const char *manifest_sha, char *buf, size_t size)
{
	int n = snprintf(buf, size, "dibao-archive-signature 1\n%s\n%s\n", top, manifest_sha);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

char *
manifest_dump(const struct manifest *mc, size_t *len)
{
	struct manifest *m = (struct manifest *)mc;
	char mon[8], from[11], to[11];
	json_t *files = json_array(), *cases = json_array(), *j;
	char *s, *out;

	/* sorted here so that the order entries were added never shows; with
	 * no files listed, counts.files is m->files (the archive's writer lists
	 * them itself, streaming, in place of the empty array) */
	if (m->n_files > 1)
		qsort(m->f, m->n_files, sizeof *m->f, file_cmp);
	if (m->n_cases > 1)
		qsort(m->cases, m->n_cases, sizeof *m->cases, case_cmp);
	if (files == NULL || cases == NULL)
		goto oom;
	for (size_t i = 0; i < m->n_files; i++)
		if (json_array_append_new(files, json_pack("{s:s,s:I,s:s}", "path", m->f[i].path,
		    "size", (json_int_t)m->f[i].size, "sha256", m->f[i].sha256)) != 0)
			goto oom;
	for (size_t i = 0; i < m->n_cases; i++) {
		const struct manifest_case *c = &m->cases[i];
		if (json_array_append_new(cases, json_pack("{s:s,s:s,s:s,s:i,s:I,s:b,s:b}", "dossier", c->dossier,
		    "head", c->head, "village", c->village, "persons", c->persons, "total", (json_int_t)c->total,
		    "kin", c->kin, "new", c->added)) != 0)
			goto oom;
	}
	month_format(m->period, mon);
	date_format(m->from, from);
	date_format(m->to, to);
	j = json_pack("{s:s,s:i,s:{s:s,s:s},s:{s:s,s:s,s:s},s:s,s:s,s:{s:i,s:i,s:i,s:i},s:{s:I,s:s},s:o,s:o,s:o}",
	    "format", ARCHIVE_FORMAT, "version", m->version ? m->version : ARCHIVE_VERSION,
	    "township", "code", m->township_code, "name", m->township_name,
	    "period", "month", mon, "from", from, "to", to,
	    "exported", m->exported, "operator", m->op,
	    "counts", "dossiers", m->dossiers, "files", m->n_files ? (int)m->n_files : m->files, "audit_entries", m->audit_entries,
	    "filings", m->filings,
	    "audit", "count", (json_int_t)m->audit_count, "head", m->audit_head,
	    "cases", cases, "files", files,
	    "previous", m->previous[0] ? json_string(m->previous) : json_null());
	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (s == NULL)
		return NULL;
	/* a final newline: the file is also read by people */
	*len = strlen(s) + 1;
	if ((out = malloc(*len + 1)) == NULL) {
		free(s);
		return NULL;
	}
	memcpy(out, s, *len - 1);
	out[*len - 1] = '\n';
	out[*len] = '\0';
	free(s);
	return out;
oom:
	json_decref(files);
	json_decref(cases);
	return NULL;
}

/* ---- parsing (untrusted) ------------------------------------------------ */

static int
get_str(json_t *o, const char *key, char *dst, size_t size, struct err *e)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= size)
		return err_set(e, E_REFUSED, _("manifest: the field %s is missing or invalid"), key);
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int
get_int(json_t *o, const char *key, int64_t min, int64_t max, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return err_set(e, E_REFUSED, _("manifest: the field %s is missing or invalid"), key);
	*out = json_integer_value(v);
	return 0;
}

static bool
hex64(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

enum { BAD_FIELD = -2 };     /* a required field missing: the general message */

/* The manifest's head: format, version, township, period, counts, audit
 * head, previous manifest.  0, -1 with e, or BAD_FIELD. */
static int
parse_head(json_t *j, struct manifest *m, struct err *e)
{
	json_t *o, *v;
	char buf[64];
	const char *why;
	int64_t n;

	if (!json_is_object(j) || get_str(j, "format", buf, sizeof buf, e) != 0)
		return -1;
	if (strcmp(buf, ARCHIVE_FORMAT) != 0) {
		err_set(e, E_REFUSED, _("manifest: not a dibao archive (format %s)"), buf);
		return -1;
	}
	if (get_int(j, "version", 1, 1000, &n, e) != 0)
		return -1;
	if (n > ARCHIVE_VERSION) {
		err_set(e, E_REFUSED, _("manifest: archive format version %d is newer than this program reads (%d)"),
		    (int)n, ARCHIVE_VERSION);
		return -1;
	}
	m->version = (int)n;
	o = json_object_get(j, "township");
	if (!json_is_object(o) || get_str(o, "code", m->township_code, sizeof m->township_code, e) != 0 ||
	    get_str(o, "name", m->township_name, sizeof m->township_name, e) != 0)
		return BAD_FIELD;
	if (!township_code_valid(m->township_code)) {
		err_set(e, E_REFUSED, _("manifest: invalid township code %s"), m->township_code);
		return -1;
	}
	o = json_object_get(j, "period");
	if (!json_is_object(o) || get_str(o, "month", buf, sizeof buf, e) != 0 ||
	    month_parse(buf, &m->period, &why) != 0)
		return BAD_FIELD;
	if (get_str(o, "from", buf, sizeof buf, e) != 0 || date_parse(buf, &m->from, &why) != 0 ||
	    get_str(o, "to", buf, sizeof buf, e) != 0 || date_parse(buf, &m->to, &why) != 0)
		return BAD_FIELD;
	if (get_str(j, "exported", m->exported, sizeof m->exported, e) != 0 ||
	    get_str(j, "operator", m->op, sizeof m->op, e) != 0)
		return -1;
	o = json_object_get(j, "counts");
	if (!json_is_object(o))
		return BAD_FIELD;
	if (get_int(o, "dossiers", 0, 1000000, &n, e) != 0)
		return -1;
	m->dossiers = (int)n;
	if (get_int(o, "audit_entries", 0, 100000000, &n, e) != 0)
		return -1;
	m->audit_entries = (int)n;
	if (get_int(o, "filings", 0, 1000000, &n, e) != 0)
		return -1;
	m->filings = (int)n;
	if (get_int(o, "files", 0, 1000000, &n, e) != 0)
		return -1;
	m->files = (int)n;
	o = json_object_get(j, "audit");
	if (!json_is_object(o) || get_int(o, "count", 0, INT64_MAX, &n, e) != 0 ||
	    get_str(o, "head", m->audit_head, sizeof m->audit_head, e) != 0)
		return BAD_FIELD;
	m->audit_count = (uint64_t)n;
	v = json_object_get(j, "previous");
	if (json_is_null(v)) {
		m->previous[0] = '\0';
	} else if (json_is_string(v) && hex64(json_string_value(v))) {
		memcpy(m->previous, json_string_value(v), 65);
	} else {
		err_set(e, E_REFUSED, _("manifest: the field %s is missing or invalid"), "previous");
		return -1;
	}
	return 0;
}

struct mtext;

/* One file listed: under the top folder, sorted after the one before. */
static int
file_one(struct mtext *t, json_t *v, struct manifest *m, struct err *e)
{
	char top[64], path[1100], sha[65];
	int64_t n;

	(void)t;
	manifest_top(m, top, sizeof top);
	if (!json_is_object(v) || get_str(v, "path", path, sizeof path, e) != 0 ||
	    get_str(v, "sha256", sha, sizeof sha, e) != 0 || get_int(v, "size", 0, INT64_MAX, &n, e) != 0)
		return -1;
	size_t tl = strlen(top);
	if (!archive_path_safe(path) || strncmp(path, top, tl) != 0 || path[tl] != '/' ||
	    strcmp(path + tl + 1, ARCHIVE_MANIFEST) == 0)
		return err_set(e, E_REFUSED, _("manifest: unsafe or misplaced path %s"), path);
	if (!hex64(sha))
		return err_set(e, E_REFUSED, _("manifest: invalid SHA-256 for %s"), path);
	if (manifest_add_file(m, path, NULL, 0) != 0)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	m->f[m->n_files - 1].size = (uint64_t)n;
	memcpy(m->f[m->n_files - 1].sha256, sha, 65);
	if (m->n_files > 1 && strcmp(m->f[m->n_files - 2].path, path) >= 0)
		return err_set(e, E_REFUSED, _("manifest: files not sorted or listed twice (%s)"), path);
	return 0;
}

static int case_keep(struct mtext *t, struct manifest *m, const struct manifest_case *c, struct err *e);

/* One case (a household added, a kin filing), of this township. */
static int
case_one(struct mtext *t, json_t *v, struct manifest *m, struct err *e)
{
	struct manifest_case c;
	int64_t n;

	memset(&c, 0, sizeof c);
	if (!json_is_object(v) || get_str(v, "dossier", c.dossier, sizeof c.dossier, e) != 0 ||
	    get_str(v, "head", c.head, sizeof c.head, e) != 0 ||
	    get_str(v, "village", c.village, sizeof c.village, e) != 0 ||
	    get_int(v, "persons", 0, MAX_MEMBERS, &n, e) != 0)
		return -1;
	c.persons = (int)n;
	if (get_int(v, "total", 0, INT32_MAX, &n, e) != 0)
		return -1;
	c.total = (fen_t)n;
	if (!json_is_boolean(json_object_get(v, "kin")) || !json_is_boolean(json_object_get(v, "new")))
		return BAD_FIELD;
	c.kin = json_is_true(json_object_get(v, "kin"));
	c.added = json_is_true(json_object_get(v, "new"));
	if (strncmp(c.dossier, m->township_code, strlen(m->township_code)) != 0)
		return err_set(e, E_REFUSED, _("manifest: case %s is not of township %s"), c.dossier, m->township_code);
	return case_keep(t, m, &c, e);
}

/* ---- the text a value at a time ------------------------------------------
 * The manifest lists every entry of the archive (two a household): jansson
 * reads its top object a member at a time and the arrays "files" and
 * "cases" an element at a time, never as one tree (issue 17: the tree of
 * 10,000 households' files took 10 MB).  The arrays are read twice: once
 * for their syntax with the rest, once element by element after the head
 * (which says what the paths must begin with). */
struct mtext {
	const char *p;              /* the text in memory, or NULL: */
	const struct scratch *s;    /* in this private temporary file */
	size_t len, at;
	size_t files, cases;        /* where the arrays begin; 0 none */
	char win[16384];            /* the file's bytes [woff, woff + wlen) */
	size_t woff, wlen;
	size_t next;                /* what mt_feed gives jansson next */
	bool ioerr;
	manifest_case_fn case_fn;   /* NULL: the cases into m->cases */
	void *case_baton;
};

/* A case checked: into m->cases, or to the reader's function */
static int
case_keep(struct mtext *t, struct manifest *m, const struct manifest_case *c, struct err *e)
{
	if (t->case_fn != NULL)
		return t->case_fn(m, c, t->case_baton, e) != 0 ? -1 : 0;
	if (manifest_add_case(m, c) != 0)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	return 0;
}

/* The window moved to hold byte i (< len): false on a read error */
static bool
mt_window(struct mtext *t, size_t i)
{
	if (i >= t->woff && i < t->woff + t->wlen)
		return true;
	size_t n = t->len - i < sizeof t->win ? t->len - i : sizeof t->win;
	if (scratch_read(t->s, (off_t)i, t->win, n) != 0) {
		t->ioerr = true;
		return false;
	}
	t->woff = i;
	t->wlen = n;
	return true;
}

/* The byte at i, or -1 at the end */
static int
mt_at(struct mtext *t, size_t i)
{
	if (i >= t->len)
		return -1;
	if (t->p != NULL)
		return (unsigned char)t->p[i];
	return mt_window(t, i) ? (unsigned char)t->win[i - t->woff] : -1;
}

/* json_load_callback's source: the text from t->next on */
static size_t
mt_feed(void *buf, size_t size, void *data)
{
	struct mtext *t = data;
	size_t n = t->len - t->next < size ? t->len - t->next : size;

	if (n > 0 && t->p != NULL) {
		memcpy(buf, t->p + t->next, n);
	} else if (n > 0) {
		if (!mt_window(t, t->next))
			return (size_t)-1;
		if (n > t->woff + t->wlen - t->next)
			n = t->woff + t->wlen - t->next;
		memcpy(buf, t->win + (t->next - t->woff), n);
	}
	t->next += n;
	return n;
}

static void
mt_space(struct mtext *t)
{
	int c;
	while ((c = mt_at(t, t->at)) == ' ' || c == '\t' || c == '\r' || c == '\n')
		t->at++;
}

static bool
mt_char(struct mtext *t, char c)
{
	mt_space(t);
	if (mt_at(t, t->at) == (unsigned char)c) {
		t->at++;
		return true;
	}
	return false;
}

/* "not valid JSON" at byte at (line counted from the start) */
static int
mt_invalid(struct mtext *t, size_t at, int line_in, const char *why, struct err *e)
{
	int line = line_in;
	for (size_t i = 0; i < at && !t->ioerr; i++)
		line += mt_at(t, i) == '\n';
	if (t->ioerr)
		return err_set(e, E_STORAGE, _("cannot read a temporary file: %s"), strerror(EIO));
	return err_set(e, E_REFUSED, _("manifest: not valid JSON (line %d: %s)"), line, why);
}

/* The value at t->at (jansson reads it alone, whatever follows) */
static json_t *
mt_value(struct mtext *t, struct err *e)
{
	json_error_t je;

	mt_space(t);
	t->next = t->at;
	json_t *v = json_load_callback(mt_feed, t, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
	    &je);
	if (v == NULL) {
		mt_invalid(t, t->at, je.line, je.text, e);
		return NULL;
	}
	t->at += (size_t)je.position;
	return v;
}

/* The array at t->at, each element to fn (NULL: only read) */
static int
mt_array(struct mtext *t, int (*fn)(struct mtext *, json_t *, struct manifest *, struct err *), struct manifest *m,
    struct err *e)
{
	if (!mt_char(t, '['))
		return mt_invalid(t, t->at, 1, "'[' expected", e);
	if (mt_char(t, ']'))
		return 0;
	do {
		json_t *v = mt_value(t, e);
		if (v == NULL)
			return -1;
		int r = fn != NULL ? fn(t, v, m, e) : 0;
		json_decref(v);
		if (r != 0)
			return r;
	} while (mt_char(t, ','));
	return mt_char(t, ']') ? 0 : mt_invalid(t, t->at, 1, "',' or ']' expected", e);
}

/* One member of the top object into head, or the place of an array */
static int
mt_member(struct mtext *t, json_t *head, struct err *e)
{
	json_t *k = mt_value(t, e);
	if (k == NULL)
		return -1;
	if (!json_is_string(k)) {
		json_decref(k);
		return mt_invalid(t, t->at, 1, "string or '}' expected", e);
	}
	const char *key = json_string_value(k);
	size_t *arr = strcmp(key, "files") == 0 ? &t->files : strcmp(key, "cases") == 0 ? &t->cases : NULL;
	int r = 0;
	if (!mt_char(t, ':'))
		r = mt_invalid(t, t->at, 1, "':' expected", e);
	else if (json_object_get(head, key) != NULL || (arr != NULL && *arr != 0))
		r = mt_invalid(t, t->at, 1, "duplicate object key", e);
	mt_space(t);
	if (r == 0 && arr != NULL && mt_at(t, t->at) == '[') {
		*arr = t->at;
		r = mt_array(t, NULL, NULL, e);
	} else if (r == 0) {
		json_t *v = mt_value(t, e);
		r = v == NULL || json_object_set_new(head, key, v) != 0 ? -1 : 0;
	}
	json_decref(k);
	return r;
}

/* The top object: its members but the arrays into head. */
static int
mt_top(struct mtext *t, json_t *head, struct err *e)
{
	if (!mt_char(t, '{'))
		return BAD_FIELD;
	if (!mt_char(t, '}')) {
		do {
			if (mt_member(t, head, e) != 0)
				return -1;
		} while (mt_char(t, ','));
		if (!mt_char(t, '}'))
			return mt_invalid(t, t->at, 1, "',' or '}' expected", e);
	}
	mt_space(t);
	return t->at == t->len ? 0 : mt_invalid(t, t->at, 1, "end of file expected", e);
}

/* The files and the cases, an element at a time, after the head */
static int
mt_lists(struct mtext *t, struct manifest *m, struct err *e)
{
	int r;

	if (t->files == 0)
		return BAD_FIELD;   /* missing, or not an array */
	t->at = t->files;
	if ((r = mt_array(t, file_one, m, e)) != 0)
		return r;
	if ((size_t)m->files != m->n_files)
		return err_set(e, E_REFUSED, _("manifest: counts.files is %d but %zu files are listed"), m->files,
		    m->n_files);
	if (t->cases == 0)
		return BAD_FIELD;
	t->at = t->cases;
	return mt_array(t, case_one, m, e);
}

/* The manifest from t: its head, then its files and cases */
static int
mt_read(struct mtext *t, struct manifest *m, struct err *e)
{
	json_t *head;
	int r;

	memset(m, 0, sizeof *m);
	if ((head = json_object()) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	if ((r = mt_top(t, head, e)) == 0 && (r = parse_head(head, m, e)) == 0)
		r = mt_lists(t, m, e);
	json_decref(head);
	if (r == 0)
		return 0;
	if (r == BAD_FIELD && e->code == E_OK)
		err_set(e, E_REFUSED, "%s", _("manifest: a required field is missing or invalid"));
	manifest_free(m);
	return -1;
}

int
manifest_parse(const char *text, size_t len, struct manifest *m, struct err *e)
{
	struct mtext t = {.p = text, .len = len};
	return mt_read(&t, m, e);
}

int
manifest_parse_scratch(const struct scratch *s, manifest_case_fn case_fn, void *baton, struct manifest *m,
    struct err *e)
{
	struct mtext t = {.s = s, .len = (size_t)s->end, .case_fn = case_fn, .case_baton = baton};
	return mt_read(&t, m, e);
}
