/* The journal (one JSON object a line), as `dpsenroll journal` reads it:
 * whole lines, a damaged tail after a crash, or anything else. */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "app/journal.h"
#include "tests/fuzz/fuzz.h"

static char *journal_file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("XDG_STATE_HOME", fuzz_dir(), 1);
	char *dir = fuzz_path("dpsenroll");
	mkdir(dir, 0700);
	free(dir);
	journal_file = journal_path();
	return 0;
}

struct seen {
	size_t entries, damaged, chars;
};

static void
on_entry(const cJSON *obj, const char *line, void *ctx)
{
	struct seen *s = ctx;
	s->entries++;
	s->chars += strlen(line);
	(void)cJSON_GetObjectItemCaseSensitive(obj, "outcome");
}

static void
on_damaged(size_t lineno, const char *why, void *ctx)
{
	/* Every damaged line says why. */
	if (!why || !*why)
		abort();
	struct seen *s = ctx;
	(void)lineno;
	s->damaged++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write_file(journal_file, data, size);
	struct seen s = { 0 };
	struct journal_reader r = { on_entry, on_damaged, &s };
	size_t damaged = 0;
	char *why = NULL;
	(void)journal_read(&r, &damaged, &why);
	free(why);
	/* Every damaged line the reader counted was handed over. */
	if (damaged != s.damaged)
		abort();
	return 0;
}
