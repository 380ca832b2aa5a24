/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * locale-dir.c — where the message catalogue is: $DIBAO_LOCALEDIR when
 * set; else, for a dibao run from its build tree, the po/locale beside
 * the executable (the build makes it: Makefile.am, translations); else
 * the installed LOCALEDIR (/usr/share/locale for the Debian package).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

const char *
cli_locale_dir(void)
{
	static char	 dir[PATH_MAX];
	const char	*env = getenv("DIBAO_LOCALEDIR");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;
	struct stat	 st;

	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0 && (size_t)n < sizeof exe - 1) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(dir, sizeof dir, "%s/po/locale/zh_CN/LC_MESSAGES/%s.mo",
			    exe, PACKAGE) < sizeof dir && stat(dir, &st) == 0 && S_ISREG(st.st_mode)) {
				/* the shorter prefix of what was just written whole */
				dir[strlen(exe) + strlen("/po/locale")] = '\0';
				return dir;
			}
		}
	}
	return LOCALEDIR;
}
