#include "emu/emu_setup.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "base/b64.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "emu/emu_jwt.h"
#include "emu/emu_faults.h"
#include "emu/emu_store.h"
#include "emu/emu_tls.h"
#include "sys/fileio.h"

#define DEFAULT_HUB "dpsemu-hub.azure-devices.net"
#define POLICY_NAME "provisioningserviceowner"

static char *
random_key(void)
{
	unsigned char raw[32];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	char *key = b64_encode(raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	return key;
}

static char *
random_admin_token(void)
{
	unsigned char raw[24];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	char *token = xmalloc(2 * sizeof(raw) + 1);
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	OPENSSL_cleanse(raw, sizeof(raw));
	return token;
}

/* DATA/admin-token: made on first start (or when it is empty), readable by
 * its owner only, so another local user cannot use the admin API. */
static char *
admin_token(const char *dir, char **why)
{
	char *path = xasprintf("%s/admin-token", dir);
	char *text = file_read_all(path, NULL);
	char *token = NULL;
	if (text && text[strspn(text, "0123456789abcdef")] == '\n' &&
	    strspn(text, "0123456789abcdef") >= 32) {
		token = xstrndup(text, strspn(text, "0123456789abcdef"));
		chmod(path, 0600);
	} else if ((token = random_admin_token())) {
		char *line = xasprintf("%s\n", token);
		if (!file_write_atomic(path, line, strlen(line), 0600, why)) {
			secret_str_free(token);
			token = NULL;
		}
		secret_str_free(line);
	} else {
		*why = xstrdup("cannot make a random admin token");
	}
	secret_str_free(text);
	free(path);
	return token;
}

static char *
random_scope(void)
{
	unsigned char raw[4];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	return xasprintf("0ne%02X%02X%02X%02X", raw[0], raw[1], raw[2], raw[3]);
}

/* A setting from the store, or a new value made and saved on first start. */
static char *
setting(struct emu *emu, const char *name, char *(*make)(void), char **why)
{
	char *value = NULL;
	enum emu_store_result r = emu_store_get_setting(emu->store, name, &value);
	if (r == STORE_OK)
		return value;
	if (r == STORE_NOT_FOUND && (value = make()) &&
	    emu_store_set_setting(emu->store, name, value) == STORE_OK)
		return value;
	secret_str_free(value);
	*why = xasprintf("cannot keep the %s in the database: %s", name,
			 emu_store_error(emu->store));
	return NULL;
}

static bool
setup_faults(struct emu *emu, char **why)
{
	emu->faults = emu_faults_new();
	emu->throttle = emu_throttle_new(emu->cfg.throttle_per_min);
	emu->registration_throttle =
		emu_throttle_new(emu->cfg.registration_throttle_per_min);
	for (char **s = emu->cfg.fault_specs; s && *s; s++) {
		char *bad = NULL;
		if (!emu_faults_add(emu->faults, *s, &bad)) {
			*why = xasprintf("--fault %s: %s", *s, bad);
			free(bad);
			return false;
		}
	}
	return true;
}

bool
emu_setup(struct emu *emu, char **why)
{
	pthread_mutex_init(&emu->lock, NULL);
	if (!emu->cfg.linked_hubs) {
		emu->cfg.linked_hubs = xcalloc(2, sizeof(char *));
		emu->cfg.linked_hubs[0] = xstrdup(DEFAULT_HUB);
	}
	if (!dir_make(emu->cfg.data_dir, 0700, why))
		return false;
	/* It holds the policy key and the private keys: a folder made by hand
	 * (or by mkdir -p) is closed to others too. */
	chmod(emu->cfg.data_dir, 0700);
	emu->store = emu_store_open(emu->cfg.data_dir, why);
	if (!emu->store)
		return false;
	emu->policy_name = xstrdup(POLICY_NAME);
	emu->policy_key = setting(emu, "policy-key", random_key, why);
	emu->id_scope = emu->policy_key ? setting(emu, "id-scope", random_scope, why)
					: NULL;
	return emu->id_scope &&
	       (emu->admin_token = admin_token(emu->cfg.data_dir, why)) &&
	       emu_tls_material(emu->cfg.data_dir, &emu->ca_pem,
				&emu->server_cert_pem, &emu->server_key_pem, why) &&
	       setup_faults(emu, why);
}

bool
emu_address_is_public(const char *addr)
{
	struct in_addr in;
	struct in6_addr in6;
	if (inet_pton(AF_INET, addr, &in) == 1)
		return (ntohl(in.s_addr) >> 24) != 127;
	if (inet_pton(AF_INET6, addr, &in6) == 1)
		return !IN6_IS_ADDR_LOOPBACK(&in6) &&
		       !(IN6_IS_ADDR_V4MAPPED(&in6) && in6.s6_addr[12] == 127);
	return false;
}

/* The address a client dials: the wildcard addresses are no place to
 * connect to, so their loopback stands in (which the certificate names). */
static const char *
dial_address(const char *listen)
{
	struct in_addr in;
	struct in6_addr in6;
	if (inet_pton(AF_INET, listen, &in) == 1 && in.s_addr == INADDR_ANY)
		return "127.0.0.1";
	if (inet_pton(AF_INET6, listen, &in6) == 1 &&
	    IN6_IS_ADDR_UNSPECIFIED(&in6))
		return "::1";
	return listen;
}

bool
emu_publish(struct emu *emu, char **why)
{
	const char *addr = dial_address(emu->cfg.listen_addr);
	bool v6 = strchr(addr, ':') != NULL;
	/* Some SDKs dial only 443 and take HostName as a bare host. */
	if (emu->cfg.port == 443)
		emu->host_name = xasprintf(v6 ? "[%s]" : "%s", addr);
	else
		emu->host_name = xasprintf(v6 ? "[%s]:%d" : "%s:%d", addr,
					   emu->cfg.port);
	char *cs = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
			     "SharedAccessKey=%s\n", emu->host_name,
			     emu->policy_name, emu->policy_key);
	char *path = xasprintf("%s/connection-string", emu->cfg.data_dir);
	bool ok = file_write_atomic(path, cs, strlen(cs), 0600, why);
	secret_str_free(cs);
	free(path);
	if (!ok)
		return false;
	path = xasprintf("%s/id-scope", emu->cfg.data_dir);
	char *line = xasprintf("%s\n", emu->id_scope);
	ok = file_write_atomic(path, line, strlen(line), 0644, why);
	free(line);
	free(path);
	return ok;
}

static void
free_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

void
emu_config_clear(struct emu_config *cfg)
{
	free(cfg->token_key_path);
	free(cfg->data_dir);
	free(cfg->listen_addr);
	free_list(cfg->linked_hubs);
	free_list(cfg->fault_specs);
	memset(cfg, 0, sizeof(*cfg));
}

void
emu_teardown(struct emu *emu)
{
	emu_store_close(emu->store);
	emu_faults_free(emu->faults);
	emu_throttle_free(emu->throttle);
	emu_throttle_free(emu->registration_throttle);
	free(emu->host_name);
	free(emu->policy_name);
	secret_str_free(emu->policy_key);
	free(emu->id_scope);
	free(emu->ca_pem);
	free(emu->server_cert_pem);
	secret_str_free(emu->server_key_pem);
	secret_str_free(emu->admin_token);
	emu_jwt_clear(emu);
	emu_config_clear(&emu->cfg);
	pthread_mutex_destroy(&emu->lock);
}
