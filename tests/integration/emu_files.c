/* What dpsemu keeps on disk, read as raw bytes: a check that something
 * was never stored must not depend on the API hiding it. */

/* memmem */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "sys/fileio.h"

bool
emu_files_hold(const struct emu_proc *e, const char *text)
{
	/* A write sits in the WAL until a checkpoint moves it. */
	static const char *const names[] = { "dpsemu.db", "dpsemu.db-wal" };
	bool found = false;
	for (size_t i = 0; i < 2 && !found; i++) {
		char *path = emu_data_path(e, names[i]);
		size_t len = 0;
		char *bytes = file_read_all(path, &len);
		found = bytes && memmem(bytes, len, text, strlen(text));
		free(bytes);
		free(path);
	}
	return found;
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* SQLite's WAL format: a 32-byte header (page size at 8, salts at 16),
 * then frames of a 24-byte header and a page. A frame whose header holds
 * a database size (at 4) ends a transaction; frames count only while
 * their salts (at 8) are the header's, as SQLite reads them. */
int
emu_wal_commits(const struct emu_proc *e)
{
	char *path = emu_data_path(e, "dpsemu.db-wal");
	size_t len = 0;
	unsigned char *wal = (unsigned char *)file_read_all(path, &len);
	free(path);
	int commits = 0;
	unsigned long page = wal && len >= 32 ? be32(wal + 8) : 0;
	for (size_t at = 32; page && at + 24 + page <= len; at += 24 + page) {
		if (memcmp(wal + at + 8, wal + 16, 8) != 0)
			break;
		commits += be32(wal + at + 4) != 0;
	}
	free(wal);
	return commits;
}
