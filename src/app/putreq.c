#include "app/putreq.h"

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/xalloc.h"

/* Set by the service for one record; a create must not carry them. */
static const char *const record_members[] = {
	"etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc",
	"registrationState",
};

void
put_request_update(const struct doc *d, const char *etag,
		   struct put_request *out)
{
	out->body = doc_serialize(d, false);
	out->if_match = etag ? xstrdup(etag) : NULL;
}

void
put_request_create(const struct doc *d, struct put_request *out)
{
	struct doc *fresh = doc_clone(d);
	for (size_t i = 0; i < sizeof(record_members) / sizeof(*record_members);
	     i++)
		doc_remove(fresh, record_members[i]);
	out->body = doc_serialize(fresh, false);
	out->if_match = NULL;
	doc_free(fresh);
}

void
put_request_clear(struct put_request *r)
{
	secret_str_free(r->body);
	free(r->if_match);
	memset(r, 0, sizeof(*r));
}
