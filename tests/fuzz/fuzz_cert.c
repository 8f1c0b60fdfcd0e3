/* A certificate as a technician gives it: PEM (one or a chain, with keys
 * or requests around it), DER, or base64 of DER. */

#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/x509info.h"
#include "model/x509pem.h"
#include "tests/fuzz/fuzz.h"

static void
describe(const uint8_t *data, size_t size)
{
	struct cert_info info = { 0 };
	char *why = NULL;
	if (cert_info_read(data, size, &info, &why)) {
		cJSON_Delete(cert_info_to_json(&info));
		free(cert_info_to_text(&info));
		cJSON *svc = cert_info_to_service_json(&info);
		struct cert_info back = { 0 };
		if (svc && cert_info_from_service_json(svc, &back))
			cert_info_clear(&back);
		cJSON_Delete(svc);
		(void)cert_info_role(&info);
		long days;
		(void)cert_info_validity(&info, (time_t)1700000000, &days);
		free(cert_validity_text(&info, (time_t)1700000000));
		cert_info_clear(&info);
	}
	free(why);
}

static void
pick(const uint8_t *data, size_t size)
{
	struct cert_pick p = { 0 };
	char *why = NULL;
	free(cert_leaf_pick(data, size, &p, &why));
	free(cert_pick_note(&p));
	cert_pick_clear(&p);
	free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	describe(data, size);
	pick(data, size);
	return 0;
}
