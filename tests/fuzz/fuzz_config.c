/* The user's config.json: profiles, their connection strings, settings. */

#include <stdlib.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "app/config.h"
#include "tests/fuzz/fuzz.h"

static char *config_file;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("XDG_CONFIG_HOME", fuzz_dir(), 1);
	char *dir = fuzz_path("dpsenroll");
	mkdir(dir, 0700);
	free(dir);
	config_file = fuzz_path("dpsenroll/config.json");
	return 0;
}

static void
load_profile(const char *name)
{
	struct profile p = { 0 };
	char *why = NULL;
	if (config_profile(name, &p, &why))
		profile_clear(&p);
	free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write_file(config_file, data, size);
	char *why = NULL;
	config_free(config_read(&why));
	free(why);
	load_profile(NULL);
	load_profile("bench");
	why = NULL;
	free(config_setting("theme", &why));
	free(why);
	struct profile_info *list = NULL;
	size_t count = 0;
	why = NULL;
	if (config_profiles(&list, &count, &why))
		profile_infos_free(list, count);
	free(why);
	return 0;
}
