/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crypt-int.h — shared inside the encryption files (crypt.c, crypt-env.c):
 * the directory lock that serialises the processes opening or removing an
 * encrypted environment's regions and those rewriting its key file.
 */
#ifndef DIBAO_STORE_CRYPT_INT_H
#define DIBAO_STORE_CRYPT_INT_H

int dir_lock(const char *dir);
void dir_unlock(int fd);
/* crypt-env.c: removes the unattached shared-memory segments of the
 * encrypted store in dir (which must still exist); how many went */
int crypt_regions_remove(const char *dir);

#endif
