/* dpsenroll keygen: a symmetric key for symmetricKey attestation. */

#include <getopt.h>
#include <stdlib.h>

#include "base/secret.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "model/keys.h"

static int
parse_bytes(const char *arg, size_t *out)
{
	char *end;
	long n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || n < SYMKEY_MIN_BYTES ||
	    n > SYMKEY_MAX_BYTES)
		return cli_usage_error(&cmd_keygen,
				       _("--bytes takes a whole number from %d to %d, not '%s'"),
				       SYMKEY_MIN_BYTES, SYMKEY_MAX_BYTES, arg);
	*out = (size_t)n;
	return EXIT_OK;
}

static int
run_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	size_t nbytes = SYMKEY_DEFAULT_BYTES;
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'b' && (rc = parse_bytes(optarg, &nbytes)) != EXIT_OK)
			return rc;
		if (c == '?')
			return cli_usage_error(&cmd_keygen, _("unknown option '%s'"),
					       argv[optind - 1]);
		if (c == ':')
			return cli_usage_error(&cmd_keygen, _("'%s' needs a value"),
					       argv[optind - 1]);
	}
	if (optind != argc)
		return cli_usage_error(&cmd_keygen, _("unexpected argument '%s'"),
				       argv[optind]);
	const char *why = NULL;
	char *key = symkey_generate(nbytes, &why);
	if (!key) {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "keygen", why);
		return EXIT_USAGE;
	}
	puts(key);
	secret_str_free(key);
	return EXIT_OK;
}

const struct cli_command cmd_keygen = {
	.name = "keygen",
	.args = "[--bytes N]",
	.summary = N_("print a new random symmetric key (base64)"),
	.details =
		N_("  --bytes N   key length in bytes, 16 to 64 (default 64, as the\n"
		"              service generates)\n"),
	.run = run_keygen,
};
