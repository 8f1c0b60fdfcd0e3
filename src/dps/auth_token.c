#include "dps/auth_token.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/jwt.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/command.h"
#include "sys/fileio.h"

enum token_kind { TOKEN_FIXED, TOKEN_FILE, TOKEN_COMMAND };

struct dps_token_source {
	enum token_kind kind;
	char *spec;		/* the token (secret), the path or the command */
	char *token;		/* the kept one; secret */
	time_t exp;
	unsigned obtained;
};

static struct dps_token_source *
source_new(enum token_kind kind, const char *spec)
{
	struct dps_token_source *s = xcalloc(1, sizeof(*s));
	s->kind = kind;
	s->spec = xstrdup(spec);
	return s;
}

struct dps_token_source *
dps_token_fixed(const char *token)
{
	return source_new(TOKEN_FIXED, token);
}

struct dps_token_source *
dps_token_file(const char *path)
{
	return source_new(TOKEN_FILE, path);
}

struct dps_token_source *
dps_token_command(const char *command)
{
	return source_new(TOKEN_COMMAND, command);
}

struct dps_token_source *
dps_token_source_dup(const struct dps_token_source *s)
{
	if (!s)
		return NULL;
	struct dps_token_source *d = source_new(s->kind, s->spec);
	d->token = s->token ? xstrdup(s->token) : NULL;
	d->exp = s->exp;
	return d;
}

void
dps_token_source_free(struct dps_token_source *s)
{
	if (!s)
		return;
	secret_str_free(s->spec);
	secret_str_free(s->token);
	free(s);
}

unsigned
dps_token_obtained(const struct dps_token_source *s)
{
	return s->obtained;
}

/* Where the token came from, for messages. */
static char *
origin(const struct dps_token_source *s)
{
	switch (s->kind) {
	case TOKEN_FIXED:
		return xstrdup("the access token in DPS_ACCESS_TOKEN");
	case TOKEN_FILE:
		return xasprintf("the access token in %s", s->spec);
	case TOKEN_COMMAND:
		break;
	}
	return xstrdup("the token the profile's tokenCommand printed");
}

static const char *
what_to_do(const struct dps_token_source *s)
{
	switch (s->kind) {
	case TOKEN_FIXED:
		return "get a new one (az account get-access-token --resource "
		       DPS_TOKEN_RESOURCE " --query accessToken -o tsv) and "
		       "set DPS_ACCESS_TOKEN again";
	case TOKEN_FILE:
		return "get a new one (az account get-access-token --resource "
		       DPS_TOKEN_RESOURCE " --query accessToken -o tsv) and "
		       "write it to the file again";
	case TOKEN_COMMAND:
		break;
	}
	return "run the command yourself to see what it prints; for the "
	       "Azure CLI, run az login again";
}

/* The token without surrounding white space; NULL with *why when what is
 * left cannot be a token (empty, or characters a header cannot carry). */
static char *
clean_token(const struct dps_token_source *s, const char *text, char **why)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	char *where = origin(s);
	char *tok = NULL;
	if (!len) {
		*why = xasprintf("%s is empty; %s", where, what_to_do(s));
	} else {
		for (size_t i = 0; i < len && !*why; i++)
			if (!isgraph((unsigned char)text[i]))
				*why = xasprintf("%s is not one line of printable "
						 "characters, as a token is; %s",
						 where, what_to_do(s));
		if (!*why)
			tok = xstrndup(text, len);
	}
	free(where);
	return tok;
}

/* A file that others can read is refused, as the config file is: the
 * token would be theirs to use. */
static char *
read_private_file(const char *path, char **why)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		*why = xasprintf("cannot read the access token file %s: %s", path,
				 strerror(errno));
		return NULL;
	}
	if (st.st_mode & 077) {
		*why = xasprintf("the access token file %s is readable by others "
				 "(mode %04o); run: chmod 600 %s", path,
				 (unsigned)(st.st_mode & 07777), path);
		return NULL;
	}
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text)
		*why = xasprintf("cannot read the access token file %s: %s", path,
				 strerror(errno));
	return text;
}

/* The first line of the command's standard error, for the message. */
static char *
first_line(const char *err)
{
	while (isspace((unsigned char)*err))
		err++;
	size_t n = strcspn(err, "\r\n");
	char *line = xstrndup(err, n > 300 ? 300 : n);
	char *safe = secret_redact(line);
	free(line);
	return safe;
}

static char *
command_failure(const struct dps_token_source *s,
		const struct command_result *r)
{
	char *line = first_line(r->err ? r->err : "");
	char *how = r->timed_out
		? xasprintf("did not finish within %d s",
			    DPS_TOKEN_COMMAND_TIMEOUT_MS / 1000)
		: r->too_much ? xstrdup("printed more than a token")
		: r->exited ? xasprintf("failed (exit status %d)", r->status)
		: xasprintf("was ended by signal %d", r->signal);
	char *why = xasprintf("the profile's tokenCommand %s%s%s; %s", how,
			      *line ? ": " : "", line, what_to_do(s));
	free(how);
	free(line);
	return why;
}

static char *
run_command(const struct dps_token_source *s, char **why)
{
	/* the command signs in on its own; it gets none of ours */
	static const char *const withheld[] = { "DPS_CONNECTION_STRING",
						 "DPS_ACCESS_TOKEN", NULL };
	struct command_result r;
	if (!command_run(s->spec, withheld, DPS_TOKEN_COMMAND_TIMEOUT_MS,
			 DPS_TOKEN_MAX_BYTES, &r, why)) {
		char *inner = *why;
		*why = xasprintf("the profile's tokenCommand could not be run: %s",
				 inner);
		free(inner);
		return NULL;
	}
	char *tok = NULL;
	if (!r.exited || r.status != 0 || r.timed_out || r.too_much)
		*why = command_failure(s, &r);
	else
		tok = clean_token(s, r.out, why);
	command_result_clear(&r);
	return tok;
}

static char *
obtain(const struct dps_token_source *s, char **why)
{
	char *text = NULL, *tok = NULL;
	switch (s->kind) {
	case TOKEN_FIXED:
		return clean_token(s, s->spec, why);
	case TOKEN_FILE:
		text = read_private_file(s->spec, why);
		tok = text ? clean_token(s, text, why) : NULL;
		secret_str_free(text);
		return tok;
	case TOKEN_COMMAND:
		break;
	}
	return run_command(s, why);
}

/* The token's exp, or an hour from now for one without (an opaque token,
 * or a JWT without that claim). */
static time_t
expiry_of(const char *tok, time_t now)
{
	const char *bad;
	cJSON *claims = jwt_part(tok, 1, &bad);
	time_t exp;
	if (!claims || !jwt_exp(claims, &exp))
		exp = now + DPS_TOKEN_DEFAULT_LIFETIME;
	cJSON_Delete(claims);
	return exp;
}

static char *
expired_message(const struct dps_token_source *s, time_t exp, time_t now)
{
	char *where = origin(s);
	long ago = (long)(now - exp);
	long n = ago < 120 ? ago : ago / 60;
	char *why = xasprintf("%s expired %ld %s%s ago; %s", where, n,
			      ago < 120 ? "second" : "minute", n == 1 ? "" : "s",
			      what_to_do(s));
	free(where);
	return why;
}

const char *
dps_token_get(struct dps_token_source *s, time_t now, char **why)
{
	*why = NULL;
	if (s->token && now + DPS_TOKEN_RENEW_BEFORE < s->exp)
		return s->token;
	secret_str_free(s->token);
	s->token = NULL;
	char *tok = obtain(s, why);
	if (!tok)
		return NULL;
	s->obtained++;
	time_t exp = expiry_of(tok, now);
	if (exp <= now) {
		*why = expired_message(s, exp, now);
		secret_str_free(tok);
		return NULL;
	}
	s->token = tok;
	s->exp = exp;
	return s->token;
}
