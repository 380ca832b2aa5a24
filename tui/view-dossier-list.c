/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-dossier-list.c — the dossier list: search as you type (number, ID
 * number, name or name prefix, village: dossier_list() picks the index),
 * filters by status (F7) and village (F8), and paging that reads one
 * screen at a time — never the whole table.  Without a search a page starts
 * at a dossier number (keyset: the thousandth page costs what the first
 * does); a search, which may meet a dossier twice, pages by offset.  ID
 * numbers are masked.  F3 opens a new dossier.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/widgets.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/base.h"
#include "core/dossier-model.h"
#include "core/idno.h"
#include "core/sizes.h"
#include "core/terms.h"
#include "store/dossier.h"
#include "store/err.h"

#define ROWS_MAX 200
#define VILLAGES_MAX 64

struct row {
	char no[DOSSIER_NO_LEN + 1];
	char head[2 * NAME_MAX_BYTES + 2];   /* the head, or "head/member" (below) */
	size_t head_len;                     /* the head's own bytes in head */
	char id[ID_LEN + 1];
	char village[TEXT_SHORT];
	char group[TEXT_SHORT];
	char address[TEXT_MEDIUM];
	enum status status;
	int members;
	fen_t total;
};

struct list_data {
	struct field search;
	int status;                 /* -1 any */
	char villages[VILLAGES_MAX][TEXT_SHORT];
	int n_villages, village;    /* -1 any */
	size_t offset;              /* lines above the screen (shown as line numbers) */
	char first[DOSSIER_NO_LEN + 1];  /* keyset: the first row's number, "" the start */
	char next[DOSSIER_NO_LEN + 1];   /* keyset: the row after the screen, if more */
	int sel, n;
	bool more;
	struct row rows[ROWS_MAX + 1];
	int generation;
};

static int
page_rows(void)
{
	int n = LINES - 7;
	if (n > ROWS_MAX)
		n = ROWS_MAX;
	return n < 1 ? 1 : n;
}

static int
one(const struct dossier *d, void *baton)
{
	struct list_data *l = baton;
	if (l->n > ROWS_MAX)
		return 1;
	struct row *r = &l->rows[l->n++];
	const struct member *h = d->n_members > 0 ? &d->members[d->head] : NULL;
	snprintf(r->no, sizeof r->no, "%s", d->no);
	snprintf(r->head, sizeof r->head, "%s", h ? h->name : "");
	r->head_len = strlen(r->head);
	/* a name search may find the dossier through a member who is not its
	 * head: "head/member", so the clerk sees why it is listed */
	char s[FIELD_MAX * 4 + 1];
	int got = field_get(&l->search, s, sizeof s);
	size_t n = got > 0 ? (size_t)got : 0;
	if (h && n > 0 && (s[0] & 0x80) && strncmp(h->name, s, n) != 0)
		for (int i = 0; i < d->n_members; i++)
			if (strncmp(d->members[i].name, s, n) == 0) {
				snprintf(r->head, sizeof r->head, "%s/%s", h->name, d->members[i].name);
				break;
			}
	if (h)
		id_mask(h->id, r->id);
	else
		r->id[0] = '\0';
	snprintf(r->village, sizeof r->village, "%s", d->village);
	snprintf(r->group, sizeof r->group, "%s", d->group);
	snprintf(r->address, sizeof r->address, "%s", d->address);
	r->status = d->status;
	r->members = dossier_living(d, store_today());
	r->total = d->total;
	return 0;
}

static bool
searching(const struct list_data *l)
{
	return l->search.len > 0;
}

static struct dossier_filter
filter_of(const struct list_data *l, const char *search)
{
	struct dossier_filter f = {
		.status = l->status,
		.village = l->village >= 0 ? l->villages[l->village] : NULL,
		.search = search[0] ? search : NULL,
	};
	return f;
}

/* Read the screen's rows, and one more to know whether a next page exists. */
static void
load(struct tui *t, struct list_data *l)
{
	char s[FIELD_MAX * 4 + 1];
	struct err e;
	int rows = page_rows();
	field_get(&l->search, s, sizeof s);
	struct dossier_filter f = filter_of(l, s);
	if (s[0])
		f.offset = l->offset;
	else
		f.start = l->first[0] ? l->first : NULL;
	f.limit = (size_t)rows + 1;
	err_clear(&e);
	l->n = 0;
	if (dossier_list(t->st, &f, one, l, &e) != 0)
		tui_error(t, &e);
	l->more = l->n > rows;
	if (l->more) {
		l->n = rows;
		snprintf(l->next, sizeof l->next, "%s", l->rows[rows].no);
	}
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
	l->generation = t->generation;
}

static void
to_start(struct list_data *l)
{
	l->offset = 0;
	l->first[0] = '\0';
	l->sel = 0;
}

static int
remember_no(const struct dossier *d, void *baton)
{
	snprintf(baton, DOSSIER_NO_LEN + 1, "%s", d->no);
	return 0;
}

/* Keyset, backward: into farthest the dossier count rows before start
 * (NULL: before the end), or the very first when fewer are there; "" when
 * there is none.  False on an error (shown). */
static bool
read_back(struct tui *t, const struct list_data *l, const char *start, size_t count,
    char farthest[DOSSIER_NO_LEN + 1])
{
	struct dossier_filter f = filter_of(l, "");
	struct err e;
	err_clear(&e);
	farthest[0] = '\0';
	f.start = start;
	f.backward = true;
	f.limit = count;
	if (dossier_list(t->st, &f, remember_no, farthest, &e) != 0) {
		tui_error(t, &e);
		return false;
	}
	return true;
}

/* Move the screen's start back by up to count rows: by offset for a
 * search, else from the first row backward. */
static void
scroll_back(struct tui *t, struct list_data *l, size_t count)
{
	char farthest[DOSSIER_NO_LEN + 1];
	if (searching(l) || l->n == 0) {
		l->offset = l->offset > count ? l->offset - count : 0;
		return;
	}
	if (!read_back(t, l, l->rows[0].no, count, farthest))
		return;
	if (farthest[0] == '\0') {
		to_start(l);
		return;
	}
	snprintf(l->first, sizeof l->first, "%s", farthest);
	l->offset = l->offset > count ? l->offset - count : 0;
}

/* End without a search: the last screen, its line numbers from the count. */
static void
to_end(struct tui *t, struct list_data *l)
{
	struct dossier_filter f = filter_of(l, "");
	char farthest[DOSSIER_NO_LEN + 1];
	size_t total, rows = (size_t)page_rows();
	struct err e;
	err_clear(&e);
	if (dossier_count(t->st, &f, &total, &e) != 0) {
		tui_error(t, &e);
		return;
	}
	if (!read_back(t, l, NULL, rows, farthest))
		return;
	snprintf(l->first, sizeof l->first, "%s", farthest);
	l->offset = total > rows ? total - rows : 0;
	l->sel = (int)rows - 1;
}

/* Move the screen's start forward by count rows (count ≤ the rows shown,
 * or exactly the rows shown when a next page exists). */
static void
scroll_on(struct list_data *l, size_t count)
{
	l->offset += count;
	if (searching(l))
		return;
	if (count < (size_t)l->n)
		snprintf(l->first, sizeof l->first, "%s", l->rows[count].no);
	else
		snprintf(l->first, sizeof l->first, "%s", l->next);
}

static void *
list_init(struct tui *t, void *arg)
{
	const struct list_arg *a = arg;
	struct list_data *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	field_init(&l->search, 40);
	l->status = a ? a->status : -1;
	l->village = -1;
	l->n_villages = village_names(t, l->villages, VILLAGES_MAX);
	load(t, l);
	return l;
}

static void
list_resize(struct tui *t, void *data)
{
	load(t, data);
}

/* column layout for the current width */
struct cols { int no, head, id, village, status, members, address; };

static struct cols
layout(void)
{
	struct cols c = {20, 10, 18, 12, 8, 4, 0};
	int used = c.no + c.head + c.id + c.village + c.status + c.members + 6;
	int spare = COLS - 1 - used;
	if (spare > 34) {
		c.head += 4;
		c.village += 6;
		c.status += 10; /* 不予受理/不予批准 whole */
		c.address = spare - 20 - 1;
	} else if (spare > 24) {
		c.head += 4;
		c.village += 6;
		c.address = spare - 10 - 1;
	} else if (spare > 0) {
		/* issue 15: "head/member" whole before a wider village */
		int h = spare < 4 ? spare : 4;
		c.head += h;
		c.village += spare - h;
	}
	return c;
}


/* One column of a row: the text in w columns (cut, never into the next
 * column), then the blank between columns.  Returns the next column's x. */
static int
cell(int y, int x, int w, const char *text, int attr)
{
	draw_text_ellipsis(y, x, w, text, attr);   /* issue 15: never a silent cut */
	draw_text(y, x + w, 1, "", attr);
	return x + w + 1;
}

/* The 户主/成员 cell: "head/member" whole; when it does not fit, the head
 * whole and "/…" for the member (never part of a name: "王建国/李…"),
 * or the head cut with an ellipsis when even that does not fit. */
static int
head_cell(int y, int x, int w, const struct row *r, int attr)
{
	char b[sizeof r->head + 8];
	if (r->head[r->head_len] == '\0' || text_width(r->head) <= w)
		return cell(y, x, w, r->head, attr);
	snprintf(b, sizeof b, "%.*s/…", (int)r->head_len, r->head);
	if (text_width(b) <= w)
		return cell(y, x, w, b, attr);
	b[r->head_len] = '\0';
	return cell(y, x, w, b, attr);
}

/* A status that does not fit its column: the part before a '/' (不予受理/
 * 不予批准 shows as 不予受理) rather than a cut ending in the slash. */
static const char *
status_label(enum status s, int cols)
{
	static char b[TEXT_SHORT];
	const char *zh = status_terms[s].zh, *slash = strchr(zh, '/');
	if (text_width(zh) <= cols || slash == NULL)
		return zh;
	snprintf(b, sizeof b, "%.*s", (int)(slash - zh), zh);
	return b;
}

static void
list_draw(struct tui *t, void *data)
{
	struct list_data *l = data;
	char b[512];
	if (l->generation != t->generation)
		load(t, l);
	int y = VIEW_TOP;
	int lw = draw_text(y, 0, 8, _("Search:"), A_BOLD);
	int cx = field_draw(&l->search, y, lw + 1, 30, true);
	draw_text(y, lw + 33, COLS - lw - 33, _("number, ID number, name or village"), A_NORMAL);
	snprintf(b, sizeof b, "%s %s    %s %s", _("Status:"),
	    l->status >= 0 ? status_terms[l->status].zh : _("all"), _("Village:"),
	    l->village >= 0 ? l->villages[l->village] : _("all"));
	draw_text(y + 1, 0, COLS, b, A_NORMAL);
	struct cols c = layout();
	int x = 0, hy = y + 2;
	const char *heads[] = {_("Dossier number"), searching(l) ? _("Head/member") : _("Head"), _("ID number"), _("Village"), _("Status"), _("Persons"), _("Address")};
	int widths[] = {c.no, c.head, c.id, c.village, c.status, c.members, c.address};
	for (int i = 0; i < 7; i++) {
		if (widths[i] <= 0)
			continue;
		draw_text(hy, x, widths[i] + 1, heads[i], A_BOLD | A_UNDERLINE);
		x += widths[i] + 1;
	}
	draw_text(hy, x, COLS - x, "", A_BOLD | A_UNDERLINE);
	for (int i = 0; i < l->n; i++) {
		const struct row *r = &l->rows[i];
		int attr = i == l->sel ? attrs[AT_SEL] : (int)A_NORMAL;
		int ry = hy + 1 + i;
		char vg[2 * TEXT_SHORT + 2], m[16];
		snprintf(vg, sizeof vg, "%s%s", r->village, r->group);
		snprintf(m, sizeof m, "%d", r->members);
		x = 0;
		x = cell(ry, x, c.no, r->no, attr);
		x = head_cell(ry, x, c.head, r, attr);
		x = cell(ry, x, c.id, r->id, attr);
		x = cell(ry, x, c.village, vg, attr);
		x = cell(ry, x, c.status, status_label(r->status, c.status), attr);
		draw_text_right(ry, x, c.members, m, attr);
		x += c.members;
		draw_text(ry, x, 1, "", attr);
		x += 1;
		if (c.address > 0)
			x = cell(ry, x, c.address, r->address, attr);
		draw_text(ry, x, COLS - x, "", attr);
	}
	if (l->n == 0)
		draw_text(hy + 1, 2, COLS - 4, _("No dossier matches."), A_NORMAL);
	int from = l->n ? (int)l->offset + 1 : 0;
	/* the count, then the screen's keys from its key table */
	snprintf(b, sizeof b, _("Lines %d–%d%s"), from, (int)l->offset + l->n, l->more ? " …" : "");
	snprintf(b + strlen(b), sizeof b - strlen(b), "   %s", tui_hint_cols(t, COLS - text_width(b) - 3));
	draw_text(LINES - 3, 0, COLS, b, A_NORMAL);
	t->cy = y;
	t->cx = cx;
}

static int
list_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	struct list_data *l = data;
	int rows = page_rows();
	struct dossier_arg da;
	/* with nothing typed Home and End move through the list, not the field */
	if ((a == K_HOME || a == K_END) && !searching(l)) {
		if (a == K_HOME)
			to_start(l);
		else
			to_end(t, l);
		load(t, l);
		return RD_VIEW;
	}
	switch (a) {
	case K_CHAR:
		if (ch == '/') {
			field_set(&l->search, "");
			to_start(l);
			break;
		}
		/* FALLTHROUGH */
	case K_HOME:
	case K_END:
	case K_BACKSPACE:
	case K_DELETE:
	case K_LEFT:
	case K_RIGHT:
		if (field_key(&l->search, a, ch)) {
			to_start(l);
			load(t, l);
		}
		return RD_VIEW;
	case K_SEARCH:
		field_set(&l->search, "");
		to_start(l);
		break;
	case K_UP:
		if (l->sel > 0)
			l->sel--;
		else if (l->offset > 0)
			scroll_back(t, l, 1);
		break;
	case K_DOWN:
		if (l->sel + 1 < l->n)
			l->sel++;
		else if (l->more)
			scroll_on(l, 1);
		break;
	case K_PGDN:
		if (l->more)
			scroll_on(l, (size_t)l->n);
		else
			l->sel = l->n > 0 ? l->n - 1 : 0;
		break;
	case K_PGUP:
		if (l->offset == 0)
			l->sel = 0;
		else
			scroll_back(t, l, (size_t)rows);
		break;
	case K_STATUS:
		l->status = l->status + 1 >= ST__N ? -1 : l->status + 1;
		to_start(l);
		break;
	case K_VILLAGE:
		l->village = l->village + 1 >= l->n_villages ? -1 : l->village + 1;
		to_start(l);
		break;
	case K_REFRESH:
		tui_msg(t, "%s", _("Reloaded"));
		break;
	case K_ENTER:
		if (l->n == 0)
			return RD_NONE;
		snprintf(da.no, sizeof da.no, "%s", l->rows[l->sel].no);
		tui_push(t, &view_dossier, &da);
		return RD_VIEW;
	case K_ESC:
		tui_pop(t);
		return RD_VIEW;
	case K_NEW:
		open_new_dossier_form(t);
		return RD_VIEW;
	default:
		return RD_NONE;
	}
	load(t, l);
	return RD_VIEW;
}

static const struct key_table *
list_table(void *data)
{
	(void)data;
	return key_table_named("dossier-list");
}

const struct view view_dossier_list = {
	.name = "dossier-list", .init = list_init, .free = free, .draw = list_draw,
	.resize = list_resize, .key = list_key, .table = list_table,
};
