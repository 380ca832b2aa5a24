/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-roster.c — the roster (花名册.csv) of a township's archive as the
 * county's import reads it: its bytes spooled into a private enciphered
 * temporary file as they stream by (archive-in.c), read back a row at a
 * time once every entry is checked, each person written to a second one
 * that the import's transaction reads (store/county.c).  Neither the
 * roster's bytes, nor its cells, nor its people are held in memory
 * (issue 17: 50,000 people took 9 MB, their cells and bytes 20 MB more).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "import/archive-int.h"
#include "import/sheet.h"

#include "core/idno.h"
#include "store/county.h"
#include "store/err.h"
#include "store/scratch.h"

/* The roster as a FILE (csv_read_rows reads it twice: a seek back) */
static ssize_t
sread_read(void *c, char *buf, size_t size)
{
	return scratch_cursor_read(c, buf, size);
}

static int
sread_seek(void *c, off64_t *off, int whence)
{
	off_t to = scratch_cursor_seek(c, (off_t)*off, whence);

	if (to < 0)
		return -1;
	*off = (off64_t)to;
	return 0;
}

struct people_out {
	const char *path;       /* the roster, for messages */
	const struct manifest *m;
	struct scratch *people;
	size_t *n;
	int cid, cdos, cname, cstat;
	bool head;              /* the header row read */
	bool refused;           /* by a row (its message names the roster) */
	struct err *e;
};

/* The header row: where the columns are */
static int
people_head(struct people_out *o, const struct sheet_row *r)
{
	o->head = true;
	o->cid = o->cdos = o->cname = o->cstat = -1;
	for (int k = 0; k < r->n; k++) {
		const char *h = sheet_cell(r, k);
		if (strcmp(h, "身份证号") == 0)
			o->cid = k;
		else if (strcmp(h, "户档案编号") == 0)
			o->cdos = k;
		else if (strcmp(h, "姓名") == 0)
			o->cname = k;
		else if (strcmp(h, "状态") == 0)
			o->cstat = k;
	}
	if (o->cid < 0 || o->cdos < 0)
		return err_set(o->e, E_REFUSED, _("the roster %s lacks the columns 身份证号 and 户档案编号"), o->path);
	return 0;
}

/* One row: the header, or a person */
static int
people_row(const struct sheet_row *r, void *baton)
{
	struct people_out *o = baton;
	struct county_person p;

	if (!o->head) {
		o->refused = people_head(o, r) != 0;
		return o->refused ? -1 : 0;
	}
	const char *id = sheet_cell(r, o->cid);
	if (id[0] == '\0')
		return 0;
	o->refused = true;
	if (strlen(id) != ID_LEN)
		return err_set(o->e, E_REFUSED, _("the roster %s, line %d: invalid ID number %s"), o->path, r->line, id);
	memset(&p, 0, sizeof p);
	memcpy(p.id, id, ID_LEN + 1);
	snprintf(p.township, sizeof p.township, "%s", o->m->township_code);
	snprintf(p.dossier, sizeof p.dossier, "%s", sheet_cell(r, o->cdos));
	if (o->cname >= 0)
		snprintf(p.name, sizeof p.name, "%s", sheet_cell(r, o->cname));
	if (o->cstat >= 0)
		snprintf(p.status, sizeof p.status, "%s", sheet_cell(r, o->cstat));
	p.period = o->m->period;
	/* a person on two rows is one record: the key is township + ID */
	if (scratch_write(o->people, &p, sizeof p, NULL) != 0)
		return err_set(o->e, E_STORAGE, _("cannot write a temporary file: %s"), strerror(errno));
	o->refused = false;
	(*o->n)++;
	return 0;
}

int
ax_roster_people(const struct scratch *roster, const char *path, const struct manifest *m, struct scratch *people,
    size_t *n, struct err *e)
{
	struct scratch_cursor r = {roster, 0};
	cookie_io_functions_t io = {.read = sread_read, .seek = sread_seek};
	struct people_out o = {.path = path, .m = m, .people = people, .n = n, .e = e};
	enum text_enc enc;
	FILE *f;

	*n = 0;
	if (scratch_open(people) != 0)
		return err_set(e, E_STORAGE, _("cannot create a temporary file: %s"), strerror(errno));
	if ((f = fopencookie(&r, "rb", io)) == NULL)
		return err_set(e, E_STORAGE, "%s", _("out of memory"));
	err_clear(e);
	int ret = csv_read_rows(f, people_row, &o, &enc, e);
	fclose(f);
	if (ret != 0 && !o.refused)
		return err_add(e, E_REFUSED, _("the roster %s cannot be read"), path);
	if (ret != 0)
		return -1;
	if (!o.head)
		return err_set(e, E_REFUSED, _("the roster %s is empty"), path);
	return 0;
}
