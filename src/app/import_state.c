#include "app/import_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "sys/fileio.h"

enum { STATE_VERSION = 1 };

void
import_digest(const char *text, char out[IMPORT_DIGEST_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

void
import_state_add_done(struct import_state *s, const char *id,
		      const char *digest, size_t line, const char *outcome,
		      long status)
{
	s->done = array_grow(s->done, s->done_count, &s->done_cap,
			     sizeof(*s->done));
	struct import_done *d = &s->done[s->done_count++];
	*d = (struct import_done){ .id = xstrdup(id), .line = line,
				   .outcome = xstrdup(outcome), .status = status };
	snprintf(d->digest, sizeof(d->digest), "%s", digest);
}

void
import_state_add_in_flight(struct import_state *s, const char *id)
{
	s->in_flight = array_grow(s->in_flight, s->in_flight_count,
				  &s->in_flight_cap, sizeof(*s->in_flight));
	s->in_flight[s->in_flight_count++] = xstrdup(id);
}

static int
cmp_done(const void *a, const void *b)
{
	return strcmp(((const struct import_done *)a)->id,
		      ((const struct import_done *)b)->id);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
import_state_sort(struct import_state *s)
{
	if (s->done_count)
		qsort(s->done, s->done_count, sizeof(*s->done), cmp_done);
	if (s->in_flight_count)
		qsort(s->in_flight, s->in_flight_count, sizeof(*s->in_flight),
		      cmp_id);
}

const struct import_done *
import_state_done(const struct import_state *s, const char *id)
{
	struct import_done key = { .id = (char *)id };
	return s->done_count ? bsearch(&key, s->done, s->done_count,
				       sizeof(*s->done), cmp_done) : NULL;
}

bool
import_state_in_flight(const struct import_state *s, const char *id)
{
	return s->in_flight_count &&
	       bsearch(&id, s->in_flight, s->in_flight_count,
		       sizeof(*s->in_flight), cmp_id);
}

void
import_state_clear_in_flight(struct import_state *s)
{
	for (size_t i = 0; i < s->in_flight_count; i++)
		free(s->in_flight[i]);
	s->in_flight_count = 0;
}

void
import_state_clear(struct import_state *s)
{
	for (size_t i = 0; i < s->done_count; i++) {
		free(s->done[i].id);
		free(s->done[i].outcome);
	}
	free(s->done);
	free(s->host);
	import_state_clear_in_flight(s);
	free(s->in_flight);
	memset(s, 0, sizeof(*s));
}

static bool
read_done(const cJSON *e, struct import_state *s)
{
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	const char *digest = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(e, "sha256"));
	const char *outcome = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(e, "outcome"));
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(e, "line");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(e, "status");
	if (!id || !digest || strlen(digest) != 64 || !outcome ||
	    !cJSON_IsNumber(line) || !cJSON_IsNumber(status))
		return false;
	import_state_add_done(s, id, digest, (size_t)line->valuedouble, outcome,
			      (long)status->valuedouble);
	return true;
}

static bool
read_state(const cJSON *root, struct import_state *s)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || v->valueint != STATE_VERSION)
		return false;
	const char *host = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(root, "host"));
	s->host = host ? xstrdup(host) : NULL;
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "done"))
		if (!read_done(e, s))
			return false;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "inFlight")) {
		if (!cJSON_IsString(e))
			return false;
		import_state_add_in_flight(s, e->valuestring);
	}
	return true;
}

bool
import_state_load(const char *path, struct import_state *s, char **why)
{
	memset(s, 0, sizeof(*s));
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text && errno == ENOENT)
		return true;
	if (!text) {
		*why = xasprintf(_("cannot read %s: %s"),
				 path, strerror(errno));
		return false;
	}
	struct json_error err;
	cJSON *root = json_parse_located(text, len, &err);
	free(text);
	bool ok = root && read_state(root, s);
	cJSON_Delete(root);
	if (!ok) {
		import_state_clear(s);
		*why = xasprintf(_("%s is not an import's progress file "
				   "(damaged, or from another version); remove "
				   "it to start the import over"), path);
		return false;
	}
	import_state_sort(s);
	return true;
}

static cJSON *
done_json(const struct import_done *d)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "id", d->id);
	cJSON_AddStringToObject(e, "sha256", d->digest);
	cJSON_AddNumberToObject(e, "line", (double)d->line);
	cJSON_AddStringToObject(e, "outcome", d->outcome);
	cJSON_AddNumberToObject(e, "status", (double)d->status);
	return e;
}

bool
import_state_save(const char *path, const struct import_state *s,
		  const char *mode, char **why)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", STATE_VERSION);
	cJSON_AddStringToObject(root, "mode", mode);
	if (s->host)
		cJSON_AddStringToObject(root, "host", s->host);
	cJSON *done = cJSON_AddArrayToObject(root, "done");
	for (size_t i = 0; i < s->done_count; i++)
		cJSON_AddItemToArray(done, done_json(&s->done[i]));
	cJSON *fl = cJSON_AddArrayToObject(root, "inFlight");
	for (size_t i = 0; i < s->in_flight_count; i++)
		cJSON_AddItemToArray(fl, cJSON_CreateString(s->in_flight[i]));
	char *text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	bool ok = text && file_write_atomic(path, text, strlen(text), 0600, why);
	if (!text)
		*why = xstrdup(_("out of memory"));
	free(text);
	return ok;
}
