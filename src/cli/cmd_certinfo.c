/* dpsenroll certinfo FILE: what a certificate says, before it is enrolled. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "model/x509info.h"

static int
print_info(const struct cert_info *info, bool text)
{
	if (text) {
		char *s = cert_info_to_text(info);
		fputs(s, stdout);
		free(s);
		return EXIT_OK;
	}
	cJSON *j = cert_info_to_json(info);
	char *s = cJSON_Print(j);
	puts(s);
	free(s);
	cJSON_Delete(j);
	return EXIT_OK;
}

static int
run_certinfo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	bool text = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't')
			text = true;
		else
			return cli_usage_error(&cmd_certinfo, _("unknown option '%s'"),
					       argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error(&cmd_certinfo,
				       _("give one certificate file, or - for standard input"));
	const char *path = argv[optind];
	size_t len;
	char *why = NULL;
	char *data = cli_read_input(path, &len, &why);
	struct cert_info info;
	if (!data || !cert_info_read((unsigned char *)data, len, &info, &why)) {
		if (data)
			fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "certinfo", path, why);
		else
			fprintf(stderr, _("dpsenroll %s: %s\n"), "certinfo", why);
		free(why);
		free(data);
		return EXIT_USAGE;
	}
	free(data);
	int rc = print_info(&info, text);
	cert_info_clear(&info);
	return rc;
}

const struct cli_command cmd_certinfo = {
	.name = "certinfo",
	.args = "FILE|- [--text]",
	.summary = N_("show a certificate's subject, thumbprints and validity"),
	.details = N_(
		"Reads PEM (one certificate or a chain: the leaf is described),\n"
		"base64 of DER, or DER. Prints JSON; with --text, readable lines.\n\n"
		"  --text   readable text instead of JSON\n"),
	.run = run_certinfo,
};
