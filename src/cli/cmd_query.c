/* dpsenroll query and bulk: many enrollments at once. */

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "cli/cli_keymat.h"
#include "cli/cli_net.h"
#include "dps/ops.h"
#include "model/validate.h"

enum {
	OPT_PAGE_SIZE = OPT_COMMAND_BASE,
	OPT_NO_VALIDATE,
};

static int
run_query(int argc, char **argv)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
		{ NULL, 0, NULL, 0 },
	};
	struct net_opts net = { 0 };
	int page_size = 100, c, rc = EXIT_OK;
	optind = 1;
	opterr = 0;
	while (rc == EXIT_OK && (c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		char *end;
		if ((rc = net_option(&cmd_query, c, optarg, &net)) >= 0)
			continue;
		rc = EXIT_OK;
		if (c != OPT_PAGE_SIZE) {
			rc = net_bad_option(&cmd_query, c, argv);
			break;
		}
		page_size = (int)strtol(optarg, &end, 10);
		if (*end || page_size < 1 || page_size > 1000)
			rc = cli_usage_error(&cmd_query, "--page-size takes 1 to 1000, "
					     "not '%s'", optarg);
	}
	if (rc == EXIT_OK && optind != argc)
		rc = cli_usage_error(&cmd_query, "unexpected argument '%s'",
				     argv[optind]);
	struct dps_client *client = NULL;
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_query, &net, &client);
	if (rc == EXIT_OK) {
		struct dps_response r;
		dps_enrollment_query_all(client, page_size, &r);
		rc = net_finish(&cmd_query, &net, &r);
		dps_response_clear(&r);
	}
	dps_client_free(client);
	net_opts_clear(&net);
	return rc;
}

const struct cli_command cmd_query = {
	.name = "query", .args = "[--page-size N] [connection options]",
	.summary = "print every individual enrollment (keys hidden)",
	.details = "Follows the service's pages to the end and prints one JSON "
		   "array.\n\n  --page-size N   enrollments per request (default 100)\n\n"
		   NET_OPTIONS_HELP,
	.run = run_query,
};

static const char *const bulk_modes[] = {
	"create", "update", "updateIfMatchETag", "delete", NULL,
};

static bool
mode_known(const char *mode)
{
	for (int i = 0; bulk_modes[i]; i++)
		if (strcmp(bulk_modes[i], mode) == 0)
			return true;
	return false;
}

/* Each item is checked like a single put, so one bad item is found before
 * anything is sent. */
static bool
items_valid(const cJSON *list, const char *mode)
{
	if (strcmp(mode, "delete") == 0)
		return true;
	bool ok = true;
	int i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, list) {
		i++;
		struct doc *d = doc_adopt(cJSON_Duplicate(item, 1));
		struct findings fs;
		findings_init(&fs);
		validate_enrollment(d, &fs);
		for (size_t k = 0; k < fs.count; k++)
			fprintf(stderr, "item %d: %s: %s: %s\n", i, fs.items[k].path,
				severity_name(fs.items[k].severity),
				fs.items[k].message);
		ok = ok && findings_count(&fs, SEV_ERROR) == 0;
		findings_clear(&fs);
		doc_free(d);
	}
	return ok;
}

static cJSON *
load_list(const char *file)
{
	return cli_read_json(&cmd_bulk, file, cJSON_IsArray,
			     "a JSON array of enrollments [ {...}, {...} ]");
}

static int
parse_bulk_args(int argc, char **argv, struct net_opts *net, bool *no_validate)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_bulk, c, optarg, net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_NO_VALIDATE) {
			*no_validate = true;
		} else {
			return net_bad_option(&cmd_bulk, c, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(&cmd_bulk, "give a mode and a file");
	if (!mode_known(argv[optind]))
		return cli_usage_error(&cmd_bulk, "'%s' is not a mode; use create, "
				       "update, updateIfMatchETag or delete",
				       argv[optind]);
	return EXIT_OK;
}

static int
bulk_exit_code(const struct dps_response *r)
{
	int rc = net_exit_code(r);
	if (rc == EXIT_OK &&
	    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->body, "isSuccessful")))
		rc = EXIT_REFUSED;
	return rc;
}

static int
run_bulk(int argc, char **argv)
{
	struct net_opts net = { 0 };
	bool no_validate = false;
	struct dps_client *client = NULL;
	cJSON *list = NULL;
	int rc = parse_bulk_args(argc, argv, &net, &no_validate);
	const char *mode = rc == EXIT_OK ? argv[optind] : NULL;
	if (rc == EXIT_OK && !(list = load_list(argv[optind + 1])))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !cli_free_of_keys(&cmd_bulk, list))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !no_validate && !items_valid(list, mode))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_bulk, &net, &client);
	if (rc == EXIT_OK) {
		struct dps_response r;
		dps_enrollment_bulk(client, mode, list, &r);
		rc = net_finish(&cmd_bulk, &net, &r);
		if (rc == EXIT_OK)
			rc = bulk_exit_code(&r);
		dps_response_clear(&r);
	}
	cJSON_Delete(list);
	dps_client_free(client);
	net_opts_clear(&net);
	return rc;
}

const struct cli_command cmd_bulk = {
	.name = "bulk",
	.args = "MODE FILE|- [--no-validate] [connection options]",
	.summary = "create, update or delete many enrollments from a JSON array",
	.details =
		"MODE is create, update, updateIfMatchETag or delete. Longer lists\n"
		"are sent 10 at a time and the results merged. Exits 1 when any\n"
		"item failed (the result lists them).\n\n" NET_OPTIONS_HELP,
	.run = run_bulk,
};
