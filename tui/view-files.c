/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * view-files.c — a file chooser for the scanning station's folder: the
 * directories and the .jpg/.jpeg/.png/.pdf files of one directory, ↑/↓ to
 * select, Enter opens a directory or attaches the file (the same
 * checklist_mark as `dibao checklist mark --scan`), Backspace or ← goes up,
 * Esc back.  The store checks the file's content; this only lists names.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "core/array.h"
#include "tui/tui.h"
#include "tui/views.h"

#include "core/sizes.h"
#include "store/checklist.h"
#include "store/err.h"

struct files {
	char dir[PATH_MAX];
	char no[DOSSIER_NO_LEN + 1];
	char code[ITEM_CODE_MAX];
	char **name;          /* "name/" for directories */
	int n, cap, sel, top;
};

static bool
is_scan(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
	    strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".pdf") == 0);
}

static int
by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	bool dx = x[strlen(x) - 1] == '/', dy = y[strlen(y) - 1] == '/';
	if (dx != dy)
		return dx ? -1 : 1;   /* directories first */
	return strcmp(x, y);
}

static void
files_clear(struct files *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->name[i]);
	f->n = f->sel = f->top = 0;
}

static void
load(struct tui *t, struct files *f)
{
	DIR *d = opendir(f->dir);
	struct dirent *de;

	files_clear(f);
	if (d == NULL) {
		tui_msg(t, _("cannot open %s"), f->dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX + 256], *entry;
		struct stat sb;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", f->dir, de->d_name);
		if (stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (asprintf(&entry, "%s/", de->d_name) < 0)
				continue;
		} else if (S_ISREG(sb.st_mode) && is_scan(de->d_name)) {
			if ((entry = strdup(de->d_name)) == NULL)
				continue;
		} else {
			continue;
		}
		size_t cap = (size_t)f->cap;
		char **p = array_grow(f->name, &cap, (size_t)f->n + 1, sizeof *p);
		if (p == NULL) {
			free(entry);
			break;
		}
		f->name = p;
		f->cap = (int)cap;
		f->name[f->n++] = entry;
	}
	closedir(d);
	qsort(f->name, (size_t)f->n, sizeof *f->name, by_name);
}

struct files_arg {
	const char *no, *code;
};

static void *
files_init(struct tui *t, void *arg)
{
	const struct files_arg *a = arg;
	struct files *f = calloc(1, sizeof *f);
	const char *home = getenv("HOME");
	if (f == NULL)
		return NULL;
	snprintf(f->no, sizeof f->no, "%s", a->no);
	snprintf(f->code, sizeof f->code, "%s", a->code);
	if (getcwd(f->dir, sizeof f->dir) == NULL)
		snprintf(f->dir, sizeof f->dir, "%s", home ? home : "/");
	load(t, f);
	return f;
}

static void
files_free(void *data)
{
	struct files *f = data;
	files_clear(f);
	free(f->name);
	free(f);
}

static void
files_draw(struct tui *t, void *data)
{
	(void)t;
	struct files *f = data;
	int rows = VIEW_ROWS - 3;
	char h[PATH_MAX + 64];
	snprintf(h, sizeof h, _("Attach a scan to %s: %s"), f->code, f->dir);
	draw_box_title(VIEW_TOP, h);
	if (f->sel < f->top)
		f->top = f->sel;
	if (f->sel >= f->top + rows)
		f->top = f->sel - rows + 1;
	for (int i = 0; i < rows && f->top + i < f->n; i++) {
		int k = f->top + i;
		draw_text(VIEW_TOP + 2 + i, 2, COLS - 4, f->name[k], k == f->sel ? attrs[AT_SEL] : (int)A_NORMAL);
	}
	if (f->n == 0)
		draw_text(VIEW_TOP + 2, 2, COLS - 4, _("no scans (.jpg .png .pdf) or folders here"), A_NORMAL);
	draw_text(LINES - 3, 0, COLS, tui_hint(t), A_BOLD);
}

static void
up(struct tui *t, struct files *f)
{
	char *slash = strrchr(f->dir, '/');
	if (slash == NULL)
		return;
	if (slash == f->dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	load(t, f);
}

static int
files_key(struct tui *t, void *data, enum action_id a, wint_t ch)
{
	(void)ch;
	struct files *f = data;
	switch (a) {
	case K_UP: if (f->sel > 0) f->sel--; break;
	case K_DOWN: if (f->sel + 1 < f->n) f->sel++; break;
	case K_PGUP: f->sel = f->sel > 10 ? f->sel - 10 : 0; break;
	case K_PGDN: f->sel = f->sel + 10 < f->n ? f->sel + 10 : (f->n ? f->n - 1 : 0); break;
	case K_HOME: f->sel = 0; break;
	case K_END: f->sel = f->n ? f->n - 1 : 0; break;
	case K_LEFT: up(t, f); break;
	case K_ESC: tui_pop(t); return RD_VIEW;
	case K_BACKSPACE: up(t, f); break;
	case K_ENTER: {
		if (f->sel >= f->n)
			break;
		const char *name = f->name[f->sel];
		size_t len = strlen(name);
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s%s%.*s", f->dir, strcmp(f->dir, "/") ? "/" : "",
		    (int)(name[len - 1] == '/' ? len - 1 : len), name) >= sizeof path)
			break;
		if (name[len - 1] == '/') {
			snprintf(f->dir, sizeof f->dir, "%s", path);
			load(t, f);
			break;
		}
		struct err e;
		err_clear(&e);
		if (checklist_mark(t->st, &t->user, f->no, f->code, 0, -1, -1, path, NULL, &e) != 0) {
			tui_msg(t, "%s", e.msg);
			break;
		}
		tui_msg(t, _("Scan attached to %s"), f->code);
		tui_pop(t);
		return RD_VIEW;
	}
	default: return RD_NONE;
	}
	return RD_VIEW;
}

static const struct key_table *
files_table(void *data)
{
	(void)data;
	return key_table_named("files");
}

const struct view view_files = {
	.name = "files", .init = files_init, .free = files_free, .draw = files_draw,
	.key = files_key, .table = files_table,
};

void
open_scan_chooser(struct tui *t, const char *no, const char *code)
{
	struct files_arg a = {no, code};
	tui_push(t, &view_files, &a);
}
