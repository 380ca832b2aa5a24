/*
 * console.c — `dibao` with no command.  The ncurses console (tui/) is the
 * next piece of work; until it lands, say so plainly instead of showing a
 * dead screen, and point at the command line, which already does the work.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int tui_main(const char *data_dir, const char *login);

int
tui_main(const char *data_dir, const char *login)
{
	fprintf(stderr, _("dibao: the console is not built yet; every action is available as a command (dibao --help).\n"
	    "data directory: %s\n"), data_dir);
	return 2;
}
