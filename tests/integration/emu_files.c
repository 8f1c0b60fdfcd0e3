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
