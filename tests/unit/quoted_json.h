#ifndef DPSENROLL_TESTS_UNIT_QUOTED_JSON_H
#define DPSENROLL_TESTS_UNIT_QUOTED_JSON_H

#include <cjson/cJSON.h>

/* JSON written with ' for ", so the documents in the tests stay
 * readable; fails the test when it does not parse. Owned by the caller
 * (cJSON_Delete). */
cJSON *quoted_json(const char *text);

#endif
