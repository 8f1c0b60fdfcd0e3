#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "model/checks.h"
#include "model/findings.h"
#include "model/json.h"
#include "sys/fileio.h"

enum { INPUT_MAX_BYTES = 16 * 1024 * 1024 };

void
cli_print_usage(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, _("Usage: dpsenroll %s %s\n\n%s\n"), cmd->name, cmd->args,
		_(cmd->summary));
	if (cmd->details && *cmd->details)
		fprintf(out, "\n%s", cmd->details);
}

int
cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* An argument in the wrong place may be a connection string. */
	char *shown = secret_redact(msg);
	fprintf(stderr, "dpsenroll %s: %s", cmd->name, shown);
	secret_str_free(msg);
	secret_str_free(shown);
	fprintf(stderr, _("\nUsage: dpsenroll %s %s\n"
			  "Try 'dpsenroll %s --help' for more.\n"), cmd->name,
		cmd->args, cmd->name);
	return EXIT_USAGE;
}

/* NULL with *why when `fd` cannot be read whole. */
static char *
read_fd(int fd, size_t *len, char **why, const char *name)
{
	char *buf = fd_read_all(fd, INPUT_MAX_BYTES, len);
	if (!buf && errno == EFBIG)
		*why = xasprintf("%s is larger than 16 MB; is it the right file?",
				 name);
	else if (!buf)
		*why = xasprintf("cannot read %s: %s", name, strerror(errno));
	return buf;
}

cJSON *
cli_read_json(const struct cli_command *cmd, const char *file,
	      cJSON_bool (*is)(const cJSON *), const char *what)
{
	size_t len;
	char *why = NULL;
	char *text = cli_read_input(file, &len, &why);
	if (!text) {
		fprintf(stderr, "dpsenroll %s: %s\n", cmd->name, why);
		free(why);
		return NULL;
	}
	struct json_error err;
	cJSON *root = json_parse_located(text, len, &err);
	secret_free(text, len);
	if (!root) {
		fprintf(stderr, "dpsenroll %s: %s:%d:%d: not valid JSON: %s\n",
			cmd->name, strcmp(file, "-") ? file : "<stdin>", err.line,
			err.column, err.message);
	} else if (!is(root)) {
		fprintf(stderr, "dpsenroll %s: %s must hold %s\n", cmd->name,
			file, what);
		cJSON_Delete(root);
		root = NULL;
	}
	return root;
}



char *
cli_read_input(const char *path, size_t *len, char **why)
{
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, len, why, "standard input");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char *shown = secret_redact(path);
		*why = xasprintf("cannot open %s: %s", shown, strerror(errno));
		free(shown);
		return NULL;
	}
	char *buf = read_fd(fd, len, why, path);
	close(fd);
	return buf;
}

int
cli_check_id(const struct cli_command *cmd, const char *id)
{
	struct findings f;
	findings_init(&f);
	check_registration_id("id", id, &f);
	int rc = EXIT_OK;
	if (f.count) {
		fprintf(stderr, "dpsenroll %s: '%s' is not a registration id: %s\n",
			cmd->name, id, f.items[0].message);
		rc = EXIT_USAGE;
	}
	findings_clear(&f);
	return rc;
}
