#include "dps/auth_token.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/jwt.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/said.h"
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

/* Where the token came from, for messages; in the person's language
 * when `local` (see dps/said.h). */
static char *
origin(const struct dps_token_source *s, bool local)
{
	switch (s->kind) {
	case TOKEN_FIXED:
		return xstrdup(said_text(local, N_("the access token in "
						   "DPS_ACCESS_TOKEN")));
	case TOKEN_FILE:
		/* TRANSLATORS: %s is a file; the start of a sentence such
		 * as "... is empty". */
		return xasprintf(said_text(local, N_("the access token in %s")),
				 s->spec);
	case TOKEN_COMMAND:
		break;
	}
	return xstrdup(said_text(local, N_("the token the profile's "
					   "tokenCommand printed")));
}

static char *
what_to_do(const struct dps_token_source *s, bool local)
{
	switch (s->kind) {
	case TOKEN_FIXED:
		/* TRANSLATORS: %s is the service's address for tokens; the
		 * command stays as it is. */
		return xasprintf(said_text(local, N_("get a new one (az account "
			"get-access-token --resource %s --query accessToken -o "
			"tsv) and set DPS_ACCESS_TOKEN again")), DPS_TOKEN_RESOURCE);
	case TOKEN_FILE:
		/* TRANSLATORS: %s is the service's address for tokens; the
		 * command stays as it is. */
		return xasprintf(said_text(local, N_("get a new one (az account "
			"get-access-token --resource %s --query accessToken -o "
			"tsv) and write it to the file again")), DPS_TOKEN_RESOURCE);
	case TOKEN_COMMAND:
		break;
	}
	return xstrdup(said_text(local, N_("run the command yourself to see "
					   "what it prints; for the Azure CLI, "
					   "run az login again")));
}

/* What is wrong with the text obtained (`empty`, or not one line of
 * printable characters), where it came from and what to do about it. */
static char *
bad_token_text(const struct dps_token_source *s, bool empty, bool local)
{
	char *where = origin(s, local);
	char *todo = what_to_do(s, local);
	char *text = empty
		/* TRANSLATORS: "the access token in FILE is empty; what to
		 * do" */
		? xasprintf(said_text(local, N_("%s is empty; %s")), where, todo)
		/* TRANSLATORS: where the token came from, then what to do */
		: xasprintf(said_text(local, N_("%s is not one line of printable "
			    "characters, as a token is; %s")), where, todo);
	free(where);
	free(todo);
	return text;
}

/* The token without surrounding white space; NULL with *why when what is
 * left cannot be a token (empty, or characters a header cannot carry). */
static char *
clean_token(const struct dps_token_source *s, const char *text,
	    struct dps_said *why)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	bool good = len > 0;
	for (size_t i = 0; i < len && good; i++)
		good = isgraph((unsigned char)text[i]);
	if (good)
		return xstrndup(text, len);
	dps_said_take(why, bad_token_text(s, !len, false),
		      bad_token_text(s, !len, true));
	return NULL;
}

/* A file that others can read is refused, as the config file is: the
 * token would be theirs to use. */
static char *
read_private_file(const char *path, struct dps_said *why)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		/* TRANSLATORS: %1$s is a file; %2$s, the system's reason. */
		dps_said_printf(why, N_("cannot read the access token file "
				"%1$s: %2$s"), path, strerror(errno));
		return NULL;
	}
	if (st.st_mode & 077) {
		/* TRANSLATORS: %1$s is the file, %2$04o its mode (0644);
		 * the command stays as it is. */
		dps_said_printf(why, N_("the access token file %1$s is readable "
				"by others (mode %2$04o); run: chmod 600 %1$s"),
				path, (unsigned)(st.st_mode & 07777));
		return NULL;
	}
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text)
		/* TRANSLATORS: %1$s is a file; %2$s, the system's reason. */
		dps_said_printf(why, N_("cannot read the access token file "
				"%1$s: %2$s"), path, strerror(errno));
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

/* How the command failed, with what it said on its standard error when
 * it said something (`line`), then what to do (`todo`). */
static char *
command_failure_text(const struct command_result *r, const char *line,
		     const char *todo, bool local)
{
	int secs = DPS_TOKEN_COMMAND_TIMEOUT_MS / 1000;
	if (r->timed_out && *line)
		/* TRANSLATORS: %1$d seconds; %2$s, what the command said
		 * on its standard error; %3$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "did not finish within %1$d s: %2$s; %3$s")),
				 secs, line, todo);
	if (r->timed_out)
		/* TRANSLATORS: %1$d seconds; %2$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "did not finish within %1$d s; %2$s")), secs, todo);
	if (r->too_much && *line)
		/* TRANSLATORS: %1$s is what the command said on its standard
		 * error; %2$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "printed more than a token: %1$s; %2$s")), line,
				 todo);
	if (r->too_much)
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "printed more than a token; %s")), todo);
	if (r->exited && *line)
		/* TRANSLATORS: %1$d is the exit status; %2$s, what the
		 * command said on its standard error; %3$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "failed (exit status %1$d): %2$s; %3$s")),
				 r->status, line, todo);
	if (r->exited)
		/* TRANSLATORS: %1$d is the exit status; %2$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "failed (exit status %1$d); %2$s")), r->status,
				 todo);
	if (*line)
		/* TRANSLATORS: %1$d is a signal's number; %2$s, what the
		 * command said on its standard error; %3$s, what to do. */
		return xasprintf(said_text(local, N_("the profile's tokenCommand "
				 "was ended by signal %1$d: %2$s; %3$s")),
				 r->signal, line, todo);
	/* TRANSLATORS: %1$d is a signal's number; %2$s, what to do. */
	return xasprintf(said_text(local, N_("the profile's tokenCommand was "
			 "ended by signal %1$d; %2$s")), r->signal, todo);
}

static void
command_failure(const struct dps_token_source *s,
		const struct command_result *r, struct dps_said *why)
{
	char *line = first_line(r->err ? r->err : "");
	char *text[2];
	for (int local = 0; local < 2; local++) {
		char *todo = what_to_do(s, local);
		text[local] = command_failure_text(r, line, todo, local);
		free(todo);
	}
	free(line);
	dps_said_take(why, text[0], text[1]);
}

static char *
run_command(const struct dps_token_source *s, struct dps_said *why)
{
	/* the command signs in on its own; it gets none of ours */
	static const char *const withheld[] = { "DPS_CONNECTION_STRING",
						 "DPS_ACCESS_TOKEN", NULL };
	struct command_result r;
	char *inner = NULL;
	if (!command_run(s->spec, withheld, DPS_TOKEN_COMMAND_TIMEOUT_MS,
			 DPS_TOKEN_MAX_BYTES, &r, &inner)) {
		/* TRANSLATORS: %s is the system's reason. */
		dps_said_printf(why, N_("the profile's tokenCommand could not "
				"be run: %s"), inner);
		free(inner);
		return NULL;
	}
	char *tok = NULL;
	if (!r.exited || r.status != 0 || r.timed_out || r.too_much)
		command_failure(s, &r, why);
	else
		tok = clean_token(s, r.out, why);
	command_result_clear(&r);
	return tok;
}

static char *
obtain(const struct dps_token_source *s, struct dps_said *why)
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
expired_text(const struct dps_token_source *s, long ago, bool local)
{
	char *where = origin(s, local);
	char *todo = what_to_do(s, local);
	char *why;
	if (ago < 120)
		/* TRANSLATORS: %1$s is where the token came from ("the
		 * access token in FILE"); %3$s, what to do. */
		why = xasprintf(said_ntext(local, "%1$s expired %2$ld second "
				"ago; %3$s", "%1$s expired %2$ld seconds ago; "
				"%3$s", (unsigned long)ago), where, ago, todo);
	else
		/* TRANSLATORS: %1$s is where the token came from ("the
		 * access token in FILE"); %3$s, what to do. */
		why = xasprintf(said_ntext(local, "%1$s expired %2$ld minute "
				"ago; %3$s", "%1$s expired %2$ld minutes ago; "
				"%3$s", (unsigned long)(ago / 60)), where,
				ago / 60, todo);
	free(where);
	free(todo);
	return why;
}

static void
expired_message(const struct dps_token_source *s, time_t exp, time_t now,
		struct dps_said *why)
{
	long ago = (long)(now - exp);
	dps_said_take(why, expired_text(s, ago, false),
		      expired_text(s, ago, true));
}

const char *
dps_token_get(struct dps_token_source *s, time_t now, struct dps_said *why)
{
	*why = (struct dps_said){ 0 };
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
		expired_message(s, exp, now, why);
		secret_str_free(tok);
		return NULL;
	}
	s->token = tok;
	s->exp = exp;
	return s->token;
}
