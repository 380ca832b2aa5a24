/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c — tui_main(): the locale check, ncurses set-up and the main loop
 * (the view stack is in stack.c, the drawing around the view in frame.c).
 * The loop owns the screen: it reads a key with get_wch, maps it to an
 * action through the key table, hands it to the top view (which only
 * changes state and says what to redraw), and draws the whole screen.
 */
#include "config.h"

#include <stdio.h>
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
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
#include "store/datadir.h"

#include "store/crypt.h"
#include "store/replica.h"
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

static bool
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* Failure checking (store/failchk.c, issue 16): the idle tick releases
 * what a crashed dibao process held; once the console works again after a
 * restart (logged in), its restart count starts again. */
static void
idle_failchk(struct tui *t)
{
	static time_t last;
	time_t now = time(NULL);
	struct err e;
	if (t->logged_in)
		store_restart_reset();
	if (t->st == NULL || now - last < 5)
		return;
	last = now;
	err_clear(&e);
	(void)store_failchk_now(t->st, &e);
}

/* A console stuck for good behind a crashed process leaves the screen and
 * runs again (store/restart.c): it starts at its login, so nothing the
 * clerk did is repeated, and the first thing it shows is a box saying why
 * and what became of the action under way (RESTART_NOTE tells the new
 * process): not saved, or, stuck inside a commit, unknown.  Only a console
 * restarted STORE_RESTARTS times without a login in between ends, with the
 * reason on the terminal. */
#define RESTART_NOTE "DIBAO_CONSOLE_RESTART"
static char said_limit[1024];

static void
stuck(const struct store_stuck *s)
{
	endwin();
	if (s->closing) /* stuck closing the store: everything is committed */
		_exit(0);
	store_restart(s->in_commit ? RESTART_NOTE "=unknown" : RESTART_NOTE "=unsaved");
	(void)!write(STDERR_FILENO, said_limit, strlen(said_limit));
	_exit(3);
}

static void
stuck_setup(void)
{
	snprintf(said_limit, sizeof said_limit, "dibao: %s; %s\n",
	    _("another dibao process died while holding the database's internal lock, and this one cannot continue"),
	    _("the console was already restarted as often as allowed; run \"dibao check\", then start it again"));
	store_set_stuck_handler(stuck);
}

/* What an open says before it works at length (store_set_notice_handler):
 * on the status line when the screen is up, else on the terminal. */
static void
notice(const char *msg, void *baton)
{
	struct tui *t = baton;
	if (stdscr == NULL) {
		fprintf(stderr, "dibao: %s\n", msg);
		return;
	}
	tui_msg(t, "%s", msg);
	tui_draw_now(t);
	refresh();
}

/* The console runs again after it was stuck: say so, over the login. */
static void
restart_box(struct tui *t)
{
	const char *note = getenv(RESTART_NOTE);
	if (note == NULL)
		return;
	tui_msgbox(t, _("The console was restarted"), strcmp(note, "unknown") == 0 ?
	    _("Another dibao process died while holding the database's internal lock, and the console could not continue: it was started again.\n"
	      "It was saving a change at that moment: whether the change was saved is unknown. After logging in, open the record you were saving "
	      "(or the last entries of the audit trail, dibao audit) and check it before doing it again.") :
	    _("Another dibao process died while holding the database's internal lock, and the console could not continue: it was started again.\n"
	      "What you were doing at that moment was not saved (everything saved before is kept): log in and do it again."));
	unsetenv(RESTART_NOTE);
}

/* The store opened (an encrypted one opens at the login, with the key it
 * unwraps) and the screen set up; the exit status when it fails, else 0. */
static int
console_open(struct tui *t, const char *data_dir, bool fresh)
{
	struct err e;
	err_clear(&e);
	if (!fresh && !store_dir_encrypted(data_dir) && store_open(&t->st, data_dir, 0, &e) != 0) {
		fprintf(stderr, "dibao: %s\n", e.msg);
		return err_exit_status(&e);
	}
	if (initscr() == NULL) {
		if (t->st)
			store_close(t->st);
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
	return 0;
}

/* The first screen: set-up on a fresh data folder, else the login. */
static void
first_view(struct tui *t, bool fresh, const char *login)
{
	struct err e;
	err_clear(&e);
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
}

/* get_wch timed out: the idle lock, a ticking view, failure checking;
 * false when the terminal is gone.  *redraw: whether to draw again. */
static bool
idle(struct tui *t, bool *redraw)
{
	const struct view *v = t->stack[t->depth - 1].v;
	if (terminal_gone())
		return false;
	*redraw = true;
	if (tui_idle_lock(t)) /* console.lock.minutes without a key (i14) */
		return true;
	/* idle: redraw only what a ticking view asks for */
	*redraw = v->tick && v->tick(t, t->stack[t->depth - 1].data) != RD_NONE;
	/* and the title bar when the standby PC's state changed (every 2 s):
	 * a standby whose console opened before its master was known showed
	 * "主机 ?" until a key was pressed */
	if (!*redraw && t->logged_in && ++t->banner_ticks % 4 == 0) {
		char rb[sizeof t->banner];
		replica_banner(t->st, rb, sizeof rb);
		*redraw = strcmp(rb, t->banner) != 0;
	}
	idle_failchk(t);
	return true;
}

/* One key read by get_wch (r its kind); false when the console ends. */
static bool
one_key(struct tui *t, int r, wint_t ch)
{
	const struct view *v = t->stack[t->depth - 1].v;
	void *data = t->stack[t->depth - 1].data;
	if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
		if (v->resize)
			v->resize(t, data);
		return true;
	}
	tui_key_seen();
	if (r == KEY_CODE_YES && ch == KEY_F(12) && t->logged_in) { /* lock or hand over (i14) */
		tui_lock(t);
		return true;
	}
	enum action_id a = key_action(r, ch, tui_top_keys(t));
	if (tui_too_small())
		return a != K_QUIT;
	if (t->quit_asking) {
		/* only Y leaves; any other key goes back to the form */
		t->quit_asking = false;
		if (r == OK && (ch == 'y' || ch == 'Y'))
			t->quit = true;
		return !t->quit;
	}
	if (a == K_QUIT) {
		if (unsaved(t)) {
			t->quit_asking = true;
			return true;
		}
		t->quit = true;
		return false;
	}
	if (a == K_HELP && v != &view_help) {
		/* help copies it */
		struct help_arg here = {tui_top_keys(t), tui_key_table(t), t->user.role, t->logged_in};
		tui_push(t, &view_help, &here);
		return true;
	}
	if (a != K_NONE)
		v->key(t, data, a, ch);
	return true;
}

int
tui_main(const char *data_dir, const char *login)
{
	struct tui *t;

	if (!utf8_locale()) {
		fprintf(stderr, "dibao: 控制台需要 UTF-8 语言环境，当前为 %s。请先执行：export LANG=zh_CN.UTF-8\n"
		    "dibao: the console needs a UTF-8 locale (now %s). Fix: export LANG=zh_CN.UTF-8\n",
		    nl_langinfo(CODESET), nl_langinfo(CODESET));
		return 2;
	}
	if ((t = calloc(1, sizeof *t)) == NULL)
		return 3;
	stuck_setup();
	store_set_notice_handler(notice, t);
	t->data_dir = data_dir;
	bool fresh = store_dir_fresh(data_dir);
	int status = console_open(t, data_dir, fresh);
	if (status != 0) {
		free(t);
		return status;
	}
	first_view(t, fresh, login);
	restart_box(t);
	status = t->depth > 0 ? 0 : 3;
	bool redraw = true;
	while (!t->quit && t->depth > 0) {
		if (redraw)
			tui_draw_now(t);
		redraw = true;
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR ? !idle(t, &redraw) : !one_key(t, r, ch))
			break;
	}
	tui_stack_free(t);
	endwin();
	if (status != 0)
		fprintf(stderr, "dibao: %s\n", _("out of memory"));
	if (t->st)
		store_close(t->st);
	free(t);
	return status;
}
