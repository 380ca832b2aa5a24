/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c — tui_main(): the locale check, ncurses set-up, the view stack and
 * the main loop.  The loop owns the screen: it reads a key with get_wch,
 * maps it to an action through the key table, hands it to the top view
 * (which only changes state and says what to redraw), and draws the title
 * row, the view, the status line and the function-key bar.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "tui/keys.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/views.h"
#include "core/roles.h"
#include "store/replica.h"
#include "store/datadir.h"

#include "store/crypt.h"
#include "store/env.h"
#include "store/err.h"
#include "store/settings.h"

int tui_main(const char *data_dir, const char *login);

/* A closed terminal (SIGHUP: the window or the remote session went away)
 * or SIGTERM (the PC shutting down) ends the console through the normal
 * way out, so the environment is closed rather than left for recovery.
 * Installed without SA_RESTART: get_wch returns at once. */
static volatile sig_atomic_t hangup;

static void
on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

static void
catch_hangup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hangup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* get_wch said ERR: a timeout, or a terminal that is gone (end of file on
 * standard input would otherwise make the loop spin at full speed). */
static bool
terminal_gone(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	if (hangup)
		return true;
	if (poll(&p, 1, 0) < 0)
		return false;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static void
top_free(struct tui *t)
{
	t->depth--;
	if (t->stack[t->depth].v->free)
		t->stack[t->depth].v->free(t->stack[t->depth].data);
}

/* The data of a view from its init (none without one); NULL from init
 * means it could not allocate what it needs: said on the status line. */
static bool
view_data(struct tui *t, const struct view *v, void *arg, void **data)
{
	*data = v->init ? v->init(t, arg) : NULL;
	if (v->init && *data == NULL) {
		tui_oom(t);
		return false;
	}
	return true;
}

bool
tui_push(struct tui *t, const struct view *v, void *arg)
{
	void *data;
	if (!view_data(t, v, arg, &data))
		return false;
	if (t->depth >= VIEW_DEPTH) {
		/* init took what arg owned (a form's spec): give it back */
		if (v->free)
			v->free(data);
		return false;
	}
	t->stack[t->depth].v = v;
	t->stack[t->depth].data = data;
	t->depth++;
	return true;
}

void
tui_pop(struct tui *t)
{
	if (t->depth > 1)
		top_free(t);
	else
		t->quit = true;
}

bool
tui_reset(struct tui *t, const struct view *v, void *arg)
{
	void *data;
	/* the new view first: when it cannot open, the old screens stay */
	if (!view_data(t, v, arg, &data))
		return false;
	while (t->depth > 0)
		top_free(t);
	t->stack[0].v = v;
	t->stack[0].data = data;
	t->depth = 1;
	return true;
}

void
tui_oom(struct tui *t)
{
	tui_msg(t, "%s", _("out of memory"));
	t->status_err = true;
}

void
tui_msg(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_err = false;
}

void
tui_error(struct tui *t, const struct err *e)
{
	/* the store's message, already translated: every reason (drawn
	 * wrapped over several rows when long, draw_message) */
	snprintf(t->status, sizeof t->status, "%s", e->msg);
	size_t l = strlen(t->status);
	while (l > 0 && t->status[l - 1] == '\n')
		t->status[--l] = '\0';
	t->status_err = true;
}

void
tui_clear_msg(struct tui *t)
{
	t->status[0] = '\0';
	t->status_err = false;
}

const struct key_table *
tui_key_table(struct tui *t)
{
	const struct view *v = t->stack[t->depth - 1].v;
	return v->table ? v->table(t->stack[t->depth - 1].data) : NULL;
}

const char *
tui_hint_cols(struct tui *t, int cols)
{
	static char b[512];
	const struct key_table *kt = tui_key_table(t);
	b[0] = '\0';
	if (kt)
		key_table_hint_cols(kt, t->user.role, cols, b, sizeof b);
	return b;
}

const char *
tui_hint(struct tui *t)
{
	return tui_hint_cols(t, COLS);
}

static unsigned long long
top_keys(struct tui *t)
{
	const struct view *v = t->stack[t->depth - 1].v;
	const struct key_table *kt = tui_key_table(t);
	if (kt)
		return key_table_mask(kt);
	return v->keys ? v->keys(t->stack[t->depth - 1].data) : KM_BASIC;
}

static void
draw_bar(struct tui *t)
{
	unsigned long long mask = top_keys(t);
	int y = LINES - 1, x = 0;
	move(y, 0);
	clrtoeol();
	const struct key_table *kt = tui_key_table(t);
	if (kt) {
		/* the screen's table: its label; a key the role may not use dimmed */
		const struct screen_key *fk[16];
		int n = key_table_fkeys(kt, fk, 16);
		for (int i = 0; i < n && x < COLS; i++) {
			char num[16];
			snprintf(num, sizeof num, "%d", key_fnum(fk[i]->a));
			const char *lbl = _(fk[i]->label);
			int lw = text_width(lbl);
			if (x + (int)strlen(num) + lw > COLS)
				break;
			bool may = !t->logged_in || role_may(t->user.role, fk[i]->act);
			x += draw_text(y, x, (int)strlen(num), num, may ? attrs[AT_BARKEY] : (int)A_DIM);
			x += draw_text(y, x, lw, lbl, may ? attrs[AT_BARLBL] : (int)A_DIM);
			if (x < COLS)
				x += draw_text(y, x, 1, " ", A_NORMAL);
		}
		return;
	}
	/* in F-number order; a number shared by two actions shows the one in the mask */
	for (int n = 0; n < n_keydefs * 12 && x < COLS; n++) {
		const struct keydef *k = &keydefs[n % n_keydefs];
		if (!k->fkey || k->fkey != n / n_keydefs + 1 || !(mask & KM(k->action)))
			continue;
		char num[16];
		snprintf(num, sizeof num, "%d", k->fkey);
		int lw = text_width(_(k->bar));
		if (x + (int)strlen(num) + lw > COLS)
			break;
		x += draw_text(y, x, (int)strlen(num), num, attrs[AT_BARKEY]);
		x += draw_text(y, x, lw, _(k->bar), attrs[AT_BARLBL]);
		if (x < COLS)
			x += draw_text(y, x, 1, " ", A_NORMAL);
	}
}

/* F10 while a form on the stack holds unsaved input */
static bool
unsaved(struct tui *t)
{
	for (int i = 0; i < t->depth; i++) {
		const struct view *v = t->stack[i].v;
		if (v->dirty && v->dirty(t->stack[i].data))
			return true;
	}
	return false;
}

static void
draw_quit_question(void)
{
	const char *q = _("Unsaved changes will be lost. Leave the console? (Y/N)");
	int w = text_width(q) + 4;
	if (w > COLS)
		w = COLS;
	int r = LINES / 2, c = (COLS - w) / 2;
	draw_text(r - 1, c, w, "", attrs[AT_SEL]);
	draw_text(r, c, w, "", attrs[AT_SEL]);
	draw_text(r, c + 2, w - 4, q, attrs[AT_SEL] | A_BOLD);
	draw_text(r + 1, c, w, "", attrs[AT_SEL]);
}

static void
draw_small(void)
{
	erase();
	const char *m1 = _("The terminal is too small: at least 80×24 is needed");
	char m2[64];
	snprintf(m2, sizeof m2, "%d×%d", COLS, LINES);
	int w = text_width(m1);
	if (w > COLS)
		w = COLS;
	draw_text(LINES / 2 - 1, (COLS - w) / 2, w, m1, A_BOLD);
	draw_text(LINES / 2 + 1, (COLS - text_width(m2)) / 2, text_width(m2), m2, A_NORMAL);
	curs_set(0);
	refresh();
}

static bool
too_small(void)
{
	return COLS < 80 || LINES < 24;
}

void
tui_draw_now(struct tui *t)
{
	if (too_small()) {
		draw_small();
		return;
	}
	erase();
	t->cy = -1;
	/* title row: program, township, user */
	char left[512];
	snprintf(left, sizeof left, " %s  %s", _("Minimum living guarantee records"), t->title);
	/* the standby PC: this PC's role on the title bar */
	char rb[400];
	replica_banner(t->st, rb, sizeof rb);
	if (rb[0])
		snprintf(left + strlen(left), sizeof left - strlen(left), "  [%s]", rb);
	draw_text(0, 0, COLS, left, attrs[AT_TITLE]);
	if (t->logged_in) {
		char right[160];
		snprintf(right, sizeof right, "%s %s ", role_terms[t->user.role].zh,
		    t->user.name[0] ? t->user.name : t->user.login);
		int w = text_width(right);
		if (w < COLS - text_width(left) - 1)
			draw_text_right(0, COLS - w, w, right, attrs[AT_TITLE]);
	}
	const struct view *v = t->stack[t->depth - 1].v;
	v->draw(t, t->stack[t->depth - 1].data);
	/* a message longer than the line (a refusal with several reasons)
	 * takes up to a quarter of the screen above the bar; beyond, an ellipsis */
	draw_message(LINES - 2, COLS, t->status, t->status_err ? attrs[AT_ERR] : (int)A_NORMAL, LINES / 4 > 1 ? LINES / 4 : 1);
	draw_bar(t);
	if (t->quit_asking) {
		draw_quit_question();
		t->cy = -1;
	}
	if (t->cy >= 0) {
		move(t->cy, t->cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

static bool
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* Failure checking (store/failchk.c, issue 16): the idle tick releases
 * what a crashed dibao process held; a console stuck for good behind one
 * leaves the screen and ends with the reason instead of freezing. */
static void
idle_failchk(struct tui *t)
{
	static time_t last;
	time_t now = time(NULL);
	struct err e;
	if (t->st == NULL || now - last < 5)
		return;
	last = now;
	err_clear(&e);
	(void)store_failchk_now(t->st, &e);
}

static void
stuck(const char *msg)
{
	endwin();
	if (msg == NULL) /* stuck closing the store: everything is committed */
		_exit(0);
	fprintf(stderr, "dibao: %s\n", msg);
	_exit(3);
}

int
tui_main(const char *data_dir, const char *login)
{
	struct tui *t;
	struct err e;

	if (!utf8_locale()) {
		fprintf(stderr, "dibao: 控制台需要 UTF-8 语言环境，当前为 %s。请先执行：export LANG=zh_CN.UTF-8\n"
		    "dibao: the console needs a UTF-8 locale (now %s). Fix: export LANG=zh_CN.UTF-8\n",
		    nl_langinfo(CODESET), nl_langinfo(CODESET));
		return 2;
	}
	if ((t = calloc(1, sizeof *t)) == NULL)
		return 3;
	store_set_stuck_handler(stuck);
	t->data_dir = data_dir;
	err_clear(&e);
	bool fresh = store_dir_fresh(data_dir);
	/* an encrypted store opens at the login, with the key it unwraps */
	if (!fresh && !store_dir_encrypted(data_dir) && store_open(&t->st, data_dir, 0, &e) != 0) {
		fprintf(stderr, "dibao: %s\n", e.msg);
		free(t);
		return err_exit_status(&e);
	}
	if (initscr() == NULL) {
		if (t->st)
			store_close(t->st);
		free(t);
		return 3;
	}
	set_escdelay(25);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(500);
	catch_hangup();
	attrs_init();
	if (fresh) {
		tui_push(t, &view_firstrun, NULL);
	} else if (t->st != NULL) {
		char name[128] = "";
		setting_get(t->st, NULL, "township.name", name, sizeof name, &e);
		snprintf(t->title, sizeof t->title, "%s", name);
		tui_push(t, &view_login, (void *)login);
	} else {
		tui_push(t, &view_login, (void *)login); /* encrypted: opened by the login */
	}
	int status = t->depth > 0 ? 0 : 3;
	bool redraw = true;
	while (!t->quit && t->depth > 0) {
		if (redraw)
			tui_draw_now(t);
		redraw = true;
		wint_t ch;
		int r = get_wch(&ch);
		const struct view *v = t->stack[t->depth - 1].v;
		void *data = t->stack[t->depth - 1].data;
		if (r == ERR) {
			if (terminal_gone())
				break;
			if (tui_idle_lock(t)) /* console.lock.minutes without a key (i14) */
				continue;
			/* idle: redraw only what a ticking view asks for */
			redraw = v->tick && v->tick(t, data) != RD_NONE;
			idle_failchk(t);
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			if (v->resize)
				v->resize(t, data);
			continue;
		}
		tui_key_seen();
		if (r == KEY_CODE_YES && ch == KEY_F(12) && t->logged_in) { /* lock or hand over (i14) */
			tui_lock(t);
			continue;
		}
		enum action_id a = key_action(r, ch, top_keys(t));
		if (too_small()) {
			if (a == K_QUIT)
				break;
			continue;
		}
		if (t->quit_asking) {
			/* only Y leaves; any other key goes back to the form */
			t->quit_asking = false;
			if (r == OK && (ch == 'y' || ch == 'Y')) {
				t->quit = true;
				break;
			}
			continue;
		}
		if (a == K_QUIT) {
			if (unsaved(t)) {
				t->quit_asking = true;
				continue;
			}
			t->quit = true;
			break;
		}
		if (a == K_HELP && v != &view_help) {
			/* help copies it */
			struct help_arg here = {top_keys(t), tui_key_table(t), t->user.role, t->logged_in};
			tui_push(t, &view_help, &here);
			continue;
		}
		if (a != K_NONE)
			v->key(t, data, a, ch);
	}
	while (t->depth > 0)
		top_free(t);
	endwin();
	if (status != 0)
		fprintf(stderr, "dibao: %s\n", _("out of memory"));
	if (t->st)
		store_close(t->st);
	free(t);
	return status;
}

/* A long job's progress on the status line; Esc (read without waiting)
 * asks to cancel.  For struct progress (store/err.h). */
bool
tui_progress(int done, int total, void *baton)
{
	struct tui *t = baton;
	wint_t ch;
	bool cancel = false;

	tui_msg(t, _("%d of %d done… (Esc cancels)"), done, total);
	tui_draw_now(t);
	nodelay(stdscr, TRUE);
	while (get_wch(&ch) != ERR)
		if (ch == 27)
			cancel = true;
	nodelay(stdscr, FALSE);
	return cancel;
}
