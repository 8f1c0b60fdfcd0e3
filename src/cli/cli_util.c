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
#include "cli/cli_net.h"
#include "model/checks.h"
#include "model/findings.h"
#include "model/json.h"
#include "sys/fileio.h"

enum { INPUT_MAX_BYTES = 16 * 1024 * 1024 };

/* The connection options' help, in the pieces a command's details end
 * with (as tools/docgen.c finds them): each piece is its own entry in
 * the catalog, the command's own part another. */
static const char *const net_help_ends[][6] = {
	{ NET_OPTIONS_HELP_HEAD, NET_OPTIONS_HELP_TIMEOUT,
	  NET_OPTIONS_HELP_TAIL, NET_OPTIONS_HELP_JSON,
	  NET_OPTIONS_HELP_KEYLOG, NULL },
	{ NET_OPTIONS_HELP_HEAD, NET_OPTIONS_HELP_TAIL, NET_OPTIONS_HELP_JSON,
	  NET_OPTIONS_HELP_KEYLOG, NULL },
	{ NET_OPTIONS_HELP_HEAD, NET_OPTIONS_HELP_TIMEOUT,
	  NET_OPTIONS_HELP_TAIL, NET_OPTIONS_HELP_KEYLOG, NULL },
};

/* The length of the details before `pieces`, or -1 when they do not end
 * with them. */
static long
own_length(const char *details, const char *const *pieces)
{
	size_t end = strlen(details);
	size_t n = 0;
	for (size_t i = 0; pieces[i]; i++)
		n += strlen(pieces[i]);
	if (n > end)
		return -1;
	const char *p = details + end - n;
	for (size_t i = 0; pieces[i]; i++) {
		size_t m = strlen(pieces[i]);
		if (strncmp(p, pieces[i], m))
			return -1;
		p += m;
	}
	return (long)(end - n);
}

static void
print_details(FILE *out, const char *details)
{
	for (size_t e = 0; e < sizeof(net_help_ends) / sizeof(net_help_ends[0]);
	     e++) {
		const char *const *pieces = net_help_ends[e];
		long own = own_length(details, pieces);
		if (own < 0)
			continue;
		if (own > 0) {
			char *text = xstrndup(details, (size_t)own);
			fputs(_(text), out);
			free(text);
		}
		for (size_t i = 0; pieces[i]; i++)
			fputs(_(pieces[i]), out);
		return;
	}
	fputs(_(details), out);
}

void
cli_print_usage(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, _("Usage: dpsenroll %s %s\n\n%s\n"), cmd->name,
		_(cmd->args), _(cmd->summary));
	if (cmd->details && *cmd->details) {
		fputc('\n', out);
		print_details(out, cmd->details);
	}
}

const char *
cli_severity(enum severity sev)
{
	switch (sev) {
	case SEV_ERROR:
		return _("error");
	case SEV_WARNING:
		return _("warning");
	case SEV_NOTE:
		break;
	}
	return _("note");
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
	/* TRANSLATORS: the command, then what is wrong with its use */
	fprintf(stderr, _("dpsenroll %s: %s"), cmd->name, shown);
	secret_str_free(msg);
	secret_str_free(shown);
	fprintf(stderr, _("\nUsage: dpsenroll %s %s\n"
			  "Try 'dpsenroll %s --help' for more.\n"), cmd->name,
		_(cmd->args), cmd->name);
	return EXIT_USAGE;
}

/* NULL with *why when `fd` cannot be read whole. */
static char *
read_fd(int fd, size_t *len, char **why, const char *name)
{
	char *buf = fd_read_all(fd, INPUT_MAX_BYTES, len);
	if (!buf && errno == EFBIG)
		*why = xasprintf(_("%s is larger than 16 MB; is it the right file?"),
				 name);
	else if (!buf)
		*why = xasprintf(_("cannot read %s: %s"), name, strerror(errno));
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
		fprintf(stderr, _("dpsenroll %s: %s\n"), cmd->name, why);
		free(why);
		return NULL;
	}
	struct json_error err;
	cJSON *root = json_parse_located(text, len, &err);
	secret_free(text, len);
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	if (!root) {
		/* TRANSLATORS: command, FILE:LINE:COLUMN, the parser's reason */
		fprintf(stderr, _("dpsenroll %s: %s:%d:%d: not valid JSON: %s\n"),
			cmd->name, name, err.line, err.column, err.message);
	} else if (!is(root)) {
		/* TRANSLATORS: command, file, what it must hold ("one
		    enrollment, a JSON object { ... }") */
		fprintf(stderr, _("dpsenroll %s: %s must hold %s\n"), cmd->name,
			name, what);
		cJSON_Delete(root);
		root = NULL;
	}
	return root;
}



char *
cli_read_input(const char *path, size_t *len, char **why)
{
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, len, why, _("standard input"));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char *shown = secret_redact(path);
		*why = xasprintf(_("cannot open %s: %s"), shown, strerror(errno));
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
		fprintf(stderr, _("dpsenroll %s: '%s' is not a registration id: %s\n"),
			cmd->name, id, f.items[0].message);
		rc = EXIT_USAGE;
	}
	findings_clear(&f);
	return rc;
}
