#ifndef DPSENROLL_EMU_ENUMS_H
#define DPSENROLL_EMU_ENUMS_H

/* The service reads enum names in any case, as .NET's JSON reader does
 * (semantics [INF]), and answers with the spec's spelling. */

#include <cjson/cJSON.h>

#include "model/schema.h"

/* Every enum member of an enrollment a client may write (attestation
 * type, allocation policy, provisioning status) that names a value in
 * another case is rewritten in the spec's spelling; others are left for
 * validation to explain. */
void emu_enums_normalize(cJSON *enrollment);

/* The value of `e` that `text` names in any case, in the spec's
 * spelling; NULL when it names none. */
const char *emu_enum_spelling(const struct enum_def *e, const char *text);

#endif
