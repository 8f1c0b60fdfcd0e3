/* The draft file the form saves as the technician types, as read back
 * at the next start (maybe damaged by a crash, or edited by hand). */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/draft.h"
#include "tests/fuzz/fuzz.h"

static char *draft_file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	draft_file = fuzz_path("draft.json");
	return 0;
}

/* A damaged draft is renamed aside; each input starts from an empty
 * folder, so the names do not pile up. */
static void
remove_set_aside(void)
{
	DIR *d = opendir(fuzz_dir());
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "draft.json.", 11) == 0) {
			char *p = fuzz_path(e->d_name);
			unlink(p);
			free(p);
		}
	closedir(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write_file(draft_file, data, size);
	struct draft d;
	char *why = NULL;
	if (draft_read(draft_file, &d, &why)) {
		(void)draft_text(&d, "registrationId");
		(void)draft_text(&d, "attestation.type");
		char *again = NULL;
		if (!draft_write(draft_file, &d, &again))
			free(again);
		draft_clear(&d);
	}
	free(why);
	remove_set_aside();
	return 0;
}
