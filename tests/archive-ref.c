/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * archive-ref.c — a reference writer for the monthly archive's bytes
 * (tests/cli/archive-bytes.sh), independent of the exporter: the simplest
 * way to write the archive docs/ARCHIVE.md describes, each file read whole
 * into memory and written in one call, in the order given, one thread.
 * The exporter (streaming, one pass, its writer thread) must give exactly
 * these bytes.
 *
 * usage: archive-ref zip|tar.gz MTIME DIR LIST OUT
 *   LIST: the entries' names under DIR, one a line, in archive order
 *   JPEG, PNG, PDF and XLSX entries stored in a zip, others deflated;
 *   tar.gz: restricted pax, gzip without a time in its header.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <archive.h>
#include <archive_entry.h>

static int
stored(const char *name)
{
	static const char *const ext[] = {".jpg", ".png", ".pdf", ".xlsx"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcmp(name + n - k, ext[i]) == 0)
			return 1;
	}
	return 0;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		if (f != NULL)
			fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: archive-ref zip|tar.gz MTIME DIR LIST OUT\n");
		return 2;
	}
	setlocale(LC_ALL, "");      /* as dibao: the names are UTF-8 */
	int zip = strcmp(argv[1], "zip") == 0;
	time_t mtime = (time_t)strtoll(argv[2], NULL, 10);
	struct archive *a = archive_write_new();
	if (a == NULL)
		return 1;
	if (zip ? archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK :
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK || archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK) {
		fprintf(stderr, "archive-ref: %s\n", archive_error_string(a));
		return 1;
	}
	if (archive_write_open_filename(a, argv[5]) != ARCHIVE_OK) {
		fprintf(stderr, "archive-ref: %s: %s\n", argv[5], archive_error_string(a));
		return 1;
	}
	FILE *list = fopen(argv[4], "r");
	char name[4096], path[8192];
	int ret = 0;
	while (list != NULL && ret == 0 && fgets(name, sizeof name, list) != NULL) {
		name[strcspn(name, "\n")] = '\0';
		snprintf(path, sizeof path, "%s/%s", argv[3], name);
		size_t len = 0;
		unsigned char *data = slurp(path, &len);
		struct archive_entry *ent = archive_entry_new();
		if (data == NULL || ent == NULL) {
			fprintf(stderr, "archive-ref: cannot read %s\n", path);
			free(data);
			archive_entry_free(ent);
			ret = 1;
			break;
		}
		archive_entry_set_pathname_utf8(ent, name);
		archive_entry_set_filetype(ent, AE_IFREG);
		archive_entry_set_perm(ent, 0644);
		archive_entry_set_size(ent, (la_int64_t)len);
		archive_entry_set_mtime(ent, mtime, 0);
		if ((zip && (stored(name) ? archive_write_zip_set_compression_store(a) :
		    archive_write_zip_set_compression_deflate(a)) != ARCHIVE_OK) ||
		    archive_write_header(a, ent) != ARCHIVE_OK ||
		    (len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len)) {
			fprintf(stderr, "archive-ref: %s: %s\n", name, archive_error_string(a));
			ret = 1;
		}
		archive_entry_free(ent);
		free(data);
	}
	if (list == NULL) {
		fprintf(stderr, "archive-ref: cannot read %s\n", argv[4]);
		ret = 1;
	} else {
		fclose(list);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		ret = 1;
	archive_write_free(a);
	return ret;
}
