/* dpsemu's request dispatch: routes, api-version, authorisation, faults,
 * and every handler with its body, on one emulator (a store in a private
 * folder) kept for the whole run, as a running dpsemu keeps its own.
 *
 * Input: "METHOD PATH[?api-version=V]\n", then "Name: value\n" header
 * lines, an empty line, and the body. "Authorization: VALID" is replaced
 * by a token signed with the emulator's key, and a path starting with
 * /SCOPE/ gets the emulator's ID scope there, so that the handlers behind
 * those checks are reached. */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/sas.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/url_curl.h"
#include "emu/emu.h"
#include "emu/emu_dispatch.h"
#include "emu/emu_faults.h"
#include "emu/emu_setup.h"
#include "tests/fuzz/fuzz.h"

static struct emu emu;
static char *valid_token;

static void
stop_emu(void)
{
	secret_str_free(valid_token);
	emu_teardown(&emu);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	secret_json_hooks();
	url_curl_install();
	emu.cfg.port = 8443;
	emu.cfg.listen_addr = xstrdup("127.0.0.1");
	emu.cfg.data_dir = fuzz_path("emu");
	/* No rate limit (--throttle 0): a fuzzer sends millions of requests,
	 * and every one must reach the handlers. */
	emu.cfg.throttle_per_min = 0;
	emu.cfg.registration_throttle_per_min = 0;
	char *why = NULL;
	if (!emu_setup(&emu, &why) || !emu_publish(&emu, &why)) {
		fprintf(stderr, "fuzz_emu: %s\n", why);
		abort();
	}
	/* An injected delay does not stall the fuzzer: dispatch only asks
	 * the HTTP layer to wait (resp->pause_ms), and nothing here waits. */
	const char *how = NULL;
	valid_token = sas_token_new(emu.host_name, emu.policy_key,
				    emu.policy_name, time(NULL) + 3600, &how);
	if (!valid_token) {
		fprintf(stderr, "fuzz_emu: %s\n", how);
		abort();
	}
	atexit(stop_emu);
	return 0;
}

static void
keep_header(struct emu_request *req, const char *name, const char *value)
{
	if (strcasecmp(name, "If-Match") == 0)
		req->if_match = value;
	else if (strcasecmp(name, "Authorization") == 0)
		req->authorization = strcmp(value, "VALID") == 0 ? valid_token
								: value;
	else if (strcasecmp(name, "x-ms-max-item-count") == 0)
		req->max_item_count = value;
	else if (strcasecmp(name, "x-ms-continuation") == 0)
		req->continuation = value;
	else if (strcasecmp(name, "Content-Type") == 0)
		req->content_type = value;
	else if (strcasecmp(name, "x-fuzz-remote") == 0)
		req->from_loopback = false;
	/* "VALID" stands for the data folder's admin token, so the admin
	 * handlers behind the check are reached too. */
	else if (strcasecmp(name, "x-dpsemu-admin-token") == 0)
		req->admin_token = strcmp(value, "VALID") == 0 ? emu.admin_token
							       : value;
}

/* "METHOD PATH?api-version=V" (modified in place). */
static void
read_request_line(struct emu_request *req, char *line)
{
	char *sp = strchr(line, ' ');
	req->method = line;
	req->path = "";
	if (!sp)
		return;
	*sp = '\0';
	req->path = sp + 1;
	char *q = strchr(sp + 1, '?');
	if (!q)
		return;
	*q = '\0';
	char *v = strstr(q + 1, "api-version=");
	if (v) {
		req->api_version = v + strlen("api-version=");
		char *amp = strchr(v, '&');
		if (amp)
			*amp = '\0';
	}
}

/* Splits `text` (modified) into request line, headers and body. */
static void
read_request(struct emu_request *req, char *text, size_t size)
{
	char *line = text;
	for (bool first = true;; first = false) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (first) {
			read_request_line(req, line);
		} else if (line[0] == '\0') {
			break;
		} else {
			char *colon = strchr(line, ':');
			if (colon) {
				*colon = '\0';
				keep_header(req, line,
					    colon + 1 + strspn(colon + 1, " "));
			}
		}
		if (!nl)
			return;
		line = nl + 1;
	}
	req->body = line + strlen(line) + 1 <= text + size ? line + strlen(line) + 1
							   : "";
	req->body_len = strlen(req->body);
	if (req->body_len > EMU_MAX_BODY) {
		req->body_too_large = true;
		req->body = "";
		req->body_len = 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct emu_request req = { .body = "", .from_loopback = true };
	read_request(&req, text, size);
	char *path = NULL;
	if (strncmp(req.path, "/SCOPE/", 7) == 0)
		req.path = path = xasprintf("/%s/%s", emu.id_scope, req.path + 7);
	struct emu_response resp = { 0 };
	emu_dispatch(&emu, &req, &resp);
	emu_response_clear(&resp);
	/* Each input meets the emulator without another's injected faults. */
	emu_faults_clear(emu.faults);
	free(path);
	free(text);
	return 0;
}
