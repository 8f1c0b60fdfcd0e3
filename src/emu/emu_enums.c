#include "emu/emu_enums.h"

#include <string.h>
#include <strings.h>

#include "model/json.h"

const char *
emu_enum_spelling(const struct enum_def *e, const char *text)
{
	for (size_t i = 0; text && i < e->count; i++)
		if (strcasecmp(e->values[i].wire, text) == 0)
			return e->values[i].wire;
	return NULL;
}

void
emu_enums_normalize(cJSON *enrollment)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		if (!row->enumdef || field_is_readonly(row))
			continue;
		cJSON *v = json_path_get(enrollment, row->path);
		const char *wire = cJSON_IsString(v)
			? emu_enum_spelling(row->enumdef, v->valuestring) : NULL;
		if (wire && strcmp(wire, v->valuestring) != 0)
			cJSON_SetValuestring(v, wire);
	}
}
