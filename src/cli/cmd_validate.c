/* dpsenroll validate FILE|- : the same checks the form and the emulator
 * apply, one line per finding. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "model/validate.h"

static void
print_findings_text(const struct findings *fs)
{
	for (size_t i = 0; i < fs->count; i++) {
		const struct finding *f = &fs->items[i];
		printf("%s: %s: %s\n", *f->path ? f->path : _("(enrollment)"),
		       cli_severity(f->severity), f->message);
	}
}

static void
print_findings_json(const struct findings *fs)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < fs->count; i++) {
		const struct finding *f = &fs->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", f->path);
		cJSON_AddStringToObject(o, "severity", severity_name(f->severity));
		cJSON_AddStringToObject(o, "message", f->message);
		cJSON_AddItemToArray(arr, o);
	}
	char *text = cJSON_Print(arr);
	if (text)
		puts(text);
	free(text);
	cJSON_Delete(arr);
}

static int
report_parse_error(const char *name, const struct json_error *err, bool json)
{
	if (json) {
		printf("[{\"path\": \"\", \"severity\": \"error\", "
		       "\"line\": %d, \"column\": %d, \"message\": \"not JSON: %s\"}]\n",
		       err->line, err->column, err->message);
	} else {
		printf(_("%s:%d:%d: error: not valid JSON: %s\n"), name, err->line,
		       err->column, err->message);
	}
	return EXIT_USAGE;
}

static int
validate_text(const char *name, const char *text, size_t len, bool json)
{
	struct json_error err;
	struct doc *d = doc_parse(text, len, &err);
	if (!d)
		return report_parse_error(name, &err, json);
	struct findings fs;
	findings_init(&fs);
	validate_enrollment(d, &fs);
	if (json)
		print_findings_json(&fs);
	else
		print_findings_text(&fs);
	int rc = findings_count(&fs, SEV_ERROR) ? EXIT_USAGE : EXIT_OK;
	findings_clear(&fs);
	doc_free(d);
	return rc;
}

static int
run_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else
			return cli_usage_error(&cmd_validate, _("unknown option '%s'"),
					       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error(&cmd_validate,
				       _("give one enrollment file, or - for standard input"));
	const char *path = argv[optind];
	size_t len;
	char *why = NULL;
	char *text = cli_read_input(path, &len, &why);
	if (!text) {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "validate", why);
		free(why);
		return EXIT_USAGE;
	}
	int rc = validate_text(strcmp(path, "-") ? path : "<stdin>", text, len, json);
	secret_free(text, len);
	return rc;
}

const struct cli_command cmd_validate = {
	.name = "validate",
	.args = "FILE|- [--json]",
	.summary = N_("check an enrollment JSON file as the service would, offline"),
	.details =
		N_("Prints one line per problem: FIELD: error|warning: MESSAGE.\n"
		"Exits 0 when the enrollment is valid (warnings allowed), 2 when\n"
		"it has errors or is not JSON.\n\n"
		"  --json   print the problems as a JSON array instead\n"),
	.run = run_validate,
};
