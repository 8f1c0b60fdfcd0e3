#ifndef DPSENROLL_EMU_EMU_H
#define DPSENROLL_EMU_EMU_H

/* dpsemu: a local stand-in for the DPS service and device APIs. The HTTP
 * layer (emu_http.c) parses a request into struct emu_request, finds the
 * route, and a handler fills struct emu_response; handlers never touch
 * libmicrohttpd. */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

struct emu_store;
struct emu_faults;
struct emu_throttle;

struct emu_config {
	char *data_dir;
	char *listen_addr;	/* "127.0.0.1", "::1" */
	int port;
	bool public;		/* --public: a non-loopback address is allowed */
	char **linked_hubs;	/* NULL-terminated */
	int throttle_per_min;	/* service operations; 0: off */
	int registration_throttle_per_min;	/* device registrations; 0: off */
	char **fault_specs;	/* --fault SPEC, NULL-terminated */
	char *token_key_path;	/* --token-key FILE (emu_jwt.h) */
};

struct emu {
	struct emu_config cfg;
	struct emu_store *store;
	struct emu_faults *faults;
	struct emu_throttle *throttle;	/* service operations */
	struct emu_throttle *registration_throttle;
	char *host_name;	/* as in the connection string: "127.0.0.1:8443" */
	char *policy_name;
	char *policy_key;	/* base64; secret */
	char *id_scope;
	char *ca_pem;		/* what clients must trust */
	char *server_cert_pem;
	char *server_key_pem;	/* secret */
	char *admin_token;	/* DATA/admin-token; secret */
	unsigned char *token_key;	/* --token-key's bytes; secret */
	size_t token_key_len;
	/* Serialises every read-check-write on the store: a PUT's etag check
	 * and its write must not interleave with another's. */
	pthread_mutex_t lock;
};

enum { EMU_MAX_BODY = 96 * 1024 };	/* the service's message size limit */
/* The service's documented limits (semantics §10): service operations
 * and device registrations, each per minute. */
enum { EMU_DEFAULT_THROTTLE = 1000 };

struct emu_request {
	const char *method;
	const char *path;	/* without the query */
	const char *api_version;	/* NULL when absent */
	const char *if_match;	/* NULL when absent */
	const char *authorization;
	const char *max_item_count;	/* x-ms-max-item-count */
	const char *continuation;	/* x-ms-continuation */
	const char *admin_token;	/* x-dpsemu-admin-token */
	const char *content_type;	/* NULL when absent */
	const char *body;	/* NUL-terminated; "" when none */
	size_t body_len;
	bool body_too_large;
	bool from_loopback;
	/* The DER certificate the client presented in the TLS handshake (a
	 * device registering with X.509); NULL when none. */
	const unsigned char *client_cert;
	size_t client_cert_len;
	bool faults_done;	/* a fault already matched it (its delay is over) */
	const char *params[4];	/* the {} segments of the route, in order */
};

enum emu_special {
	EMU_SEND,		/* send status, headers and body */
	EMU_DROP,		/* close the connection without answering */
	EMU_OVERSIZED,		/* send a huge body (fault injection) */
	EMU_MALFORMED,		/* send a body that is not JSON */
};

struct emu_header {
	char *name;
	char *value;
};

struct emu_response {
	unsigned status;
	char *body;		/* owned; NULL for no body */
	struct emu_header headers[8];
	size_t header_count;
	enum emu_special special;
	unsigned delay_ms;	/* hold the answer this long (fault "after") */
	unsigned pause_ms;	/* wait this long, then dispatch it again with
				 * faults_done (fault delay); nothing else set */
};

typedef void (*emu_handler_fn)(struct emu *emu, const struct emu_request *req,
			       struct emu_response *resp);

/* Responses (emu_reply.c). The body is JSON with Content-Type
 * application/json; errors carry ProvisioningServiceErrorDetails and
 * x-ms-error-code. */
void emu_reply_json(struct emu_response *resp, unsigned status, cJSON *body);
void emu_reply_empty(struct emu_response *resp, unsigned status);
void emu_reply_error(struct emu_response *resp, unsigned status, int code,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same with a given message and an optional info map (borrowed). */
void emu_reply_error_info(struct emu_response *resp, unsigned status,
			  int code, const char *msg, const cJSON *info);
/* 401 / 401002 "Unauthorized", with `why` as info.reason. */
void emu_reply_unauthorized(struct emu_response *resp, const char *why);
void emu_reply_header(struct emu_response *resp, const char *name,
		      const char *value);
void emu_response_clear(struct emu_response *resp);

/* Service-time helpers (emu_util.c). */
/* "2023-05-19T23:21:53.4777930Z" trimmed of trailing zeros, as the
 * service writes timestamps; buf holds 40 bytes. */
void emu_timestamp(char buf[40]);
/* A fresh etag: base64 of a quoted GUID; the caller frees. */
char *emu_new_etag(void);
/* A random GUID, lower-case; buf holds 37 bytes. */
void emu_new_guid(char buf[37]);

/* ASCII lower-case copy; the caller frees. */
char *emu_lower(const char *s);

/* Authorisation of service calls (emu_auth.c): false after filling resp
 * with 401002 when the token is missing, malformed, expired or wrong. */
bool emu_authorize_service(struct emu *emu, const struct emu_request *req,
			   struct emu_response *resp);
/* What the service refuses in a SharedAccessSignature beyond its
 * signature, for both APIs: a field given twice, an se that is not plain
 * decimal digits, an expiry more than EMU_SAS_MAX_LIFETIME seconds (plus
 * the clock skew) after `now`. NULL when none; else why (static text). */
enum { EMU_SAS_MAX_LIFETIME = 365 * 24 * 3600, EMU_SAS_CLOCK_SKEW = 300 };
const char *emu_sas_refusal(const char *header, time_t now);

#endif
