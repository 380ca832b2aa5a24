/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * datadir.h — what a data directory is before it is opened: the one
 * first-run test, used by the console (a missing or empty data directory
 * starts the first-run screen) and by backup and restore (a missing or
 * empty target is a new one).
 */
#ifndef DIBAO_STORE_DATADIR_H
#define DIBAO_STORE_DATADIR_H

#include <stdbool.h>

/* backup.c: the directory does not exist or holds nothing (a directory
 * that cannot be read is neither: opening it says why). */
bool	store_dir_fresh(const char *dir);

#endif
